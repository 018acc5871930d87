"""Settings shared by every environment. Values come from environment variables."""

import xstatic.pkg.bootstrap as xstatic_bootstrap
from celery.schedules import crontab
from csp.constants import NONE, SELF

from panelhub.settings.environment import (
    BASE_DIR,
    VAR_DIR,
    database_config,
    default_storage_config,
    email_config,
    env_bool,
    env_int,
    env_list,
    env_str,
    redis_url,
)

DEVELOPMENT_SECRET_KEY = "dev-only-insecure-secret-key-change-me"  # noqa: S105

SECRET_KEY = env_str("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_scopes",
    "csp",
    # History of every tenant-owned row by PostgreSQL triggers (panels/history.py).
    "pgtrigger",
    "pghistory",
    "panels",
    "members",
    "meetings",
    "scrutiny",
    "notices",
    "reports",
    "privacy",
    "home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who, which page and from which address, on every history row the request writes.
    "panels.history.HistoryContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "panels.sessions.IdleTimeoutMiddleware",
    "panels.mfa.MFARequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "panels.middleware.OrganisationMiddleware",
]

# A Server-Timing header on every response, for the load benchmark (panelhub/timing.py).
# Off unless asked for: it tells an outsider how much work a request caused.
REQUEST_TIMING = env_bool("REQUEST_TIMING", False)
if REQUEST_TIMING:
    MIDDLEWARE.insert(0, "panelhub.timing.ServerTimingMiddleware")

# History (panels/history.py, docs/data-protection.md): the triggers are installed after
# every migrate rather than written into each app's migrations, so the event tables are
# the only migrations tracking adds. On SQLite there are no triggers and no history.
PGTRIGGER_MIGRATIONS = False
PGTRIGGER_INSTALL_ON_MIGRATE = True
# Context values (the request's user) are worked out only when a write is recorded.
PGHISTORY_JSON_ENCODER = "panelhub.history.ContextEncoder"

ROOT_URLCONF = "panelhub.urls"
WSGI_APPLICATION = "panelhub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "panels.context_processors.organisation",
            ],
        },
    },
]

DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "panels.User"
# Django's and allauth's backends, each refusing a locked account or address (panels.signin).
AUTHENTICATION_BACKENDS = [
    "panels.signin.ThrottledModelBackend",
    "panels.signin.ThrottledEmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# django-allauth: sign in by email; no public sign-up (officers invite people).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# An address must be proved before it can be used to sign in or become the main one
# (issue 12: an unproved address let a member take over an invitation).
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# Invitations (panels.Invitation): single-use links that expire after this many days.
INVITATION_EXPIRY_DAYS = 14
ACCOUNT_ADAPTER = "panels.adapters.InviteOnlyAccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
# Members may sign in with a code emailed to them instead of a password.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True

# Two-step sign-in (django-allauth's mfa app): an authenticator app (TOTP) with recovery
# codes, or security keys and passkeys (WebAuthn) as the second step. Required for
# officers, admins, board members and superusers (panels.mfa); members may opt in.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "PanelHub"
MFA_ADAPTER = "panels.adapters.StaffKeepMFAAdapter"
# WebAuthn needs HTTPS, except on localhost in development (local settings turn this on).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
# allauth's own limits stay (e.g. 30 sign-in attempts a minute per IP address, emailed
# codes, MFA codes); failed passwords are counted by panels.signin instead.

# Sessions live in the database so web processes stay stateless.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Idle timeouts, sliding with activity (panels.sessions): 30 minutes for officers, admins,
# board members and superusers; 8 hours for members.
SESSION_IDLE_TIMEOUT_STAFF = env_int("SESSION_IDLE_TIMEOUT_STAFF", 30 * 60)
SESSION_IDLE_TIMEOUT_MEMBER = env_int("SESSION_IDLE_TIMEOUT_MEMBER", 8 * 3600)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MEMBER

# Failed sign-ins allowed per account and per IP address in an hour (panels.signin), on
# every path; counted in the shared cache. allauth's own limits stay for everything else.
# The public application form (members/views/public.py): sendings per address per minute.
# A household or a library computer may send a few; a flood is refused after the limit.
PUBLIC_APPLICATIONS_PER_IP_PER_MINUTE = env_int("PUBLIC_APPLICATIONS_PER_IP_PER_MINUTE", 5)
SIGNIN_FAILURES_PER_HOUR = env_int("SIGNIN_FAILURES_PER_HOUR", 60)
# Set to the number of proxies in front of PanelHub so allauth (and the throttle) read the
# client's address from X-Forwarded-For; 0 reads REMOTE_ADDR.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor/bootstrap", xstatic_bootstrap.BASE_DIR)]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Uploads and generated PDFs go through Django's storage API; STORAGE_BACKEND=s3 puts them
# in an S3-compatible bucket (django-storages) so web nodes keep nothing on disk
# (docs/deployment.md).
STORAGES = {
    "default": default_storage_config(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Stored files are never served from MEDIA_URL (not even with DEBUG): every download goes
# through a view that checks the reader's right to the row (panels/files.py).
# Size limits per kind of upload, in bytes (the content is checked against an allow-list
# of kinds too). Override with UPLOAD_LIMIT_PAPER=..., etc.
PANELHUB_UPLOAD_LIMITS = {
    kind: int(env_str(f"UPLOAD_LIMIT_{kind.upper()}", str(default)))
    for kind, default in {
        "paper": 20_000_000,
        "evidence": 10_000_000,
        "receipt": 10_000_000,
        "logo": 2_000_000,
    }.items()
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REST_FRAMEWORK = {
    # Personal tokens for scripts, the session (with CSRF) for the browser; never HTTP Basic
    # (a password on every request, past the sign-in throttle and MFA). docs/security.md.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "panels.api.auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # JSON nested more than panels.limits.JSON_MAX_DEPTH deep is a 400, not a RecursionError.
    "DEFAULT_PARSER_CLASSES": [
        "panels.api.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["panels.api.auth.ApiTokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env_str("API_TOKEN_RATE", "3600/hour")},
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "panels.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "PanelHub API",
    "DESCRIPTION": "Governance of tenant and customer panels. Every path is scoped to one "
    "organisation: /api/v1/<org_slug>/... Scripts authenticate with a personal API token "
    "(Your account > API tokens): Authorization: Bearer ph_...; the browser uses its "
    "session with CSRF. There is no Basic authentication.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from our own static files (drf-spectacular-sidecar), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One stable component name per choice set, whatever field it appears under.
    "ENUM_NAME_OVERRIDES": {
        "SeatRoleEnum": "members.models.SeatRole",
        "OrganisationRoleEnum": "panels.models.Role",
        "DeclarationKindEnum": "members.models.DeclarationKind",
        "TrainingKindEnum": "members.models.TrainingKind",
    },
}

globals().update(email_config())
# The address people reach PanelHub at, for links in mail sent outside a request (Celery,
# services called from the API): https://panels.example.org
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "PanelHub <panelhub@localhost>")
MAIL_DIR = VAR_DIR / "mail"

REDIS_URL = redis_url()
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# Without Redis, tasks run eagerly in-process so a newcomer needs no server.
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Longer than the longest task (a report build), so acks_late never redelivers a running task.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# django-celery-beat copies these into its PeriodicTask table when beat starts (idempotent);
# see docs/notices.md.
CELERY_BEAT_SCHEDULE = {
    "notices: send due notices": {"task": "notices.dispatch", "schedule": 60.0},
    "notices: daily planner and breaches": {
        "task": "notices.plan_daily",
        "schedule": crontab(hour=6, minute=0),
    },
    # Private links of account emails (invitations, password resets) are deleted once
    # expired; a message that never went is withdrawn (notices/messages.py).
    "notices: forget expired private links": {
        "task": "notices.forget_expired_secrets",
        "schedule": 900.0,
    },
    # Reports requested while the broker was away are still queued: hand them out again.
    "reports: sweep queued reports": {"task": "reports.sweep_queued", "schedule": 120.0},
    # Seats go on and off leave and terms end by date (members/tasks.py), before the
    # notices planner reads them.
    # Forms' one-time tokens (panels.idempotency) are kept a day.
    "panels: forget old form tokens": {
        "task": "panels.forget_old_form_tokens",
        "schedule": crontab(hour=4, minute=15),
    },
    "members: seat dates": {
        "task": "members.seat_dates_nightly",
        "schedule": crontab(hour=5, minute=30),
    },
    # Each quarter's Board report after the quarter ends, the annual report after the year
    # ends; once per period (reports/schedule.py).
    "reports: quarterly and annual reports due": {
        "task": "reports.generate_due",
        "schedule": crontab(hour=6, minute=30),
    },
    # Subject access exports not downloaded in time are deleted (privacy/tasks.py).
    "privacy: expire exports": {
        "task": "privacy.expire_exports_nightly",
        "schedule": crontab(hour=3, minute=15),
    },
    # What has passed its retention period is anonymised or deleted (privacy/retention.py).
    "privacy: apply retention periods": {
        "task": "privacy.apply_retention_nightly",
        "schedule": crontab(hour=3, minute=45),
    },
}
CELERY_TIMEZONE = TIME_ZONE

# Content Security Policy (django-csp), in every environment so a template that needs an
# inline script or style fails in development and tests, not first in production. No
# 'unsafe-inline': scripts and styles come from our static files only; images may be data:
# URIs (Bootstrap's icons, the MFA QR code). Swagger UI loads its start script from a URL
# (panels.api.docs). docs/security.md.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# /api/schema/ and /api/docs/ answer anonymous visitors only where this is on (local
# development); production and tests require a signed-in user.
API_DOCS_PUBLIC = env_bool("API_DOCS_PUBLIC", False)

# Redis when configured; panelhub.cache.FailOpenRedisCache falls back to a per-process
# cache (with a logged warning) while Redis is down, so an outage never breaks sign-in.
CACHES = {
    "default": (
        {"BACKEND": "panelhub.cache.FailOpenRedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint narrates every rendering step at INFO; keep its warnings only.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # One line per request when REQUEST_TIMING_LOG names a file; quiet otherwise.
        "panelhub.timing": {"level": "INFO" if env_str("REQUEST_TIMING_LOG") else "WARNING"},
    },
}
if env_str("REQUEST_TIMING_LOG"):
    LOGGING["handlers"]["timing_file"] = {
        "class": "logging.FileHandler",
        "filename": env_str("REQUEST_TIMING_LOG"),
    }
    LOGGING["loggers"]["panelhub.timing"].update(handlers=["timing_file"], propagate=False)
