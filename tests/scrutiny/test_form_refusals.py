"""Every scrutiny form family: a refused submission answers 200, keeps what was typed, puts
each reason on the field it concerns (RuleViolation.add_to_form) and saves nothing."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils.html import escape

from meetings import services as meetings
from meetings.models import MotionKind
from panels.models import AuditEntry
from scrutiny import services
from scrutiny.models import (
    BudgetAllocation,
    BudgetSpend,
    ImprovementAction,
    Measure,
    MeasureResult,
    NoticeToAct,
    PolicyReview,
    PriorityChampion,
    Recommendation,
    ServiceReview,
)
from tests.meetings.conftest import (
    panel_with,  # noqa: F401
    register,
    schedule,
)

d = datetime.date


def _url(name, tenant, **kwargs):
    return reverse(f"scrutiny:{name}", kwargs={"org_slug": tenant.org.slug, **kwargs})


def assert_refused(response, *, field, message, kept):
    """200; the reason on `field` (None: the form as a whole); every typed value kept."""
    assert response.status_code == 200, response.status_code
    form = response.context["form"]
    errors = form.errors.get(field or "__all__", [])
    assert any(message in e for e in errors), (field, form.errors)
    page = response.content.decode()
    assert escape(message) in page or message in page
    for name, value in kept.items():
        assert str(form[name].value()) == value, (name, form[name].value())
        assert escape(value) in page, name


@pytest.fixture
def audit_unchanged(db):
    """Asserts after the test body that no audit row was written by the refused posts."""
    state = {}

    def start():
        state["count"] = AuditEntry.objects.count()

    def check():
        assert AuditEntry.objects.count() == state["count"]

    return start, check


@pytest.fixture
def review_at(tenant_a, terms_a):
    """A review advanced to the given stage (reported: with one recommendation)."""

    def build(stage="findings", title="Lettings"):
        review = services.review_propose(
            panel=tenant_a.panel,
            by=None,
            title=title,
            topic_source="tenants",
            proposed_on=d(2026, 1, 1),
        )
        order = ["scoping", "evidence", "findings", "recommendations", "reported"]
        for day, step in enumerate(order[: order.index(stage) + 1], start=2):
            if step == "recommendations":
                services.recommendation_add(review=review, text="Answer calls", by=None)
            services.review_advance(review=review, to_stage=step, on=d(2026, 1, day), by=None)
        review.refresh_from_db()
        return review

    return build


def test_measure_refused_keeps_values(tenant_a, terms_a, make_measure, client_as, audit_unchanged):
    make_measure(code="TP02")
    start, check = audit_unchanged
    start()
    response = client_as(tenant_a.officer).post(
        _url("measure_create", tenant_a, panel_slug=tenant_a.panel.slug),
        {
            "code": "TP02",
            "name": "Repairs fixed first time",
            "definition": "Share of repairs done at the first visit",
            "unit": "%",
            "polarity": "higher",
            "target": "90",
            "tolerance": "5",
            "period": "quarter",
        },
    )
    assert_refused(
        response,
        field="code",
        message="The panel already has measure TP02",
        kept={"name": "Repairs fixed first time", "target": "90"},
    )
    assert Measure.objects.count() == 1
    check()


def test_csv_import_refused_at_confirm_keeps_the_file(
    tenant_a, terms_a, make_measure, client_as, audit_unchanged
):
    measure = make_measure(code="TP02")
    csv_text = "measure,period,value\nTP02,2026-Q1,81\nTP02,2026-Q2,82\n"
    officer = client_as(tenant_a.officer)
    url = _url("results_import", tenant_a, panel_slug=tenant_a.panel.slug)
    assert "Import 2 results" in officer.post(url, {"csv_text": csv_text}).content.decode()
    # Between preview and confirm, someone records 2026 Q2 by hand.
    MeasureResult.objects.create(
        organisation=tenant_a.org, measure=measure, period_start=d(2026, 4, 1), value=D("80")
    )
    start, check = audit_unchanged
    start()
    response = officer.post(url, {"csv_text": csv_text, "confirm": "1"})
    assert response.status_code == 200
    form = response.context["form"]
    assert any("already has a result for Q2 2026" in e for e in form.errors["file"]), form.errors
    assert form["csv_text"].value() == csv_text  # kept: "Check the file" again needs no upload
    page = response.content.decode()
    assert "Line 3" in page or "<td>3</td>" in page
    assert "Nothing was imported" in page
    assert MeasureResult.objects.count() == 1
    check()


def test_review_advance_refused_keeps_values(tenant_a, review_at, client_as, audit_unchanged):
    review = review_at("findings")
    start, check = audit_unchanged
    start()
    response = client_as(tenant_a.officer).post(
        _url("review_advance", tenant_a, service_review_id=review.pk),
        {"to_stage": "reported", "on": "2026-01-01", "reported_to": "Customer Services Committee"},
    )
    assert_refused(
        response,
        field="to_stage",
        message="comes “Recommendations”",
        kept={"to_stage": "reported", "reported_to": "Customer Services Committee"},
    )
    assert "The date cannot be before the previous stage" in str(
        response.context["form"].errors["on"]
    )
    review.refresh_from_db()
    assert review.stage == "findings" and review.reported_to == ""
    check()


def test_recommendation_refused_keeps_values(tenant_a, review_at, client_as, audit_unchanged):
    review = review_at("reported")
    start, check = audit_unchanged
    start()
    response = client_as(tenant_a.officer).post(
        _url("recommendation_add", tenant_a, service_review_id=review.pk),
        {"text": "Publish repair times monthly", "response_due_on": "2026-03-01"},
    )
    assert_refused(
        response,
        field=None,
        message="before its report is sent",
        kept={"text": "Publish repair times monthly", "response_due_on": "2026-03-01"},
    )
    assert Recommendation.objects.count() == 1
    check()


def test_response_refused_keeps_values(tenant_a, review_at, client_as, audit_unchanged):
    review = review_at("reported")
    rec = review.recommendations.get()
    start, check = audit_unchanged
    start()
    response = client_as(tenant_a.board).post(
        _url("response_record", tenant_a, recommendation_id=rec.pk),
        {"decision": "partly", "reasons": "", "responded_on": "2025-12-01"},
    )
    assert_refused(
        response,
        field="reasons",
        message="reasons in writing",
        kept={"decision": "partly", "responded_on": "2025-12-01"},
    )
    assert "cannot be dated before the report" in str(response.context["form"].errors)
    assert not hasattr(Recommendation.objects.get(pk=rec.pk), "response")
    check()


def test_action_refused_keeps_values(tenant_a, review_at, client_as, audit_unchanged):
    review = review_at("reported")
    rec = review.recommendations.get()
    services.response_record(
        recommendation=rec,
        decision="rejected",
        reasons="No money",
        responded_on=d(2026, 2, 1),
        by=None,
    )
    officer = client_as(tenant_a.officer)
    start, check = audit_unchanged
    start()
    response = officer.post(
        _url("action_add", tenant_a, recommendation_id=rec.pk),
        {
            "description": "Hire two call handlers",
            "owner": "Head of Contact",
            "due_on": "2026-06-01",
        },
    )
    assert_refused(
        response,
        field=None,
        message="recommendation the Board accepted",
        kept={"description": "Hire two call handlers", "owner": "Head of Contact"},
    )
    assert not ImprovementAction.objects.exists()
    check()


def test_action_update_refused_keeps_values(tenant_a, review_at, client_as, audit_unchanged):
    review = review_at("reported")
    rec = review.recommendations.get()
    services.response_record(
        recommendation=rec, decision="accepted", responded_on=d(2026, 2, 1), by=None
    )
    action = services.action_add(
        recommendation=rec,
        description="Hire",
        owner="Head of Contact",
        due_on=d(2026, 6, 1),
        by=None,
    )
    start, check = audit_unchanged
    start()
    response = client_as(tenant_a.officer).post(
        _url("action_update", tenant_a, improvement_action_id=action.pk),
        {"status": "done", "completed_on": "", "completion_evidence": ""},
    )
    assert_refused(
        response, field="completed_on", message="Say when the action was completed", kept={}
    )
    assert response.context["form"]["status"].value() == "done"
    assert "needs evidence of completion" in str(
        response.context["form"].errors["completion_evidence"]
    )
    action.refresh_from_db()
    assert action.status == "not_started"
    check()


def test_champion_refused_keeps_values(tenant_a, terms_a, people_a, client_as, audit_unchanged):
    priorities = [
        services.priority_create(panel=tenant_a.panel, year=2026, title=t, by=None)
        for t in ("Safety", "Repairs", "Communication")
    ]
    aisha = people_a[0]
    for priority in priorities[:2]:
        services.champion_assign(priority=priority, person=aisha, since=d(2026, 4, 1), by=None)
    start, check = audit_unchanged
    start()
    response = client_as(tenant_a.officer).post(
        _url("champion_assign", tenant_a, work_plan_priority_id=priorities[2].pk),
        {"person": aisha.pk, "since": "2026-05-02"},
    )
    assert_refused(
        response,
        field="person",
        message="at most 2 priorities",
        kept={"person": str(aisha.pk), "since": "2026-05-02"},
    )
    assert PriorityChampion.objects.count() == 2
    check()


def test_budget_allocation_and_spend_refused_keep_values(
    tenant_a, terms_a, client_as, audit_unchanged
):
    budget = services.budget_set(panel=tenant_a.panel, year=2026, total=D("1000"), by=None)
    allocation = services.budget_allocate(
        budget=budget, title="Lighting", amount=D("800"), allocated_on=d(2026, 2, 1), by=None
    )
    officer = client_as(tenant_a.officer)
    start, check = audit_unchanged
    start()
    response = officer.post(
        _url("allocation_add", tenant_a, neighbourhood_budget_id=budget.pk),
        {"title": "Benches on the green", "amount": "500", "allocated_on": "2026-03-01"},
    )
    assert_refused(
        response,
        field="amount",
        message="Only £200.00 of the £1000.00 budget is unallocated",
        kept={"title": "Benches on the green", "amount": "500"},
    )
    response = officer.post(
        _url("spend_add", tenant_a, budget_allocation_id=allocation.pk),
        {"description": "Lamp posts", "amount": "900.50", "spent_on": "2026-04-01"},
    )
    assert_refused(
        response,
        field="amount",
        message="£800.00 of this £800.00 allocation is left to spend",
        kept={"description": "Lamp posts", "amount": "900.50", "spent_on": "2026-04-01"},
    )
    assert BudgetAllocation.objects.count() == 1 and not BudgetSpend.objects.exists()
    check()


def test_policy_outcome_refused_keeps_values(tenant_a, terms_a, client_as, audit_unchanged):
    policy = services.policy_present(
        panel=tenant_a.panel, title="Lettings policy", presented_on=d(2026, 2, 1), by=None
    )
    start, check = audit_unchanged
    start()
    response = client_as(tenant_a.officer).post(
        _url("policy_outcome", tenant_a, policy_review_id=policy.pk),
        {"outcome": "not_approved", "outcome_on": "2026-01-15", "comments": ""},
    )
    assert_refused(
        response,
        field="comments",
        message="Say what the panel wants changed",
        kept={"outcome": "not_approved", "outcome_on": "2026-01-15"},
    )
    assert "before the policy was presented" in str(response.context["form"].errors["outcome_on"])
    assert PolicyReview.objects.get().outcome == "pending"
    check()


def test_notice_to_act_refused_keeps_values(panel_with, tenant_a, client_as, audit_unchanged):  # noqa: F811
    setup = panel_with("stockport", chair=1, resident=8)
    meeting = schedule(setup, d(2026, 6, 16))
    register(meeting, setup.seats[:7])
    motion = meetings.motion_decide(
        motion=meetings.motion_propose(
            meeting=meeting,
            text="That the panel serves a Notice to Act about repairs",
            mover=setup.chair,
            kind=MotionKind.NOTICE_TO_ACT,
        ),
        votes_for=6,
    )
    start, check = audit_unchanged
    start()
    response = client_as(tenant_a.officer).post(
        f"/{tenant_a.org.slug}/scrutiny/motions/{motion.pk}/notice-to-act/",
        {
            "service_failure": "First-time fixes below target for four quarters",
            "served_on": "2026-06-01",
            "answer_due_on": "2026-07-01",
        },
    )
    assert_refused(
        response,
        field="served_on",
        message="before the meeting that voted for it",
        kept={
            "service_failure": "First-time fixes below target for four quarters",
            "answer_due_on": "2026-07-01",
        },
    )
    assert not NoticeToAct.objects.exists()
    check()


def test_review_edit_saves_all_or_nothing(tenant_a, review_at, client_as, monkeypatch):
    """The edit page calls three services: a refusal in the last leaves the first unsaved."""
    from panels.errors import RuleViolation

    review = review_at("findings")
    item = services.evidence_add(
        panel=tenant_a.panel, by=None, kind="complaints", title="Log", dated=d(2026, 1, 1)
    )

    def refuse(**kwargs):
        raise RuleViolation(code="evidence.other_panel", message="Not this panel's evidence.")

    monkeypatch.setattr(services, "review_link_evidence", refuse)
    response = client_as(tenant_a.officer).post(
        _url("review_edit", tenant_a, service_review_id=review.pk),
        {"scope": "New scope", "findings": "New findings", "evidence": [item.pk]},
    )
    assert_refused(response, field=None, message="Not this panel's evidence", kept={})
    assert "New scope" in response.content.decode()
    review = ServiceReview.objects.get(pk=review.pk)
    assert review.scope == "" and review.findings == ""


def test_forms_that_cannot_succeed_say_why_instead(
    tenant_a, review_at, make_measure, client_as, audit_unchanged
):
    """No empty form where nothing could be accepted: a measure that is not red, a review
    with no open escalation step."""
    measure = make_measure(code="TP01")
    MeasureResult.objects.create(
        organisation=tenant_a.org, measure=measure, period_start=d(2026, 4, 1), value=D("90")
    )
    review = review_at("reported")
    officer = client_as(tenant_a.officer)
    start, check = audit_unchanged
    start()
    for url, message in (
        (_url("review_from_measure", tenant_a, measure_id=measure.pk), "is not red"),
        (_url("escalation_step", tenant_a, service_review_id=review.pk), "no open escalation"),
    ):
        for response in (officer.get(url), officer.post(url, {"outcome": "x"})):
            assert response.status_code == 200, url
            page = response.content.decode()
            assert message in page and 'type="submit"' not in page.split("<main")[-1], url
    assert ServiceReview.objects.count() == 1
    check()
