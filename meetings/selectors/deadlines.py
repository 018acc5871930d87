"""Deadlines: each duty's date and state for a meeting (notice, papers, minutes)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from meetings.models import (
    Meeting,
    MeetingStatus,
)
from panels import rules
from panels.models import DeadlineKind, Organisation
from panels.selectors import terms_in_force, working_calendar

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
    cancelled meeting's duties are not_applicable.

    ``today`` is the "as of" date: a report as of 30 September passes that date, and a duty
    done after it counts as not yet done then, so nothing after the date is late or missed."""
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
            if done_on is not None and done_on > today:
                done_on = None
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
