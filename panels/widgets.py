"""The form widgets every app uses for dates, so each date field behaves the same.

* ``DateInput``: the browser's date picker. ``<input type="date">`` shows a value only in ISO
  form (YYYY-MM-DD); a value rendered in the locale's 30/11/2026 shows as an empty box, so
  this widget always renders ISO whatever the locale.
* ``MemorableDateField``: a date a person knows by heart (their date of birth) as three boxes,
  day, month and year, as the GOV.UK Design System's "memorable date" pattern asks: a date
  picker is the wrong tool for a date decades ago. An impossible date (31 February) is
  refused with a message that says so.
"""

import calendar
import datetime

from django import forms
from django.core.exceptions import ValidationError

ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=ISO_DATE)


class MemorableDateWidget(forms.MultiWidget):
    """Day, month and year boxes in a fieldset; each box has its own label and autocomplete."""

    template_name = "panels/widgets/memorable_date.html"
    use_fieldset = True
    PARTS = (("day", "Day", 2, "bday-day"), ("month", "Month", 2, "bday-month"))
    YEAR = ("year", "Year", 4, "bday-year")

    def __init__(self, attrs=None, *, autocomplete: bool = True):
        widgets = {}
        for name, _label, size, token in (*self.PARTS, self.YEAR):
            part_attrs = {
                "inputmode": "numeric",
                "maxlength": size,
                "class": f"ph-date-part ph-date-part-{name}",
            }
            if autocomplete:
                part_attrs["autocomplete"] = token
            widgets[name] = forms.TextInput(attrs=part_attrs)
        super().__init__(widgets, attrs)

    def id_for_label(self, id_):
        # The legend names the group; each box has its own label (Day, Month, Year).
        return ""

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        labels = [label for _n, label, _s, _t in (*self.PARTS, self.YEAR)]
        for subwidget, label in zip(context["widget"]["subwidgets"], labels, strict=True):
            subwidget["label"] = label
            # crispy adds form-control to every part; keep the part's own width class too.
            subwidget["attrs"]["class"] = " ".join(
                dict.fromkeys(subwidget["attrs"].get("class", "").split())
            )
        return context


class MemorableDateField(forms.MultiValueField):
    """A date as day, month and year; each part is checked and named in the error."""

    widget = MemorableDateWidget

    def __init__(self, *, earliest_year: int = 1900, latest_year: int = 2100, **kwargs):
        # The range of panels.limits.BIRTH, for the person's own date of birth.
        self.earliest_year = earliest_year
        self.latest_year = latest_year
        fields = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        kwargs.setdefault("help_text", "For example, 27 3 1980")
        messages = kwargs.pop("error_messages", None) or {}
        super().__init__(fields, require_all_fields=False, error_messages=messages, **kwargs)
        if "required" not in messages:
            self.error_messages["required"] = f"Enter {(self.label or 'the date').lower()}."

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        name = self.label or "The date"
        parts = dict(zip(("day", "month", "year"), data_list, strict=True))
        missing = [part for part, value in parts.items() if not (value or "").strip()]
        if missing:
            raise ValidationError(
                f"{name} must include a {' and a '.join(missing)}.", code="incomplete"
            )
        try:
            day, month, year = (int(parts[k].strip()) for k in ("day", "month", "year"))
        except ValueError:
            raise ValidationError(
                f"{name} must be in numbers, for example 27 3 1980.", code="not_numbers"
            ) from None
        if not 1 <= month <= 12:
            raise ValidationError("The month must be a number from 1 to 12.", code="bad_month")
        if not self.earliest_year <= year <= self.latest_year:
            raise ValidationError(
                f"The year must have four digits, from {self.earliest_year} to {self.latest_year}.",
                code="bad_year",
            )
        days_in_month = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days_in_month:
            month_name = calendar.month_name[month]
            raise ValidationError(
                f"{name} must be a real date: {month_name} {year} has {days_in_month} days, "
                f"so there is no {day} {month_name}.",
                code="no_such_day",
            )
        return datetime.date(year, month, day)
