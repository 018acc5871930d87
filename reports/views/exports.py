"""CSV exports for officers and the Board: attendance, measures, recommendations, actions.
(The roster's CSV lives with the roster, in members.)"""

from django.views import View

from panels import permissions
from panels.access import BoardAccessMixin, access_panel_by_slug
from panels.spreadsheet import csv_response
from reports.exports import EXPORTS


class ExportCsvView(BoardAccessMixin, View):
    dataset: str = ""

    def get(self, request, *args, **kwargs):
        panel = access_panel_by_slug(org=self.org, panel_slug=kwargs["panel_slug"])
        headers, rows = EXPORTS[self.dataset](panel=panel, viewer=permissions.viewer_of(request))
        return csv_response(
            filename=f"{self.org.slug}-{panel.slug}-{self.dataset}.csv", headers=headers, rows=rows
        )
