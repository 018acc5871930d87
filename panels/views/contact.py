"""Help and contact: the organisation's engagement officer, how to ask for another format,
and the accessibility statement (public, linked from the foot of every page); and the
officers' page that sets the contact details."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from panels.access import OfficerAccessMixin, PublicAccessMixin
from panels.forms import OrganisationContactForm
from panels.services import organisation_contact_update


class HelpView(PublicAccessMixin, TemplateView):
    template_name = "panels/help.html"


class OrganisationContactView(OfficerAccessMixin, FormView):
    template_name = "panels/officer/organisation_contact.html"
    form_class = OrganisationContactForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.org
        return kwargs

    def form_valid(self, form):
        organisation_contact_update(org=self.org, by=self.request.user, **form.cleaned_data)
        messages.success(self.request, "Contact details saved: they show on the help page.")
        return redirect("panels:organisation_contact", org_slug=self.org.slug)
