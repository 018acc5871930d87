"""Issue 19 item 5: the public application form shows a privacy notice before the
declarations, is throttled per address, and a resent application updates the pending one
instead of creating another person."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from members.models import Application, Person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _form(org, n=0, **extra):
    data = {
        "panel": org.panel.slug,
        "first_name": f"Applicant{n}",
        "last_name": "Smith",
        "email": f"applicant{n}@example.org",
        "preferred_channel": "email",
        "tenure_type": "tenant",
        "date_of_birth_day": "1",
        "date_of_birth_month": "1",
        "date_of_birth_year": "1980",
    }
    data.update(extra)
    return data


def _url(org):
    return reverse("members:apply", kwargs={"org_slug": org.org.slug})


def test_the_privacy_notice_comes_before_the_declarations(make_org, client):
    org = make_org("stockport")
    body = client.get(_url(org)).content.decode()
    notice = body.index("How we use your information")
    assert "Information Commissioner" in body and "ico.org.uk" in body
    assert org.org.name in body[notice : notice + 2000]
    first_question = min(
        body.index(marker)
        for marker in ('name="declare_', 'name="date_of_birth', 'name="first_name"')
        if marker in body
    )
    assert notice < first_question


def test_a_flood_from_one_address_is_throttled_and_the_genuine_ones_are_kept(
    make_org, client, settings
):
    settings.PUBLIC_APPLICATIONS_PER_IP_PER_MINUTE = 5
    org = make_org("stockport")
    statuses = [
        client.post(_url(org), _form(org, n), REMOTE_ADDR="198.51.100.7").status_code
        for n in range(100)
    ]
    assert statuses[:5] == [302] * 5 and set(statuses[5:]) == {429}
    assert Application.objects.count() == 5
    assert sorted(Person.objects.values_list("first_name", flat=True)) == [
        f"Applicant{n}" for n in range(5)
    ]
    refused = client.post(_url(org), _form(org, 200), REMOTE_ADDR="198.51.100.7")
    body = refused.content.decode()
    assert refused.status_code == 429 and "Too many applications" in body
    assert 'value="Applicant200"' in body  # what they typed is kept
    neighbour = client.post(_url(org), _form(org, 300), REMOTE_ADDR="198.51.100.8")
    assert neighbour.status_code == 302


def test_a_resent_application_updates_the_pending_one(make_org, client):
    org = make_org("stockport")
    first = client.post(_url(org), _form(org, 1, phone="0161 000 0001"))
    again = client.post(
        _url(org), _form(org, 1, email="APPLICANT1@example.org", phone="0161 999 9999")
    )
    assert first.status_code == again.status_code == 302
    person = Person.objects.get()
    assert person.phone == "0161 999 9999"
    assert Application.objects.filter(person=person).count() == 1
    other = client.post(_url(org), _form(org, 2))
    assert other.status_code == 302 and Person.objects.count() == 2
