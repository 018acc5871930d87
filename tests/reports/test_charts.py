"""Charts a trustee can read (issue 17 item 3): every measure's code and full name uncut in
the PDF's text, units spaced ("41 per 1,000 homes"), no "- to 15" where the ToR gives no
minimum, RAG in words and symbols, and the same SVG charts on the scrutiny dashboard."""

import datetime
import io
import os
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from panels.models import TermsOfReference
from reports.models import ReportKind, ReportStatus
from reports.services import report_request
from scrutiny.catalogue import PER_THOUSAND, TENANT_SATISFACTION_MEASURES
from scrutiny.charts import SeriesPoint, measure_chart_svg, with_unit
from scrutiny.models import Measure, MeasureResult

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def catalogue_panel(tenant_a):
    TermsOfReference.objects.create(
        organisation=tenant_a.org,
        panel=tenant_a.panel,
        version=1,
        title="Alpha ToR",
        effective_from=D(2024, 1, 1),
        max_members=15,  # no minimum stated
    )
    for index, spec in enumerate(TENANT_SATISFACTION_MEASURES):
        measure = Measure.objects.create(
            organisation=tenant_a.org,
            panel=tenant_a.panel,
            code=spec.code,
            name=spec.name,
            unit=spec.unit,
            polarity=spec.polarity,
            target=40 if spec.unit == PER_THOUSAND else 80,
            tolerance=5,
            period="quarter",
        )
        for q, start in enumerate((D(2025, 10, 1), D(2026, 1, 1), D(2026, 4, 1), D(2026, 7, 1))):
            MeasureResult.objects.create(
                organisation=tenant_a.org,
                measure=measure,
                period_start=start,
                value=(38 + q + index % 4) if spec.unit == PER_THOUSAND else 70 + 3 * q,
            )
    return tenant_a.panel


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_every_catalogue_title_is_whole_in_the_pdf_text(
    catalogue_panel, tenant_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(
            panel=catalogue_panel,
            kind=ReportKind.QUARTERLY,
            period_start=D(2026, 7, 1),
            period_end=D(2026, 9, 30),
            by=tenant_a.officer,
            today=D(2026, 10, 5),
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.READY, report.error
    pdf = report.file.open("rb").read()
    if os.environ.get("REPORTS_PDF_OUT"):
        with open(os.environ["REPORTS_PDF_OUT"], "wb") as out:
            out.write(pdf)
    text = _words(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    longest = max(TENANT_SATISFACTION_MEASURES, key=lambda m: len(m.name))
    assert len(longest.name) > 60  # the catalogue's longest name would not fit one line
    for spec in TENANT_SATISFACTION_MEASURES:
        assert f"{spec.code} {spec.name}" in text, spec.code
    assert "- to 15" not in text and "– to 15" not in text
    assert "at most 15" in text
    assert "41 per 1,000 homes" in text
    assert not re.search(r"\dper 1,000", text)
    assert "✓ Green" in text or "! Amber" in text or "✗ Red" in text


def test_a_chart_has_ticks_units_target_and_last_value():
    svg = measure_chart_svg(
        points=[SeriesPoint(f"Q{q} 2026", v) for q, v in ((1, 38.0), (2, 40.5), (3, 41.0))],
        target=40.0,
        unit=PER_THOUSAND,
    )
    assert "per 1,000 homes" in svg  # the y-axis label
    assert "Target 40" in svg and ">41<" in svg.replace(" ", "") or "41</text>" in svg
    assert "Q1 2026" in svg and "Q3 2026" in svg
    assert with_unit(41, PER_THOUSAND) == "41 per 1,000 homes"
    assert with_unit(72.5, "%") == "72.5%" and with_unit(1234, "") == "1,234"


def test_the_dashboard_shows_the_same_charts_as_images_within_the_csp(
    catalogue_panel, tenant_a, client_as
):
    response = client_as(tenant_a.officer).get(
        reverse("scrutiny:dashboard", kwargs={"org_slug": "alpha", "panel_slug": "alpha-panel"})
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('src="data:image/svg+xml;base64,') == len(TENANT_SATISFACTION_MEASURES)
    assert "<svg" not in body  # no inline SVG whose style attributes the CSP would block
    assert " style=" not in body


def test_a_chart_is_drawn_once_for_every_process_through_the_shared_cache(
    monkeypatch, counted_draws
):
    """A second web process (its own empty dictionary) takes the chart another process drew
    from the shared cache instead of drawing it again; a measure with no result is None."""
    from scrutiny import charts

    drawn = counted_draws
    points = [charts.SeriesPoint(f"Q{i}", 70.0 + i) for i in range(1, 5)]
    first = charts.measure_chart_uri(points=points, target=75.0, unit="%")
    assert first.startswith("data:image/svg+xml;base64,")
    monkeypatch.setattr(charts, "_CACHE", {})  # another process
    assert charts.measure_chart_uri(points=points, target=75.0, unit="%") == first
    assert len(drawn) == 1
    # Other data draw another chart; no result draws nothing, also from the shared cache.
    assert charts.measure_chart_uri(points=points, target=80.0, unit="%") != first
    empty = [charts.SeriesPoint("Q1", None)]
    assert charts.measure_chart_uri(points=empty, target=80.0) is None
    monkeypatch.setattr(charts, "_CACHE", {})
    assert charts.measure_chart_uri(points=empty, target=80.0) is None
    assert len(drawn) == 3
