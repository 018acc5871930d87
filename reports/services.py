"""Requesting, generating and publishing reports."""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
import logging

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from pypdf import PdfReader

from panelhub.pdf import render_pdf
from panels.audit import audit_record
from panels.errors import RuleViolation
from panels.models import Panel

# The section builders (and matplotlib with them) load once per process, not inside
# the first report a worker builds.
from reports import sections as _sections  # noqa: F401
from reports.models import Report, ReportKind, ReportNarrative, ReportStatus
from reports.selectors import report_data

logger = logging.getLogger(__name__)

PUBLISHABLE_KINDS = {ReportKind.ANNUAL, ReportKind.EFFECTIVENESS}


def _generate_task():
    """The Celery task that builds a report, set by ReportsConfig.ready() from reports.tasks:
    tasks import services, never the reverse."""
    return apps.get_app_config("reports").generate_task


def _check_period(kind: str, start: datetime.date, end: datetime.date, today: datetime.date):
    """Refuse an unknown kind, a period that ends before it starts, or one in the future."""
    if kind not in ReportKind.values:
        raise RuleViolation(
            code="report.kind", message=f"Unknown report kind {kind!r}.", field="kind"
        )
    if end < start:
        raise RuleViolation(
            code="report.period", message="The period ends before it starts.", field="period_end"
        )
    if start > today:
        raise RuleViolation(
            code="report.future",
            message=(
                f"The period starts on {start:%-d %B %Y}, in the future: there is nothing to "
                "report yet."
            ),
            field="period_start",
        )


@transaction.atomic
def narrative_save(
    *,
    panel: Panel,
    kind: str,
    period_start: datetime.date,
    period_end: datetime.date,
    values: dict,
    by,
) -> ReportNarrative:
    """Create or update what officers and the chair write before a report is generated."""
    narrative, _ = ReportNarrative.objects.select_for_update().get_or_create(
        organisation=panel.organisation,
        panel=panel,
        kind=kind,
        period_start=period_start,
        defaults={"period_end": period_end},
    )
    fields = ["summary", "asks_of_board", "outcomes_and_impact", "topics_chosen_and_why"]
    before = {f: getattr(narrative, f) for f in fields}
    for name in fields:
        if name in values:
            setattr(narrative, name, values[name] or "")
    after = {f: getattr(narrative, f) for f in fields}
    if before == after and narrative.period_end == period_end:
        return narrative  # unchanged: a report already made from it stays current
    narrative.period_end = period_end
    narrative.updated_by = by if getattr(by, "is_authenticated", False) else None
    narrative.save()
    if before != after:
        audit_record(
            org=panel.organisation,
            actor=by,
            action="report.narrative_saved",
            obj=narrative,
            before=before,
            after=after,
        )
    return narrative


