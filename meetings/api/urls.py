from rest_framework.routers import SimpleRouter

from meetings.api import views

router = SimpleRouter()
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("agenda-items", views.AgendaItemViewSet, basename="agenda-item")
router.register("attendance", views.AttendanceViewSet, basename="attendance")
router.register("motions", views.MotionViewSet, basename="motion")
router.register("minutes", views.MinutesViewSet, basename="minutes")

urlpatterns = router.urls
