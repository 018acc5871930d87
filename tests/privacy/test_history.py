"""Issue 19 item 1: every create, change and delete of tenant-owned rows is recorded by
PostgreSQL triggers in the same transaction, with who, where and what wrote it: bulk
updates, admin edits, requests, Celery tasks and management commands alike."""

import datetime

import pytest
from celery import shared_task
from django.contrib import admin
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from pghistory.models import Context

from members.models import Person
from panelhub.history import command_context
from panels.history import event_model, tracked_models
from panels.models import AuditEntry, ClosureDay
from panels.tenancy import tenant_models

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _person(org, **extra):
    return Person.objects.create(
        organisation=org, first_name="Ada", last_name="Lovelace", address="1 Old Road", **extra
    )


def _history(obj):
    return list(event_model(type(obj)).objects.filter(pgh_obj_id=obj.pk).order_by("pgh_id"))


def test_every_tenant_model_but_the_audit_table_has_a_history():
    missing = {m._meta.label for m in tenant_models()} - {m._meta.label for m in tracked_models()}
    assert missing == {AuditEntry._meta.label}


def test_create_bulk_update_and_delete_each_leave_a_row(tenant_a):
    person = _person(tenant_a.org)
    Person.objects.filter(pk=person.pk).update(address="2 New Road")  # no save(), no signal
    Person.objects.filter(pk=person.pk).delete()
    rows = _history(person)
    assert [r.pgh_label for r in rows] == ["insert", "update", "delete"]
    assert rows[0].address == "1 Old Road" and rows[1].address == "2 New Road"


def test_a_change_rolled_back_leaves_no_history(tenant_a):
    person = _person(tenant_a.org)
    with pytest.raises(RuntimeError), transaction.atomic():
        Person.objects.filter(pk=person.pk).update(address="Never kept")
        raise RuntimeError("rolled back")
    assert [r.pgh_label for r in _history(person)] == ["insert"]


def test_an_admin_edit_is_recorded_with_who_where_and_from_which_address(client_as, tenant_a):
    person = _person(tenant_a.org)
    officer = tenant_a.officer
    model_admin = admin.site._registry[Person]
    request = RequestFactory().get("/")
    request.user = officer
    form = model_admin.get_form(request, person)(instance=person)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = value.isoformat() if isinstance(value, datetime.date) else value
    data["address"] = "3 Admin Street"
    url = reverse("admin:members_person_change", args=[person.pk])
    response = client_as(officer).post(url, data, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302, response.content.decode()[:2000]
    change = _history(person)[-1]
    assert change.pgh_label == "update" and change.address == "3 Admin Street"
    assert change.pgh_context.metadata == {
        "user": officer.pk,
        "url": url,
        "ip": "203.0.113.9",
    }


def test_a_request_that_writes_nothing_records_no_context(client_as, tenant_a):
    before = Context.objects.count()
    client_as(tenant_a.officer).get(
        reverse("panels:landing", kwargs={"org_slug": tenant_a.org.slug})
    )
    assert Context.objects.count() == before


@shared_task(name="tests.privacy.close_a_day")
def _close_a_day(org_id):
    ClosureDay.objects.create(
        organisation_id=org_id, date=datetime.date(2026, 12, 25), reason="Christmas"
    )


def test_a_celery_task_is_named_in_the_history(tenant_a):
    _close_a_day.delay(tenant_a.org.pk)
    day = ClosureDay.objects.get(organisation=tenant_a.org)
    (row,) = _history(day)
    assert row.pgh_context.metadata["task"] == "tests.privacy.close_a_day"


def test_a_management_command_is_named_in_the_history(tenant_a):
    with command_context(["manage.py", "seed_demo"]):
        person = _person(tenant_a.org)
    (row,) = _history(person)
    assert row.pgh_context.metadata == {"command": "seed_demo"}


def test_history_rows_keep_the_organisation_of_the_row(tenant_a, tenant_b):
    person = _person(tenant_b.org)
    (row,) = _history(person)
    assert row.organisation_id == tenant_b.org.pk


def test_an_audit_entry_gives_the_reason_beside_the_history_of_its_change(tenant_a):
    from panels.audit import audit_record

    with command_context(["manage.py", "fix_address"]):
        person = _person(tenant_a.org)
        entry = audit_record(
            org=tenant_a.org, actor=None, action="person.created", obj=person, reason="Moved"
        )
    (row,) = _history(person)
    assert entry.context_id == row.pgh_context_id and entry.reason == "Moved"
