"""Input limits in one place (issue 14, item 5): the range of every date a person can enter,
decimals against their field's digits, CSV files and JSON bodies.

Dates. Every date entered (forms, API, CSV) must fall in its field's range, so that a
typing slip (year 1, 9999, 1900 for a seat's last day) is refused with a message naming
the field and the range, instead of being stored or overflowing a rule's arithmetic:

* ``BIRTH``: dates of birth, 1 January 1900 to 31 December 2100;
* ``HISTORY``: what may lie decades back (a customer since, a seat first started, a
  terms-of-reference version approved): 1 January 1900 to ten years from today;
* ``EVENT``: everything else (meetings, committee dates, papers, seats, leave, decisions,
  actions, reviews, claims, results): ten years before today to ten years after.

``DATE_LIMITS`` names the fields that are not ``EVENT``. Forms use ``DateField`` (its
``limit`` is ``EVENT`` unless given), the API ``ApiDateField``, other code ``date_error``.

Decimals are checked against the digits of the model field they are stored in
(``decimal_error``): a value with more decimal places than the field keeps is refused,
never rounded; one too large for the field is refused before anything is saved.

CSV files: at most ``CSV_MAX_BYTES`` bytes, ``CSV_MAX_LINES`` lines and
``CSV_MAX_FIELD_CHARS`` characters in a value (``csv_rows``). JSON bodies: nested at most
``JSON_MAX_DEPTH`` deep (panels.api.parsers). Request body sizes are Django's (docs/operations.md).
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework import serializers

from panels.widgets import DateInput

YEARS_EITHER_SIDE = 10
EARLIEST_BIRTH = datetime.date(1900, 1, 1)
LATEST_BIRTH = datetime.date(2100, 12, 31)
CSV_MAX_BYTES = 2_000_000
CSV_MAX_LINES = 5_000
CSV_MAX_FIELD_CHARS = 1_000
JSON_MAX_DEPTH = 32
# Counts people type (votes, minutes allotted): far above any panel, far below the column.
COUNT_MAX = 100_000


def _years_from(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class DateLimit:
    """A range of acceptable dates; the bounds may depend on today."""

    what: str  # "meetings, actions and decisions"
    earliest: Callable[[datetime.date], datetime.date]
    latest: Callable[[datetime.date], datetime.date]

    def bounds(self, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
        today = today or timezone.localdate()
        return self.earliest(today), self.latest(today)

    def error(self, value: datetime.date, label: str, today=None) -> str | None:
        earliest, latest = self.bounds(today)
        if earliest <= value <= latest:
            return None
        return (
            f"{label} must be between {earliest:%-d %B %Y} and {latest:%-d %B %Y} "
            f"(the range for {self.what}); {value:%-d %B %Y} is outside it."
        )


BIRTH = DateLimit("dates of birth", lambda _t: EARLIEST_BIRTH, lambda _t: LATEST_BIRTH)
HISTORY = DateLimit(
    "dates that may lie decades back",
    lambda _t: EARLIEST_BIRTH,
    lambda t: _years_from(t, YEARS_EITHER_SIDE),
)
EVENT = DateLimit(
    f"meetings, seats, decisions and actions: {YEARS_EITHER_SIDE} years either side of today",
    lambda t: _years_from(t, -YEARS_EITHER_SIDE),
    lambda t: _years_from(t, YEARS_EITHER_SIDE),
)

# Fields (by name, in forms, the API and models alike) whose range is not EVENT.
DATE_LIMITS: dict[str, DateLimit] = {
    "date_of_birth": BIRTH,
    "customer_since": HISTORY,
    "customer_until": HISTORY,
    "first_started_on": HISTORY,
    "approved_on": HISTORY,
    "effective_from": HISTORY,
}


def limit_for(field_name: str) -> DateLimit:
    return DATE_LIMITS.get(field_name, EVENT)


def date_error(value: datetime.date | None, field_name: str, label: str = "") -> str | None:
    """Why this date is refused for this field, or None."""
    if value is None:
        return None
    label = label or field_name.replace("_", " ").capitalize()
    return limit_for(field_name).error(value, label)


class DateField(forms.DateField):
    """A form date within its range (``limit``, EVENT unless given), with the browser's
    date picker limited to the same range."""

    widget = DateInput
    default_limit = EVENT

    def __init__(self, *, limit: DateLimit | None = None, **kwargs):
        self.limit = limit or self.default_limit
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        message = self.limit.error(value, self.label or "The date")
        if message:
            raise ValidationError(message, code="date_out_of_range")


class HistoryDateField(DateField):
    """A form date that may lie decades back (HISTORY); for ModelForms' field_classes."""

    default_limit = HISTORY


