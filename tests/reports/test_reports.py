import datetime
import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader

from members.models import Membership, Person
from panels.models import Organisation, OrganisationRole, Role, TermsOfReference, User
from reports.models import Report, ReportKind, ReportStatus
from reports.selectors import quarter_bounds
from reports.services import report_publish, report_request, report_sign_off

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel_with_terms(tenant_a):
    TermsOfReference.objects.create(
        organisation=tenant_a.org,
        panel=tenant_a.panel,
        version=1,
        title="Alpha ToR",
        effective_from=datetime.date(2024, 1, 1),
        min_members=6,
        max_members=15,
        quorum_kind="fraction",
        quorum_fraction="0.5",
    )
    for index in range(7):
        person = Person.objects.create(
            organisation=tenant_a.org, first_name=f"P{index}", last_name="Resident"
        )
        Membership.objects.create(
            organisation=tenant_a.org,
            panel=tenant_a.panel,
            person=person,
            starts_on=datetime.date(2026, 8, 1) if index == 0 else datetime.date(2024, 1, 1),
            term_ends_on=datetime.date(2026, 11, 30) if index == 1 else None,
        )
    return tenant_a.panel


def _text(pdf_bytes: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes)).pages)


def _generate(panel, user, kind=ReportKind.QUARTERLY, quarter=3, capture=None, new_version=False):
    start, end = quarter_bounds(2026, quarter)
    if kind != ReportKind.QUARTERLY:
        start, end = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    with capture(execute=True):
        report = report_request(
            panel=panel,
            kind=kind,
            period_start=start,
            period_end=end,
            by=user,
            today=datetime.date(2026, 11, 23),
            new_version=new_version,
        )
    report.refresh_from_db()
    return report


def test_quarterly_report_pdf_has_sections_and_figures(
    panel_with_terms, tenant_a, django_capture_on_commit_callbacks
):
    report = _generate(
        panel_with_terms, tenant_a.officer, capture=django_capture_on_commit_callbacks
    )
    assert report.status == ReportStatus.READY, report.error
    pdf = report.file.open("rb").read()
    assert hashlib.sha256(pdf).hexdigest() == report.checksum
    text = _text(pdf)
    for heading in (
        "Contents",
        "Summary",
        "Membership",
        "Terms of reference",
        "What the panel asks of the Board",
    ):
        assert heading in text
    assert "Alpha Housing" in text
    assert "Quarter 3 2026" in text
    assert "Page 2 of" in text
    assert "P0 Resident" in text  # joined in the quarter
    assert "P1 Resident" in text  # term ends within 90 days of the quarter's end
    assert report.page_count >= 3


def test_the_same_report_downloaded_twice_is_the_same_file_and_asked_again_is_the_same_version(
    panel_with_terms, tenant_a, client_as, django_capture_on_commit_callbacks
):
    report = _generate(
        panel_with_terms, tenant_a.officer, capture=django_capture_on_commit_callbacks
    )
    client = client_as(tenant_a.board)
    url = reverse("reports:download", kwargs={"org_slug": "alpha", "report_id": report.pk})
    first = b"".join(client.get(url).streaming_content)
    second = b"".join(client.get(url).streaming_content)
    assert first == second
    assert hashlib.sha256(first).hexdigest() == report.checksum
    again = _generate(
        panel_with_terms, tenant_a.officer, capture=django_capture_on_commit_callbacks
    )
    assert again.pk == report.pk and Report.objects.count() == 1
    newer = _generate(
        panel_with_terms,
        tenant_a.officer,
        capture=django_capture_on_commit_callbacks,
        new_version=True,
    )
    assert newer.version == 2 and newer.pk != report.pk


def test_a_quarter_with_no_data_says_so(tenant_a, django_capture_on_commit_callbacks):
    report = _generate(tenant_a.panel, tenant_a.officer, capture=django_capture_on_commit_callbacks)
    assert report.status == ReportStatus.READY
    text = _text(report.file.open("rb").read())
    assert "No terms of reference were in force for this period." in text
    assert "No summary was written for this period." in text


