"""A panel's compliance with its terms of reference over a period: meetings held and
quorate, duties done on time, cadence, recorded breaches.

One function feeds both the live compliance page and the report's compliance section,
so the two always show the same figures. Both are computed "as of" a date: the period's
end, or today if the period has not ended (then the figures are interim). Nothing after
the as-of date is counted as missed, late or overdue; a duty not yet due is listed as
due, with its date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from meetings.models import Attendance, Meeting, MeetingStatus
from meetings.selectors import DeadlineState, meeting_deadline_states, meeting_quorum
from members.models import Membership
from notices.models import BreachRule
from panels import rules
from panels.models import Panel
from panels.selectors import terms_versions, working_calendar

DUTY_KINDS = ("meeting_notice", "papers_out", "minutes_out", "key_messages")


def as_of_date(*, end: datetime.date, today: datetime.date) -> datetime.date:
    """The date a period's figures are computed as of: its end, or today if it has not
    ended."""
    return min(end, today)


@dataclass
class MeetingCompliance:
    meeting: Meeting
    quorate: bool | None  # None: no register or no quorum rule
    quorum_text: str
    deadlines: list[DeadlineState]
    terms: object = None  # the ToR version in force on the meeting's date

    @property
    def judged_by(self) -> str:
        if self.terms is None:
            return "No terms of reference in force"
        return f"Judged by {self.terms.title} v{self.terms.version}"

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
class BreachRow:
    """A deadline of the ToR missed or met late, as of the as-of date. Meeting duties come
    from the meetings' deadline states (the selector every page uses); a Board response
    not given in time from the recommendation and its response."""

    due_on: datetime.date
    rule: str
    subject: str
    done_on: datetime.date | None

    @property
    def done_text(self) -> str:
        return f"done late on {self.done_on:%-d %B %Y}" if self.done_on else "not done"


@dataclass
class Compliance:
    panel: Panel
    start: datetime.date
    end: datetime.date
    as_of: datetime.date
    meetings: list[MeetingCompliance]
    held: int
    quorate: int
    inquorate: int
    cancelled: int
    planned: int
    duties: list[DutyTally]
    cadence: rules.CadenceJudgement | None
    breaches: list[BreachRow] = field(default_factory=list)

    @property
    def interim(self) -> bool:
        """The period is still running: the figures may change."""
        return self.as_of < self.end

    @property
    def is_empty(self) -> bool:
        return not self.meetings and not self.breaches

    @property
    def terms_used(self) -> list:
        """The ToR versions the period's meetings were judged by, oldest first."""
        seen: dict[int, object] = {}
        for row in self.meetings:
            if row.terms is not None:
                seen.setdefault(row.terms.pk, row.terms)
        return sorted(seen.values(), key=lambda t: t.effective_from)


def _version_on(versions, day: datetime.date):
    for version in versions:  # newest first
        if version.effective_from <= day:
            return version
    return None


def panel_compliance(
    *, panel: Panel, start: datetime.date, end: datetime.date, today: datetime.date
) -> Compliance:
    """Compliance of a panel for the meetings dated ``start``..``end``, as of the period's
    end or ``today`` if sooner (a constant number of queries whatever the number of
    meetings). Each meeting is judged by the ToR version in force on its date."""
    org = panel.organisation
    as_of = as_of_date(end=end, today=today)
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
    breach_rows: list[BreachRow] = []
    held = quorate = inquorate = cancelled = planned = 0
    for meeting in meetings:
        terms = _version_on(versions, meeting.date)
        states = (
            meeting_deadline_states(meeting=meeting, today=as_of, terms=terms, calendar=calendar)
            if terms
            else []
        )
        is_quorate, quorum_text = None, "No terms of reference in force"
        if terms is not None:
            quorum_text = "Not held yet"
        if meeting.status == MeetingStatus.CANCELLED:
            cancelled += 1
            quorum_text = "Cancelled"
        elif meeting.status == MeetingStatus.HELD and meeting.date <= as_of:
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
        else:
            planned += 1
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
            if state.is_breach:
                breach_rows.append(
                    BreachRow(
                        due_on=state.due_on,
                        rule=f"{state.label} ({state.rule_text})",
                        subject=f"Meeting of {meeting.date:%-d %B %Y}",
                        done_on=state.done_on,
                    )
                )
        rows.append(MeetingCompliance(meeting, is_quorate, quorum_text, states, terms))

    breach_rows += board_responses_late(panel=panel, start=start, as_of=as_of)
    breach_rows.sort(key=lambda b: b.due_on)
    return Compliance(
        panel=panel,
        start=start,
        end=end,
        as_of=as_of,
        meetings=rows,
        held=held,
        quorate=quorate,
        inquorate=inquorate,
        cancelled=cancelled,
        planned=planned,
        duties=sorted(tallies.values(), key=lambda t: DUTY_KINDS.index(t.kind)),
        cadence=panel_cadence(panel=panel, year=end.year, as_of=as_of, versions=versions),
        breaches=breach_rows,
    )


def board_responses_late(
    *, panel: Panel, start: datetime.date, as_of: datetime.date
) -> list[BreachRow]:
    """Board responses due from ``start`` and before ``as_of`` that were not given by their
    date, read from the recommendations and responses themselves (so a response given
    late shows when it came)."""
    from scrutiny.models import Recommendation

    rows = []
    recommendations = (
        Recommendation.objects.for_org(panel.organisation)
        .filter(review__panel=panel, response_due_on__gte=start, response_due_on__lt=as_of)
        .select_related("review", "response")
        .order_by("response_due_on", "review_id", "number")
    )
    for rec in recommendations:
        response = getattr(rec, "response", None)
        responded_on = response.responded_on if response is not None else None
        if responded_on is not None and responded_on <= rec.response_due_on:
            continue
        rows.append(
            BreachRow(
                due_on=rec.response_due_on,
                rule=BreachRule.BOARD_RESPONSE.label,
                subject=f"{rec.review.title}: R{rec.number}",
                done_on=responded_on if responded_on and responded_on <= as_of else None,
            )
        )
    return rows


def panel_cadence(
    *, panel: Panel, year: int, as_of: datetime.date, versions=None
) -> rules.CadenceJudgement | None:
    """The panel's cadence for a calendar year as of a date, judged by the ToR in force on
    that date (None when no ToR is in force)."""
    versions = list(versions if versions is not None else terms_versions(panel=panel))
    as_of = min(as_of, datetime.date(year, 12, 31))
    terms = _version_on(versions, max(as_of, datetime.date(year, 1, 1)))
    if terms is None:
        return None
    year_meetings = list(
        Meeting.objects.for_org(panel.organisation)
        .filter(panel=panel, date__year=year)
        .exclude(status=MeetingStatus.CANCELLED)
        .values_list("date", "status")
    )
    return rules.cadence_judgement(
        terms=terms,
        year=year,
        held=[d for d, s in year_meetings if s == MeetingStatus.HELD],
        # Seen from an earlier as-of date, a meeting held since was still to come.
        planned=[d for d, _status in year_meetings],
        as_of=as_of,
    )
