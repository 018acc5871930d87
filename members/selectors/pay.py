"""Money: attendance statements, expense claims and papers-read vouchers."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Q, QuerySet, When
from django.http import Http404

from members.models import (
    ExpenseClaim,
    LeaveOfAbsence,
    Membership,
    MembershipStatus,
    PapersRead,
    PaymentMethod,
)
from members.ports import meeting_registers
from panels import permissions, rules
from panels.models import Panel
from panels.selectors import terms_in_force
from panels.tenancy import get_for_org_or_404


@dataclass(frozen=True)
class MeetingAttendance:
    """One meeting of the year for one member, from the meetings app's registers (read
    through members.ports)."""

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
    payment_method_code: str = ""
    payment_methods: tuple = ()  # (code, label) the ToR allows, for the member to choose


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
    if not memberships:
        return {}
    registers = meeting_registers()
    org = memberships[0].organisation_id
    ids = [m.pk for m in memberships]
    meetings = list(
        registers.held_meetings(org=org, panel_ids={m.panel_id for m in memberships}, year=year)
        .only("id", "panel_id", "date")
        .order_by("date", "id")
    )
    present = registers.present_pairs(org=org, meetings=meetings, membership_ids=ids)
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
        payment_method_code=membership.person.payment_method,
        payment_methods=tuple(
            (code, str(PaymentMethod(code).label))
            for code in (terms.payment_methods or [] if terms else [])
            if code in PaymentMethod.values
        ),
    )


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


def expense_claim_for_viewer(*, org, expense_claim_id, viewer) -> ExpenseClaim:
    """A claim the permission matrix lets the viewer see (officers: all; a member or Board
    member: their own); the one 404 otherwise."""
    claims = permissions.rows(ExpenseClaim.objects.for_org(org), viewer, "expense_claim", "view")
    try:
        return claims.get(pk=expense_claim_id)
    except (ExpenseClaim.DoesNotExist, ValueError, TypeError):
        raise Http404("No expense claim here.") from None


def held_meetings(*, panel: Panel, year: int):
    """Held meetings of a panel in a year (for recording papers read)."""
    return meeting_registers().held_meetings(
        org=panel.organisation_id, panel_ids=[panel.pk], year=year
    )


def meeting_for_papers(*, org, meeting_id):
    """A meeting with the seats present at it (for the papers-read register)."""
    registers = meeting_registers()
    meeting = registers.meeting_by_id(org=org, meeting_id=meeting_id)
    meeting.present_seats = (
        Membership.objects.for_org(org)
        .filter(pk__in=registers.present_membership_ids(meeting=meeting))
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "id")
    )
    meeting.read_ids = set(
        PapersRead.objects.for_org(org)
        .filter(meeting=meeting)
        .values_list("membership_id", flat=True)
    )
    return meeting


def expense_claims_visible(*, org, viewer) -> QuerySet[ExpenseClaim]:
    """The claims the permission matrix lets the viewer see: every claim for officers, a
    member's (or Board member's) own otherwise."""
    claims = ExpenseClaim.objects.for_org(org).order_by("-incurred_on", "-id")
    return permissions.rows(claims, viewer, "expense_claim", "view")


def membership_for_claim(*, org, membership_id, user, is_staff: bool) -> Membership:
    """The seat an expense is claimed for: any of the organisation's for officers, the
    member's own otherwise; the one 404 for anything else."""
    membership = get_for_org_or_404(Membership, org=org, pk=membership_id)
    if not is_staff and membership.person.user_id != user.pk:
        raise Http404("No seat here.")
    return membership
