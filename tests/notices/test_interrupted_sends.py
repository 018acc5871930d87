"""Issue 14 item 3 and issue 20 item 4, on a real PostgreSQL: the short claim lease
(renewed while a batch runs, taken over after it expires and not before), the mail
server's acceptance recorded before "sent" (interrupted sends shown as probably delivered
or uncertain, sent again only on an officer's confirmation), a mail server failing half-way
(the sent marked, the unsent pending, none twice), and the batch's set-based statements."""

import datetime
import re
import smtplib
import threading
import time
from collections import Counter

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as Locmem
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from notices import delivery
from notices.models import Notice, NoticeStatus
from notices.services import notice_retry
from panels.errors import RuleViolation
from tests.notices import smtp_server
from tests.notices.test_exactly_once import make_due_notices, outbox_counts

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


class Killed(BaseException):
    """Stands for SIGKILL inside the process: nothing after it runs (no except, no mark)."""


class DiesAtBackend(Locmem):
    """Accepts messages until the Nth, then the worker "dies" (before or after handing the
    Nth over)."""

    die_at = 3
    after_handing_over = False

    def send_messages(self, messages):
        if len(mail.outbox) + 1 == self.die_at:
            if self.after_handing_over:
                super().send_messages(messages)
            raise Killed
        return super().send_messages(messages)


def test_a_claimed_batch_is_taken_over_after_the_lease_not_before(tenant_a):
    ids = make_due_notices(tenant_a, 30)
    now = timezone.now()
    token, claimed = delivery.claim_batch(now=now)  # a worker claims, then dies
    assert len(claimed) == 30
    assert Notice.objects.get(pk=ids[0]).claimed_until == now + datetime.timedelta(
        seconds=delivery.LEASE_SECONDS
    )
    assert delivery.LEASE_SECONDS == 60

    almost = now + datetime.timedelta(seconds=delivery.LEASE_SECONDS - 1)
    report = delivery.dispatch_due(now=almost)
    assert report.recovered == 0 and report.sent == 0 and mail.outbox == []

    after = now + datetime.timedelta(seconds=delivery.LEASE_SECONDS + 1)
    report = delivery.dispatch_due(now=after)
    assert report.recovered == 30 and report.sent == 30
    # The dead worker's token can change nothing now, and sends nothing.
    delivery.deliver_batch(claimed, token, now=after, report=delivery.DispatchReport())
    assert sorted(outbox_counts()) == sorted(ids) and max(outbox_counts().values()) == 1


def test_a_batch_longer_than_its_lease_renews_it_and_is_not_taken(tenant_a, settings, monkeypatch):
    """Real time: a 3 s lease, messages taking 0.25 s each (5 s in all). A second
    dispatcher polling all along never takes the running batch."""
    monkeypatch.setattr(delivery, "LEASE_SECONDS", 3)
    monkeypatch.setattr(delivery, "RENEW_EVERY_SECONDS", 1)
    monkeypatch.setattr(delivery, "LEASE_MARGIN_SECONDS", 0.75)
    settings.EMAIL_BACKEND = "tests.notices.test_interrupted_sends.SlowLocmem"
    ids = make_due_notices(tenant_a, 20)
    done, reports, errors = threading.Event(), [], []

    def first():
        try:
            reports.append(delivery.dispatch_due())
        except Exception as exc:  # noqa: BLE001 - surfaced below
            errors.append(exc)
        finally:
            done.set()
            connections.close_all()

    thread = threading.Thread(target=first)
    thread.start()
    recovered = 0
    while not done.is_set():
        recovered += delivery.recover_expired_leases(now=timezone.now())
        time.sleep(0.2)
    thread.join()
    assert errors == [] and recovered == 0
    assert reports[0].sent == 20 and reports[0].batches == 1
    assert Counter(outbox_counts()) == Counter(ids)
    # The lease was renewed while it ran: it ended long after the first 3 s.
    assert set(Notice.objects.values_list("status", flat=True)) == {NoticeStatus.SENT}


class RefusingHalfWay(Locmem):
    def send_messages(self, messages):
        if len(mail.outbox) >= 3:
            raise smtplib.SMTPDataError(451, b"try again later")
        return super().send_messages(messages)


