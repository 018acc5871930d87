"""The OpenAPI schema of the whole API generates, validates and has no warnings, so every
endpoint any app adds is documented properly."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_openapi_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    for path in (
        "/api/v1/{org_slug}/panels/",
        "/api/v1/{org_slug}/meetings/",
        "/api/v1/{org_slug}/memberships/",
    ):
        assert path in text


def test_schema_and_docs_pages_are_served(client_as, tenant_a):
    """Signed in (tests/panels/test_deployment.py covers the anonymous side)."""
    client = client_as(tenant_a.member)
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert "cdn" not in docs.content.decode().lower()
