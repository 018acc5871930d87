"""Changes to the notice ledger: planning (notices_sync), breaches, and officers' and
members' actions. Planning runs in the caller's transaction, so a notice exists exactly
when the change that causes it commits."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from members.services.people import refuse_if_erased
from notices.models import (
    Breach,
    Letter,
    Notice,
    NoticePreference,
    NoticeStatus,
    Notification,
)
from notices.planning import (
    BREACH_DETECTORS,
    REGISTRY,
    TRIGGERS,
    PlannedNotice,
    digest_time,
    key_stem,
)
from notices.selectors import pending_subjects_for_person
from panels.audit import audit_record, snapshot
from panels.errors import RuleViolation

logger = logging.getLogger(__name__)

NOTICE_FIELDS = [
    "panel_id",
    "recipient_user_id",
    "recipient_person_id",
    "recipient_name",
    "recipient_email",
    "recipient_address",
    "channel",
    "channel_note",
    "digest",
    "title",
    "body",
    "link",
    "due_at",
    "deadline_on",
    "expires_at",
]


@dataclass(frozen=True)
class SyncResult:
    created: int = 0
    updated: int = 0
    withdrawn: int = 0
    due_now: bool = False


def _values(planned: PlannedNotice) -> dict:
    r = planned.recipient
    return {
        "panel_id": planned.panel_id,
        "recipient_user_id": r.user_id,
        "recipient_person_id": r.person_id,
        "recipient_name": r.name[:200],
        "recipient_email": r.email,
        "recipient_address": r.address,
        "channel": r.channel,
        "channel_note": r.channel_note[:300],
        "digest": r.digest,
        "title": planned.title[:300],
        "body": planned.body,
        "link": planned.link[:300],
        "due_at": planned.due_at,
        "deadline_on": planned.deadline_on,
        "expires_at": planned.expires_at,
    }


def _first_attempt_at(values: dict) -> datetime.datetime:
    return digest_time(values["due_at"]) if values["digest"] else values["due_at"]


def notices_sync(*, subject, today: datetime.date | None = None) -> SyncResult:
    """Make the subject's ledger rows match what its planner wants on ``today``: create the
    missing notices, move pending ones whose time or text changed, withdraw pending ones no
    longer wanted. Sent, failed and in-flight rows are history and are never touched."""
    entry = REGISTRY.get(subject._meta.label_lower)
    if entry is None:
        raise LookupError(f"No notice planner for {subject._meta.label_lower}")
    today = today or timezone.localdate()
    planned = entry.plan(subject, today)
    return _apply_plan(subject=subject, planned=planned)


def _apply_plan(*, subject, planned: list[PlannedNotice]) -> SyncResult:
    now = timezone.now()
    org_id = subject.organisation_id if hasattr(subject, "organisation_id") else subject.pk
    content_type = ContentType.objects.get_for_model(subject)
    # Notices the planner says must not go (a reminder that would reach members after the
    # meeting started): withdrawn with the planner's reason, on whatever occasion.
    refused = {key_stem(p.dedupe_key(subject)): p.withdraw for p in planned if p.withdraw}
    wanted = {p.dedupe_key(subject): p for p in planned if not p.withdraw}
    with transaction.atomic():
        existing = {
            n.dedupe_key: n
            for n in Notice.objects.for_org(org_id)
            .filter(subject_type=content_type, subject_id=subject.pk)
            .select_for_update(of=("self",))
        }
        # A pending row for the same notice on another occasion (a term end or meeting date
        # that moved) is moved to the new occasion rather than withdrawn and replaced.
        movable: dict[str, list[Notice]] = {}
        for key, n in existing.items():
            if key not in wanted and n.status == NoticeStatus.PENDING:
                movable.setdefault(key_stem(key), []).append(n)
        to_create, to_update, due_now = [], [], False
        for key, plan in wanted.items():
            values = _values(plan)
            notice = existing.get(key)
            if notice is None and movable.get(key_stem(key)):
                notice = movable[key_stem(key)].pop()
                del existing[notice.dedupe_key]
                notice.dedupe_key = key
                existing[key] = notice
                notice.occasion_moved = True
            if notice is None:
                notice = Notice(
                    organisation_id=org_id,
                    kind=plan.kind,
                    subject_type=content_type,
                    subject_id=subject.pk,
                    dedupe_key=key,
                    status=NoticeStatus.PENDING,
                    next_attempt_at=_first_attempt_at(values),
                    **values,
                )
                to_create.append(notice)
            elif notice.status in (NoticeStatus.PENDING, NoticeStatus.WITHDRAWN):
                changed = getattr(notice, "occasion_moved", False) or any(
                    getattr(notice, f) != v for f, v in values.items()
                )
                if not changed and notice.status == NoticeStatus.PENDING:
                    continue
                for field, value in values.items():
                    setattr(notice, field, value)
                first = _first_attempt_at(values)
                # A notice waiting to retry keeps its back-off; a moved one moves.
                notice.next_attempt_at = (
                    max(first, notice.next_attempt_at)
                    if notice.attempts and notice.status == NoticeStatus.PENDING
                    else first
                )
                notice.status = NoticeStatus.PENDING
                notice.withdrawn_reason = ""
                notice.updated_at = now
                to_update.append(notice)
            else:
                continue
            due_now = due_now or notice.next_attempt_at <= now
        if to_create:
            Notice.objects.bulk_create(to_create, ignore_conflicts=True)
        if to_update:
            Notice.objects.bulk_update(
                to_update,
                [
                    *NOTICE_FIELDS,
                    "dedupe_key",
                    "status",
                    "next_attempt_at",
                    "withdrawn_reason",
                    "updated_at",
                ],
            )
        unwanted: dict[str, list[int]] = {}
        for key, n in existing.items():
            if key not in wanted and n.status == NoticeStatus.PENDING:
                reason = (
                    refused.get(key_stem(key)) or "No longer needed: what it was about changed."
                )
                unwanted.setdefault(reason[:300], []).append(n.pk)
        withdrawn = 0
        for reason, ids in unwanted.items():
            withdrawn += Notice.objects.filter(pk__in=ids, status=NoticeStatus.PENDING).update(
                status=NoticeStatus.WITHDRAWN, withdrawn_reason=reason, updated_at=now
            )
    if due_now:
        _dispatch_after_commit()
    return SyncResult(len(to_create), len(to_update), withdrawn, due_now)


def notices_withdraw_for_subject(*, subject, reason: str) -> int:
    """Withdraw a subject's pending notices (it was deleted)."""
    content_type = ContentType.objects.get_for_model(subject)
    org_id = subject.organisation_id if hasattr(subject, "organisation_id") else subject.pk
    return (
        Notice.objects.for_org(org_id)
        .filter(subject_type=content_type, subject_id=subject.pk, status=NoticeStatus.PENDING)
        .update(
            status=NoticeStatus.WITHDRAWN, withdrawn_reason=reason[:300], updated_at=timezone.now()
        )
    )


