import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "panelhub.settings.production")
application = get_wsgi_application()

# Import every view now, as the web worker starts, rather than in the first request it
# serves: loading the URLconf imports every app's views, DRF and drf-spectacular (about
# 1.3 s on one core), which the first visitor after each deploy or worker restart would
# otherwise wait for (bench/load.py saw sign-in forms at 2.6 s p95 from cold workers).
from django.urls import get_resolver  # noqa: E402

get_resolver().reverse_dict  # noqa: B018 - populates the resolver (imports the URLconf)
