"""Reads about people, seats, recruitment and money. Every query is scoped with .for_org."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Prefetch, Q, QuerySet, When
from django.http import Http404
from django.utils import timezone

from members.models import (
    CURRENT_STATUSES,
    DECLARATION_FACTS,
    SEAT_HOLDING_STATUSES,
    Application,
    ApplicationStatus,
    ChairPeriod,
    ConductSignature,
    Declaration,
    ExpenseClaim,
    InterestDeclaration,
    LeaveOfAbsence,
    MemberReview,
    Membership,
    MembershipEvent,
    MembershipStatus,
    PapersRead,
    Person,
    RecruitmentStep,
    Remark,
    RemovalFlag,
    SeatRole,
    TrainingKind,
    TrainingRecord,
)
from panels import rules
from panels.errors import Reason
from panels.models import Panel
from panels.selectors import terms_in_force
from panels.tenancy import get_for_org_or_404


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
    meetings_held: int
    meetings_attended: int
    days_on_leave: int
    remuneration: Decimal
    vouchers: int
    expenses_approved: Decimal
    expenses_pending: Decimal
    payment_method: str
    source: str
    pays_remuneration: bool = False
    gives_vouchers: bool = False
    vouchers_need_papers: bool = False


def days_on_leave_in_year(*, membership: Membership, year: int) -> int:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    days = 0
    for leave in LeaveOfAbsence.objects.for_org(membership.organisation_id).filter(
        membership=membership, starts_on__lte=last, ends_on__gte=first
    ):
        start, end = max(leave.starts_on, first), min(leave.last_day, last)
        days += max(0, (end - start).days + 1)
    return days


def _sat_on(membership: Membership, leaves, day: datetime.date) -> bool:
    """The member held the seat that day and was not on leave (leave pauses payments on its
    own, so a meeting missed on leave does not count against attendance as well)."""
    if day < membership.starts_on or (membership.ended_on and day > membership.ended_on):
        return False
    return not any(leave.starts_on <= day <= leave.last_day for leave in leaves)


def attendance_by_membership(
    *, memberships: list[Membership], year: int
) -> dict[int, list[MeetingAttendance]]:
    """For each seat, the meetings of its panel held in the year while the member sat, with
    whether they attended (present or virtually) and read the papers (recorded by an
    officer, PapersRead). Three queries, however many seats."""
    from meetings.models import PRESENT_STATUSES, Attendance, Meeting, MeetingStatus

    if not memberships:
        return {}
    org = memberships[0].organisation_id
    ids = [m.pk for m in memberships]
    meetings = list(
        Meeting.objects.for_org(org)
        .filter(
            panel_id__in={m.panel_id for m in memberships},
            status=MeetingStatus.HELD,
            date__year=year,
        )
        .only("id", "panel_id", "date")
        .order_by("date", "id")
    )
    present = set(
        Attendance.objects.for_org(org)
        .filter(meeting__in=meetings, membership_id__in=ids, status__in=PRESENT_STATUSES)
        .values_list("meeting_id", "membership_id")
    )
    read = set(
        PapersRead.objects.for_org(org)
        .filter(meeting__in=meetings, membership_id__in=ids)
        .values_list("meeting_id", "membership_id")
    )
    leaves: dict[int, list[LeaveOfAbsence]] = {m.pk: [] for m in memberships}
    for leave in LeaveOfAbsence.objects.for_org(org).filter(membership_id__in=ids):
        leaves[leave.membership_id].append(leave)
    result: dict[int, list[MeetingAttendance]] = {}
    for m in memberships:
        result[m.pk] = [
            MeetingAttendance(
                held_on=meeting.date,
                attended=(meeting.pk, m.pk) in present,
                papers_read=(meeting.pk, m.pk) in read,
            )
            for meeting in meetings
            if meeting.panel_id == m.panel_id and _sat_on(m, leaves[m.pk], meeting.date)
        ]
    return result


def _leave_days(leaves, year: int) -> int:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    days = 0
    for leave in leaves:
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
    expenses. Attendance is read from the meetings app's registers of held meetings
    (``attendance_by_membership``) unless passed in."""
    if attendance is None:
        return statements_for(memberships=[membership], year=year)[0]
    terms = terms_in_force(panel=membership.panel, on=datetime.date(year, 12, 31))
    expenses = list(
        ExpenseClaim.objects.for_org(membership.organisation_id)
        .filter(membership=membership, incurred_on__year=year)
        .values_list("status", "amount")
    )
    return _statement(
        membership=membership,
        year=year,
        terms=terms,
        attendance=attendance,
        leave_days=days_on_leave_in_year(membership=membership, year=year),
        expenses=expenses,
    )


