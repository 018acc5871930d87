"""Forms for data protection pages."""

from django import forms

from privacy.models import RecordType
from privacy.retention import DEFAULT_DAYS, WHAT_HAPPENS, duration_text

NOT_POSITIVE = "A retention period must be at least one day."


class RetentionForm(forms.Form):
    """Days each type of record is kept; zero or less is refused on the field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for record_type in RecordType:
            self.fields[record_type.value] = forms.IntegerField(
                label=f"{record_type.label} (days)",
                min_value=1,
                max_value=36500,
                error_messages={"min_value": NOT_POSITIVE, "required": NOT_POSITIVE},
                help_text=f"Default {DEFAULT_DAYS[record_type]} days "
                f"({duration_text(DEFAULT_DAYS[record_type])}). {WHAT_HAPPENS[record_type]}",
            )
