"""Celery tasks: thin wrappers that take no rows (they re-read the ledger) and are safe to
run twice at once. acks_late: a task lost with its worker is delivered again."""

from celery import shared_task
from django.utils import timezone


@shared_task(name="notices.dispatch", acks_late=True, ignore_result=True)
def notices_dispatch() -> dict:
    """Send every due notice (beat runs it every minute; a change due now enqueues it)."""
    from notices.delivery import dispatch_due

    report = dispatch_due()
    return {"sent": report.sent, "retrying": report.retrying, "failed": report.failed}


@shared_task(name="notices.forget_expired_secrets", acks_late=True, ignore_result=True)
def notices_forget_expired_secrets() -> dict:
    """Delete the private links of account emails once they expire (notices.messages)."""
    from notices.messages import secrets_forget_expired

    return secrets_forget_expired()


@shared_task(name="notices.plan_daily", acks_late=True, ignore_result=True)
def notices_plan_daily() -> dict:
    """Re-plan the time-based notices and record missed deadlines as breaches."""
    from notices.daily import plan_daily

    return plan_daily(today=timezone.localdate())
