"""Cadence judged fairly, as of a date: met, on track, at risk (still possible), cannot be met.

One judgement feeds the Board report (its figures and its summary sentence), the compliance
page, the meeting programme and the officer's at-a-glance, so they cannot disagree.

The year is cut into slots by the ToR's cadence: months (monthly), quarters (at least
quarterly) or none (a minimum number a year). A slot that ended before the as-of date with
no meeting held is missed, and the year's cadence can no longer be met. A panel holds at
most one meeting a month in the ordinary course (ceil(required / 12) if the ToR asks for
more than twelve), so a count still needed that the months left cannot hold cannot be met
either. Otherwise the cadence is at risk when the meetings planned do not cover what is
still needed (or an open slot has nothing planned), and on track when they do.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from panels.models import Cadence, TermsOfReference
from panels.rules.meetings import meetings_required_per_year


class CadenceStatus:
    MET = "met"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    CANNOT_BE_MET = "cannot_be_met"
    NOT_MET = "not_met"  # the year is over and the cadence was not met
    NOT_STATED = "not_stated"


CADENCE_STATUS_LABELS = {
    CadenceStatus.MET: "Met",
    CadenceStatus.ON_TRACK: "On track",
    CadenceStatus.AT_RISK: "At risk",
    CadenceStatus.CANNOT_BE_MET: "Cannot be met",
    CadenceStatus.NOT_MET: "Not met",
    CadenceStatus.NOT_STATED: "Not stated",
}

# A symbol beside the words, so the status never rests on colour alone.
CADENCE_STATUS_SYMBOLS = {
    CadenceStatus.MET: "✓",
    CadenceStatus.ON_TRACK: "✓",
    CadenceStatus.AT_RISK: "!",
    CadenceStatus.CANNOT_BE_MET: "✗",
    CadenceStatus.NOT_MET: "✗",
    CadenceStatus.NOT_STATED: "–",
}


@dataclass(frozen=True)
class CadenceJudgement:
    year: int
    as_of: datetime.date
    status: str
    required: int | None
    held: int
    planned: int
    needed: int  # meetings still to hold in the year to reach ``required``
    by: datetime.date  # the last day of the year
    months_left: int  # months with a day still to come after the as-of date
    missed_slots: list[str] = field(default_factory=list)  # "January", "quarter 1"
    unplanned_slots: list[str] = field(default_factory=list)  # open slots with nothing planned
    message: str = ""

    @property
    def label(self) -> str:
        return CADENCE_STATUS_LABELS[self.status]

    @property
    def symbol(self) -> str:
        return CADENCE_STATUS_SYMBOLS[self.status]

    @property
    def met(self) -> bool:
        return self.status == CadenceStatus.MET

    @property
    def at_risk(self) -> bool:
        """At risk or worse: something must be done (or can no longer be done)."""
        return self.status in (
            CadenceStatus.AT_RISK,
            CadenceStatus.CANNOT_BE_MET,
            CadenceStatus.NOT_MET,
        )

    @property
    def cannot_be_met(self) -> bool:
        return self.status in (CadenceStatus.CANNOT_BE_MET, CadenceStatus.NOT_MET)

    @property
    def tone(self) -> str:
        """ok / warn / bad, for the page's status class (always beside the words)."""
        if self.status in (CadenceStatus.MET, CadenceStatus.ON_TRACK):
            return "ok"
        if self.status == CadenceStatus.AT_RISK:
            return "warn"
        if self.status == CadenceStatus.NOT_STATED:
            return "none"
        return "bad"


