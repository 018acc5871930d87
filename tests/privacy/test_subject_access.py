"""Issue 19 item 2: a subject access export holds everything about one person and nothing
about another; it is downloaded once, by an officer of the organisation, and recorded."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from meetings.models import Attendance, Meeting
from members.models import Declaration, DeclarationKind, ExpenseClaim, Membership, Person
from panels.models import AuditEntry
from privacy.models import ExportStatus, SubjectAccessExport
from tests import sample_files as sample

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 10)


def _resident(org, panel, meeting, first, secret):
    """A person with a declaration, an apology reason and a receipt, each carrying secret."""
    person = Person.objects.create(
        organisation=org, first_name=first, last_name="Tenant", email=f"{first}@example.org"
    )
    Declaration.objects.create(
        organisation=org,
        person=person,
        kind=DeclarationKind.choices[0][0],
        applies_from=DAY,
        recorded_on=DAY,
        note=f"Declaration {secret}",
    )
    seat = Membership.objects.create(
        organisation=org, panel=panel, person=person, starts_on=datetime.date(2025, 1, 1)
    )
    Attendance.objects.create(
        organisation=org,
        meeting=meeting,
        membership=seat,
        status="apologies",
        apology_reason=f"Apology {secret}",
    )
    claim = ExpenseClaim(
        organisation=org,
        membership=seat,
        incurred_on=DAY,
        description=f"Bus fare {secret}",
        amount="4.20",
        receipt_name="bus.png",
    )
    claim.receipt.save("bus.png", ContentFile(sample.image_bytes()), save=True)
    return person


@pytest.fixture
def residents(tenant_a):
    org, panel = tenant_a.org, tenant_a.panel
    meeting = Meeting.objects.create(
        organisation=org,
        panel=panel,
        date=DAY,
        start_time=datetime.time(10),
        end_time=datetime.time(12),
    )
    return (
        _resident(org, panel, meeting, "Ada", "ADA-SECRET"),
        _resident(org, panel, meeting, "Bob", "BOB-SECRET"),
    )


def _page(org, person):
    return reverse("privacy:person_data", kwargs={"org_slug": org.slug, "person_id": person.pk})


def _export(client, org, person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_page(org, person))
    assert response.status_code == 302
    export = SubjectAccessExport.objects.get(person=person)
    assert export.status == ExportStatus.READY, export.error
    return export


def _download(client, org, export):
    return client.get(
        reverse(
            "privacy:export_download",
            kwargs={"org_slug": org.slug, "subject_access_export_id": export.pk},
        )
    )


def test_the_export_holds_the_persons_declarations_apologies_and_receipts_and_no_one_else(
    client_as, tenant_a, residents, django_capture_on_commit_callbacks
):
    ada, bob = residents
    client = client_as(tenant_a.officer)
    export = _export(client, tenant_a.org, ada, django_capture_on_commit_callbacks)
    response = _download(client, tenant_a.org, export)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    text = "".join(
        archive.read(n).decode("utf-8", "replace") for n in names if not n.startswith("documents/")
    )
    for wanted in ("Declaration ADA-SECRET", "Apology ADA-SECRET", "Bus fare ADA-SECRET"):
        assert wanted in text
    assert "Ada@example.org" in text
    assert "BOB-SECRET" not in text and "Bob@example.org" not in text and "Bob" not in text
    receipts = [n for n in names if n.startswith("documents/members-expenseclaim/")]
    assert len(receipts) == 1 and archive.read(receipts[0]) == sample.image_bytes()
    assert "index.html" in names and "everything" in archive.read("index.html").decode()
    people = json.loads(archive.read("data/members-person.json"))
    assert [p["first_name"] for p in people] == ["Ada"]
    assert "data/members-declaration.csv" in names


def test_the_export_is_downloaded_once_and_recorded(
    client_as, tenant_a, residents, django_capture_on_commit_callbacks
):
    client = client_as(tenant_a.officer)
    export = _export(client, tenant_a.org, residents[0], django_capture_on_commit_callbacks)
    assert _download(client, tenant_a.org, export).status_code == 200
    again = _download(client, tenant_a.org, export)
    assert again.status_code == 410 and "already been downloaded" in again.content.decode()
    export.refresh_from_db()
    assert export.status == ExportStatus.DOWNLOADED and not export.file
    assert export.downloaded_by == tenant_a.officer
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"privacy.export_requested", "privacy.export_downloaded"} <= actions


def test_an_expired_export_is_not_handed_over(
    client_as, tenant_a, residents, django_capture_on_commit_callbacks
):
    client = client_as(tenant_a.officer)
    export = _export(client, tenant_a.org, residents[0], django_capture_on_commit_callbacks)
    SubjectAccessExport.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = _download(client, tenant_a.org, export)
    assert response.status_code == 410 and "expired" in response.content.decode()
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED and not export.file


def test_another_organisations_person_or_export_is_404(
    client_as, tenant_a, tenant_b, residents, django_capture_on_commit_callbacks
):
    export = _export(
        client_as(tenant_a.officer), tenant_a.org, residents[0], django_capture_on_commit_callbacks
    )
    outsider = Person.objects.create(organisation=tenant_b.org, first_name="Cy", last_name="B")
    client = client_as(tenant_a.officer)
    assert client.post(_page(tenant_a.org, outsider)).status_code == 404
    assert not SubjectAccessExport.objects.filter(person=outsider).exists()
    # An officer of B reaches neither A's person nor A's export through B's address.
    client_b = client_as(tenant_b.officer)
    assert client_b.get(_page(tenant_b.org, residents[0])).status_code == 404
    assert _download(client_b, tenant_b.org, export).status_code == 404


def test_members_cannot_start_or_download_an_export(
    client_as, tenant_a, residents, django_capture_on_commit_callbacks
):
    export = _export(
        client_as(tenant_a.officer), tenant_a.org, residents[1], django_capture_on_commit_callbacks
    )
    member = client_as(tenant_a.member)
    assert member.post(_page(tenant_a.org, residents[0])).status_code == 403
    assert _download(member, tenant_a.org, export).status_code == 403
