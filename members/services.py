"""Changes to people, seats, recruitment, conduct and money. Every rule comes from
panels.rules and the terms of reference in force on the date concerned."""

from __future__ import annotations

import datetime

from django.db import transaction

from members.models import (
    Membership,
    MembershipEvent,
    MembershipEventKind,
    MembershipStatus,
    RemovalFlag,
)
from panels import rules
from panels.audit import audit_record, snapshot
from panels.errors import Reason, RuleViolation
from panels.selectors import terms_in_force

MEMBERSHIP_AUDIT_FIELDS = [
    "role",
    "status",
    "starts_on",
    "term_number",
    "term_ends_on",
    "ended_on",
    "first_started_on",
    "rejoin_barred_until",
]


def _terms_or_refuse(*, panel, on: datetime.date):
    terms = terms_in_force(panel=panel, on=on)
    if terms is None:
        raise RuleViolation(
            code="terms.none_in_force",
            message=f"{panel.name} has no terms of reference in force on {on:%d %B %Y}.",
        )
    return terms


def _lock(membership: Membership) -> Membership:
    return (
        Membership.objects.for_org(membership.organisation_id)
        .select_for_update()
        .get(pk=membership.pk)
    )


def _event(
    membership: Membership,
    *,
    kind: str,
    on: datetime.date,
    by=None,
    reason: str = "",
    decided_by: str = "",
    details: dict | None = None,
) -> MembershipEvent:
    return MembershipEvent.objects.create(
        organisation_id=membership.organisation_id,
        membership=membership,
        kind=kind,
        on=on,
        by=by if getattr(by, "is_authenticated", False) else None,
        reason=reason,
        decided_by=decided_by,
        details=details or {},
    )


def _refuse_unless_current(membership: Membership, action: str) -> None:
    if membership.status not in (MembershipStatus.ACTIVE, MembershipStatus.ON_LEAVE):
        raise RuleViolation(
            code="membership.not_current",
            message=(
                f"This seat is {membership.get_status_display().lower()}: it cannot be {action}."
            ),
        )


@transaction.atomic
def membership_retire_for_attendance(
    *, membership: Membership, on: datetime.date, reason: str, by=None
) -> Membership:
    """Retire a member automatically after the ToR's run of absences, and record the bar on
    rejoining (IVH: three in a row; no re-application for three years)."""
    membership = _lock(membership)
    if membership.status == MembershipStatus.RETIRED_BY_ATTENDANCE:
        return membership
    _refuse_unless_current(membership, "retired")
    terms = _terms_or_refuse(panel=membership.panel, on=on)
    consequence = rules.attendance_consequence(
        terms=terms, consecutive_unexplained=terms.absence_limit or 0, on_date=on
    )
    before = snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
    membership.status = MembershipStatus.RETIRED_BY_ATTENDANCE
    membership.ended_on = on
    membership.rejoin_barred_until = consequence.rejoin_barred_until
    membership.save(update_fields=["status", "ended_on", "rejoin_barred_until"])
    _event(
        membership,
        kind=MembershipEventKind.RETIRED_ATTENDANCE,
        on=on,
        by=by,
        reason=reason,
        details={
            "rejoin_barred_until": (
                consequence.rejoin_barred_until.isoformat()
                if consequence.rejoin_barred_until
                else None
            ),
            "source": consequence.source,
        },
    )
    audit_record(
        org=membership.organisation,
        actor=by,
        action="membership.retired_attendance",
        obj=membership,
        before=before,
        after=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
        reason=reason,
    )
    return membership


@transaction.atomic
def membership_flag_for_removal(
    *, membership: Membership, on: datetime.date, reason: str, by=None
) -> RemovalFlag:
    """Flag a member the ToR says may be removed after absences (Stockport: two in a row);
    the panel decides. Raising it again for the same run changes nothing."""
    membership = _lock(membership)
    open_flag = RemovalFlag.objects.for_org(membership.organisation_id).filter(
        membership=membership, decision=RemovalFlag.Decision.PENDING
    )
    existing = open_flag.first()
    if existing is not None:
        return existing
    flag = RemovalFlag.objects.create(
        organisation_id=membership.organisation_id,
        membership=membership,
        raised_on=on,
        reason=reason,
        raised_by=by if getattr(by, "is_authenticated", False) else None,
    )
    _event(membership, kind=MembershipEventKind.FLAGGED, on=on, by=by, reason=reason)
    audit_record(
        org=membership.organisation,
        actor=by,
        action="membership.flagged_for_removal",
        obj=membership,
        after={"flag": flag.pk, "raised_on": on.isoformat()},
        reason=reason,
    )
    return flag


__all__ = ["Reason", "membership_flag_for_removal", "membership_retire_for_attendance"]
