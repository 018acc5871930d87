"""Development: DEBUG on; SQLite under var/ without DATABASE_URL; Celery eager without Redis."""

from panelhub.settings.base import *  # noqa: F403
from panelhub.settings.environment import env_bool

DEBUG = env_bool("DEBUG", True)
