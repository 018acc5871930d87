"""Production: refuses to start with the development secret key or with DEBUG on."""

from django.core.exceptions import ImproperlyConfigured

from panelhub.settings.base import *  # noqa: F403
from panelhub.settings.base import DEBUG, DEVELOPMENT_SECRET_KEY, SECRET_KEY
from panelhub.settings.environment import env_bool

if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production: unset DEBUG or set DEBUG=false.")
if not SECRET_KEY or SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 32:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a long random value in production (at least 32 characters), "
        "not the development key."
    )

STORAGES = {
    "default": {"BACKEND": STORAGES["default"]["BACKEND"]},  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
