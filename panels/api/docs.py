"""The API's OpenAPI schema and Swagger UI. Open to anonymous visitors only where
settings.API_DOCS_PUBLIC is on (local development); otherwise a signed-in user is needed.

Swagger UI is served as the split view (its start script at ``?script``, not inline) so it
runs under the Content Security Policy without 'unsafe-inline' (drf-spectacular's own
advice for strict CSPs)."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny, IsAuthenticated


def _docs_public() -> bool:
    return bool(getattr(settings, "API_DOCS_PUBLIC", False))


class SchemaView(SpectacularAPIView):
    def get_permissions(self):
        return [AllowAny()] if _docs_public() else [IsAuthenticated()]


class SwaggerView(SpectacularSwaggerSplitView):
    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        if not _docs_public() and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().get(request, *args, **kwargs)
