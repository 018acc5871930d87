"""Officer pages: roster per panel (and CSV), applications queue, person page, seat actions."""

import csv

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView, ListView, TemplateView

from members import forms, selectors, services
from members.models import Person
from panels.access import OfficerAccessMixin, access_panel_by_slug
from panels.errors import RuleViolation
from panels.selectors import panel_list
from panels.tenancy import get_for_org_or_404


class RosterIndexView(OfficerAccessMixin, TemplateView):
    template_name = "members/roster_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["panels"] = panel_list(org=self.org)
        return context


class RosterView(OfficerAccessMixin, TemplateView):
    template_name = "members/roster.html"

    def get_roster(self):
        panel = access_panel_by_slug(org=self.org, panel_slug=self.kwargs["panel_slug"])
        return selectors.roster(panel=panel, on=timezone.localdate())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["roster"] = self.get_roster()
        return context


class RosterCsvView(RosterView):
    def get(self, request, *args, **kwargs):
        roster = self.get_roster()
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{roster.panel.slug}-roster.csv"'
        writer = csv.writer(response)
        writer.writerow(
            ["Name", "Role", "Voting", "Status", "Started", "Term", "Term ends", "Flags"]
        )
        for row in roster.rows:
            m = row.membership
            writer.writerow(
                [
                    m.person.full_name,
                    m.get_role_display(),
                    "yes" if row.is_voting else "no",
                    m.get_status_display(),
                    m.starts_on,
                    m.term_number,
                    m.term_ends_on or "",
                    "; ".join(row.flags),
                ]
            )
        return response


class ApplicationQueueView(OfficerAccessMixin, ListView):
    template_name = "members/applications.html"
    context_object_name = "applications"
    paginate_by = 50

    def get_queryset(self):
        return selectors.application_queue(org=self.org)


class PersonDetailView(OfficerAccessMixin, FormView):
    template_name = "members/person_detail.html"
    form_class = forms.AppointForm

    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def get_person(self):
        return get_for_org_or_404(Person, org=self.org, pk=self.kwargs["person_id"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["panels"] = panel_list(org=self.org)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.get_person()
        context["person"] = person
        context.update(selectors.person_history(person=person))
        return context

    def form_valid(self, form):
        person = self.get_person()
        try:
            services.membership_appoint(
                panel=form.cleaned_data["panel"],
                person=person,
                role=form.cleaned_data["role"],
                starts_on=form.cleaned_data["starts_on"],
                reason=form.cleaned_data["reason"],
                by=self.request.user,
            )
        except RuleViolation as exc:
            exc.add_to_form(form)
            return self.form_invalid(form)
        messages.success(self.request, "Appointed.")
        return redirect("members:person", org_slug=self.org.slug, person_id=person.pk)


class MembershipActionView(OfficerAccessMixin, FormView):
    """One seat action (extend, re-appoint, leave, step down): a form, one service call."""

    template_name = "members/membership_action.html"
    title = ""

    def get_membership(self):
        return selectors.membership_for_officer(
            org=self.org, membership_id=self.kwargs["membership_id"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(membership=self.get_membership(), title=self.title)
        return context

    def perform(self, membership, data):
        raise NotImplementedError

    def form_valid(self, form):
        membership = self.get_membership()
        try:
            self.perform(membership, form.cleaned_data)
        except RuleViolation as exc:
            exc.add_to_form(form)
            return self.form_invalid(form)
        messages.success(self.request, f"{self.title}: done.")
        return redirect("members:person", org_slug=self.org.slug, person_id=membership.person_id)


class ExtendView(MembershipActionView):
    form_class = forms.ExtendForm
    title = "Extend the term"

    def perform(self, membership, data):
        services.membership_extend(membership=membership, by=self.request.user, **data)


class ReappointView(MembershipActionView):
    form_class = forms.ReappointForm
    title = "Re-appoint for a further term"

    def perform(self, membership, data):
        services.membership_reappoint(membership=membership, by=self.request.user, **data)


class LeaveView(MembershipActionView):
    form_class = forms.LeaveForm
    title = "Grant leave of absence"

    def perform(self, membership, data):
        services.leave_grant(membership=membership, by=self.request.user, **data)


class StepDownView(MembershipActionView):
    form_class = forms.StepDownForm
    title = "Step down"

    def perform(self, membership, data):
        services.membership_step_down(membership=membership, by=self.request.user, **data)
