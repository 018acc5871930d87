"""Outages (issue 14, item 6): a PostgreSQL that cannot be reached answers 503 "try again
shortly" (a plain page, or JSON on the API), never a 500; a file missing from storage (a
restore without the uploads) answers 404 with what an officer can do."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from notices.models import Letter
from tests.notices.test_pages import _sent_post_and_email


@pytest.fixture
def database_down():
    """Point the connection at a port where nothing listens, as when PostgreSQL stops."""
    connection.close()
    saved = dict(connection.settings_dict)
    connection.settings_dict["PORT"] = "1"
    connection.settings_dict["HOST"] = "127.0.0.1"
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_database_outage_is_a_503_try_again_shortly(tenant_a, database_down):
    client = Client(raise_request_exception=False)
    page = client.get(reverse("panels:landing", kwargs={"org_slug": tenant_a.org.slug}))
    assert page.status_code == 503
    assert page["Retry-After"] == "30"
    body = page.content.decode()
    assert "Try again shortly" in body and "cannot reach its database" in body
    api = client.post(f"/api/v1/{tenant_a.org.slug}/panels/", "{}", content_type="application/json")
    assert api.status_code == 503
    assert "try again shortly" in api.json()["detail"]
    signin = client.post(reverse("account_login"), {"login": "a@b.test", "password": "x"})
    assert signin.status_code == 503


def test_other_faults_are_still_a_500(client, settings):
    from unittest import mock

    with mock.patch(
        "panels.middleware.OrganisationMiddleware.__call__", side_effect=RuntimeError("bug")
    ):
        response = Client(raise_request_exception=False).get("/alpha/")
    assert response.status_code == 500


@pytest.mark.django_db
def test_a_letter_missing_from_storage_is_a_404_that_says_what_to_do(client_as, tenant_a):
    _sent_post_and_email(tenant_a)
    letter = Letter.objects.get()
    letter.pdf.storage.delete(letter.pdf.name)  # a restore without the uploads
    response = client_as(tenant_a.officer).get(
        reverse(
            "notices:letter_pdf", kwargs={"org_slug": tenant_a.org.slug, "letter_id": letter.pk}
        )
    )
    assert response.status_code == 404
    assert "missing from storage: send the notice again" in response.content.decode()
