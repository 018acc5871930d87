"""Issue 19 item 1: officers read the history of a person, a seat, a meeting, minutes and
a review as a timeline; nobody else does, and on SQLite the page says history needs
PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Membership, Person
from panelhub.history import history_context
from panels.audit import audit_record

pytestmark = pytest.mark.django_db


def _person(org):
    return Person.objects.create(
        organisation=org, first_name="Ada", last_name="Lovelace", address="1 Old Road"
    )


def _url(org, person):
    return reverse("privacy:history_person", kwargs={"org_slug": org.slug, "person_id": person.pk})


@pytest.mark.postgres
def test_an_officer_reads_who_changed_what_from_what_to_what(client_as, tenant_a):
    person = _person(tenant_a.org)
    with history_context(user=tenant_a.admin.pk, url="/alpha/members/people/", ip="192.0.2.7"):
        Person.objects.filter(pk=person.pk).update(address="2 New Road")
        audit_record(
            org=tenant_a.org, actor=None, action="person.moved", obj=person, reason="Moved house"
        )
    body = client_as(tenant_a.officer).get(_url(tenant_a.org, person)).content.decode()
    assert "Created" in body and "Changed" in body
    assert "1 Old Road" in body and "2 New Road" in body
    assert tenant_a.admin.email in body and "192.0.2.7" in body
    assert "person.moved: Moved house" in body


@pytest.mark.postgres
def test_the_timeline_costs_the_same_queries_however_long(client_as, tenant_a):
    client = client_as(tenant_a.officer)
    person = _person(tenant_a.org)
    with history_context(user=tenant_a.officer.pk, url="/edit/first", ip="192.0.2.1"):
        Person.objects.filter(pk=person.pk).update(address="First Road")
    client.get(_url(tenant_a.org, person))
    with CaptureQueriesContext(connection) as short:
        client.get(_url(tenant_a.org, person))
    for n in range(6):
        with history_context(user=tenant_a.officer.pk, url=f"/edit/{n}", ip="192.0.2.1"):
            Person.objects.filter(pk=person.pk).update(address=f"{n} Road")
    with CaptureQueriesContext(connection) as long:
        response = client.get(_url(tenant_a.org, person))
    assert response.content.decode().count("Changed") >= 6
    assert len(long) == len(short)


@pytest.mark.postgres
def test_each_kind_of_timeline_opens_for_an_officer(client_as, tenant_a):
    person = _person(tenant_a.org)
    seat = Membership.objects.create(
        organisation=tenant_a.org, panel=tenant_a.panel, person=person, starts_on="2025-01-01"
    )
    url = reverse(
        "privacy:history_seat", kwargs={"org_slug": tenant_a.org.slug, "membership_id": seat.pk}
    )
    response = client_as(tenant_a.officer).get(url)
    assert response.status_code == 200 and "History of Ada Lovelace" in response.content.decode()


def test_members_and_other_organisations_get_no_history(client_as, tenant_a, tenant_b):
    person = _person(tenant_a.org)
    assert client_as(tenant_a.member).get(_url(tenant_a.org, person)).status_code == 403
    assert client_as(tenant_b.officer).get(_url(tenant_a.org, person)).status_code == 403
    foreign = _person(tenant_b.org)
    assert client_as(tenant_a.officer).get(_url(tenant_a.org, foreign)).status_code == 404


def test_without_postgresql_the_page_says_history_needs_it(client_as, tenant_a, monkeypatch):
    monkeypatch.setattr("privacy.views.history_enabled", lambda: False)
    person = _person(tenant_a.org)
    body = client_as(tenant_a.officer).get(_url(tenant_a.org, person)).content.decode()
    assert "History needs PostgreSQL" in body


def test_the_history_cannot_be_changed_through_the_application():
    """No page, API route or admin writes a history row: none is registered or routed."""
    from django.contrib import admin
    from django.urls import get_resolver

    from panels.history import tracked_models

    history_models = set(tracked_models().values())
    assert not history_models & set(admin.site._registry)
    names = [p.lookup_str for p in get_resolver().url_patterns if hasattr(p, "lookup_str")]
    assert not [n for n in names if "History" in n and "privacy.views" not in n]