class SlowLocmem(Locmem):
    def send_messages(self, messages):
        time.sleep(0.25)
        return super().send_messages(messages)


@pytest.mark.parametrize("after_handing_over", [False, True])
def test_a_worker_dying_mid_batch_leaves_probably_delivered_and_uncertain(
    tenant_a, settings, after_handing_over
):
    """Dies at the 13th message: the first chunk's ten acceptances were recorded (probably
    delivered), the second chunk was being sent (uncertain), the rest were never tried and
    go once after the lease."""
    assert delivery.CHUNK_MESSAGES == 10
    settings.EMAIL_BACKEND = "tests.notices.test_interrupted_sends.DiesAtBackend"
    DiesAtBackend.die_at = 13
    DiesAtBackend.after_handing_over = after_handing_over
    ids = make_due_notices(tenant_a, 30)
    now = timezone.now()
    with pytest.raises(Killed):
        delivery.dispatch_due(now=now)
    handed_over = outbox_counts()
    assert len(handed_over) == (13 if after_handing_over else 12)
    rows = {n.pk: n for n in Notice.objects.all()}
    # The first chunk carries the server's acceptance; nothing is marked sent yet.
    assert sorted(pk for pk, n in rows.items() if n.smtp_accepted_at) == ids[:10]
    assert all(rows[pk].smtp_id == f"<notice-{pk}@panelhub>" for pk in ids[:10])
    assert [rows[pk].status for pk in ids] == [NoticeStatus.SENDING] * 20 + [
        NoticeStatus.CLAIMED
    ] * 10

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert delivery.dispatch_due(now=now + datetime.timedelta(seconds=30)).sent == 0
    report = delivery.dispatch_due(now=now + datetime.timedelta(seconds=61))
    assert report.recovered == 30 and report.sent == 10  # the untried ten, once each
    rows = {n.pk: n for n in Notice.objects.all()}
    assert all(rows[pk].probably_delivered for pk in ids[:10])
    assert "probably delivered" in rows[ids[0]].last_error
    assert all(rows[pk].status == NoticeStatus.UNCERTAIN for pk in ids[10:20])
    assert not any(rows[pk].probably_delivered for pk in ids[10:20])
    assert "may or may not have been delivered" in rows[ids[12]].last_error
    assert all(rows[pk].status == NoticeStatus.SENT for pk in ids[20:])
    # Each went at most once: the one in flight only if it was handed over.
    counts = outbox_counts()
    assert max(counts.values()) == 1
    expected = set(ids[:12]) | set(ids[20:]) | ({ids[12]} if after_handing_over else set())
    assert set(counts) == expected

    # Send again asks first; confirmed, it goes once more.
    with pytest.raises(RuleViolation) as refused:
        notice_retry(notice=rows[ids[15]], by=tenant_a.officer)
    assert refused.value.code == "notices.retry_needs_confirmation"
    notice_retry(notice=rows[ids[15]], by=tenant_a.officer, confirmed=True)
    delivery.dispatch_due()
    assert Notice.objects.get(pk=ids[15]).status == NoticeStatus.SENT
    assert outbox_counts()[ids[15]] == 1


def test_an_smtp_server_dropping_the_connection_half_way(tenant_a, settings):
    """Real SMTP: the server's queue id is recorded; the message in flight when the
    connection drops is uncertain; the sent are marked; the untried stay pending and go
    once on the next run."""
    box = smtp_server.Mailbox(drop_at=4, drop_when="after")
    server, port = smtp_server.start(box)
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        ids = make_due_notices(tenant_a, 8)
        report = delivery.dispatch_due()
        assert report.sent == 3 and report.stopped.startswith("Mail server connection lost")
        rows = {n.pk: n for n in Notice.objects.all()}
        assert [rows[pk].smtp_id for pk in ids[:3]] == [
            f"2.0.0 Ok: queued as Q{n}" for n in (1, 2, 3)
        ]
        assert [rows[pk].status for pk in ids[:3]] == [NoticeStatus.SENT] * 3
        assert rows[ids[0]].sent_at == rows[ids[0]].smtp_accepted_at
        assert rows[ids[3]].status == NoticeStatus.UNCERTAIN
        untried = [rows[pk] for pk in ids[4:]]
        assert {n.status for n in untried} == {NoticeStatus.PENDING}
        assert {n.attempts for n in untried} == {0}
        assert len(box.messages) == 4

        box.drop_at = 0  # the server is back; the untried go after the pause, once
        later = timezone.now() + delivery.retry_delay(1) + datetime.timedelta(seconds=1)
        assert delivery.dispatch_due(now=later).sent == 4
        received = Counter(
            int(m) for raw in box.messages for m in re.findall(rb"X-PanelHub-Notice: (\d+)", raw)
        )
        assert set(received) == set(ids) and max(received.values()) == 1
    finally:
        server.shutdown()
        server.server_close()


