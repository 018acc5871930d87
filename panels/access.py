"""Who may see what: one mixin per audience, and access helpers (Zulip's access_*_by_id).

Views split by audience (public, member, board, officer) each inherit one of
these mixins, so the permission boundary shows in the code's layout.
"""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from panels import permissions
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


class PolicyAccessMixin(RoleRequiredMixin):
    """A page for one (subject, action) of the permission matrix: it admits the roles the
    matrix gives any rows to, and offers self.viewer for the row-level checks."""

    policy: tuple[str, str]

    def dispatch(self, request, *args, **kwargs):
        self.allowed_roles = permissions.roles_for(*self.policy)
        self.viewer = permissions.viewer_of(request)
        return super().dispatch(request, *args, **kwargs)


def access_row(model, *, request, subject: str, action: str, **lookup):
    """The organisation's row matching lookup if the matrix lets the request's user do
    ``action`` to it; a missing row, a foreign row and a forbidden row are the same 404."""
    viewer = permissions.viewer_of(request)
    queryset = permissions.rows(
        model.objects.for_org(request.organisation), viewer, subject, action
    )
    try:
        return queryset.get(**lookup)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"No {model._meta.verbose_name} here.") from None


def require_policy(request, subject: str, action: str, *, panel, what: str) -> None:
    """Refuse (403, explained) a page about a panel's rows the user may not see at all."""
    viewer = permissions.viewer_of(request)
    if not permissions.may(viewer, subject, action, panel_id=panel.pk):
        raise NoRoleInOrganisation(
            f"{what} of {panel.name} are for the panel's own members and the "
            f"organisation's officers."
        )


def access_panel_by_slug(*, org: Organisation, panel_slug: str) -> Panel:
    """The panel of org with this slug, or the one 404 for missing and foreign panels alike."""
    return get_for_org_or_404(Panel, org=org, slug=panel_slug)


def access_panel_by_slug_public(*, org: Organisation, panel_slug: str) -> Panel:
    panel = access_panel_by_slug(org=org, panel_slug=panel_slug)
    if not panel.is_public:
        raise Http404("No panel here.")
    return panel
