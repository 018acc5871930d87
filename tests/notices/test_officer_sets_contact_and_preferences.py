"""An officer keeps a member's record for them (issue 20's review of the left-alone list):
contact details corrected on the person's page, and how they get notices and papers,
large print included, chosen for a member who asked by phone or has no web access. Each
refusal names its field and changes nothing; members and other organisations get none of
it."""

import pytest
from django.urls import reverse

from members.models import Person
from notices.models import NoticePreference
from panels.models import AuditEntry
from tests.notices.conftest import make_person

pytestmark = pytest.mark.django_db


def _contact_url(person):
    return reverse(
        "members:person_contact",
        kwargs={"org_slug": person.organisation.slug, "person_id": person.pk},
    )


def _prefs_url(person):
    return reverse(
        "notices:person_preferences",
        kwargs={"org_slug": person.organisation.slug, "person_id": person.pk},
    )


def _contact(person, **changes):
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "phone": person.phone,
        "address": person.address,
        "postcode": person.postcode,
    }
    data.update(changes)
    return data


@pytest.fixture
def officer(client_as, tenant_a):
    return client_as(tenant_a.officer)


def test_the_person_page_links_to_both_forms(officer, tenant_a):
    person = make_person(tenant_a.org, 1)
    page = officer.get(
        reverse("members:person", kwargs={"org_slug": tenant_a.org.slug, "person_id": person.pk})
    ).content.decode()
    assert _contact_url(person) in page and _prefs_url(person) in page


def test_an_officer_corrects_contact_details(officer, tenant_a):
    person = make_person(tenant_a.org, 1)
    page = officer.get(_contact_url(person)).content.decode()
    assert 'value="resident1@example.org"' in page and "1 High Street" in page
    response = officer.post(
        _contact_url(person),
        _contact(person, phone="01632 960123", address="2 Mill Lane\nTown", postcode="AB1 9ZZ"),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.phone, person.address, person.postcode) == (
        "01632 960123",
        "2 Mill Lane\nTown",
        "AB1 9ZZ",
    )
    entry = AuditEntry.objects.filter(action="person.updated").latest("pk")
    assert entry.actor == tenant_a.officer


def test_the_address_of_someone_who_gets_post_is_kept(officer, tenant_a):
    person = make_person(tenant_a.org, 1, channel="post")
    response = officer.post(_contact_url(person), _contact(person, address="", postcode=""))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "gets notices and papers by post" in errors["address"][0]
    person.refresh_from_db()
    assert person.address == "1 High Street\nTown"


def test_the_email_of_someone_who_gets_email_is_kept(officer, tenant_a):
    person = make_person(tenant_a.org, 1, channel="email")
    response = officer.post(_contact_url(person), _contact(person, email=""))
    assert response.status_code == 200
    assert "gets notices and papers by email" in response.context["form"].errors["email"][0]
    assert Person.objects.get(pk=person.pk).email == "resident1@example.org"


def test_an_incomplete_record_can_still_be_edited(officer, tenant_a):
    """A member with no email and the default channel: adding a phone number is no removal."""
    person = make_person(tenant_a.org, 1, email=False)
    response = officer.post(_contact_url(person), _contact(person, phone="01632 960999"))
    assert response.status_code == 302
    assert Person.objects.get(pk=person.pk).phone == "01632 960999"


def test_bad_input_is_refused_on_its_field(officer, tenant_a):
    person = make_person(tenant_a.org, 1)
    response = officer.post(_contact_url(person), _contact(person, first_name="  ", email="x@"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "first_name" in errors and "email" in errors
    assert Person.objects.get(pk=person.pk).first_name == "Resident1"


def test_an_officer_sets_post_and_large_print_for_a_member(officer, tenant_a):
    person = make_person(tenant_a.org, 1)
    page = officer.get(_prefs_url(person)).content.decode()
    assert "How should Resident1 Test get notices and papers?" in page
    response = officer.post(_prefs_url(person), {"channel": "post", "large_print": "on"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.large_print and person.preferred_channel == "post"
    assert NoticePreference.objects.get(person=person).channel == "post"
    page = officer.get(response["Location"]).content.decode()
    assert "Saved how Resident1 Test gets notices and papers." in page
    assert "prefers post, large print" in page


def test_post_without_an_address_is_refused_naming_the_person(officer, tenant_a):
    person = make_person(tenant_a.org, 1, address=False)
    response = officer.post(_prefs_url(person), {"channel": "post"})
    assert response.status_code == 200
    message = response.context["form"].errors["channel"][0]
    assert "There is no postal address for Resident1 Test" in message
    assert not NoticePreference.objects.filter(person=person).exists()


def test_members_and_other_organisations_get_neither_page(client, tenant_a, tenant_b):
    person = make_person(tenant_a.org, 1)
    client.force_login(tenant_a.member)
    for url in (_contact_url(person), _prefs_url(person)):
        assert client.get(url).status_code in (403, 404)
        assert client.post(url, {"channel": "post"}).status_code in (403, 404)
    client.force_login(tenant_b.officer)
    for url in (_contact_url(person), _prefs_url(person)):
        assert client.get(url).status_code in (403, 404)
    assert Person.objects.get(pk=person.pk).preferred_channel == "email"
