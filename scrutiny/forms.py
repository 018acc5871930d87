"""Forms of the scrutiny pages. They parse input only; services decide and refuse."""

import datetime

from django import forms

from members.models import Person
from panels import files, limits
from panels.widgets import DateInput
from scrutiny.catalogue import TENANT_SATISFACTION_MEASURES
from scrutiny.models import (
    ActionStatus,
    EvidenceItem,
    Measure,
    PolicyOutcome,
    PriorityStatus,
    ReportingPeriod,
    ResponseDecision,
    ReviewStage,
    SubGroupKind,
    TopicSource,
    WorkPlanPriority,
)

DATE = DateInput()


def _today() -> datetime.date:
    return datetime.date.today()


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = ["code", "name", "definition", "unit", "polarity", "target", "tolerance", "period"]
        widgets = {"definition": forms.Textarea(attrs={"rows": 3})}


class AdoptMeasureForm(forms.Form):
    code = forms.ChoiceField(
        label="Tenant Satisfaction Measure",
        choices=[(m.code, f"{m.code} {m.name}") for m in TENANT_SATISFACTION_MEASURES],
    )
    target = forms.DecimalField(max_digits=12, decimal_places=2)
    tolerance = forms.DecimalField(max_digits=12, decimal_places=2, min_value=0, initial=0)
    period = forms.ChoiceField(choices=ReportingPeriod.choices, initial=ReportingPeriod.QUARTER)


class ResultForm(forms.Form):
    period_start = limits.DateField(
        widget=DATE, help_text="The first day of the month or quarter the result is for."
    )
    value = forms.DecimalField(max_digits=12, decimal_places=2)
    note = forms.CharField(max_length=300, required=False)


class ResultsImportForm(forms.Form):
    file = forms.FileField(
        required=False,
        help_text="CSV with the columns measure (code or name), period (2025-04 or 2025-Q2), "
        "value.",
    )
    csv_text = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload and upload.size > limits.CSV_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {limits.CSV_MAX_BYTES // 1_000_000} MB: split it."
            )
        if upload:
            try:
                cleaned["csv_text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError("The file is not UTF-8 text: save it as CSV.") from None
        if not cleaned.get("csv_text"):
            raise forms.ValidationError("Choose a CSV file.")
        return cleaned


class EvidenceForm(forms.ModelForm):
    class Meta:
        model = EvidenceItem
        fields = ["kind", "title", "dated", "summary", "file", "is_confidential"]
        widgets = {"dated": DATE, "summary": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"dated": limits.DateField}
        help_texts = {"file": files.EVIDENCE.help_text}


class ReviewProposeForm(forms.Form):
    title = forms.CharField(max_length=200)
    service_area = forms.CharField(max_length=200, required=False)
    topic_source = forms.ChoiceField(choices=TopicSource.choices, label="Where the topic came from")
    source_detail = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    proposed_on = limits.DateField(widget=DATE, initial=_today)


class ReviewAdvanceForm(forms.Form):
    to_stage = forms.ChoiceField(
        label="Move to", choices=[c for c in ReviewStage.choices if c[0] != "proposed"]
    )
    on = limits.DateField(widget=DATE, initial=_today, label="Date")
    reported_to = forms.CharField(
        max_length=200, required=False, help_text="For the report: blank uses the ToR's body."
    )


class ReviewEditForm(forms.Form):
    scope = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    findings = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    public_summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Shown on the public page once the report is sent. No personal details.",
    )
    members = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    evidence = forms.ModelMultipleChoiceField(
        queryset=EvidenceItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Link evidence",
    )

    def __init__(self, *args, people=None, evidence=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = people
        self.fields["evidence"].queryset = evidence


class RecommendationForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    response_due_on = limits.DateField(widget=DATE, required=False, label="Board response due")


class DueDateForm(forms.Form):
    due_on = limits.DateField(widget=DATE, label="Board response due by")


class ResponseForm(forms.Form):
    decision = forms.ChoiceField(choices=ResponseDecision.choices)
    reasons = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Required when partly accepted or rejected.",
    )
    responded_on = limits.DateField(widget=DATE, initial=_today)


class ActionForm(forms.Form):
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.CharField(max_length=200)
    due_on = limits.DateField(widget=DATE)


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices)
    completed_on = limits.DateField(widget=DATE, required=False)
    completion_evidence = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ActionFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", "Any status"), *ActionStatus.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    owner = forms.CharField(required=False, widget=forms.TextInput(attrs={"class": "form-control"}))
    overdue = forms.BooleanField(
        required=False,
        label="Overdue only",
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class EscalationForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label="Why the panel is not satisfied"
    )
    raised_on = limits.DateField(widget=DATE, initial=_today)


class EscalationStepForm(forms.Form):
    completed_on = limits.DateField(widget=DATE, initial=_today)
    outcome = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    resolved = forms.BooleanField(required=False, label="Resolved: the panel is now satisfied")


class PriorityForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    review_due_on = limits.DateField(widget=DATE, required=False, label="Six-monthly review due")


class PriorityReviewForm(forms.Form):
    reviewed_on = limits.DateField(widget=DATE, initial=_today)
    status = forms.ChoiceField(choices=PriorityStatus.choices)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class ChampionForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label="Resident lead")
    since = limits.DateField(widget=DATE, initial=_today)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class WorkItemForm(forms.Form):
    title = forms.CharField(max_length=200)
    outputs = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    supported_by = forms.CharField(max_length=200, required=False)
    due_on = limits.DateField(widget=DATE, required=False)


class BudgetForm(forms.Form):
    total = forms.DecimalField(max_digits=12, decimal_places=2, min_value=0)


class AllocationForm(forms.Form):
    title = forms.CharField(max_length=200)
    amount = forms.DecimalField(max_digits=12, decimal_places=2)
    priority = forms.ModelChoiceField(queryset=WorkPlanPriority.objects.none(), required=False)
    allocated_on = limits.DateField(widget=DATE, initial=_today)

    def __init__(self, *args, priorities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = priorities


class SpendForm(forms.Form):
    description = forms.CharField(max_length=200)
    amount = forms.DecimalField(max_digits=12, decimal_places=2)
    spent_on = limits.DateField(widget=DATE, initial=_today)


class SubGroupForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=SubGroupKind.choices)
    purpose = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    formed_on = limits.DateField(widget=DATE, initial=_today)
    members = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = people


class PolicyForm(forms.Form):
    title = forms.CharField(max_length=200)
    is_strategy = forms.BooleanField(required=False, label="This is a strategy")
    presented_on = limits.DateField(widget=DATE, initial=_today)
    goes_to = forms.CharField(max_length=200, required=False)


class PolicyOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(choices=[c for c in PolicyOutcome.choices if c[0] != "pending"])
    outcome_on = limits.DateField(widget=DATE, initial=_today)
    comments = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class NoticeToActForm(forms.Form):
    service_failure = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label="The persistent service failure"
    )
    served_on = limits.DateField(widget=DATE, initial=_today)
    answer_due_on = limits.DateField(widget=DATE, required=False, label="Board answer due by")


class NoticeAnswerForm(forms.Form):
    answer = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="The Board's answer")
    answered_on = limits.DateField(widget=DATE, initial=_today)