def subject_changed(*, instance, today: datetime.date | None = None) -> None:
    """A row the notices depend on changed: re-plan it (and what it triggers), record any
    breach it now shows. Called by the post_save receivers in notices/signals.py."""
    label = instance._meta.label_lower
    subjects = []
    if label in REGISTRY:
        subjects.append(instance)
    if label in TRIGGERS:
        related = TRIGGERS[label](instance)
        if related is not None:
            subjects.extend(related if isinstance(related, list | tuple) else [related])
    for subject in subjects:
        notices_sync(subject=subject, today=today)
        breaches_sync(subject=subject, today=today)


def _dispatch_after_commit() -> None:
    """Enqueue one dispatcher run when the current transaction commits (at most one per
    transaction, however many notices it made due).

    The notices are already in the ledger, committed with the change: the enqueue only
    makes them go sooner. It never raises into the request (a broker outage is logged and
    beat's next tick, or the ``dispatch_notices`` loop, sends them) and, registered with
    ``robust=True``, never stops the other on-commit hooks of the transaction."""
    connection = transaction.get_connection()
    # The hooks of one commit share a marker: the first to run enqueues, the others see it
    # ran. A marker that ran (a commit, or a test running the hooks) starts a new one.
    marker = getattr(connection, "notices_dispatch_marker", None)
    if marker is None or marker["ran"] or not connection.in_atomic_block:
        marker = connection.notices_dispatch_marker = {"ran": False}

    def enqueue() -> None:
        if not marker["ran"]:
            marker["ran"] = True
            _enqueue_dispatch()

    transaction.on_commit(enqueue, robust=True)


