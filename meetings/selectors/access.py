"""Access: a meeting by id, and who may see a panel's confidential items."""

from __future__ import annotations

import datetime

from meetings.models import Meeting
from panels import permissions
from panels.models import Organisation, Panel
from panels.tenancy import get_for_org_or_404


def access_meeting_by_id(*, org: Organisation, meeting_id) -> Meeting:
    """The meeting of org with this id, or the one 404 for missing and foreign rows alike."""
    return get_for_org_or_404(Meeting, org=org, pk=meeting_id)


def papers_released(*, viewer, meeting: Meeting) -> bool:
    """May the viewer see this meeting's papers yet? Once issued, whoever may see the
    panel's papers; before, only officers (the matrix's "once issued", panels.permissions)."""
    return permissions.released_to(
        viewer, "paper", "download", released=meeting.papers_issued_on is not None
    )


def is_panel_insider(*, user, roles, panel: Panel, on: datetime.date) -> bool:
    """May this user see the panel's confidential items? The permission matrix decides
    (panels.permissions): officers and admins, and the panel's current members; not the
    Board, other panels or the public."""
    viewer = permissions.Viewer(user=user, org=panel.organisation, roles=frozenset(roles), on=on)
    return permissions.may(viewer, "confidential_item", "view", panel_id=panel.pk)
