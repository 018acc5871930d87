"""Invitations (issue 12, item 1): a single-use, expiring, hashed token emailed to the
address; a role only for the account that proves the address; never by matching an email."""

import datetime
import hashlib
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from panels.models import AuditEntry, Invitation, OrganisationRole, Role, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "plum tree lantern 42"  # noqa: S105


def _url(org):
    return reverse("access:manage", kwargs={"org_slug": org.slug})


def _invite(client, org, email, role=Role.MEMBER, capture=None, **extra):
    with capture(execute=True):
        response = client.post(_url(org), {"email": email, "role": role, **extra})
    assert response.status_code == 302, response.content.decode()[:2000]
    return _link_token(mail.outbox[-1].body)


def _link_token(body: str) -> str:
    match = re.search(r"/accounts/invitation/([^/\s]+)/", body)
    assert match, body
    return match.group(1)


def _accept_url(token):
    return reverse("invitation_accept", kwargs={"token": token})


def test_inviting_creates_no_account_and_no_role_until_accepted(
    client_as, tenant_a, django_capture_on_commit_callbacks
):
    client = client_as(tenant_a.officer)
    token = _invite(
        client, tenant_a.org, "new.resident@example.com", capture=django_capture_on_commit_callbacks
    )
    assert not User.objects.filter(email="new.resident@example.com").exists()
    invitation = Invitation.objects.get(email="new.resident@example.com")
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())
    lifetime = invitation.expires_at - invitation.created_at
    assert abs(lifetime - datetime.timedelta(days=14)) < datetime.timedelta(minutes=1)
    assert mail.outbox[-1].to == ["new.resident@example.com"]
    assert "expires on" in mail.outbox[-1].body
    assert AuditEntry.objects.filter(organisation=tenant_a.org, action="access.invited").exists()
    page = client.get(_url(tenant_a.org)).content.decode()
    assert "new.resident@example.com" in page and "Invitations waiting" in page


