"""Issue 19 item 4: retention periods per organisation and type of record, editable by an
admin (more than zero days), read by officers; the nightly run anonymises or deletes what
has passed its period, in batches, idempotently, and the dashboard shows what it did."""

import datetime

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from members.models import (
    Application,
    ApplicationStatus,
    ExpenseClaim,
    Membership,
    MembershipStatus,
    Person,
)
from panelhub.celery import app as celery_app
from panels.errors import RuleViolation
from panels.history import event_model
from privacy import retention
from privacy.models import Erasure, RecordType, RetentionPeriod, RetentionRun
from privacy.tasks import RETENTION_TASK, privacy_apply_retention_nightly
from tests import sample_files as sample

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
TODAY = timezone.localdate()


def _applicant(org, panel, first, decided_days_ago, status=ApplicationStatus.NOT_SELECTED):
    person = Person.objects.create(
        organisation=org, first_name=first, last_name="Applicant", email=f"{first}@example.org"
    )
    decided = TODAY - datetime.timedelta(days=decided_days_ago)
    application = Application.objects.create(
        organisation=org,
        panel=panel,
        person=person,
        submitted_on=decided - datetime.timedelta(days=14),
        channel=Application.Channel.PUBLIC,
        statement=f"{first} would like to help",
        status=status,
        decided_on=decided,
    )
    return person, application


def test_an_unsuccessful_application_past_its_period_goes_and_a_newer_one_stays(tenant_a):
    org, panel = tenant_a.org, tenant_a.panel
    old_person, old = _applicant(org, panel, "Olivia", 200)
    new_person, new = _applicant(org, panel, "Nadia", 30)
    pending_person, pending = _applicant(org, panel, "Penny", 400, ApplicationStatus.RECEIVED)

    run = retention.retention_apply(org=org)

    assert not Application.objects.filter(pk=old.pk).exists()
    assert not event_model(Application).objects.filter(pgh_obj_id=old.pk).exists()
    assert Application.objects.filter(pk__in=[new.pk, pending.pk]).count() == 2
    # The applicant had nothing else held: anonymised as on erasure.
    old_person.refresh_from_db()
    assert old_person.full_name == "Former member 1" and old_person.email == ""
    assert Person.objects.get(pk=new_person.pk).full_name == "Nadia Applicant"
    assert run.counts[RecordType.UNSUCCESSFUL_APPLICATIONS] == 1
    assert Erasure.objects.get().trigger == "retention"


def test_the_organisations_own_period_is_used(tenant_a):
    org, panel = tenant_a.org, tenant_a.panel
    _, application = _applicant(org, panel, "Nadia", 30)
    retention.retention_period_set(
        org=org, record_type=RecordType.UNSUCCESSFUL_APPLICATIONS, days=14, by=tenant_a.admin
    )
    retention.retention_apply(org=org)
    assert not Application.objects.filter(pk=application.pk).exists()


def test_old_receipts_and_long_ended_members_are_dealt_with(tenant_a):
    org, panel = tenant_a.org, tenant_a.panel
    person = Person.objects.create(organisation=org, first_name="Len", last_name="Leaver")
    long_ago = TODAY - datetime.timedelta(days=7 * 365)
    seat = Membership.objects.create(
        organisation=org,
        panel=panel,
        person=person,
        starts_on=long_ago - datetime.timedelta(days=400),
        status=MembershipStatus.STEPPED_DOWN,
        ended_on=long_ago,
    )
    claim = ExpenseClaim(
        organisation=org,
        membership=seat,
        incurred_on=long_ago,
        decided_on=long_ago,
        description="Bus",
        amount="3.00",
        status="approved",
        receipt_name="bus.png",
    )
    claim.receipt.save("bus.png", ContentFile(sample.image_bytes()), save=True)
    stored = claim.receipt.name

    run = retention.retention_apply(org=org)

    claim.refresh_from_db()
    assert not claim.receipt and not default_storage.exists(stored)
    assert claim.amount == 3 and claim.status == "approved"  # the payment record stays
    assert Person.objects.get(pk=person.pk).full_name == "Former member 1"
    assert run.counts[RecordType.RECEIPTS] == 1 and run.counts[RecordType.ENDED_MEMBERSHIPS] == 1


