"""Working days and the deadlines counted in them."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import holidays

from panels.errors import Reason
from panels.models import (
    DeadlineDirection,
    DeadlineKind,
    DeadlineRule,
    DeadlineUnit,
    Nation,
    TermsOfReference,
)
from panels.rules._common import source_of

# The holidays package computes any year; these bounds only stop a typo (year 20026)
# from silently producing a date nobody meant.
CALENDAR_MIN_YEAR = 1970


CALENDAR_MAX_YEAR = 2200


class CalendarOutOfRange(ValueError):
    """A working-day question about a date outside the years the calendar covers."""


@lru_cache(maxsize=64)
def _bank_holidays(nation: str, year: int) -> frozenset[datetime.date]:
    if not CALENDAR_MIN_YEAR <= year <= CALENDAR_MAX_YEAR:
        raise CalendarOutOfRange(
            f"Working days can be computed for {CALENDAR_MIN_YEAR}–{CALENDAR_MAX_YEAR}, not {year}."
        )
    return frozenset(holidays.country_holidays("GB", subdiv=nation, years=year).keys())


ONE_DAY = datetime.timedelta(days=1)
MINUS_ONE_DAY = -ONE_DAY


@dataclass(frozen=True)
class WorkingCalendar:
    """Weekdays that are neither a bank holiday of the nation nor an organisation closure day.

    Stepping over working days is the hot path (every deadline of every meeting): it walks
    one combined frozenset of bank holidays and closures for the years around the start
    (built once per calendar and year), with one constant one-day step and no method call
    per day beyond ``date.weekday`` (issue 20: within 2x of a bare loop, bench/rules.py).
    """

    nation: str = Nation.ENGLAND
    closures: frozenset[datetime.date] = frozenset()
    # {year: (closed days of year-1..year+1, first day, last day)}; not part of equality.
    _windows: dict = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def _window(self, year: int) -> tuple[frozenset[datetime.date], datetime.date, datetime.date]:
        window = self._windows.get(year)
        if window is None:
            low, high = max(CALENDAR_MIN_YEAR, year - 1), min(CALENDAR_MAX_YEAR, year + 1)
            closed = frozenset(self.closures).union(
                *(_bank_holidays(self.nation, y) for y in range(low, high + 1))
            )
            window = (closed, datetime.date(low, 1, 1), datetime.date(high, 12, 31))
            self._windows[year] = window
        return window

    def is_working_day(self, day: datetime.date) -> bool:
        return (
            day.weekday() < 5
            and day not in _bank_holidays(self.nation, day.year)
            and day not in self.closures
        )

    def holiday_name(self, day: datetime.date) -> str | None:
        if day in self.closures:
            return "closure day"
        if day not in _bank_holidays(self.nation, day.year):
            return None
        return holidays.country_holidays("GB", subdiv=self.nation, years=day.year).get(day)

    def step(self, start: datetime.date, count: int, direction: int) -> datetime.date:
        """The ``count``-th working day counting from the day after (direction +1) or the day
        before (direction -1) ``start``."""
        if count <= 0:
            raise ValueError("A working-day count must be positive.")
        if not CALENDAR_MIN_YEAR <= start.year <= CALENDAR_MAX_YEAR:
            return self._step_day_by_day(start, count, direction)
        closed, first, last = self._window(start.year)
        delta = ONE_DAY if direction > 0 else MINUS_ONE_DAY
        day = start
        found = 0
        while found < count:
            day += delta
            if day.weekday() < 5 and day not in closed:
                found += 1
        if first <= day <= last:
            return day
        # Walked past the years the window holds (a very long count): answer year by year.
        return self._step_day_by_day(start, count, direction)

    def _step_day_by_day(self, start: datetime.date, count: int, direction: int) -> datetime.date:
        delta = ONE_DAY if direction > 0 else MINUS_ONE_DAY
        day = start
        found = 0
        while found < count:
            day += delta
            if self.is_working_day(day):
                found += 1
        return day

    def working_day_on_or_after(self, day: datetime.date) -> datetime.date:
        """``day`` if it is a working day, else the next one."""
        return day if self.is_working_day(day) else self.step(day, 1, +1)

    def working_day_on_or_before(self, day: datetime.date) -> datetime.date:
        """``day`` if it is a working day, else the one before."""
        return day if self.is_working_day(day) else self.step(day, 1, -1)

    def working_days_before(self, day: datetime.date, count: int) -> datetime.date:
        """ "N working days before D": the N-th working day counting back from D-1."""
        return self.step(day, count, -1)

    def working_days_after(self, day: datetime.date, count: int) -> datetime.date:
        """ "Within N working days of D": the N-th working day counting on from D+1."""
        return self.step(day, count, +1)

    def last_working_day_on_or_before(self, day: datetime.date) -> datetime.date:
        return self.working_day_on_or_before(day)

    def count_working_days(self, first: datetime.date, last: datetime.date) -> int:
        """Working days from first to last, both included."""
        total = 0
        day = first
        while day <= last:
            total += self.is_working_day(day)
            day += ONE_DAY
        return total


@dataclass(frozen=True)
class MeetingDeadline:
    kind: str
    label: str
    due_on: datetime.date
    direction: str
    rule_text: str
    channel: str = ""
    # The last working day on or before ``due_on``: when a calendar-day deadline falls on a
    # weekend, bank holiday or closure day, the work has to be done by this day.
    last_working_day_on: datetime.date | None = None


def deadline_rule_text(rule: DeadlineRule) -> str:
    amount_unit = f"{rule.amount} {DeadlineUnit(rule.unit).label}"
    if rule.amount == 1:
        amount_unit = amount_unit.rstrip("s").replace("days", "day")
    channel = {"post": " by post", "electronic": " electronically"}.get(rule.channel, "")
    return f"{amount_unit} {DeadlineDirection(rule.direction).label}{channel}"


def deadline_date(
    rule: DeadlineRule, meeting_date: datetime.date, calendar: WorkingCalendar
) -> datetime.date:
    """The date a deadline falls on for a meeting on ``meeting_date``.

    Calendar days and weeks count from the meeting date itself ("no less than 7 days
    before" a meeting on the 15th is the 8th); working days count from the day before
    (or after) the meeting, skipping weekends, bank holidays and closure days.
    """
    before = rule.direction == DeadlineDirection.BEFORE
    if rule.unit == DeadlineUnit.WORKING_DAYS:
        if before:
            return calendar.working_days_before(meeting_date, rule.amount)
        return calendar.working_days_after(meeting_date, rule.amount)
    days = rule.amount * (7 if rule.unit == DeadlineUnit.WEEKS else 1)
    delta = datetime.timedelta(days=days)
    return meeting_date - delta if before else meeting_date + delta


def meeting_deadlines(
    *,
    deadline_rules: Iterable[DeadlineRule],
    meeting_date: datetime.date,
    calendar: WorkingCalendar,
) -> list[MeetingDeadline]:
    """Every deadline of the ToR for one meeting, in date order."""
    deadlines = [
        MeetingDeadline(
            kind=rule.kind,
            label=DeadlineKind(rule.kind).label,
            due_on=due_on,
            direction=rule.direction,
            rule_text=deadline_rule_text(rule),
            channel=rule.channel,
            last_working_day_on=calendar.last_working_day_on_or_before(due_on),
        )
        for rule in deadline_rules
        for due_on in [deadline_date(rule, meeting_date, calendar)]
    ]
    return sorted(deadlines, key=lambda d: (d.due_on, d.kind))


# The deadlines before a meeting that are the organisation's duties (not windows for
# others' requests): a meeting scheduled past one of them misses it.
DUTIES_BEFORE = ("meeting_notice", "papers_out")


def deadlines_out_of_reach(
    *, deadlines: Iterable[MeetingDeadline], today: datetime.date
) -> list[MeetingDeadline]:
    """The duties before a meeting that scheduling it on ``today`` already misses: the
    deadline has passed, or it cannot be met because its last working day (the deadline
    itself, or the working day before a weekend, bank holiday or closure) has passed."""
    return [
        d
        for d in deadlines
        if d.kind in DUTIES_BEFORE
        and d.direction == DeadlineDirection.BEFORE
        and (d.last_working_day_on or d.due_on) < today
    ]


def papers_channel(deadline_rules: Iterable[DeadlineRule]) -> str:
    """The channel the ToR sends papers by ("post", "electronic"), or "" where it names
    none: then each member's own preference decides (Helena: "by post")."""
    for rule in deadline_rules:
        if rule.kind == "papers_out":
            return rule.channel or ""
    return ""


def deadline_for(
    *,
    kind: str,
    deadline_rules: Iterable[DeadlineRule],
    meeting_date: datetime.date,
    calendar: WorkingCalendar,
) -> MeetingDeadline | None:
    for deadline in meeting_deadlines(
        deadline_rules=deadline_rules, meeting_date=meeting_date, calendar=calendar
    ):
        if deadline.kind == kind:
            return deadline
    return None


def request_in_time(
    *,
    kind: str,
    deadline_rules: Iterable[DeadlineRule],
    meeting_date: datetime.date,
    requested_on: datetime.date,
    calendar: WorkingCalendar,
    terms: TermsOfReference,
) -> list[Reason]:
    """Refusal reasons for a request made on ``requested_on`` against a 'before' deadline
    (agenda proposals, staff attendance requests); none if in time or no rule."""
    deadline = deadline_for(
        kind=kind, deadline_rules=deadline_rules, meeting_date=meeting_date, calendar=calendar
    )
    if deadline is None or requested_on <= deadline.due_on:
        return []
    return [
        Reason(
            code=f"deadline.{kind}.missed",
            message=(
                f"{deadline.label} must be made at least {deadline.rule_text} "
                f"(by {deadline.due_on:%A %d %B %Y}); this one was made on "
                f"{requested_on:%d %B %Y}."
            ),
            source=source_of(terms, "Meetings"),
        )
    ]
