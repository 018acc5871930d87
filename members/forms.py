from django import forms

from members.models import (
    Channel,
    DeclarationKind,
    RecruitmentStepKind,
    Removal,
    ReviewKind,
    SeatRole,
    TenureType,
    TrainingKind,
)
from panels import files, limits
from panels.idempotency import SubmitOnceForm
from panels.rules import ELIGIBILITY_CRITERIA
from panels.widgets import DateInput, MemorableDateField

DATE = DateInput()

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

# What the applicant ticks, in their own words: the declaration as a statement about them,
# so ticking it means "this is true of me" (the criterion's own wording, "Has no open
# anti-social behaviour case", read as the opposite statement beside a tick box).
APPLICANT_STATEMENT = {
    DeclarationKind.EMPLOYEE: "I work for the organisation",
    DeclarationKind.TENANCY_BREACH_ACTION: (
        "There is a current action against me for breach of my tenancy or lease"
    ),
    DeclarationKind.BREACH_COURT_ORDER: "I am under a court order for breach of my agreement",
    DeclarationKind.OPEN_ASB_CASE: "I have an open anti-social behaviour case",
    DeclarationKind.ARREARS_ACTION_OR_DISPUTE: (
        "I have an arrears court action or a legal dispute with the organisation"
    ),
    DeclarationKind.CCJ_OR_NSP: (
        "I have a County Court judgment for the organisation or a Notice of Seeking Possession"
    ),
    DeclarationKind.ON_OTHER_BOARD: (
        "I sit on the organisation's Board or another housing or partner board"
    ),
    DeclarationKind.REMOVED_UNDER_CODE: (
        "I have been removed as a panel member under the code of conduct"
    ),
    DeclarationKind.EXCLUDED_FOR_BEHAVIOUR: (
        "I have been excluded from the organisation's activities for behaviour"
    ),
}


def _declaration_hint(criterion: str) -> str:
    rule = ELIGIBILITY_CRITERIA[criterion]
    return (
        "Tick only if this is true for you. The panel's terms of reference ask that a member "
        f"{rule[0].lower()}{rule[1:]}."
    )


