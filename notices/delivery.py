"""The dispatcher: claims due notices in batches and sends each exactly once.

A batch is handled in a few set-based statements, each guarded by the batch's claim token
(``id = ANY(...)`` on PostgreSQL), so a worker whose lease ran out can change nothing:

    claim       one UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED LIMIT n)
                pending -> claimed, with a fresh token and a lease of LEASE_SECONDS (60)
    post/in-app letters rendered first; then one transaction inserts the letters and
                notifications and marks the rows sent
    email       every message rendered first; then in chunks (CHUNK_MESSAGES messages or
                CHUNK_SECONDS): one UPDATE marks the chunk "sending", the SMTP calls, one
                UPDATE recording the server's acceptance of each message (its queue id,
                else our Message-ID); at the end one transaction marks every accepted row
                sent (sent_at = the acceptance time) and puts the in-app copies in the
                recipients' lists
    renewal     while a batch runs, its lease is renewed every RENEW_EVERY_SECONDS; a
                worker that cannot renew (another took its rows) stops at once

A refused send is written back at once (pending with back-off, or failed after
MAX_ATTEMPTS); a connection that breaks mid-message makes that message uncertain and stops
the batch, and the messages not yet tried go back to pending untouched.

When a worker dies, its lease runs out within a minute and the next dispatcher run
(``recover_expired_leases``) sorts its rows: claimed ones (never tried) go back to pending;
"sending" ones whose acceptance was recorded become *uncertain, probably delivered*; the
rest of the chunk it was sending becomes *uncertain*. Uncertain notices are never resent
without an officer, who sees which were probably delivered. Nothing is dropped and nothing
is sent twice.
"""

from __future__ import annotations

import datetime
import logging
import os
import smtplib
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
from django.db import connection as db
from django.db import transaction
from django.template.loader import get_template
from django.utils import timezone

from notices.messages import account_email, secrets_forget_sent
from notices.models import (
    MESSAGE_KINDS,
    Letter,
    Notice,
    NoticeChannel,
    NoticeKind,
    NoticeStatus,
    Notification,
    WorkerHeartbeat,
)
from panels.tenancy import scopes_disabled

logger = logging.getLogger(__name__)

# Notices claimed per batch: bounds a batch's work and what a killed worker held.
BATCH_SIZE = 200
# A worker holds a claimed batch this long unless it renews the lease; after it, another
# worker takes the rows back. Short, so a dead worker's notices go out within a minute.
LEASE_SECONDS = int(getattr(settings, "NOTICES_LEASE_SECONDS", 60))
# A running batch renews its lease this often, and never starts a send with less than
# LEASE_MARGIN_SECONDS of it left (it stops instead: its rows may be about to be taken).
RENEW_EVERY_SECONDS = LEASE_SECONDS / 3
LEASE_MARGIN_SECONDS = LEASE_SECONDS / 4
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
PROBABLY_DELIVERED = (
    "The worker stopped after the mail server had accepted this email ({smtp_id}) but before "
    "recording it as sent: it was probably delivered. It was not resent automatically."
)
LEASE_EXPIRED_SENDING = (
    "The worker stopped while handing this email to the mail server, so it may or may not "
    "have been delivered. It was not resent automatically: check with the recipient and "
    "use Send again if it did not arrive."
)
# Emails are sent in chunks of at most this many messages or seconds: one statement marks
# a chunk "sending" and one records the server's acceptance of each of its messages. A
# worker killed mid-chunk leaves that chunk's unrecorded messages uncertain.
CHUNK_MESSAGES = 10
CHUNK_SECONDS = 1.0
# The mail server answered with a refusal, or could not be reached at all: the message
# certainly did not go (tried again with back-off). Any other OSError during a send (the
# connection dropped or timed out mid-message) leaves it uncertain.
REFUSED = (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused, ConnectionRefusedError)
UNREACHABLE = (smtplib.SMTPConnectError, ConnectionRefusedError, socket.gaierror)


def _send_outcome(exc: Exception) -> str:
    """ "retry" (not delivered; the next message may go), "unreachable" (not delivered; stop
    the batch) or "uncertain" (the connection broke mid-message: it may have gone)."""
    if isinstance(exc, UNREACHABLE):
        return "unreachable"
    if isinstance(exc, REFUSED) or not isinstance(exc, OSError):
        return "retry"
    return "uncertain"


