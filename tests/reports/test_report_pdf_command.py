"""manage.py report_pdf: the command docs/reports.md uses to show a quarterly report."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def test_writes_the_quarter_as_of_its_end(tenant_a, tmp_path):
    out = tmp_path / "q3.pdf"
    call_command(
        "report_pdf",
        "--org=alpha",
        f"--panel={tenant_a.panel.slug}",
        "--year=2026",
        "--quarter=3",
        "--today=2026-10-05",
        f"--out={out}",
    )
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "As of 30 September 2026" in text and "interim" not in text


def test_refuses_a_period_not_started(tenant_a, tmp_path):
    with pytest.raises(CommandError, match="in the future"):
        call_command(
            "report_pdf",
            "--org=alpha",
            f"--panel={tenant_a.panel.slug}",
            f"--year={datetime.date.today().year + 2}",
            "--quarter=1",
            f"--out={tmp_path / 'x.pdf'}",
        )
