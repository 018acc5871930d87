import datetime

import pytest
from django.urls import reverse

from members import services
from members.models import Application, Person


@pytest.mark.django_db
def test_public_application_refused_with_every_reason_in_plain_words(make_org, client):
    stockport = make_org("stockport")
    url = reverse("members:apply", kwargs={"org_slug": "stockport"})
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "panel": stockport.panel.slug,
            "first_name": "Kid",
            "last_name": "A",
            "preferred_channel": "email",
            "tenure_type": "tenant",
            "email": "kid@example.org",
            "date_of_birth_day": "1",
            "date_of_birth_month": "1",
            "date_of_birth_year": "2012",
            "household_member_on_panel": "on",
            "declare_open_asb_case": "on",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "aged 18 or over" in body and "anti-social behaviour" in body and "household" in body
    assert not Application.objects.exists()
    response = client.post(
        url,
        {
            "panel": stockport.panel.slug,
            "first_name": "Ann",
            "last_name": "Adult",
            "preferred_channel": "email",
            "tenure_type": "tenant",
            "email": "ann@example.org",
            "date_of_birth_day": "1",
            "date_of_birth_month": "1",
            "date_of_birth_year": "1980",
        },
    )
    assert response.status_code == 302
    assert Application.objects.get().person.first_name == "Ann"


@pytest.mark.django_db
def test_roster_csv_and_person_page_for_officers_only(make_org, client_as):
    tht = make_org("tht")
    seat = tht.seat()
    client = client_as(tht.officer)
    roster_url = reverse("members:roster", kwargs={"org_slug": "tht", "panel_slug": tht.panel.slug})
    page = client.get(roster_url)
    assert page.status_code == 200 and "Unable to operate" in page.content.decode()
    csv = client.get(roster_url + "csv/")
    assert (
        csv["Content-Type"].startswith("text/csv") and seat.person.full_name in csv.content.decode()
    )
    person_url = reverse("members:person", kwargs={"org_slug": "tht", "person_id": seat.person_id})
    assert client.get(person_url).status_code == 200
    client.logout()
    member = client_as(tht.member_user)
    assert member.get(person_url).status_code == 403
    assert member.get(roster_url).status_code == 403


@pytest.mark.django_db
def test_leave_form_shows_the_refusal_and_changes_nothing(make_org, client_as):
    stockport = make_org("stockport")
    seat = stockport.seat()
    url = reverse("members:leave", kwargs={"org_slug": "stockport", "membership_id": seat.pk})
    response = client_as(stockport.officer).post(
        url, {"starts_on": "2026-01-01", "ends_on": "2026-07-01"}
    )
    assert response.status_code == 200
    assert "at most 6 months" in response.content.decode()
    assert not seat.leaves.exists()


@pytest.mark.django_db
def test_my_membership_shows_own_seat(make_org, client_as):
    ivh = make_org("ivh")
    person = ivh.person(user=ivh.member_user)
    ivh.seat(person, term_ends_on=datetime.date(2028, 3, 31))
    services.training_record(
        person=person,
        kind="induction",
        title="Welcome session",
        completed_on=datetime.date(2025, 5, 1),
    )
    body = (
        client_as(ivh.member_user)
        .get(reverse("members:mine", kwargs={"org_slug": "ivh"}))
        .content.decode()
    )
    assert "31 Mar 2028" in body and "Welcome session" in body
    assert Person.objects.count() == 1
