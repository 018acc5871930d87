"""CSV exports for officers and the Board: attendance, measures, recommendations, actions.
(The roster's CSV lives with the roster, in members.)"""

import csv

from django.http import HttpResponse
from django.views import View

from panels import permissions
from panels.access import BoardAccessMixin, access_panel_by_slug
from reports.exports import EXPORTS


class ExportCsvView(BoardAccessMixin, View):
    dataset: str = ""

    def get(self, request, *args, **kwargs):
        panel = access_panel_by_slug(org=self.org, panel_slug=kwargs["panel_slug"])
        headers, rows = EXPORTS[self.dataset](panel=panel, viewer=permissions.viewer_of(request))
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{self.org.slug}-{panel.slug}-{self.dataset}.csv"'
        )
        response.write("\ufeff")  # Excel opens UTF-8 correctly with a byte-order mark
        writer = csv.writer(response)
        writer.writerow(headers)
        writer.writerows(rows)
        return response
