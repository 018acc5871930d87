"""Minutes and key messages: writing, approving, correcting and publishing them."""

from __future__ import annotations

import datetime
import re

from django.db import transaction

from meetings.models import (
    ActionPoint,
    AgendaItem,
    KeyMessages,
    Meeting,
    MeetingStatus,
    MinuteEntry,
    Minutes,
)
from meetings.selectors.minutes_draft import minutes_record, minutes_with_rows, public_version
from meetings.services._common import _lock, _refuse, terms_for_meeting
from members.selectors import current_memberships
from panels import rules
from panels.audit import audit_record
from panels.errors import Reason, raise_if

EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


PHONE_PATTERN = re.compile(r"(?<!\d)(\+44\s?|0)(\d[\s-]?){9,10}(?!\d)")


def redact_personal_data(text: str, names: list[str]) -> str:
    """Remove people's names, email addresses and phone numbers from text meant for the public."""
    text = EMAIL_PATTERN.sub("[email removed]", text)
    text = PHONE_PATTERN.sub("[phone removed]", text)
    for name in sorted({n for n in names if n and len(n) > 2}, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(name)}\b", "a member", text, flags=re.IGNORECASE)
    return text


def _redacted(entries: list[dict], names: list[str]) -> list[dict]:
    def clean(text):
        return redact_personal_data(text, names)

    return [
        {
            **entry,
            "title": clean(entry["title"]),
            "text": clean(entry["text"]),
            "motions": [{**m, "text": clean(m["text"])} for m in entry["motions"]],
            "actions": [
                {**a, "description": clean(a["description"]), "owner": clean(a["owner"])}
                for a in entry["actions"]
            ],
        }
        for entry in entries
    ]


def _people_names(meeting: Meeting) -> list[str]:
    from members.models import Person

    names = []
    for first, last in Person.objects.for_org(meeting.organisation_id).values_list(
        "first_name", "last_name"
    ):
        names.extend([f"{first} {last}", last])
    return names


def _lock_minutes(minutes: Minutes) -> Minutes:
    return (
        Minutes.objects.for_org(minutes.organisation_id)
        .select_for_update(of=("self",))
        .select_related("meeting__panel", "meeting__organisation")
        .get(pk=minutes.pk)
    )


def _refuse_if_published(minutes: Minutes) -> None:
    if minutes.is_published:
        _refuse(
            "minutes.published",
            f"Version {minutes.version} was published on {minutes.published_on:%d %B %Y} and "
            "cannot change: start a correction (a new version with a note).",
        )


