"""The signed-in user's personal API tokens: create (shown once), list, revoke."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from panels.errors import RuleViolation
from panels.models import ApiToken, Organisation
from panels.services import api_token_create, api_token_revoke

EXPIRY_CHOICES = [
    ("30", "In 30 days"),
    ("90", "In 90 days"),
    ("365", "In a year"),
    ("never", "Never (revoke it when it is no longer needed)"),
]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What the token is for, e.g. “Monthly attendance export”."
    )
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none())
    access = forms.ChoiceField(
        choices=[("read", "Read only"), ("write", "Read and write")],
        initial="read",
        widget=forms.RadioSelect,
        help_text="Writing also needs a role that may write (officers and admins).",
    )
    expires = forms.ChoiceField(choices=EXPIRY_CHOICES, initial="90", label="Expires")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            roles__user=user
        ).distinct()

    def expires_at(self):
        choice = self.cleaned_data["expires"]
        if choice == "never":
            return None
        return timezone.now() + datetime.timedelta(days=int(choice))


class ApiTokensView(LoginRequiredMixin, View):
    template_name = "account/api_tokens.html"

    def _render(self, request, form, created_token=None, created=None, status=200):
        tokens = (
            ApiToken.objects.filter(user=request.user, revoked_at__isnull=True)
            .select_related("organisation")
            .order_by("-created_at")
        )
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "tokens": tokens,
                "created_token": created_token,
                "created": created,
                "now": timezone.now(),
            },
            status=status,
        )

    def get(self, request):
        return self._render(request, ApiTokenForm(user=request.user))

    def post(self, request):
        if "revoke" in request.POST:
            try:
                token_id = int(request.POST["revoke"])
            except ValueError:
                raise Http404("No such token.") from None
            token = ApiToken.objects.filter(pk=token_id, user=request.user).first()
            if token is None:
                raise Http404("No such token.")
            api_token_revoke(token=token, by=request.user)
            messages.success(request, f"Token “{token.name}” revoked: it no longer works.")
            return redirect(request.path)
        form = ApiTokenForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                token, secret = api_token_create(
                    user=request.user,
                    org=form.cleaned_data["organisation"],
                    name=form.cleaned_data["name"],
                    can_write=form.cleaned_data["access"] == "write",
                    expires_at=form.expires_at(),
                )
            except RuleViolation as violation:
                violation.add_to_form(form)
            else:
                # Shown once, in this response only; only its hash is stored.
                response = self._render(
                    request, ApiTokenForm(user=request.user), created_token=secret, created=token
                )
                response["Cache-Control"] = "no-store"
                return response
        return self._render(request, form, status=200)
