"""Where a year's meetings fall, from the ToR cadence. Pure: no queries, no today.

The cadence itself (how many meetings a year, which months) is judged by
panels.rules.cadence_state; this only proposes dates that satisfy it.
"""

import datetime

from panels.models import Cadence
from panels.rules import WorkingCalendar

# The ToRs do not name a day of the month; officers move meetings once generated.
DEFAULT_WEEKDAY = 1  # Tuesday
DEFAULT_WEEK_OF_MONTH = 2
DEFAULT_DAYS_BEFORE_COMMITTEE = 14
QUARTER_MONTHS = (2, 5, 8, 11)


def nth_weekday(year: int, month: int, weekday: int, week: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + datetime.timedelta(days=offset + 7 * (week - 1))


def _working_on_or_after(day: datetime.date, calendar: WorkingCalendar) -> datetime.date:
    while not calendar.is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def _working_on_or_before(day: datetime.date, calendar: WorkingCalendar) -> datetime.date:
    while not calendar.is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def cadence_months(terms) -> list[int]:
    """The months a meeting goes in: every month, mid-quarter, or evenly spread."""
    if terms.cadence == Cadence.MONTHLY:
        return list(range(1, 13))
    if terms.cadence == Cadence.QUARTERLY and not terms.min_meetings_per_year:
        return list(QUARTER_MONTHS)
    count = terms.min_meetings_per_year or (4 if terms.cadence == Cadence.QUARTERLY else 0)
    if count >= 12:
        return list(range(1, 13))
    if count == 4:
        return list(QUARTER_MONTHS)
    return [1 + (i * 12) // count for i in range(count)] if count else []


def programme_dates(
    *,
    terms,
    year: int,
    calendar: WorkingCalendar,
    committee_dates: list[datetime.date] = (),
    weekday: int = DEFAULT_WEEKDAY,
    week: int = DEFAULT_WEEK_OF_MONTH,
    days_before_committee: int = DEFAULT_DAYS_BEFORE_COMMITTEE,
) -> list[tuple[datetime.date, datetime.date | None]]:
    """(meeting date, committee date it precedes or None) for each meeting of the year, on
    working days. Panels that meet before a committee get one meeting before each date."""
    if terms.meets_before_committee:
        return [
            (
                _working_on_or_before(
                    committee_on - datetime.timedelta(days=days_before_committee), calendar
                ),
                committee_on,
            )
            for committee_on in sorted(committee_dates)
            if committee_on.year == year
        ]
    return [
        (_working_on_or_after(nth_weekday(year, month, weekday, week), calendar), None)
        for month in cadence_months(terms)
    ]
