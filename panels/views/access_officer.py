"""Officer pages to invite people and manage who holds which role in the organisation."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView

from panels.access import OfficerAccessMixin
from panels.errors import RuleViolation
from panels.models import Invitation, OrganisationRole, Role
from panels.services import (
    account_unlock,
    invitation_create,
    invitation_resend,
    invitation_revoke,
    role_revoke,
)
from panels.signin import signin_locked_accounts


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email address")
    first_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100, required=False)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)


class AccessView(OfficerAccessMixin, FormView):
    """Who has access, invitations waiting, and an invitation form. Removing a role,
    resending or withdrawing an invitation post the row's id to the same page."""

    template_name = "panels/access.html"
    form_class = InviteForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roles = list(
            OrganisationRole.objects.filter(organisation=self.org)
            .select_related("user")
            .order_by("user__email", "role")
        )
        locked = signin_locked_accounts(emails=[r.user.email for r in roles])
        for org_role in roles:
            org_role.is_locked = org_role.user.email in locked
        context["roles"] = roles
        now = timezone.now()
        invitations = list(
            Invitation.objects.for_org(self.org)
            .filter(accepted_at__isnull=True, revoked_at__isnull=True)
            .select_related("created_by")
            .order_by("email", "role")
        )
        for invitation in invitations:
            invitation.is_expired = invitation.expires_at <= now
        context["invitations"] = invitations
        context["invitation_days"] = settings.INVITATION_EXPIRY_DAYS
        return context

    def post(self, request, *args, **kwargs):
        if "revoke" in request.POST:
            return self._revoke(request)
        if "unlock" in request.POST:
            return self._unlock(request)
        if "resend" in request.POST or "withdraw" in request.POST:
            return self._invitation_action(request)
        return super().post(request, *args, **kwargs)

    def _row_id(self, request, name: str) -> int:
        try:
            return int(request.POST.get(name, ""))
        except ValueError:
            raise Http404("No such row.") from None

    def _invitation_action(self, request):
        resend = "resend" in request.POST
        invitation_id = self._row_id(request, "resend" if resend else "withdraw")
        invitation = Invitation.objects.for_org(self.org).filter(pk=invitation_id).first()
        if invitation is None:
            raise Http404("No such invitation.")
        try:
            if resend:
                invitation_resend(invitation=invitation, by=request.user, request=request)
            else:
                invitation_revoke(invitation=invitation, by=request.user)
        except RuleViolation as violation:
            messages.error(request, " ".join(violation.messages))
            return redirect(request.path)
        if resend:
            messages.success(
                request,
                f"Invitation sent again to {invitation.email}; the old link no longer works.",
            )
        else:
            messages.success(request, f"Invitation to {invitation.email} withdrawn.")
        return redirect(request.path)

    def _unlock(self, request):
        org_role = (
            OrganisationRole.objects.filter(
                organisation=self.org, pk=self._row_id(request, "unlock")
            )
            .select_related("user")
            .first()
        )
        if org_role is None:
            raise Http404("No such role.")
        account_unlock(org=self.org, user=org_role.user, by=request.user)
        messages.success(request, f"{org_role.user.email} can sign in again.")
        return redirect(request.path)

    def _revoke(self, request):
        role_id = self._row_id(request, "revoke")
        org_role = (
            OrganisationRole.objects.filter(organisation=self.org, pk=role_id)
            .select_related("user")
            .first()
        )
        if org_role is None:
            raise Http404("No such role.")
        if org_role.user_id == request.user.pk and org_role.role in (Role.OFFICER, Role.ADMIN):
            messages.error(request, "You cannot remove your own officer or admin role.")
            return redirect(request.path)
        role_revoke(org=self.org, org_role=org_role, by=request.user)
        messages.success(
            request, f"Removed {org_role.get_role_display().lower()} from {org_role.user.email}."
        )
        return redirect(request.path)

    def form_valid(self, form):
        try:
            invitation_create(
                org=self.org, by=self.request.user, request=self.request, **form.cleaned_data
            )
        except RuleViolation as violation:
            violation.add_to_form(form)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Invitation sent to {form.cleaned_data['email']}. They get the role when they "
            "accept it.",
        )
        return redirect(self.request.path)
