"""The live ToR compliance page of a panel: the same figures as a report's section."""

import datetime

from django.utils import timezone
from django.views.generic import TemplateView

from panels.access import BoardAccessMixin, access_panel_by_slug
from reports.compliance import panel_compliance
from reports.selectors import quarter_bounds


def _int(value, default: int, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if low <= number <= high else default


class PanelComplianceView(BoardAccessMixin, TemplateView):
    template_name = "reports/compliance.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        panel = access_panel_by_slug(org=self.org, panel_slug=self.kwargs["panel_slug"])
        year = _int(self.request.GET.get("year"), today.year, 2000, 2100)
        quarter = self.request.GET.get("quarter")
        if quarter:
            start, end = quarter_bounds(year, _int(quarter, 1, 1, 4))
        else:
            start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        context.update(
            panel=panel,
            year=year,
            quarter=quarter or "",
            start=start,
            end=end,
            compliance=panel_compliance(panel=panel, start=start, end=end, today=today),
            years=range(today.year - 3, today.year + 2),
        )
        return context
