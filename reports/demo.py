"""Reports for each demo organisation's main panel: the last ended quarter's Board report
and last year's annual report, signed off and published, so the public page lists it.
The summaries are written from the same figures the report shows. Idempotent."""

from django.utils import timezone

from panels.demo import DEMO_ORGANISATIONS, main_panel
from panels.models import Organisation
from panels.tenancy import org_scope
from reports.compliance import panel_compliance
from reports.models import Report, ReportKind
from reports.schedule import periods_due
from reports.services import narrative_save, report_build, report_publish, report_sign_off


def seed() -> None:
    today = timezone.localdate()
    for spec in DEMO_ORGANISATIONS:
        org = Organisation.objects.get(slug=spec.slug)
        with org_scope(org):
            panel = main_panel(org)
            if Report.objects.for_org(org).filter(panel=panel).exists():
                continue
            for period in periods_due(today=today):
                figures = panel_compliance(
                    panel=panel, start=period.start, end=period.end, today=period.end
                )
                late = len(figures.breaches)
                narrative_save(
                    panel=panel,
                    kind=period.kind,
                    period_start=period.start,
                    period_end=period.end,
                    values={
                        # Written from the same figures the report shows.
                        "summary": f"The panel met {figures.held} "
                        f"time{'' if figures.held == 1 else 's'} in the period and reviewed "
                        "performance, complaints learning and its work plan. "
                        + (
                            f"{late} deadline{' was' if late == 1 else 's were'} missed or met "
                            "late; the compliance section lists "
                            f"{'it' if late == 1 else 'them'}."
                            if late
                            else "Every deadline of the terms of reference was met."
                        ),
                        "asks_of_board": "To respond in writing to the panel's "
                        "recommendations by the dates set.",
                    },
                    by=None,
                )
                report = Report.objects.create(
                    organisation=org,
                    panel=panel,
                    kind=period.kind,
                    period_start=period.start,
                    period_end=period.end,
                    version=1,
                    as_of=period.end,
                    title=f"{panel.name} {ReportKind(period.kind).label.lower()}, "
                    + (
                        f"Q{(period.start.month - 1) // 3 + 1} {period.start.year}"
                        if period.kind == ReportKind.QUARTERLY
                        else str(period.start.year)
                    ),
                )
                report_build(report=report)
                if period.kind == ReportKind.ANNUAL:
                    report_sign_off(report=report, by=None)
                    report_publish(report=report, publish=True, by=None)
