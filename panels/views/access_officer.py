"""Officer pages to invite people and manage who holds which role in the organisation."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView

from panels.access import OfficerAccessMixin
from panels.errors import RuleViolation
from panels.models import OrganisationRole, Role
from panels.services import role_revoke, user_invite


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email address")
    first_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100, required=False)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)


class AccessView(OfficerAccessMixin, FormView):
    """Who has access, and an invitation form. Revoking posts the role id to the same page."""

    template_name = "panels/access.html"
    form_class = InviteForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["roles"] = (
            OrganisationRole.objects.filter(organisation=self.org)
            .select_related("user")
            .order_by("user__email", "role")
        )
        return context

    def post(self, request, *args, **kwargs):
        if "revoke" in request.POST:
            return self._revoke(request)
        return super().post(request, *args, **kwargs)

    def _revoke(self, request):
        try:
            role_id = int(request.POST.get("revoke", ""))
        except ValueError:
            raise Http404("No such role.") from None
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
            user_invite(
                org=self.org, by=self.request.user, request=self.request, **form.cleaned_data
            )
        except RuleViolation as violation:
            violation.add_to_form(form)
            return self.form_invalid(form)
        messages.success(self.request, f"Invitation sent to {form.cleaned_data['email']}.")
        return redirect(self.request.path)
