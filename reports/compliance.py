"""A panel's compliance with its terms of reference over a period: meetings held and
quorate, duties done on time, cadence, recorded breaches.

One function feeds both the live compliance page and the report's compliance section,
so the two always show the same figures.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from meetings.models import Attendance, Meeting, MeetingStatus
from meetings.selectors import DeadlineState, meeting_deadline_states, meeting_quorum
from members.models import Membership
from notices.models import Breach
from panels import rules
from panels.models import Panel
from panels.selectors import terms_versions, working_calendar

DUTY_KINDS = ("meeting_notice", "papers_out", "minutes_out", "key_messages")


@dataclass
class MeetingCompliance:
    meeting: Meeting
    quorate: bool | None  # None: no register or no quorum rule
    quorum_text: str
    deadlines: list[DeadlineState]

    @property
    def breaches(self) -> list[DeadlineState]:
        return [d for d in self.deadlines if d.is_breach]


@dataclass
class DutyTally:
    kind: str
    label: str
    rule_text: str
    on_time: int = 0
    late: int = 0
    missed: int = 0
    open: int = 0

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.missed


@dataclass
class Compliance:
    panel: Panel
    start: datetime.date
    end: datetime.date
    meetings: list[MeetingCompliance]
    held: int
    quorate: int
    inquorate: int
    cancelled: int
    duties: list[DutyTally]
    cadence: rules.CadenceState | None
    breaches: list[Breach] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.meetings and not self.breaches


def _version_on(versions, day: datetime.date):
    for version in versions:  # newest first
        if version.effective_from <= day:
            return version
    return None


def panel_compliance(
    *, panel: Panel, start: datetime.date, end: datetime.date, today: datetime.date
) -> Compliance:
    """Compliance of a panel for the meetings dated ``start``..``end``, as it stands on
    ``today`` (a constant number of queries whatever the number of meetings)."""
    org = panel.organisation
    versions = list(terms_versions(panel=panel))
    calendar = working_calendar(org=org)
    meetings = list(
        Meeting.objects.for_org(org)
        .filter(panel=panel, date__gte=start, date__lte=end)
        .prefetch_related(
            Prefetch(
                "register",
                queryset=Attendance.objects.for_org(org).only(
                    "id", "meeting_id", "membership_id", "status"
                ),
            )
        )
        .order_by("date", "start_time")
    )
    seats = list(
        Membership.objects.for_org(org)
        .filter(panel=panel, starts_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
    )
    rows: list[MeetingCompliance] = []
    tallies: dict[str, DutyTally] = {}
    held = quorate = inquorate = cancelled = 0
    for meeting in meetings:
        terms = _version_on(versions, meeting.date)
        states = (
            meeting_deadline_states(meeting=meeting, today=today, terms=terms, calendar=calendar)
            if terms
            else []
        )
        is_quorate, quorum_text = None, "No terms of reference in force"
        if meeting.status == MeetingStatus.CANCELLED:
            cancelled += 1
        elif meeting.status == MeetingStatus.HELD:
            held += 1
            register = list(meeting.register.all())
            if terms is not None and register:
                on_date = [
                    s
                    for s in seats
                    if s.starts_on <= meeting.date
                    and (s.ended_on is None or s.ended_on >= meeting.date)
                ]
                state = meeting_quorum(
                    meeting=meeting, terms=terms, memberships=on_date, register=register
                )
                if state.required is not None:
                    is_quorate = state.is_quorate
                    quorum_text = f"{state.present} present, {state.required} needed"
                    quorate += is_quorate
                    inquorate += not is_quorate
                else:
                    quorum_text = "No quorum stated"
            elif terms is not None:
                quorum_text = "No register taken"
        for state in states:
            if state.kind not in DUTY_KINDS:
                continue
            tally = tallies.setdefault(
                state.kind, DutyTally(state.kind, state.label, state.rule_text)
            )
            if state.state == "done":
                tally.on_time += 1
            elif state.state == "done_late":
                tally.late += 1
            elif state.state == "missed":
                tally.missed += 1
            elif state.state == "open":
                tally.open += 1
        rows.append(MeetingCompliance(meeting, is_quorate, quorum_text, states))

    terms_now = _version_on(versions, end)
    cadence = None
    if terms_now is not None:
        year = end.year
        year_meetings = (
            Meeting.objects.for_org(org)
            .filter(panel=panel, date__year=year)
            .exclude(status=MeetingStatus.CANCELLED)
            .values_list("date", "status")
        )
        held_dates = [d for d, s in year_meetings if s == MeetingStatus.HELD]
        planned_dates = [d for d, s in year_meetings if s != MeetingStatus.HELD and d >= today]
        cadence = rules.cadence_state(
            terms=terms_now, year=year, held=held_dates, planned=planned_dates, today=today
        )
    breaches = list(
        Breach.objects.for_org(org)
        .filter(panel=panel, due_on__gte=start, due_on__lte=end)
        .order_by("due_on", "id")
    )
    return Compliance(
        panel=panel,
        start=start,
        end=end,
        meetings=rows,
        held=held,
        quorate=quorate,
        inquorate=inquorate,
        cancelled=cancelled,
        duties=sorted(tallies.values(), key=lambda t: DUTY_KINDS.index(t.kind)),
        cadence=cadence,
        breaches=breaches,
    )