def test_a_new_person_creates_their_account_through_the_token(
    client, client_as, tenant_a, django_capture_on_commit_callbacks
):
    token = _invite(
        client_as(tenant_a.officer),
        tenant_a.org,
        "new.resident@example.com",
        capture=django_capture_on_commit_callbacks,
        first_name="Nia",
    )
    client.logout()
    page = client.get(_accept_url(token))
    assert page.status_code == 200
    assert "Create my account and accept" in page.content.decode()
    response = client.post(
        _accept_url(token),
        {
            "first_name": "Nia",
            "last_name": "Jones",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("panels:landing", kwargs={"org_slug": tenant_a.org.slug})
    user = User.objects.get(email="new.resident@example.com")
    assert user.check_password(NEW_PASSWORD)
    assert EmailAddress.objects.filter(user=user, email=user.email, verified=True, primary=True)
    assert OrganisationRole.objects.filter(user=user, organisation=tenant_a.org, role="member")
    assert AuditEntry.objects.filter(organisation=tenant_a.org, action="access.granted").exists()
    assert (
        client.get(reverse("panels:landing", kwargs={"org_slug": "alpha"})).wsgi_request.user
        == user
    )


def test_a_password_of_eleven_characters_is_refused_and_nothing_is_saved(
    client, client_as, tenant_a, django_capture_on_commit_callbacks
):
    token = _invite(
        client_as(tenant_a.officer),
        tenant_a.org,
        "short@example.com",
        capture=django_capture_on_commit_callbacks,
    )
    client.logout()
    short = "kq7#mvz2!pw"
    assert len(short) == 11
    response = client.post(_accept_url(token), {"password1": short, "password2": short})
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    assert not User.objects.filter(email="short@example.com").exists()
    assert Invitation.objects.get(email="short@example.com").accepted_at is None


def test_a_common_password_is_refused(
    client, client_as, tenant_a, django_capture_on_commit_callbacks
):
    token = _invite(
        client_as(tenant_a.officer),
        tenant_a.org,
        "common@example.com",
        capture=django_capture_on_commit_callbacks,
    )
    client.logout()
    response = client.post(
        _accept_url(token), {"password1": "password1234", "password2": "password1234"}
    )
    assert "too common" in response.content.decode()
    assert not User.objects.filter(email="common@example.com").exists()


def test_a_replayed_invitation_is_refused(
    client, client_as, tenant_a, django_capture_on_commit_callbacks
):
    token = _invite(
        client_as(tenant_a.officer),
        tenant_a.org,
        "once@example.com",
        capture=django_capture_on_commit_callbacks,
    )
    client.logout()
    form = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    assert client.post(_accept_url(token), form).status_code == 302
    client.logout()
    again = client.post(_accept_url(token), form)
    assert again.status_code == 410
    assert "already been accepted" in again.content.decode()
    assert client.get(_accept_url(token)).status_code == 410
    assert OrganisationRole.objects.filter(user__email="once@example.com").count() == 1


def test_an_expired_invitation_is_refused(
    client, client_as, tenant_a, django_capture_on_commit_callbacks
):
    token = _invite(
        client_as(tenant_a.officer),
        tenant_a.org,
        "late@example.com",
        capture=django_capture_on_commit_callbacks,
    )
    Invitation.objects.filter(email="late@example.com").update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    client.logout()
    response = client.post(
        _accept_url(token), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not User.objects.filter(email="late@example.com").exists()


def test_a_withdrawn_invitation_is_refused_and_a_resent_one_kills_the_old_link(
    client, client_as, tenant_a, django_capture_on_commit_callbacks
):
    officer = client_as(tenant_a.officer)
    token = _invite(
        officer, tenant_a.org, "twice@example.com", capture=django_capture_on_commit_callbacks
    )
    invitation = Invitation.objects.get(email="twice@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(_url(tenant_a.org), {"resend": invitation.pk})
    new_token = _link_token(mail.outbox[-1].body)
    assert new_token != token
    assert officer.get(_accept_url(token)).status_code == 404
    officer.post(_url(tenant_a.org), {"withdraw": invitation.pk})
    client.logout()
    response = client.get(_accept_url(new_token))
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()
    assert AuditEntry.objects.filter(action="access.invitation_revoked").exists()


def test_an_unknown_token_is_404_with_a_clear_message(client, db):
    response = client.get(_accept_url("not-a-real-token"))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_an_existing_account_accepts_by_signing_in_and_keeps_its_password(
    client_as, tenant_a, tenant_b, django_capture_on_commit_callbacks
):
    token = _invite(
        client_as(tenant_b.officer),
        tenant_b.org,
        tenant_a.member.email,
        role=Role.BOARD,
        capture=django_capture_on_commit_callbacks,
    )
    assert not OrganisationRole.objects.filter(user=tenant_a.member, organisation=tenant_b.org)
    client = client_as(tenant_a.member)
    page = client.get(_accept_url(token)).content.decode()
    assert f"Accept as {tenant_a.member.email}" in page
    assert client.post(_accept_url(token), {"accept": "1"}).status_code == 302
    tenant_a.member.refresh_from_db()
    assert tenant_a.member.check_password(PASSWORD)
    assert OrganisationRole.objects.filter(
        user=tenant_a.member, organisation=tenant_b.org, role=Role.BOARD
    ).exists()


def test_an_anonymous_visitor_with_an_existing_account_is_asked_to_sign_in(
    client, client_as, tenant_a, tenant_b, django_capture_on_commit_callbacks
):
    token = _invite(
        client_as(tenant_b.officer),
        tenant_b.org,
        tenant_a.member.email,
        capture=django_capture_on_commit_callbacks,
    )
    client.logout()
    page = client.get(_accept_url(token)).content.decode()
    assert "Sign in to accept" in page and "Create my account" not in page
    refused = client.post(
        _accept_url(token), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert "already exists" in refused.content.decode()
    assert not OrganisationRole.objects.filter(user=tenant_a.member, organisation=tenant_b.org)


def test_the_wrong_account_cannot_accept(client_as, tenant_a, django_capture_on_commit_callbacks):
    token = _invite(
        client_as(tenant_a.officer),
        tenant_a.org,
        "someone.else@example.com",
        role=Role.ADMIN,
        capture=django_capture_on_commit_callbacks,
    )
    client = client_as(tenant_a.member)
    assert (
        "Only the account that has proved that address"
        in client.get(_accept_url(token)).content.decode()
    )
    response = client.post(_accept_url(token), {"accept": "1"})
    assert response.status_code == 403
    assert "not a verified address" in response.content.decode()
    assert set(
        OrganisationRole.objects.filter(user=tenant_a.member).values_list("role", flat=True)
    ) == {"member"}


@pytest.mark.parametrize("inviting_tenant", ["a", "b"], ids=["same-org", "other-org"])
def test_the_review_attack_an_unproved_address_gets_no_role(
    client, client_as, tenant_a, tenant_b, inviting_tenant, django_capture_on_commit_callbacks
):
    """A member adds the victim's address to their own account and tries to make it primary;
    an officer (of the member's organisation, or another) invites that address as admin."""
    victim = "victim@example.com"
    attacker = tenant_a.member
    member_client = client_as(attacker)
    member_client.post(reverse("account_email"), {"email": victim, "action_add": ""})
    added = EmailAddress.objects.get(user=attacker, email=victim)
    assert not added.verified
    member_client.post(reverse("account_email"), {"email": victim, "action_primary": ""})
    added.refresh_from_db()
    attacker.refresh_from_db()
    assert not added.primary and attacker.email != victim

    tenant = tenant_a if inviting_tenant == "a" else tenant_b
    token = _invite(
        client_as(tenant.officer),
        tenant.org,
        victim,
        role=Role.ADMIN,
        capture=django_capture_on_commit_callbacks,
    )
    attacker.refresh_from_db()
    assert not attacker.is_staff
    assert list(OrganisationRole.objects.filter(user=attacker).values_list("role", flat=True)) == [
        "member"
    ]
    # Even holding the link, the member's account has not proved the address.
    member_client = client_as(attacker)
    assert member_client.post(_accept_url(token), {"accept": "1"}).status_code == 403
    assert list(OrganisationRole.objects.filter(user=attacker).values_list("role", flat=True)) == [
        "member"
    ]
    # Nor can the unproved address be used to sign in.
    member_client.logout()
    member_client.post(reverse("account_login"), {"login": victim, "password": PASSWORD})
    assert "_auth_user_id" not in member_client.session
    # The real owner creates the account through the link and gets the role.
    client.logout()
    client.post(_accept_url(token), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    owner = User.objects.get(email=victim)
    assert owner != attacker
    assert OrganisationRole.objects.filter(user=owner, organisation=tenant.org, role=Role.ADMIN)
    assert not EmailAddress.objects.filter(user=attacker, email=victim).exists()


def test_a_verified_address_signs_in_and_an_unverified_one_does_not(client, tenant_a):
    response = client.post(
        reverse("account_login"), {"login": tenant_a.member.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(tenant_a.member.pk)
    client.logout()
    EmailAddress.objects.filter(user=tenant_a.board).update(verified=False)
    client.post(reverse("account_login"), {"login": tenant_a.board.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_inviting_someone_to_a_role_they_hold_is_refused_on_the_email_field(client_as, tenant_a):
    client = client_as(tenant_a.officer)
    response = client.post(_url(tenant_a.org), {"email": tenant_a.board.email, "role": "board"})
    assert response.status_code == 200
    assert "already has the role board member here" in response.content.decode()


def test_a_second_pending_invitation_for_the_same_role_is_refused(
    client_as, tenant_a, django_capture_on_commit_callbacks
):
    client = client_as(tenant_a.officer)
    _invite(client, tenant_a.org, "dup@example.com", capture=django_capture_on_commit_callbacks)
    response = client.post(_url(tenant_a.org), {"email": "dup@example.com", "role": "member"})
    assert "resend it" in response.content.decode()
    assert Invitation.objects.filter(email="dup@example.com").count() == 1


def test_resending_or_withdrawing_another_organisations_invitation_is_404(
    client_as, tenant_a, tenant_b, django_capture_on_commit_callbacks
):
    _invite(
        client_as(tenant_b.officer),
        tenant_b.org,
        "b@example.com",
        capture=django_capture_on_commit_callbacks,
    )
    foreign = Invitation.objects.get(email="b@example.com")
    client = client_as(tenant_a.officer)
    for action in ("resend", "withdraw"):
        assert client.post(_url(tenant_a.org), {action: foreign.pk}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.revoked_at is None


def test_members_and_board_cannot_manage_access(client_as, tenant_a):
    for user in (tenant_a.member, tenant_a.board):
        response = client_as(user).get(_url(tenant_a.org))
        assert response.status_code == 403
        assert "engagement officers" in response.content.decode()


def test_revoking_a_role_of_another_organisation_is_404(client_as, tenant_a, tenant_b):
    foreign = OrganisationRole.objects.get(user=tenant_b.member, organisation=tenant_b.org)
    response = client_as(tenant_a.officer).post(_url(tenant_a.org), {"revoke": foreign.pk})
    assert response.status_code == 404
    assert OrganisationRole.objects.filter(pk=foreign.pk).exists()


def test_revoking_a_role(client_as, tenant_a):
    role = OrganisationRole.objects.get(user=tenant_a.board, organisation=tenant_a.org)
    response = client_as(tenant_a.officer).post(_url(tenant_a.org), {"revoke": role.pk})
    assert response.status_code == 302
    assert not OrganisationRole.objects.filter(pk=role.pk).exists()


def test_officer_cannot_remove_their_own_officer_role(client_as, tenant_a):
    role = OrganisationRole.objects.get(user=tenant_a.officer, organisation=tenant_a.org)
    client_as(tenant_a.officer).post(_url(tenant_a.org), {"revoke": role.pk})
    assert OrganisationRole.objects.filter(pk=role.pk).exists()


def test_an_officer_role_accepted_makes_the_account_staff(
    client, client_as, tenant_a, django_capture_on_commit_callbacks
):
    token = _invite(
        client_as(tenant_a.officer),
        tenant_a.org,
        "new.officer@example.com",
        role=Role.OFFICER,
        capture=django_capture_on_commit_callbacks,
    )
    client.logout()
    client.post(_accept_url(token), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert User.objects.get(email="new.officer@example.com").is_staff
