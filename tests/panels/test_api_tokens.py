"""API authentication (issue 12, item 4): session with CSRF for the browser, personal tokens
for scripts, no Basic authentication."""

import base64
import datetime
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from panels.api.auth import token_hash
from panels.models import ApiToken, AuditEntry, Panel
from panels.signin import signin_failure_record
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache(isolated_cache):
    """Counters and used TOTP codes start empty in every test."""


def _panels_url(org):
    return f"/api/v1/{org.slug}/panels/"


def _create(client, org, *, access="read", name="Script", expires="90"):
    response = client.post(
        reverse("account_api_tokens"),
        {"name": name, "organisation": org.pk, "access": access, "expires": expires},
    )
    assert response.status_code == 200, response.content.decode()[:3000]
    return response.context["created_token"], response


def _bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_token_is_shown_once_and_stored_hashed(client_as, tenant_a):
    client = client_as(tenant_a.officer)
    secret, response = _create(client, tenant_a.org)
    assert secret.startswith("ph_") and secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    row = ApiToken.objects.get(user=tenant_a.officer)
    assert row.token_hash == token_hash(secret)
    assert secret not in str(ApiToken.objects.filter(pk=row.pk).values().get())
    listing = client.get(reverse("account_api_tokens")).content.decode()
    assert secret not in listing and row.prefix in listing
    assert AuditEntry.objects.filter(organisation=tenant_a.org, action="api_token.created")


def test_a_token_reads_its_organisation_and_records_its_use(tenant_a, client_as):
    secret, _ = _create(client_as(tenant_a.member), tenant_a.org)
    api = Client()
    response = api.get(_panels_url(tenant_a.org), **_bearer(secret))
    assert response.status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


def test_a_token_for_another_organisation_is_refused(tenant_a, tenant_b, client_as):
    from panels.models import OrganisationRole

    OrganisationRole.objects.create(
        user=tenant_a.officer, organisation=tenant_b.org, role="officer"
    )
    secret, _ = _create(client_as(tenant_a.officer), tenant_a.org)
    response = Client().get(_panels_url(tenant_b.org), **_bearer(secret))
    assert response.status_code == 403
    assert "cannot be used for Bravo Homes" in response.json()["detail"]


def test_a_read_token_cannot_write(tenant_a, client_as):
    secret, _ = _create(client_as(tenant_a.officer), tenant_a.org, access="read")
    response = Client().post(
        _panels_url(tenant_a.org),
        {"slug": "new", "name": "New"},
        content_type="application/json",
        **_bearer(secret),
    )
    assert response.status_code in (403, 405)
    assert not Panel.objects.filter(slug="new").exists()


def test_a_read_token_cannot_write_through_a_write_endpoint(tenant_a, client_as):
    secret, _ = _create(client_as(tenant_a.officer), tenant_a.org, access="read")
    write, _ = _create(client_as(tenant_a.officer), tenant_a.org, access="write", name="W")
    url = f"/api/v1/{tenant_a.org.slug}/terms-of-reference/"
    for token, expected in ((secret, 403),):
        response = Client().post(url, {}, content_type="application/json", **_bearer(token))
        assert response.status_code == expected
        assert "can only read" in response.json()["detail"]
    # A read and write token gets past authentication to the endpoint's own validation.
    response = Client().post(url, {}, content_type="application/json", **_bearer(write))
    assert response.status_code not in (401, 403)


def test_revoked_expired_and_malformed_tokens_are_refused(tenant_a, client_as):
    client = client_as(tenant_a.member)
    secret, _ = _create(client, tenant_a.org)
    row = ApiToken.objects.get()
    api = Client()
    url = _panels_url(tenant_a.org)
    assert api.get(url, **_bearer(secret + "x")).status_code == 401
    assert api.get(url, **_bearer("ph_nothing")).status_code == 401
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - datetime.timedelta(1))
    assert "expired" in api.get(url, **_bearer(secret)).json()["detail"]
    client.post(reverse("account_api_tokens"), {"revoke": row.pk})
    ApiToken.objects.filter(pk=row.pk).update(expires_at=None)
    response = api.get(url, **_bearer(secret))
    assert response.status_code == 401 and "revoked" in response.json()["detail"]