def test_a_mail_server_refusing_half_way_keeps_the_rest_pending(tenant_a, settings):
    """The server refuses from the fourth message on (451): the first three are sent and
    marked, the refused stay pending with back-off, nothing goes twice."""

    settings.EMAIL_BACKEND = "tests.notices.test_interrupted_sends.RefusingHalfWay"
    ids = make_due_notices(tenant_a, 8)
    report = delivery.dispatch_due()
    assert report.sent == 3 and report.retrying == 5
    statuses = dict(Notice.objects.values_list("pk", "status"))
    assert [statuses[pk] for pk in ids] == [NoticeStatus.SENT] * 3 + [NoticeStatus.PENDING] * 5
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert delivery.dispatch_due().sent == 0  # backing off
    later = timezone.now() + delivery.retry_delay(1) + datetime.timedelta(seconds=1)
    assert delivery.dispatch_due(now=later).sent == 5
    assert Counter(outbox_counts()) == Counter(ids)


def test_a_batch_is_a_handful_of_statements(tenant_a):
    """Set-based: claim, read, two statements per chunk of ten messages, one final mark and
    the in-app copies; no statement per message."""
    make_due_notices(tenant_a, 200)
    report = delivery.dispatch_due(count_queries=True)
    assert report.sent == 200 and report.batches == 1
    (queries,) = report.batch_queries
    # 1 claim + 1 read + 20 chunks x 2 + the final mark (the recipients have no account,
    # so no in-app copies): 43, whatever the batch's size within a chunk count.
    assert queries <= 45


def test_officers_see_probably_delivered_and_confirm_before_sending_again(tenant_a, client_as):
    ids = make_due_notices(tenant_a, 2)
    now = timezone.now()
    Notice.objects.filter(pk=ids[0]).update(
        status=NoticeStatus.UNCERTAIN,
        smtp_id="2.0.0 Ok: queued as Q9",
        smtp_accepted_at=now,
        last_error=delivery.PROBABLY_DELIVERED.format(smtp_id="2.0.0 Ok: queued as Q9"),
    )
    Notice.objects.filter(pk=ids[1]).update(
        status=NoticeStatus.UNCERTAIN, last_error=delivery.LEASE_EXPIRED_SENDING
    )
    officer = client_as(tenant_a.officer)
    listing = reverse("notices:officer_list", kwargs={"org_slug": tenant_a.org.slug})
    page = officer.get(f"{listing}?status=uncertain").content.decode()
    assert "Interrupted (2)" in page
    assert "Interrupted: probably delivered" in page and "Interrupted: uncertain" in page
    assert "queued as Q9" in page

    retry = reverse(
        "notices:notice_retry", kwargs={"org_slug": tenant_a.org.slug, "notice_id": ids[0]}
    )
    asked = officer.post(retry)
    assert asked.status_code == 200
    text = asked.content.decode()
    assert "Probably delivered" in text and 'name="confirm" value="1"' in text
    assert Notice.objects.get(pk=ids[0]).status == NoticeStatus.UNCERTAIN  # nothing yet
    done = officer.post(retry, {"confirm": "1"})
    assert done.status_code == 302
    assert Notice.objects.get(pk=ids[0]).status in (NoticeStatus.PENDING, NoticeStatus.SENT)