def _enqueue_dispatch() -> None:
    # The dispatcher task, set by NoticesConfig.ready() from notices.tasks: tasks import
    # services, never the reverse.
    task = apps.get_app_config("notices").dispatch_task
    try:
        # No publish retries: a request must not wait for a broker that is away.
        task.apply_async(retry=False)
    except Exception as exc:  # noqa: BLE001 - kombu, redis and socket errors alike
        logger.warning(
            "notices: could not enqueue or run the dispatcher (%s: %s); the notices are in the "
            "ledger and the next scheduled run sends them",
            type(exc).__name__,
            exc,
        )


# --- Breaches -----------------------------------------------------------------------


def breaches_sync(*, subject, today: datetime.date | None = None) -> list[Breach]:
    """Record, once, each deadline of the subject that passed without its duty done; a duty
    done late later fills in ``done_on`` on the same breach (so reports say "done late on
    <date>"). A breach recorded before the duty's date was entered (a past meeting typed in
    afterwards, its papers then recorded as out in time) is withdrawn, with an audit row:
    the ledger never says "not done" of a duty done by its deadline."""
    detector = BREACH_DETECTORS.get(subject._meta.label_lower)
    if detector is None:
        return []
    today = today or timezone.localdate()
    findings = detector(subject, today)
    if not findings:
        return []
    content_type = ContentType.objects.get_for_model(subject)
    recorded = []
    with transaction.atomic():
        existing = {
            b.rule: b
            for b in Breach.objects.for_org(subject.organisation_id)
            .filter(subject_type=content_type, subject_id=subject.pk)
            .select_for_update()
        }
        for finding in findings:
            breach = existing.get(finding.rule)
            if finding.on_time:
                if breach is not None:
                    audit_record(
                        org=subject.organisation,
                        actor=None,
                        action="notices.breach_withdrawn",
                        obj=breach,
                        before=snapshot(breach, ["rule", "due_on", "done_on", "rule_text"]),
                        after={"done_on": finding.done_on.isoformat()},
                        reason="The duty is recorded as done by its deadline.",
                    )
                    breach.delete()
                continue
            if breach is None:
                breach, created = Breach.objects.get_or_create(
                    subject_type=content_type,
                    subject_id=subject.pk,
                    rule=finding.rule,
                    defaults={
                        "organisation_id": subject.organisation_id,
                        "panel_id": finding.panel_id,
                        "subject_label": finding.subject_label,
                        "due_on": finding.due_on,
                        "done_on": finding.done_on,
                        "rule_text": finding.rule_text[:300],
                        "source": finding.source[:300],
                        "reason": finding.reason,
                    },
                )
                if created:
                    audit_record(
                        org=subject.organisation,
                        actor=None,
                        action="notices.breach_recorded",
                        obj=breach,
                        after=snapshot(breach, ["rule", "due_on", "done_on", "rule_text"]),
                    )
            elif finding.reason and breach.reason != finding.reason:
                # Scheduled (or moved) inside the deadline after the breach was recorded.
                before = snapshot(breach, ["reason"])
                breach.reason = finding.reason
                breach.save(update_fields=["reason"])
                audit_record(
                    org=subject.organisation,
                    actor=None,
                    action="notices.breach_reason",
                    obj=breach,
                    before=before,
                    after=snapshot(breach, ["reason"]),
                )
            if finding.done_on and breach.done_on != finding.done_on:
                before = snapshot(breach, ["done_on"])
                breach.done_on = finding.done_on
                breach.save(update_fields=["done_on"])
                audit_record(
                    org=subject.organisation,
                    actor=None,
                    action="notices.breach_done_late",
                    obj=breach,
                    before=before,
                    after=snapshot(breach, ["done_on"]),
                )
            recorded.append(breach)
    return recorded


# --- Officers' and members' actions ---------------------------------------------------


