from django.urls import path

from members.views import member, officer, public

app_name = "members"

urlpatterns = [
    path("apply/", public.ApplyView.as_view(), name="apply"),
    path("me/", member.MyMembershipView.as_view(), name="mine"),
    path("roster/", officer.RosterIndexView.as_view(), name="roster_index"),
    path("roster/<slug:panel_slug>/", officer.RosterView.as_view(), name="roster"),
    path("roster/<slug:panel_slug>/csv/", officer.RosterCsvView.as_view(), name="roster_csv"),
    path("applications/", officer.ApplicationQueueView.as_view(), name="applications"),
    path("people/<int:person_id>/", officer.PersonDetailView.as_view(), name="person"),
    path("seats/<int:membership_id>/extend/", officer.ExtendView.as_view(), name="extend"),
    path("seats/<int:membership_id>/reappoint/", officer.ReappointView.as_view(), name="reappoint"),
    path("seats/<int:membership_id>/leave/", officer.LeaveView.as_view(), name="leave"),
    path("seats/<int:membership_id>/step-down/", officer.StepDownView.as_view(), name="step_down"),
]
