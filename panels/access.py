"""Who may see what: one mixin per audience, and access helpers (Zulip's access_*_by_id).

Views split by audience (public, member, board, officer) each inherit one of
these mixins, so the permission boundary shows in the code's layout.
"""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from panels.errors import NoRoleInOrganisation
from panels.models import Organisation, Panel, Role
from panels.tenancy import get_for_org_or_404

ANY_ROLE = frozenset({Role.MEMBER, Role.OFFICER, Role.BOARD, Role.ADMIN})
STAFF = frozenset({Role.OFFICER, Role.ADMIN})
BOARD_OR_STAFF = frozenset({Role.BOARD, Role.OFFICER, Role.ADMIN})


def require_roles(request, allowed: frozenset[str]) -> None:
    """Raise NoRoleInOrganisation (403, explained) unless the user holds an allowed role."""
    org: Organisation | None = request.organisation
    if org is None:
        raise Http404("No organisation in this address.")
    if not set(request.org_roles) & set(allowed):
        labels = [f"{Role(r).label.lower()}s" for r in sorted(allowed)]
        names = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
        raise NoRoleInOrganisation(
            f"This page is for {names} of {org.name}; your account holds no such role there."
        )


class OrganisationMixin:
    """Gives the view self.org, resolved by the middleware."""

    def dispatch(self, request, *args, **kwargs):
        self.org: Organisation = request.organisation
        if self.org is None:
            raise Http404("No organisation in this address.")
        return super().dispatch(request, *args, **kwargs)


class PublicAccessMixin(OrganisationMixin):
    """Pages anyone may read, signed in or not. Never shows confidential or personal data."""

    public = True


class RoleRequiredMixin(OrganisationMixin):
    allowed_roles: frozenset[str] = ANY_ROLE
    public = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.org = request.organisation
        require_roles(request, self.allowed_roles)
        return super().dispatch(request, *args, **kwargs)


class MemberAccessMixin(RoleRequiredMixin):
    allowed_roles = ANY_ROLE


class BoardAccessMixin(RoleRequiredMixin):
    allowed_roles = BOARD_OR_STAFF


class OfficerAccessMixin(RoleRequiredMixin):
    allowed_roles = STAFF


def access_panel_by_slug(*, org: Organisation, panel_slug: str) -> Panel:
    """The panel of org with this slug, or the one 404 for missing and foreign panels alike."""
    return get_for_org_or_404(Panel, org=org, slug=panel_slug)


def access_panel_by_slug_public(*, org: Organisation, panel_slug: str) -> Panel:
    panel = access_panel_by_slug(org=org, panel_slug=panel_slug)
    if not panel.is_public:
        raise Http404("No panel here.")
    return panel
