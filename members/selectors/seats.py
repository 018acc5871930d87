"""Seats: who holds which seat on a date, chair years, the roster and seat pages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from members.models import (
    CURRENT_STATUSES,
    SEAT_HOLDING_STATUSES,
    ChairPeriod,
    Declaration,
    LeaveOfAbsence,
    Membership,
    MembershipStatus,
    Person,
    RemovalFlag,
    SeatRole,
    TrainingRecord,
)
from members.selectors.eligibility import facts_from
from panels import rules
from panels.errors import Reason
from panels.models import Panel
from panels.selectors import terms_in_force
from panels.tenancy import get_for_org_or_404


def seat_panel_ids(*, org, user, on: datetime.date) -> list[int]:
    """Ids of the panels where the user holds a seat on a date (active or on leave): what
    "own panel" means in the permission matrix (panels.permissions)."""
    return list(
        Membership.objects.for_org(org)
        .filter(person__user=user, starts_on__lte=on)
        .filter(Q(status__in=CURRENT_STATUSES, ended_on__isnull=True) | Q(ended_on__gt=on))
        .values_list("panel_id", flat=True)
        .distinct()
    )


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


def seats_on_panel(*, panel: Panel, exclude_id: int | None = None) -> list[rules.Seat]:
    """The seats that hold a place on the panel now, as the seat rules see them."""
    rows = (
        Membership.objects.for_org(panel.organisation_id)
        .filter(panel=panel, status__in=SEAT_HOLDING_STATUSES)
        .exclude(pk=exclude_id)
        .values_list("role", "person__tenure_type", "person__household_reference")
    )
    return [rules.Seat(role=r, tenure_type=t, household_reference=h or "") for r, t, h in rows]


def chair_years(*, membership: Membership, on: datetime.date, role: str = "chair") -> float:
    """Years the person has held the role on this panel up to a date (all their seats), in
    calendar periods as terms are counted (panels.rules.years_served)."""
    periods = ChairPeriod.objects.for_org(membership.organisation_id).filter(
        membership__person_id=membership.person_id,
        membership__panel_id=membership.panel_id,
        role=role,
        starts_on__lte=on,
    )
    return rules.years_served([(p.starts_on, p.ends_on) for p in periods], on)


TERM_ENDING_WITHIN_DAYS = rules.TERM_ENDING_WINDOW_DAYS


@dataclass
class RosterRow:
    membership: Membership
    is_voting: bool
    term_ending_soon: bool
    training_missing: bool
    eligibility_reasons: list[Reason]
    removal_flag: RemovalFlag | None
    on_leave_until: datetime.date | None
    term_passed: bool = False

    @property
    def flags(self) -> list[str]:
        flags = []
        if self.term_passed:
            flags.append("Term has ended: re-appoint, extend or end the seat")
        if self.term_ending_soon:
            flags.append(f"Term ends within {TERM_ENDING_WITHIN_DAYS} days")
        if self.training_missing:
            flags.append("Training missing")
        if self.eligibility_reasons:
            flags.append("Eligibility changed")
        if self.removal_flag:
            flags.append("Flagged for removal")
        return flags


@dataclass
class Roster:
    panel: Panel
    on: datetime.date
    terms: object
    rows: list[RosterRow]
    operating: rules.OperatingState | None

    @property
    def below_minimum(self) -> bool:
        return self.operating is not None and not self.operating.can_operate


def roster(*, panel: Panel, on: datetime.date) -> Roster:
    """The panel's seats on a date with the flags officers act on: term ending within 90
    days, training missing, eligibility changed, flagged for removal, and whether the panel
    has the members it needs to operate. A fixed number of queries, whatever its size."""
    terms = terms_in_force(panel=panel, on=on)
    memberships = list(
        Membership.objects.for_org(panel.organisation_id)
        .filter(panel=panel, status__in=SEAT_HOLDING_STATUSES)
        .select_related("person")
        .prefetch_related(
            Prefetch(
                "person__declarations",
                queryset=Declaration.objects.for_org(panel.organisation_id),
            ),
            Prefetch(
                "person__training",
                queryset=TrainingRecord.objects.for_org(panel.organisation_id),
            ),
            Prefetch(
                "removal_flags",
                queryset=RemovalFlag.objects.for_org(panel.organisation_id).filter(decision=""),
            ),
            Prefetch(
                "leaves",
                queryset=LeaveOfAbsence.objects.for_org(panel.organisation_id).filter(
                    starts_on__lte=on, ends_on__gte=on, returned_on__isnull=True
                ),
            ),
        )
        .order_by("person__last_name", "person__first_name", "id")
    )
    households: dict[str, int] = {}
    for m in memberships:
        if m.person.household_reference:
            key = m.person.household_reference
            households[key] = households.get(key, 0) + 1
    rows = []
    for m in memberships:
        person = m.person
        reasons: list[Reason] = []
        if terms is not None:
            facts = facts_from(
                person=person,
                declarations=person.declarations.all(),
                training=person.training.all(),
                on=on,
                household_member_on_panel=households.get(person.household_reference, 0) > 1,
                recruitment_completed=True,
            )
            reasons = [
                r
                for r in rules.eligibility_reasons(
                    terms=terms, facts=facts, today=on, seat_role=m.role
                )
                if not (
                    r.code == "eligibility.core_training_completed"
                    and m.status == MembershipStatus.PENDING_TRAINING
                )
            ]
        flags = list(m.removal_flags.all())
        leaves = list(m.leaves.all())
        rows.append(
            RosterRow(
                membership=m,
                is_voting=terms is not None and rules.is_voting_member(terms, m.role),
                term_ending_soon=rules.term_ending_within(
                    m.term_ends_on, on, TERM_ENDING_WITHIN_DAYS
                ),
                training_missing=not person.training.all(),
                eligibility_reasons=reasons,
                removal_flag=flags[0] if flags else None,
                on_leave_until=leaves[0].ends_on if leaves else None,
                term_passed=rules.term_ended(m.term_ends_on, on),
            )
        )
    operating = None
    if terms is not None:
        operating = rules.operating_state(
            terms=terms,
            current=[
                rules.Seat(role=m.role, tenure_type=m.person.tenure_type)
                for m in memberships
                if m.status in CURRENT_STATUSES
            ],
        )
    return Roster(panel=panel, on=on, terms=terms, rows=rows, operating=operating)


def membership_for_officer(*, org, membership_id) -> Membership:
    return get_for_org_or_404(Membership, org=org, pk=membership_id)


def role_voting(*, membership: Membership, on: datetime.date | None = None) -> str:
    """Which roles vote on this seat's panel, in the ToR's words (for the role change page)."""
    on = on or timezone.localdate()
    terms = terms_in_force(panel=membership.panel, on=on)
    if terms is None:
        return "No terms of reference in force."
    labels = dict(SeatRole.choices)
    voting = [labels[r] for r in labels if rules.is_voting_member(terms, r)]
    others = [labels[r] for r in labels if not rules.is_voting_member(terms, r)]
    return f"Voting: {', '.join(voting)}. Not voting: {', '.join(others)}."


def removal_appeal_note(*, membership: Membership, on: datetime.date | None = None) -> str:
    """The appeal a removal would carry under the ToR in force, in plain words."""
    terms = terms_in_force(panel=membership.panel, on=on or timezone.localdate())
    if terms is None or not terms.removal_appeal_to:
        return "The terms of reference provide no appeal against removal."
    final = ", whose decision is final" if terms.removal_appeal_final else ""
    return (
        f"If removed, the member may appeal in writing to the {terms.removal_appeal_to}{final} "
        f"({rules.source_of(terms, 'Removal')})."
    )


def open_removal_flag(*, membership: Membership):
    """The seat's removal flag awaiting the panel's decision, if any."""
    return (
        RemovalFlag.objects.for_org(membership.organisation_id)
        .filter(membership=membership, decision=RemovalFlag.Decision.PENDING)
        .first()
    )


def own_seats(*, person: Person) -> QuerySet[Membership]:
    """A person's current seats (to claim expenses against)."""
    return (
        Membership.objects.for_org(person.organisation_id)
        .filter(person=person, status__in=CURRENT_STATUSES)
        .select_related("panel")
        .order_by("panel__name")
    )


def current_seats(*, panel: Panel) -> QuerySet[Membership]:
    """Seats active or on leave now on a panel, with people (for choices in forms)."""
    return (
        Membership.objects.for_org(panel.organisation_id)
        .filter(panel=panel, status__in=CURRENT_STATUSES)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "id")
    )


def seats_on_leave(*, org, membership_ids, on: datetime.date) -> dict[int, LeaveOfAbsence]:
    """{seat id: its leave of absence} for the seats on leave on a date (granted leave that
    covers the day and was not ended early by a return). One query."""
    leaves = (
        LeaveOfAbsence.objects.for_org(org)
        .filter(membership_id__in=list(membership_ids), starts_on__lte=on, ends_on__gte=on)
        .filter(Q(returned_on__isnull=True) | Q(returned_on__gt=on))
        .order_by("starts_on", "id")
    )
    return {leave.membership_id: leave for leave in leaves}
