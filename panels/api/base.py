"""The API's one access boundary: every viewset is scoped to the organisation in its URL."""

from rest_framework import permissions, viewsets

from panels.access import ANY_ROLE, BOARD_OR_STAFF, STAFF


class HasOrganisationRole(permissions.BasePermission):
    """The user holds one of the view's roles in the organisation of the URL.

    Reads need ``read_roles``; writes need ``write_roles`` (officers and admins by default).
    """

    message = "Your account holds no role in this organisation that allows this."

    def has_permission(self, request, view) -> bool:
        if request.organisation is None or not request.user.is_authenticated:
            return False
        roles = set(request.org_roles)
        if request.method in permissions.SAFE_METHODS:
            return bool(roles & set(view.read_roles))
        return bool(roles & set(view.write_roles))


class OrganisationViewSetMixin:
    """Gives self.org; subclasses return querysets through .for_org(self.org)."""

    permission_classes = [permissions.IsAuthenticated, HasOrganisationRole]
    read_roles = ANY_ROLE
    write_roles = STAFF

    def initial(self, request, *args, **kwargs):
        self.org = request.organisation
        super().initial(request, *args, **kwargs)


class OrganisationReadOnlyViewSet(OrganisationViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


__all__ = ["BOARD_OR_STAFF", "OrganisationReadOnlyViewSet", "OrganisationViewSetMixin"]