def _slots(cadence: str, year: int) -> list[tuple[str, datetime.date, datetime.date]]:
    """(name, first day, last day) of each slot of the year that needs a meeting."""
    if cadence == Cadence.MONTHLY:
        slots = []
        for month in range(1, 13):
            start = datetime.date(year, month, 1)
            nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
            slots.append((start.strftime("%B"), start, nxt - datetime.timedelta(days=1)))
        return slots
    if cadence == Cadence.QUARTERLY:
        slots = []
        for quarter in range(1, 5):
            start = datetime.date(year, 3 * quarter - 2, 1)
            nxt = datetime.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
            slots.append((f"quarter {quarter}", start, nxt - datetime.timedelta(days=1)))
        return slots
    return []


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _slot_phrase(names: list[str]) -> str:
    """["quarter 1", "quarter 3"] -> "quarters 1 and 3"; months as they are."""
    if names and all(n.startswith("quarter ") for n in names):
        numbers = [n.split(" ", 1)[1] for n in names]
        return ("quarters " if len(numbers) > 1 else "quarter ") + _join(numbers)
    return _join(names)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def cadence_judgement(
    *,
    terms: TermsOfReference,
    year: int,
    held: Iterable[datetime.date],
    planned: Iterable[datetime.date],
    as_of: datetime.date,
) -> CadenceJudgement:
    """Judge a calendar year's meetings against the ToR cadence as of a date.

    ``held``: dates of meetings that took place; ``planned``: dates of meetings still to come
    (not cancelled). Meetings after ``as_of`` never count as held, and nothing after it is
    counted as missed."""
    year_end = datetime.date(year, 12, 31)
    as_of = min(as_of, year_end)
    held_dates = sorted(d for d in held if d.year == year and d <= as_of)
    planned_dates = sorted(d for d in planned if d.year == year and d > as_of)
    required = meetings_required_per_year(terms)
    # Months with a day still to come after the as-of date (30 November leaves December).
    following = as_of + datetime.timedelta(days=1)
    months_left = 0 if as_of >= year_end else 12 - following.month + 1
    if year > as_of.year:
        months_left = 12
    base = {
        "year": year,
        "as_of": as_of,
        "held": len(held_dates),
        "planned": len(planned_dates),
        "by": year_end,
        "months_left": months_left,
    }
    if required is None:
        return CadenceJudgement(
            status=CadenceStatus.NOT_STATED,
            required=None,
            needed=0,
            message="The terms of reference state no meeting cadence.",
            **base,
        )
    needed = max(0, required - len(held_dates))
    missed, unplanned = [], []
    for name, first, last in _slots(terms.cadence, year):
        if any(first <= d <= last for d in held_dates):
            continue
        if last < as_of or as_of >= year_end:
            missed.append(name)
        elif not any(first <= d <= last for d in planned_dates):
            unplanned.append(name)
    capacity = months_left * max(1, math.ceil(required / 12))
    held_text = f"{_plural(len(held_dates), 'meeting')} held in {year} by {as_of:%-d %B %Y}"
    need_text = f"the terms of reference need at least {required}"
    if as_of >= year_end:
        if needed == 0 and not missed:
            status = CadenceStatus.MET
            message = f"Met: {held_text}; {need_text}."
        else:
            status = CadenceStatus.NOT_MET
            message = f"Not met: {held_text}; {need_text}."
            if missed:
                message += f" No meeting was held in {_slot_phrase(missed)}."
        return CadenceJudgement(
            status=status,
            required=required,
            needed=needed,
            missed_slots=missed,
            message=message,
            **base,
        )
    still = f"{needed} more by {year_end:%-d %B %Y}"
    if missed or needed > capacity:
        status = CadenceStatus.CANNOT_BE_MET
        message = f"Cannot be met: {held_text}; {need_text}"
        if missed:
            message += f", and no meeting was held in {_slot_phrase(missed)}."
        else:
            message += (
                f", so {still}, with {_plural(months_left, 'month')} left "
                "(not enough time at one meeting a month)."
            )
    elif needed == 0 and not unplanned:
        status = CadenceStatus.MET if not _slots(terms.cadence, year) else CadenceStatus.ON_TRACK
        if status == CadenceStatus.MET:
            message = f"Met: {held_text}; {need_text}."
        else:
            message = (
                f"On track: {held_text} and {len(planned_dates)} planned; {need_text}, "
                f"one in each {'month' if terms.cadence == Cadence.MONTHLY else 'quarter'}."
            )
    elif len(planned_dates) >= needed and not unplanned:
        status = CadenceStatus.ON_TRACK
        message = (
            f"On track: {held_text} and {len(planned_dates)} planned; {need_text}, so {still}."
        )
    else:
        status = CadenceStatus.AT_RISK
        message = (
            f"At risk (still possible): {held_text} and {len(planned_dates)} planned; "
            f"{need_text}, so {still}."
        )
        if unplanned:
            message += f" Nothing is planned in {_slot_phrase(unplanned)}."
        elif len(planned_dates) < needed:
            message += f" {_plural(needed - len(planned_dates), 'more meeting')} to plan."
    return CadenceJudgement(
        status=status,
        required=required,
        needed=needed,
        missed_slots=missed,
        unplanned_slots=unplanned,
        message=message,
        **base,
    )
