"""Minutes and key messages: writing, approving, correcting and publishing them."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from meetings.models import (
    ActionPoint,
    AgendaItem,
    Audience,
    DisclosureConfirmation,
    KeyMessages,
    Meeting,
    MeetingStatus,
    MinuteEntry,
    Minutes,
)
from meetings.selectors.publication import (
    PublicationCheck,
    key_messages_publication_check,
    minutes_publication_check,
)
from meetings.services._common import APP_SOURCE, _lock, _refuse, terms_for_meeting
from members.selectors import current_memberships
from panels import rules
from panels.audit import audit_record
from panels.errors import Reason, raise_if
from panels.integrity import created_once, refuse_duplicate


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

    def existing():
        return (
            Minutes.objects.for_org(meeting.organisation_id)
            .filter(meeting=meeting)
            .order_by("-version")
            .first()
        )

    opened = existing()
    if opened is not None:
        return opened
    if meeting.status == MeetingStatus.CANCELLED:
        _refuse("meeting.cancelled", "The meeting was cancelled: it has no minutes.")
    made = []

    def create():
        made.append(
            Minutes.objects.create(
                organisation_id=meeting.organisation_id,
                meeting=meeting,
                version=1,
                created_by=by if getattr(by, "is_authenticated", False) else None,
            )
        )
        return made[0]

    # Two officers opening the minutes at once: the second gets the draft the first opened.
    minutes = created_once(create, existing, "minutes_version_once")
    if not made:
        return minutes
    # Each entry's audience starts from its item: a confidential item is for the panel only,
    # any other item public. The officer sees it on every entry and may change it.
    MinuteEntry.objects.bulk_create(
        MinuteEntry(
            organisation_id=meeting.organisation_id,
            minutes=minutes,
            item=item,
            audience=Audience.PANEL if item.is_confidential else Audience.PUBLIC,
        )
        for item in AgendaItem.objects.for_org(meeting.organisation_id).filter(meeting=meeting)
    )
    audit_record(org=meeting.organisation, actor=by, action="minutes.started", obj=minutes)
    return minutes


def _refuse_public_confidential(item, audience: str) -> None:
    if audience not in Audience.values:
        _refuse(
            "minutes.audience",
            "Choose who this is for: the panel only, or public.",
            field="audience",
        )
    if audience == Audience.PUBLIC and item is not None and item.is_confidential:
        _refuse(
            "minutes.audience_confidential",
            f"Item {item.position} ({item.title}) is confidential: what is minuted about it is "
            "for the panel only and is never published.",
            field="audience",
        )


@transaction.atomic
def minute_entry_write(
    *, entry: MinuteEntry, text: str, audience: str | None = None, by=None
) -> MinuteEntry:
    """The secretary's minute of one item and who it is for; refused once the version is
    published, and public is refused for a confidential item."""
    minutes = _lock_minutes(entry.minutes)
    _refuse_if_published(minutes)
    entry = (
        MinuteEntry.objects.for_org(entry.organisation_id).select_related("item").get(pk=entry.pk)
    )
    audience = audience or entry.audience
    _refuse_public_confidential(entry.item, audience)
    before = {"text": entry.text, "audience": entry.audience}
    entry.text = text
    entry.audience = audience
    entry.save(update_fields=["text", "audience"])
    audit_record(
        org=minutes.meeting.organisation,
        actor=by,
        action="minutes.entry_written",
        obj=entry,
        before=before,
        after={"text": text, "audience": audience},
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
    audience: str = Audience.PUBLIC,
    by=None,
) -> ActionPoint:
    """An action point with its owner, due date and audience (public is refused for an
    action on a confidential item)."""
    minutes = _lock_minutes(minutes)
    _refuse_if_published(minutes)
    _refuse_public_confidential(item, audience)
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
        audience=audience,
    )
    audit_record(
        org=minutes.meeting.organisation,
        actor=by,
        action="minutes.action_added",
        obj=action,
        after={"owner": owner, "due_on": due_on.isoformat(), "audience": audience},
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


def _refuse_unconfirmed(check: PublicationCheck, what: str) -> None:
    """Refuse publication while any personal-data hit is neither removed nor confirmed."""
    raise_if(
        [
            Reason(
                "publish.personal_data",
                f'{state.hit.where}: "{state.hit.text}" looks like {state.hit.kind_label}. '
                f"Remove it from the text, or confirm that it may be published, before "
                f"publishing the {what}.",
                "publish",
            )
            for state in check.unconfirmed
        ]
    )


@transaction.atomic
def minutes_publish(*, minutes: Minutes, today: datetime.date, by=None) -> Minutes:
    """Publish a version: its public version (``selectors.minutes_publication_check``, the
    one the officer previews) is frozen as it stands. Refused, with nothing published, while
    any personal-data hit in it is unconfirmed. The first publication is the date checked
    against the ToR minutes deadline."""
    minutes = _lock_minutes(minutes)
    _refuse_if_published(minutes)
    meeting = _lock(minutes.meeting)
    if meeting.status != MeetingStatus.HELD:
        _refuse("minutes.meeting_not_held", "Mark the meeting as held before publishing minutes.")
    check = minutes_publication_check(minutes=minutes)
    _refuse_unconfirmed(check, "minutes")
    version = check.version
    public = version["entries"]
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


def _confirm(check: PublicationCheck, *, key: str, org, by, **document) -> DisclosureConfirmation:
    state = check.find(key)
    if state is None:
        _refuse(
            "publish.no_such_hit",
            "That text is no longer in what would be published: nothing to confirm.",
            field="hit",
        )
    if state.confirmed:
        _refuse("publish.already_confirmed", "That text is already confirmed.", field="hit")
    if not getattr(by, "is_authenticated", False):
        _refuse("publish.confirm_by", "A signed-in officer confirms what may be published.")
    hit = state.hit
    confirmation = DisclosureConfirmation.objects.create(
        organisation=org,
        location=hit.location,
        where=hit.where[:300],
        kind=hit.kind,
        text=hit.text[:300],
        confirmed_by=by,
        confirmed_at=timezone.now(),
        **document,
    )
    audit_record(
        org=org,
        actor=by,
        action="publication.personal_data_confirmed",
        obj=confirmation,
        after={"where": hit.where, "kind": hit.kind, "text": hit.text},
    )
    return confirmation


@transaction.atomic
def minutes_confirm_disclosure(*, minutes: Minutes, key: str, by) -> DisclosureConfirmation:
    """The officer confirms that one personal-data hit may be published (who, when, which
    hit are recorded). Refused once published, or for a hit that is not in the text."""
    minutes = _lock_minutes(minutes)
    _refuse_if_published(minutes)
    check = minutes_publication_check(minutes=minutes)
    return _confirm(check, key=key, org=minutes.meeting.organisation, by=by, minutes=minutes)


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
        MinuteEntry(
            organisation_id=e.organisation_id,
            minutes=new,
            item_id=e.item_id,
            text=e.text,
            audience=e.audience,
        )
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
            audience=a.audience,
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
def key_messages_write(
    *, meeting: Meeting, text: str, audience: str = Audience.PUBLIC, by=None
) -> KeyMessages:
    """Draft (or redraft) the key messages and say who they are for; a published version is
    corrected by a new one."""
    latest = (
        KeyMessages.objects.for_org(meeting.organisation_id)
        .select_for_update(of=("self",))
        .filter(meeting=meeting)
        .order_by("-version")
        .first()
    )
    if not text.strip():
        _refuse("key_messages.text", "Write the key messages.", field="text")
    _refuse_public_confidential(None, audience)
    if latest is not None and latest.published_on is None:
        before = {"text": latest.text, "audience": latest.audience}
        latest.text = text
        latest.audience = audience
        latest.signed_off_by = None
        latest.signed_off_on = None
        latest.save(update_fields=["text", "audience", "signed_off_by", "signed_off_on"])
        audit_record(
            org=meeting.organisation,
            actor=by,
            action="key_messages.redrafted",
            obj=latest,
            before=before,
            after={"text": text, "audience": audience},
        )
        return latest
    published = Reason(
        "key_messages.published",
        "These key messages were published: correct them with a new version and a note.",
        None,
        APP_SOURCE,
    )
    if latest is not None:
        raise_if([published])
    # Two first drafts at once (no row to lock yet): the second is told to redraft.
    drafted = Reason(
        "key_messages.drafted_meanwhile",
        "Someone else drafted the key messages a moment ago: open them again to edit.",
        "text",
        APP_SOURCE,
    )
    with refuse_duplicate(drafted, "key_messages_version_once"):
        messages = KeyMessages.objects.create(
            organisation_id=meeting.organisation_id, meeting=meeting, text=text, audience=audience
        )
    audit_record(org=meeting.organisation, actor=by, action="key_messages.drafted", obj=messages)
    return messages


@transaction.atomic
def key_messages_correct(*, key_messages: KeyMessages, text: str, note: str, by=None):
    if key_messages.published_on is None:
        _refuse("key_messages.draft", "Not yet published: edit the draft.")
    if not note.strip():
        _refuse("key_messages.correction_note", "Say what the correction is.", field="note")
    newer = Reason(
        "key_messages.not_latest",
        f"Version {key_messages.version + 1} is already newer: correct that.",
        None,
        APP_SOURCE,
    )
    with refuse_duplicate(newer, "key_messages_version_once"):
        new = KeyMessages.objects.create(
            organisation_id=key_messages.organisation_id,
            meeting=key_messages.meeting,
            version=key_messages.version + 1,
            text=text,
            correction_note=note,
            audience=key_messages.audience,
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
    key_messages = (
        KeyMessages.objects.for_org(meeting.organisation_id)
        .select_for_update(of=("self",))
        .get(pk=key_messages.pk)
    )
    if key_messages.published_on is not None:
        _refuse("key_messages.published", "Already published.")
    if key_messages.signed_off_on is None:
        terms = terms_for_meeting(meeting)
        _refuse(
            "key_messages.not_signed_off",
            "The chair must sign off the key messages before they are published.",
            source=rules.source_of(terms, "Recording and reporting key messages"),
        )
    if key_messages.audience != Audience.PUBLIC:
        _refuse(
            "key_messages.panel_only",
            "These key messages are for the panel only: make them public before publishing.",
            field="audience",
        )
    _refuse_unconfirmed(key_messages_publication_check(key_messages=key_messages), "key messages")
    # Published as written: the officer has removed or confirmed every personal-data hit.
    key_messages.public_text = key_messages.text
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


@transaction.atomic
def key_messages_confirm_disclosure(
    *, key_messages: KeyMessages, key: str, by
) -> DisclosureConfirmation:
    """The officer confirms that one personal-data hit in the key messages may be published."""
    key_messages = (
        KeyMessages.objects.for_org(key_messages.organisation_id)
        .select_for_update(of=("self",))
        .select_related("meeting__organisation")
        .get(pk=key_messages.pk)
    )
    if key_messages.published_on is not None:
        _refuse("key_messages.published", "Already published.")
    check = key_messages_publication_check(key_messages=key_messages)
    return _confirm(
        check, key=key, org=key_messages.meeting.organisation, by=by, key_messages=key_messages
    )
