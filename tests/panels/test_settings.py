import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from panelhub.settings import environment

ROOT = Path(__file__).resolve().parents[2]


def test_without_database_url_the_embedded_sqlite_file_is_used(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = environment.database_config()
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"].endswith("panelhub.sqlite3")


@pytest.mark.parametrize(
    "url, fragment",
    [
        ("mysql://root@localhost/x", "scheme 'mysql'"),
        ("postgres://localhost:5432", "names no database"),
    ],
)
def test_a_wrong_database_url_names_the_variable(monkeypatch, url, fragment):
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL") as caught:
        environment.database_config()
    assert fragment in str(caught.value)


def test_a_wrong_redis_url_names_the_variable(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "http://localhost:6379")
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        environment.redis_url()


def test_email_url_smtp_is_parsed(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "smtp://user%40x:secret@mail.example.com:587?tls=1")
    config = environment.email_config()
    assert config["EMAIL_HOST"] == "mail.example.com"
    assert config["EMAIL_PORT"] == 587
    assert config["EMAIL_HOST_USER"] == "user@x"
    assert config["EMAIL_USE_TLS"] is True


def test_a_bad_boolean_names_the_variable(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        environment.env_bool("DEBUG", False)


def _import_production(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "panelhub.settings.production"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_the_development_secret_key():
    result = _import_production()
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_debug():
    result = _import_production(SECRET_KEY="x" * 50, DEBUG="true")
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_production_starts_with_a_real_key():
    result = _import_production(SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr
