"""Reads about organisations, roles and panels."""

import datetime

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


# --- Terms of reference -------------------------------------------------------------


def terms_versions(*, panel: Panel) -> QuerySet:
    from panels.models import TermsOfReference

    return (
        TermsOfReference.objects.for_org(panel.organisation_id)
        .filter(panel=panel)
        .prefetch_related("deadlines")
        .order_by("-effective_from")
    )


def terms_in_force(*, panel: Panel, on: datetime.date):
    """The ToR version in force on a date (the latest effective on or before it), or None."""
    return terms_versions(panel=panel).filter(effective_from__lte=on).first()


def terms_in_force_for_panels(*, org: Organisation, panels, on: datetime.date) -> dict[int, object]:
    """{panel id: version in force on the date} for many panels in one query."""
    from panels.models import TermsOfReference

    versions = (
        TermsOfReference.objects.for_org(org)
        .filter(panel__in=list(panels), effective_from__lte=on)
        .prefetch_related("deadlines")
        .order_by("panel_id", "-effective_from")
    )
    in_force: dict[int, object] = {}
    for version in versions:
        in_force.setdefault(version.panel_id, version)
    return in_force


def terms_versions_for_panels(
    *, org: Organisation, panels, until: datetime.date
) -> dict[int, list]:
    """{panel id: its ToR versions effective on or before ``until``, newest first} for many
    panels in one query (and one for their deadlines). A page that needs the version in force
    on several dates (each meeting's) picks it with ``version_in_force``, querying no more."""
    from panels.models import TermsOfReference

    versions = (
        TermsOfReference.objects.for_org(org)
        .filter(panel__in=list(panels), effective_from__lte=until)
        .prefetch_related("deadlines")
        .order_by("panel_id", "-effective_from", "-version")
    )
    by_panel: dict[int, list] = {}
    for version in versions:
        by_panel.setdefault(version.panel_id, []).append(version)
    return by_panel


def version_in_force(versions: list, on: datetime.date):
    """Of one panel's versions (newest first, as terms_versions_for_panels gives them), the
    one in force on the date, as terms_in_force: the latest effective on or before it."""
    return next((v for v in versions if v.effective_from <= on), None)


def working_calendar(*, org: Organisation):
    """The organisation's working-day calendar: its nation's bank holidays and its closures."""
    from panels.models import ClosureDay
    from panels.rules import WorkingCalendar

    closures = ClosureDay.objects.for_org(org).values_list("date", flat=True)
    return WorkingCalendar(nation=org.nation, closures=frozenset(closures))


def terms_version(*, panel: Panel, terms_id: int):
    """One version of the panel's ToR, or the one 404 for missing and foreign rows."""
    from panels.models import TermsOfReference
    from panels.tenancy import get_for_org_or_404

    return get_for_org_or_404(TermsOfReference, org=panel.organisation_id, panel=panel, pk=terms_id)


def terms_latest(*, panel: Panel):
    """The newest version (possibly not yet in force), which the next revision starts from."""
    return terms_versions(panel=panel).order_by("-version").first()


def closure_days(*, org: Organisation, since: datetime.date | None = None) -> QuerySet:
    from panels.models import ClosureDay

    days = ClosureDay.objects.for_org(org).order_by("date")
    return days.filter(date__gte=since) if since else days
