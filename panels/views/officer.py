"""Officer pages: a panel's terms-of-reference versions, revising them, closure days."""

from django.contrib import messages
from django.forms.models import model_to_dict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from panels.access import OfficerAccessMixin, access_panel_by_slug
from panels.errors import RuleViolation
from panels.forms import ClosureDayForm, DeadlineFormSet, TermsReviseForm, deadline_rows
from panels.models import ClosureDay
from panels.rules import terms_review_due
from panels.selectors import closure_days, terms_latest, terms_versions
from panels.services import (
    closure_day_add,
    closure_day_remove,
    terms_revise,
    terms_rule_fields,
)
from panels.tenancy import get_for_org_or_404


class TermsVersionListView(OfficerAccessMixin, TemplateView):
    """Every version of a panel's ToR: effective ranges, the one in force, review due."""

    template_name = "panels/officer/terms_versions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        panel = access_panel_by_slug(org=self.org, panel_slug=self.kwargs["panel_slug"])
        today = timezone.localdate()
        versions = list(terms_versions(panel=panel))  # newest first
        rows = []
        in_force_seen = False
        next_start = None
        for version in versions:
            in_force = not in_force_seen and version.effective_from <= today
            in_force_seen = in_force_seen or in_force
            rows.append(
                {
                    "terms": version,
                    "until": next_start,
                    "in_force": in_force,
                    "future": version.effective_from > today,
                    "review_due": in_force and terms_review_due(version, today),
                }
            )
            next_start = version.effective_from
        context.update(panel=panel, rows=rows, today=today)
        return context


class TermsReviseView(OfficerAccessMixin, TemplateView):
    """The next version of a panel's ToR: every rule, prefilled from the newest version."""

    template_name = "panels/officer/terms_revise.html"

    def _panel_and_latest(self):
        panel = access_panel_by_slug(org=self.org, panel_slug=self.kwargs["panel_slug"])
        return panel, terms_latest(panel=panel)

    def get(self, request, *args, **kwargs):
        panel, latest = self._panel_and_latest()
        initial = {}
        deadlines = []
        if latest:
            initial = model_to_dict(latest, fields=terms_rule_fields())
            deadlines = [
                {k: getattr(d, k) for k in ("kind", "amount", "unit", "direction", "channel")}
                for d in latest.deadlines.all()
            ]
        form = TermsReviseForm(initial=initial)
        formset = DeadlineFormSet(initial=deadlines, prefix="deadlines")
        return self.render_to_response(self._context(panel, latest, form, formset, []))

    def post(self, request, *args, **kwargs):
        panel, latest = self._panel_and_latest()
        form = TermsReviseForm(request.POST)
        formset = DeadlineFormSet(request.POST, prefix="deadlines")
        deadline_errors: list[str] = []
        if form.is_valid() and formset.is_valid():
            fields = terms_rule_fields()
            try:
                terms = terms_revise(
                    panel=panel,
                    effective_from=form.cleaned_data["effective_from"],
                    approved_on=form.cleaned_data.get("approved_on"),
                    approved_by=form.cleaned_data.get("approved_by") or "",
                    review_due_on=form.cleaned_data.get("review_due_on"),
                    change_note=form.cleaned_data.get("change_note") or "",
                    changes=form.rule_changes(fields),
                    deadlines=deadline_rows(formset),
                    by=request.user,
                )
            except RuleViolation as refused:
                for reason in refused.reasons:
                    if reason.field == "deadlines":
                        deadline_errors.append(reason.message)
                    elif reason.field in form.fields:
                        form.add_error(reason.field, reason.message)
                    else:
                        form.add_error(None, str(reason))
            else:
                messages.success(
                    request,
                    f"Version {terms.version} saved; in force from "
                    f"{terms.effective_from:%d %B %Y}.",
                )
                return redirect(
                    reverse(
                        "panels:terms_versions",
                        kwargs={"org_slug": self.org.slug, "panel_slug": panel.slug},
                    )
                )
        context = self._context(panel, latest, form, formset, deadline_errors)
        return self.render_to_response(context, status=400)

    def _context(self, panel, latest, form, formset, deadline_errors):
        return self.get_context_data(
            panel=panel,
            latest=latest,
            form=form,
            formset=formset,
            deadline_errors=deadline_errors,
        )


class ClosureDayListView(OfficerAccessMixin, TemplateView):
    """The organisation's closure days (not working days): add and remove."""

    template_name = "panels/officer/closure_days.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self._context(ClosureDayForm()))

    def post(self, request, *args, **kwargs):
        if "remove" in request.POST:
            day = get_for_org_or_404(ClosureDay, org=self.org, pk=request.POST.get("remove"))
            closure_day_remove(org=self.org, closure_day=day, by=request.user)
            messages.success(request, f"{day.date:%A %d %B %Y} is a working day again.")
            return redirect(self._url())
        form = ClosureDayForm(request.POST)
        if form.is_valid():
            try:
                day = closure_day_add(
                    org=self.org,
                    date=form.cleaned_data["date"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except RuleViolation as refused:
                refused.add_to_form(form)
            else:
                messages.success(request, f"{day.date:%A %d %B %Y} added as a closure day.")
                return redirect(self._url())
        return self.render_to_response(self._context(form), status=400)

    def _url(self) -> str:
        return reverse("panels:closure_days", kwargs={"org_slug": self.org.slug})

    def _context(self, form):
        today = timezone.localdate()
        return self.get_context_data(
            form=form,
            upcoming=list(closure_days(org=self.org, since=today)),
            past_count=closure_days(org=self.org).filter(date__lt=today).count(),
        )
