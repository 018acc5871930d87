"""The permission matrix: which role may do what to which rows, in one table.

``MATRIX`` maps (subject, action) to the scope each role of the organisation gets:

* ``ALL``: every row of the organisation;
* ``OWN_PANEL``: rows of the panels where the user holds a current seat;
* ``OWN``: rows about the user themself (their own attendance, their own claims);
* nothing listed: no rows at all.

A subject may be ``released`` by a date on the row (papers: once issued). Then every scope
but ``ALL`` reaches only released rows: a member sees the panel's papers once they are
issued, officers before.

A user with several roles gets the union of their scopes. Anyone without a role in the
organisation (a user of another organisation, an anonymous visitor) gets no rows: the
URL's organisation decides, never the user's other roles. Public pages (published
minutes, public calendars, published annual reports) show only what is public and sit
outside this table.

Pages and the API both ask here: ``may`` for one row, ``rows`` to filter a queryset,
``roles_for`` for the roles a page admits at all (panels.access.PolicyAccessMixin), and
panels.api.base for the API's querysets. docs/security.md prints this table;
tests/test_permission_matrix.py tries every entry as every role of the organisation, as
every role of another organisation and anonymously.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from django.db.models import Q, QuerySet
from django.utils import timezone

from panels.models import Role


class Scope(StrEnum):
    ALL = "all"
    OWN_PANEL = "own_panel"
    OWN = "own"


SCOPE_LABELS = {
    Scope.ALL: "all",
    Scope.OWN_PANEL: "own panel",
    Scope.OWN: "own rows",
}


@dataclass(frozen=True)
class Subject:
    """A kind of row the matrix governs, and how to find a row's panel and its owner."""

    key: str
    label: str
    panel: str | None = None  # lookup from the row to its panel's id
    owner: str | None = None  # lookup from the row to the id of the user it is about
    # Lookup to a date that releases the row to every scope but ALL (empty: not released).
    released: str | None = None
    released_label: str = ""


SUBJECTS = {
    s.key: s
    for s in (
        Subject(
            "attendance",
            "Attendance register lines",
            panel="meeting__panel_id",
            owner="membership__person__user_id",
        ),
        Subject(
            "apology_reason",
            "Apology reasons (may be health data)",
            panel="meeting__panel_id",
            owner="membership__person__user_id",
        ),
        Subject("confidential_item", "Confidential agenda items", panel="meeting__panel_id"),
        Subject(
            "paper",
            "Meeting papers",
            panel="item__meeting__panel_id",
            released="item__meeting__papers_issued_on",
            released_label="once issued",
        ),
        Subject("meeting_link", "Meeting video links", panel="panel_id"),
        Subject("evidence", "Scrutiny evidence and its files", panel="panel_id"),
        Subject(
            "expense_claim",
            "Expense claims and receipts",
            panel="membership__panel_id",
            owner="membership__person__user_id",
        ),
        Subject("letter", "Postal letters (names and addresses)"),
        Subject("report", "Board reports (PDF)", panel="panel_id"),
        Subject("history", "History of changes (who changed what, when)"),
        Subject("personal_data", "Everything held about a person (subject access export, erasure)"),
        Subject("retention", "Retention periods (how long records are kept)"),
    )
}

ALL, OWN_PANEL, OWN = Scope.ALL, Scope.OWN_PANEL, Scope.OWN
STAFF_ALL = {Role.OFFICER: ALL, Role.ADMIN: ALL}

MATRIX: dict[tuple[str, str], dict[str, Scope]] = {
    ("attendance", "view"): {**STAFF_ALL, Role.MEMBER: OWN, Role.BOARD: OWN},
    ("attendance", "record"): {**STAFF_ALL},
    ("apology_reason", "view"): {**STAFF_ALL, Role.MEMBER: OWN, Role.BOARD: OWN},
    ("confidential_item", "view"): {**STAFF_ALL, Role.MEMBER: OWN_PANEL},
    ("paper", "download"): {**STAFF_ALL, Role.MEMBER: OWN_PANEL},
    ("meeting_link", "view"): {**STAFF_ALL, Role.MEMBER: OWN_PANEL},
    ("evidence", "view"): {**STAFF_ALL, Role.MEMBER: OWN_PANEL},
    ("evidence", "add"): {**STAFF_ALL},
    ("expense_claim", "view"): {**STAFF_ALL, Role.MEMBER: OWN, Role.BOARD: OWN},
    ("expense_claim", "decide"): {**STAFF_ALL},
    ("letter", "download"): {**STAFF_ALL},
    ("report", "download"): {**STAFF_ALL, Role.BOARD: ALL},
    ("history", "view"): {**STAFF_ALL},
    ("personal_data", "export"): {**STAFF_ALL},
    # Erasure takes two officers: one asks, another confirms (privacy.services).
    ("personal_data", "erase"): {**STAFF_ALL},
    ("retention", "view"): {**STAFF_ALL},
    ("retention", "edit"): {Role.ADMIN: ALL},
}


def _entry(subject: str, action: str) -> dict[str, Scope]:
    try:
        return MATRIX[(subject, action)]
    except KeyError:
        raise KeyError(f"the permission matrix has no entry for {subject!r}, {action!r}") from None


def scopes_of(*, roles: Iterable[str], subject: str, action: str) -> frozenset[Scope]:
    """The scopes a holder of these roles gets (the union over the roles)."""
    entry = _entry(subject, action)
    return frozenset(entry[r] for r in roles if r in entry)


def roles_for(subject: str, action: str) -> frozenset[str]:
    """The roles that get any rows at all: a page for this action admits only these."""
    return frozenset(_entry(subject, action))


# --- Who is asking --------------------------------------------------------------------

# The members app tells us which panels a user sits on (panels sits below members).
SeatPanels = Callable[..., Iterable[int]]
_seat_panels: SeatPanels | None = None


def register_seat_panels(resolver: SeatPanels) -> None:
    """``resolver(*, org, user, on)`` -> ids of the panels where the user holds a current
    seat. Registered by members.apps at start-up."""
    global _seat_panels
    _seat_panels = resolver


@dataclass
class Viewer:
    """A user (or nobody) looking at one organisation's rows, with their roles there."""

    user: object
    org: object
    roles: frozenset[str]
    on: datetime.date = field(default_factory=timezone.localdate)

    @property
    def user_id(self) -> int | None:
        return self.user.pk if getattr(self.user, "is_authenticated", False) else None

    @cached_property
    def seat_panel_ids(self) -> frozenset[int]:
        if self.user_id is None or self.org is None or not self.roles:
            return frozenset()
        if _seat_panels is None:  # pragma: no cover - members is always installed
            raise RuntimeError("no seat resolver registered (members app not ready)")
        return frozenset(_seat_panels(org=self.org, user=self.user, on=self.on))


def viewer_of(request) -> Viewer:
    """The request's viewer, made once per request."""
    viewer = getattr(request, "_panelhub_viewer", None)
    if viewer is None:
        org = getattr(request, "organisation", None)
        roles = frozenset(request.org_roles) if org is not None else frozenset()
        viewer = Viewer(user=request.user, org=org, roles=roles)
        request._panelhub_viewer = viewer
    return viewer


# --- Asking ---------------------------------------------------------------------------


def _attribute(row, lookup: str):
    value = row
    for part in lookup.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def may(viewer: Viewer, subject: str, action: str, row=None, *, panel_id=None) -> bool:
    """May the viewer do this to this row (or to rows of this panel, without a row)?"""
    scopes = scopes_of(roles=viewer.roles, subject=subject, action=action)
    if Scope.ALL in scopes:
        return True
    spec = SUBJECTS[subject]
    if spec.released and row is not None and _attribute(row, spec.released) is None:
        return False
    if Scope.OWN_PANEL in scopes:
        if panel_id is None and row is not None and spec.panel:
            panel_id = _attribute(row, spec.panel)
        if panel_id is not None and panel_id in viewer.seat_panel_ids:
            return True
    if Scope.OWN in scopes and row is not None and spec.owner and viewer.user_id is not None:
        return _attribute(row, spec.owner) == viewer.user_id
    return False


def rows(queryset: QuerySet, viewer: Viewer, subject: str, action: str) -> QuerySet:
    """The rows of the queryset the viewer may see or act on, per the matrix."""
    scopes = scopes_of(roles=viewer.roles, subject=subject, action=action)
    if Scope.ALL in scopes:
        return queryset
    spec = SUBJECTS[subject]
    allowed = Q(pk__in=[])
    if Scope.OWN_PANEL in scopes and spec.panel:
        allowed |= Q(**{f"{spec.panel}__in": sorted(viewer.seat_panel_ids)})
    if Scope.OWN in scopes and spec.owner and viewer.user_id is not None:
        allowed |= Q(**{spec.owner: viewer.user_id})
    if spec.released:
        allowed &= Q(**{f"{spec.released}__isnull": False})
    return queryset.filter(allowed)


def released_to(viewer: Viewer, subject: str, action: str, *, released: bool) -> bool:
    """Whether rows of a released subject are open to the viewer: released ones to every
    scope, unreleased ones only to ALL (officers)."""
    if released or not SUBJECTS[subject].released:
        return True
    return Scope.ALL in scopes_of(roles=viewer.roles, subject=subject, action=action)


def matrix_markdown() -> str:
    """The matrix as the Markdown table docs/security.md prints (a test keeps them equal)."""
    roles = [str(role) for role in Role]
    lines = [
        "| rows | action | "
        + " | ".join(roles)
        + " | no role here (other organisations, anonymous) |",
        "|---|---|" + "---|" * (len(roles) + 1),
    ]
    for (subject, action), entry in MATRIX.items():
        spec = SUBJECTS[subject]

        def cell(scope, spec=spec):
            label = SCOPE_LABELS[scope]
            return f"{label}, {spec.released_label}" if spec.released and scope != ALL else label

        cells = [cell(entry[r]) if r in entry else "-" for r in roles]
        lines.append(f"| {SUBJECTS[subject].label} | {action} | " + " | ".join(cells) + " | - |")
    return "\n".join(lines)
