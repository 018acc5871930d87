"""Recommendations and the Board's responses to them."""

from __future__ import annotations

import datetime

from django.db import transaction

from panels.audit import audit_record, snapshot
from panels.errors import Reason, RuleViolation, raise_if
from panels.rules import source_of
from panels.selectors import terms_in_force
from scrutiny.models import (
    BoardResponse,
    Recommendation,
    ResponseDecision,
    ReviewStage,
    ServiceReview,
)
from scrutiny.services._common import SCRUTINY_RULES, _locked_review


@transaction.atomic
def recommendation_add(
    *, review: ServiceReview, text: str, by, response_due_on: datetime.date | None = None
) -> Recommendation:
    """Add the next numbered recommendation to a review that has not yet reported."""
    review = _locked_review(review)
    if review.stage in (ReviewStage.REPORTED, ReviewStage.WITHDRAWN, ReviewStage.PROPOSED):
        raise RuleViolation(
            code="recommendation.review_stage",
            message="Recommendations are added while the review is under way, before its "
            "report is sent.",
            source=SCRUTINY_RULES,
        )
    last = review.recommendations.order_by("-number").values_list("number", flat=True).first()
    recommendation = Recommendation.objects.create(
        organisation_id=review.organisation_id,
        review=review,
        number=(last or 0) + 1,
        text=text,
        response_due_on=response_due_on,
    )
    audit_record(
        org=review.organisation,
        actor=by,
        action="scrutiny.recommendation_add",
        obj=recommendation,
        after=snapshot(recommendation, ["number", "text", "response_due_on"]),
    )
    return recommendation


@transaction.atomic
def recommendation_set_due(
    *, recommendation: Recommendation, due_on: datetime.date, by
) -> Recommendation:
    """An officer sets the date by which the Board must respond."""
    before = snapshot(recommendation, ["response_due_on"])
    recommendation.response_due_on = due_on
    recommendation.save(update_fields=["response_due_on"])
    audit_record(
        org=recommendation.organisation,
        actor=by,
        action="scrutiny.recommendation_set_due",
        obj=recommendation,
        before=before,
        after=snapshot(recommendation, ["response_due_on"]),
    )
    return recommendation


@transaction.atomic
def response_record(
    *,
    recommendation: Recommendation,
    decision: str,
    responded_on: datetime.date,
    by,
    reasons: str = "",
) -> BoardResponse:
    """Record the Board's formal written response (THT ToR 5: to every recommendation)."""
    recommendation = (
        Recommendation.objects.for_org(recommendation.organisation_id)
        .select_for_update()
        .select_related("review__panel")
        .get(pk=recommendation.pk)
    )
    review = recommendation.review
    terms = terms_in_force(panel=review.panel, on=responded_on)
    refusals = []
    if (
        BoardResponse.objects.for_org(recommendation.organisation_id)
        .filter(recommendation=recommendation)
        .exists()
    ):
        refusals.append(
            Reason(
                "response.already_recorded",
                f"The Board has already responded to R{recommendation.number}.",
                None,
                SCRUTINY_RULES,
            )
        )
    if review.stage != ReviewStage.REPORTED:
        refusals.append(
            Reason(
                "response.not_reported",
                "The Board responds once the review's report has been sent to it.",
                None,
                SCRUTINY_RULES,
            )
        )
    elif responded_on < review.reported_on:
        refusals.append(
            Reason(
                "response.before_report",
                f"The response cannot be dated before the report ({review.reported_on:%d %b %Y}).",
                "responded_on",
                SCRUTINY_RULES,
            )
        )
    if decision != ResponseDecision.ACCEPTED and not reasons.strip():
        source = (
            source_of(terms, "Accountability")
            if terms and terms.board_responds_in_writing
            else SCRUTINY_RULES
        )
        refusals.append(
            Reason(
                "response.reasons_required",
                "A recommendation partly accepted or rejected needs the Board's reasons "
                "in writing.",
                "reasons",
                source,
            )
        )
    raise_if(refusals)
    response = BoardResponse.objects.create(
        organisation_id=recommendation.organisation_id,
        recommendation=recommendation,
        decision=decision,
        reasons=reasons,
        responded_on=responded_on,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit_record(
        org=review.organisation,
        actor=by,
        action="scrutiny.response_record",
        obj=response,
        after=snapshot(response, ["recommendation", "decision", "responded_on"])
        | {"late": response.was_late},
    )
    return response
