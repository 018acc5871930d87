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
