import datetime

from django import forms

from reports.models import ReportKind
from reports.selectors import quarter_bounds


class ReportRequestForm(forms.Form):
    panel = forms.ModelChoiceField(queryset=None, empty_label=None)
    kind = forms.ChoiceField(choices=ReportKind.choices, label="Report")
    year = forms.IntegerField(min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        choices=[
            (1, "Q1 (Jan–Mar)"),
            (2, "Q2 (Apr–Jun)"),
            (3, "Q3 (Jul–Sep)"),
            (4, "Q4 (Oct–Dec)"),
        ],
        coerce=int,
        required=False,
        help_text="For quarterly reports.",
    )
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="The panel's summary of the period (officers and chair).",
    )
    topics_chosen_and_why = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="Annual reports."
    )
    outcomes_and_impact = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="Annual reports."
    )
    asks_of_board = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="What the panel asks of the Board",
    )

    new_version = forms.BooleanField(
        required=False,
        label="Make a new version even if nothing written above changed",
        help_text="Otherwise asking again for the same report returns the version already made.",
    )

    def __init__(self, *args, panels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = panels
        today = datetime.date.today()
        self.fields["year"].initial = today.year
        self.fields["quarter"].initial = (today.month - 1) // 3 + 1

    def clean(self):
        cleaned = super().clean()
        kind, year = cleaned.get("kind"), cleaned.get("year")
        if not kind or not year:
            return cleaned
        if kind == ReportKind.QUARTERLY:
            if not cleaned.get("quarter"):
                self.add_error("quarter", "Choose the quarter for a quarterly report.")
                return cleaned
            cleaned["period_start"], cleaned["period_end"] = quarter_bounds(
                year, cleaned["quarter"]
            )
        else:
            cleaned["period_start"] = datetime.date(year, 1, 1)
            cleaned["period_end"] = datetime.date(year, 12, 31)
        return cleaned
