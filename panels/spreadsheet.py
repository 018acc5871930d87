"""CSV files that people open in Excel or LibreOffice, written one way.

A cell a spreadsheet would read as a formula (CSV or formula injection: text starting with
=, +, -, @, a tab or a carriage return, or their full-width forms) is written as text by
a leading apostrophe, so a resident's application named ``=HYPERLINK("http://evil","x")``
stays a name. Plain numbers ("-12.50") are left alone. Every CSV export goes through
``csv_response``; tests/members/test_csv_exports.py checks that every export uses it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from django.http import HttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def spreadsheet_cell(value):
    """The value as a CSV cell no spreadsheet will evaluate."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_PREFIXES) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_response(*, filename: str, headers: Iterable, rows: Iterable[Iterable]) -> HttpResponse:
    """A CSV download: UTF-8 with a byte-order mark (so Excel reads it right), every cell
    through spreadsheet_cell."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response.write("\ufeff")
    _write(response, headers, rows)
    return response


def csv_text(*, headers: Iterable, rows: Iterable[Iterable]) -> str:
    """The same CSV as text with a byte-order mark, for a file inside a ZIP (subject access
    exports, privacy/subject_access.py)."""
    out = io.StringIO()
    out.write("\ufeff")
    _write(out, headers, rows)
    return out.getvalue()


def _write(target, headers: Iterable, rows: Iterable[Iterable]) -> None:
    writer = csv.writer(target)
    writer.writerow([spreadsheet_cell(h) for h in headers])
    for row in rows:
        writer.writerow([spreadsheet_cell(v) for v in row])