@transaction.atomic
def minutes_start(*, meeting: Meeting, by=None) -> Minutes:
    """Open the first draft of the minutes, one entry per agenda item."""
    existing = (
        Minutes.objects.for_org(meeting.organisation_id)
        .filter(meeting=meeting)
        .order_by("-version")
        .first()
    )
    if existing is not None:
        return existing
    if meeting.status == MeetingStatus.CANCELLED:
        _refuse("meeting.cancelled", "The meeting was cancelled: it has no minutes.")
    minutes = Minutes.objects.create(
        organisation_id=meeting.organisation_id,
        meeting=meeting,
        version=1,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    MinuteEntry.objects.bulk_create(
        MinuteEntry(organisation_id=meeting.organisation_id, minutes=minutes, item=item)
        for item in AgendaItem.objects.for_org(meeting.organisation_id).filter(meeting=meeting)
    )
    audit_record(org=meeting.organisation, actor=by, action="minutes.started", obj=minutes)
    return minutes


@transaction.atomic
def minute_entry_write(*, entry: MinuteEntry, text: str, by=None) -> MinuteEntry:
    """The secretary's minute of one item; refused once the version is published."""
    minutes = _lock_minutes(entry.minutes)
    _refuse_if_published(minutes)
    entry = MinuteEntry.objects.for_org(entry.organisation_id).get(pk=entry.pk)
    before = {"text": entry.text}
    entry.text = text
    entry.save(update_fields=["text"])
    audit_record(
        org=minutes.meeting.organisation,
        actor=by,
        action="minutes.entry_written",
        obj=entry,
        before=before,
        after={"text": text},
    )
    return entry


@transaction.atomic
def action_point_add(
    *,
    minutes: Minutes,
    description: str,
    owner: str,
    due_on: datetime.date,
    item: AgendaItem | None = None,
    by=None,
) -> ActionPoint:
    minutes = _lock_minutes(minutes)
    _refuse_if_published(minutes)
    reasons = []
    if not description.strip():
        reasons.append(Reason("action.description", "Describe the action.", "description"))
    if not owner.strip():
        reasons.append(Reason("action.owner", "Say who owns the action.", "owner"))
    if due_on < minutes.meeting.date:
        reasons.append(
            Reason("action.due_on", "An action cannot be due before the meeting.", "due_on")
        )
    raise_if(reasons)
    action = ActionPoint.objects.create(
        organisation_id=minutes.organisation_id,
        minutes=minutes,
        item=item,
        description=description.strip(),
        owner=owner.strip(),
        due_on=due_on,
    )
    audit_record(
        org=minutes.meeting.organisation,
        actor=by,
        action="minutes.action_added",
        obj=action,
        after={"owner": owner, "due_on": due_on.isoformat()},
    )
    return action


@transaction.atomic
def minutes_approve(*, minutes: Minutes, at_meeting: Meeting, by=None) -> Minutes:
    """Minutes are approved at the panel's next meeting."""
    minutes = _lock_minutes(minutes)
    meeting = minutes.meeting
    if at_meeting.panel_id != meeting.panel_id or (at_meeting.date, at_meeting.start_time) <= (
        meeting.date,
        meeting.start_time,
    ):
        _refuse(
            "minutes.approve_next_meeting",
            "Minutes are approved at a later meeting of the same panel.",
            field="at_meeting",
        )
    if minutes.approved_at_id:
        _refuse("minutes.approved", "These minutes are already approved.")
    minutes.approved_at = at_meeting
    minutes.approved_on = at_meeting.date
    minutes.save(update_fields=["approved_at", "approved_on"])
    audit_record(
        org=meeting.organisation,
        actor=by,
        action="minutes.approved",
        obj=minutes,
        after={"approved_at": at_meeting.pk},
    )
    return minutes


@transaction.atomic
def minutes_publish(*, minutes: Minutes, today: datetime.date, by=None) -> Minutes:
    """Publish a version on the panel's public page: confidential items are left out and
    personal data removed, and the public text is frozen. The first publication is the date
    checked against the ToR minutes deadline."""
    minutes = _lock_minutes(minutes)
    _refuse_if_published(minutes)
    meeting = _lock(minutes.meeting)
    if meeting.status != MeetingStatus.HELD:
        _refuse("minutes.meeting_not_held", "Mark the meeting as held before publishing minutes.")
    names = _people_names(meeting)
    version = public_version(
        minutes=minutes_with_rows(minutes=minutes), record=minutes_record(meeting=meeting)
    )
    public = _redacted(version["entries"], names)
    minutes.public_entries = public
    minutes.published_on = today
    minutes.published_by = by if getattr(by, "is_authenticated", False) else None
    minutes.public_attendance = version["attendance"]
    minutes.save(
        update_fields=["public_entries", "public_attendance", "published_on", "published_by"]
    )
    if meeting.minutes_published_on is None:
        meeting.minutes_published_on = today
        meeting.minutes_published_by = minutes.published_by
        meeting.save(update_fields=["minutes_published_on", "minutes_published_by"])
    audit_record(
        org=meeting.organisation,
        actor=by,
        action="minutes.published",
        obj=minutes,
        after={"version": minutes.version, "published_on": today.isoformat()},
    )
    return minutes


@transaction.atomic
def minutes_correct(*, minutes: Minutes, note: str, by=None) -> Minutes:
    """A correction to published minutes: a new draft version, with a note, copying the text."""
    minutes = _lock_minutes(minutes)
    if not minutes.is_published:
        _refuse("minutes.draft", "This version is still a draft: edit it directly.")
    if not note.strip():
        _refuse("minutes.correction_note", "Say what the correction is.", field="note")
    latest = (
        Minutes.objects.for_org(minutes.organisation_id)
        .filter(meeting=minutes.meeting)
        .order_by("-version")
        .first()
    )
    if latest.pk != minutes.pk:
        _refuse("minutes.not_latest", f"Version {latest.version} is already newer: correct that.")
    new = Minutes.objects.create(
        organisation_id=minutes.organisation_id,
        meeting=minutes.meeting,
        version=minutes.version + 1,
        correction_note=note.strip(),
        approved_at=minutes.approved_at,
        approved_on=minutes.approved_on,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    MinuteEntry.objects.bulk_create(
        MinuteEntry(organisation_id=e.organisation_id, minutes=new, item_id=e.item_id, text=e.text)
        for e in MinuteEntry.objects.for_org(minutes.organisation_id).filter(minutes=minutes)
    )
    ActionPoint.objects.bulk_create(
        ActionPoint(
            organisation_id=a.organisation_id,
            minutes=new,
            item_id=a.item_id,
            description=a.description,
            owner=a.owner,
            due_on=a.due_on,
            done_on=a.done_on,
        )
        for a in ActionPoint.objects.for_org(minutes.organisation_id).filter(minutes=minutes)
    )
    audit_record(
        org=minutes.meeting.organisation,
        actor=by,
        action="minutes.corrected",
        obj=new,
        after={"version": new.version},
        reason=note,
    )
    return new


@transaction.atomic
def key_messages_write(*, meeting: Meeting, text: str, by=None) -> KeyMessages:
    """Draft (or redraft) the key messages; a published version is corrected by a new one."""
    latest = (
        KeyMessages.objects.for_org(meeting.organisation_id)
        .select_for_update(of=("self",))
        .filter(meeting=meeting)
        .order_by("-version")
        .first()
    )
    if not text.strip():
        _refuse("key_messages.text", "Write the key messages.", field="text")
    if latest is not None and latest.published_on is None:
        before = {"text": latest.text}
        latest.text = text
        latest.signed_off_by = None
        latest.signed_off_on = None
        latest.save(update_fields=["text", "signed_off_by", "signed_off_on"])
        audit_record(
            org=meeting.organisation,
            actor=by,
            action="key_messages.redrafted",
            obj=latest,
            before=before,
            after={"text": text},
        )
        return latest
    if latest is not None:
        _refuse(
            "key_messages.published",
            "These key messages were published: correct them with a new version and a note.",
        )
    messages = KeyMessages.objects.create(
        organisation_id=meeting.organisation_id, meeting=meeting, text=text
    )
    audit_record(org=meeting.organisation, actor=by, action="key_messages.drafted", obj=messages)
    return messages


@transaction.atomic
def key_messages_correct(*, key_messages: KeyMessages, text: str, note: str, by=None):
    if key_messages.published_on is None:
        _refuse("key_messages.draft", "Not yet published: edit the draft.")
    if not note.strip():
        _refuse("key_messages.correction_note", "Say what the correction is.", field="note")
    new = KeyMessages.objects.create(
        organisation_id=key_messages.organisation_id,
        meeting=key_messages.meeting,
        version=key_messages.version + 1,
        text=text,
        correction_note=note,
    )
    audit_record(
        org=key_messages.meeting.organisation,
        actor=by,
        action="key_messages.corrected",
        obj=new,
        reason=note,
    )
    return new


@transaction.atomic
def key_messages_sign_off(
    *, key_messages: KeyMessages, chair, today: datetime.date, by=None
) -> KeyMessages:
    """HFH: key messages are signed off by the chair (the member who presided)."""
    meeting = Meeting.objects.for_org(key_messages.organisation_id).get(pk=key_messages.meeting_id)
    if key_messages.published_on is not None:
        _refuse("key_messages.published", "Already published.")
    presider = meeting.presiding_membership_id
    allowed = {presider} if presider else set()
    if not allowed:
        allowed = {
            m.pk
            for m in current_memberships(panel=meeting.panel, on=meeting.date)
            if m.role == "chair"
        }
    if chair is None or chair.pk not in allowed:
        terms = terms_for_meeting(meeting)
        _refuse(
            "key_messages.chair_sign_off",
            "Key messages are signed off by the chair of the meeting.",
            field="chair",
            source=rules.source_of(terms, "Recording and reporting key messages"),
        )
    key_messages.signed_off_by = chair
    key_messages.signed_off_on = today
    key_messages.save(update_fields=["signed_off_by", "signed_off_on"])
    audit_record(
        org=meeting.organisation,
        actor=by,
        action="key_messages.signed_off",
        obj=key_messages,
        after={"by": chair.pk, "on": today.isoformat()},
    )
    return key_messages


@transaction.atomic
def key_messages_publish(
    *, key_messages: KeyMessages, today: datetime.date, by=None
) -> KeyMessages:
    meeting = _lock(key_messages.meeting)
    if key_messages.published_on is not None:
        _refuse("key_messages.published", "Already published.")
    if key_messages.signed_off_on is None:
        terms = terms_for_meeting(meeting)
        _refuse(
            "key_messages.not_signed_off",
            "The chair must sign off the key messages before they are published.",
            source=rules.source_of(terms, "Recording and reporting key messages"),
        )
    key_messages.public_text = redact_personal_data(key_messages.text, _people_names(meeting))
    key_messages.published_on = today
    key_messages.save(update_fields=["public_text", "published_on"])
    if meeting.key_messages_published_on is None:
        meeting.key_messages_published_on = today
        meeting.key_messages_published_by = by if getattr(by, "is_authenticated", False) else None
        meeting.save(update_fields=["key_messages_published_on", "key_messages_published_by"])
    audit_record(
        org=meeting.organisation,
        actor=by,
        action="key_messages.published",
        obj=key_messages,
        after={"published_on": today.isoformat()},
    )
    return key_messages
