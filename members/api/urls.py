from rest_framework.routers import SimpleRouter

from members.api.views import (
    ApplicationViewSet,
    DeclarationViewSet,
    ExpenseClaimViewSet,
    MembershipViewSet,
    PersonViewSet,
)

router = SimpleRouter()
router.register("people", PersonViewSet, basename="members-person")
router.register("applications", ApplicationViewSet, basename="members-application")
router.register("memberships", MembershipViewSet, basename="members-membership")
router.register("declarations", DeclarationViewSet, basename="members-declaration")
router.register("expenses", ExpenseClaimViewSet, basename="members-expense")

urlpatterns = router.urls
