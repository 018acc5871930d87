"""Improvement actions and escalation."""

from __future__ import annotations

import datetime

from django.db import transaction

from panels.audit import audit_record, snapshot
from panels.errors import Reason, RuleViolation, raise_if
from panels.rules import source_of
from panels.selectors import terms_in_force
from scrutiny.models import (
    ActionStatus,
    BoardResponse,
    Escalation,
    EscalationStatus,
    EscalationStep,
    ImprovementAction,
    Recommendation,
    ResponseDecision,
    ServiceReview,
)
from scrutiny.services._common import SCRUTINY_RULES, _locked_review


@transaction.atomic
def action_add(
    *, recommendation: Recommendation, description: str, owner: str, due_on: datetime.date, by
) -> ImprovementAction:
    """Add an improvement-plan action for an accepted or partly accepted recommendation."""
    response = (
        BoardResponse.objects.for_org(recommendation.organisation_id)
        .filter(recommendation=recommendation)
        .first()
    )
    if response is None or response.decision == ResponseDecision.REJECTED:
        raise RuleViolation(
            code="action.not_accepted",
            message="Improvement actions follow a recommendation the Board accepted "
            "(fully or in part).",
            source=SCRUTINY_RULES,
        )
    action = ImprovementAction.objects.create(
        organisation_id=recommendation.organisation_id,
        recommendation=recommendation,
        description=description,
        owner=owner,
        due_on=due_on,
    )
    audit_record(
        org=recommendation.organisation,
        actor=by,
        action="scrutiny.action_add",
        obj=action,
        after=snapshot(action, ["description", "owner", "due_on"]),
    )
    return action


@transaction.atomic
def action_update(
    *,
    action: ImprovementAction,
    status: str,
    by,
    completed_on: datetime.date | None = None,
    completion_evidence: str = "",
) -> ImprovementAction:
    """Move an action on; done needs the date and the evidence of completion."""
    action = (
        ImprovementAction.objects.for_org(action.organisation_id)
        .select_for_update()
        .get(pk=action.pk)
    )
    fields = ["status", "completed_on", "completion_evidence"]
    before = snapshot(action, fields)
    if status == ActionStatus.DONE:
        reasons = []
        if completed_on is None:
            reasons.append(
                Reason(
                    "action.completed_on_required",
                    "Say when the action was completed.",
                    "completed_on",
                    SCRUTINY_RULES,
                )
            )
        if not completion_evidence.strip():
            reasons.append(
                Reason(
                    "action.evidence_required",
                    "A completed action needs evidence of completion.",
                    "completion_evidence",
                    SCRUTINY_RULES,
                )
            )
        raise_if(reasons)
    else:
        completed_on = None
    action.status = status
    action.completed_on = completed_on
    action.completion_evidence = completion_evidence
    action.save(update_fields=fields)
    audit_record(
        org=action.organisation,
        actor=by,
        action="scrutiny.action_update",
        obj=action,
        before=before,
        after=snapshot(action, fields),
    )
    return action


@transaction.atomic
def escalation_raise(
    *, review: ServiceReview, reason: str, raised_on: datetime.date, by
) -> Escalation:
    """The panel is not satisfied with the Board's decision: start the ToR's escalation path."""
    review = _locked_review(review)
    terms = terms_in_force(panel=review.panel, on=raised_on)
    reasons = []
    if terms is None or not terms.escalation_steps:
        reasons.append(
            Reason(
                "escalation.no_path",
                "The terms of reference set out no escalation path for this panel.",
                None,
                source_of(terms, "Accountability") if terms else SCRUTINY_RULES,
            )
        )
    if (
        not BoardResponse.objects.for_org(review.organisation_id)
        .filter(recommendation__review=review)
        .exists()
    ):
        reasons.append(
            Reason(
                "escalation.no_decision",
                "The panel escalates a decision of the Board: no response is recorded yet.",
                None,
                SCRUTINY_RULES,
            )
        )
    if review.escalations.filter(status=EscalationStatus.OPEN).exists():
        reasons.append(
            Reason(
                "escalation.already_open",
                "This review already has an open escalation.",
                None,
                SCRUTINY_RULES,
            )
        )
    if not reason.strip():
        reasons.append(
            Reason("escalation.reason_required", "Say why the panel is not satisfied.", "reason")
        )
    raise_if(reasons)
    escalation = Escalation.objects.create(
        organisation_id=review.organisation_id, review=review, raised_on=raised_on, reason=reason
    )
    EscalationStep.objects.bulk_create(
        [
            EscalationStep(
                organisation_id=review.organisation_id,
                escalation=escalation,
                number=index,
                description=text,
                started_on=raised_on if index == 1 else None,
            )
            for index, text in enumerate(terms.escalation_steps, start=1)
        ]
    )
    audit_record(
        org=review.organisation,
        actor=by,
        action="scrutiny.escalation_raise",
        obj=escalation,
        after={"steps": len(terms.escalation_steps)},
        reason=reason,
    )
    return escalation


@transaction.atomic
def escalation_step_complete(
    *, step: EscalationStep, completed_on: datetime.date, outcome: str, resolved: bool, by
) -> Escalation:
    """Close the current step: resolved ends the escalation, otherwise the next step starts."""
    escalation = (
        Escalation.objects.for_org(step.organisation_id)
        .select_for_update()
        .get(pk=step.escalation_id)
    )
    steps = list(escalation.steps.order_by("number"))
    current = next((s for s in steps if s.completed_on is None), None)
    reasons = []
    if escalation.status != EscalationStatus.OPEN:
        reasons.append(
            Reason("escalation.closed", "This escalation is closed.", None, SCRUTINY_RULES)
        )
    elif current is None or current.pk != step.pk:
        reasons.append(
            Reason(
                "escalation.step_order",
                "Steps are taken in order: the current step is "
                f"{current.number if current else '—'}.",
                None,
                SCRUTINY_RULES,
            )
        )
    elif current.started_on and completed_on < current.started_on:
        reasons.append(
            Reason(
                "escalation.step_date",
                "A step cannot end before it started.",
                "completed_on",
                SCRUTINY_RULES,
            )
        )
    if not outcome.strip():
        reasons.append(
            Reason("escalation.outcome_required", "Record the outcome of the step.", "outcome")
        )
    raise_if(reasons)
    current.completed_on = completed_on
    current.outcome = outcome
    current.save(update_fields=["completed_on", "outcome"])
    following = next((s for s in steps if s.number == current.number + 1), None)
    fields = []
    if resolved:
        escalation.status, escalation.closed_on = EscalationStatus.RESOLVED, completed_on
        fields = ["status", "closed_on"]
    elif following is None:
        escalation.status, escalation.closed_on = EscalationStatus.EXHAUSTED, completed_on
        fields = ["status", "closed_on"]
    else:
        following.started_on = completed_on
        following.save(update_fields=["started_on"])
    if fields:
        escalation.save(update_fields=fields)
    audit_record(
        org=escalation.organisation,
        actor=by,
        action="scrutiny.escalation_step_complete",
        obj=current,
        after={"outcome": outcome, "resolved": resolved, "escalation": escalation.status},
    )
    return escalation
