"""Reads about people, seats, recruitment and money. Every query is scoped with .for_org."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from members.models import (
    CURRENT_STATUSES,
    DECLARATION_FACTS,
    SEAT_HOLDING_STATUSES,
    Application,
    ApplicationStatus,
    ChairPeriod,
    Declaration,
    ExpenseClaim,
    LeaveOfAbsence,
    Membership,
    MembershipStatus,
    Person,
    RemovalFlag,
    TrainingKind,
    TrainingRecord,
)
from panels import rules
from panels.errors import Reason
from panels.models import Panel
from panels.selectors import terms_in_force


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


# --- People and eligibility -------------------------------------------------------------


def facts_from(
    *,
    person: Person,
    declarations,
    training,
    on: datetime.date,
    household_member_on_panel: bool = False,
    recruitment_completed: bool = False,
    rejoin_barred_until: datetime.date | None = None,
) -> rules.PersonFacts:
    """PersonFacts from rows already fetched (so lists of people need no query per person)."""
    declared = {d.kind for d in declarations if d.applies_on(on)}
    return rules.PersonFacts(
        date_of_birth=person.date_of_birth,
        tenure_type=person.tenure_type,
        is_current_customer=person.is_customer_on(on),
        household_member_on_panel=household_member_on_panel,
        recruitment_completed=recruitment_completed,
        core_training_completed=any(
            t.kind == TrainingKind.CORE and t.completed_on <= on for t in training
        ),
        rejoin_barred_until=rejoin_barred_until,
        **{field: kind in declared for kind, field in DECLARATION_FACTS.items()},
    )


def person_facts(
    *,
    person: Person,
    on: datetime.date,
    panel: Panel | None = None,
    exclude_membership_id: int | None = None,
) -> rules.PersonFacts:
    """What the eligibility rules need to know about a person on a date (for one panel:
    household, recruitment and the bar on rejoining are per panel)."""
    org = person.organisation_id
    household_on_panel = False
    recruited = False
    barred_until = None
    if panel is not None:
        seats = Membership.objects.for_org(org).filter(panel=panel)
        if person.household_reference:
            household_on_panel = (
                seats.filter(
                    status__in=SEAT_HOLDING_STATUSES,
                    person__household_reference=person.household_reference,
                )
                .exclude(person=person)
                .exclude(pk=exclude_membership_id)
                .exists()
            )
        recruited = (
            Application.objects.for_org(org)
            .filter(
                panel=panel,
                person=person,
                status__in=[ApplicationStatus.SELECTED, ApplicationStatus.APPOINTED],
            )
            .exists()
            or seats.filter(person=person).exists()
        )
        barred_until = (
            seats.filter(person=person, rejoin_barred_until__isnull=False)
            .order_by("-rejoin_barred_until")
            .values_list("rejoin_barred_until", flat=True)
            .first()
        )
    return facts_from(
        person=person,
        declarations=Declaration.objects.for_org(org).filter(person=person),
        training=TrainingRecord.objects.for_org(org).filter(person=person),
        on=on,
        household_member_on_panel=household_on_panel,
        recruitment_completed=recruited,
        rejoin_barred_until=barred_until,
    )


def person_eligibility(
    *, person: Person, panel: Panel, on: datetime.date, seat_role: str | None = None
) -> list[Reason]:
    """Every reason the person may not sit on the panel on that date, from the ToR in force."""
    terms = terms_in_force(panel=panel, on=on)
    if terms is None:
        return [
            Reason(
                code="terms.none_in_force",
                message=f"{panel.name} has no terms of reference in force on {on:%d %B %Y}.",
            )
        ]
    return rules.eligibility_reasons(
        terms=terms,
        facts=person_facts(person=person, on=on, panel=panel),
        today=on,
        seat_role=seat_role,
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
    """Years the person has held the role on this panel up to a date (all their seats)."""
    periods = ChairPeriod.objects.for_org(membership.organisation_id).filter(
        membership__person_id=membership.person_id,
        membership__panel_id=membership.panel_id,
        role=role,
        starts_on__lte=on,
    )
    days = 0
    for period in periods:
        end = min(period.ends_on or on, on)
        days += (end - period.starts_on).days + 1
    return round(days / 365.25, 2)


# --- Roster ---------------------------------------------------------------------------

TERM_ENDING_WITHIN_DAYS = 90


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
                is_voting=terms is not None and rules.is_voting_role(terms, m.role),
                term_ending_soon=bool(
                    m.term_ends_on
                    and on
                    <= m.term_ends_on
                    <= on + datetime.timedelta(days=TERM_ENDING_WITHIN_DAYS)
                ),
                training_missing=not person.training.all(),
                eligibility_reasons=reasons,
                removal_flag=flags[0] if flags else None,
                on_leave_until=leaves[0].ends_on if leaves else None,
                term_passed=bool(m.term_ends_on and m.term_ends_on < on),
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


# --- Money ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingAttendance:
    """One meeting of the year for one member, as the meetings app will report it."""

    held_on: datetime.date
    attended: bool
    papers_read: bool = False


@dataclass
class MemberStatement:
    membership: Membership
    year: int
    attendance_known: bool
    meetings_held: int
    meetings_attended: int
    days_on_leave: int
    remuneration: Decimal
    vouchers: int
    expenses_approved: Decimal
    expenses_pending: Decimal
    payment_method: str
    source: str


def days_on_leave_in_year(*, membership: Membership, year: int) -> int:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    days = 0
    for leave in LeaveOfAbsence.objects.for_org(membership.organisation_id).filter(
        membership=membership, starts_on__lte=last, ends_on__gte=first
    ):
        start, end = max(leave.starts_on, first), min(leave.last_day, last)
        days += max(0, (end - start).days + 1)
    return days


def member_statement(
    *,
    membership: Membership,
    year: int,
    attendance: list[MeetingAttendance] | None = None,
) -> MemberStatement:
    """A member's money for a year: remuneration (Stockport: up to £500, chair £600, subject
    to attendance, paused on leave), vouchers (IVH: attend and read the papers) and
    expenses. ``attendance`` comes from the meetings app; until it reports, pass it in (no
    attendance means none is known and attendance-based payments show as nil)."""
    year_end = datetime.date(year, 12, 31)
    terms = terms_in_force(panel=membership.panel, on=year_end)
    meetings = [a for a in (attendance or []) if a.held_on.year == year]
    held = len(meetings)
    attended = sum(1 for a in meetings if a.attended)
    leave_days = days_on_leave_in_year(membership=membership, year=year)
    remuneration = Decimal("0.00")
    vouchers = 0
    if terms is not None:
        remuneration = rules.annual_remuneration(
            terms=terms,
            is_chair=membership.role == "chair",
            meetings_held=held,
            meetings_attended=attended,
            days_on_leave=leave_days,
            days_in_year=366 if calendar.isleap(year) else 365,
        )
        vouchers = sum(
            1
            for a in meetings
            if rules.voucher_earned(terms=terms, attended=a.attended, papers_read=a.papers_read)
        )
    totals = {"approved": Decimal("0.00"), "submitted": Decimal("0.00")}
    for status, amount in (
        ExpenseClaim.objects.for_org(membership.organisation_id)
        .filter(membership=membership, incurred_on__year=year)
        .values_list("status", "amount")
    ):
        if status in totals:
            totals[status] += amount
    return MemberStatement(
        membership=membership,
        year=year,
        attendance_known=attendance is not None,
        meetings_held=held,
        meetings_attended=attended,
        days_on_leave=leave_days,
        remuneration=remuneration,
        vouchers=vouchers,
        expenses_approved=totals["approved"],
        expenses_pending=totals["submitted"],
        payment_method=membership.person.get_payment_method_display(),
        source=rules.source_of(terms, "Remuneration") if terms else "",
    )


# --- Pages ------------------------------------------------------------------------------


def person_list(*, org) -> QuerySet[Person]:
    return Person.objects.for_org(org).order_by("last_name", "first_name")


def person_for_user(*, org, user) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.for_org(org).filter(user=user).first()


def person_history(*, person: Person) -> dict:
    """Everything about one person: seats with their events, applications, declarations,
    training, conduct, interests, remarks and expenses."""
    org = person.organisation_id
    return {
        "memberships": list(
            Membership.objects.for_org(org)
            .filter(person=person)
            .select_related("panel")
            .prefetch_related("events", "leaves", "reviews")
            .order_by("-starts_on")
        ),
        "applications": list(
            Application.objects.for_org(org).filter(person=person).select_related("panel")
        ),
        "declarations": list(Declaration.objects.for_org(org).filter(person=person)),
        "training": list(TrainingRecord.objects.for_org(org).filter(person=person)),
        "signatures": list(person.conduct_signatures.all()),
        "interests": list(person.interests.all()),
        "remarks": list(person.remarks.select_related("written_by")),
        "expenses": list(ExpenseClaim.objects.for_org(org).filter(membership__person=person)),
    }


def application_queue(*, org) -> QuerySet[Application]:
    return (
        Application.objects.for_org(org)
        .select_related("person", "panel", "vacancy")
        .order_by("status", "-submitted_on")
    )


def membership_for_officer(*, org, membership_id) -> Membership:
    from panels.tenancy import get_for_org_or_404

    return get_for_org_or_404(Membership, org=org, pk=membership_id)
