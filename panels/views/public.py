"""Pages anyone may read: the organisation chooser, an organisation's landing page,
a panel's public page, and /healthz."""

from django.db import connection
from django.http import JsonResponse
from django.views.generic import TemplateView

from panels.access import PublicAccessMixin, access_panel_by_slug_public
from panels.health import broker_state, database_state, notices_state
from panels.selectors import (
    organisation_list_public,
    organisation_roles_for_user,
    panel_list_for_user,
    panel_list_public,
)


class HomeView(TemplateView):
    """Choose an organisation: yours first, then every organisation's public page."""

    template_name = "panels/home.html"
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

    template_name = "panels/organisation_landing.html"

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
        return context


class PanelPublicView(PublicAccessMixin, TemplateView):
    """A panel's public page: purpose, rules in force, published papers. No login."""

    template_name = "panels/panel_public.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["panel"] = access_panel_by_slug_public(
            org=self.org, panel_slug=self.kwargs["panel_slug"]
        )
        return context


def healthz(request):
    """Database, broker and notice dispatcher state as JSON; 503 when the database is down."""
    database = database_state(connection)
    broker = broker_state()
    notices = notices_state() if database["ok"] else {"ok": False}
    healthy = database["ok"] and broker["ok"]
    return JsonResponse(
        {
            "status": "ok" if healthy else "degraded",
            "database": database,
            "broker": broker,
            "notices": notices,
        },
        status=200 if database["ok"] else 503,
    )


healthz.public = True
