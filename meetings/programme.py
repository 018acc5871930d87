"""Where a year's meetings fall, from the ToR cadence. Pure: no queries, no today.

The cadence itself (how many meetings a year, which months) is judged by
panels.rules.cadence_judgement, and how many a year the ToR needs is
panels.rules.meetings_required_per_year; working days are the rules' WorkingCalendar. This
only proposes dates that satisfy them.
"""

import datetime

from panels import rules
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


def cadence_months(terms) -> list[int]:
    """The months a meeting goes in: every month, mid-quarter, or evenly spread."""
    if terms.cadence == Cadence.MONTHLY:
        return list(range(1, 13))
    count = rules.meetings_required_per_year(terms) or 0
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
                calendar.working_day_on_or_before(
                    committee_on - datetime.timedelta(days=days_before_committee)
                ),
                committee_on,
            )
            for committee_on in sorted(committee_dates)
            if committee_on.year == year
        ]
    return [
        (calendar.working_day_on_or_after(nth_weekday(year, month, weekday, week)), None)
        for month in cadence_months(terms)
    ]
