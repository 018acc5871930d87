from rest_framework.routers import SimpleRouter

from scrutiny.api import views

router = SimpleRouter()
router.register("scrutiny/measures", views.MeasureViewSet, basename="scrutiny-measure")
router.register("scrutiny/results", views.MeasureResultViewSet, basename="scrutiny-result")
router.register("scrutiny/reviews", views.ServiceReviewViewSet, basename="scrutiny-review")
router.register(
    "scrutiny/recommendations", views.RecommendationViewSet, basename="scrutiny-recommendation"
)
router.register("scrutiny/responses", views.BoardResponseViewSet, basename="scrutiny-response")
router.register("scrutiny/actions", views.ImprovementActionViewSet, basename="scrutiny-action")

urlpatterns = router.urls
