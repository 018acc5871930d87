"""Two-step sign-in (issue 12, item 2): required for officers, admins, board members and
superusers before any page of theirs, any admin page or any API request with the session;
optional for members, who may also sign in with an emailed code."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from panels.demo import DEMO_TOTP_SECRET
from panels.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"


@pytest.fixture(autouse=True)
def _fresh_cache(isolated_cache):
    """Counters and used TOTP codes start empty in every test."""


def _code(secret=SECRET):
    import time

    from allauth.mfa import app_settings

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


def _landing(org):
    return reverse("panels:landing", kwargs={"org_slug": org.slug})


def _password_only(client, user):
    client.force_login(user, mfa=False)
    return client


def test_an_officer_without_an_authenticator_is_sent_to_set_one_up(client, tenant_a):
    _password_only(client, tenant_a.officer)
    for url in (_landing(tenant_a.org), reverse("access:manage", kwargs={"org_slug": "alpha"})):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_index")
    page = client.get(reverse("mfa_index"))
    assert page.status_code == 200


def test_with_an_authenticator_a_password_only_session_must_take_the_mfa_step(client, tenant_a):
    TOTP.activate(tenant_a.admin, SECRET)
    _password_only(client, tenant_a.admin)
    url = reverse("access:manage", kwargs={"org_slug": "alpha"})
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    step = client.post(response["Location"], {"code": _code()})
    assert step.status_code == 302
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", ["officer", "admin", "board"])
def test_staff_roles_are_held_on_every_page(client, tenant_a, role):
    _password_only(client, tenant_a.user(role))
    assert client.get(_landing(tenant_a.org)).status_code == 302


def test_a_superuser_and_the_admin_are_held_too(client, tenant_a):
    superuser = User.objects.create_superuser(email="root@example.test", password=PASSWORD)
    _password_only(client, superuser)
    assert client.get("/admin/").status_code == 302
    _password_only(client, tenant_a.officer)
    assert client.get("/admin/panels/panel/").status_code == 302


def test_a_board_members_api_write_is_refused_without_mfa(client, tenant_a):
    _password_only(client, tenant_a.board)
    response = client.post(
        f"/api/v1/{tenant_a.org.slug}/panels/", {}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "mfa_required"
    read = client.get(f"/api/v1/{tenant_a.org.slug}/panels/")
    assert read.status_code == 403  # the session's reads too: no way round the page rule


def test_a_staff_member_cannot_make_an_api_token_without_mfa(client, tenant_a):
    _password_only(client, tenant_a.officer)
    response = client.get(reverse("account_api_tokens"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_index")


def test_a_member_is_not_held(client, tenant_a):
    _password_only(client, tenant_a.member)
    assert client.get(_landing(tenant_a.org)).status_code == 200
    assert client.get(reverse("members:mine", kwargs={"org_slug": "alpha"})).status_code in (
        200,
        404,
    )
    assert client.get(reverse("account_api_tokens")).status_code == 200


def test_the_real_sign_in_asks_staff_for_their_code(client, tenant_a):
    TOTP.activate(tenant_a.officer, SECRET)
    response = client.post(
        reverse("account_login"), {"login": tenant_a.officer.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    right = client.post(reverse("mfa_authenticate"), {"code": _code()})
    assert right.status_code == 302
    assert client.get(reverse("access:manage", kwargs={"org_slug": "alpha"})).status_code == 200


def test_a_member_may_opt_in(client_as, tenant_a):
    client = client_as(tenant_a.member)
    activate = reverse("mfa_activate_totp")
    # allauth asks for the password again before an authenticator is added.
    response = client.get(activate)
    assert response.status_code == 302 and "/accounts/reauthenticate/" in response["Location"]
    client.post(response["Location"], {"password": PASSWORD})
    page = client.get(activate)
    assert page.status_code == 200
    secret = page.context["form"].secret
    done = client.post(activate, {"code": _code(secret)})
    assert done.status_code == 302
    assert Authenticator.objects.filter(user=tenant_a.member, type="totp").exists()


def test_a_member_signs_in_with_an_emailed_code(client, tenant_a):
    response = client.post(reverse("account_request_login_code"), {"email": tenant_a.member.email})
    assert response.status_code == 302
    code = re.search(r"^\s*([A-Z0-9-]{6,9})\s*$", mail.outbox[-1].body, re.M).group(1)
    confirmed = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert confirmed.status_code == 302
    assert client.session["_auth_user_id"] == str(tenant_a.member.pk)


def test_the_demo_gives_staff_a_totp_authenticator_and_make_totp_prints_its_code(db, capsys):
    call_command("seed_demo", "--quiet-sign-ins")
    capsys.readouterr()
    officer = User.objects.get(email="officer@helena.panelhub.demo")
    member = User.objects.get(email="member@helena.panelhub.demo")
    assert Authenticator.objects.filter(user=officer, type="totp").exists()
    assert not Authenticator.objects.filter(user=member).exists()
    call_command("demo_totp", officer.email)
    assert capsys.readouterr().out.strip() == _code(DEMO_TOTP_SECRET)


def test_the_dev_login_counts_as_mfa(client, tenant_a, settings):
    from panels.views.dev import dev_login_as

    settings.DEBUG = True
    request = __import__("django.test", fromlist=["RequestFactory"]).RequestFactory().get("/")
    from django.contrib.sessions.backends.db import SessionStore

    request.session = SessionStore()
    dev_login_as(request, tenant_a.officer.email)
    records = request.session["account_authentication_methods"]
    assert any(r["method"] == "mfa" for r in records)


def test_staff_cannot_remove_their_last_authenticator_but_members_can(client_as, tenant_a):
    from allauth.mfa.adapter import get_adapter

    officer_totp = TOTP.activate(tenant_a.officer, SECRET).instance
    member_totp = TOTP.activate(tenant_a.member, SECRET).instance
    assert not get_adapter().can_delete_authenticator(officer_totp)
    assert get_adapter().can_delete_authenticator(member_totp)