@dataclass
class DispatchReport:
    batches: int = 0
    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    recovered: int = 0
    expired: int = 0
    stopped: str = ""
    batch_queries: list[int] = field(default_factory=list)


def retry_delay(attempts: int) -> datetime.timedelta:
    seconds = min(RETRY_MAX_SECONDS, RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1))
    return datetime.timedelta(seconds=seconds)


def worker_name() -> str:
    return f"{socket.gethostname()}"[:200]


def heartbeat(*, now: datetime.datetime, sent: int = 0) -> None:
    """This dispatcher is alive (``/healthz`` reads the freshest heartbeat)."""
    WorkerHeartbeat.objects.update_or_create(
        hostname=worker_name(),
        defaults={"pid": os.getpid(), "last_seen_at": now, "last_batch_sent": sent},
    )


# --- SQL helpers --------------------------------------------------------------------------

TABLE = Notice._meta.db_table


def _ids_sql(ids) -> tuple[str, list]:
    """``id = ANY(%s)`` with one array parameter on PostgreSQL; ``id IN (...)`` elsewhere."""
    ids = list(ids)
    if db.vendor == "postgresql":
        return "id = ANY(%s)", [ids]
    return f"id IN ({', '.join(['%s'] * len(ids)) or 'NULL'})", ids


def _db_token(token: uuid.UUID):
    """A claim token as the database stores it (SQLite: 32 hex characters)."""
    return token if db.vendor == "postgresql" else token.hex


def _db_value(value):
    """A parameter as the backend stores it (times and tokens differ on SQLite)."""
    if isinstance(value, datetime.datetime):
        return db.ops.adapt_datetimefield_value(value)
    if isinstance(value, uuid.UUID):
        return _db_token(value)
    return value


def _execute(sql: str, params: list) -> int:
    with db.cursor() as cursor:
        cursor.execute(sql, [_db_value(p) for p in params])
        return cursor.rowcount


def _update(ids, token, statuses: tuple[str, ...], assignments: str, values: list) -> int:
    """One guarded UPDATE of the rows ``ids`` still held by ``token`` in ``statuses``."""
    if not ids:
        return 0
    where, id_params = _ids_sql(ids)
    marks = ", ".join(["%s"] * len(statuses))
    return _execute(
        f"UPDATE {TABLE} SET {assignments} WHERE {where} AND claim_token = %s "
        f"AND status IN ({marks})",
        [*values, *id_params, _db_token(token), *statuses],
    )


def _fast_commits(on: bool) -> None:
    """PostgreSQL commits of this connection without waiting for the WAL flush while the
    dispatcher runs (``synchronous_commit`` off for the session, reset after).

    A change is visible to every other connection at once and survives any worker crash;
    only a crash of the PostgreSQL server itself within a fraction of a second could lose
    the last marks (a notice would then show as uncertain or, at worst, go twice)."""
    if db.vendor == "postgresql":
        _execute("SET synchronous_commit TO OFF" if on else "RESET synchronous_commit", [])


class Lease:
    """The claim on one batch: renewed while the batch runs, and the check before each send
    that this worker still holds it."""

    def __init__(self, token: uuid.UUID, *, now: datetime.datetime):
        self.token = token
        self.now = now  # the run's clock (tests and the benchmark pass their own)
        self.started = time.monotonic()
        self.renewed = self.started
        self.lost = False

    def clock(self) -> datetime.datetime:
        return self.now + datetime.timedelta(seconds=time.monotonic() - self.started)

    def until(self) -> datetime.datetime:
        return self.clock() + datetime.timedelta(seconds=LEASE_SECONDS)

    def holds(self) -> bool:
        """Renew when due; False (stop the batch) once the lease cannot be trusted."""
        if self.lost:
            return False
        age = time.monotonic() - self.renewed
        if age >= LEASE_SECONDS - LEASE_MARGIN_SECONDS:
            # Too late to renew safely: another worker may already be taking the rows.
            self.lost = True
            logger.warning("notices: batch %s outlived its lease; stopping it", self.token)
            return False
        if age >= RENEW_EVERY_SECONDS:
            renewed = _execute(
                f"UPDATE {TABLE} SET claimed_until = %s WHERE claim_token = %s "
                "AND status IN (%s, %s)",
                [self.until(), _db_token(self.token), NoticeStatus.CLAIMED, NoticeStatus.SENDING],
            )
            self.renewed = time.monotonic()
            heartbeat(now=self.clock())
            if not renewed:
                self.lost = True
                return False
        return True


