"""Officer forms for the terms of reference and closure days (crispy, Bootstrap 5)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms

from panels import limits
from panels.models import (
    ClosureDay,
    DeadlineDirection,
    DeadlineKind,
    DeadlineUnit,
    DeliveryChannel,
    Organisation,
    TermsOfReference,
)
from panels.rules import ELIGIBILITY_CRITERIA
from panels.terms_text import MOTION_NAMES, ROLE_NAMES, TENURE_NAMES, TERMS_SECTIONS
from panels.widgets import DateInput

MONTH_CHOICES = [("", "Not stated")] + [
    (str(n), name)
    for n, name in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
]


def _choices(names: dict[str, str]) -> list[tuple[str, str]]:
    return [(key, label[:1].upper() + label[1:]) for key, label in names.items()]


class LinesField(forms.CharField):
    """A list of strings, one per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class TermsReviseForm(forms.ModelForm):
    """Every rule of the next version, prefilled from the version in force. Saving goes
    through panels.services.terms_revise, never form.save()."""

    eligibility_criteria = forms.MultipleChoiceField(
        choices=list(ELIGIBILITY_CRITERIA.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Switch on each criterion the document names.",
    )
    eligible_tenures = forms.MultipleChoiceField(
        choices=_choices(TENURE_NAMES), required=False, widget=forms.CheckboxSelectMultiple
    )
    voting_roles = forms.MultipleChoiceField(
        choices=_choices(ROLE_NAMES), required=False, widget=forms.CheckboxSelectMultiple
    )
    non_voting_roles = forms.MultipleChoiceField(
        choices=_choices(ROLE_NAMES), required=False, widget=forms.CheckboxSelectMultiple
    )
    all_member_majority_motions = forms.MultipleChoiceField(
        choices=list(MOTION_NAMES.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Motions needing a majority of all members",
    )
    payment_methods = forms.MultipleChoiceField(
        choices=[("bacs", "BACS"), ("vouchers", "Vouchers")],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    chair_election_month = forms.TypedChoiceField(
        choices=MONTH_CHOICES, coerce=int, empty_value=None, required=False
    )
    escalation_steps = LinesField(required=False, help_text="One step per line, in order.")
    tenure_caps = forms.JSONField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text='Most seats per tenure type, e.g. {"leaseholder": 2}.',
    )
    eligibility_exemptions = forms.JSONField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text='Seat roles exempt from a criterion, e.g. {"no_same_household": ["co_opted"]}.',
    )

    class Meta:
        model = TermsOfReference
        fields = [name for _key, _title, names in TERMS_SECTIONS for name in names]
        widgets = {
            "effective_from": DateInput(),
            "approved_on": DateInput(),
            "review_due_on": DateInput(),
            "usual_start_time": forms.TimeInput(attrs={"type": "time"}),
            "usual_end_time": forms.TimeInput(attrs={"type": "time"}),
            "change_note": forms.Textarea(attrs={"rows": 2}),
            "source_text": forms.Textarea(attrs={"rows": 4}),
        }
        field_classes = {
            "effective_from": limits.HistoryDateField,
            "approved_on": limits.HistoryDateField,
            "review_due_on": limits.DateField,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("tenure_caps", "eligibility_exemptions"):
            self.fields[name].initial = self.fields[name].initial or {}
        self.fields["change_note"].help_text = "What changed, and who approved it."
        # Every version has its review date: the document's own, or one the officer sets.
        self.fields["review_due_on"].required = True
        self.fields["review_due_on"].help_text = (
            "When these terms of reference are to be reviewed: the date they give, or one you "
            'set. The officer\'s dashboard shows "review due" once it passes.'
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *[Fieldset(title, *names) for _key, title, names in TERMS_SECTIONS]
        )

    def clean(self):
        cleaned = super().clean()
        for name in ("tenure_caps", "eligibility_exemptions"):
            if cleaned.get(name) is None:
                cleaned[name] = {}
        return cleaned

    def _post_clean(self):
        # The version is not saved by the form: terms_revise validates the whole version
        # (including the rules' consistency) and reports each reason on its field.
        pass

    def rule_changes(self, fields: list[str]) -> dict:
        return {name: self.cleaned_data[name] for name in fields if name in self.cleaned_data}


class DeadlineRowForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "—")] + list(DeadlineKind.choices), required=False)
    amount = forms.IntegerField(required=False, min_value=1)
    unit = forms.ChoiceField(choices=DeadlineUnit.choices, required=False)
    direction = forms.ChoiceField(choices=DeadlineDirection.choices, required=False)
    channel = forms.ChoiceField(choices=DeliveryChannel.choices, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") and cleaned.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", "Give the number of days or weeks.")
        return cleaned


DeadlineFormSet = forms.formset_factory(DeadlineRowForm, extra=2, can_delete=True)


def deadline_rows(formset) -> list[dict]:
    """The deadline rows the officer kept (a row without a kind, or ticked to delete, goes)."""
    return [
        {
            "kind": row["kind"],
            "amount": row["amount"],
            "unit": row["unit"],
            "direction": row["direction"],
            "channel": row.get("channel") or "",
        }
        for row in formset.cleaned_data
        if row and row.get("kind") and not row.get("DELETE")
    ]


class ClosureDayForm(forms.ModelForm):
    class Meta:
        model = ClosureDay
        fields = ["date", "reason"]
        widgets = {"date": DateInput()}
        field_classes = {"date": limits.DateField}
        help_texts = {"reason": "For example: Christmas shutdown."}

    def _post_clean(self):
        # Uniqueness per organisation is checked by the service (the form has no organisation).
        pass


class OrganisationContactForm(forms.ModelForm):
    """Who residents and members contact: the help page, the foot of every page, letters."""

    class Meta:
        model = Organisation
        fields = ["contact_name", "contact_email", "contact_phone", "postal_address"]
        labels = {
            "contact_name": "Contact name and role",
            "contact_email": "Email address",
            "contact_phone": "Phone number",
            "postal_address": "Postal address",
        }
        widgets = {
            "contact_phone": forms.TextInput(attrs={"type": "tel"}),
            "postal_address": forms.Textarea(attrs={"rows": 4}),
        }