def test_a_broken_logo_leaves_the_report_intact(
    panel_with_terms, tenant_a, django_capture_on_commit_callbacks
):
    org = Organisation.objects.get(pk=tenant_a.org.pk)
    org.logo.save("logo.png", ContentFile(b"this is not a png"), save=True)
    report = _generate(
        panel_with_terms, tenant_a.officer, capture=django_capture_on_commit_callbacks
    )
    assert report.status == ReportStatus.READY
    assert "Membership" in _text(report.file.open("rb").read())


@pytest.mark.parametrize(
    "role, allowed", [("board", True), ("officer", True), ("admin", True), ("member", False)]
)
def test_only_board_officer_and_admin_download_unpublished_reports(
    panel_with_terms, tenant_a, client_as, django_capture_on_commit_callbacks, role, allowed
):
    report = _generate(
        panel_with_terms, tenant_a.officer, capture=django_capture_on_commit_callbacks
    )
    url = reverse("reports:download", kwargs={"org_slug": "alpha", "report_id": report.pk})
    response = client_as(tenant_a.user(role)).get(url)
    assert response.status_code == (200 if allowed else 403)


def test_anonymous_visitors_get_only_published_annual_reports(
    panel_with_terms, tenant_a, client, django_capture_on_commit_callbacks
):
    quarterly = _generate(
        panel_with_terms, tenant_a.officer, capture=django_capture_on_commit_callbacks
    )
    annual = _generate(
        panel_with_terms,
        tenant_a.officer,
        kind=ReportKind.ANNUAL,
        capture=django_capture_on_commit_callbacks,
    )
    public_url = reverse(
        "reports:published_download", kwargs={"org_slug": "alpha", "report_id": annual.pk}
    )
    assert client.get(public_url).status_code == 404
    from panels.errors import RuleViolation

    with pytest.raises(RuleViolation, match="sign the report off"):
        report_publish(report=annual, publish=True, by=tenant_a.officer)
    report_sign_off(report=annual, by=tenant_a.officer)
    report_publish(report=annual, publish=True, by=tenant_a.officer)
    assert client.get(public_url).status_code == 200
    quarterly_url = reverse(
        "reports:published_download", kwargs={"org_slug": "alpha", "report_id": quarterly.pk}
    )
    assert client.get(quarterly_url).status_code == 404
    listing = client.get(reverse("reports:published", kwargs={"org_slug": "alpha"}))
    assert annual.title in listing.content.decode()
    assert quarterly.title not in listing.content.decode()


def test_quarterly_reports_cannot_be_published(
    panel_with_terms, tenant_a, django_capture_on_commit_callbacks
):
    from panels.errors import RuleViolation

    report = _generate(
        panel_with_terms, tenant_a.officer, capture=django_capture_on_commit_callbacks
    )
    with pytest.raises(RuleViolation, match="quarterly Board reports stay with the Board"):
        report_publish(report=report, publish=True, by=tenant_a.officer)


def test_a_report_for_the_future_is_refused_on_its_field(client_as, tenant_a):
    response = client_as(tenant_a.officer).post(
        reverse("reports:request", kwargs={"org_slug": "alpha"}),
        {"panel": tenant_a.panel.pk, "kind": "quarterly", "year": 2099, "quarter": 1},
    )
    assert response.status_code == 200
    assert "in the future" in response.content.decode()
    assert not Report.objects.exists()


def test_officer_generates_a_report_from_the_page(
    client_as, panel_with_terms, tenant_a, django_capture_on_commit_callbacks
):
    client = client_as(tenant_a.officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:request", kwargs={"org_slug": "alpha"}),
            {
                "panel": panel_with_terms.pk,
                "kind": "quarterly",
                "year": 2026,
                "quarter": 2,
                "summary": "A steady quarter.",
                "asks_of_board": "Fund the survey.",
            },
        )
    report = Report.objects.get()
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "Download PDF" in detail
    report.refresh_from_db()
    text = _text(report.file.open("rb").read())
    assert "A steady quarter." in text and "Fund the survey." in text


