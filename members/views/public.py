"""Apply to join a panel, without an account."""

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView

from members.applicant_wording import for_applicant
from members.forms import PublicApplicationForm
from members.services import application_submit_public
from panels.access import PublicAccessMixin
from panels.errors import RuleViolation
from panels.idempotency import AlreadySubmitted, submitted_once
from panels.selectors import panel_list_public, terms_in_force
from panels.signin import client_ip

THROTTLE_WINDOW_SECONDS = 60


def application_throttled(request) -> bool:
    """Count one sending of the public form from the client's address; True once the
    address has sent more than PUBLIC_APPLICATIONS_PER_IP_PER_MINUTE in the window."""
    key = f"public-apply:ip:{client_ip(request)}"
    if cache.add(key, 1, THROTTLE_WINDOW_SECONDS):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, THROTTLE_WINDOW_SECONDS)
            count = 1
    return count > settings.PUBLIC_APPLICATIONS_PER_IP_PER_MINUTE


class ApplyView(PublicAccessMixin, FormView):
    template_name = "members/apply.html"
    form_class = PublicApplicationForm

    def dispatch(self, request, *args, **kwargs):
        self.today = timezone.localdate()
        return super().dispatch(request, *args, **kwargs)

    def get_panel(self):
        panels = list(panel_list_public(org=self.org))
        wanted = self.request.GET.get("panel") or self.request.POST.get("panel")
        return next((p for p in panels if p.slug == wanted), panels[0] if panels else None), panels

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        self.panel, self.panels = self.get_panel()
        self.terms = terms_in_force(panel=self.panel, on=self.today) if self.panel else None
        kwargs["terms"] = self.terms
        return kwargs

    def form_valid(self, form):
        if application_throttled(self.request):
            form.add_error(
                None,
                "Too many applications have been sent from your internet address in the last "
                "minute. Nothing has been saved yet: wait a minute and send the form again "
                "(what you typed is kept below).",
            )
            response = self.form_invalid(form)
            response.status_code = 429
            response["Retry-After"] = str(THROTTLE_WINDOW_SECONDS)
            return response
        try:
            with submitted_once(form):  # a double submit makes one application
                application_submit_public(
                    panel=self.panel,
                    person_details=form.person_details(),
                    declared=form.declared(),
                    household_member_on_panel=form.cleaned_data.get(
                        "household_member_on_panel", False
                    ),
                    statement=form.cleaned_data["statement"],
                    submitted_on=self.today,
                )
        except AlreadySubmitted:
            messages.success(self.request, "Thank you: your application has been received.")
            return redirect("panels:landing", org_slug=self.org.slug)
        except RuleViolation as exc:
            RuleViolation(
                for_applicant(
                    exc.reasons,
                    org=self.org,
                    terms=self.terms,
                    details=form.person_details(),
                    form_fields=form.fields,
                )
            ).add_to_form(form)
            return self.form_invalid(form)
        messages.success(self.request, "Thank you: your application has been received.")
        return redirect("panels:landing", org_slug=self.org.slug)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            panel=self.panel,
            panels=self.panels,
            terms=self.terms,
        )
        return context
