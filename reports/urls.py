from django.urls import path

from reports.views import board, compliance, exports, officer, public

app_name = "reports"

urlpatterns = [
    path("", board.ReportListView.as_view(), name="list"),
    path("new/", officer.ReportRequestView.as_view(), name="request"),
    path("<int:report_id>/", board.ReportDetailView.as_view(), name="detail"),
    path("<int:report_id>/download/", board.ReportDownloadView.as_view(), name="download"),
    path("<int:report_id>/publish/", officer.ReportPublishView.as_view(), name="publish"),
    path(
        "compliance/<slug:panel_slug>/",
        compliance.PanelComplianceView.as_view(),
        name="compliance",
    ),
    *[
        path(
            f"exports/<slug:panel_slug>/{dataset}.csv",
            exports.ExportCsvView.as_view(dataset=dataset),
            name=f"export_{dataset}",
        )
        for dataset in ("attendance", "measures", "recommendations", "actions")
    ],
    path("published/", public.PublishedReportListView.as_view(), name="published"),
    path(
        "published/<int:report_id>/download/",
        public.PublishedReportDownloadView.as_view(),
        name="published_download",
    ),
]
