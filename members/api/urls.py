from rest_framework.routers import SimpleRouter

from members.api.views import ApplicationViewSet, MembershipViewSet, PersonViewSet

router = SimpleRouter()
router.register("people", PersonViewSet, basename="members-person")
router.register("applications", ApplicationViewSet, basename="members-application")
router.register("memberships", MembershipViewSet, basename="members-membership")

urlpatterns = router.urls
