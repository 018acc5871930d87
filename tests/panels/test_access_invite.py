import pytest
from django.core import mail
from django.urls import reverse

from panels.models import AuditEntry, OrganisationRole, Role, User

pytestmark = pytest.mark.django_db


def _url(org):
    return reverse("access:manage", kwargs={"org_slug": org.slug})


def test_officer_invites_a_new_member_who_gets_a_set_password_link(
    client_as, tenant_a, django_capture_on_commit_callbacks
):
    client = client_as(tenant_a.officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url(tenant_a.org),
            {"email": "new.resident@example.com", "first_name": "New", "role": Role.MEMBER},
        )
    assert response.status_code == 302
    user = User.objects.get(email="new.resident@example.com")
    assert not user.has_usable_password()
    assert OrganisationRole.objects.filter(user=user, organisation=tenant_a.org, role="member")
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert AuditEntry.objects.filter(organisation=tenant_a.org, action="access.granted").exists()


def test_inviting_an_existing_user_to_a_second_organisation_keeps_their_password(
    client_as, tenant_a, tenant_b, django_capture_on_commit_callbacks
):
    client = client_as(tenant_b.officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(tenant_b.org), {"email": tenant_a.member.email, "role": Role.BOARD})
    tenant_a.member.refresh_from_db()
    assert tenant_a.member.has_usable_password()
    assert "password/reset/key" not in mail.outbox[0].body
    assert OrganisationRole.objects.filter(user=tenant_a.member, organisation=tenant_b.org).exists()


def test_inviting_someone_to_a_role_they_hold_is_refused_on_the_email_field(client_as, tenant_a):
    client = client_as(tenant_a.officer)
    response = client.post(_url(tenant_a.org), {"email": tenant_a.board.email, "role": "board"})
    assert response.status_code == 200
    assert "already has the role board member here" in response.content.decode()


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
