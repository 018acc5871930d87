from django import forms

from notices.models import NoticePreference


class NoticePreferenceForm(forms.Form):
    channel = forms.ChoiceField(
        choices=NoticePreference.Channel.choices,
        widget=forms.RadioSelect,
        label="How should we send you notices?",
    )
    digest = forms.BooleanField(
        required=False,
        label="Send my emails as one daily digest (about 7am) instead of one at a time",
    )
    large_print = forms.BooleanField(
        required=False,
        label="Send me letters in large print",
        help_text="Letters and covering letters with papers are printed in a larger font.",
    )


class PersonNoticePreferenceForm(NoticePreferenceForm):
    """The same choices, made by an officer for a member (who asked by phone or letter)."""

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        name = person.full_name
        self.fields["channel"].label = f"How should {name} get notices and papers?"
        self.fields[
            "digest"
        ].label = "Send their emails as one daily digest (about 7am) instead of one at a time"
        self.fields["large_print"].label = "Letters in large print"
        self.fields[
            "large_print"
        ].help_text = "Letters and covering letters with papers are printed in 18 pt."
