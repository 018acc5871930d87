"""The report's meetings, measures, reviews and complaints sections, and the live compliance
page that shares the same figures."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from meetings.models import Attendance, Meeting
from members.models import Membership, Person
from panels.models import DeadlineRule, TermsOfReference
from reports.compliance import panel_compliance
from reports.models import Report
from reports.selectors import quarter_bounds
from reports.services import report_build
from scrutiny.models import (
    BoardResponse,
    EvidenceItem,
    Measure,
    MeasureResult,
    Recommendation,
    ServiceReview,
)

pytestmark = pytest.mark.django_db
Q3 = quarter_bounds(2026, 3)


@pytest.fixture
def panel(tenant_a):
    org, panel = tenant_a.org, tenant_a.panel
    terms = TermsOfReference.objects.create(
        organisation=org,
        panel=panel,
        version=1,
        title="Alpha ToR",
        effective_from=datetime.date(2024, 1, 1),
        quorum_kind="fixed",
        quorum_number=3,
        cadence="quarterly",
        scrutiny_reviews_per_year=3,
    )
    DeadlineRule.objects.create(
        organisation=org,
        terms=terms,
        kind="papers_out",
        amount=5,
        unit="working_days",
        direction="before",
    )
    seats = []
    for index in range(5):
        person = Person.objects.create(organisation=org, first_name=f"M{index}", last_name="X")
        seats.append(
            Membership.objects.create(
                organisation=org, panel=panel, person=person, starts_on=datetime.date(2024, 1, 1)
            )
        )
    quorate = Meeting.objects.create(
        organisation=org,
        panel=panel,
        date=datetime.date(2026, 7, 9),
        start_time=datetime.time(18),
        end_time=datetime.time(20),
        status="held",
        papers_issued_on=datetime.date(2026, 7, 1),
    )
    inquorate = Meeting.objects.create(
        organisation=org,
        panel=panel,
        date=datetime.date(2026, 9, 10),
        start_time=datetime.time(18),
        end_time=datetime.time(20),
        status="held",
    )
    for index, seat in enumerate(seats):
        Attendance.objects.create(
            organisation=org,
            meeting=quorate,
            membership=seat,
            status="present" if index < 3 else "absent",
        )
        Attendance.objects.create(
            organisation=org,
            meeting=inquorate,
            membership=seat,
            status="present" if index < 2 else "apologies",
        )
    return panel


def _pdf_text(report):
    pages = PdfReader(io.BytesIO(report.file.open("rb").read())).pages
    return " ".join(" ".join(p.extract_text() for p in pages).split())  # table cells wrap


def test_compliance_counts_quorum_and_papers_on_time(panel):
    compliance = panel_compliance(
        panel=panel, start=Q3[0], end=Q3[1], today=datetime.date(2026, 11, 23)
    )
    assert (compliance.held, compliance.quorate, compliance.inquorate) == (2, 1, 1)
    papers = next(t for t in compliance.duties if t.kind == "papers_out")
    # 9 July: papers by 2 July, issued 1 July. 10 September: due 3 September, never issued.
    assert (papers.on_time, papers.missed) == (1, 1)
    assert compliance.cadence is not None


def test_quarterly_report_shows_meetings_measures_reviews_and_excludes_confidential(panel):
    org = panel.organisation
    measure = Measure.objects.create(
        organisation=org,
        panel=panel,
        code="TP01",
        name="Overall satisfaction",
        target=Decimal("80"),
        tolerance=Decimal("5"),
        unit="%",
    )
    for month, value in ((1, "82"), (4, "78"), (7, "70")):
        MeasureResult.objects.create(
            organisation=org,
            measure=measure,
            period_start=datetime.date(2026, month, 1),
            value=Decimal(value),
        )
    review = ServiceReview.objects.create(
        organisation=org,
        panel=panel,
        title="Repairs review",
        topic_source="complaints",
        proposed_on=datetime.date(2026, 5, 1),
        stage="reported",
        reported_on=datetime.date(2026, 8, 20),
    )
    answered = Recommendation.objects.create(
        organisation=org,
        review=review,
        number=1,
        text="Publish repair times.",
        response_due_on=datetime.date(2026, 9, 1),
    )
    BoardResponse.objects.create(
        organisation=org,
        recommendation=answered,
        decision="accepted",
        responded_on=datetime.date(2026, 8, 28),
    )
    Recommendation.objects.create(
        organisation=org,
        review=review,
        number=2,
        text="Call back within a day.",
        response_due_on=datetime.date(2026, 9, 15),
    )
    EvidenceItem.objects.create(
        organisation=org,
        panel=panel,
        kind="complaints",
        title="Quarterly complaints learning",
        summary="Damp cases up.",
        dated=datetime.date(2026, 8, 1),
    )
    EvidenceItem.objects.create(
        organisation=org,
        panel=panel,
        kind="complaints",
        title="SECRET-NAMED-TENANT case",
        summary="Personal details.",
        dated=datetime.date(2026, 8, 2),
        is_confidential=True,
    )
    report = Report.objects.create(
        organisation=org,
        panel=panel,
        kind="quarterly",
        period_start=Q3[0],
        period_end=Q3[1],
        version=1,
        title="Q3",
    )
    report_build(report=report)
    text = _pdf_text(report)
    assert "Meetings and compliance with the terms of reference" in text
    assert "not quorate (2 present, 3 needed)" in text
    assert "TP01 Overall satisfaction" in text and "✗ Red" in text, text
    assert "Repairs review" in text and "1 of 3" in text
    assert "Accepted on 28 Aug 2026" in text
    assert "80% 70% (Q3 2026) ✗ Red worsening" in text
    assert "OVERDUE: was due 15 Sep 2026" in text
    assert "Damp cases up." in text
    assert "SECRET-NAMED-TENANT" not in text


def test_compliance_page_shows_the_same_figures(panel, client_as, tenant_a):
    response = client_as(tenant_a.officer).get(
        reverse("reports:compliance", kwargs={"org_slug": "alpha", "panel_slug": panel.slug})
        + "?year=2026&quarter=3"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "not quorate (2 present, 3 needed)" in body
    assert "1 on time, 0 late, 1 missed" in body
