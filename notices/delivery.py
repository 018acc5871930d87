"""The dispatcher: claims due notices in batches and sends each exactly once.

State machine of a notice (all transitions guarded by the claim token, so a worker whose
lease ran out can change nothing):

    pending --claim (SELECT ... FOR UPDATE SKIP LOCKED)--> claimed
    claimed --(post, in-app: letter/notification and "sent" in one transaction)--> sent
    claimed --(email: committed just before the SMTP call)--> sending --> sent
    sending/claimed --error--> pending with back-off, or failed after MAX_ATTEMPTS
    claimed, lease expired --> pending   (certainly not sent: safe to send again)
    sending, lease expired --> failed    (the worker died during the SMTP call: it may have
                                          gone, so an officer checks instead of a resend)

Two dispatchers never get the same row (SKIP LOCKED); a duplicated or redelivered task
finds nothing claimable; a worker killed mid-batch leaves claimed rows that go back to
pending when the lease expires, and at most the one message it was sending shown as
failed to officers. Nothing is dropped and nothing is sent twice.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import time
import uuid
from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from notices.models import (
    Letter,
    Notice,
    NoticeChannel,
    NoticeStatus,
    Notification,
    WorkerHeartbeat,
)
from panels.tenancy import scopes_disabled

logger = logging.getLogger(__name__)

# Notices claimed per batch: bounds a batch's queries and what a killed worker held.
BATCH_SIZE = 200
# A worker holds a claimed batch this long; after it, another worker may take it back.
LEASE_SECONDS = 600
# An SMTP failure is tried again after RETRY_BASE_SECONDS * 2**(attempt-1), up to
# RETRY_MAX_SECONDS, and shown to officers as failed after MAX_ATTEMPTS attempts.
MAX_ATTEMPTS = 5
RETRY_BASE_SECONDS = 60
RETRY_MAX_SECONDS = 6 * 3600
# One dispatcher run stops taking new batches after this long (beat starts another).
RUN_TIME_BUDGET_SECONDS = 240

LEASE_EXPIRED_CLAIMED = (
    "The worker that claimed this notice stopped before sending it; it was put back in the "
    "queue and sent again."
)
LEASE_EXPIRED_SENDING = (
    "The worker stopped while handing this email to the mail server, so it may or may not "
    "have been delivered. It was not resent automatically: check with the recipient and "
    "use Send again if it did not arrive."
)


@dataclass
class DispatchReport:
    batches: int = 0
    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    recovered: int = 0
    batch_queries: list[int] = field(default_factory=list)


def retry_delay(attempts: int) -> datetime.timedelta:
    seconds = min(RETRY_MAX_SECONDS, RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1))
    return datetime.timedelta(seconds=seconds)


def worker_name() -> str:
    return f"{socket.gethostname()}"[:200]


def heartbeat(*, now: datetime.datetime, sent: int = 0) -> None:
    WorkerHeartbeat.objects.update_or_create(
        hostname=worker_name(),
        defaults={"pid": os.getpid(), "last_seen_at": now, "last_batch_sent": sent},
    )


def recover_expired_leases(*, now: datetime.datetime) -> int:
    """Claimed rows whose worker vanished go back to pending; rows caught mid-SMTP fail
    visibly (they may have been delivered)."""
    back = Notice.objects.filter(status=NoticeStatus.CLAIMED, claimed_until__lt=now).update(
        status=NoticeStatus.PENDING,
        claim_token=None,
        claimed_until=None,
        next_attempt_at=now,
        last_error=LEASE_EXPIRED_CLAIMED,
        updated_at=now,
    )
    uncertain = Notice.objects.filter(status=NoticeStatus.SENDING, claimed_until__lt=now).update(
        status=NoticeStatus.FAILED, last_error=LEASE_EXPIRED_SENDING, updated_at=now
    )
    if uncertain:
        logger.warning("notices: %s notice(s) caught mid-send are shown as failed", uncertain)
    return back + uncertain


def claim_batch(*, now: datetime.datetime, size: int = BATCH_SIZE) -> tuple[uuid.UUID, list]:
    """Claim up to ``size`` due notices for this worker (skipping rows another holds)."""
    token = uuid.uuid4()
    with transaction.atomic():
        ids = list(
            Notice.objects.filter(status=NoticeStatus.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:size]
        )
        if not ids:
            return token, []
        Notice.objects.filter(pk__in=ids).update(
            status=NoticeStatus.CLAIMED,
            claim_token=token,
            claimed_until=now + datetime.timedelta(seconds=LEASE_SECONDS),
            attempts=F("attempts") + 1,
            updated_at=now,
        )
    notices = list(
        Notice.objects.filter(claim_token=token, status=NoticeStatus.CLAIMED)
        .select_related("organisation")
        .order_by("next_attempt_at", "id")
    )
    return token, notices


# --- Rendering ----------------------------------------------------------------------


def site_url() -> str:
    return getattr(settings, "SITE_URL", "") or "http://127.0.0.1:8000"


def email_message(notices: list[Notice], connection) -> EmailMultiAlternatives:
    """One email: a single notice, or a member's digest of several."""
    first = notices[0]
    context = {"notices": notices, "notice": first, "site_url": site_url()}
    subject = (
        first.title
        if len(notices) == 1
        else f"{first.organisation.display_name}: {len(notices)} notices for you"
    )
    message = EmailMultiAlternatives(
        subject=subject[:200],
        body=render_to_string("notices/email/notice.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[first.recipient_email],
        connection=connection,
        headers={
            # Stable per notice: a receiving server that sees the same id twice may drop one.
            "Message-ID": f"<notice-{'-'.join(str(n.pk) for n in notices)}@panelhub>",
            "X-PanelHub-Notice": ",".join(str(n.pk) for n in notices),
        },
    )
    message.attach_alternative(render_to_string("notices/email/notice.html", context), "text/html")
    return message


def _refuse_network(url, *args, **kwargs):
    raise ValueError(f"Letters are rendered offline; refused {url!r}")


def letter_pdf(notice: Notice, *, today: datetime.date) -> bytes:
    """A printable A4 letter for a postal notice (WeasyPrint, no network)."""
    from weasyprint import HTML

    html = render_to_string(
        "notices/letter.html", {"notice": notice, "today": today, "org": notice.organisation}
    )
    return HTML(string=html, url_fetcher=_refuse_network).write_pdf()


# --- Sending ------------------------------------------------------------------------


def _schedule_retry(ids: list[int], token, *, error: str, now, attempts: int) -> tuple[int, int]:
    """Back to pending with back-off, or failed once MAX_ATTEMPTS is reached."""
    guard = {
        "pk__in": ids,
        "claim_token": token,
        "status__in": [NoticeStatus.CLAIMED, NoticeStatus.SENDING],
    }
    if attempts >= MAX_ATTEMPTS:
        failed = Notice.objects.filter(**guard).update(
            status=NoticeStatus.FAILED,
            last_error=f"{error} (gave up after {attempts} attempts)"[:2000],
            updated_at=now,
        )
        return 0, failed
    retrying = Notice.objects.filter(**guard).update(
        status=NoticeStatus.PENDING,
        claim_token=None,
        claimed_until=None,
        next_attempt_at=now + retry_delay(attempts),
        last_error=error[:2000],
        updated_at=now,
    )
    return retrying, 0


def _deliver_offline(notices: list[Notice], token, *, now, report: DispatchReport) -> None:
    """Post and in-app notices: the letter or notification and the "sent" mark commit
    together, so a crash leaves neither and the notice is simply claimed again."""
    if not notices:
        return
    letters: dict[int, bytes] = {}
    ready = []
    today = timezone.localdate(now)
    for notice in notices:
        if notice.channel == NoticeChannel.POST:
            try:
                letters[notice.pk] = letter_pdf(notice, today=today)
            except Exception as exc:  # noqa: BLE001 - recorded on the notice, retried
                logger.exception("notices: letter for notice %s failed", notice.pk)
                retrying, failed = _schedule_retry(
                    [notice.pk], token, error=f"Letter: {exc}", now=now, attempts=notice.attempts
                )
                report.retrying += retrying
                report.failed += failed
                continue
        ready.append(notice)
    if not ready:
        return
    with transaction.atomic():
        mine = set(
            Notice.objects.select_for_update()
            .filter(pk__in=[n.pk for n in ready], claim_token=token, status=NoticeStatus.CLAIMED)
            .values_list("pk", flat=True)
        )
        ready = [n for n in ready if n.pk in mine]
        new_letters = []
        for notice in ready:
            if notice.pk in letters:
                name = f"letters/{notice.organisation_id}/notice-{notice.pk}.pdf"
                if default_storage.exists(name):
                    default_storage.delete(name)
                stored = default_storage.save(name, ContentFile(letters[notice.pk]))
                new_letters.append(
                    Letter(organisation_id=notice.organisation_id, notice=notice, pdf=stored)
                )
        Letter.objects.bulk_create(new_letters)
        Notification.objects.bulk_create(_notifications(ready))
        report.sent += Notice.objects.filter(pk__in=[n.pk for n in ready]).update(
            status=NoticeStatus.SENT, sent_at=now, claimed_until=None, last_error="", updated_at=now
        )


def _notifications(notices: list[Notice]) -> list[Notification]:
    return [
        Notification(
            organisation_id=n.organisation_id,
            user_id=n.recipient_user_id,
            notice=n,
            title=n.title,
            body=n.body,
            link=n.link,
        )
        for n in notices
        if n.recipient_user_id
    ]


def _email_groups(notices: list[Notice]) -> list[list[Notice]]:
    """One message per notice; a member's digest notices claimed together make one."""
    singles, digests = [], defaultdict(list)
    for notice in notices:
        if notice.digest:
            digests[(notice.organisation_id, notice.recipient_email.lower())].append(notice)
        else:
            singles.append([notice])
    return singles + list(digests.values())


def _update_fast(queryset, **values) -> int:
    """An UPDATE committed without waiting for the WAL flush (PostgreSQL
    synchronous_commit off, for this transaction only).

    The row change is visible to every other connection at once and survives any worker
    crash; only a crash of the PostgreSQL server itself within a fraction of a second could
    lose it. That makes the two marks around each SMTP call cheap enough for 10,000 emails
    a minute on two cores (an fsync per email would not be)."""
    with transaction.atomic():
        if transaction.get_connection().vendor == "postgresql":
            with transaction.get_connection().cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        return queryset.update(**values)


def _deliver_email(notices: list[Notice], token, *, now, report: DispatchReport) -> None:
    if not notices:
        return
    sent_ids: list[int] = []
    with get_connection(fail_silently=False) as connection:
        for group in _email_groups(notices):
            ids = [n.pk for n in group]
            # Committed before the SMTP call: if this worker dies inside it, the notice is
            # known to be "maybe sent" and is never resent without an officer.
            marked = _update_fast(
                Notice.objects.filter(pk__in=ids, claim_token=token, status=NoticeStatus.CLAIMED),
                status=NoticeStatus.SENDING,
            )
            if marked != len(ids):
                if marked:  # part of a digest lost its lease: put the rest back untouched
                    Notice.objects.filter(
                        pk__in=ids, claim_token=token, status=NoticeStatus.SENDING
                    ).update(status=NoticeStatus.CLAIMED)
                continue
            try:
                email_message(group, connection).send()
            except Exception as exc:  # noqa: BLE001 - SMTP and backend errors: retried
                logger.warning("notices: email for %s failed: %s", ids, exc)
                retrying, failed = _schedule_retry(
                    ids, token, error=f"Email: {exc}", now=now, attempts=group[0].attempts
                )
                report.retrying += retrying
                report.failed += failed
                continue
            report.sent += _update_fast(
                Notice.objects.filter(pk__in=ids, claim_token=token, status=NoticeStatus.SENDING),
                status=NoticeStatus.SENT,
                sent_at=timezone.now(),
                claimed_until=None,
                last_error="",
                updated_at=now,
            )
            sent_ids.extend(ids)
    # Emailed notices also appear in the recipient's in-app list (one insert per batch).
    Notification.objects.bulk_create(
        _notifications([n for n in notices if n.pk in set(sent_ids)]), ignore_conflicts=True
    )


def deliver_batch(notices: list[Notice], token, *, now, report: DispatchReport) -> None:
    by_channel = defaultdict(list)
    for notice in notices:
        by_channel[notice.channel == NoticeChannel.EMAIL].append(notice)
    _deliver_offline(by_channel[False], token, now=now, report=report)
    _deliver_email(by_channel[True], token, now=now, report=report)


class QueryCounter:
    """Counts the SQL statements of a batch (for the benchmark's queries per batch)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def dispatch_due(
    *,
    now: datetime.datetime | None = None,
    batch_size: int = BATCH_SIZE,
    max_batches: int | None = None,
    count_queries: bool = False,
) -> DispatchReport:
    """Send every notice due by ``now``: recover expired leases, then claim and deliver
    batches until none is left (or the run's time budget is spent)."""
    from django.db import connection as db

    report = DispatchReport()
    started = time.monotonic()
    with scopes_disabled():  # the dispatcher serves every organisation
        now = now or timezone.now()
        report.recovered = recover_expired_leases(now=now)
        heartbeat(now=now)
        while max_batches is None or report.batches < max_batches:
            if time.monotonic() - started > RUN_TIME_BUDGET_SECONDS:
                break
            counter = QueryCounter()
            with db.execute_wrapper(counter) if count_queries else nullcontext():
                token, notices = claim_batch(now=now, size=batch_size)
                if notices:
                    report.batches += 1
                    report.claimed += len(notices)
                    deliver_batch(notices, token, now=now, report=report)
            if not notices:
                break
            if count_queries:
                report.batch_queries.append(counter.count)
        heartbeat(now=timezone.now(), sent=report.sent)
    return report
