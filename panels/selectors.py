"""Reads about organisations, roles and panels."""

from django.db.models import QuerySet

from panels.models import STAFF_ROLES, Organisation, OrganisationRole, Panel, Role


def organisation_roles(user, org: Organisation) -> frozenset[str]:
    """The roles the user holds in org (empty for anonymous users)."""
    if not user.is_authenticated:
        return frozenset()
    return frozenset(
        OrganisationRole.objects.filter(user=user, organisation=org).values_list("role", flat=True)
    )


def organisation_roles_for_user(*, user) -> dict[Organisation, list[str]]:
    """Every organisation the user holds a role in, with the roles, for the chooser."""
    grouped: dict[Organisation, list[str]] = {}
    for org_role in OrganisationRole.objects.filter(user=user).select_related("organisation"):
        grouped.setdefault(org_role.organisation, []).append(org_role.get_role_display())
    return grouped


def organisations_administered_by(user) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        roles__user=user, roles__role__in=list(STAFF_ROLES)
    ).distinct()


def organisation_list_public() -> QuerySet[Organisation]:
    return Organisation.objects.order_by("name")


def panel_list(*, org: Organisation) -> QuerySet[Panel]:
    return Panel.objects.for_org(org).order_by("name")


def panel_list_public(*, org: Organisation) -> QuerySet[Panel]:
    return panel_list(org=org).filter(is_public=True)


def panel_list_for_user(*, user, org: Organisation, roles: frozenset[str]) -> QuerySet[Panel]:
    """Panels the user works with: every panel for staff and board, their own seats for members."""
    if roles & {Role.OFFICER, Role.ADMIN, Role.BOARD}:
        return panel_list(org=org)
    if Role.MEMBER in roles:
        return (
            panel_list(org=org)
            .filter(memberships__person__user=user, memberships__status__in=["active", "on_leave"])
            .distinct()
        )
    return panel_list(org=org).none()
