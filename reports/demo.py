"""A generated quarterly Board report for each demo organisation's main panel. Idempotent."""

import datetime

from panels.demo import DEMO_ORGANISATIONS, main_panel
from panels.models import Organisation
from panels.tenancy import org_scope
from reports.compliance import panel_cadence
from reports.models import Report, ReportKind
from reports.selectors import quarter_bounds
from reports.services import narrative_save, report_build

DEMO_YEAR, DEMO_QUARTER = 2026, 3


def seed() -> None:
    start, end = quarter_bounds(DEMO_YEAR, DEMO_QUARTER)
    for spec in DEMO_ORGANISATIONS:
        org = Organisation.objects.get(slug=spec.slug)
        with org_scope(org):
            panel = main_panel(org)
            if Report.objects.for_org(org).filter(panel=panel).exists():
                continue
            narrative_save(
                panel=panel,
                kind=ReportKind.QUARTERLY,
                period_start=start,
                period_end=end,
                values={
                    # The sentence comes from the same cadence figures the report shows.
                    "summary": panel_cadence(panel=panel, year=DEMO_YEAR, as_of=end).message
                    if panel_cadence(panel=panel, year=DEMO_YEAR, as_of=end)
                    else "",
                    "asks_of_board": "To respond in writing to the panel's recommendations "
                    "by the dates set.",
                },
                by=None,
            )
            report = Report.objects.create(
                organisation=org,
                panel=panel,
                kind=ReportKind.QUARTERLY,
                period_start=start,
                period_end=end,
                version=1,
                title=f"{panel.name} quarterly Board report, Q{DEMO_QUARTER} {DEMO_YEAR}",
                as_of=end,
            )
            report_build(
                report=report, now=datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC)
            )
