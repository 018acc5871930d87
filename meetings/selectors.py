"""Reads about meetings. Every rule is asked of panels/rules.py with the terms of reference
in force on the meeting's date and the organisation's working calendar."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from meetings.models import (
    OPEN_STATUSES,
    ActionPoint,
    AgendaItem,
    Attendance,
    AttendanceRequest,
    CommitteeDate,
    Declaration,
    KeyMessages,
    Meeting,
    MeetingStatus,
    MinuteEntry,
    Minutes,
    Motion,
    Paper,
    PaperIssue,
    Vote,
)
from members.selectors import current_memberships
from panels import rules
from panels.access import STAFF
from panels.models import DeadlineKind, Organisation, Panel
from panels.selectors import terms_in_force, working_calendar
from panels.tenancy import get_for_org_or_404

# --- Access -------------------------------------------------------------------------


def access_meeting_by_id(*, org: Organisation, meeting_id) -> Meeting:
    """The meeting of org with this id, or the one 404 for missing and foreign rows alike."""
    return get_for_org_or_404(Meeting, org=org, pk=meeting_id)


def is_panel_insider(*, user, roles, panel: Panel, on: datetime.date) -> bool:
    """Officers and admins, and current members of the panel, may see confidential items;
    everyone else (board, other panels, the public) may not."""
    if set(roles) & set(STAFF):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return current_memberships(panel=panel, on=on).filter(person__user=user).exists()


# --- Deadlines ----------------------------------------------------------------------

# Which dated duty on the meeting satisfies a deadline kind.
DUTY_FIELDS = {
    DeadlineKind.MEETING_NOTICE: "notice_given_on",
    DeadlineKind.PAPERS_OUT: "papers_issued_on",
    DeadlineKind.MINUTES_OUT: "minutes_published_on",
    DeadlineKind.KEY_MESSAGES: "key_messages_published_on",
}
# Deadlines that close a window for others' requests rather than set an officer a duty.
WINDOW_KINDS = {DeadlineKind.AGENDA_PROPOSALS, DeadlineKind.ATTENDANCE_REQUEST}


class DeadlineStateKind:
    OPEN = "open"
    DONE = "done"
    DONE_LATE = "done_late"
    MISSED = "missed"
    CLOSED = "closed"
    NOT_APPLICABLE = "not_applicable"


STATE_LABELS = {
    DeadlineStateKind.OPEN: "Open",
    DeadlineStateKind.DONE: "Done",
    DeadlineStateKind.DONE_LATE: "Done late",
    DeadlineStateKind.MISSED: "Missed",
    DeadlineStateKind.CLOSED: "Closed",
    DeadlineStateKind.NOT_APPLICABLE: "Not applicable",
}


@dataclass(frozen=True)
class DeadlineState:
    """One ToR deadline of one meeting and where it stands on ``today``."""

    meeting_id: int
    kind: str
    label: str
    due_on: datetime.date
    direction: str
    rule_text: str
    channel: str
    state: str
    done_on: datetime.date | None
    message: str
    source: str

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)

    @property
    def is_breach(self) -> bool:
        return self.state in (DeadlineStateKind.MISSED, DeadlineStateKind.DONE_LATE)


def _terms_for(meeting: Meeting):
    return terms_in_force(panel=meeting.panel, on=meeting.date)


def meeting_deadline_states(
    *, meeting: Meeting, today: datetime.date, terms=None, calendar=None
) -> list[DeadlineState]:
    """Every deadline of the ToR in force on the meeting's date, with its state on ``today``:
    open, done (on a date), done_late, missed; request windows are open or closed; a
    cancelled meeting's duties are not_applicable."""
    terms = terms if terms is not None else _terms_for(meeting)
    if terms is None:
        return []
    calendar = calendar if calendar is not None else working_calendar(org=meeting.organisation)
    deadlines = rules.meeting_deadlines(
        deadline_rules=terms.deadlines.all(), meeting_date=meeting.date, calendar=calendar
    )
    source = rules.source_of(terms, "Meetings")
    states = []
    for deadline in deadlines:
        done_on = None
        if deadline.kind in WINDOW_KINDS:
            state = DeadlineStateKind.OPEN if today <= deadline.due_on else DeadlineStateKind.CLOSED
            message = (
                f"Open until {deadline.due_on:%d %B %Y}"
                if state == DeadlineStateKind.OPEN
                else f"Closed on {deadline.due_on:%d %B %Y}"
            )
        else:
            done_on = getattr(meeting, DUTY_FIELDS.get(deadline.kind, ""), None)
            if done_on is not None:
                late = done_on > deadline.due_on
                state = DeadlineStateKind.DONE_LATE if late else DeadlineStateKind.DONE
                message = f"Done on {done_on:%d %B %Y}" + (
                    f", after the deadline of {deadline.due_on:%d %B %Y}" if late else ""
                )
            elif meeting.status == MeetingStatus.CANCELLED:
                state = DeadlineStateKind.NOT_APPLICABLE
                message = "Meeting cancelled"
            elif today > deadline.due_on:
                state = DeadlineStateKind.MISSED
                message = f"Missed: was due by {deadline.due_on:%d %B %Y}"
            else:
                state = DeadlineStateKind.OPEN
                message = f"Due by {deadline.due_on:%d %B %Y}"
        states.append(
            DeadlineState(
                meeting_id=meeting.pk,
                kind=deadline.kind,
                label=deadline.label,
                due_on=deadline.due_on,
                direction=deadline.direction,
                rule_text=deadline.rule_text,
                channel=deadline.channel,
                state=state,
                done_on=done_on,
                message=message,
                source=source,
            )
        )
    return states


