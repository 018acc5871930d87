"""Celery tasks for seats. Thin: they take no rows, re-read them and are safe to run twice."""

import datetime

from celery import shared_task
from django.utils import timezone

SEAT_DATES_TASK = "members.seat_dates_nightly"


@shared_task(name=SEAT_DATES_TASK, acks_late=True, ignore_result=True)
def members_seat_dates_nightly(today: str | None = None) -> dict:
    """Nightly: move seats onto and off leave by date and end terms that have run out, in
    every organisation, writing a history row for each change. Idempotent."""
    from members.services import seat_dates_apply
    from panels.models import Organisation
    from panels.tenancy import org_scope

    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    totals: dict[str, int] = {}
    for org in Organisation.objects.order_by("pk"):
        with org_scope(org):
            for key, count in seat_dates_apply(org=org, today=day).items():
                totals[key] = totals.get(key, 0) + count
    return totals
