"""Report pages for the Board, officers and admins of the organisation."""

from django.http import FileResponse, Http404
from django.views import View
from django.views.generic import DetailView, ListView

from panels.access import BoardAccessMixin, PolicyAccessMixin, access_row
from panels.files import file_response
from panels.tenancy import get_for_org_or_404
from reports.models import Report, ReportStatus
from reports.selectors import report_list


class ReportListView(BoardAccessMixin, ListView):
    template_name = "reports/report_list.html"
    context_object_name = "reports"
    paginate_by = 50

    def get_queryset(self):
        return report_list(org=self.org)


class ReportDetailView(BoardAccessMixin, DetailView):
    template_name = "reports/report_detail.html"
    context_object_name = "report"
    model = Report

    def get_object(self, queryset=None):
        return get_for_org_or_404(Report, org=self.org, pk=self.kwargs["report_id"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["in_progress"] = self.object.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)
        return context


def report_file_response(report: Report) -> FileResponse:
    """The stored PDF exactly as generated: the same bytes on every download."""
    if report.status != ReportStatus.READY or not report.file:
        raise Http404("This report has not been generated.")
    response = file_response(
        fieldfile=report.file,
        filename=report.filename,
        missing="This report's PDF is missing from storage: an officer can generate it again.",
        attachment=True,
    )
    response["ETag"] = f'"{report.checksum}"'
    response["Cache-Control"] = "private, max-age=0"
    return response


class ReportDownloadView(PolicyAccessMixin, View):
    policy = ("report", "download")

    def get(self, request, *args, **kwargs):
        report = access_row(
            Report, request=request, subject="report", action="download", pk=kwargs["report_id"]
        )
        return report_file_response(report)