def deadline_states_for_meetings(
    *, org: Organisation, meetings, today: datetime.date
) -> dict[int, list[DeadlineState]]:
    """{meeting id: deadline states} for many meetings, with one ToR lookup per panel and date."""
    calendar = working_calendar(org=org)
    terms_cache: dict[tuple[int, datetime.date], object] = {}
    result = {}
    for meeting in meetings:
        key = (meeting.panel_id, meeting.date)
        if key not in terms_cache:
            terms_cache[key] = _terms_for(meeting)
        result[meeting.pk] = meeting_deadline_states(
            meeting=meeting, today=today, terms=terms_cache[key], calendar=calendar
        )
    return result


# --- Register, quorum, presiding ----------------------------------------------------


def voting_seats(*, terms, memberships) -> list:
    """Seats that count as members and vote under the ToR (associates, co-optees where the
    ToR says so, officers and sponsors never do)."""
    return [
        m
        for m in memberships
        if rules.counts_as_member(m.role) and rules.is_voting_role(terms, m.role)
    ]


def meeting_quorum(*, meeting: Meeting, terms, memberships, register) -> rules.QuorumState:
    """Quorum, live from the register: voting members present (in person or virtually) out of
    the voting membership on the meeting's date."""
    voting_ids = {m.pk for m in voting_seats(terms=terms, memberships=memberships)}
    present = sum(1 for a in register if a.is_present and a.membership_id in voting_ids)
    return rules.quorum_state(terms=terms, membership=len(voting_ids), present_voting=present)


def meetings_held_before(*, meeting: Meeting) -> int:
    return (
        Meeting.objects.for_org(meeting.organisation_id)
        .filter(panel=meeting.panel, status=MeetingStatus.HELD, date__lt=meeting.date)
        .count()
    )


def presiding_for(*, meeting: Meeting, terms, register, meetings_held: int) -> rules.Presiding:
    present_roles = {a.membership.role for a in register if a.is_present}
    return rules.who_presides(
        terms=terms,
        chair_present="chair" in present_roles,
        vice_chair_present="vice_chair" in present_roles,
        meetings_held=meetings_held,
    )


def eligible_voters(*, terms, register, item: AgendaItem | None, declarations) -> list:
    """Seats present that may vote on a motion: voting roles, less those who declared an
    interest in the motion's item."""
    declared = {d.membership_id for d in declarations if item is not None and d.item_id == item.pk}
    return [
        a.membership
        for a in register
        if a.is_present
        and rules.counts_as_member(a.membership.role)
        and rules.is_voting_role(terms, a.membership.role)
        and a.membership_id not in declared
    ]


