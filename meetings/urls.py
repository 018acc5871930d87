from django.urls import path

from meetings.views import member, minutes, officer, public

app_name = "meetings"

urlpatterns = [
    path("", officer.ProgrammeView.as_view(), name="programme"),
    path("next/", member.NextMeetingView.as_view(), name="next"),
    path("<int:meeting_id>/console/", officer.ConsoleView.as_view(), name="console"),
    path(
        "<int:meeting_id>/minutes/preview/",
        minutes.MinutesPreviewView.as_view(),
        name="minutes_preview",
    ),
    path("<int:meeting_id>/letters.pdf", officer.LetterPackView.as_view(), name="letter_pack"),
    path(
        "<int:meeting_id>/papers/issue/",
        officer.IssuePapersView.as_view(),
        name="papers_issue",
    ),
    path("<int:meeting_id>/papers/", member.PapersView.as_view(), name="papers"),
    path("<int:meeting_id>/pack.pdf", member.AgendaPackView.as_view(), name="agenda_pack"),
    path("<int:meeting_id>/apologies/", member.ApologiesView.as_view(), name="apologies"),
    path(
        "<int:meeting_id>/apologies/withdraw/",
        member.ApologiesWithdrawView.as_view(),
        name="apologies_withdraw",
    ),
    path("<int:meeting_id>/meeting.ics", member.MeetingIcsView.as_view(), name="meeting_ics"),
    path("<int:meeting_id>/minutes.pdf", public.PublicMinutesPdfView.as_view(), name="minutes_pdf"),
    path("papers/<int:paper_id>/", member.PaperDownloadView.as_view(), name="paper"),
    path(
        "panels/<slug:panel_slug>/minutes/",
        public.PanelMinutesView.as_view(),
        name="panel_minutes",
    ),
    path(
        "panels/<slug:panel_slug>/calendar.ics",
        public.PanelCalendarView.as_view(),
        name="panel_calendar",
    ),
    path("calendar/<str:token>.ics", public.MemberFeedView.as_view(), name="member_feed"),
]
