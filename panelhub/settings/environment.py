"""Read configuration from environment variables, failing loudly with the variable's name."""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PANELHUB_VAR_DIR", BASE_DIR / "var"))

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use true or false.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def database_config() -> dict:
    """DATABASE_URL, or an embedded SQLite file under var/ when it is not set."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "panelhub.sqlite3"),
            "OPTIONS": {"timeout": 20},
        }
    scheme = urlparse(url).scheme
    if scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL has scheme {scheme!r}; PanelHub supports postgres://user@host:port/name "
            "(or sqlite:///path for development)."
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj-database-url raises several types for bad URLs
        raise ImproperlyConfigured(f"DATABASE_URL could not be read: {exc}") from exc
    if config["ENGINE"] != "django.db.backends.sqlite3" and not config.get("NAME"):
        raise ImproperlyConfigured("DATABASE_URL names no database: add /<name> to the URL.")
    return config


def email_config() -> dict:
    """EMAIL_URL: smtp://user:pass@host:587?tls=1, console:, file:///path; default console+file."""
    url = os.environ.get("EMAIL_URL", "").strip()
    if not url:
        return {"EMAIL_BACKEND": "panelhub.mail.ConsoleAndFileBackend"}
    parsed = urlparse(url)
    if parsed.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parsed.scheme == "file":
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": parsed.path or str(VAR_DIR / "mail"),
        }
    if parsed.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parsed.scheme in {"smtp", "smtps"}:
        query = parse_qs(parsed.query)
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parsed.hostname or "localhost",
            "EMAIL_PORT": parsed.port or (465 if parsed.scheme == "smtps" else 25),
            "EMAIL_HOST_USER": unquote(parsed.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
            "EMAIL_USE_SSL": parsed.scheme == "smtps",
            "EMAIL_USE_TLS": query.get("tls", ["0"])[0] in TRUE_WORDS,
            "EMAIL_TIMEOUT": 30,
        }
    raise ImproperlyConfigured(
        f"EMAIL_URL has scheme {parsed.scheme!r}; use smtp://, smtps://, console: or file:///path."
    )


def redis_url() -> str | None:
    url = os.environ.get("REDIS_URL", "").strip()
    if not url:
        return None
    if urlparse(url).scheme not in {"redis", "rediss"}:
        raise ImproperlyConfigured(f"REDIS_URL {url!r} must start with redis:// or rediss://.")
    return url


S3_BACKEND = "storages.backends.s3.S3Storage"
# Environment variable -> django-storages S3Storage option (all optional but the bucket;
# without keys boto3 finds credentials itself: instance role, ~/.aws, AWS_* variables).
S3_OPTIONS = (
    ("AWS_S3_ENDPOINT_URL", "endpoint_url"),
    ("AWS_S3_REGION_NAME", "region_name"),
    ("AWS_ACCESS_KEY_ID", "access_key"),
    ("AWS_SECRET_ACCESS_KEY", "secret_key"),
    ("AWS_LOCATION", "location"),
    ("AWS_S3_ADDRESSING_STYLE", "addressing_style"),
)


def default_storage_config() -> dict:
    """Where uploads and generated PDFs go: STORAGE_BACKEND=s3 (or the S3Storage class
    path) puts them in an S3-compatible bucket through django-storages; any other class
    path is used as it is; unset, the local disk under var/media."""
    backend = os.environ.get("STORAGE_BACKEND", "").strip()
    if backend.lower() == "s3":
        backend = S3_BACKEND
    if not backend:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if backend != S3_BACKEND:
        return {"BACKEND": backend}
    bucket = os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        raise ImproperlyConfigured(
            "STORAGE_BACKEND is S3 but AWS_STORAGE_BUCKET_NAME is not set: name the bucket."
        )
    options = {
        "bucket_name": bucket,
        # Private objects, never overwritten: PanelHub's views check the reader's right and
        # stream the file; nothing links to the bucket directly.
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": True,
    }
    for variable, option in S3_OPTIONS:
        value = os.environ.get(variable, "").strip()
        if value:
            options[option] = value
    return {"BACKEND": backend, "OPTIONS": options}