@transaction.atomic
def notice_retry(*, notice: Notice, by, confirmed: bool = False) -> Notice:
    """Send a failed notice again (an officer checked it): back to pending, due now. A send
    that was interrupted (uncertain, or probably delivered) may already be in the
    recipient's inbox: it goes again only when the officer confirms."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.status not in (NoticeStatus.FAILED, NoticeStatus.UNCERTAIN):
        raise RuleViolation(
            code="notices.retry_not_failed",
            message=f"Only a failed notice can be sent again; this one is {notice.status}.",
        )
    if notice.status == NoticeStatus.UNCERTAIN and not confirmed:
        raise RuleViolation(
            code="notices.retry_needs_confirmation",
            message=(
                "The mail server had accepted this email before the send was interrupted: it "
                "was probably delivered. Confirm to send a second copy."
                if notice.probably_delivered
                else "This email was being handed to the mail server when the send was "
                "interrupted: it may have been delivered. Confirm to send it again."
            ),
            field="confirm",
        )
    before = snapshot(notice, ["status", "attempts", "last_error", "smtp_id"])
    notice.status = NoticeStatus.PENDING
    notice.attempts = 0
    notice.claim_token = None
    notice.claimed_until = None
    notice.smtp_id = ""
    notice.smtp_accepted_at = None
    notice.next_attempt_at = timezone.now()
    notice.save(
        update_fields=[
            "status",
            "attempts",
            "claim_token",
            "claimed_until",
            "smtp_id",
            "smtp_accepted_at",
            "next_attempt_at",
            "updated_at",
        ]
    )
    audit_record(
        org=notice.organisation,
        actor=by,
        action="notices.retry",
        obj=notice,
        before=before,
        after={**snapshot(notice, ["status", "attempts"]), "confirmed": confirmed},
    )
    _dispatch_after_commit()
    return notice


@transaction.atomic
def letter_mark_printed(*, letter: Letter, by) -> Letter:
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.printed_at is not None:
        raise RuleViolation(
            code="notices.letter_already_printed",
            message=f"This letter was already marked printed on {letter.printed_at:%d %B %Y}.",
        )
    letter.printed_at = timezone.now()
    letter.printed_by = by
    letter.save(update_fields=["printed_at", "printed_by"])
    audit_record(
        org=letter.organisation,
        actor=by,
        action="notices.letter_printed",
        obj=letter,
        after=snapshot(letter, ["printed_at"]),
    )
    return letter


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notice_preference_save(
    *, person, channel: str, digest: bool, by, large_print: bool | None = None
) -> NoticePreference:
    """A member's choice of channel and digest, and of large print for letters; their
    pending notices are re-planned. The channel is also the member's preferred channel
    for papers (``Person.preferred_channel``, read where the ToR names no channel)."""
    refuse_if_erased(person)
    if channel not in NoticePreference.Channel.values:
        raise RuleViolation(
            code="notices.channel", message="Choose email or post.", field="channel"
        )
    reasons = []
    own = by is not None and getattr(by, "pk", None) == person.user_id
    if channel == NoticePreference.Channel.EMAIL and not person.email:
        reasons.append(
            "We have no email address for you, so notices go by post."
            if own
            else f"There is no email address for {person.full_name}: add it to their contact "
            "details first."
        )
    if channel == NoticePreference.Channel.POST and not person.address.strip():
        reasons.append(
            "We have no postal address for you; ask your officer to add it."
            if own
            else f"There is no postal address for {person.full_name}: add it to their contact "
            "details first."
        )
    if reasons:
        raise RuleViolation(code="notices.no_address", message=" ".join(reasons), field="channel")
    preference, _ = NoticePreference.objects.select_for_update().get_or_create(
        organisation_id=person.organisation_id, person=person
    )
    before = snapshot(preference, ["channel", "digest"])
    preference.channel, preference.digest = channel, digest
    preference.save(update_fields=["channel", "digest", "updated_at"])
    person_fields = {"preferred_channel": channel}
    if large_print is not None:
        person_fields["large_print"] = large_print
    changed = [f for f, v in person_fields.items() if getattr(person, f) != v]
    if changed:
        for field_name in changed:
            setattr(person, field_name, person_fields[field_name])
        person.save(update_fields=changed)  # re-plans the person's pending notices too
    audit_record(
        org=person.organisation,
        actor=by,
        action="notices.preference_saved",
        obj=preference,
        before=before,
        after=snapshot(preference, ["channel", "digest"]),
    )
    for subject in pending_subjects_for_person(person=person):
        notices_sync(subject=subject)
    return preference
