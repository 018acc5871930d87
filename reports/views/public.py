"""Published annual reports, for the wider tenant body (no login)."""

from django.views import View
from django.views.generic import ListView

from panels.access import PublicAccessMixin
from panels.tenancy import get_for_org_or_404
from reports.models import Report
from reports.selectors import report_list
from reports.views.board import report_file_response


class PublishedReportListView(PublicAccessMixin, ListView):
    template_name = "reports/published_list.html"
    context_object_name = "reports"

    def get_queryset(self):
        return report_list(org=self.org).filter(
            is_published=True, status="ready", panel__is_public=True
        )


class PublishedReportDownloadView(PublicAccessMixin, View):
    def get(self, request, *args, **kwargs):
        report = get_for_org_or_404(
            Report, org=self.org, pk=kwargs["report_id"], is_published=True, panel__is_public=True
        )
        return report_file_response(report)
