"""Published minutes and key messages as the public reads them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q

from meetings.models import (
    KeyMessages,
    Meeting,
    Minutes,
)
from panels.models import Panel


@dataclass
class PublicMeetingMinutes:
    meeting: Meeting
    minutes: Minutes | None
    history: list
    key_messages: KeyMessages | None
    attendance_summary: dict


def public_minutes(*, panel: Panel) -> list[PublicMeetingMinutes]:
    """Published minutes and key messages of a panel's meetings, newest first: only the text
    frozen at publication (confidential items left out)."""
    org = panel.organisation
    meetings = Meeting.objects.for_org(org).filter(panel=panel)
    return _public_minutes(org, meetings)


def public_minutes_for_meeting(*, meeting: Meeting) -> list[PublicMeetingMinutes]:
    return _public_minutes(
        meeting.organisation, Meeting.objects.for_org(meeting.organisation_id).filter(pk=meeting.pk)
    )


def _public_minutes(org, meetings) -> list[PublicMeetingMinutes]:
    meetings = (
        meetings.filter(
            Q(minutes_versions__published_on__isnull=False)
            | Q(key_messages__published_on__isnull=False)
        )
        .distinct()
        .prefetch_related(
            Prefetch(
                "minutes_versions",
                queryset=Minutes.objects.for_org(org)
                .filter(published_on__isnull=False)
                .select_related("approved_at")
                .order_by("-version"),
                to_attr="published_minutes",
            ),
            Prefetch(
                "key_messages",
                queryset=KeyMessages.objects.for_org(org)
                .filter(published_on__isnull=False)
                .order_by("-version"),
                to_attr="published_key_messages",
            ),
        )
        .order_by("-date")
    )
    result = []
    for meeting in meetings:
        versions = meeting.published_minutes
        # Attendance as counted when the version was published, never re-read.
        summary = versions[0].public_attendance if versions else {}
        result.append(
            PublicMeetingMinutes(
                meeting=meeting,
                minutes=versions[0] if versions else None,
                history=versions,
                key_messages=meeting.published_key_messages[0]
                if meeting.published_key_messages
                else None,
                attendance_summary=summary,
            )
        )
    return result
