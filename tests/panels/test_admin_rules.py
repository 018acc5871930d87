"""The Django admin cannot break the rules: seats, terms and chairs are read-only there
(they change through the services on the officer pages); user pickers offer only people
of the officer's organisations; audit fields are the server's (docs/security.md)."""

import datetime

import pytest
from django.urls import reverse

from members.models import Membership, Person
from panels.models import AuditEntry, OrganisationRole, Role
from scrutiny.models import EvidenceItem

pytestmark = pytest.mark.django_db


def _seat(org, panel, role="resident", **extra):
    person = Person.objects.create(organisation=org, first_name="Ann", last_name="Seat")
    return Membership.objects.create(
        organisation=org,
        panel=panel,
        person=person,
        role=role,
        starts_on=datetime.date(2025, 4, 1),
        term_ends_on=datetime.date(2028, 3, 31),
        **extra,
    )


def _membership_form(seat, **changes):
    values = {
        "organisation": seat.organisation_id,
        "panel": seat.panel_id,
        "person": seat.person_id,
        "role": seat.role,
        "status": seat.status,
        "starts_on": seat.starts_on.isoformat(),
        "term_number": seat.term_number,
        "term_ends_on": seat.term_ends_on.isoformat(),
        "first_started_on": seat.starts_on.isoformat(),
    }
    values.update(changes)
    return values


def test_an_officer_cannot_make_a_second_chair_or_a_nine_year_term_in_the_admin(
    client_as, tenant_a
):
    """As found: the admin let an officer make a second chair and give a seat a nine-year
    term, bypassing every rule the services enforce."""
    _seat(tenant_a.org, tenant_a.panel, role="chair")
    seat = _seat(tenant_a.org, tenant_a.panel)
    client = client_as(tenant_a.officer)
    url = reverse("admin:members_membership_change", args=[seat.pk])
    page = client.get(url)
    assert page.status_code == 200  # readable, with where to change it
    body = page.content.decode()
    assert 'name="role"' not in body and "Where to change this" in body
    second_chair = client.post(url, _membership_form(seat, role="chair"))
    nine_years = client.post(url, _membership_form(seat, term_ends_on="2034-03-31"))
    assert second_chair.status_code == nine_years.status_code == 403
    seat.refresh_from_db()
    assert seat.role == "resident" and seat.term_ends_on == datetime.date(2028, 3, 31)
    assert Membership.objects.filter(role="chair").count() == 1


def test_an_officer_cannot_appoint_a_never_selected_person_in_the_admin(client_as, tenant_a):
    person = Person.objects.create(organisation=tenant_a.org, first_name="Never", last_name="Sel")
    client = client_as(tenant_a.officer)
    add = reverse("admin:members_membership_add")
    assert client.get(add).status_code == 403
    response = client.post(
        add,
        {
            "organisation": tenant_a.org.pk,
            "panel": tenant_a.panel.pk,
            "person": person.pk,
            "role": "resident",
            "status": "active",
            "starts_on": "2026-01-01",
            "term_number": 1,
        },
    )
    assert response.status_code == 403
    assert not Membership.objects.exists()


def test_ruled_scrutiny_rows_are_read_only_in_the_admin(client_as, tenant_a):
    client = client_as(tenant_a.officer)
    for name in ("servicereview", "boardresponse", "workplanpriority", "noticetoact"):
        assert client.get(reverse(f"admin:scrutiny_{name}_add")).status_code == 403, name


def test_user_pickers_offer_only_people_of_the_officers_organisations(
    client_as, tenant_a, tenant_b
):
    client = client_as(tenant_a.officer)
    found = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "panels",
            "model_name": "organisationrole",
            "field_name": "user",
            "term": "",
        },
    )
    assert found.status_code == 200
    ids = {int(r["id"]) for r in found.json()["results"]}
    assert tenant_a.member.pk in ids and tenant_a.board.pk in ids
    assert tenant_b.member.pk not in ids and tenant_b.officer.pk not in ids
    by_name = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "members", "model_name": "person", "field_name": "user", "term": "Bravo"},
    )
    assert by_name.json()["results"] == []
    # The user changelist itself stays closed to officers.
    assert client.get(reverse("admin:panels_user_changelist")).status_code == 403
    # Posting another organisation's user is refused by the form, not only hidden.
    response = client.post(
        reverse("admin:panels_organisationrole_add"),
        {"user": tenant_b.member.pk, "organisation": tenant_a.org.pk, "role": "officer"},
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not OrganisationRole.objects.filter(user=tenant_b.member, organisation=tenant_a.org)


def test_a_role_granted_in_the_admin_is_recorded_by_the_server_and_audited(client_as, tenant_a):
    client = client_as(tenant_a.officer)
    response = client.post(
        reverse("admin:panels_organisationrole_add"),
        {
            "user": tenant_a.member.pk,
            "organisation": tenant_a.org.pk,
            "role": Role.BOARD,
            "granted_by": tenant_a.admin.pk,  # ignored: the server records who granted it
        },
    )
    assert response.status_code == 302
    granted = OrganisationRole.objects.get(user=tenant_a.member, role=Role.BOARD)
    assert granted.granted_by == tenant_a.officer
    entry = AuditEntry.objects.get(action="access.granted")
    assert entry.actor == tenant_a.officer and entry.after["role"] == "board"
    client.post(reverse("admin:panels_organisationrole_delete", args=[granted.pk]), {"post": "yes"})
    assert not OrganisationRole.objects.filter(pk=granted.pk).exists()
    assert AuditEntry.objects.filter(action="access.revoked", actor=tenant_a.officer).exists()


def test_a_role_for_someone_new_to_the_organisation_needs_an_invitation(
    client_as, tenant_a, tenant_b
):
    """An officer of two organisations may not attach a role in one to a user of the other:
    newcomers are invited, and accept with an account that proves their address."""
    OrganisationRole.objects.create(
        user=tenant_a.officer, organisation=tenant_b.org, role="officer"
    )
    client = client_as(tenant_a.officer)
    response = client.post(
        reverse("admin:panels_organisationrole_add"),
        {"user": tenant_b.member.pk, "organisation": tenant_a.org.pk, "role": "member"},
    )
    assert response.status_code == 200
    assert "holds no role at Alpha Housing yet: invite them" in response.content.decode()
    assert not OrganisationRole.objects.filter(user=tenant_b.member, organisation=tenant_a.org)


def test_added_by_and_recorded_by_fields_are_the_servers(client_as, tenant_a):
    item = EvidenceItem.objects.create(
        organisation=tenant_a.org,
        panel=tenant_a.panel,
        kind="survey",
        title="Survey",
        dated=datetime.date(2026, 1, 1),
        added_by=tenant_a.admin,
    )
    body = (
        client_as(tenant_a.officer)
        .get(reverse("admin:scrutiny_evidenceitem_change", args=[item.pk]))
        .content.decode()
    )
    assert 'name="added_by"' not in body and "/media/" not in body
    role = OrganisationRole.objects.get(user=tenant_a.member)
    body = (
        client_as(tenant_a.officer)
        .get(reverse("admin:panels_organisationrole_change", args=[role.pk]))
        .content.decode()
    )
    assert 'name="granted_by"' not in body