def statements_for(*, memberships: list[Membership], year: int) -> list[MemberStatement]:
    """Statements for many seats with a fixed number of queries (terms per panel, held
    meetings, attendance, papers read, leave, expenses)."""
    if not memberships:
        return []
    org = memberships[0].organisation_id
    ids = [m.pk for m in memberships]
    attendance = attendance_by_membership(memberships=memberships, year=year)
    panels = {m.panel_id: m.panel for m in memberships}
    terms = {
        pk: terms_in_force(panel=panel, on=datetime.date(year, 12, 31))
        for pk, panel in panels.items()
    }
    leaves: dict[int, list] = {pk: [] for pk in ids}
    for leave in LeaveOfAbsence.objects.for_org(org).filter(
        membership_id__in=ids,
        starts_on__lte=datetime.date(year, 12, 31),
        ends_on__gte=datetime.date(year, 1, 1),
    ):
        leaves[leave.membership_id].append(leave)
    expenses: dict[int, list] = {pk: [] for pk in ids}
    for membership_id, status, amount in (
        ExpenseClaim.objects.for_org(org)
        .filter(membership_id__in=ids, incurred_on__year=year)
        .values_list("membership_id", "status", "amount")
    ):
        expenses[membership_id].append((status, amount))
    return [
        _statement(
            membership=m,
            year=year,
            terms=terms[m.panel_id],
            attendance=attendance[m.pk],
            leave_days=_leave_days(leaves[m.pk], year),
            expenses=expenses[m.pk],
        )
        for m in memberships
    ]


