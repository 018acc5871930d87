"""Helpers shared by the meetings services: the terms for a meeting, refusals, row locks."""

from __future__ import annotations

from meetings.models import (
    Meeting,
    MeetingStatus,
)
from panels.errors import Reason, RuleViolation
from panels.selectors import terms_in_force

MEETING_AUDIT_FIELDS = [
    "date",
    "start_time",
    "end_time",
    "place",
    "virtual_link",
    "status",
    "notice_given_on",
    "papers_issued_on",
    "minutes_published_on",
    "key_messages_published_on",
    "presiding_basis",
    "presiding_membership",
]


APP_SOURCE = "PanelHub meetings"


def _refuse(code: str, message: str, *, field: str | None = None, source: str = APP_SOURCE):
    raise RuleViolation([Reason(code=code, message=message, field=field, source=source)])


def terms_for_meeting(meeting: Meeting):
    """The ToR version in force on the meeting's date, or a refusal saying there is none."""
    terms = terms_in_force(panel=meeting.panel, on=meeting.date)
    if terms is None:
        _refuse(
            "terms.none_in_force",
            f"{meeting.panel} has no terms of reference in force on {meeting.date:%d %B %Y}.",
        )
    return terms


def _lock(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.for_org(meeting.organisation_id)
        .select_for_update(of=("self",))
        .select_related("panel", "organisation")
        .get(pk=meeting.pk)
    )


def _refuse_unless_open(meeting: Meeting, action: str) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        _refuse("meeting.cancelled", f"The meeting was cancelled: cannot {action}.")
