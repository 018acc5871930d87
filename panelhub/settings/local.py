"""Development: DEBUG on; SQLite under var/ without DATABASE_URL; Celery eager without Redis."""

from panelhub.settings.base import *  # noqa: F403
from panelhub.settings.environment import env_bool

DEBUG = env_bool("DEBUG", True)
# The API's schema and Swagger UI are open to anyone in development only.
API_DOCS_PUBLIC = env_bool("API_DOCS_PUBLIC", True)
# Security keys on http://127.0.0.1 during development (browsers allow localhost).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