def test_the_nightly_task_is_idempotent_and_scheduled(tenant_a, tenant_b, monkeypatch):
    monkeypatch.setattr(retention, "BATCH_SIZE", 2)  # several batches
    org, panel = tenant_a.org, tenant_a.panel
    apps = [_applicant(org, panel, f"A{n}x", 300)[1] for n in range(5)]
    first = privacy_apply_retention_nightly()
    state = (
        sorted(Person.objects.filter(organisation=org).values_list("first_name", "last_name")),
        Application.objects.count(),
        Erasure.objects.count(),
    )
    second = privacy_apply_retention_nightly()
    after = (
        sorted(Person.objects.filter(organisation=org).values_list("first_name", "last_name")),
        Application.objects.count(),
        Erasure.objects.count(),
    )
    assert first >= len(apps) and second == 0 and state == after
    assert not Application.objects.filter(pk__in=[a.pk for a in apps]).exists()
    # One run recorded per organisation per night.
    assert RetentionRun.objects.filter(organisation=tenant_b.org).count() == 2
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == RETENTION_TASK)
    assert entry["task"] in celery_app.tasks


@pytest.mark.parametrize("days", ["0", "-5"])
def test_a_period_of_zero_or_less_is_refused_on_the_field(tenant_a, client_as, days):
    url = reverse("privacy:retention_edit", kwargs={"org_slug": tenant_a.org.slug})
    data = {str(t): retention.DEFAULT_DAYS[t] for t in RecordType}
    data[RecordType.RECEIPTS] = days
    response = client_as(tenant_a.admin).post(url, data)
    assert response.status_code == 400
    assert "A retention period must be at least one day." in response.content.decode()
    assert not RetentionPeriod.objects.exists()
    with pytest.raises(RuleViolation) as refusal:
        retention.retention_period_set(
            org=tenant_a.org, record_type=RecordType.RECEIPTS, days=int(days), by=None
        )
    assert refusal.value.reasons[0].field == RecordType.RECEIPTS


def test_an_admin_sets_a_period_and_officers_read_it(tenant_a, client_as):
    org = tenant_a.org
    edit = reverse("privacy:retention_edit", kwargs={"org_slug": org.slug})
    page = reverse("privacy:retention", kwargs={"org_slug": org.slug})
    assert client_as(tenant_a.officer).get(edit).status_code == 403
    data = {str(t): retention.DEFAULT_DAYS[t] for t in RecordType}
    data[RecordType.NOTICES] = 400
    assert client_as(tenant_a.admin).post(edit, data).status_code == 302
    assert RetentionPeriod.objects.get().days == 400  # only the changed type is stored
    body = client_as(tenant_a.officer).get(page).content.decode()
    assert "400 days" in body and "183 days" in body and "(default 730)" in body


def test_the_dashboard_shows_what_the_last_run_removed(tenant_a, client_as):
    org, panel = tenant_a.org, tenant_a.panel
    _applicant(org, panel, "Olivia", 200)
    retention.retention_apply(org=org)
    url = reverse("panels:landing", kwargs={"org_slug": org.slug})
    body = client_as(tenant_a.officer).get(url).content.decode()
    assert "1 record anonymised or deleted" in body


def test_the_command_runs_retention_now(tenant_a, tenant_b):
    import io

    from django.core.management import call_command

    _applicant(tenant_a.org, tenant_a.panel, "Olivia", 200)
    out = io.StringIO()
    call_command("apply_retention", "--org", "alpha", stdout=out)
    assert "alpha: 1 anonymised or deleted (unsuccessful_applications 1)" in out.getvalue()
    assert not RetentionRun.objects.filter(organisation=tenant_b.org).exists()
