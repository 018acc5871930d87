"""Helpers shared by the members services: terms in force, row locks, seat events."""

from __future__ import annotations

import datetime

from members.models import (
    ChairPeriod,
    Membership,
    MembershipEvent,
    MembershipStatus,
    SeatRole,
)
from panels.errors import RuleViolation
from panels.models import Panel
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


def _actor(by):
    return by if getattr(by, "is_authenticated", False) else None


CHAIR_ROLES = (SeatRole.CHAIR, SeatRole.VICE_CHAIR)


# Satisfied by completing recruitment itself, so not asked of an applicant.
DEFERRED_AT_APPLICATION = {
    "eligibility.recruitment_completed",
    "eligibility.core_training_completed",
}


def _lock_panel(panel: Panel) -> Panel:
    # Seats on one panel are filled one at a time: the maximum and caps are counted safely.
    return Panel.objects.for_org(panel.organisation_id).select_for_update().get(pk=panel.pk)


def _close_chair_period(membership: Membership, on: datetime.date) -> None:
    ChairPeriod.objects.for_org(membership.organisation_id).filter(
        membership=membership, ends_on__isnull=True
    ).update(ends_on=on - datetime.timedelta(days=1))


def _open_chair_period(membership: Membership, role: str, on: datetime.date) -> None:
    if role in CHAIR_ROLES:
        ChairPeriod.objects.create(
            organisation_id=membership.organisation_id,
            membership=membership,
            role=role,
            starts_on=on,
        )
