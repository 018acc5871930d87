"""Production: the default settings of wsgi.py, asgi.py, manage.py, Celery and the Docker image.

Refuses to start with the development secret key or with DEBUG on, and passes
``manage.py check --deploy --fail-level WARNING`` (CI runs it; docs/security.md).
"""

from django.core.exceptions import ImproperlyConfigured

from panelhub.settings.base import *  # noqa: F403
from panelhub.settings.base import DEBUG, DEVELOPMENT_SECRET_KEY, SECRET_KEY
from panelhub.settings.environment import env_bool, env_int

LOCAL_HINT = (
    " For development on your own machine use the local settings: "
    "DJANGO_SETTINGS_MODULE=panelhub.settings.local (the Makefile's run, seed, migrate, "
    "worker and beat targets set it)."
)

if DEBUG:
    raise ImproperlyConfigured(
        "DEBUG must be off in production: unset DEBUG or set DEBUG=false." + LOCAL_HINT
    )
if not SECRET_KEY or SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 32:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a long random value in production (at least 32 characters; "
        "50 or more passes Django's deploy check), not the development key." + LOCAL_HINT
    )

STORAGES = {
    "default": STORAGES["default"],  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS everywhere. Plain-HTTP requests are redirected, except the health probe that
# load balancers and docker-compose send to the container itself.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a proxy or load balancer that terminates TLS and sets X-Forwarded-Proto, set
# BEHIND_TLS_PROXY=true so Django knows the original request was HTTPS. Never set it
# when clients reach gunicorn directly: they could then claim HTTPS themselves.
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SESSION_COOKIE_HTTPONLY = True
