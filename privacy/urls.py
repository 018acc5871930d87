from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path(
        "history/person/<int:person_id>/",
        views.HistoryView.as_view(kind="person"),
        name="history_person",
    ),
    path(
        "history/seat/<int:membership_id>/",
        views.HistoryView.as_view(kind="seat"),
        name="history_seat",
    ),
    path(
        "history/meeting/<int:meeting_id>/",
        views.HistoryView.as_view(kind="meeting"),
        name="history_meeting",
    ),
    path(
        "history/minutes/<int:minutes_id>/",
        views.HistoryView.as_view(kind="minutes"),
        name="history_minutes",
    ),
    path(
        "history/review/<int:service_review_id>/",
        views.HistoryView.as_view(kind="review"),
        name="history_review",
    ),
    path(
        "people/<int:person_id>/",
        views.PersonDataView.as_view(),
        name="person_data",
    ),
    path(
        "people/<int:person_id>/erasure/",
        views.ErasureRequestView.as_view(),
        name="erasure_request",
    ),
    path(
        "people/<int:person_id>/erasure/confirm/",
        views.ErasureConfirmView.as_view(),
        name="erasure_confirm",
    ),
    path(
        "people/<int:person_id>/erasure/cancel/",
        views.ErasureCancelView.as_view(),
        name="erasure_cancel",
    ),
    path("retention/", views.RetentionView.as_view(), name="retention"),
    path("retention/edit/", views.RetentionEditView.as_view(), name="retention_edit"),
    path(
        "exports/<int:subject_access_export_id>/download/",
        views.ExportDownloadView.as_view(),
        name="export_download",
    ),
]
