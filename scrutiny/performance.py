"""Pure performance logic: RAG status, reporting periods and trends. No queries, no now().

RAG is not a terms-of-reference rule: it is how PanelHub reads a result against the
target and tolerance the panel agreed for a measure.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from scrutiny.models import Polarity, Rag, ReportingPeriod

TREND_PERIODS = 8  # the dashboard shows the last eight periods of each measure


def rag_status(*, value: Decimal, target: Decimal, tolerance: Decimal, polarity: str) -> str:
    """Green on or better than target; amber worse but within tolerance; red beyond it."""
    shortfall = target - value if polarity == Polarity.HIGHER_IS_BETTER else value - target
    if shortfall <= 0:
        return Rag.GREEN
    if shortfall <= tolerance:
        return Rag.AMBER
    return Rag.RED


def period_start(day: datetime.date, period: str) -> datetime.date:
    """The first day of the month or quarter containing day."""
    if period == ReportingPeriod.MONTH:
        return day.replace(day=1)
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def period_label(start: datetime.date, period: str) -> str:
    if period == ReportingPeriod.MONTH:
        return f"{start:%b %Y}"
    return f"Q{(start.month - 1) // 3 + 1} {start.year}"


def previous_period(start: datetime.date, period: str) -> datetime.date:
    months = 1 if period == ReportingPeriod.MONTH else 3
    month = start.month - months
    year = start.year
    while month < 1:
        month += 12
        year -= 1
    return datetime.date(year, month, 1)


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})[- ]?Q([1-4])$", re.IGNORECASE)


def parse_period(text: str, period: str) -> datetime.date:
    """'2025-04' for a month, '2025-Q2' for a quarter -> the period's first day.

    Raises ValueError with a plain message when the text does not name such a period.
    """
    text = (text or "").strip()
    if period == ReportingPeriod.MONTH:
        match = _MONTH.match(text)
        if not match or not 1 <= int(match[2]) <= 12:
            raise ValueError(f"“{text}” is not a month: write it as YYYY-MM, e.g. 2025-04.")
        return datetime.date(int(match[1]), int(match[2]), 1)
    match = _QUARTER.match(text)
    if not match:
        raise ValueError(f"“{text}” is not a quarter: write it as YYYY-Qn, e.g. 2025-Q2.")
    return datetime.date(int(match[1]), 3 * (int(match[2]) - 1) + 1, 1)


@dataclass(frozen=True)
class TrendPoint:
    period_start: datetime.date
    label: str
    value: Decimal
    rag: str


@dataclass(frozen=True)
class MeasureState:
    """A measure's latest RAG, its last eight periods and its direction of travel."""

    latest: TrendPoint | None
    points: tuple[TrendPoint, ...]
    direction: str  # "improving", "worsening", "steady" or "" (fewer than two results)

    @property
    def is_red(self) -> bool:
        return self.latest is not None and self.latest.rag == Rag.RED

    @property
    def red_two_periods_running(self) -> bool:
        return len(self.points) >= 2 and all(p.rag == Rag.RED for p in self.points[-2:])

    @property
    def may_propose_review(self) -> bool:
        return self.is_red


def measure_state(
    *,
    target: Decimal,
    tolerance: Decimal,
    polarity: str,
    period: str,
    results: Sequence[tuple[datetime.date, Decimal]],
) -> MeasureState:
    """RAG and trend from (period_start, value) pairs in any order."""
    ordered = sorted(results)[-TREND_PERIODS:]
    points = tuple(
        TrendPoint(
            period_start=start,
            label=period_label(start, period),
            value=value,
            rag=rag_status(value=value, target=target, tolerance=tolerance, polarity=polarity),
        )
        for start, value in ordered
    )
    direction = ""
    if len(points) >= 2:
        change = points[-1].value - points[-2].value
        if polarity == Polarity.LOWER_IS_BETTER:
            change = -change
        direction = "improving" if change > 0 else "worsening" if change < 0 else "steady"
    return MeasureState(latest=points[-1] if points else None, points=points, direction=direction)
