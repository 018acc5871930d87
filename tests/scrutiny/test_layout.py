"""Pages readable on a phone without JavaScript: below the md breakpoint lists become stacked
cards instead of tables scrolled sideways; buttons only where the action is possible."""

import datetime
from decimal import Decimal as D

from django.urls import reverse

from panels.models import TermsOfReference
from scrutiny import services
from scrutiny.models import Measure, MeasureResult

d = datetime.date


def _url(name, tenant, **kwargs):
    return reverse(f"scrutiny:{name}", kwargs={"org_slug": tenant.org.slug, **kwargs})


def _phone_part(page: str) -> str:
    """The markup shown below md (the stacked list after the desktop table)."""
    return page.split('class="list-group d-md-none', 1)[1]


def test_dashboard_measures_stack_as_cards_on_a_phone(tenant_a, terms_a, client_as):
    measure = Measure.objects.create(
        organisation=tenant_a.org,
        panel=tenant_a.panel,
        code="TP02",
        name="Satisfaction with repairs",
        unit="%",
        target=D("85"),
        tolerance=D("5"),
    )
    for month, value in ((1, "74"), (4, "73")):
        MeasureResult.objects.create(
            organisation=tenant_a.org, measure=measure, period_start=d(2026, month, 1), value=value
        )
    page = client_as(tenant_a.member).get(_url("dashboard", tenant_a, panel_slug="alpha-panel"))
    page = page.content.decode()
    assert "table-responsive" not in page  # nothing scrolls sideways
    assert 'class="d-none d-md-block"' in page
    phone = _phone_part(page)
    assert "TP02 Satisfaction with repairs" in phone
    assert "Red two periods running" in phone and "Target: 85.00" in phone


def test_tracker_reviews_budget_and_policies_stack_on_a_phone(tenant_a, terms_a, client_as):
    review = services.review_propose(
        panel=tenant_a.panel,
        by=None,
        title="Lettings",
        topic_source="tenants",
        proposed_on=d(2026, 1, 1),
    )
    budget = services.budget_set(panel=tenant_a.panel, year=2026, total=D("25000"), by=None)
    services.budget_allocate(
        budget=budget,
        title="Estate lighting",
        amount=D("12000"),
        allocated_on=d(2026, 2, 1),
        by=None,
    )
    services.policy_present(
        panel=tenant_a.panel, title="Lettings policy", presented_on=d(2026, 2, 1), by=None
    )
    officer = client_as(tenant_a.officer)
    for name, kwargs, text in (
        ("reviews", {"panel_slug": "alpha-panel"}, review.title),
        ("budget", {"panel_slug": "alpha-panel"}, "Allocated £12,000.00"),
        ("policies", {"panel_slug": "alpha-panel"}, "Record the decision"),
        ("actions", {}, "No actions match."),
    ):
        page = officer.get(_url(name, tenant_a, **kwargs)).content.decode()
        assert "table-responsive" not in page, name
        assert text in _phone_part(page), name


def test_escalate_only_where_the_terms_set_a_path_and_none_is_open(tenant_a, terms_a, client_as):
    review = services.review_propose(
        panel=tenant_a.panel,
        by=None,
        title="Lettings",
        topic_source="tenants",
        proposed_on=d(2026, 1, 1),
    )
    for day, stage in enumerate(("scoping", "evidence", "findings"), start=2):
        services.review_advance(review=review, to_stage=stage, on=d(2026, 1, day), by=None)
    rec = services.recommendation_add(review=review, text="Answer calls", by=None)
    services.review_advance(review=review, to_stage="recommendations", on=d(2026, 1, 6), by=None)
    services.review_advance(review=review, to_stage="reported", on=d(2026, 1, 7), by=None)
    services.response_record(
        recommendation=rec,
        decision="rejected",
        reasons="No budget",
        responded_on=d(2026, 2, 1),
        by=None,
    )
    officer = client_as(tenant_a.officer)
    workspace = _url("review", tenant_a, service_review_id=review.pk)
    escalate = _url("escalation_raise", tenant_a, service_review_id=review.pk)
    assert "Not satisfied: escalate" in officer.get(workspace).content.decode()

    services.escalation_raise(
        review=review, reason="Not good enough", raised_on=d(2026, 2, 2), by=None
    )
    assert "Not satisfied: escalate" not in officer.get(workspace).content.decode()
    page = officer.get(escalate).content.decode()
    assert "already has an open escalation" in page and 'name="reason"' not in page

    # A later ToR version without an escalation path: nothing to escalate through.
    TermsOfReference.objects.create(
        organisation=tenant_a.org,
        panel=tenant_a.panel,
        version=2,
        title="Quality and Insight Panel terms of reference",
        effective_from=d(2026, 3, 1),
    )
    review.escalations.update(status="resolved")
    assert "Not satisfied: escalate" not in officer.get(workspace).content.decode()
    response = officer.post(
        escalate, {"reason": "Still not good enough", "raised_on": "2026-04-01"}
    )
    assert response.status_code == 200
    assert "set out no escalation path" in response.content.decode()
    assert review.escalations.count() == 1


def test_import_preview_lists_each_line_on_a_phone(tenant_a, terms_a, make_measure, client_as):
    make_measure(code="TP02")
    officer = client_as(tenant_a.officer)
    page = officer.post(
        _url("results_import", tenant_a, panel_slug="alpha-panel"),
        {"csv_text": "measure,period,value\nTP02,2026-Q1,abc\nTP02,2026-Q2,81\n"},
    ).content.decode()
    assert "table-responsive" not in page
    phone = _phone_part(page)
    assert "Line 2: refused" in phone and "is not a number" in phone
    assert "Line 3: OK" in phone
