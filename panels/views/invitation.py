"""Accepting an invitation: /accounts/invitation/<token>/.

Signed in as the account that has verified the invited address: one button accepts.
Signed in as another account: told so, with a way to sign out. Not signed in: sign in
with the account for that address, or, if none exists, create it here by choosing a
password (the token came to the address, so it proves it)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from panels.errors import RuleViolation
from panels.models import InvitationStatus, Role, User
from panels.services import (
    invitation_accept,
    invitation_accept_new_account,
    invitation_by_token,
    invitation_refuse_unless_pending,
    verified_holders_of,
)
from panels.sessions import session_idle_limit_refresh

ALLAUTH_BACKEND = "panels.signin.ThrottledEmailBackend"


class NewAccountForm(forms.Form):
    first_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100, required=False)
    password1 = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters; not a common password.",
    )
    password2 = forms.CharField(
        label="The same password again",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        one, two = cleaned.get("password1"), cleaned.get("password2")
        if one and two and one != two:
            self.add_error("password2", "The two passwords are not the same.")
        return cleaned


class InvitationAcceptView(View):
    template_name = "account/invitation.html"

    def _context(self, request, invitation, form=None, error=""):
        user = request.user
        context = {
            "invitation": invitation,
            "error": error,
            "role_label": Role(invitation.role).label.lower() if invitation else "",
            "login_url": f"{reverse('account_login')}?next={request.path}",
        }
        if invitation is None or error:
            return context
        if user.is_authenticated:
            context["can_accept"] = (
                verified_holders_of(invitation.email).filter(pk=user.pk).exists()
            )
        else:
            exists = User.objects.filter(email__iexact=invitation.email).exists()
            context["account_exists"] = exists or verified_holders_of(invitation.email).exists()
            if not context["account_exists"]:
                context["form"] = form or NewAccountForm(
                    initial={
                        "first_name": invitation.first_name,
                        "last_name": invitation.last_name,
                    }
                )
        return context

    def _unusable(self, request, invitation):
        """The page for an unknown, used, withdrawn or expired link (nothing to accept)."""
        if invitation is None:
            error = (
                "This invitation link is not valid. Check you used the whole link from the "
                "most recent email; an officer can send it again."
            )
            return render(
                request, self.template_name, self._context(request, None, error=error), status=404
            )
        if invitation.status_on(timezone.now()) == InvitationStatus.PENDING:
            return None
        try:
            invitation_refuse_unless_pending(invitation=invitation, now=timezone.now())
        except RuleViolation as violation:
            error = violation.messages[0]
        return render(
            request, self.template_name, self._context(request, invitation, error=error), status=410
        )

    def get(self, request, token: str):
        invitation = invitation_by_token(token=token)
        unusable = self._unusable(request, invitation)
        if unusable is not None:
            return unusable
        return render(request, self.template_name, self._context(request, invitation))

    def post(self, request, token: str):
        invitation = invitation_by_token(token=token)
        unusable = self._unusable(request, invitation)
        if unusable is not None:
            return unusable
        org = invitation.organisation
        landing = reverse("panels:landing", kwargs={"org_slug": org.slug})
        if request.user.is_authenticated:
            try:
                invitation_accept(token=token, user=request.user)
            except RuleViolation as violation:
                return render(
                    request,
                    self.template_name,
                    self._context(request, invitation, error=" ".join(violation.messages)),
                    status=403 if violation.code == "invitation.wrong_account" else 410,
                )
            # A new role may shorten the idle timeout (staff roles: 30 minutes).
            session_idle_limit_refresh(request)
            messages.success(
                request, f"You are now {invitation.get_role_display().lower()} at {org.name}."
            )
            return redirect(landing)
        form = NewAccountForm(request.POST)
        if form.is_valid():
            try:
                user = invitation_accept_new_account(
                    token=token,
                    password=form.cleaned_data["password1"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                )
            except RuleViolation as violation:
                violation.add_to_form(form)
                context = self._context(request, invitation, form=form)
                context["refusal"] = " ".join(
                    r.message for r in violation.reasons if r.field is None
                )
                return render(request, self.template_name, context)
            else:
                login(request, user, backend=ALLAUTH_BACKEND)
                messages.success(
                    request,
                    f"Welcome to PanelHub. You are now {invitation.get_role_display().lower()} "
                    f"at {org.name}; sign in with {user.email} and your password from now on.",
                )
                return redirect(landing)
        return render(request, self.template_name, self._context(request, invitation, form=form))
