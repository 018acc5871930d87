"""Leave of absence: granting, ending, beginning and lapsing."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from members.models import (
    LeaveOfAbsence,
    Membership,
    MembershipEventKind,
    MembershipStatus,
)
from members.services._common import (
    MEMBERSHIP_AUDIT_FIELDS,
    _actor,
    _event,
    _lock,
    _refuse_unless_current,
    _terms_or_refuse,
)
from panels import rules
from panels.audit import audit_record, snapshot
from panels.errors import Reason, raise_if


@transaction.atomic
def leave_grant(
    *,
    membership: Membership,
    starts_on: datetime.date,
    ends_on: datetime.date,
    reason: str = "",
    by=None,
    today: datetime.date | None = None,
) -> LeaveOfAbsence:
    """Grant leave of absence within the ToR's maximum (Stockport: six months)."""
    membership = _lock(membership)
    _refuse_unless_current(membership, "given leave")
    terms = _terms_or_refuse(panel=membership.panel, on=starts_on)
    reasons = rules.leave_refusals(terms=terms, starts_on=starts_on, ends_on=ends_on)
    overlapping = LeaveOfAbsence.objects.for_org(membership.organisation_id).filter(
        membership=membership,
        starts_on__lte=ends_on,
        ends_on__gte=starts_on,
        returned_on__isnull=True,
    )
    if overlapping.exists():
        reasons.append(
            Reason(
                code="leave.overlaps",
                message="This member already has leave covering some of these dates.",
                field="starts_on",
            )
        )
    raise_if(reasons)
    leave = LeaveOfAbsence.objects.create(
        organisation_id=membership.organisation_id,
        membership=membership,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        granted_by=_actor(by),
    )
    today = today or timezone.localdate()
    before = snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
    if starts_on <= today <= ends_on and membership.status == MembershipStatus.ACTIVE:
        membership.status = MembershipStatus.ON_LEAVE
        membership.save(update_fields=["status"])
    _event(
        membership,
        kind=MembershipEventKind.LEAVE_GRANTED,
        on=starts_on,
        by=by,
        reason=reason,
        details={"ends_on": ends_on.isoformat()},
    )
    audit_record(
        org=membership.organisation,
        actor=by,
        action="membership.leave_granted",
        obj=membership,
        before=before,
        after=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
        reason=reason,
    )
    return leave


@transaction.atomic
def leave_end(*, leave: LeaveOfAbsence, returned_on: datetime.date, by=None) -> LeaveOfAbsence:
    """The member returns (early or on time): the seat is active again."""
    membership = _lock(leave.membership)
    leave = LeaveOfAbsence.objects.for_org(leave.organisation_id).get(pk=leave.pk)
    reasons = []
    if leave.returned_on is not None:
        reasons.append(
            Reason(
                code="leave.already_returned",
                message=f"The member already returned on {leave.returned_on:%d %B %Y}.",
            )
        )
    if returned_on < leave.starts_on:
        reasons.append(
            Reason(
                code="leave.dates",
                message="A return cannot precede the leave.",
                field="returned_on",
            )
        )
    raise_if(reasons)
    if returned_on <= leave.ends_on:
        leave.returned_on = returned_on
        leave.save(update_fields=["returned_on"])
    before = snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
    if membership.status == MembershipStatus.ON_LEAVE:
        membership.status = MembershipStatus.ACTIVE
        membership.save(update_fields=["status"])
    _event(membership, kind=MembershipEventKind.LEAVE_ENDED, on=returned_on, by=by)
    audit_record(
        org=membership.organisation,
        actor=by,
        action="membership.leave_ended",
        obj=membership,
        before=before,
        after=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
    )
    return leave


@transaction.atomic
def leave_begin(*, leave: LeaveOfAbsence, on: datetime.date) -> Membership:
    """A granted leave whose first day has come: the seat goes on leave (payments pause
    where the ToR says so). Running it again changes nothing."""
    membership = _lock(leave.membership)
    if membership.status != MembershipStatus.ACTIVE:
        return membership
    before = snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
    membership.status = MembershipStatus.ON_LEAVE
    membership.save(update_fields=["status"])
    _event(
        membership,
        kind=MembershipEventKind.LEAVE_STARTED,
        on=on,
        reason=f"Leave from {leave.starts_on:%d %B %Y} to {leave.ends_on:%d %B %Y} began.",
    )
    audit_record(
        org=membership.organisation,
        actor=None,
        action="membership.leave_started",
        obj=membership,
        before=before,
        after=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
    )
    return membership


@transaction.atomic
def leave_lapse(*, membership: Membership, on: datetime.date) -> Membership:
    """No leave covers the seat any more (its last day has passed): the seat is active."""
    membership = _lock(membership)
    if membership.status != MembershipStatus.ON_LEAVE:
        return membership
    before = snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
    membership.status = MembershipStatus.ACTIVE
    membership.save(update_fields=["status"])
    _event(
        membership,
        kind=MembershipEventKind.LEAVE_ENDED,
        on=on,
        reason="The leave of absence ended.",
    )
    audit_record(
        org=membership.organisation,
        actor=None,
        action="membership.leave_ended",
        obj=membership,
        before=before,
        after=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
    )
    return membership