def consecutive_unexplained_absences(*, membership, up_to: Meeting) -> int:
    """Meetings in a row, ending with ``up_to``, that the seat missed without an accepted
    reason. A meeting without a register line for the seat ends the run."""
    held = (
        Meeting.objects.for_org(up_to.organisation_id)
        .filter(panel_id=up_to.panel_id, status=MeetingStatus.HELD, date__lte=up_to.date)
        .order_by("-date", "-start_time")
        .values_list("pk", flat=True)
    )
    lines = {
        a.meeting_id: a
        for a in Attendance.objects.for_org(up_to.organisation_id).filter(
            membership=membership, meeting_id__in=list(held)
        )
    }
    count = 0
    for meeting_id in held:
        line = lines.get(meeting_id)
        if line is None or not line.is_unexplained_absence:
            break
        count += 1
    return count


# --- Pages --------------------------------------------------------------------------


def meeting_list(*, org: Organisation, panel: Panel | None = None) -> QuerySet[Meeting]:
    meetings = Meeting.objects.for_org(org).select_related("panel")
    if panel is not None:
        meetings = meetings.filter(panel=panel)
    return meetings.order_by("date", "start_time")


def _items_queryset(org) -> QuerySet[AgendaItem]:
    return (
        AgendaItem.objects.for_org(org)
        .select_related("proposed_by")
        .prefetch_related(
            Prefetch("papers", queryset=Paper.objects.for_org(org)),
            Prefetch(
                "declarations",
                queryset=Declaration.objects.for_org(org).select_related("membership__person"),
            ),
        )
        .order_by("position", "id")
    )


@dataclass
class MeetingConsole:
    meeting: Meeting
    terms: object
    items: list
    register: list
    unregistered: list
    memberships: list
    quorum: rules.QuorumState | None
    presiding: rules.Presiding | None
    motions: list
    minutes: list
    key_messages: list
    deadlines: list[DeadlineState]
    guest_requests: list
    declarations: list
    paper_issues: int
    voting_membership_ids: set = field(default_factory=set)

    @property
    def current_minutes(self):
        return self.minutes[0] if self.minutes else None

    @property
    def current_key_messages(self):
        return self.key_messages[0] if self.key_messages else None


def meeting_console(*, org: Organisation, meeting_id, today: datetime.date) -> MeetingConsole:
    """Everything the officer console shows, in a number of queries that does not grow with
    the agenda or the register."""
    meeting = get_for_org_or_404(Meeting, org=org, pk=meeting_id)
    meeting = (
        Meeting.objects.for_org(org)
        .select_related("panel", "presiding_membership__person", "organisation")
        .prefetch_related(
            Prefetch("items", queryset=_items_queryset(org)),
            Prefetch(
                "register",
                queryset=Attendance.objects.for_org(org)
                .select_related("membership__person")
                .order_by("membership__person__last_name", "membership__person__first_name"),
            ),
            Prefetch(
                "motions",
                queryset=Motion.objects.for_org(org)
                .select_related("mover__person", "item")
                .prefetch_related(
                    Prefetch(
                        "votes",
                        queryset=Vote.objects.for_org(org).select_related("membership__person"),
                    )
                ),
            ),
            Prefetch(
                "minutes_versions",
                queryset=Minutes.objects.for_org(org)
                .select_related("approved_at")
                .prefetch_related(
                    Prefetch(
                        "entries",
                        queryset=MinuteEntry.objects.for_org(org).select_related("item"),
                    ),
                    Prefetch(
                        "actions", queryset=ActionPoint.objects.for_org(org).select_related("item")
                    ),
                ),
            ),
            Prefetch(
                "key_messages",
                queryset=KeyMessages.objects.for_org(org).select_related("signed_off_by__person"),
            ),
            Prefetch(
                "guest_requests",
                queryset=AttendanceRequest.objects.for_org(org).select_related("item"),
            ),
        )
        .get(pk=meeting.pk)
    )
    terms = _terms_for(meeting)
    memberships = list(current_memberships(panel=meeting.panel, on=meeting.date))
    items = list(meeting.items.all())
    register = list(meeting.register.all())
    registered = {a.membership_id for a in register}
    quorum = presiding = None
    voting_ids: set = set()
    if terms is not None:
        quorum = meeting_quorum(
            meeting=meeting, terms=terms, memberships=memberships, register=register
        )
        presiding = presiding_for(
            meeting=meeting,
            terms=terms,
            register=register,
            meetings_held=meetings_held_before(meeting=meeting),
        )
        voting_ids = {m.pk for m in voting_seats(terms=terms, memberships=memberships)}
    return MeetingConsole(
        meeting=meeting,
        terms=terms,
        items=items,
        register=register,
        unregistered=[m for m in memberships if m.pk not in registered],
        memberships=memberships,
        quorum=quorum,
        presiding=presiding,
        motions=list(meeting.motions.all()),
        minutes=list(meeting.minutes_versions.all()),
        key_messages=list(meeting.key_messages.all()),
        deadlines=meeting_deadline_states(meeting=meeting, today=today, terms=terms)
        if terms
        else [],
        guest_requests=list(meeting.guest_requests.all()),
        declarations=[d for item in items for d in item.declarations.all()],
        paper_issues=PaperIssue.objects.for_org(org).filter(meeting=meeting).count(),
        voting_membership_ids=voting_ids,
    )


