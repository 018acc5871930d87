"""The whole path of one THT-style review: topic from complaints, three recommendations,
the Board answers two on time and one late, the panel escalates step by step."""

import datetime
from decimal import Decimal as D

import pytest

from panels.errors import RuleViolation
from panels.models import AuditEntry
from scrutiny import selectors, services
from scrutiny.models import (
    ActionStatus,
    EscalationStatus,
    EvidenceKind,
    ReviewStage,
    TopicSource,
)

from .conftest import ESCALATION_STEPS

d = datetime.date


def test_whole_path_of_a_tht_review(tenant_a, terms_a, people_a):
    officer, board = tenant_a.officer, tenant_a.board
    panel = tenant_a.panel
    complaints = services.evidence_add(
        panel=panel,
        by=officer,
        kind=EvidenceKind.COMPLAINTS_SUMMARY,
        title="Q1 complaints: damp and mould",
        dated=d(2026, 2, 1),
        summary="Stage 1 damp complaints doubled; one Ombudsman maladministration finding.",
    )
    review = services.review_propose(
        panel=panel,
        by=officer,
        title="Damp and mould",
        topic_source=TopicSource.COMPLAINTS,
        source_detail="High level of complaints",
        proposed_on=d(2026, 2, 10),
    )
    services.review_link_evidence(review=review, evidence=complaints, by=officer)
    services.review_set_members(review=review, people=people_a[:2], by=officer)

    # Stages go in order, each dated; no skipping.
    with pytest.raises(RuleViolation) as exc:
        services.review_advance(
            review=review, to_stage=ReviewStage.FINDINGS, on=d(2026, 3, 1), by=officer
        )
    assert exc.value.code == "review.stage_order"
    services.review_advance(
        review=review, to_stage=ReviewStage.SCOPING, on=d(2026, 3, 1), by=officer
    )
    services.review_advance(
        review=review, to_stage=ReviewStage.EVIDENCE, on=d(2026, 3, 20), by=officer
    )
    services.review_advance(
        review=review, to_stage=ReviewStage.FINDINGS, on=d(2026, 5, 1), by=officer
    )
    recs = [
        services.recommendation_add(review=review, text=text, by=officer)
        for text in ("Inspect within 10 days", "Tell tenants the plan", "Train surveyors")
    ]
    assert [r.number for r in recs] == [1, 2, 3]
    services.review_advance(
        review=review, to_stage=ReviewStage.RECOMMENDATIONS, on=d(2026, 5, 15), by=officer
    )
    review = services.review_advance(
        review=review, to_stage=ReviewStage.REPORTED, on=d(2026, 6, 1), by=officer
    )
    assert review.reported_to == "Board"  # the ToR's reporting body
    assert (
        selectors.review_target_progress(
            org=tenant_a.org, panel=panel, today=d(2026, 6, 2)
        ).completed
        == 1
    )
    progress = selectors.review_target_progress(org=tenant_a.org, panel=panel, today=d(2026, 6, 2))
    assert progress.target == 3 and progress.remaining == 2 and not progress.met

    for rec in recs:
        services.recommendation_set_due(recommendation=rec, due_on=d(2026, 7, 31), by=officer)

    # Before the due date nothing is overdue; after it, all three unanswered are.
    assert list(selectors.responses_overdue(org=tenant_a.org, today=d(2026, 7, 31))) == []
    services.response_record(
        recommendation=recs[0], decision="accepted", responded_on=d(2026, 7, 10), by=board
    )
    # Partly accepted or rejected needs reasons in writing (THT: Board responds in writing).
    with pytest.raises(RuleViolation) as exc:
        services.response_record(
            recommendation=recs[1], decision="partly", responded_on=d(2026, 7, 20), by=board
        )
    assert exc.value.code == "response.reasons_required"
    assert "Quality and Insight Panel terms of reference (v1), Accountability" in str(exc.value)
    services.response_record(
        recommendation=recs[1],
        decision="partly",
        reasons="We will write to tenants but not quarterly.",
        responded_on=d(2026, 7, 31),
        by=board,
    )
    overdue = list(selectors.responses_overdue(org=tenant_a.org, today=d(2026, 8, 15)))
    assert overdue == [recs[2]]
    late = services.response_record(
        recommendation=recs[2],
        decision="rejected",
        reasons="Training budget is committed for this year.",
        responded_on=d(2026, 8, 20),
        by=board,
    )
    assert late.was_late
    recs[0].refresh_from_db()
    assert not recs[0].response.was_late and not recs[1].response.was_late
    assert list(selectors.responses_overdue(org=tenant_a.org, today=d(2026, 8, 21))) == []
    with pytest.raises(RuleViolation):
        services.response_record(
            recommendation=recs[2], decision="accepted", responded_on=d(2026, 8, 21), by=board
        )

    # Accepted ones become an improvement plan; a rejected one cannot.
    action = services.action_add(
        recommendation=recs[0],
        description="Inspection SLA to 10 days",
        owner="Head of Repairs",
        due_on=d(2026, 9, 30),
        by=officer,
    )
    services.action_add(
        recommendation=recs[1],
        description="Damp leaflet",
        owner="Comms lead",
        due_on=d(2026, 8, 31),
        by=officer,
    )
    with pytest.raises(RuleViolation) as exc:
        services.action_add(
            recommendation=recs[2], description="x", owner="y", due_on=d(2026, 9, 1), by=officer
        )
    assert exc.value.code == "action.not_accepted"
    overdue_actions = selectors.action_list(
        org=tenant_a.org, today=d(2026, 9, 5), overdue_only=True
    )
    assert [a.description for a in overdue_actions] == ["Damp leaflet"]
    with pytest.raises(RuleViolation) as exc:
        services.action_update(action=action, status=ActionStatus.DONE, by=officer)
    assert {r.code for r in exc.value.reasons} == {
        "action.completed_on_required",
        "action.evidence_required",
    }
    services.action_update(
        action=action,
        status=ActionStatus.DONE,
        completed_on=d(2026, 9, 20),
        completion_evidence="New SLA in repairs policy v4",
        by=officer,
    )

    # Not satisfied with the rejection: the ToR's escalation path, step by step.
    escalation = services.escalation_raise(
        review=review,
        reason="R3 rejected without considering funding",
        raised_on=d(2026, 9, 1),
        by=officer,
    )
    steps = list(escalation.steps.order_by("number"))
    assert [s.description for s in steps] == ESCALATION_STEPS
    assert steps[0].started_on == d(2026, 9, 1) and steps[1].started_on is None
    with pytest.raises(RuleViolation) as exc:
        services.escalation_raise(
            review=review, reason="again", raised_on=d(2026, 9, 2), by=officer
        )
    assert exc.value.code == "escalation.already_open"
    with pytest.raises(RuleViolation) as exc:
        services.escalation_step_complete(
            step=steps[1], completed_on=d(2026, 9, 10), outcome="x", resolved=False, by=officer
        )
    assert exc.value.code == "escalation.step_order"
    services.escalation_step_complete(
        step=steps[0],
        completed_on=d(2026, 9, 15),
        outcome="Met the Chief Executive; no agreement",
        resolved=False,
        by=officer,
    )
    steps[1].refresh_from_db()
    assert steps[1].started_on == d(2026, 9, 15)
    escalation = services.escalation_step_complete(
        step=steps[1],
        completed_on=d(2026, 10, 20),
        outcome="Regulator advised; Board reconsidered",
        resolved=True,
        by=officer,
    )
    assert escalation.status == EscalationStatus.RESOLVED

    # One audit row per change, and the public summary shows the decisions.
    assert AuditEntry.objects.filter(action="scrutiny.response_record").count() == 3
    public = list(selectors.review_list_public(org=tenant_a.org))
    assert public == [review]
    decisions = [r.response.decision for r in public[0].recommendations.all()]
    assert decisions == ["accepted", "partly", "rejected"]