class PublicApplicationForm(SubmitOnceForm):
    """Apply to join a panel, without an account. Asks only what this panel's ToR asks."""

    # autocomplete tokens let browsers and assistive tools fill in the person's own details
    # (WCAG 1.3.5 Identify Input Purpose).
    first_name = forms.CharField(
        max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        max_length=100, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    email = forms.EmailField(
        required=False,
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        max_length=40,
        required=False,
        label="Phone number",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    preferred_channel = forms.ChoiceField(
        choices=Channel.choices, label="How should we send you letters and papers?"
    )
    address = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        required=False,
    )
    postcode = forms.CharField(
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
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
            self.fields["date_of_birth"] = MemorableDateField(
                label="Date of birth",
                error_messages={"required": "Enter your date of birth."},
            )
        if "no_same_household" in criteria:
            self.fields["household_member_on_panel"] = forms.BooleanField(
                required=False, label="Someone in my household already sits on the panel"
            )
        for criterion, kind in CRITERION_QUESTION.items():
            if criterion in criteria:
                self.fields[f"declare_{kind}"] = forms.BooleanField(
                    required=False,
                    label=APPLICANT_STATEMENT[kind],
                    help_text=_declaration_hint(criterion),
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
    extend_to = limits.DateField(widget=DATE)
    decided_by = forms.CharField(max_length=200)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReappointForm(forms.Form):
    new_term_starts_on = limits.DateField(widget=DATE, required=False)
    decided_by = forms.CharField(max_length=200)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class LeaveForm(forms.Form):
    starts_on = limits.DateField(widget=DATE)
    ends_on = limits.DateField(widget=DATE)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class StepDownForm(forms.Form):
    on = limits.DateField(widget=DATE, label="Last day")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class AppointForm(forms.Form):
    role = forms.ChoiceField(choices=SeatRole.choices, initial=SeatRole.RESIDENT)
    starts_on = limits.DateField(widget=DATE)
    reason = forms.CharField(required=False)

    def __init__(self, *args, panels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"] = forms.ModelChoiceField(queryset=panels)
        self.order_fields(["panel", "role", "starts_on", "reason"])


# --- Officer action forms -------------------------------------------------------------------

TEXT = forms.Textarea(attrs={"rows": 3})


def _today():
    from django.utils import timezone

    return timezone.localdate()


class DeclarationForm(forms.Form):
    kind = forms.ChoiceField(choices=DeclarationKind.choices, label="What is declared")
    applies_from = limits.DateField(widget=DATE, initial=_today)
    applies_until = limits.DateField(
        widget=DATE, required=False, help_text="Leave empty while it still applies."
    )
    note = forms.CharField(widget=TEXT, required=False)
    self_declared = forms.BooleanField(required=False, label="Declared by the person themself")


class DeclarationEndForm(forms.Form):
    applies_until = limits.DateField(widget=DATE, initial=_today, label="Last day it applied")


class TrainingForm(forms.Form):
    kind = forms.ChoiceField(choices=TrainingKind.choices)
    title = forms.CharField(max_length=200)
    completed_on = limits.DateField(widget=DATE, initial=_today)


class ConductForm(forms.Form):
    version = forms.CharField(max_length=40, help_text="The version of the code signed.")
    signed_on = limits.DateField(widget=DATE, initial=_today)

    def __init__(self, *args, panels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"] = forms.ModelChoiceField(queryset=panels)
        self.order_fields(["panel", "version", "signed_on"])


class InterestForm(forms.Form):
    interest = forms.CharField(widget=TEXT, help_text="What the interest is and whom it concerns.")
    declared_on = limits.DateField(widget=DATE, initial=_today)


class InterestEndForm(forms.Form):
    ended_on = limits.DateField(widget=DATE, initial=_today, label="No longer applies from")


class ReviewForm(forms.Form):
    kind = forms.ChoiceField(choices=ReviewKind.choices)
    held_on = limits.DateField(widget=DATE, initial=_today)
    contributions = forms.CharField(widget=TEXT, required=False)
    skills = forms.CharField(widget=TEXT, required=False)
    training_needs = forms.CharField(widget=TEXT, required=False)


class RemarkForm(forms.Form):
    text = forms.CharField(widget=TEXT, label="Remark")


class LeaveReturnForm(forms.Form):
    returned_on = limits.DateField(widget=DATE, initial=_today, label="Back from")


class RemoveForm(forms.Form):
    on = limits.DateField(widget=DATE, initial=_today, label="Removed on")
    reason = forms.CharField(widget=TEXT, required=False)
    under_code_of_conduct = forms.BooleanField(
        required=False,
        label="Removed under the code of conduct (bars re-joining where the ToR says so)",
    )


class RoleChangeForm(forms.Form):
    """A seat's role outside an election (the chair and vice chair are elected instead)."""

    role = forms.ChoiceField(
        choices=[
            ("", "---------"),
            *[(v, label) for v, label in SeatRole.choices if v not in ("chair", "vice_chair")],
        ],
        required=False,
        label="New role",
        help_text="The chair and vice chair are elected: use the panel's election page.",
    )
    on = limits.DateField(widget=DATE, initial=_today, label="From")
    reason = forms.CharField(widget=TEXT, required=False)


class RemovalFlagDecideForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            ("", "---------"),
            ("keep", "Keep the member (close the flag)"),
            ("remove", "Remove the member (appeal as the terms of reference allow)"),
        ],
        required=False,
        label="The panel's decision",
    )
    on = limits.DateField(widget=DATE, initial=_today, label="Decided on")
    reason = forms.CharField(widget=TEXT, required=False, label="The panel's reason")
    under_code_of_conduct = forms.BooleanField(
        required=False,
        label="If removed: under the code of conduct (bars re-joining where the ToR says so)",
    )


class AppealForm(forms.Form):
    received_on = limits.DateField(widget=DATE, label="Written appeal received on")
    appeal_text = forms.CharField(widget=TEXT, required=False, label="The appeal (or its summary)")
    outcome = forms.ChoiceField(choices=[("", "---------"), *Removal.AppealOutcome.choices[1:]])
    decided_on = limits.DateField(widget=DATE, initial=_today)
    decision_reason = forms.CharField(widget=TEXT, required=False)


class ElectionForm(forms.Form):
    role = forms.ChoiceField(choices=[(r, SeatRole(r).label) for r in ("chair", "vice_chair")])
    held_on = limits.DateField(widget=DATE, initial=_today)
    votes_cast = forms.IntegerField(
        min_value=0, max_value=limits.COUNT_MAX, required=False, initial=0
    )

    def __init__(self, *args, seats=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.seats = list(seats) if seats is not None else []
        self.fields["elected"] = forms.ModelChoiceField(queryset=seats, label="Elected")
        self.fields["elected"].label_from_instance = lambda m: m.person.full_name
        for seat in self.seats:
            self.fields[f"votes_{seat.pk}"] = forms.IntegerField(
                required=False,
                min_value=0,
                max_value=limits.COUNT_MAX,
                label=f"Votes for {seat.person.full_name}",
            )
        self.order_fields(["role", "held_on", "elected", "votes_cast"])

    def votes(self) -> dict[int, int]:
        return {
            seat.pk: self.cleaned_data[f"votes_{seat.pk}"]
            for seat in self.seats
            if self.cleaned_data.get(f"votes_{seat.pk}") is not None
        }


class RecruitmentStepForm(forms.Form):
    kind = forms.ChoiceField(choices=RecruitmentStepKind.choices)
    held_on = limits.DateField(widget=DATE, initial=_today)
    notes = forms.CharField(widget=TEXT, required=False)

    def __init__(self, *args, seats=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel_members"] = forms.ModelMultipleChoiceField(
            queryset=seats,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label="Panel members on the selection panel",
        )
        self.fields["panel_members"].label_from_instance = lambda m: m.person.full_name


class ApplicationDecideForm(forms.Form):
    selected = forms.TypedChoiceField(
        choices=[("yes", "Selected"), ("no", "Not selected")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        label="Outcome",
    )
    reasons = forms.CharField(widget=TEXT, required=False)
    on = limits.DateField(widget=DATE, initial=_today, label="Decided on")


class ApplicationAppointForm(forms.Form):
    role = forms.ChoiceField(choices=SeatRole.choices, initial=SeatRole.RESIDENT)
    starts_on = limits.DateField(widget=DATE)
    reason = forms.CharField(required=False)


class ApplicationEnterForm(SubmitOnceForm):
    seat_role = forms.ChoiceField(choices=SeatRole.choices, label="Seat applied for")
    submitted_on = limits.DateField(widget=DATE, initial=_today)
    statement = forms.CharField(widget=TEXT, required=False)
    override_reason = forms.CharField(
        widget=TEXT,
        required=False,
        help_text="Only where the terms of reference allow an exception for this seat.",
    )

    def __init__(self, *args, panels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"] = forms.ModelChoiceField(queryset=panels)
        self.order_fields(["panel", "seat_role", "submitted_on", "statement", "override_reason"])


class ExpenseClaimForm(SubmitOnceForm):
    incurred_on = limits.DateField(widget=DATE, initial=_today, label="Date of the expense")
    description = forms.CharField(max_length=300)
    amount = forms.DecimalField(max_digits=8, decimal_places=2, label="Amount (£)")
    receipt = forms.FileField(
        required=False,
        help_text=f"A photo or scan of the receipt: {files.RECEIPT.help_text}",
    )
    agreed_in_advance = forms.BooleanField(
        required=False,
        label="I agreed this expense with the officer before I spent the money",
        help_text="Where the panel's rules say claims are usually agreed in advance, a claim "
        "that was not is held for the officer to decide.",
    )

    def __init__(self, *args, seats=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"] = forms.ModelChoiceField(
            queryset=seats, label="Panel", empty_label=None
        )
        self.fields["membership"].label_from_instance = lambda m: m.panel.name
        self.order_fields(
            ["membership", "incurred_on", "description", "amount", "receipt", "agreed_in_advance"]
        )


class ExpenseDecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        choices=[("yes", "Approve"), ("no", "Refuse")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        label="Decision",
    )
    reason = forms.CharField(widget=TEXT, required=False, help_text="Required when refusing.")
    on = limits.DateField(widget=DATE, initial=_today, label="Decided on")


class PapersReadForm(forms.Form):
    def __init__(self, *args, present=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["read"] = forms.ModelMultipleChoiceField(
            queryset=present,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label="Read the papers before the meeting",
        )
        self.fields["read"].label_from_instance = lambda m: m.person.full_name


class PersonContactForm(forms.Form):
    """An officer correcting a person's name and how to reach them (what they asked for by
    phone or letter, or a correction they are entitled to)."""

    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=40, required=False)
    address = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Postal address, one line per line, as it goes on an envelope.",
    )
    postcode = forms.CharField(max_length=10, required=False)
