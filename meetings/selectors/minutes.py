"""Published minutes and key messages as the public reads them.

Whether minutes are public is the terms of reference's answer
(``panels.rules.minutes_publication``, the version in force on the meeting's date). Where
the ToR says they are not public (THT), the public sees only the fact of the meeting and its
key messages where the ToR has them: not the minutes, their PDF or their attendance."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q

from meetings.models import (
    KeyMessages,
    Meeting,
    Minutes,
)
from panels import rules
from panels.models import Organisation, Panel, TermsOfReference


@dataclass
class PublicMeetingMinutes:
    meeting: Meeting
    minutes: Minutes | None
    history: list
    key_messages: KeyMessages | None
    attendance_summary: dict
    minutes_withheld: str = ""


def _in_force(versions: list[TermsOfReference], panel_id: int, on) -> TermsOfReference | None:
    """The version in force on a date from a panel's versions (newest first)."""
    return next((v for v in versions if v.panel_id == panel_id and v.effective_from <= on), None)


def minutes_withheld_reason(terms: TermsOfReference | None) -> str:
    """Why a meeting's minutes are not public ("" when they may be): the ToR says so."""
    if terms is None:
        return ""
    answer = rules.minutes_publication(terms)
    if answer.is_public is False:
        return f"{answer.text} ({answer.source})"
    return ""


def _terms_versions(org, panel_ids) -> list[TermsOfReference]:
    return list(
        TermsOfReference.objects.for_org(org)
        .filter(panel_id__in=list(panel_ids))
        .order_by("panel_id", "-effective_from")
    )


def withheld_meeting_ids(*, org: Organisation) -> set[int]:
    """Meetings whose published minutes the public may not read (the ToR in force on their
    date says minutes are not public), in two queries."""
    meetings = list(
        Meeting.objects.for_org(org)
        .filter(minutes_versions__published_on__isnull=False)
        .distinct()
        .values_list("pk", "panel_id", "date")
    )
    versions = _terms_versions(org, {panel_id for _, panel_id, _ in meetings})
    return {
        pk
        for pk, panel_id, date in meetings
        if minutes_withheld_reason(_in_force(versions, panel_id, date))
    }


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
    meetings = list(meetings)
    versions = _terms_versions(org, {m.panel_id for m in meetings})
    result = []
    for meeting in meetings:
        withheld = minutes_withheld_reason(_in_force(versions, meeting.panel_id, meeting.date))
        versions_published = [] if withheld else meeting.published_minutes
        result.append(
            PublicMeetingMinutes(
                meeting=meeting,
                minutes=versions_published[0] if versions_published else None,
                history=versions_published,
                key_messages=meeting.published_key_messages[0]
                if meeting.published_key_messages
                else None,
                # Attendance as counted when the version was published, never re-read.
                attendance_summary=versions_published[0].public_attendance
                if versions_published
                else {},
                minutes_withheld=withheld,
            )
        )
    return result
