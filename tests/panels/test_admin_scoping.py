import pytest
from django.urls import reverse

from members.models import Person
from panels.models import User

pytestmark = pytest.mark.django_db


def test_officer_sees_only_their_organisations_rows_in_admin(client_as, tenant_a, tenant_b):
    Person.objects.create(organisation=tenant_a.org, first_name="Ada", last_name="Alpha")
    Person.objects.create(organisation=tenant_b.org, first_name="Bea", last_name="Bravo")
    client = client_as(tenant_a.officer)
    panels = client.get(reverse("admin:panels_panel_changelist")).content.decode()
    assert "Alpha Housing Panel" in panels
    assert "Bravo Homes Panel" not in panels
    people = client.get(reverse("admin:members_person_changelist")).content.decode()
    assert "Ada Alpha" in people and "Bea Bravo" not in people


def test_officer_gets_404_for_another_organisations_row_in_admin(client_as, tenant_a, tenant_b):
    client = client_as(tenant_a.officer)
    url = reverse("admin:panels_panel_change", args=[tenant_b.panel.pk])
    response = client.get(url)
    assert response.status_code in {302, 404}
    assert "Bravo Homes Panel" not in response.content.decode()


def test_officer_cannot_create_a_row_in_another_organisation(client_as, tenant_a, tenant_b):
    client = client_as(tenant_a.officer)
    response = client.post(
        reverse("admin:panels_panel_add"),
        {"organisation": tenant_b.org.pk, "slug": "sneaky", "name": "Sneaky", "is_public": "on"},
    )
    assert response.status_code == 200  # the form is shown again with the error
    assert "Select a valid choice" in response.content.decode()


def test_superuser_sees_every_organisation_in_admin(client_as, tenant_a, tenant_b):
    root = User.objects.create_superuser(email="root@example.com", password="x")
    body = client_as(root).get(reverse("admin:panels_panel_changelist")).content.decode()
    assert "Alpha Housing Panel" in body and "Bravo Homes Panel" in body


def test_board_member_has_no_admin(client_as, tenant_a):
    response = client_as(tenant_a.board).get(reverse("admin:index"))
    assert response.status_code == 302  # not staff: sent to the admin sign-in


def test_a_save_that_loses_a_race_comes_back_with_the_reason_not_a_500(
    client_as, tenant_a, monkeypatch
):
    """Two officers add the same panel at once: both pass the form's uniqueness check, and
    the second insert breaks the unique constraint. Simulated by the other officer's row
    appearing between the check and the save: the form comes back (200) with what was
    typed and the reason, nothing is saved, and the next save works."""
    from django.contrib import admin as django_admin

    from panels.models import Panel

    panel_admin = type(django_admin.site._registry[Panel])
    original = panel_admin.save_model
    raced = []

    def save_after_the_other_one(self, request, obj, form, change):
        if not raced:
            raced.append(True)
            Panel.objects.create(organisation=obj.organisation, slug=obj.slug, name="Theirs")
        return original(self, request, obj, form, change)

    monkeypatch.setattr(panel_admin, "save_model", save_after_the_other_one)
    client = client_as(tenant_a.officer)
    data = {"organisation": tenant_a.org.pk, "slug": "estates", "name": "Estates Panel"}
    response = client.post(reverse("admin:panels_panel_add"), {**data, "is_public": "on"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "someone else saved a panel with the same details at the same moment" in body
    assert 'value="Estates Panel"' in body
    assert not Panel.objects.filter(slug="estates").exists()
    response = client.post(reverse("admin:panels_panel_add"), {**data, "is_public": "on"})
    assert response.status_code == 302
    assert Panel.objects.get(slug="estates").name == "Estates Panel"
