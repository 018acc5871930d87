"""Scrutiny pages and API: roles, tenancy, the import preview and constant dashboard queries."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scrutiny import services
from scrutiny.models import (
    BoardResponse,
    ImprovementAction,
    Measure,
    MeasureResult,
    Recommendation,
    ReviewStage,
)
from tests.scrutiny.conftest import seat_member_on_panel

d = datetime.date


def _url(name, tenant, **kwargs):
    return reverse(f"scrutiny:{name}", kwargs={"org_slug": tenant.org.slug, **kwargs})


def _measures(tenant, count):
    """count measures with ten quarters of results each (2024 Q1 to 2026 Q2)."""
    for index in range(count):
        measure = Measure.objects.create(
            organisation=tenant.org,
            panel=tenant.panel,
            name=f"Measure {index}",
            target=D("80"),
            tolerance=D("5"),
        )
        MeasureResult.objects.bulk_create(
            MeasureResult(
                organisation=tenant.org,
                measure=measure,
                period_start=d(2024 + q // 4, 1 + 3 * (q % 4), 1),
                value=D(70 + q),
            )
            for q in range(10)
        )


@pytest.fixture
def reported_review(tenant_a, terms_a):
    review = services.review_propose(
        panel=tenant_a.panel,
        by=None,
        title="Lettings",
        topic_source="tenants",
        proposed_on=d(2026, 1, 1),
    )
    for stage, day in (("scoping", 2), ("evidence", 3), ("findings", 4)):
        services.review_advance(review=review, to_stage=stage, on=d(2026, 1, day), by=None)
    recs = [
        services.recommendation_add(
            review=review, text=f"Recommendation {n}", by=None, response_due_on=d(2026, 3, 1)
        )
        for n in range(3)
    ]
    services.review_advance(review=review, to_stage="recommendations", on=d(2026, 1, 5), by=None)
    services.review_advance(review=review, to_stage="reported", on=d(2026, 1, 6), by=None)
    return review, recs


@pytest.mark.parametrize("count", [20, 200])
def test_dashboard_queries_do_not_grow_with_measures(
    tenant_a, terms_a, reported_review, client_as, django_assert_num_queries, count
):
    _measures(tenant_a, count)
    client = client_as(tenant_a.member)
    url = _url("dashboard", tenant_a, panel_slug=tenant_a.panel.slug)
    client.get(url)  # warm the session and site caches
    # Same number for 20 and 200 measures (the parametrised runs must agree).
    with django_assert_num_queries(QUERIES_FOR_DASHBOARD):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("Measure ") >= count


QUERIES_FOR_DASHBOARD = 14  # with the member's seats, for the evidence link


def test_pages_render_for_their_roles(tenant_a, terms_a, reported_review, client_as):
    review, recs = reported_review
    member = client_as(tenant_a.member)
    # Evidence is for the panel's own members: a member who does not sit on it is told so.
    refused = member.get(_url("evidence", tenant_a, panel_slug=tenant_a.panel.slug))
    assert refused.status_code == 403
    assert "Evidence files of Alpha Housing Panel are for the panel" in refused.content.decode()
    seat_member_on_panel(tenant_a)
    for url in (
        _url("index", tenant_a),
        _url("reviews", tenant_a, panel_slug=tenant_a.panel.slug),
        _url("review", tenant_a, service_review_id=review.pk),
        _url("evidence", tenant_a, panel_slug=tenant_a.panel.slug),
        _url("work_plan", tenant_a, panel_slug=tenant_a.panel.slug),
        _url("budget", tenant_a, panel_slug=tenant_a.panel.slug),
        _url("sub_groups", tenant_a, panel_slug=tenant_a.panel.slug),
        _url("policies", tenant_a, panel_slug=tenant_a.panel.slug),
    ):
        assert member.get(url).status_code == 200, url
    # Members may not use the officer and Board pages.
    assert member.get(_url("actions", tenant_a)).status_code == 403
    assert (
        member.get(_url("recommendation_add", tenant_a, service_review_id=review.pk)).status_code
        == 403
    )
    board = client_as(tenant_a.board)
    assert board.get(_url("actions", tenant_a)).status_code == 200
    response = board.post(
        _url("response_record", tenant_a, recommendation_id=recs[0].pk),
        {"decision": "rejected", "reasons": "", "responded_on": "2026-02-01"},
    )
    assert response.status_code == 200  # refused: reasons needed, shown on the form
    assert "reasons in writing" in response.content.decode()
    assert not BoardResponse.objects.exists()
    response = board.post(
        _url("response_record", tenant_a, recommendation_id=recs[0].pk),
        {"decision": "accepted", "reasons": "", "responded_on": "2026-02-01"},
    )
    assert response.status_code == 302
    page = member.get(_url("review", tenant_a, service_review_id=review.pk)).content.decode()
    assert "Accepted" in page and "Response overdue" in page


def test_public_summary_shows_outcomes_but_not_evidence_or_members(
    tenant_a, terms_a, reported_review, people_a, client
):
    review, recs = reported_review
    services.review_set_members(review=review, people=people_a, by=None)
    evidence = services.evidence_add(
        panel=tenant_a.panel,
        by=None,
        kind="complaints",
        title="Secret complaint log",
        dated=d(2026, 1, 1),
        is_confidential=True,
    )
    services.review_link_evidence(review=review, evidence=evidence, by=None)
    services.response_record(
        recommendation=recs[0], decision="accepted", responded_on=d(2026, 2, 1), by=None
    )
    page = client.get(_url("public_reviews", tenant_a)).content.decode()
    assert "Lettings" in page and "Accepted" in page
    assert "Secret complaint log" not in page and "Aisha" not in page


def test_csv_import_preview_then_confirm(tenant_a, terms_a, make_measure, client_as):
    make_measure(code="TP02")
    officer = client_as(tenant_a.officer)
    url = _url("results_import", tenant_a, panel_slug=tenant_a.panel.slug)
    bad = SimpleUploadedFile("r.csv", b"measure,period,value\nTP02,2026-Q1,abc\nXX,2026-Q1,1\n")
    page = officer.post(url, {"file": bad}).content.decode()
    assert (
        "is not a number" in page and "unknown measure" in page and "Nothing was imported" in page
    )
    assert not MeasureResult.objects.exists()
    good = SimpleUploadedFile("r.csv", b"measure,period,value\nTP02,2026-Q1,81\n")
    page = officer.post(url, {"file": good}).content.decode()
    assert "Import 1 results" in page and not MeasureResult.objects.exists()
    response = officer.post(
        url, {"csv_text": "measure,period,value\nTP02,2026-Q1,81\n", "confirm": "1"}
    )
    assert response.status_code == 302
    assert MeasureResult.objects.get().value == D("81")


def test_other_organisations_rows_are_404(tenant_a, tenant_b, terms_a, reported_review, client_as):
    review, recs = reported_review
    other = client_as(tenant_b.officer)
    slug = tenant_b.org.slug
    for name, kwargs in (
        ("review", {"service_review_id": review.pk}),
        ("recommendation_due", {"recommendation_id": recs[0].pk}),
        ("response_record", {"recommendation_id": recs[0].pk}),
        ("action_add", {"recommendation_id": recs[0].pk}),
    ):
        url = reverse(f"scrutiny:{name}", kwargs={"org_slug": slug, **kwargs})
        assert other.get(url).status_code == 404, url
        assert other.post(url, {}).status_code in (404, 405), url


def test_api_lists_and_refuses_other_organisations_recommendations(
    tenant_a, tenant_b, terms_a, reported_review, client_as
):
    review, recs = reported_review
    api = lambda t, path: f"/api/v1/{t.org.slug}/scrutiny/{path}"  # noqa: E731
    board_a = client_as(tenant_a.board)
    listed = board_a.get(api(tenant_a, "reviews/")).json()
    assert "Lettings" in str(listed)
    created = board_a.post(
        api(tenant_a, "responses/"),
        {"recommendation": recs[0].pk, "decision": "accepted", "responded_on": "2026-02-01"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    refused = board_a.post(
        api(tenant_a, "responses/"),
        {"recommendation": recs[1].pk, "decision": "rejected", "responded_on": "2026-02-01"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["code"] == "response.reasons_required"
    # Tenant B's officer names tenant A's recommendation: 404, nothing written.
    officer_b = client_as(tenant_b.officer)
    for path, body in (
        (
            "responses/",
            {"recommendation": recs[2].pk, "decision": "accepted", "responded_on": "2026-02-01"},
        ),
        (
            "actions/",
            {
                "recommendation": recs[0].pk,
                "description": "x",
                "owner": "y",
                "due_on": "2026-05-01",
            },
        ),
    ):
        response = officer_b.post(api(tenant_b, path), body, content_type="application/json")
        assert response.status_code == 404, (path, response.content)
    assert BoardResponse.objects.count() == 1 and not ImprovementAction.objects.exists()
    assert "Recommendation 0" not in str(officer_b.get(api(tenant_b, "recommendations/")).json())


def test_openapi_schema_lists_scrutiny_endpoints(schema_client):
    schema = schema_client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("measures", "results", "reviews", "recommendations", "responses", "actions"):
        assert f"/scrutiny/{path}/" in schema


def test_demo_seed_is_idempotent_and_covers_every_org(db):
    from django.core.management import call_command

    from panels.models import AuditEntry, Organisation
    from scrutiny.models import EscalationStep, PolicyReview, ServiceReview, WorkPlanPriority

    call_command("seed_demo", "--quiet-sign-ins")
    counts = (
        ServiceReview.objects.count(),
        AuditEntry.objects.count(),
        MeasureResult.objects.count(),
    )
    call_command("seed_demo", "--quiet-sign-ins")
    assert counts == (
        ServiceReview.objects.count(),
        AuditEntry.objects.count(),
        MeasureResult.objects.count(),
    )
    for org in Organisation.objects.all():
        for model in (Measure, ServiceReview, WorkPlanPriority, PolicyReview):
            assert model.objects.for_org(org).exists(), (org, model)
    tht = Organisation.objects.get(slug="tht")
    assert EscalationStep.objects.for_org(tht).count() == 2
    # Five landlords, five different reviews: titles, findings, recommendations and dates.
    reported = ServiceReview.objects.filter(stage=ReviewStage.REPORTED)
    for field in ("title", "findings", "reported_on", "topic_source"):
        values = set(reported.values_list(field, flat=True))
        assert len(values) >= (5 if field in ("title", "findings") else 3), (field, values)
    texts = Recommendation.objects.values_list("text", flat=True)
    assert len(set(texts)) == len(texts)


def test_demo_notice_to_act_is_decided_by_the_rules(db):
    """Stockport's demo Notice to Act is put and decided at its held meeting by the meetings
    services (quorum, rules.vote_outcome's majority of all members), not written as carried;
    the notice is served on that motion and only the ToR with the power has one."""
    from django.core.management import call_command

    from meetings.models import Motion, MotionKind, MotionOutcome
    from scrutiny.models import NoticeToAct

    call_command("seed_demo", "--quiet-sign-ins")
    motions = Motion.objects.filter(kind=MotionKind.NOTICE_TO_ACT)
    assert {m.organisation.slug for m in motions} == {"stockport"}
    motion = motions.get()
    assert motion.method == "majority_of_all_members"
    assert motion.outcome == MotionOutcome.CARRIED
    assert motion.explanation.startswith("Needs a majority of all")
    notice = NoticeToAct.objects.get()
    assert notice.motion_id == motion.pk
    assert "ASB" in notice.service_failure


def test_a_third_priority_is_refused_on_the_page_with_the_rule(
    tenant_a, terms_a, people_a, client_as
):
    priorities = [
        services.priority_create(panel=tenant_a.panel, year=2026, title=t, by=None)
        for t in ("Safety", "Repairs", "Communication")
    ]
    aisha = people_a[0]
    for priority in priorities[:2]:
        services.champion_assign(priority=priority, person=aisha, since=d(2026, 4, 1), by=None)
    officer = client_as(tenant_a.officer)
    url = _url("champion_assign", tenant_a, work_plan_priority_id=priorities[2].pk)
    page = officer.post(url, {"person": aisha.pk, "since": "2026-04-01"}).content.decode()
    assert "at most 2 priorities" in page
    assert "Quality and Insight Panel terms of reference (v1)" in page
    assert not priorities[2].champion_links.exists()


def test_evidence_upload_goes_through_storage(tenant_a, terms_a, client_as, settings, tmp_path):
    from scrutiny.models import EvidenceItem

    settings.MEDIA_ROOT = tmp_path
    officer = client_as(tenant_a.officer)
    upload = SimpleUploadedFile("inspectors.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    response = officer.post(
        _url("evidence_add", tenant_a, panel_slug=tenant_a.panel.slug),
        {
            "kind": "inspector",
            "title": "Customer inspectors Q2",
            "dated": "2026-07-01",
            "file": upload,
        },
    )
    assert response.status_code == 302
    item = EvidenceItem.objects.get()
    assert item.file.name.startswith(f"evidence/{tenant_a.org.pk}/")
    assert item.original_name == "inspectors.pdf"
    assert item.file.read() == b"%PDF-1.4 demo"
