"""Access: a meeting by id, and who may see a panel's confidential items."""

from __future__ import annotations

import datetime

from meetings.models import Meeting
from members.selectors import current_memberships
from panels.access import STAFF
from panels.models import Organisation, Panel
from panels.tenancy import get_for_org_or_404


def access_meeting_by_id(*, org: Organisation, meeting_id) -> Meeting:
    """The meeting of org with this id, or the one 404 for missing and foreign rows alike."""
    return get_for_org_or_404(Meeting, org=org, pk=meeting_id)


def is_panel_insider(*, user, roles, panel: Panel, on: datetime.date) -> bool:
    """Officers and admins, and current members of the panel, may see confidential items;
    everyone else (board, other panels, the public) may not."""
    if set(roles) & set(STAFF):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return current_memberships(panel=panel, on=on).filter(person__user=user).exists()
