"""Erasure works on either database: PostgreSQL sweeps with one UPDATE per table, the
SQLite demo (no history) through the ORM; the minutes name "Former member N" either way."""

import datetime

import pytest

from meetings.models import AgendaItem, Meeting, MinuteEntry, Minutes
from members.models import Membership, MembershipStatus, Person
from privacy import services

pytestmark = pytest.mark.django_db


def test_the_minutes_and_their_published_copy_name_the_pseudonym(tenant_a):
    org, panel = tenant_a.org, tenant_a.panel
    person = Person.objects.create(
        organisation=org, first_name="Zed", last_name="Quarrel", email="zq@example.org"
    )
    Membership.objects.create(
        organisation=org,
        panel=panel,
        person=person,
        starts_on=datetime.date(2025, 1, 1),
        status=MembershipStatus.STEPPED_DOWN,
    )
    meeting = Meeting.objects.create(
        organisation=org,
        panel=panel,
        date=datetime.date(2026, 1, 1),
        start_time=datetime.time(10),
        end_time=datetime.time(11),
    )
    item = AgendaItem.objects.create(organisation=org, meeting=meeting, position=1, title="X")
    minutes = Minutes.objects.create(
        organisation=org, meeting=meeting, public_entries=[{"text": "ZED QUARREL spoke"}]
    )
    MinuteEntry.objects.create(
        organisation=org, minutes=minutes, item=item, text="Zed Quarrel spoke"
    )

    services.erasure_request(org=org, person=person, by=tenant_a.officer)
    services.erasure_confirm(org=org, person=person, by=tenant_a.admin)

    assert MinuteEntry.objects.get().text == "Former member 1 spoke"
    minutes.refresh_from_db()
    assert minutes.public_entries == [{"text": "Former member 1 spoke"}]
    assert Person.objects.get(pk=person.pk).full_name == "Former member 1"