# --- Claiming and recovering --------------------------------------------------------------


def claim_batch(
    *, now: datetime.datetime, size: int = BATCH_SIZE, lease_from: datetime.datetime | None = None
) -> tuple[uuid.UUID, list]:
    """Claim up to ``size`` notices due by ``now`` for this worker (skipping rows another
    holds), in one statement, then read them. The lease runs from ``lease_from`` (the
    run's real clock; default ``now``)."""
    token = uuid.uuid4()
    lease_until = (lease_from or now) + datetime.timedelta(seconds=LEASE_SECONDS)
    values = [NoticeStatus.CLAIMED, _db_token(token), lease_until, now]
    pick = (
        f"SELECT id FROM {TABLE} WHERE status = %s AND next_attempt_at <= %s "
        "ORDER BY next_attempt_at, id LIMIT %s"
    )
    with transaction.atomic():
        if db.vendor == "postgresql":
            claimed = _execute(
                f"UPDATE {TABLE} SET status = %s, claim_token = %s, claimed_until = %s, "
                f"attempts = attempts + 1, updated_at = %s "
                f"WHERE id IN ({pick} FOR UPDATE SKIP LOCKED)",
                [*values, NoticeStatus.PENDING, now, size],
            )
        else:  # SQLite (make run): one writer at a time; the status guard does the rest
            claimed = _execute(
                f"UPDATE {TABLE} SET status = %s, claim_token = %s, claimed_until = %s, "
                f"attempts = attempts + 1, updated_at = %s "
                f"WHERE id IN ({pick}) AND status = %s",
                [*values, NoticeStatus.PENDING, now, size, NoticeStatus.PENDING],
            )
    if not claimed:
        return token, []
    notices = list(
        Notice.objects.filter(claim_token=token, status=NoticeStatus.CLAIMED)
        .select_related("organisation", "recipient_person")
        .order_by("id")
    )
    return token, notices


EXPIRED_REASON = (
    "Not sent: its time ran out at {at:%H:%M} on {at:%d %B %Y} (a meeting reminder is never "
    "sent once the meeting has started)."
)


def withdraw_expired(*, now: datetime.datetime) -> int:
    """Withdraw pending notices whose ``expires_at`` has come (a reminder of a meeting that
    has started), with the reason in the ledger: they are never sent late."""
    withdrawn = 0
    with transaction.atomic():
        rows = list(
            Notice.objects.filter(status=NoticeStatus.PENDING, expires_at__lte=now)
            .select_for_update(skip_locked=True)
            .values_list("id", "expires_at")
        )
        by_time = defaultdict(list)
        for pk, at in rows:
            by_time[at].append(pk)
        for at, ids in by_time.items():
            local = at.astimezone(timezone.get_default_timezone())
            withdrawn += Notice.objects.filter(pk__in=ids, status=NoticeStatus.PENDING).update(
                status=NoticeStatus.WITHDRAWN,
                withdrawn_reason=EXPIRED_REASON.format(at=local)[:300],
                updated_at=now,
            )
    return withdrawn


def recover_expired_leases(*, now: datetime.datetime) -> int:
    """Sort the rows of workers whose lease ran out: claimed ones were never tried and go
    back to pending; "sending" ones the server had accepted are uncertain but probably
    delivered; the other "sending" ones (the chunk being sent when the worker died) are
    uncertain. Neither kind is resent without an officer."""
    with transaction.atomic():
        rows = list(
            Notice.objects.filter(
                status__in=[NoticeStatus.CLAIMED, NoticeStatus.SENDING], claimed_until__lt=now
            )
            .select_for_update(skip_locked=True)
            .values_list("id", "status", "smtp_id", "smtp_accepted_at")
        )
        if not rows:
            return 0
        back = [pk for pk, status, _, _ in rows if status == NoticeStatus.CLAIMED]
        accepted = [
            (pk, smtp_id)
            for pk, status, smtp_id, at in rows
            if status != NoticeStatus.CLAIMED and at
        ]
        uncertain = [pk for pk, status, _, at in rows if status == NoticeStatus.SENDING and not at]
        common = {"claim_token": None, "claimed_until": None, "updated_at": now}
        Notice.objects.filter(pk__in=back).update(
            status=NoticeStatus.PENDING,
            next_attempt_at=now,
            last_error=LEASE_EXPIRED_CLAIMED,
            **common,
        )
        by_smtp_id = defaultdict(list)
        for pk, smtp_id in accepted:
            by_smtp_id[smtp_id].append(pk)
        for smtp_id, ids in by_smtp_id.items():
            Notice.objects.filter(pk__in=ids).update(
                status=NoticeStatus.UNCERTAIN,
                last_error=PROBABLY_DELIVERED.format(smtp_id=smtp_id or "no id given"),
                **common,
            )
        Notice.objects.filter(pk__in=uncertain).update(
            status=NoticeStatus.UNCERTAIN, last_error=LEASE_EXPIRED_SENDING, **common
        )
    if accepted or uncertain:
        logger.warning(
            "notices: %s interrupted send(s): %s probably delivered, %s uncertain",
            len(accepted) + len(uncertain),
            len(accepted),
            len(uncertain),
        )
    return len(rows)


