"""The scrutiny API through the same services as the pages: one component per resource,
refusals as 400 with every reason, other organisations' rows as 404; the OpenAPI schema
documents all three answers."""

import pytest

from scrutiny.models import MeasureResult


def _api(tenant, path):
    return f"/api/v1/{tenant.org.slug}/scrutiny/{path}"


def test_results_post_records_one_and_refuses_with_every_reason(
    tenant_a, tenant_b, terms_a, make_measure, client_as
):
    measure = make_measure(code="TP02")
    officer = client_as(tenant_a.officer)
    body = {"measure": measure.pk, "period_start": "2026-04-01", "value": "70.00"}
    created = officer.post(_api(tenant_a, "results/"), body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json() | {"id": 0} == {
        "id": 0,
        "measure": measure.pk,
        "period_start": "2026-04-01",
        "value": "70.00",
        "source": "entered",
        "note": "",
        "rag": "red",
    }
    again = officer.post(
        _api(tenant_a, "results/"),
        {"measure": measure.pk, "period_start": "2026-05-01", "value": "80"},
        content_type="application/json",
    )
    assert again.status_code == 400
    codes = {e["code"] for e in again.json()["errors"]}
    assert "result.period_misaligned" in codes
    assert all({"code", "message", "field", "source"} <= set(e) for e in again.json()["errors"])
    # Another organisation's measure: 404, nothing written.
    stranger = client_as(tenant_b.officer)
    response = stranger.post(_api(tenant_b, "results/"), body, content_type="application/json")
    assert response.status_code == 404
    assert MeasureResult.objects.count() == 1
    listed = client_as(tenant_a.member).get(_api(tenant_a, "results/")).json()
    assert [r["rag"] for r in listed["results"]] == ["red"]


@pytest.mark.parametrize(
    ("path", "parent"),
    [("results", "measure"), ("responses", "recommendation"), ("actions", "recommendation")],
)
def test_schema_documents_created_refused_and_not_found(schema_client, path, parent):
    schema = schema_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    post = schema["paths"]["/api/v1/{org_slug}/scrutiny/" + path + "/"]["post"]
    assert set(post["responses"]) == {"201", "400", "404"}
    assert post["responses"]["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Refusal"
    }
    assert parent in post["responses"]["404"]["description"]
    request = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    created = post["responses"]["201"]["content"]["application/json"]["schema"]["$ref"]
    assert request == created  # one component per resource for reading and writing
    components = schema["components"]["schemas"]
    assert components["BoardResponse"]["properties"]["decision"] == {
        "$ref": "#/components/schemas/DecisionEnum"
    }
    assert components["RagEnum"]["enum"] == ["green", "amber", "red"]