def panel_statements(*, panel: Panel, year: int) -> list[MemberStatement]:
    """Every seat that sat on the panel during the year, with its statement."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    memberships = list(
        Membership.objects.for_org(panel.organisation_id)
        .filter(panel=panel, starts_on__lte=last)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
        .exclude(status=MembershipStatus.PENDING_TRAINING)
        .select_related("person", "panel")
        .order_by("person__last_name", "person__first_name", "id")
    )
    return statements_for(memberships=memberships, year=year)


def _statement(*, membership, year, terms, attendance, leave_days, expenses) -> MemberStatement:
    meetings = [a for a in attendance if a.held_on.year == year]
    held = len(meetings)
    attended = sum(1 for a in meetings if a.attended)
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
    for status, amount in expenses:
        if status in totals:
            totals[status] += amount
    return MemberStatement(
        membership=membership,
        year=year,
        meetings_held=held,
        meetings_attended=attended,
        days_on_leave=leave_days,
        remuneration=remuneration,
        vouchers=vouchers,
        expenses_approved=totals["approved"],
        expenses_pending=totals["submitted"],
        payment_method=membership.person.get_payment_method_display(),
        source=rules.source_of(terms, "Remuneration") if terms else "",
        pays_remuneration=bool(terms and terms.remuneration_member_annual),
        gives_vouchers=bool(terms and terms.vouchers_for_attendance),
        vouchers_need_papers=bool(terms and terms.vouchers_require_papers_read),
    )


# --- Pages ------------------------------------------------------------------------------


def person_list(*, org) -> QuerySet[Person]:
    return Person.objects.for_org(org).order_by("last_name", "first_name")


def person_for_user(*, org, user) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.for_org(org).filter(user=user).first()


def person_history(*, person: Person) -> dict:
    """Everything about one person: seats with their events, leave, removal and reviews,
    applications, declarations, training, conduct, interests, remarks and expenses."""
    org = person.organisation_id
    memberships = list(
        Membership.objects.for_org(org)
        .filter(person=person)
        .select_related("panel", "removal")
        .prefetch_related(
            Prefetch("events", queryset=MembershipEvent.objects.for_org(org).select_related("by")),
            Prefetch("leaves", queryset=LeaveOfAbsence.objects.for_org(org)),
            Prefetch("reviews", queryset=MemberReview.objects.for_org(org)),
            Prefetch(
                "removal_flags",
                queryset=RemovalFlag.objects.for_org(org).filter(
                    decision=RemovalFlag.Decision.PENDING
                ),
                to_attr="open_flags",
            ),
        )
        .order_by("-starts_on")
    )
    today = timezone.localdate()
    for m in memberships:
        terms = terms_in_force(panel=m.panel, on=today)
        m.reviews_provided = bool(terms and (terms.skills_audit or terms.annual_member_review))
        m.open_leaves = [leave for leave in m.leaves.all() if leave.returned_on is None]
    return {
        "memberships": memberships,
        "applications": list(
            Application.objects.for_org(org).filter(person=person).select_related("panel")
        ),
        "declarations": list(
            Declaration.objects.for_org(org).filter(person=person).select_related("recorded_by")
        ),
        "training": list(TrainingRecord.objects.for_org(org).filter(person=person)),
        "signatures": list(
            ConductSignature.objects.for_org(org).filter(person=person).select_related("panel")
        ),
        "interests": list(InterestDeclaration.objects.for_org(org).filter(person=person)),
        "remarks": list(
            Remark.objects.for_org(org).filter(person=person).select_related("written_by")
        ),
        "expenses": list(
            ExpenseClaim.objects.for_org(org)
            .filter(membership__person=person)
            .select_related("membership__panel")
        ),
    }


def application_queue(*, org) -> QuerySet[Application]:
    return (
        Application.objects.for_org(org)
        .select_related("person", "panel", "vacancy")
        .order_by("status", "-submitted_on")
    )


def membership_for_officer(*, org, membership_id) -> Membership:
    return get_for_org_or_404(Membership, org=org, pk=membership_id)


def role_voting(*, membership: Membership, on: datetime.date | None = None) -> str:
    """Which roles vote on this seat's panel, in the ToR's words (for the role change page)."""
    on = on or timezone.localdate()
    terms = terms_in_force(panel=membership.panel, on=on)
    if terms is None:
        return "No terms of reference in force."
    labels = dict(SeatRole.choices)
    voting = [labels[r] for r in labels if rules.is_voting_role(terms, r)]
    others = [labels[r] for r in labels if not rules.is_voting_role(terms, r)]
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


def application_detail(*, org, application_id) -> Application:
    application = get_for_org_or_404(Application, org=org, pk=application_id)
    application.step_list = list(
        RecruitmentStep.objects.for_org(org)
        .filter(application=application)
        .prefetch_related(
            Prefetch(
                "panel_members",
                queryset=Membership.objects.for_org(org).select_related("person"),
            )
        )
    )
    return application


def expense_queue(*, org) -> QuerySet[ExpenseClaim]:
    """Claims awaiting a decision first, then the latest decided."""
    return (
        ExpenseClaim.objects.for_org(org)
        .select_related("membership__person", "membership__panel", "decided_by")
        .order_by(
            Case(When(status="submitted", then=0), default=1),
            "-incurred_on",
            "-id",
        )
    )


def expense_claim_for_viewer(*, org, expense_claim_id, user, is_staff: bool) -> ExpenseClaim:
    """A claim for an officer, or for the member who made it; the one 404 otherwise."""
    claim = get_for_org_or_404(ExpenseClaim, org=org, pk=expense_claim_id)
    if not is_staff and claim.membership.person.user_id != user.pk:
        raise Http404("No expense claim here.")
    return claim


def held_meetings(*, panel: Panel, year: int):
    """Held meetings of a panel in a year (for recording papers read)."""
    from meetings.models import Meeting, MeetingStatus

    return Meeting.objects.for_org(panel.organisation_id).filter(
        panel=panel, status=MeetingStatus.HELD, date__year=year
    )


def meeting_for_papers(*, org, meeting_id):
    """A meeting with the seats present at it (for the papers-read register)."""
    from meetings.models import PRESENT_STATUSES, Meeting

    meeting = get_for_org_or_404(Meeting, org=org, pk=meeting_id)
    meeting.present_seats = (
        Membership.objects.for_org(org)
        .filter(attendances__meeting=meeting, attendances__status__in=PRESENT_STATUSES)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "id")
    )
    meeting.read_ids = set(
        PapersRead.objects.for_org(org)
        .filter(meeting=meeting)
        .values_list("membership_id", flat=True)
    )
    return meeting


# --- API --------------------------------------------------------------------------------


def person_declarations(*, person: Person) -> QuerySet[Declaration]:
    return (
        Declaration.objects.for_org(person.organisation_id)
        .filter(person=person)
        .select_related("recorded_by")
    )


def person_training(*, person: Person) -> QuerySet[TrainingRecord]:
    return TrainingRecord.objects.for_org(person.organisation_id).filter(person=person)


def declaration_list(*, org) -> QuerySet[Declaration]:
    return Declaration.objects.for_org(org).select_related("recorded_by").order_by("-id")


def expense_claims_visible(*, org, user, is_staff: bool) -> QuerySet[ExpenseClaim]:
    """Every claim for officers; a member's own claims otherwise."""
    claims = ExpenseClaim.objects.for_org(org).order_by("-incurred_on", "-id")
    return claims if is_staff else claims.filter(membership__person__user=user)


def membership_for_claim(*, org, membership_id, user, is_staff: bool) -> Membership:
    """The seat an expense is claimed for: any of the organisation's for officers, the
    member's own otherwise; the one 404 for anything else."""
    membership = get_for_org_or_404(Membership, org=org, pk=membership_id)
    if not is_staff and membership.person.user_id != user.pk:
        raise Http404("No seat here.")
    return membership