# --- Rendering ----------------------------------------------------------------------------


def site_url() -> str:
    return getattr(settings, "SITE_URL", "") or "http://127.0.0.1:8000"


class EmailRenderer:
    """Renders notice emails; the templates are looked up once per batch."""

    def __init__(self):
        self.text = get_template("notices/email/notice.txt")
        self.html = get_template("notices/email/notice.html")
        self.site = site_url()

    def message(self, notices: list[Notice], connection=None) -> EmailMultiAlternatives:
        """One email: a single notice, or a member's digest of several."""
        first = notices[0]
        if first.kind in MESSAGE_KINDS:
            return account_email(first, connection)
        context = {"notices": notices, "notice": first, "site_url": self.site}
        subject = (
            first.title
            if len(notices) == 1
            else f"{first.organisation.display_name}: {len(notices)} notices for you"
        )
        ids = [str(n.pk) for n in notices]
        message = EmailMultiAlternatives(
            subject=subject[:200],
            body=self.text.render(context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[first.recipient_email],
            connection=connection,
            headers={
                # Stable per notice: a receiving server that sees the same id twice may drop
                # one.
                "Message-ID": f"<notice-{'-'.join(ids)}@panelhub>",
                "X-PanelHub-Notice": ",".join(ids),
            },
        )
        message.attach_alternative(self.html.render(context), "text/html")
        return message


def email_message(notices: list[Notice], connection) -> EmailMultiAlternatives:
    return EmailRenderer().message(notices, connection)


def _paper_url(org):
    from django.urls import reverse

    def url(paper) -> str:
        path = reverse("meetings:paper", kwargs={"org_slug": org.slug, "paper_id": paper.pk})
        return site_url().rstrip("/") + path

    return url


def letter_pdf(notice: Notice, *, today: datetime.date) -> bytes:
    """A printable A4 letter for a postal notice (WeasyPrint, tagged, en-GB, no network):
    dated, with the organisation's address and a contact's phone and email; in large print
    for a member who asked for it. Papers issued by post: the covering letter, then the
    agenda pack (meetings.pdf)."""
    from panelhub.pdf import render_pdf
    from panels.letters import letter_sender

    if notice.kind == NoticeKind.PAPERS_ISSUED:
        from meetings.models import PaperIssue
        from meetings.pdf import papers_letter_pdf

        issue = (
            PaperIssue.objects.filter(pk=notice.subject_id)
            .select_related("meeting__panel", "meeting__organisation", "person", "issued_by")
            .first()
        )
        if issue is not None:
            return papers_letter_pdf(issue=issue, paper_url=_paper_url(notice.organisation))
    person = notice.recipient_person
    return render_pdf(
        "notices/letter.html",
        {
            "notice": notice,
            "today": today,
            "org": notice.organisation,
            "sender": letter_sender(org=notice.organisation),
            "large_print": bool(person is not None and person.large_print),
        },
    )


# --- Sending ------------------------------------------------------------------------------


def _write_back_failure(ids, token, *, error: str, now, attempts: int, report) -> None:
    """A failed attempt, at once: pending with back-off, or failed at MAX_ATTEMPTS."""
    statuses = (NoticeStatus.CLAIMED, NoticeStatus.SENDING)
    if attempts >= MAX_ATTEMPTS:
        report.failed += _update(
            ids,
            token,
            statuses,
            "status = %s, last_error = %s, claimed_until = NULL, updated_at = %s",
            [NoticeStatus.FAILED, f"{error} (gave up after {attempts} attempts)"[:2000], now],
        )
        return
    report.retrying += _update(
        ids,
        token,
        statuses,
        "status = %s, claim_token = NULL, claimed_until = NULL, next_attempt_at = %s, "
        "last_error = %s, updated_at = %s",
        [NoticeStatus.PENDING, now + retry_delay(attempts), error[:2000], now],
    )


def _put_back_untried(ids, token, *, now, reason: str) -> int:
    """Messages this batch did not try: pending again (due at ``now``), the attempt not
    counted."""
    return _update(
        ids,
        token,
        (NoticeStatus.CLAIMED, NoticeStatus.SENDING),
        "status = %s, claim_token = NULL, claimed_until = NULL, attempts = attempts - 1, "
        "next_attempt_at = %s, last_error = %s, updated_at = %s",
        [NoticeStatus.PENDING, now, reason[:2000], timezone.now()],
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
        if n.recipient_user_id and n.kind not in MESSAGE_KINDS  # account emails: no copy
    ]


def _deliver_offline(notices: list[Notice], lease: Lease, *, now, report) -> None:
    """Post and in-app notices: the letters are rendered first; then the letters or
    notifications and the "sent" mark commit together, so a crash leaves neither and the
    notice is simply claimed again."""
    if not notices:
        return
    letters: dict[int, bytes] = {}
    ready = []
    today = timezone.localdate(now)
    for notice in notices:
        if notice.channel == NoticeChannel.POST:
            if not lease.holds():
                return  # the rows go back to pending when the lease runs out
            try:
                letters[notice.pk] = letter_pdf(notice, today=today)
            except Exception as exc:  # noqa: BLE001 - recorded on the notice, retried
                logger.exception("notices: letter for notice %s failed", notice.pk)
                _write_back_failure(
                    [notice.pk],
                    lease.token,
                    error=f"Letter: {exc}",
                    now=now,
                    attempts=notice.attempts,
                    report=report,
                )
                continue
        ready.append(notice)
    if not ready or not lease.holds():
        return
    with transaction.atomic():
        where, params = _ids_sql([n.pk for n in ready])
        with db.cursor() as cursor:
            cursor.execute(
                f"UPDATE {TABLE} SET status = %s, sent_at = %s, claimed_until = NULL, "
                f"last_error = '', updated_at = %s WHERE {where} AND claim_token = %s "
                "AND status = %s RETURNING id",
                [
                    NoticeStatus.SENT,
                    now,
                    now,
                    *params,
                    _db_token(lease.token),
                    NoticeStatus.CLAIMED,
                ],
            )
            mine = {row[0] for row in cursor.fetchall()}
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
        report.sent += len(ready)


def _email_groups(notices: list[Notice]) -> list[list[Notice]]:
    """One message per notice; a member's digest notices claimed together make one. In id
    order of each group's first notice: the order recovery assumes."""
    groups: dict = {}
    for notice in notices:
        key = (
            ("digest", notice.organisation_id, notice.recipient_email.lower())
            if notice.digest
            else notice.pk
        )
        groups.setdefault(key, []).append(notice)
    return sorted(groups.values(), key=lambda group: group[0].pk)


def _server_reply(connection) -> str:
    """The SMTP server's answer to the message (e.g. "2.0.0 Ok: queued as 4Zx1"), when the
    backend is Django's SMTP backend; "" otherwise."""
    smtp = getattr(connection, "connection", None)
    reply = getattr(smtp, "panelhub_last_reply", b"")
    return reply.decode("utf-8", "replace").strip() if isinstance(reply, bytes) else ""


def _record_replies(connection) -> None:
    """Keep the SMTP server's reply to DATA on the smtplib connection (smtplib drops it)."""
    smtp = getattr(connection, "connection", None)
    if smtp is None or getattr(smtp, "panelhub_recording", False):
        return
    data = smtp.data

    def recording_data(msg):
        code, reply = data(msg)
        smtp.panelhub_last_reply = reply
        return code, reply

    smtp.data = recording_data
    smtp.panelhub_recording = True


def _record_acceptances(accepted: list[tuple[list[int], str, datetime.datetime]], token) -> int:
    """One statement: the server's acceptance of each message of a chunk."""
    if not accepted:
        return 0
    ids, smtp_ids, times = [], [], []
    for group_ids, smtp_id, at in accepted:
        for pk in group_ids:
            ids.append(pk)
            smtp_ids.append(smtp_id[:300])
            times.append(at)
    if db.vendor == "postgresql":
        return _execute(
            f"UPDATE {TABLE} AS n SET smtp_id = v.smtp_id, smtp_accepted_at = v.at "
            "FROM unnest(%s::bigint[], %s::text[], %s::timestamptz[]) AS v(id, smtp_id, at) "
            "WHERE n.id = v.id AND n.claim_token = %s AND n.status = %s",
            [ids, smtp_ids, times, token, NoticeStatus.SENDING],
        )
    return sum(
        _update(
            [pk], token, (NoticeStatus.SENDING,), "smtp_id = %s, smtp_accepted_at = %s", [i, at]
        )
        for pk, i, at in zip(ids, smtp_ids, times, strict=True)
    )


def _deliver_email(notices: list[Notice], lease: Lease, *, now, report) -> None:
    """Render every message, then send them in chunks: one statement marks a chunk
    "sending", the messages go, one statement records the server's acceptance of each
    (at most CHUNK_MESSAGES messages or CHUNK_SECONDS apart), and at the end one transaction
    marks every accepted row sent. A worker that dies leaves at most one chunk uncertain."""
    if not notices:
        return
    token = lease.token
    renderer = EmailRenderer()
    ready = []
    for group in _email_groups(notices):
        try:
            ready.append((group, renderer.message(group)))
        except Exception as exc:  # noqa: BLE001 - a template or data error: retried
            logger.exception("notices: rendering %s failed", [n.pk for n in group])
            _write_back_failure(
                [n.pk for n in group],
                token,
                error=f"Email: {exc}",
                now=now,
                attempts=group[0].attempts,
                report=report,
            )
    if not ready:
        return
    accepted: list[Notice] = []
    untried: list[int] = []
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as exc:  # noqa: BLE001 - the mail server is away: nothing was tried
        report.stopped = f"Mail server unreachable: {exc}"
        logger.warning("notices: %s", report.stopped)
        untried = [n.pk for group, _ in ready for n in group]
        ready = []
    position = 0
    try:
        while position < len(ready):
            chunk = ready[position : position + CHUNK_MESSAGES]
            chunk_ids = [n.pk for group, _ in chunk for n in group]
            if not lease.holds() or _update(
                chunk_ids, token, (NoticeStatus.CLAIMED,), "status = %s", [NoticeStatus.SENDING]
            ) != len(chunk_ids):
                lease.lost = True  # rows no longer ours, or about to be taken: stop
                untried.extend(n.pk for group, _ in ready[position:] for n in group)
                break
            done, stop = _send_chunk(chunk, connection, lease, now=now, report=report)
            recorded = _record_acceptances(done, token)
            done_ids = {pk for ids, _, _ in done for pk in ids}
            accepted.extend(n for group, _ in chunk for n in group if n.pk in done_ids)
            tried = len(done) + stop.tried_unaccepted
            rest = chunk[tried:]
            if recorded != sum(len(ids) for ids, _, _ in done):
                lease.lost = True
                untried.extend(n.pk for group, _ in ready[position + tried :] for n in group)
                break
            if stop.reason:
                report.stopped = stop.reason
                untried.extend(n.pk for group, _ in ready[position + tried :] for n in group)
                break
            # A chunk cut short by its time limit: its untried rows are claimed again.
            _update(
                [n.pk for group, _ in rest for n in group],
                token,
                (NoticeStatus.SENDING,),
                "status = %s",
                [NoticeStatus.CLAIMED],
            )
            position += tried
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001 - a server gone after the last message
            logger.info("notices: closing the mail connection failed", exc_info=True)
    if untried:
        # Not tried: pending again; after a mail server outage, not before a short pause.
        retry_at = now + retry_delay(1) if report.stopped else now
        _put_back_untried(
            untried,
            token,
            now=retry_at,
            reason=report.stopped or "Not tried: the batch stopped; sent by the next run.",
        )
    if not accepted:
        return
    # One transaction: every accepted row marked sent, and its in-app copy.
    with transaction.atomic():
        report.sent += _update(
            [n.pk for n in accepted],
            token,
            (NoticeStatus.SENDING,),
            "status = %s, sent_at = smtp_accepted_at, claimed_until = NULL, "
            "last_error = '', updated_at = %s",
            [NoticeStatus.SENT, now],
        )
        Notification.objects.bulk_create(_notifications(accepted), ignore_conflicts=True)
        secrets_forget_sent([n.pk for n in accepted if n.kind in MESSAGE_KINDS])


@dataclass
class _ChunkStop:
    reason: str = ""
    tried_unaccepted: int = 0  # messages tried and written back (failed or uncertain)


def _send_chunk(chunk, connection, lease: Lease, *, now, report):
    """Send a chunk's messages in order until it is done, CHUNK_SECONDS pass or the
    connection fails. Returns ([(ids, smtp id, accepted at)], stop); the messages tried are
    the first ``len(accepted) + stop.tried_unaccepted`` of the chunk, in order."""
    token = lease.token
    started = time.monotonic()
    done: list[tuple[list[int], str, datetime.datetime]] = []
    stop = _ChunkStop()
    for index, (group, message) in enumerate(chunk):
        if index and (time.monotonic() - started > CHUNK_SECONDS or not lease.holds()):
            break
        ids = [n.pk for n in group]
        message.connection = connection
        try:
            _record_replies(connection)
            if not message.send():
                raise smtplib.SMTPRecipientsRefused({})  # the backend sent nothing
        except Exception as exc:  # noqa: BLE001 - SMTP and backend errors
            outcome = _send_outcome(exc)
            logger.warning("notices: email for %s failed (%s): %s", ids, outcome, exc)
            stop.tried_unaccepted += 1
            if outcome == "uncertain":
                _update(
                    ids,
                    token,
                    (NoticeStatus.SENDING,),
                    "status = %s, claimed_until = NULL, last_error = %s, updated_at = %s",
                    [NoticeStatus.UNCERTAIN, f"{LEASE_EXPIRED_SENDING} ({exc})"[:2000], now],
                )
            else:
                _write_back_failure(
                    ids,
                    token,
                    error=f"Email: {exc}",
                    now=now,
                    attempts=group[0].attempts,
                    report=report,
                )
            if outcome != "retry":
                stop.reason = f"Mail server connection lost: {exc}"
                break
            continue
        smtp_id = _server_reply(connection) or message.extra_headers["Message-ID"]
        done.append((ids, smtp_id, lease.clock()))
    return done, stop


def deliver_batch(notices: list[Notice], token, *, now, report: DispatchReport, lease=None):
    lease = lease or Lease(token, now=now)
    by_channel = defaultdict(list)
    for notice in notices:
        by_channel[notice.channel == NoticeChannel.EMAIL].append(notice)
    _deliver_offline(by_channel[False], lease, now=now, report=report)
    _deliver_email(by_channel[True], lease, now=now, report=report)


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
    batches until none is left (or the run's time budget is spent, or the mail server is
    unreachable)."""
    report = DispatchReport()
    started = time.monotonic()
    with scopes_disabled():  # the dispatcher serves every organisation
        now = now or timezone.now()
        heartbeat(now=now)
        _fast_commits(True)
        try:
            report.recovered = recover_expired_leases(now=now)
            report.expired = withdraw_expired(now=now)
            while max_batches is None or report.batches < max_batches:
                if time.monotonic() - started > RUN_TIME_BUDGET_SECONDS or report.stopped:
                    break
                counter = QueryCounter()
                with db.execute_wrapper(counter) if count_queries else nullcontext():
                    # Leases run on the real clock from the run's start; the rows' times
                    # (due, sent, retry) use ``now`` as the old dispatcher did.
                    lease_clock = now + datetime.timedelta(seconds=time.monotonic() - started)
                    token, notices = claim_batch(now=now, size=batch_size, lease_from=lease_clock)
                    if notices:
                        report.batches += 1
                        report.claimed += len(notices)
                        deliver_batch(
                            notices,
                            token,
                            now=now,
                            report=report,
                            lease=Lease(token, now=lease_clock),
                        )
                if not notices:
                    break
                if count_queries:
                    report.batch_queries.append(counter.count)
        finally:
            _fast_commits(False)
        heartbeat(
            now=now + datetime.timedelta(seconds=time.monotonic() - started), sent=report.sent
        )
    return report