@pytest.mark.parametrize("count", [2, 30])
def test_report_list_runs_a_constant_number_of_queries(
    client_as, tenant_a, django_assert_num_queries, count
):
    start, end = quarter_bounds(2026, 1)
    for version in range(1, count + 1):
        Report.objects.create(
            organisation=tenant_a.org,
            panel=tenant_a.panel,
            kind="quarterly",
            period_start=start,
            period_end=end,
            version=version,
            title=f"Report {version}",
            status="ready",
        )
    client = client_as(tenant_a.board)
    # session, user, org, roles, count, page of reports (panel and requester joined)
    with django_assert_num_queries(6):
        response = client.get(reverse("reports:list", kwargs={"org_slug": "alpha"}))
    assert response.status_code == 200


def test_board_member_of_another_organisation_cannot_see_reports(
    client_as, tenant_a, tenant_b, panel_with_terms, django_capture_on_commit_callbacks
):
    report = _generate(
        panel_with_terms, tenant_a.officer, capture=django_capture_on_commit_callbacks
    )
    response = client_as(tenant_b.board).get(
        reverse("reports:download", kwargs={"org_slug": "bravo", "report_id": report.pk})
    )
    assert response.status_code == 404
    outsider = User.objects.create_user(email="x@x.test", password="x")
    OrganisationRole.objects.create(user=outsider, organisation=tenant_b.org, role=Role.BOARD)
    response = client_as(outsider).get(
        reverse("reports:download", kwargs={"org_slug": "alpha", "report_id": report.pk})
    )
    assert response.status_code == 403


def test_officer_signs_off_a_generated_board_report_through_the_page_then_publishes(
    panel_with_terms, tenant_a, client, client_as, django_capture_on_commit_callbacks
):
    """The sign-off path as an officer walks it (issue 17 item 4): the detail page offers
    "Sign off"; publishing before it is refused with the reason and nothing is public; a
    Board member cannot sign off; the officer signs off on the page, the page says so and
    offers "Publish"; once published the report is listed and downloadable on the public
    page, and removing it takes it off again."""
    annual = _generate(
        panel_with_terms,
        tenant_a.officer,
        kind=ReportKind.ANNUAL,
        capture=django_capture_on_commit_callbacks,
    )
    detail = reverse("reports:detail", kwargs={"org_slug": "alpha", "report_id": annual.pk})
    action = reverse("reports:publish", kwargs={"org_slug": "alpha", "report_id": annual.pk})
    public_list = reverse("reports:published", kwargs={"org_slug": "alpha"})
    public_pdf = reverse(
        "reports:published_download", kwargs={"org_slug": "alpha", "report_id": annual.pk}
    )
    officer = client_as(tenant_a.officer)
    page = officer.get(detail).content.decode()
    assert "Sign off (I have read this version)" in page
    assert "Publish on public page" not in page

    # Publishing before sign-off: refused with the reason on the page, nothing public.
    refused = officer.post(action, {"publish": "1"}, follow=True).content.decode()
    assert "An officer must sign the report off before it is published." in refused
    annual.refresh_from_db()
    assert not annual.is_published and annual.signed_off_at is None
    assert client.get(public_pdf).status_code == 404

    # A Board member may read the report but not sign it off.
    assert client_as(tenant_a.board).post(action, {"sign_off": "1"}).status_code == 403
    annual.refresh_from_db()
    assert annual.signed_off_at is None
    officer = client_as(tenant_a.officer)  # the same test client, signed in again

    response = officer.post(action, {"sign_off": "1"})
    assert response.status_code == 302 and response["Location"] == detail
    annual.refresh_from_db()
    assert annual.signed_off_at is not None and annual.signed_off_by == tenant_a.officer
    page = officer.get(detail).content.decode()
    assert "Sign off (I have read this version)" not in page
    assert "Publish on public page" in page

    published = officer.post(action, {"publish": "1"}, follow=True).content.decode()
    assert "Published on the public page." in published
    annual.refresh_from_db()
    assert annual.is_published and annual.published_at is not None
    assert annual.title in client.get(public_list).content.decode()
    download = client.get(public_pdf)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"

    officer.post(action, {"publish": "0"})
    annual.refresh_from_db()
    assert not annual.is_published
    assert client.get(public_pdf).status_code == 404