class ApiDateField(serializers.DateField):
    """An API date within its range (``limit``, EVENT unless given)."""

    def __init__(self, *, limit: DateLimit = EVENT, **kwargs):
        self.limit = limit
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        message = self.limit.error(day, self.field_name or "The date")
        if message:
            raise serializers.ValidationError(message, code="date_out_of_range")
        return day


def decimal_error(value: Decimal, *, max_digits: int, decimal_places: int) -> str | None:
    """Why this number does not fit a decimal field of these digits, or None (never rounds)."""
    if not value.is_finite():
        return "must be a number."
    sign, digits, exponent = value.as_tuple()
    places = max(0, -exponent)
    whole = max(0, len(digits) + exponent)
    if places > decimal_places:
        return f"has more than {decimal_places} decimal places ({value}); it is not rounded."
    if whole > max_digits - decimal_places:
        largest = Decimal(10) ** (max_digits - decimal_places) - Decimal(10) ** -decimal_places
        return f"is too large: at most {largest:,}."
    return None


def model_decimal_error(value: Decimal, model, field_name: str) -> str | None:
    field = model._meta.get_field(field_name)
    return decimal_error(value, max_digits=field.max_digits, decimal_places=field.decimal_places)


def parse_decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


class CsvTooLarge(ValueError):
    """The file breaks a CSV limit; the message says which and where."""


def csv_rows(text: str) -> Iterator[dict[str | None, str]]:
    """The rows of a CSV text as dictionaries (csv.DictReader), refusing with CsvTooLarge a
    file of more than CSV_MAX_LINES lines, a value longer than CSV_MAX_FIELD_CHARS or a
    file the csv module cannot read (an unclosed quote, a NUL character)."""
    # newline=None: lines may end in \n, \r\n or a lone \r (old spreadsheets).
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=None))
    try:
        for row in reader:
            if reader.line_num > CSV_MAX_LINES:
                raise CsvTooLarge(f"The file has more than {CSV_MAX_LINES:,} lines.")
            for value in row.values():
                values = value if isinstance(value, list) else [value]
                if any(len(v or "") > CSV_MAX_FIELD_CHARS for v in values):
                    raise CsvTooLarge(
                        f"Line {reader.line_num}: a value is longer than "
                        f"{CSV_MAX_FIELD_CHARS:,} characters."
                    )
            yield row
    except csv.Error as exc:
        line = reader.line_num + 1  # the line being read when the csv module gave up
        if "field larger than field limit" in str(exc):
            raise CsvTooLarge(
                f"Line {line}: a value is longer than {CSV_MAX_FIELD_CHARS:,} characters."
            ) from None
        raise CsvTooLarge(f"Line {line}: the file could not be read as CSV ({exc}).") from None


def csv_headers(text: str) -> list[str]:
    """The header row of a CSV text (lower-cased, trimmed), or CsvTooLarge."""
    try:
        first = next(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=None)), [])
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise CsvTooLarge(
                f"Line 1: a value is longer than {CSV_MAX_FIELD_CHARS:,} characters."
            ) from None
        raise CsvTooLarge(f"Line 1: the file could not be read as CSV ({exc}).") from None
    if any(len(h) > CSV_MAX_FIELD_CHARS for h in first):
        raise CsvTooLarge(f"Line 1: a value is longer than {CSV_MAX_FIELD_CHARS:,} characters.")
    return [h.strip().lower() for h in first]


class LimitedModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose model date fields are ApiDateFields within their range
    (limit_for the field's name)."""

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if field_class is serializers.DateField:
            field_class = ApiDateField
            kwargs["limit"] = limit_for(field_name)
        return field_class, kwargs
