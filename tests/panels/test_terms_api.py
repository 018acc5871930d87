"""The terms-of-reference API: versions, and answers computed from the rules in force
(deadlines, quorum, eligibility); bad input is a 400 naming the field (issue 4)."""

import datetime

import pytest

from panels.models import ClosureDay
from panels.seed_terms import TERMS
from panels.services import terms_revise

pytestmark = pytest.mark.django_db
D = datetime.date


def seed_like(tenant, org_slug, effective_from=None):
    spec = next(v for (org, _), v in TERMS.items() if org == org_slug)
    return terms_revise(
        review_due_on=D(2099, 1, 1),
        panel=tenant.panel,
        effective_from=effective_from or D(2025, 1, 1),
        changes=spec["values"],
        deadlines=[
            dict(zip(("kind", "amount", "unit", "direction", "channel"), row, strict=True))
            for row in spec["deadlines"]
        ],
        by=tenant.officer,
    )


def api(tenant, path=""):
    return f"/api/v1/{tenant.org.slug}/panels/{tenant.panel.slug}/{path}"


def test_versions_with_deadlines(client_as, tenant_a):
    seed_like(tenant_a, "hfh")
    terms_revise(
        review_due_on=D(2099, 1, 1),
        panel=tenant_a.panel,
        effective_from=D(2026, 1, 1),
        changes={"quorum_number": 4},
        by=tenant_a.officer,
    )
    client = client_as(tenant_a.member)
    versions = client.get(api(tenant_a, "terms/")).json()
    assert [v["version"] for v in versions] == [2, 1]
    assert versions[0]["quorum_number"] == 4 and versions[1]["quorum_number"] == 3
    assert {d["kind"] for d in versions[0]["deadlines"]} >= {"papers_out", "key_messages"}
    listed = client.get(
        f"/api/v1/{tenant_a.org.slug}/terms-of-reference/?panel={tenant_a.panel.slug}"
    )
    assert listed.json()["count"] == 2
    by_pk = client.get(f"/api/v1/{tenant_a.org.slug}/panels/{tenant_a.panel.pk}/terms/")
    assert by_pk.status_code == 200


def test_deadlines_for_a_proposed_date(client_as, tenant_a):
    seed_like(tenant_a, "hfh")
    response = client_as(tenant_a.member).get(api(tenant_a, "deadlines/?date=2026-01-08"))
    assert response.status_code == 200
    body = response.json()
    papers = next(d for d in body["deadlines"] if d["kind"] == "papers_out")
    assert papers["due_on"] == "2025-12-31"
    assert papers["channel"] == "electronic"
    assert body["terms_version"] == 1


def test_deadlines_count_closure_days(client_as, tenant_a):
    seed_like(tenant_a, "hfh")
    ClosureDay.objects.create(organisation=tenant_a.org, date=D(2025, 12, 31))
    body = client_as(tenant_a.member).get(api(tenant_a, "deadlines/?date=2026-01-08")).json()
    papers = next(d for d in body["deadlines"] if d["kind"] == "papers_out")
    assert papers["due_on"] == "2025-12-30"


@pytest.mark.parametrize(
    "query", ["", "?date=2026-13-01", "?date=tomorrow", "?date=2024-06-01", "?date=2250-01-01"]
)
def test_bad_dates_are_a_400_naming_the_field(client_as, tenant_a, query):
    seed_like(tenant_a, "hfh")
    response = client_as(tenant_a.member).get(api(tenant_a, f"deadlines/{query}"))
    assert response.status_code == 400
    assert "date" in response.json()


