"""Pages anyone may read: a panel's public page and its terms of reference in plain English.

The start page, an organisation's landing page and /healthz gather from several apps, so
they live in the site layer (home.views)."""

from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView

from panels.access import PublicAccessMixin, access_panel_by_slug_public
from panels.rules import terms_review_state
from panels.selectors import (
    terms_versions,
)
from panels.terms_text import terms_statements

OVERVIEW_ROWS = 10


class PanelPublicView(PublicAccessMixin, TemplateView):
    """A panel's public page: purpose, rules in force, published papers. No login."""

    template_name = "panels/panel_public.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["panel"] = access_panel_by_slug_public(
            org=self.org, panel_slug=self.kwargs["panel_slug"]
        )
        return context


class PanelTermsView(PublicAccessMixin, TemplateView):
    """The rules of a panel's terms of reference in plain English: the version in force
    today, or an earlier (or later) version by id, with links to every version."""

    template_name = "panels/panel_terms.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        panel = access_panel_by_slug_public(org=self.org, panel_slug=self.kwargs["panel_slug"])
        today = timezone.localdate()
        versions = list(terms_versions(panel=panel))  # newest first, deadlines prefetched
        in_force = next((v for v in versions if v.effective_from <= today), None)
        terms_id = self.kwargs.get("termsofreference_id")
        if terms_id is None:
            shown = in_force
        else:
            shown = next((v for v in versions if v.pk == terms_id), None)
            if shown is None:
                raise Http404("No such version.")
        until = None
        if shown is not None:
            later = [v for v in versions if v.effective_from > shown.effective_from]
            until = min((v.effective_from for v in later), default=None)
        context.update(
            panel=panel,
            terms=shown,
            in_force=in_force,
            until=until,
            versions=versions,
            today=today,
            review=terms_review_state(shown, today) if shown else None,
            sections=terms_statements(shown, shown.deadlines.all()) if shown else [],
        )
        return context