@dataclass
class ProgrammeYear:
    panel: Panel
    year: int
    terms: object
    meetings: list
    cadence: rules.CadenceState | None
    committee_dates: list
    committee_dates_uncovered: list
    deadlines: dict


def programme_year(*, panel: Panel, year: int, today: datetime.date) -> ProgrammeYear:
    """A panel's meetings for a calendar year and whether they meet the ToR cadence, shown
    while there is still time to add meetings."""
    org = panel.organisation
    meetings = list(
        meeting_list(org=org, panel=panel).filter(date__year=year).select_related("organisation")
    )
    on = max(datetime.date(year, 1, 1), min(today, datetime.date(year, 12, 31)))
    terms = terms_in_force(panel=panel, on=on)
    committee = list(
        CommitteeDate.objects.for_org(org).filter(panel=panel, date__year=year).order_by("date")
    )
    cadence = None
    uncovered: list = []
    if terms is not None:
        held = [m.date for m in meetings if m.status == MeetingStatus.HELD]
        planned = [m.date for m in meetings if m.status in OPEN_STATUSES]
        cadence = rules.cadence_state(
            terms=terms, year=year, held=held, planned=planned, today=today
        )
        if terms.meets_before_committee:
            uncovered = rules.committee_dates_without_meeting(
                committee_dates=[c.date for c in committee],
                meeting_dates=[m.date for m in meetings if m.status != MeetingStatus.CANCELLED],
            )
    deadlines = deadline_states_for_meetings(org=org, meetings=meetings, today=today)
    for meeting in meetings:
        meeting.deadline_states = deadlines.get(meeting.pk, [])
    return ProgrammeYear(
        panel=panel,
        year=year,
        terms=terms,
        meetings=meetings,
        cadence=cadence,
        committee_dates=committee,
        committee_dates_uncovered=uncovered,
        deadlines=deadlines,
    )


def memberships_of_user(*, org: Organisation, user, on: datetime.date) -> list:
    """The user's current seats in the organisation (any panel)."""
    from members.models import CURRENT_STATUSES, Membership

    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Membership.objects.for_org(org)
        .filter(person__user=user, status__in=CURRENT_STATUSES, starts_on__lte=on)
        .select_related("panel", "person")
    )


@dataclass
class MemberMeeting:
    meeting: Meeting
    membership: object
    items: list
    attendance: Attendance | None
    papers_due_on: datetime.date | None


