"""Page query counts do not grow with their rows: the review workspace (3 or 30
recommendations, each with a response and actions), the action tracker (10 or 100 actions)
and the public reviews page (2 or 20 reported reviews)."""

import datetime

import pytest
from django.urls import reverse

from scrutiny import services
from scrutiny.models import (
    ActionStatus,
    BoardResponse,
    EvidenceItem,
    ImprovementAction,
    Recommendation,
    ResponseDecision,
)
from tests.scrutiny.conftest import seat_member_on_panel

d = datetime.date


def _url(name, tenant, **kwargs):
    return reverse(f"scrutiny:{name}", kwargs={"org_slug": tenant.org.slug, **kwargs})


def _reported_review(tenant, *, title="Lettings", recommendations=3, actions_each=2, people=()):
    """A reported review with recommendations, each answered (one in three rejected, the rest
    accepted) and with actions on the accepted ones; evidence and members linked."""
    review = services.review_propose(
        panel=tenant.panel, by=None, title=title, topic_source="tenants", proposed_on=d(2026, 1, 1)
    )
    stages = ("scoping", "evidence", "findings", "recommendations", "reported")
    for day, stage in enumerate(stages, start=2):
        if stage == "recommendations":
            services.recommendation_add(review=review, text="First", by=None)
        services.review_advance(review=review, to_stage=stage, on=d(2026, 1, day), by=None)
    org = tenant.org
    recs = Recommendation.objects.bulk_create(
        Recommendation(
            organisation=org,
            review=review,
            number=n,
            text=f"Recommendation {n}",
            response_due_on=d(2026, 3, 1),
        )
        for n in range(2, recommendations + 1)
    )
    recs = list(Recommendation.objects.filter(review=review).order_by("number"))
    BoardResponse.objects.bulk_create(
        BoardResponse(
            organisation=org,
            recommendation=rec,
            decision=ResponseDecision.REJECTED
            if rec.number % 3 == 0
            else ResponseDecision.ACCEPTED,
            reasons="Not affordable this year." if rec.number % 3 == 0 else "",
            responded_on=d(2026, 3, 1 + rec.number % 2 * 10),  # every other one late
        )
        for rec in recs
    )
    ImprovementAction.objects.bulk_create(
        ImprovementAction(
            organisation=org,
            recommendation=rec,
            description=f"Action {rec.number}.{k}",
            owner=f"Head of service {k}",
            due_on=d(2026, 5 + k, 1),
            status=ActionStatus.DONE if k == 0 else ActionStatus.IN_PROGRESS,
            completed_on=d(2026, 4, 1) if k == 0 else None,
            completion_evidence="Report to the panel" if k == 0 else "",
        )
        for rec in recs
        if rec.number % 3
        for k in range(actions_each)
    )
    for n in range(2):
        item = EvidenceItem.objects.create(
            organisation=org,
            panel=tenant.panel,
            kind="complaints",
            title=f"Complaints learning {n}",
            dated=d(2025, 12, 1),
        )
        services.review_link_evidence(review=review, evidence=item, by=None)
    if people:
        services.review_set_members(review=review, people=people, by=None)
    return review


@pytest.fixture
def escalated(terms_a):
    """Make a review's panel not satisfied, so the workspace also shows escalation steps."""

    def escalate(review):
        services.escalation_raise(
            review=review, reason="Rejection not explained", raised_on=d(2026, 4, 1), by=None
        )

    return escalate


# Officers see every panel's evidence; a member costs one query more: the panels they sit
# on, which decide whether the evidence is shown (the permission matrix).
QUERIES_FOR_WORKSPACE = {"officer": 11, "member": 12}


@pytest.mark.parametrize("recommendations", [3, 30])
def test_review_workspace_queries_do_not_grow(
    tenant_a, terms_a, people_a, escalated, client_as, django_assert_num_queries, recommendations
):
    review = _reported_review(tenant_a, recommendations=recommendations, people=people_a)
    escalated(review)
    url = _url("review", tenant_a, service_review_id=review.pk)
    seat_member_on_panel(tenant_a)
    for role in ("officer", "member"):
        client = client_as(tenant_a.user(role))
        client.get(url)  # warm the session
        with django_assert_num_queries(QUERIES_FOR_WORKSPACE[role]):
            response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 200
        assert f"R{recommendations}. Recommendation {recommendations}" in page
        assert "Action 2.1" in page and "Complaints learning 1" in page and "Aisha" in page
        assert "Chair of the Panel" in page


QUERIES_FOR_TRACKER = 6


@pytest.mark.parametrize("reviews", [1, 10])
def test_action_tracker_queries_do_not_grow(
    tenant_a, terms_a, client_as, django_assert_num_queries, reviews
):
    # Each review has 5 accepted recommendations (of 7) with 2 actions: 10 or 100 actions.
    for n in range(reviews):
        _reported_review(tenant_a, title=f"Review {n}", recommendations=7, actions_each=2)
    assert ImprovementAction.objects.count() == 10 * reviews
    client = client_as(tenant_a.board)
    url = _url("actions", tenant_a)
    client.get(url)
    for query in ("", f"?panel={tenant_a.panel.slug}&status=in_progress&owner=head&overdue=on"):
        with django_assert_num_queries(QUERIES_FOR_TRACKER + (1 if query else 0)):
            response = client.get(url + query)
        assert response.status_code == 200
        # Once in the desktop table, once in the phone list.
        assert response.content.decode().count("Head of service 1") == 2 * 5 * reviews


QUERIES_FOR_PUBLIC = 3


@pytest.mark.parametrize("reviews", [2, 20])
def test_public_reviews_queries_do_not_grow(
    tenant_a, terms_a, client, django_assert_num_queries, reviews
):
    for n in range(reviews):
        _reported_review(tenant_a, title=f"Review {n}", recommendations=4)
    url = _url("public_reviews", tenant_a)
    client.get(url)
    with django_assert_num_queries(QUERIES_FOR_PUBLIC):
        response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("1 of 2 actions done") == 3 * reviews
    assert "Complaints learning" not in page and "Head of service" not in page
