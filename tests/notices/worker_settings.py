"""Settings for a real Celery worker started by tests/notices/test_exactly_once.py: the test
database (DATABASE_URL), Redis (REDIS_URL), and a file email backend the test can read."""

import os

from panelhub.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "tests.notices.backends.SlowFileBackend"
EMAIL_FILE_PATH = os.environ["NOTICES_TEST_MAIL_DIR"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = os.environ["NOTICES_TEST_MAIL_DIR"] + "-media"
# A short claim lease, so the test sees another worker take a killed one's batch back in
# real time (production: 60 s, notices.delivery.LEASE_SECONDS).
NOTICES_LEASE_SECONDS = int(os.environ.get("NOTICES_TEST_LEASE_SECONDS", "60"))
