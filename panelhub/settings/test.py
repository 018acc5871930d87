"""Tests: fast hashing, mail kept in memory, Celery eager unless a test asks for Redis."""

from panelhub.settings.base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Each test process keeps its own cache, so counters (sign-in throttle, API throttle, used
# TOTP codes) never leak between xdist workers or runs through a shared Redis (where
# Celery's broker also lives). A test that needs Redis as the cache sets CACHES itself.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
