"""The one pattern of every scrutiny form page: parse the form, call one service, and turn a
RuleViolation into form errors (nothing changed)."""

from functools import cached_property

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView

from panels import permissions
from panels.access import access_panel_by_slug
from panels.errors import RuleViolation
from panels.rules import notice_to_act_power
from panels.selectors import terms_in_force


class ScrutinyFormView(FormView):
    template_name = "scrutiny/form.html"
    title = ""
    intro = ""
    submit_label = "Save"
    success_message = "Saved."

    @cached_property
    def today(self):
        return timezone.localdate()

    @cached_property
    def target(self):
        """The row this page acts on, fetched through an access helper (one 404 for all)."""
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            target=self.target,
            title=self.title,
            intro=self.intro,
            submit_label=self.submit_label,
            back_url=self.back_url(),
        )
        return context

    def unavailable(self) -> str:
        """Why this form cannot be used here at all, said plainly in place of the form."""
        return ""

    def get(self, request, *args, **kwargs):
        if message := self.unavailable():
            return self.render_to_response(self.get_context_data(form=None, unavailable=message))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if message := self.unavailable():
            return self.render_to_response(self.get_context_data(form=None, unavailable=message))
        return super().post(request, *args, **kwargs)

    def back_url(self) -> str:
        return self.request.META.get("HTTP_REFERER", "") or "../"

    def perform(self, form) -> str:
        """Call the service; return where to go next."""
        raise NotImplementedError

    def form_valid(self, form):
        try:
            # A page that calls several services saves all of their changes or none.
            with transaction.atomic():
                url = self.perform(form)
        except RuleViolation as exc:
            exc.add_to_form(form)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(url)


class PanelPageMixin:
    """For pages under /scrutiny/p/<panel_slug>/: self.panel, or the one 404, and the ToR in
    force today, which decides the sections the panel's pages show."""

    @cached_property
    def panel(self):
        return access_panel_by_slug(org=self.org, panel_slug=self.kwargs["panel_slug"])

    @cached_property
    def terms(self):
        return terms_in_force(panel=self.panel, on=timezone.localdate())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("panel", self.panel)
        context["notice_to_act_power"] = notice_to_act_power(terms=self.terms)
        context["may_see_evidence"] = permissions.may(
            permissions.viewer_of(self.request), "evidence", "view", panel_id=self.panel.pk
        )
        return context
