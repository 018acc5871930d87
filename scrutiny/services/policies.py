"""Policies presented to the panel and their outcomes."""

from __future__ import annotations

import datetime

from django.db import transaction

from panels.audit import audit_record, snapshot
from panels.errors import Reason, raise_if
from panels.models import Panel
from scrutiny.models import (
    PolicyOutcome,
    PolicyReview,
)
from scrutiny.services._common import SCRUTINY_RULES, _org


@transaction.atomic
def policy_present(
    *,
    panel: Panel,
    title: str,
    presented_on: datetime.date,
    by,
    is_strategy: bool = False,
    goes_to: str = "",
) -> PolicyReview:
    """Put a customer-facing policy or strategy to the panel for approval or sign-off."""
    policy = PolicyReview.objects.create(
        organisation=_org(panel),
        panel=panel,
        title=title,
        presented_on=presented_on,
        is_strategy=is_strategy,
        goes_to=goes_to,
    )
    audit_record(
        org=policy.organisation,
        actor=by,
        action="scrutiny.policy_present",
        obj=policy,
        after=snapshot(policy, ["title", "presented_on"]),
    )
    return policy


@transaction.atomic
def policy_record_outcome(
    *, policy: PolicyReview, outcome: str, outcome_on: datetime.date, comments: str, by
) -> PolicyReview:
    """Record the panel's decision on a policy put to it."""
    reasons = []
    if outcome == PolicyOutcome.PENDING:
        reasons.append(Reason("policy.outcome_required", "Choose the panel's decision.", "outcome"))
    if outcome_on < policy.presented_on:
        reasons.append(
            Reason(
                "policy.outcome_date",
                "The decision cannot be dated before the policy was presented.",
                "outcome_on",
                SCRUTINY_RULES,
            )
        )
    if outcome in (PolicyOutcome.NOT_APPROVED, PolicyOutcome.APPROVED_WITH_CHANGES) and not (
        comments.strip()
    ):
        reasons.append(
            Reason(
                "policy.comments_required",
                "Say what the panel wants changed, or why it did not approve.",
                "comments",
                SCRUTINY_RULES,
            )
        )
    raise_if(reasons)
    fields = ["outcome", "outcome_on", "panel_comments"]
    before = snapshot(policy, fields)
    policy.outcome, policy.outcome_on, policy.panel_comments = outcome, outcome_on, comments
    policy.save(update_fields=fields)
    audit_record(
        org=policy.organisation,
        actor=by,
        action="scrutiny.policy_record_outcome",
        obj=policy,
        before=before,
        after=snapshot(policy, fields),
    )
    return policy
