"""Scrutiny and the review of the terms of reference themselves."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from panels.errors import Reason
from panels.models import TermsOfReference
from panels.rules._common import source_of


def terms_review_due(terms: TermsOfReference, today: datetime.date) -> bool:
    return terms.review_due_on is not None and today >= terms.review_due_on


@dataclass(frozen=True)
class TermsReview:
    """When a ToR version is due for review: "due" (the date has come; the flag shows on the
    officer's overview and the ToR page), "not_due", or "not_set" (neither the document nor
    the officer gave a date: the officer sets one in a new version)."""

    status: str
    due_on: datetime.date | None
    message: str

    @property
    def is_due(self) -> bool:
        return self.status == "due"


def terms_review_state(terms: TermsOfReference, today: datetime.date) -> TermsReview:
    due_on = terms.review_due_on
    if due_on is None:
        return TermsReview(
            "not_set",
            None,
            "Review date: not stated in the terms of reference. Set one in a new version.",
        )
    if today >= due_on:
        return TermsReview(
            "due",
            due_on,
            f"Review due: the terms of reference were due for review on {due_on:%-d %B %Y}.",
        )
    return TermsReview("not_due", due_on, f"Next review due on {due_on:%-d %B %Y}.")


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