def test_escalation_refused_without_a_path_in_the_terms(tenant_a, people_a):
    from panels.models import TermsOfReference

    TermsOfReference.objects.create(
        organisation=tenant_a.org,
        panel=tenant_a.panel,
        version=1,
        effective_from=d(2025, 1, 1),
        title="No path ToR",
    )
    review = services.review_propose(
        panel=tenant_a.panel, by=None, title="x", topic_source="board", proposed_on=d(2026, 1, 1)
    )
    with pytest.raises(RuleViolation) as exc:
        services.escalation_raise(review=review, reason="unhappy", raised_on=d(2026, 2, 1), by=None)
    assert {r.code for r in exc.value.reasons} == {"escalation.no_path", "escalation.no_decision"}
    assert "No path ToR (v1)" in str(exc.value)


def test_report_needs_recommendations_and_responses_need_the_report(tenant_a, terms_a):
    review = services.review_propose(
        panel=tenant_a.panel,
        by=None,
        title="Lettings",
        topic_source="tenants",
        proposed_on=d(2026, 1, 1),
    )
    for stage, day in (("scoping", 2), ("evidence", 3), ("findings", 4), ("recommendations", 5)):
        services.review_advance(review=review, to_stage=stage, on=d(2026, 1, day), by=None)
    with pytest.raises(RuleViolation) as exc:
        services.review_advance(review=review, to_stage="reported", on=d(2026, 1, 6), by=None)
    assert exc.value.code == "review.no_recommendations"
    rec = services.recommendation_add(review=review, text="Do better", by=None)
    with pytest.raises(RuleViolation) as exc:
        services.response_record(
            recommendation=rec, decision="accepted", responded_on=d(2026, 1, 7), by=None
        )
    assert exc.value.code == "response.not_reported"
    with pytest.raises(RuleViolation) as exc:
        services.review_advance(review=review, to_stage="reported", on=d(2025, 12, 1), by=None)
    assert exc.value.code == "review.stage_date"


