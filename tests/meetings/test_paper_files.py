"""Papers: an HTML page or an SVG is refused at upload whatever its name; a paper stored
before the content check is served as an attachment that cannot run; a missing file is a
404 that says what to do (docs/security.md, "Uploads and downloads")."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from meetings import services
from meetings.models import Paper
from tests import sample_files as sample
from tests.meetings.conftest import action_data, add_seat, schedule

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 6, 16)


@pytest.fixture
def agenda(panel_with, client_as, tenant_a):
    setup = panel_with("helena", chair=1, resident=1)
    meeting = schedule(setup, DAY, today=datetime.date(2026, 6, 1))
    item = services.agenda_item_add(meeting=meeting, title="Performance", today=DAY)
    return setup, meeting, item


def _stored(folder: str) -> set[str]:
    """Every file stored under a folder, at any depth."""
    if not default_storage.exists(folder):
        return set()
    folders, names = default_storage.listdir(folder)
    found = {f"{folder}/{name}" for name in names}
    for sub in folders:
        found |= _stored(f"{folder}/{sub}")
    return found


def _console(meeting):
    return reverse(
        "meetings:console", kwargs={"org_slug": meeting.organisation.slug, "meeting_id": meeting.pk}
    )


def _paper_url(paper):
    return reverse(
        "meetings:paper", kwargs={"org_slug": paper.organisation.slug, "paper_id": paper.pk}
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [("agenda.pdf", sample.HTML), ("chart.svg", sample.SVG), ("notes.pdf", sample.SCRIPT)],
    ids=["html-renamed-pdf", "svg", "script"],
)
def test_an_html_svg_or_script_paper_is_refused_at_upload(
    agenda, client_as, tenant_a, name, content
):
    _setup, meeting, item = agenda
    before = _stored("papers")
    response = client_as(tenant_a.officer).post(
        _console(meeting),
        action_data(
            {
                "action": "paper",
                "item": item.pk,
                "title": "Quarterly report",
                "file": sample.upload(name, content, "application/pdf"),
            }
        ),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f"“{name}” is not a file of an allowed kind" in body  # in the error summary
    assert "Allowed: PDF, PNG picture, JPEG picture, Word document (DOCX)" in body
    assert not Paper.objects.exists()
    assert _stored("papers") == before


def test_an_allowed_paper_is_stored_under_a_random_name_and_downloaded_under_its_own(
    agenda, client_as, tenant_a
):
    _setup, meeting, item = agenda
    response = client_as(tenant_a.officer).post(
        _console(meeting),
        action_data(
            {
                "action": "paper",
                "item": item.pk,
                "title": "",
                "file": sample.upload("Budget 2026.xlsx", sample.ooxml_bytes("xlsx")),
            }
        ),
    )
    assert response.status_code == 302
    paper = Paper.objects.get()
    assert paper.original_name == "Budget 2026.xlsx" and paper.title == "Budget 2026.xlsx"
    assert "Budget" not in paper.file.name and paper.file.name.endswith(".xlsx")
    download = client_as(tenant_a.officer).get(_paper_url(paper))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert 'filename="Budget 2026.xlsx"' in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == sample_mime("xlsx")


def sample_mime(kind):
    from panels import files

    return files.KINDS[kind].mime


def test_a_pdf_paper_opens_in_the_browser_with_nosniff(agenda, client_as, tenant_a):
    _setup, _meeting, item = agenda
    paper = services.paper_upload(
        item=item, title="Report", file=ContentFile(sample.pdf_bytes(), name="report.pdf")
    )
    response = client_as(tenant_a.officer).get(_paper_url(paper))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="report.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_an_html_paper_stored_before_the_check_is_served_as_an_attachment_that_cannot_run(
    agenda, client_as, tenant_a
):
    """As found: a paper uploaded as HTML was served inline from the site's origin."""
    _setup, _meeting, item = agenda
    paper = Paper(organisation=tenant_a.org, item=item, title="Agenda")
    paper.file.save("agenda.pdf", ContentFile(sample.HTML), save=False)
    paper.original_name = "agenda.html"
    paper.save()
    response = client_as(tenant_a.officer).get(_paper_url(paper))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="agenda.html"'
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert csp.startswith("sandbox;") and "default-src 'none'" in csp


def test_a_paper_missing_from_storage_is_a_404_that_says_what_to_do(agenda, client_as, tenant_a):
    _setup, _meeting, item = agenda
    paper = services.paper_upload(
        item=item, title="Report", file=ContentFile(sample.pdf_bytes(), name="report.pdf")
    )
    default_storage.delete(paper.file.name)
    response = client_as(tenant_a.officer).get(_paper_url(paper))
    assert response.status_code == 404
    assert "is missing from storage: an officer can upload it again" in response.content.decode()


def test_papers_are_for_the_panels_members_and_officers_only(agenda, client_as, tenant_a, tenant_b):
    setup, _meeting, item = agenda
    paper = services.paper_upload(
        item=item, title="Report", file=ContentFile(sample.pdf_bytes(), name="report.pdf")
    )
    add_seat(setup, "resident", 9, user=tenant_a.member)
    # Members get a paper once papers are issued; officers before.
    assert client_as(tenant_a.member).get(_paper_url(paper)).status_code == 404
    assert client_as(tenant_a.officer).get(_paper_url(paper)).status_code == 200
    services.papers_issue(
        meeting=item.meeting, today=item.meeting.date - datetime.timedelta(days=14)
    )
    assert client_as(tenant_a.member).get(_paper_url(paper)).status_code == 200
    assert client_as(tenant_a.board).get(_paper_url(paper)).status_code == 403
    assert client_as(tenant_b.officer).get(_paper_url(paper)).status_code in (403, 404)
