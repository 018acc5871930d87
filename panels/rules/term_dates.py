"""Terms of office ending, counted by date at the edges.

A term ending today has ended today (the seat holder's last day is the end date, and the
officer acts on it now); "within 90 days" means after today and no later than the 90th day
after it. The roster and the Board report's membership section both ask here.
"""

from __future__ import annotations

import datetime

TERM_ENDING_WINDOW_DAYS = 90


def term_ended(term_ends_on: datetime.date | None, on: datetime.date) -> bool:
    """The term has ended on or before ``on`` (a term ending on ``on`` ended that day)."""
    return term_ends_on is not None and term_ends_on <= on


def term_ending_within(
    term_ends_on: datetime.date | None, on: datetime.date, days: int = TERM_ENDING_WINDOW_DAYS
) -> bool:
    """The term ends after ``on`` and no later than ``days`` days after it."""
    return term_ends_on is not None and on < term_ends_on <= on + datetime.timedelta(days=days)
