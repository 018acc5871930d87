"""Forms for the meeting pages. They only parse input; services decide."""

from django import forms

from meetings.models import AttendanceStatus, Audience, ItemSource, MotionKind
from panels import files, limits
from panels.idempotency import SubmitOnceForm
from panels.widgets import DateInput


class ActionForm(forms.Form):
    """A console button without input: carries a refusal back to the page."""


class TimeInput(forms.TimeInput):
    input_type = "time"


def late_reason_field(which_date: str) -> forms.CharField:
    """The reason asked for when scheduling or moving a meeting misses a deadline (the
    scheduling services refuse on this field without one)."""
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
        label="Reason, if it misses a deadline",
        help_text=f"Needed only when the notice or papers deadline{which_date} has passed or "
        "cannot be met: it is recorded against the breach.",
    )


class MeetingForm(forms.Form):
    prefix = "meeting"  # the page holds other forms: ids and names stay unique
    panel = forms.ModelChoiceField(queryset=None)
    date = limits.DateField(widget=DateInput)
    start_time = forms.TimeField(widget=TimeInput, required=False, help_text="Empty: ToR times.")
    end_time = forms.TimeField(widget=TimeInput, required=False)
    place = forms.CharField(max_length=300, required=False)
    virtual_link = forms.URLField(required=False, assume_scheme="https")
    is_public = forms.BooleanField(required=False, initial=True, label="List in public calendar")
    late_reason = late_reason_field("")

    def __init__(self, *args, panels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = panels


class ProgrammeForm(forms.Form):
    prefix = "programme"  # the page holds other forms: ids and names stay unique
    panel = forms.ModelChoiceField(queryset=None)
    year = forms.IntegerField(min_value=2000, max_value=2100)
    place = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, panels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = panels


class CommitteeDateForm(forms.Form):
    prefix = "committee"  # the page holds other forms: ids and names stay unique
    panel = forms.ModelChoiceField(queryset=None)
    committee = forms.CharField(max_length=200)
    date = limits.DateField(widget=DateInput)

    def __init__(self, *args, panels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = panels


class SeatChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.person.full_name} ({obj.get_role_display()})"


class AgendaItemForm(SubmitOnceForm):
    prefix = "item"  # the page holds other forms: ids and names stay unique
    title = forms.CharField(max_length=300)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    owner = forms.CharField(max_length=200, required=False)
    minutes_allotted = forms.IntegerField(min_value=1, max_value=limits.COUNT_MAX, initial=15)
    source = forms.ChoiceField(choices=ItemSource.choices, initial=ItemSource.OFFICER)
    is_confidential = forms.BooleanField(required=False)
    proposed_by = SeatChoiceField(queryset=None, required=False)
    proposed_on = limits.DateField(widget=DateInput, required=False)
    chair_accepts_late = forms.BooleanField(
        required=False, label="The chair accepts this proposal although it is late"
    )

    def __init__(self, *args, seats, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposed_by"].queryset = seats


class AttendanceRequestForm(forms.Form):
    prefix = "guest"  # the page holds other forms: ids and names stay unique
    name = forms.CharField(max_length=200)
    capacity = forms.CharField(max_length=200, help_text="Job title, team or contractor.")
    requested_on = limits.DateField(widget=DateInput)


class PaperForm(forms.Form):
    prefix = "paper"  # the page holds other forms: ids and names stay unique
    item = forms.ModelChoiceField(queryset=None)
    title = forms.CharField(max_length=200, required=False)
    file = forms.FileField(help_text=files.PAPER.help_text)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items


NOT_RECORDED = [("", "Not recorded")]
SMALL_SELECT = {"class": "form-select"}
SMALL_INPUT = {"class": "form-control"}


class RegisterForm(forms.Form):
    """The whole register in one form: per seat a status (everyone not yet recorded starts
    as present once the meeting has begun: the officer changes only the exceptions), arrival
    and departure times, the reason given and whether an officer acts for the member; and
    the time the meeting reached each item. Plain widgets, one label per field, ids unique
    per seat (``seat-<id>-<field>``, the names the register service gives its reasons).

    ``seats``: the panel's seats on the meeting's date; ``lines``: {seat id: Attendance};
    ``items``: the agenda; ``default_present``: whether unrecorded seats start as present.
    No queries."""

    def __init__(
        self, *args, seats, lines, items, default_present: bool, held: bool = False, **kwargs
    ):
        from meetings.services import item_field, seat_field

        super().__init__(*args, **kwargs)
        self.held = held
        self.seats = list(seats)
        self.items = list(items)
        self.rows = []
        for seat in self.seats:
            line = lines.get(seat.pk)
            name = seat.person.full_name
            status_initial = line.status if line else ("present" if default_present else "")
            names = {k: seat_field(seat.pk, k) for k in REGISTER_ROW}
            self.fields[names["status"]] = forms.ChoiceField(
                choices=(
                    AttendanceStatus.choices if line else NOT_RECORDED + AttendanceStatus.choices
                ),
                required=False,
                label=f"Attendance of {name}",
                initial=status_initial,
                widget=forms.Select(attrs=SMALL_SELECT),
            )
            self.fields[names["arrived_at"]] = forms.TimeField(
                required=False,
                label="Arrived at",
                initial=line.arrived_at if line else None,
                widget=TimeInput(attrs=SMALL_INPUT, format="%H:%M"),
            )
            self.fields[names["left_at"]] = forms.TimeField(
                required=False,
                label="Left at",
                initial=line.left_at if line else None,
                widget=TimeInput(attrs=SMALL_INPUT, format="%H:%M"),
            )
            self.fields[names["apology_reason"]] = forms.CharField(
                max_length=300,
                required=False,
                label="Reason given",
                initial=line.apology_reason if line else "",
                widget=forms.TextInput(attrs=SMALL_INPUT),
            )
            self.fields[names["acting_for"]] = forms.BooleanField(
                required=False,
                label="Recorded by an officer acting for the member",
                initial=line.acting_for if line else False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            self.rows.append((seat, line, names))
        self.item_rows = []
        for item in self.items:
            key = item_field(item.pk)
            self.fields[key] = forms.TimeField(
                required=False,
                label=f"Item {item.position} began at",
                initial=item.started_at,
                widget=TimeInput(attrs=SMALL_INPUT, format="%H:%M"),
            )
            self.item_rows.append((item, key))
        if held:  # a change now is a correction, with its reason (services.register_take)
            self.fields["correction_reason"] = forms.CharField(
                max_length=300,
                required=False,
                label="Reason for the correction",
                help_text="The meeting is marked held: say why the register changes. It is "
                "kept with each change.",
                widget=forms.TextInput(attrs=SMALL_INPUT),
            )

    def bound_rows(self):
        """(seat, register line, {field: bound field}) per seat, for the template."""
        for seat, line, names in self.rows:
            yield seat, line, {k: self[v] for k, v in names.items()}

    def bound_items(self):
        for item, key in self.item_rows:
            yield item, self[key]

    def register_rows(self) -> list:
        from meetings.services import RegisterRow

        data = self.cleaned_data
        return [
            RegisterRow(
                membership=seat,
                **{k: data.get(v) or REGISTER_ROW[k] for k, v in names.items()},
            )
            for seat, _line, names in self.rows
        ]

    def item_starts(self) -> dict:
        return {item.pk: self.cleaned_data[key] for item, key in self.item_rows}


# Each register field of a seat, with its empty value.
REGISTER_ROW = {
    "status": "",
    "arrived_at": None,
    "left_at": None,
    "apology_reason": "",
    "acting_for": False,
}


class PresidingForm(forms.Form):
    prefix = "presiding"  # the page holds other forms: ids and names stay unique
    membership = SeatChoiceField(
        queryset=None, required=False, label="Chosen by the members present"
    )

    def __init__(self, *args, seats, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = seats


class DeclarationForm(forms.Form):
    prefix = "declaration"  # the page holds other forms: ids and names stay unique
    item = forms.ModelChoiceField(queryset=None)
    membership = SeatChoiceField(queryset=None, label="Member")
    interest = forms.CharField(max_length=300)

    def __init__(self, *args, items, seats, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["membership"].queryset = seats


class MotionForm(SubmitOnceForm):
    prefix = "motion"  # the page holds other forms: ids and names stay unique
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(choices=MotionKind.choices)
    mover = SeatChoiceField(queryset=None)
    item = forms.ModelChoiceField(queryset=None, required=False)

    def __init__(self, *args, items, seats, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["mover"].queryset = seats


CASTING = [("", "No casting vote"), ("for", "Chair casts for"), ("against", "Chair casts against")]


class DecideForm(forms.Form):
    """One motion's decision; rendered once per pending motion (auto_id keeps ids unique)."""

    consensus = forms.BooleanField(required=False, label="Agreed by consensus")
    votes_for = forms.IntegerField(min_value=0, max_value=limits.COUNT_MAX, initial=0, label="For")
    votes_against = forms.IntegerField(
        min_value=0, max_value=limits.COUNT_MAX, initial=0, label="Against"
    )
    abstentions = forms.IntegerField(
        min_value=0, max_value=limits.COUNT_MAX, initial=0, label="Abstain"
    )
    casting = forms.ChoiceField(choices=CASTING, required=False, label="Chair's casting vote")


DECISIONS = [("1", "Accepted"), ("0", "Not accepted")]


class ReasonDecisionForm(forms.Form):
    """The officer's decision on one absence's reason (rendered once per line)."""

    accepted = forms.ChoiceField(choices=DECISIONS, label="Reason")


def audience_field(label: str = "Who is this for?") -> forms.ChoiceField:
    """Every minute entry, action point and key messages say who they are for."""
    return forms.ChoiceField(choices=Audience.choices, label=label)


class MinuteEntryForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    audience = audience_field()


class KeyMessagesForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label="Key messages"
    )
    audience = audience_field("Who are the key messages for?")


class ActionPointForm(forms.Form):
    prefix = "action_point"  # the page holds other forms: ids and names stay unique
    description = forms.CharField(max_length=300)
    owner = forms.CharField(max_length=200)
    due_on = limits.DateField(widget=DateInput)
    item = forms.ModelChoiceField(queryset=None, required=False)
    audience = audience_field()

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items


class ApproveForm(forms.Form):
    prefix = "approve"  # the page holds other forms: ids and names stay unique
    at_meeting = forms.ModelChoiceField(queryset=None, label="Approved at the meeting of")

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["at_meeting"].queryset = meetings


class NoteForm(forms.Form):
    note = forms.CharField(max_length=500, label="What is corrected, and why")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class SignOffForm(forms.Form):
    prefix = "sign_off"  # the page holds other forms: ids and names stay unique
    chair = SeatChoiceField(queryset=None, label="Signed off by")

    def __init__(self, *args, seats, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = seats


class IssuePapersForm(forms.Form):
    confirm_no_papers = forms.BooleanField(
        required=False,
        label="I confirm: issue the agenda as it is, without papers",
        help_text="Needed only when the agenda is empty or has no paper.",
    )


class RescheduleForm(forms.Form):
    """Move a meeting: its new date, times and place (the service re-plans its notices and
    raises its calendar SEQUENCE)."""

    prefix = "reschedule"  # the page holds other forms: ids and names stay unique
    date = limits.DateField(widget=DateInput, label="New date")
    start_time = forms.TimeField(widget=TimeInput)
    end_time = forms.TimeField(widget=TimeInput)
    place = forms.CharField(max_length=300, required=False)
    late_reason = late_reason_field(" for the new date")


class ReasonForm(forms.Form):
    prefix = "cancel"  # the page holds other forms: ids and names stay unique
    reason = forms.CharField(max_length=300, label="Reason")


class ApologiesForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        label="Why can't you come?",
        widget=forms.TextInput(
            attrs={
                "placeholder": "e.g. hospital appointment",
                "class": "form-control-lg",
                "autocomplete": "off",
            }
        ),
    )


class ConfirmHitForm(forms.Form):
    """The officer confirms that one personal-data hit may be published."""

    hit = forms.CharField(max_length=800)
    document = forms.ChoiceField(choices=[("minutes", "Minutes"), ("key_messages", "Key messages")])
