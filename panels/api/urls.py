from rest_framework.routers import SimpleRouter

from panels.api.views import PanelViewSet

router = SimpleRouter()
router.register("panels", PanelViewSet, basename="panel")

urlpatterns = router.urls