def test_budget_and_champions(tenant_a, terms_a, people_a):
    panel, aisha = tenant_a.panel, people_a[0]
    priorities = [
        services.priority_create(panel=panel, year=2026, title=t, by=None)
        for t in ("Estate safety", "Repairs", "Communication")
    ]
    services.champion_assign(priority=priorities[0], person=aisha, since=d(2026, 4, 1), by=None)
    services.champion_assign(priority=priorities[1], person=aisha, since=d(2026, 4, 1), by=None)
    with pytest.raises(RuleViolation) as exc:
        services.champion_assign(priority=priorities[2], person=aisha, since=d(2026, 4, 1), by=None)
    assert exc.value.code == "champion.too_many_priorities"
    assert "at most 2 priorities" in str(exc.value)
    assert "Quality and Insight Panel terms of reference (v1)" in str(exc.value)
    # Someone else may champion it.
    services.champion_assign(
        priority=priorities[2], person=people_a[1], since=d(2026, 4, 1), by=None
    )

    budget = services.budget_set(panel=panel, year=2026, total=D("10000"), by=None)
    allocation = services.budget_allocate(
        budget=budget,
        title="Lighting",
        amount=D("6000"),
        allocated_on=d(2026, 5, 1),
        priority=priorities[0],
        by=None,
    )
    with pytest.raises(RuleViolation) as exc:
        services.budget_allocate(
            budget=budget, title="Benches", amount=D("4000.01"), allocated_on=d(2026, 5, 1), by=None
        )
    assert exc.value.code == "budget.over_allocated"
    services.budget_spend(
        allocation=allocation,
        amount=D("5000"),
        spent_on=d(2026, 6, 1),
        description="Phase 1",
        by=None,
    )
    with pytest.raises(RuleViolation):
        services.budget_spend(
            allocation=allocation,
            amount=D("1001"),
            spent_on=d(2026, 7, 1),
            description="x",
            by=None,
        )


def test_policy_outcome(tenant_a):
    policy = services.policy_present(
        panel=tenant_a.panel, title="Complaints policy", presented_on=d(2026, 3, 1), by=None
    )
    with pytest.raises(RuleViolation) as exc:
        services.policy_record_outcome(
            policy=policy, outcome="not_approved", outcome_on=d(2026, 3, 1), comments="", by=None
        )
    assert exc.value.code == "policy.comments_required"
    services.policy_record_outcome(
        policy=policy, outcome="approved", outcome_on=d(2026, 3, 1), comments="", by=None
    )
    policy.refresh_from_db()
    assert policy.outcome == "approved"
