"""Evidence files: refused unless an allowed kind, and served only to the panel's own
members and the organisation's officers (docs/security.md)."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from members.models import Membership, Person
from panels.models import Panel
from scrutiny import services
from scrutiny.models import EvidenceItem
from tests import sample_files as sample

pytestmark = pytest.mark.django_db


def _seat(org, panel, user):
    person = Person.objects.create(organisation=org, first_name="Sam", last_name="Seat", user=user)
    return Membership.objects.create(
        organisation=org, panel=panel, person=person, starts_on=datetime.date(2025, 1, 1)
    )


def _file_url(item):
    return reverse(
        "scrutiny:evidence_file",
        kwargs={"org_slug": item.organisation.slug, "evidence_item_id": item.pk},
    )


def test_evidence_is_not_reachable_without_permission(tenant_a, tenant_b, client_as):
    item = services.evidence_add(
        panel=tenant_a.panel,
        by=tenant_a.officer,
        kind="complaints",
        title="Complaints learning",
        dated=datetime.date(2026, 5, 1),
        file=ContentFile(sample.pdf_bytes(), name="complaints.pdf"),
        is_confidential=True,
    )
    other_panel = Panel.objects.create(organisation=tenant_a.org, slug="other", name="Other")
    _seat(tenant_a.org, tenant_a.panel, tenant_a.member)
    outsider = type(tenant_a.member).objects.create_user(email="m2@alpha.test", password="x")
    from panels.models import OrganisationRole

    OrganisationRole.objects.create(user=outsider, organisation=tenant_a.org, role="member")
    _seat(tenant_a.org, other_panel, outsider)

    url = _file_url(item)
    assert client_as(tenant_a.officer).get(url).status_code == 200
    assert client_as(tenant_a.admin).get(url).status_code == 200
    assert client_as(tenant_a.member).get(url).status_code == 200
    assert client_as(tenant_a.board).get(url).status_code == 403  # no role that sees evidence
    assert client_as(outsider).get(url).status_code == 404
    assert client_as(tenant_b.officer).get(url).status_code in (403, 404)
    client_as(tenant_b.officer).logout()
    anonymous = client_as(tenant_a.member)
    anonymous.logout()
    response = anonymous.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_svg_evidence_file_is_refused_and_nothing_is_saved(tenant_a, client_as):
    response = client_as(tenant_a.officer).post(
        reverse(
            "scrutiny:evidence_add",
            kwargs={"org_slug": tenant_a.org.slug, "panel_slug": tenant_a.panel.slug},
        ),
        {
            "kind": "survey",
            "title": "Survey chart",
            "dated": "2026-07-01",
            "file": sample.upload("chart.svg", sample.SVG, "image/svg+xml"),
        },
    )
    assert response.status_code == 200
    assert "Evidence file: “chart.svg” is not a file of an allowed kind" in (
        response.content.decode()
    )
    assert not EvidenceItem.objects.exists()