def next_meetings_for_member(*, org: Organisation, user, today: datetime.date) -> list:
    """The next open meeting of each panel the user sits on, with papers and their own
    register line."""
    seats = memberships_of_user(org=org, user=user, on=today)
    result = []
    for seat in seats:
        meeting = (
            meeting_list(org=org, panel=seat.panel)
            .filter(date__gte=today, status__in=OPEN_STATUSES)
            .select_related("organisation")
            .prefetch_related(Prefetch("items", queryset=_items_queryset(org)))
            .first()
        )
        if meeting is None:
            continue
        attendance = (
            Attendance.objects.for_org(org).filter(meeting=meeting, membership=seat).first()
        )
        papers = [
            s
            for s in meeting_deadline_states(meeting=meeting, today=today)
            if s.kind == DeadlineKind.PAPERS_OUT
        ]
        result.append(
            MemberMeeting(
                meeting=meeting,
                membership=seat,
                items=list(meeting.items.all()),
                attendance=attendance,
                papers_due_on=papers[0].due_on if papers else None,
            )
        )
    return result


@dataclass
class PublicMeetingMinutes:
    meeting: Meeting
    minutes: Minutes | None
    history: list
    key_messages: KeyMessages | None
    attendance_summary: dict


def public_minutes(*, panel: Panel) -> list[PublicMeetingMinutes]:
    """Published minutes and key messages of a panel's meetings, newest first: only the frozen
    public text (confidential items and personal data removed at publication)."""
    org = panel.organisation
    meetings = Meeting.objects.for_org(org).filter(panel=panel)
    return _public_minutes(org, meetings)


def public_minutes_for_meeting(*, meeting: Meeting) -> list[PublicMeetingMinutes]:
    return _public_minutes(
        meeting.organisation, Meeting.objects.for_org(meeting.organisation_id).filter(pk=meeting.pk)
    )


def _public_minutes(org, meetings) -> list[PublicMeetingMinutes]:
    meetings = (
        meetings.filter(
            Q(minutes_versions__published_on__isnull=False)
            | Q(key_messages__published_on__isnull=False)
        )
        .distinct()
        .prefetch_related(
            Prefetch(
                "minutes_versions",
                queryset=Minutes.objects.for_org(org)
                .filter(published_on__isnull=False)
                .select_related("approved_at")
                .order_by("-version"),
                to_attr="published_minutes",
            ),
            Prefetch(
                "key_messages",
                queryset=KeyMessages.objects.for_org(org)
                .filter(published_on__isnull=False)
                .order_by("-version"),
                to_attr="published_key_messages",
            ),
            Prefetch("register", queryset=Attendance.objects.for_org(org)),
        )
        .order_by("-date")
    )
    result = []
    for meeting in meetings:
        versions = meeting.published_minutes
        summary = {"present": 0, "apologies": 0, "absent": 0}
        for line in meeting.register.all():
            key = "present" if line.is_present else line.status
            summary[key] = summary.get(key, 0) + 1
        result.append(
            PublicMeetingMinutes(
                meeting=meeting,
                minutes=versions[0] if versions else None,
                history=versions,
                key_messages=meeting.published_key_messages[0]
                if meeting.published_key_messages
                else None,
                attendance_summary=summary,
            )
        )
    return result


def public_meetings(*, panel: Panel) -> QuerySet[Meeting]:
    """Meetings a public calendar may list: public, not cancelled."""
    return (
        meeting_list(org=panel.organisation, panel=panel)
        .filter(is_public=True)
        .exclude(status=MeetingStatus.CANCELLED)
    )


def meetings_for_person_feed(*, person, today: datetime.date) -> QuerySet[Meeting]:
    """Meetings of the panels the person sits on now, from a year back."""
    from members.models import CURRENT_STATUSES, Membership

    panels = (
        Membership.objects.for_org(person.organisation_id)
        .filter(person=person, status__in=CURRENT_STATUSES)
        .values("panel_id")
    )
    return (
        meeting_list(org=person.organisation, panel=None)
        .filter(panel_id__in=panels, date__gte=today - datetime.timedelta(days=366))
        .exclude(status=MeetingStatus.CANCELLED)
    )


def agenda_pack_items(*, meeting: Meeting) -> list[AgendaItem]:
    return list(_items_queryset(meeting.organisation).filter(meeting=meeting))
