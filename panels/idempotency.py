"""Forms that create something carry a one-time token, so a double submit (a double
click, a resent request) creates one row (issue 14, item 4).

``SubmitOnceForm`` adds a hidden ``submission_token`` (a fresh random value each time the
form is shown; a form shown again with its errors keeps it). ``submitted_once(form)``
records the token in the same transaction as the view's create:

* the first submit records it and creates the row;
* a second submit of the same token waits for the first (the token is unique), then
  raises ``AlreadySubmitted``: the view says the form was saved once and shows the result;
* if the first was refused (a rule, bad input), its transaction rolled the token back,
  so the second is checked like any other submit and gets the same refusal.

A form without a token (an older page, a script) is saved as before.
"""

from __future__ import annotations

import datetime
import secrets
from contextlib import contextmanager

from django import forms
from django.db import IntegrityError, transaction
from django.utils import timezone

from panels.models import FormSubmission

FIELD = "submission_token"
KEEP_FOR = datetime.timedelta(days=1)
ALREADY_SAVED = "That form was sent twice: it has been saved once."


def new_token() -> str:
    return secrets.token_hex(16)


class AlreadySubmitted(Exception):
    """This form's token was recorded by an earlier submit that was saved."""


class SubmitOnceForm(forms.Form):
    """A form with the hidden one-time token. ``cleaned_data`` does not hold it (so the
    data can go straight to a service); ``form.submission_token`` does."""

    submission_token = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=64, initial=new_token
    )

    def _post_clean(self):
        super()._post_clean()
        self.submission_token = self.cleaned_data.pop(FIELD, "") or ""


@contextmanager
def submitted_once(form):
    """Run the view's create in a transaction that also records the form's token."""
    token = getattr(form, "submission_token", "")
    if not token:
        yield
        return
    with transaction.atomic():
        try:
            with transaction.atomic():
                FormSubmission.objects.create(token=token)
        except IntegrityError:
            raise AlreadySubmitted(ALREADY_SAVED) from None
        yield


def forget_old_tokens(*, now: datetime.datetime | None = None) -> int:
    """Delete tokens older than KEEP_FOR (beat runs this daily); returns how many."""
    cutoff = (now or timezone.now()) - KEEP_FOR
    deleted, _ = FormSubmission.objects.filter(created_at__lt=cutoff).delete()
    return deleted
