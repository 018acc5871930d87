from django.urls import path

from notices.views import member, officer

app_name = "notices"

urlpatterns = [
    path("", officer.NoticeListView.as_view(), name="officer_list"),
    path("<int:notice_id>/retry/", officer.NoticeRetryView.as_view(), name="notice_retry"),
    path("print-queue/", officer.PrintQueueView.as_view(), name="print_queue"),
    path("letters/<int:letter_id>/pdf/", officer.LetterPdfView.as_view(), name="letter_pdf"),
    path(
        "letters/<int:letter_id>/printed/",
        officer.LetterPrintedView.as_view(),
        name="letter_printed",
    ),
    path(
        "panels/<slug:panel_slug>/compliance/",
        officer.ComplianceView.as_view(),
        name="compliance",
    ),
    path("inbox/", member.InboxView.as_view(), name="inbox"),
    path(
        "inbox/<int:notification_id>/read/",
        member.NotificationReadView.as_view(),
        name="notification_read",
    ),
    path("preferences/", member.PreferencesView.as_view(), name="preferences"),
    path(
        "people/<int:person_id>/preferences/",
        officer.PersonPreferencesView.as_view(),
        name="person_preferences",
    ),
]
