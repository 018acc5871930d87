"""The site layer's pages: they gather from several apps, so they live above all of them.

The start page (choose an organisation), an organisation's landing page with the officer's
at-a-glance (notices due, failed and breaches from notices), /healthz (database, broker
and the notice dispatcher) and /healthz/ping."""

import datetime

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.generic import TemplateView

from home.health import broker_state, database_state, notices_state
from meetings.selectors import cadence_for_panels
from notices.selectors import (
    breach_counts_by_panel,
    due_soon_by_occasion,
    notice_counts,
)
from panels import rules
from panels.access import STAFF, PublicAccessMixin
from panels.selectors import (
    organisation_list_public,
    organisation_roles_for_user,
    panel_list_for_user,
    panel_list_public,
    terms_in_force_for_panels,
)
from privacy.retention import retention_last_run
from scrutiny.selectors import priorities_reviews_due

OVERVIEW_ROWS = 10


class HomeView(TemplateView):
    """Choose an organisation: yours first, then every organisation's public page."""

    template_name = "home/home.html"
    public = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["my_organisations"] = (
            organisation_roles_for_user(user=user) if user.is_authenticated else {}
        )
        context["organisations"] = organisation_list_public()
        return context


class OrganisationLandingView(PublicAccessMixin, TemplateView):
    """The user's panels and role in this organisation; the public panels for everyone else."""

    template_name = "home/organisation_landing.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roles = frozenset(self.request.org_roles)
        context["roles"] = sorted(roles)
        context["my_panels"] = (
            list(panel_list_for_user(user=self.request.user, org=self.org, roles=roles))
            if roles
            else []
        )
        context["public_panels"] = list(panel_list_public(org=self.org))
        if roles & STAFF:
            context.update(self._officer_overview(context["my_panels"]))
            for panel in context["my_panels"]:
                panel.breaches_this_year = context["breach_counts"].get(panel.pk, 0)
                panel.cadence = context["cadence_of"].get(panel.pk)
        return context

    def _officer_overview(self, panels) -> dict:
        """Every deadline and breach at a glance: what goes out in the next 7 days, what
        failed, this year's breaches per panel, the terms of reference due for review or
        with no review date, work-plan priorities due for their review (HFH: six-monthly),
        each panel's meeting cadence as of today (the one judgement the programme, compliance
        page and Board report use) and what the last retention run removed; a fixed number of
        queries whatever the numbers."""
        now = timezone.now()
        today = timezone.localdate()
        in_force = terms_in_force_for_panels(org=self.org, panels=panels, on=today)
        terms_reviews = [
            (panel, review)
            for panel in panels
            if panel.pk in in_force
            for review in [rules.terms_review_state(in_force[panel.pk], today)]
            if review.status != "not_due"
        ]
        priorities_due = priorities_reviews_due(org=self.org, terms_by_panel=in_force, today=today)
        priority_reviews = [(p, priorities_due[p.pk]) for p in panels if p.pk in priorities_due]
        due_soon = due_soon_by_occasion(org=self.org, now=now)[:OVERVIEW_ROWS]
        breaches = breach_counts_by_panel(
            org=self.org, start=datetime.date(today.year, 1, 1), end=today
        )
        cadence_of = cadence_for_panels(org=self.org, terms_by_panel=in_force, today=today)
        return {
            "cadence_of": cadence_of,
            "cadence_at_risk": [
                (panel, cadence_of[panel.pk])
                for panel in panels
                if panel.pk in cadence_of and cadence_of[panel.pk].at_risk
            ],
            "due_soon": due_soon,
            "notice_counts": notice_counts(org=self.org),
            "breach_counts": breaches,
            "breaches_total": sum(breaches.values()),
            "overview_year": today.year,
            "terms_reviews": terms_reviews,
            "priority_reviews": priority_reviews,
            "retention_run": retention_last_run(org=self.org),
        }


def healthz(request):
    """For the load balancer: "ok" (200) or "degraded" (503) when the database or the broker
    is down, or the notice dispatcher is behind (a due notice waiting past its threshold, or
    no fresh worker heartbeat). Anonymous callers get the status only; staff get each
    part's detail (docs/operations.md, "What to watch")."""
    database = database_state(connection)
    broker = broker_state()
    notices = notices_state() if database["ok"] else {"ok": False}
    healthy = database["ok"] and broker["ok"] and notices["ok"]
    body = {"status": "ok" if healthy else "degraded"}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and (user.is_staff or user.is_superuser):
        body.update(database=database, broker=broker, notices=notices)
    return JsonResponse(body, status=200 if healthy else 503)


healthz.public = True


def ping(request):
    """A trivial answer with no database or broker work: the yardstick the load benchmark
    (bench/load.py) compares every page with, and a liveness probe for a proxy."""
    return HttpResponse("ok\n", content_type="text/plain")


ping.public = True
