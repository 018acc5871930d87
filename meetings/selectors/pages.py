"""Pages: the meeting list and console, the programme year, a member's next meetings, feeds."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

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
from meetings.selectors.deadlines import (
    DeadlineState,
    _terms_for,
    meeting_deadline_states,
)
from meetings.selectors.minutes_draft import build_minutes_record
from meetings.selectors.register import (
    item_attendance,
    meeting_quorum,
    meetings_held_before,
    presiding_for,
    voting_seats,
)
from members.selectors import current_memberships, seats_on_leave
from panels import rules
from panels.models import DeadlineKind, Organisation, Panel
from panels.selectors import terms_versions_for_panels, version_in_force, working_calendar
from panels.tenancy import get_for_org_or_404


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
    item_attendance: list = field(default_factory=list)
    on_leave: dict = field(default_factory=dict)

    @property
    def on_leave_present(self) -> list:
        """Register lines of members present although on leave of absence that day: a
        warning for the officer (not a refusal: the leave may have ended early)."""
        return [a for a in self.register if a.is_present and a.membership_id in self.on_leave]

    @property
    def current_minutes(self):
        return self.minutes[0] if self.minutes else None

    @cached_property
    def minutes_record(self):
        """The record the minutes are drafted from, built from the rows read above."""
        return build_minutes_record(
            meeting=self.meeting,
            register=self.register,
            declarations=self.declarations,
            motions=self.motions,
            memberships=self.memberships,
        )

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
    declarations = [d for item in items for d in item.declarations.all()]
    per_item = (
        item_attendance(
            meeting=meeting,
            terms=terms,
            memberships=memberships,
            register=register,
            items=items,
            declarations=declarations,
        )
        if terms is not None
        else []
    )
    for state in per_item:
        state.item.attendance = state
    on_leave = seats_on_leave(org=org, membership_ids=[m.pk for m in memberships], on=meeting.date)
    for seat in memberships:
        seat.leave = on_leave.get(seat.pk)
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
        declarations=declarations,
        paper_issues=PaperIssue.objects.for_org(org).filter(meeting=meeting).count(),
        voting_membership_ids=voting_ids,
        item_attendance=per_item,
        on_leave=on_leave,
    )


@dataclass
class ProgrammeYear:
    panel: Panel
    year: int
    terms: object
    meetings: list
    cadence: rules.CadenceJudgement | None
    committee_dates: list
    committee_dates_uncovered: list
    deadlines: dict


def programme_year(*, panel: Panel, year: int, today: datetime.date) -> ProgrammeYear:
    """A panel's meetings for a calendar year and whether they meet the ToR cadence, shown
    while there is still time to add meetings."""
    return programme_years(org=panel.organisation, panels=[panel], year=year, today=today)[0]


def programme_years(*, org: Organisation, panels, year: int, today: datetime.date) -> list:
    """``programme_year`` for each of many panels in a fixed number of queries, whatever the
    number of panels and meetings: all meetings, ToR versions (with their deadlines),
    committee dates and closure days are read once and shared out in Python."""
    panels = list(panels)
    on = max(datetime.date(year, 1, 1), min(today, datetime.date(year, 12, 31)))
    meetings_of: dict[int, list] = defaultdict(list)
    for meeting in (
        meeting_list(org=org)
        .filter(panel__in=panels, date__year=year)
        .select_related("organisation")
    ):
        meetings_of[meeting.panel_id].append(meeting)
    committee_of: dict[int, list] = defaultdict(list)
    for committee_date in (
        CommitteeDate.objects.for_org(org)
        .filter(panel__in=panels, date__year=year)
        .order_by("date")
    ):
        committee_of[committee_date.panel_id].append(committee_date)
    versions_of = terms_versions_for_panels(
        org=org, panels=panels, until=max(on, datetime.date(year, 12, 31))
    )
    calendar = working_calendar(org=org)
    programmes = []
    for panel in panels:
        meetings = meetings_of[panel.pk]
        versions = versions_of.get(panel.pk, [])
        terms = version_in_force(versions, on)
        committee = committee_of[panel.pk]
        cadence = None
        uncovered: list = []
        if terms is not None:
            held = [m.date for m in meetings if m.status == MeetingStatus.HELD]
            planned = [m.date for m in meetings if m.status in OPEN_STATUSES]
            cadence = rules.cadence_judgement(
                terms=terms, year=year, held=held, planned=planned, as_of=today
            )
            if terms.meets_before_committee:
                uncovered = rules.committee_dates_without_meeting(
                    committee_dates=[c.date for c in committee],
                    meeting_dates=[m.date for m in meetings if m.status != MeetingStatus.CANCELLED],
                )
        deadlines = {}
        for meeting in meetings:
            in_force = version_in_force(versions, meeting.date)
            deadlines[meeting.pk] = (
                meeting_deadline_states(
                    meeting=meeting, today=today, terms=in_force, calendar=calendar
                )
                if in_force is not None
                else []
            )
            meeting.deadline_states = deadlines[meeting.pk]
        programmes.append(
            ProgrammeYear(
                panel=panel,
                year=year,
                terms=terms,
                meetings=meetings,
                cadence=cadence,
                committee_dates=committee,
                committee_dates_uncovered=uncovered,
                deadlines=deadlines,
            )
        )
    return programmes


def cadence_for_panels(
    *, org: Organisation, terms_by_panel: dict, today: datetime.date
) -> dict[int, rules.CadenceJudgement]:
    """{panel id: this year's cadence as of today} for the panels with a ToR in force (the
    officer's at-a-glance), judged as the programme judges it (rules.cadence_judgement: held
    meetings, and those planned but not cancelled). One query whatever the number of
    panels; none when no panel has a ToR in force."""
    if not terms_by_panel:
        return {}
    dates: dict[int, tuple[list, list]] = {pk: ([], []) for pk in terms_by_panel}
    for panel_id, date, status in (
        Meeting.objects.for_org(org)
        .filter(panel_id__in=list(terms_by_panel), date__year=today.year)
        .values_list("panel_id", "date", "status")
    ):
        if status == MeetingStatus.HELD:
            dates[panel_id][0].append(date)
        elif status in OPEN_STATUSES:
            dates[panel_id][1].append(date)
    return {
        pk: rules.cadence_judgement(
            terms=terms, year=today.year, held=dates[pk][0], planned=dates[pk][1], as_of=today
        )
        for pk, terms in terms_by_panel.items()
    }


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
    register line: in a fixed number of queries however many seats, items and papers."""
    seats = memberships_of_user(org=org, user=user, on=today)
    if not seats:
        return []
    next_of_panel = (
        meeting_list(org=org)
        .filter(panel=OuterRef("pk"), date__gte=today, status__in=OPEN_STATUSES)
        .values("pk")[:1]
    )
    meeting_ids = {
        panel_id: meeting_id
        for panel_id, meeting_id in Panel.objects.for_org(org)
        .filter(pk__in={seat.panel_id for seat in seats})
        .annotate(next_meeting=Subquery(next_of_panel))
        .values_list("pk", "next_meeting")
        if meeting_id is not None
    }
    meetings = {
        meeting.pk: meeting
        for meeting in meeting_list(org=org)
        .filter(pk__in=meeting_ids.values())
        .select_related("organisation")
        .prefetch_related(Prefetch("items", queryset=_items_queryset(org)))
    }
    attendance = {
        (line.meeting_id, line.membership_id): line
        for line in Attendance.objects.for_org(org).filter(
            meeting__in=list(meetings), membership__in=[seat.pk for seat in seats]
        )
    }
    versions_of = terms_versions_for_panels(
        org=org,
        panels=list(meeting_ids),
        until=max((m.date for m in meetings.values()), default=today),
    )
    calendar = working_calendar(org=org) if meetings else None
    result = []
    for seat in seats:
        meeting = meetings.get(meeting_ids.get(seat.panel_id))
        if meeting is None:
            continue
        terms = version_in_force(versions_of.get(seat.panel_id, []), meeting.date)
        states = (
            meeting_deadline_states(meeting=meeting, today=today, terms=terms, calendar=calendar)
            if terms is not None
            else []
        )
        papers = [s for s in states if s.kind == DeadlineKind.PAPERS_OUT]
        result.append(
            MemberMeeting(
                meeting=meeting,
                membership=seat,
                items=list(meeting.items.all()),
                attendance=attendance.get((meeting.pk, seat.pk)),
                papers_due_on=papers[0].due_on if papers else None,
            )
        )
    return result


def public_meetings(*, panel: Panel) -> QuerySet[Meeting]:
    """Meetings a public calendar may list: the public ones. A cancelled meeting stays in
    the feed marked STATUS:CANCELLED, so calendars that have it show it cancelled."""
    return meeting_list(org=panel.organisation, panel=panel).filter(is_public=True)


def meetings_for_person_feed(*, person, today: datetime.date) -> QuerySet[Meeting]:
    """Meetings of the panels the person sits on now, from a year back (cancelled ones
    included: the feed marks them STATUS:CANCELLED)."""
    from members.models import CURRENT_STATUSES, Membership

    panels = (
        Membership.objects.for_org(person.organisation_id)
        .filter(person=person, status__in=CURRENT_STATUSES)
        .values("panel_id")
    )
    return meeting_list(org=person.organisation, panel=None).filter(
        panel_id__in=panels, date__gte=today - datetime.timedelta(days=366)
    )


def agenda_pack_items(*, meeting: Meeting) -> list[AgendaItem]:
    return list(_items_queryset(meeting.organisation).filter(meeting=meeting))