def test_one_cannot_revoke_someone_elses_token(tenant_a, client_as):
    _create(client_as(tenant_a.officer), tenant_a.org)
    row = ApiToken.objects.get()
    response = client_as(tenant_a.member).post(reverse("account_api_tokens"), {"revoke": row.pk})
    assert response.status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_a_token_only_for_an_organisation_where_one_has_a_role(tenant_a, tenant_b, client_as):
    response = client_as(tenant_a.member).post(
        reverse("account_api_tokens"),
        {"name": "x", "organisation": tenant_b.org.pk, "access": "read", "expires": "30"},
    )
    assert response.status_code == 200
    assert not ApiToken.objects.exists()


def test_forty_wrong_basic_passwords_are_refused_without_a_password_check(tenant_a):
    api = Client()
    header = base64.b64encode(f"{tenant_a.officer.email}:wrong".encode()).decode()
    with (
        mock.patch("panels.signin.ThrottledModelBackend.authenticate") as by_model,
        mock.patch("panels.signin.ThrottledEmailBackend.authenticate") as by_email,
    ):
        for _ in range(40):
            response = api.get(_panels_url(tenant_a.org), HTTP_AUTHORIZATION=f"Basic {header}")
            assert response.status_code == 401
            assert response["WWW-Authenticate"] == 'Bearer realm="api"'
        by_model.assert_not_called()
        by_email.assert_not_called()
    right = base64.b64encode(f"{tenant_a.officer.email}:{PASSWORD}".encode()).decode()
    assert (
        api.get(_panels_url(tenant_a.org), HTTP_AUTHORIZATION=f"Basic {right}").status_code == 401
    )


def test_a_locked_account_gets_no_200_through_any_path(tenant_a, client_as):
    secret, _ = _create(client_as(tenant_a.officer), tenant_a.org)
    for _ in range(60):
        signin_failure_record(email=tenant_a.officer.email, ip=None)
    api = Client()
    url = _panels_url(tenant_a.org)
    basic = base64.b64encode(f"{tenant_a.officer.email}:{PASSWORD}".encode()).decode()
    assert api.get(url, HTTP_AUTHORIZATION=f"Basic {basic}").status_code == 401
    assert api.get(url, **_bearer(secret)).status_code == 401
    form = api.post(
        reverse("account_login"), {"login": tenant_a.officer.email, "password": PASSWORD}
    )
    assert form.status_code == 200 and "_auth_user_id" not in api.session
    assert api.get(url).status_code == 401


def test_a_session_post_without_csrf_is_refused(tenant_a):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(tenant_a.officer)
    response = browser.post(
        f"/api/v1/{tenant_a.org.slug}/terms-of-reference/", {}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_tokens_are_throttled_per_token(tenant_a, client_as, monkeypatch):
    from panels.api.auth import ApiTokenRateThrottle

    # The rate comes from settings (REST_FRAMEWORK DEFAULT_THROTTLE_RATES["token"]); DRF
    # reads it once, at import, so the test sets the class's copy.
    monkeypatch.setattr(ApiTokenRateThrottle, "THROTTLE_RATES", {"token": "3/min"})
    one, _ = _create(client_as(tenant_a.member), tenant_a.org, name="one")
    two, _ = _create(client_as(tenant_a.member), tenant_a.org, name="two")
    api = Client()
    url = _panels_url(tenant_a.org)
    codes = [api.get(url, **_bearer(one)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert api.get(url, **_bearer(two)).status_code == 200


def test_the_schema_documents_the_token_scheme(schema_client):
    schema = schema_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["apiToken"]["scheme"] == "bearer"
    assert "basicAuth" not in schemes
