"""Scrutiny and the review of the terms of reference themselves."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from panels.errors import Reason
from panels.models import TermsOfReference
from panels.rules._common import source_of


def terms_review_due(terms: TermsOfReference, today: datetime.date) -> bool:
    return terms.review_due_on is not None and today >= terms.review_due_on


def champion_refusals(*, terms: TermsOfReference, priorities_championed: int) -> list[Reason]:
    """Reasons a resident lead may not champion one more priority (HFH: up to two each)."""
    limit = terms.champion_max_priorities
    if limit is None or priorities_championed < limit:
        return []
    return [
        Reason(
            code="champion.too_many_priorities",
            message=(
                f"A resident lead may champion at most {limit} priorities; this one already "
                f"champions {priorities_championed}."
            ),
            field="person",
            source=source_of(terms, "Membership: resident leads"),
        )
    ]


@dataclass(frozen=True)
class ReviewProgress:
    """Service reviews completed in a year against the ToR's annual target."""

    target: int | None
    completed: int

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.completed >= self.target

    @property
    def remaining(self) -> int:
        return 0 if self.target is None else max(self.target - self.completed, 0)


def review_progress(*, terms: TermsOfReference | None, completed: int) -> ReviewProgress:
    """Completed reviews against the annual target (THT: aim to complete three a year)."""
    target = terms.scrutiny_reviews_per_year if terms is not None else None
    return ReviewProgress(target=target, completed=completed)


NOTICE_TO_ACT_MOTION = "notice_to_act"


def notice_to_act_power(*, terms: TermsOfReference | None) -> bool:
    """Whether the panel may serve a Notice to Act on the Board: only where its ToR makes it a
    motion carried by a majority of all members (Stockport ToR, Role of the panel)."""
    return terms is not None and NOTICE_TO_ACT_MOTION in (terms.all_member_majority_motions or [])
