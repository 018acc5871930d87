"""Dated changes run nightly by members.tasks: terms ending, leave beginning and lapsing."""

from __future__ import annotations

import datetime

from django.db import transaction

from members.models import (
    SEAT_HOLDING_STATUSES,
    LeaveOfAbsence,
    Membership,
    MembershipEventKind,
    MembershipStatus,
)
from members.services._common import MEMBERSHIP_AUDIT_FIELDS, _close_chair_period, _event, _lock
from members.services.leave import leave_begin, leave_lapse
from panels.audit import audit_record, snapshot


@transaction.atomic
def membership_end_term(*, membership: Membership, on: datetime.date) -> Membership:
    """A seat whose term ended before ``on`` with no re-appointment or extension: the seat
    ends on its term's last day. It may still be re-appointed (a late decision)."""
    membership = _lock(membership)
    if (
        membership.status not in SEAT_HOLDING_STATUSES
        or membership.term_ends_on is None
        or membership.term_ends_on >= on
    ):
        return membership
    last_day = membership.term_ends_on
    before = snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
    membership.status = MembershipStatus.TERM_ENDED
    membership.ended_on = last_day
    membership.save(update_fields=["status", "ended_on"])
    _close_chair_period(membership, last_day + datetime.timedelta(days=1))
    _event(
        membership,
        kind=MembershipEventKind.TERM_ENDED,
        on=last_day,
        reason="The term of office ended with no re-appointment or extension recorded.",
    )
    audit_record(
        org=membership.organisation,
        actor=None,
        action="membership.term_ended",
        obj=membership,
        before=before,
        after=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
    )
    return membership


# Rows handled per query in the nightly pass (a large organisation is walked in chunks).
SEAT_DATES_BATCH = 200


def _in_batches(ids: list[int]):
    for start in range(0, len(ids), SEAT_DATES_BATCH):
        yield ids[start : start + SEAT_DATES_BATCH]


def seat_dates_apply(*, org, today: datetime.date) -> dict[str, int]:
    """Bring one organisation's seats in line with their dates: leave that has begun puts a
    seat on leave, leave that has ended makes it active again, a term past its end with no
    re-appointment or extension ends the seat. Each change is its own transaction with a
    history row; running it again the same day changes nothing."""
    counts = {"leave_started": 0, "leave_ended": 0, "terms_ended": 0}
    covering = LeaveOfAbsence.objects.for_org(org).filter(
        starts_on__lte=today, ends_on__gte=today, returned_on__isnull=True
    )
    starting = list(
        covering.filter(membership__status=MembershipStatus.ACTIVE)
        .order_by("id")
        .values_list("id", flat=True)
    )
    for chunk in _in_batches(starting):
        for leave in LeaveOfAbsence.objects.for_org(org).filter(id__in=chunk).order_by("id"):
            if leave_begin(leave=leave, on=today).status == MembershipStatus.ON_LEAVE:
                counts["leave_started"] += 1
    lapsed = list(
        Membership.objects.for_org(org)
        .filter(status=MembershipStatus.ON_LEAVE)
        .exclude(pk__in=covering.values("membership_id"))
        .order_by("id")
        .values_list("id", flat=True)
    )
    for chunk in _in_batches(lapsed):
        for membership in Membership.objects.for_org(org).filter(id__in=chunk).order_by("id"):
            last = (
                LeaveOfAbsence.objects.for_org(org)
                .filter(membership=membership, starts_on__lte=today)
                .order_by("-ends_on")
                .first()
            )
            back_on = min(last.last_day + datetime.timedelta(days=1), today) if last else today
            if leave_lapse(membership=membership, on=back_on).status == MembershipStatus.ACTIVE:
                counts["leave_ended"] += 1
    ending = list(
        Membership.objects.for_org(org)
        .filter(status__in=SEAT_HOLDING_STATUSES, term_ends_on__lt=today)
        .order_by("id")
        .values_list("id", flat=True)
    )
    for chunk in _in_batches(ending):
        for membership in Membership.objects.for_org(org).filter(id__in=chunk).order_by("id"):
            if membership_end_term(membership=membership, on=today).status == (
                MembershipStatus.TERM_ENDED
            ):
                counts["terms_ended"] += 1
    return counts
