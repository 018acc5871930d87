"""Results CSV import: a preview with line-by-line errors; all lines or none."""

import datetime
from decimal import Decimal as D

import pytest

from panels.errors import RuleViolation
from scrutiny import services
from scrutiny.models import MeasureResult

from .conftest import TODAY


@pytest.fixture
def measures(make_measure):
    services.result_record(
        measure=(repairs := make_measure(code="TP02")),
        period_start=datetime.date(2026, 4, 1),
        value=D("70"),
        by=None,
        today=TODAY,
    )
    return repairs, make_measure("Complaints per thousand homes", period="month", polarity="lower")


GOOD = "measure,period,value\nTP02,2026-Q3,78.5\nComplaints per thousand homes,2026-10,4\n"


def test_good_file_previews_then_imports_every_line(tenant_a, measures):
    preview = services.results_import_preview(panel=tenant_a.panel, csv_text=GOOD, today=TODAY)
    assert preview.ok and len(preview.lines) == 2
    assert MeasureResult.objects.count() == 1  # a preview saves nothing
    services.results_import(panel=tenant_a.panel, csv_text=GOOD, by=tenant_a.officer, today=TODAY)
    assert MeasureResult.objects.count() == 3
    assert MeasureResult.objects.filter(source="imported").count() == 2


def test_bad_lines_are_refused_line_by_line_and_nothing_is_imported(tenant_a, measures):
    bad = (
        "measure,period,value\n"
        "TP02,2026-Q3,78.5\n"  # 2: fine
        "TP99,2026-Q3,50\n"  # 3: unknown measure
        "TP02,2026-Q2,71\n"  # 4: already recorded
        "TP02,2026-Q3,79\n"  # 5: twice in the file
        "Complaints per thousand homes,2026-10,four\n"  # 6: text in the number column
        "Complaints per thousand homes,2027-01,3\n"  # 7: future period
    )
    preview = services.results_import_preview(panel=tenant_a.panel, csv_text=bad, today=TODAY)
    assert not preview.ok
    errors = {line.line: " ".join(line.errors) for line in preview.lines}
    assert errors[2] == ""
    assert "unknown measure" in errors[3]
    assert "already has a result" in errors[4]
    assert "also on line 2" in errors[5]
    assert "not a number" in errors[6]
    assert "has not started yet" in errors[7]
    with pytest.raises(RuleViolation) as exc:
        services.results_import(panel=tenant_a.panel, csv_text=bad, by=None, today=TODAY)
    messages = " ".join(exc.value.messages)
    for line in (3, 4, 5, 6, 7):
        assert f"Line {line}:" in messages
    assert MeasureResult.objects.count() == 1  # nothing half-imported


def test_missing_columns_and_empty_file(tenant_a, measures):
    preview = services.results_import_preview(
        panel=tenant_a.panel, csv_text="name,value\nx,1\n", today=TODAY
    )
    assert not preview.ok and "missing" in preview.errors[0]
    preview = services.results_import_preview(
        panel=tenant_a.panel, csv_text="measure,period,value\n", today=TODAY
    )
    assert not preview.ok


def test_measures_of_another_organisation_are_unknown(tenant_a, tenant_b, measures):
    preview = services.results_import_preview(panel=tenant_b.panel, csv_text=GOOD, today=TODAY)
    assert all("unknown measure" in " ".join(line.errors) for line in preview.lines)
