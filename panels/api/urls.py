from rest_framework.routers import SimpleRouter

from panels.api.views import PanelViewSet, TermsOfReferenceViewSet

router = SimpleRouter()
router.register("panels", PanelViewSet, basename="panel")
router.register("terms-of-reference", TermsOfReferenceViewSet, basename="termsofreference")

urlpatterns = router.urls
