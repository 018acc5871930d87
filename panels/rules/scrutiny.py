"""Scrutiny and the review of the terms of reference themselves."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

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


BOARD_TOPIC_SOURCE = "board"


def board_topic_flag(
    *, terms: TermsOfReference | None, year: int, topic_sources: Iterable[str]
) -> Reason | None:
    """A flag (not a refusal) where the ToR wants at least one review topic a year nominated
    by the Board or executive team and the year's topics have none (THT 4: "Flexibility to
    include at least one topic/service area that is nominated by the THT board or executive
    team"). ``topic_sources``: the year's review topics' sources, withdrawn ones left out."""
    if terms is None or not terms.board_nominated_topic_required:
        return None
    if BOARD_TOPIC_SOURCE in set(topic_sources):
        return None
    return Reason(
        code="work_plan.no_board_topic",
        message=(
            f"The {year} work plan has no topic nominated by the Board or executive team; the "
            "terms of reference expect at least one."
        ),
        source=source_of(terms, "Selection of activities and topics"),
    )


@dataclass(frozen=True)
class PrioritiesReview:
    due_on: datetime.date
    is_due: bool
    message: str
    source: str


def priorities_review_state(
    *,
    terms: TermsOfReference | None,
    year: int,
    last_reviewed_on: datetime.date | None,
    today: datetime.date,
) -> PrioritiesReview | None:
    """When the review of the year's priorities is due (HFH 2a: "Agree priorities on an
    annual basis, with a six-monthly review"): every ``priorities_review_months`` months from
    the start of the work plan year or the last review. None where the ToR sets no review."""
    if terms is None or not terms.priorities_review_months:
        return None
    months = terms.priorities_review_months
    start = max(filter(None, [datetime.date(year, 1, 1), last_reviewed_on]))
    due_on = start + relativedelta(months=months)
    is_due = today >= due_on
    message = (
        f"Review of the {year} priorities due since {due_on:%-d %B %Y} (every {months} months)."
        if is_due
        else f"Next review of the {year} priorities due on {due_on:%-d %B %Y}."
    )
    return PrioritiesReview(due_on, is_due, message, source_of(terms, "Work plan"))