def test_quorum_for_a_count(client_as, tenant_a):
    seed_like(tenant_a, "stockport")
    client = client_as(tenant_a.member)
    half = client.get(api(tenant_a, "quorum/?present=5&members=10")).json()
    assert (half["required"], half["is_quorate"], half["short_by"]) == (5, True, 0)
    short = client.get(api(tenant_a, "quorum/?present=4&members=10")).json()
    assert (short["is_quorate"], short["short_by"]) == (False, 1)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("present=-1&members=10", "present"),
        ("present=3&members=-2", "members"),
        ("present=x&members=10", "present"),
        ("members=10", "present"),
        ("present=3&members=10&on=someday", "on"),
    ],
)
def test_bad_counts_are_a_400_naming_the_field(client_as, tenant_a, query, field):
    seed_like(tenant_a, "stockport")
    response = client_as(tenant_a.member).get(api(tenant_a, f"quorum/?{query}"))
    assert response.status_code == 400
    assert field in response.json()


def test_eligibility_for_facts(client_as, tenant_a):
    seed_like(tenant_a, "stockport")
    client = client_as(tenant_a.officer)
    facts = {
        "date_of_birth": "2009-01-01",
        "open_asb_case": True,
        "recruitment_completed": True,
        "core_training_completed": True,
        "on": "2026-06-01",
    }
    body = client.post(api(tenant_a, "eligibility/"), facts, content_type="application/json").json()
    assert body["eligible"] is False
    assert {r["code"] for r in body["reasons"]} == {
        "eligibility.min_age",
        "eligibility.no_open_asb_case",
    }
    assert {r["field"] for r in body["reasons"]} == {"date_of_birth", "open_asb_case"}
    ok = client.post(
        api(tenant_a, "eligibility/"),
        {**facts, "date_of_birth": "1980-01-01", "open_asb_case": False},
        content_type="application/json",
    ).json()
    assert ok == {"terms_version": 1, "eligible": True, "reasons": []}


def test_eligibility_co_optee_exemption(client_as, tenant_a):
    seed_like(tenant_a, "hfh")
    client = client_as(tenant_a.officer)
    facts = {"household_member_on_panel": True}
    resident = client.post(
        api(tenant_a, "eligibility/"),
        {**facts, "seat_role": "resident"},
        content_type="application/json",
    ).json()
    co_opted = client.post(
        api(tenant_a, "eligibility/"),
        {**facts, "seat_role": "co_opted"},
        content_type="application/json",
    ).json()
    assert not resident["eligible"] and co_opted["eligible"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"date_of_birth": "01/02/1980"}, "date_of_birth"),
        ({"tenure_type": "squatter"}, "tenure_type"),
        ({"seat_role": "king"}, "seat_role"),
        ({"open_asb_case": "perhaps"}, "open_asb_case"),
    ],
)
def test_bad_facts_are_a_400_naming_the_field(client_as, tenant_a, body, field):
    seed_like(tenant_a, "stockport")
    response = client_as(tenant_a.officer).post(
        api(tenant_a, "eligibility/"), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()


def test_eligibility_is_for_officers(client_as, tenant_a):
    seed_like(tenant_a, "stockport")
    response = client_as(tenant_a.member).post(
        api(tenant_a, "eligibility/"), {}, content_type="application/json"
    )
    assert response.status_code == 403


def test_another_organisations_panel_is_not_found(client_as, tenant_a, tenant_b):
    seed_like(tenant_b, "hfh")
    client = client_as(tenant_a.officer)
    base = f"/api/v1/{tenant_a.org.slug}/panels/{tenant_b.panel.slug}/"
    assert client.get(base + "deadlines/?date=2026-01-08").status_code == 404
    assert (
        client.get(f"/api/v1/{tenant_a.org.slug}/panels/{tenant_b.panel.pk}/terms/").status_code
        == 404
    )


def test_schema_lists_the_endpoints(schema_client):
    schema = schema_client.get("/api/schema/").content.decode()
    for path in (
        "/panels/{id}/deadlines/",
        "/panels/{id}/quorum/",
        "/panels/{id}/eligibility/",
        "/panels/{id}/terms/",
        "/terms-of-reference/",
    ):
        assert path in schema
