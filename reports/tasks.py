import logging

from celery import shared_task
from django_scopes import scopes_disabled

from panels.tenancy import org_scope
from reports.models import Report, ReportStatus

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def report_generate(report_id: int, only_if_queued: bool = False) -> None:
    """Generate one report version (idempotent: a ready report is left as it is; sent by
    the sweep, ``only_if_queued``, a report a worker already started is left to it).

    A failure is recorded on the report, shown to the officer, and not retried: the same
    data would fail the same way; the officer regenerates after fixing it."""
    from reports.services import report_build, report_fail

    with scopes_disabled():
        report = Report.objects.select_related("organisation", "panel").filter(pk=report_id).first()
    if report is None:
        return
    if only_if_queued:
        # Taken atomically, so two sweeps' tasks never build the same report twice.
        with scopes_disabled():
            taken = Report.objects.filter(pk=report_id, status=ReportStatus.QUEUED).update(
                status=ReportStatus.RUNNING
            )
        if not taken:
            return
    with org_scope(report.organisation):
        try:
            report_build(report=report)
        except Exception as exc:
            logger.exception("Report %s failed", report_id)
            report_fail(report=report, error=f"{type(exc).__name__}: {exc}")


@shared_task(name="reports.sweep_queued", acks_late=True, ignore_result=True)
def reports_sweep() -> int:
    """Enqueue again reports left queued (lost while the broker was away)."""
    from reports.services import reports_sweep_queued

    return reports_sweep_queued()


@shared_task(name="reports.generate_due", acks_late=True)
def reports_generate_due() -> int:
    """Daily (Celery beat): make each panel's quarterly report after its quarter ends and its
    annual report after the year ends, once (reports.schedule). Returns how many were made."""
    from django.utils import timezone

    from panels.models import Organisation
    from reports.schedule import reports_generate_due as generate

    today = timezone.localdate()
    made = 0
    with scopes_disabled():
        organisations = list(Organisation.objects.order_by("pk"))
    for org in organisations:
        with org_scope(org):
            made += len(generate(org=org, today=today))
    return made
