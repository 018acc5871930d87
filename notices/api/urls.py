from rest_framework.routers import SimpleRouter

from notices.api.views import BreachViewSet, NoticeViewSet

router = SimpleRouter()
router.register("notices", NoticeViewSet, basename="notice")
router.register("breaches", BreachViewSet, basename="breach")

urlpatterns = router.urls