@transaction.atomic
def report_request(
    *,
    panel: Panel,
    kind: str,
    period_start: datetime.date,
    period_end: datetime.date,
    by,
    today: datetime.date | None = None,
    new_version: bool = False,
) -> Report:
    """Queue a version of a report, true as of the period's end (or ``today`` if sooner);
    a Celery task generates it after commit.

    Asking again for the same report (same period, same as-of date, nothing written for it
    changed since) returns the version already made or being made, not a duplicate;
    ``new_version`` makes a new one anyway (after correcting the data)."""
    from reports.selectors import period_label

    today = today or timezone.localdate()
    _check_period(kind, period_start, period_end, today)
    as_of = min(period_end, today)
    Panel.objects.for_org(panel.organisation_id).select_for_update().get(pk=panel.pk)
    versions = Report.objects.for_org(panel.organisation_id).filter(
        panel=panel, kind=kind, period_start=period_start
    )
    if not new_version:
        same = (
            versions.filter(period_end=period_end, as_of=as_of)
            .exclude(status=ReportStatus.FAILED)
            .order_by("-version")
            .first()
        )
        narrative = (
            ReportNarrative.objects.for_org(panel.organisation_id)
            .filter(panel=panel, kind=kind, period_start=period_start)
            .first()
        )
        if same is not None and (narrative is None or narrative.updated_at <= same.requested_at):
            return same
    latest = versions.aggregate(v=Max("version"))["v"]
    report = Report.objects.create(
        organisation=panel.organisation,
        panel=panel,
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        version=(latest or 0) + 1,
        as_of=as_of,
        title=f"{panel.name} {ReportKind(kind).label.lower()}, "
        f"{period_label(kind, period_start, period_end)}",
        requested_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit_record(
        org=panel.organisation,
        actor=by,
        action="report.requested",
        obj=report,
        after={"kind": kind, "period_start": str(period_start), "version": report.version},
    )
    transaction.on_commit(functools.partial(report_enqueue, report_id=report.pk), robust=True)
    return report


def report_enqueue(*, report_id: int, only_if_queued: bool = False) -> bool:
    """Hand a queued report to a worker. Never raises: with the broker away the report stays
    queued and beat's sweep (``reports.sweep_queued``) enqueues it again once it is back.
    Returns whether the broker took it."""
    try:
        # No publish retries: a request must not wait for a broker that is away.
        _generate_task().apply_async(
            args=(report_id,), kwargs={"only_if_queued": only_if_queued}, retry=False
        )
    except Exception as exc:  # noqa: BLE001 - kombu, redis and socket errors alike
        logger.warning(
            "reports: could not enqueue report %s (%s: %s); the sweep picks it up",
            report_id,
            type(exc).__name__,
            exc,
        )
        return False
    return True


# A queued report nobody started after this long was lost on its way to a worker (the
# broker was away, or dropped the message): the sweep hands it out again.
STALE_QUEUED_SECONDS = 120


def reports_sweep_queued(*, now: datetime.datetime | None = None) -> int:
    """Enqueue again every report still queued STALE_QUEUED_SECONDS after it was requested
    (beat runs this every two minutes). The task it enqueues builds the report only if it
    is still queued then, so a report already taken by a worker is not built twice."""
    from django_scopes import scopes_disabled

    now = now or timezone.now()
    with scopes_disabled():  # the sweep serves every organisation
        stale = list(
            Report.objects.filter(
                status=ReportStatus.QUEUED,
                requested_at__lte=now - datetime.timedelta(seconds=STALE_QUEUED_SECONDS),
            ).values_list("pk", flat=True)
        )
    return sum(report_enqueue(report_id=pk, only_if_queued=True) for pk in stale)


def _progress(report: Report, percent: int, note: str) -> None:
    report.progress, report.progress_note = percent, note
    report.save(update_fields=["progress", "progress_note"])


def report_build(*, report: Report, now: datetime.datetime | None = None) -> Report:
    """Read the data, render the PDF, store it with its checksum. Idempotent: a report that is
    already ready is left as it is, so a retried task never makes a second file."""
    if report.status == ReportStatus.READY:
        return report
    now = now or timezone.now()
    report.status = ReportStatus.RUNNING
    report.error = ""
    report.save(update_fields=["status", "error"])
    _progress(report, 10, "Reading the panel's data")
    data = report_data(
        panel=report.panel,
        kind=report.kind,
        period_start=report.period_start,
        period_end=report.period_end,
        snapshot_at=now,
        as_of=report.as_of,
    )
    _progress(report, 60, "Laying out the PDF")
    pdf = render_pdf(
        "reports/pdf/report.html",
        {
            "report": data,
            "kind_label": ReportKind(report.kind).label,
            "version": report.version,
            "interim": data.interim,
        },
    )
    _progress(report, 90, "Storing the file")
    report.checksum = hashlib.sha256(pdf).hexdigest()
    report.size = len(pdf)
    report.page_count = len(PdfReader(io.BytesIO(pdf)).pages)
    report.file.save(report.filename, ContentFile(pdf), save=False)
    report.snapshot_at = now
    report.as_of = data.as_of
    report.generated_at = timezone.now()
    report.status = ReportStatus.READY
    report.progress, report.progress_note = 100, "Ready"
    report.save(
        update_fields=[
            "checksum",
            "size",
            "page_count",
            "file",
            "snapshot_at",
            "as_of",
            "generated_at",
            "status",
            "progress",
            "progress_note",
        ]
    )
    return report


def report_fail(*, report: Report, error: str) -> None:
    report.status = ReportStatus.FAILED
    report.error = error[:2000]
    report.save(update_fields=["status", "error"])


@transaction.atomic
def report_sign_off(*, report: Report, by) -> Report:
    """An officer has read the generated report and signs it off for the Board (and, for an
    annual report, for publication). Signing off twice keeps the first sign-off."""
    if report.status != ReportStatus.READY:
        raise RuleViolation(code="report.not_ready", message="The report is not generated yet.")
    if report.signed_off_at is not None:
        return report
    report.signed_off_at = timezone.now()
    report.signed_off_by = by if getattr(by, "is_authenticated", False) else None
    report.save(update_fields=["signed_off_at", "signed_off_by"])
    audit_record(org=report.organisation, actor=by, action="report.signed_off", obj=report)
    return report


@transaction.atomic
def report_publish(*, report: Report, publish: bool, by) -> Report:
    """Show (or hide) an annual report or effectiveness review on the public page, once an
    officer has signed it off. Earlier published versions stay listed (version history)."""
    if publish and report.kind not in PUBLISHABLE_KINDS:
        raise RuleViolation(
            code="report.not_publishable",
            message=(
                "Only annual reports and effectiveness reviews are published to the public; "
                "quarterly Board reports stay with the Board."
            ),
        )
    if publish and report.status != ReportStatus.READY:
        raise RuleViolation(code="report.not_ready", message="The report is not generated yet.")
    if publish and report.signed_off_at is None:
        raise RuleViolation(
            code="report.not_signed_off",
            message="An officer must sign the report off before it is published.",
        )
    report.is_published = publish
    report.published_at = timezone.now() if publish else None
    report.save(update_fields=["is_published", "published_at"])
    audit_record(
        org=report.organisation,
        actor=by,
        action="report.published" if publish else "report.unpublished",
        obj=report,
    )
    return report
