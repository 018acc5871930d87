import os

from django.core.asgi import get_asgi_application

# Production unless the caller chose otherwise (docs/deployment.md).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "panelhub.settings.production")
application = get_asgi_application()
