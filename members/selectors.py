"""Reads about people, seats, recruitment and money. Every query is scoped with .for_org."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from members.models import CURRENT_STATUSES, Membership
from panels.models import Panel


def current_memberships(*, panel: Panel, on: datetime.date) -> QuerySet[Membership]:
    """Seats active or on leave on a date (started by then, not ended before it), with people.

    Used by the meetings app for quorum and registers.
    """
    return (
        Membership.objects.for_org(panel.organisation_id)
        .filter(panel=panel, starts_on__lte=on)
        .filter(Q(status__in=CURRENT_STATUSES, ended_on__isnull=True) | Q(ended_on__gt=on))
        .select_related("person", "panel")
        .order_by("person__last_name", "person__first_name", "id")
    )
