"""Reports that exist when they should: after each quarter ends its quarterly Board report
is generated, and after each year ends its annual report (Celery beat, daily; docs/reports.md).

Idempotent: a period that already has a version true as of its end (queued, being made or
ready) is left alone, so running the task twice, or on two workers, makes one version. An
officer then reads it, signs it off and (for annual reports) publishes it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from panels.models import Organisation, Panel
from panels.selectors import terms_in_force_for_panels
from reports.models import Report, ReportKind, ReportStatus
from reports.selectors import quarter_bounds


@dataclass(frozen=True)
class DuePeriod:
    kind: str
    start: datetime.date
    end: datetime.date


def periods_due(*, today: datetime.date) -> list[DuePeriod]:
    """The periods whose report is due on ``today``: the last quarter that has ended, and the
    last year that has ended."""
    quarter = (today.month - 1) // 3 + 1
    year, last = (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)
    q_start, q_end = quarter_bounds(year, last)
    due = [DuePeriod(ReportKind.QUARTERLY, q_start, q_end)]
    due.append(
        DuePeriod(
            ReportKind.ANNUAL,
            datetime.date(today.year - 1, 1, 1),
            datetime.date(today.year - 1, 12, 31),
        )
    )
    return due


def report_ensure(
    *, panel: Panel, kind: str, start: datetime.date, end: datetime.date, today: datetime.date
) -> tuple[Report, bool]:
    """The version of the report true as of the period's end, made if there is none yet.
    Returns (report, created)."""
    from reports.services import report_request

    with transaction.atomic():
        Panel.objects.for_org(panel.organisation_id).select_for_update().get(pk=panel.pk)
        existing = (
            Report.objects.for_org(panel.organisation_id)
            .filter(panel=panel, kind=kind, period_start=start, period_end=end, as_of=end)
            .exclude(status=ReportStatus.FAILED)
            .order_by("-version")
            .first()
        )
        if existing is not None:
            return existing, False
        report = report_request(
            panel=panel,
            kind=kind,
            period_start=start,
            period_end=end,
            by=None,
            today=today,
            new_version=True,
        )
    return report, True


def reports_generate_due(*, org: Organisation, today: datetime.date) -> list[Report]:
    """Make the due quarterly and annual reports of every panel of the organisation that had
    terms of reference in force at the period's end. Returns the versions made now."""
    panels = list(Panel.objects.for_org(org).order_by("name"))
    made = []
    for period in periods_due(today=today):
        in_force = terms_in_force_for_panels(org=org, panels=panels, on=period.end)
        for panel in panels:
            if panel.pk not in in_force:
                continue
            report, created = report_ensure(
                panel=panel, kind=period.kind, start=period.start, end=period.end, today=today
            )
            if created:
                made.append(report)
    return made
