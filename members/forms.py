from django import forms

from members.models import Channel, DeclarationKind, SeatRole, TenureType
from panels.rules import ELIGIBILITY_CRITERIA

DATE = forms.DateInput(attrs={"type": "date"})

# The declaration each eligibility criterion asks the applicant about.
CRITERION_QUESTION = {
    "not_employee": DeclarationKind.EMPLOYEE,
    "no_tenancy_breach_action": DeclarationKind.TENANCY_BREACH_ACTION,
    "no_breach_court_order": DeclarationKind.BREACH_COURT_ORDER,
    "no_open_asb_case": DeclarationKind.OPEN_ASB_CASE,
    "no_arrears_action_or_dispute": DeclarationKind.ARREARS_ACTION_OR_DISPUTE,
    "no_ccj_or_nsp": DeclarationKind.CCJ_OR_NSP,
    "not_on_other_board": DeclarationKind.ON_OTHER_BOARD,
    "not_removed_under_code": DeclarationKind.REMOVED_UNDER_CODE,
    "not_excluded_for_behaviour": DeclarationKind.EXCLUDED_FOR_BEHAVIOUR,
}


class PublicApplicationForm(forms.Form):
    """Apply to join a panel, without an account. Asks only what this panel's ToR asks."""

    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=40, required=False)
    preferred_channel = forms.ChoiceField(choices=Channel.choices)
    address = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    postcode = forms.CharField(max_length=10, required=False)
    tenure_type = forms.ChoiceField(choices=TenureType.choices, label="You are a")
    statement = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Why would you like to join, and what would you bring?",
    )

    def __init__(self, *args, terms=None, **kwargs):
        super().__init__(*args, **kwargs)
        criteria = set(terms.eligibility_criteria or []) if terms else set()
        if "min_age" in criteria:
            self.fields["date_of_birth"] = forms.DateField(widget=DATE)
        if "no_same_household" in criteria:
            self.fields["household_member_on_panel"] = forms.BooleanField(
                required=False, label="Someone in my household already sits on the panel"
            )
        for criterion, kind in CRITERION_QUESTION.items():
            if criterion in criteria:
                self.fields[f"declare_{kind}"] = forms.BooleanField(
                    required=False,
                    label=f"{DeclarationKind(kind).label}: this applies to me",
                    help_text=ELIGIBILITY_CRITERIA[criterion],
                )

    def declared(self) -> set[str]:
        return {
            name.removeprefix("declare_")
            for name, value in self.cleaned_data.items()
            if name.startswith("declare_") and value
        }

    def person_details(self) -> dict:
        keys = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "preferred_channel",
            "address",
            "postcode",
            "tenure_type",
            "date_of_birth",
        ]
        return {k: self.cleaned_data[k] for k in keys if k in self.cleaned_data}


class ExtendForm(forms.Form):
    extend_to = forms.DateField(widget=DATE)
    decided_by = forms.CharField(max_length=200)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReappointForm(forms.Form):
    new_term_starts_on = forms.DateField(widget=DATE, required=False)
    decided_by = forms.CharField(max_length=200)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class LeaveForm(forms.Form):
    starts_on = forms.DateField(widget=DATE)
    ends_on = forms.DateField(widget=DATE)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class StepDownForm(forms.Form):
    on = forms.DateField(widget=DATE, label="Last day")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class AppointForm(forms.Form):
    role = forms.ChoiceField(choices=SeatRole.choices)
    starts_on = forms.DateField(widget=DATE)
    reason = forms.CharField(required=False)

    def __init__(self, *args, panels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"] = forms.ModelChoiceField(queryset=panels)
        self.order_fields(["panel", "role", "starts_on", "reason"])
