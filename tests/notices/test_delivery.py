"""The dispatcher: each due notice sent once, by its channel; failures retried with
back-off and shown as failed after MAX_ATTEMPTS; expired leases recovered."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from notices import delivery
from notices.models import Letter, Notice, NoticeChannel, NoticeKind, NoticeStatus, Notification
from notices.services import notice_retry
from panels.errors import RuleViolation
from tests.notices.conftest import make_person, make_seat

pytestmark = pytest.mark.django_db
FAR = timezone.now() + datetime.timedelta(days=3650)


def _due_term_notices(tenant, person):
    make_seat(
        tenant.org, tenant.panel, person, term_ends_on=timezone.localdate() + datetime.timedelta(10)
    )
    return Notice.objects.filter(recipient_person=person, status=NoticeStatus.PENDING)


def test_a_due_email_notice_is_sent_once_with_text_and_html(tenant_a):
    person = make_person(tenant_a.org, 1, user=tenant_a.member)
    (notice,) = _due_term_notices(tenant_a, person)
    report = delivery.dispatch_due()
    assert report.sent == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["resident1@example.org"]
    assert "term" in message.body.lower()
    assert message.alternatives[0].mimetype == "text/html"
    assert message.extra_headers["X-PanelHub-Notice"] == str(notice.pk)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT and notice.sent_at and notice.attempts == 1
    # The member also sees it in their in-app list.
    assert Notification.objects.get(user=tenant_a.member).notice == notice
    # Running again (a duplicated or redelivered task) sends nothing more.
    assert delivery.dispatch_due().sent == 0
    assert len(mail.outbox) == 1


def test_a_postal_notice_becomes_a_letter_pdf_in_the_print_queue(tenant_a):
    person = make_person(tenant_a.org, 2, email=False)
    (notice,) = _due_term_notices(tenant_a, person)
    assert notice.channel == NoticeChannel.POST
    delivery.dispatch_due()
    letter = Letter.objects.get(notice=notice)
    text = "".join(page.extract_text() for page in PdfReader(letter.pdf.open("rb")).pages)
    assert "High Street" in text and "Resident2" in text
    assert "No email address on file" in text
    assert mail.outbox == []


def test_an_smtp_failure_retries_with_backoff_then_fails_visibly(tenant_a, settings):
    settings.EMAIL_BACKEND = "tests.notices.backends.FailingBackend"
    person = make_person(tenant_a.org, 1)
    (notice,) = _due_term_notices(tenant_a, person)
    now = timezone.now()
    delivery.dispatch_due(now=now)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PENDING
    assert notice.attempts == 1 and "refused" in notice.last_error
    assert notice.next_attempt_at == now + datetime.timedelta(seconds=delivery.RETRY_BASE_SECONDS)
    delays = []
    for _ in range(delivery.MAX_ATTEMPTS - 1):
        previous = notice.next_attempt_at
        delivery.dispatch_due(now=previous)
        notice.refresh_from_db()
        if notice.status == NoticeStatus.PENDING:
            delays.append((notice.next_attempt_at - previous).total_seconds())
    assert delays == [120, 240, 480]
    assert notice.status == NoticeStatus.FAILED
    assert notice.attempts == delivery.MAX_ATTEMPTS
    assert f"gave up after {delivery.MAX_ATTEMPTS} attempts" in notice.last_error


def test_an_officer_can_send_a_failed_notice_again(tenant_a):
    person = make_person(tenant_a.org, 1)
    (notice,) = _due_term_notices(tenant_a, person)
    Notice.objects.filter(pk=notice.pk).update(status=NoticeStatus.FAILED, attempts=5)
    notice_retry(notice=notice, by=tenant_a.officer)
    delivery.dispatch_due()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT and len(mail.outbox) == 1
    with pytest.raises(RuleViolation) as refused:
        notice_retry(notice=notice, by=tenant_a.officer)
    assert refused.value.code == "notices.retry_not_failed"


def test_an_expired_claim_goes_back_to_pending_and_is_sent_once(tenant_a):
    person = make_person(tenant_a.org, 1)
    (notice,) = _due_term_notices(tenant_a, person)
    # A worker claimed the batch, then died before sending anything.
    now = timezone.now()
    token, claimed = delivery.claim_batch(now=now)
    assert [n.pk for n in claimed] == [notice.pk]
    assert delivery.dispatch_due(now=now).sent == 0  # still leased: nobody else takes it
    later = now + datetime.timedelta(seconds=delivery.LEASE_SECONDS + 1)
    report = delivery.dispatch_due(now=later)
    assert report.recovered == 1 and report.sent == 1
    assert len(mail.outbox) == 1
    # The dead worker's token can no longer change the row.
    delivery.deliver_batch(claimed, token, now=later, report=delivery.DispatchReport())
    assert len(mail.outbox) == 1


def test_a_notice_caught_mid_send_is_uncertain_for_an_officer_never_resent(tenant_a):
    person = make_person(tenant_a.org, 1)
    (notice,) = _due_term_notices(tenant_a, person)
    now = timezone.now()
    token, _ = delivery.claim_batch(now=now)
    Notice.objects.filter(pk=notice.pk).update(status=NoticeStatus.SENDING)
    delivery.dispatch_due(now=now + datetime.timedelta(seconds=delivery.LEASE_SECONDS + 1))
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.UNCERTAIN and not notice.probably_delivered
    assert "may or may not have been delivered" in notice.last_error
    assert mail.outbox == []


def test_digest_notices_wait_for_the_digest_hour_and_go_as_one_email(tenant_a):
    from notices.models import NoticePreference

    person = make_person(tenant_a.org, 1)
    NoticePreference.objects.create(organisation=tenant_a.org, person=person, digest=True)
    make_seat(tenant_a.org, tenant_a.panel, person, term_ends_on=datetime.date(2031, 6, 30))
    make_seat(tenant_a.org, tenant_a.panel, person, term_ends_on=datetime.date(2031, 6, 30))
    rows = list(Notice.objects.filter(recipient_person=person, kind=NoticeKind.TERM_ENDING_30))
    assert len(rows) == 2 and all(n.digest for n in rows)
    local = timezone.get_current_timezone()
    assert {n.next_attempt_at.astimezone(local).hour for n in rows} == {7}
    delivery.dispatch_due(now=FAR)
    # All four (two seats, 90 and 30 days) were due together: one digest email.
    assert len(mail.outbox) == 1
    assert "4 notices" in mail.outbox[0].subject
    assert mail.outbox[0].body.count("Your term of office") == 4


def test_healthz_is_degraded_until_a_dispatcher_runs_and_shows_detail_to_staff_only(
    client, tenant_a
):
    person = make_person(tenant_a.org, 1)
    _due_term_notices(tenant_a, person)
    anonymous = client.get("/healthz")
    assert anonymous.status_code == 503 and anonymous.json() == {"status": "degraded"}
    client.force_login(tenant_a.officer)  # staff: the detail
    body = client.get("/healthz").json()
    assert body["notices"]["worker_heartbeat_age_seconds"] is None
    assert "no dispatcher has run" in body["notices"]["problems"]
    assert body["notices"]["oldest_due_unsent_notice_age_seconds"] >= 0
    assert body["database"]["ok"]
    delivery.dispatch_due()
    healthy = client.get("/healthz")
    assert healthy.status_code == 200 and healthy.json()["status"] == "ok"
    assert healthy.json()["notices"]["worker_heartbeat_age_seconds"] is not None
    assert healthy.json()["notices"]["oldest_due_unsent_notice_age_seconds"] == 0
    client.logout()
    assert client.get("/healthz").json() == {"status": "ok"}


def test_healthz_is_degraded_when_a_due_notice_waits_too_long_or_no_worker_is_fresh(
    client, tenant_a
):
    from notices.models import WorkerHeartbeat
    from notices.selectors import (
        HEALTH_MAX_DUE_AGE_SECONDS,
        HEALTH_MAX_HEARTBEAT_AGE_SECONDS,
    )

    client.force_login(tenant_a.officer)
    now = timezone.now()
    delivery.heartbeat(now=now)
    assert client.get("/healthz").status_code == 200
    # A due notice nobody sent for longer than the threshold (a dead worker, say).
    person = make_person(tenant_a.org, 1)
    (notice,) = _due_term_notices(tenant_a, person)
    old = now - datetime.timedelta(seconds=HEALTH_MAX_DUE_AGE_SECONDS + 60)
    Notice.objects.filter(pk=notice.pk).update(next_attempt_at=old, due_at=old)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["status"] == "degraded"
    assert "a due notice has waited" in response.json()["notices"]["problems"][0]
    delivery.dispatch_due()
    assert client.get("/healthz").status_code == 200
    # The heartbeat goes stale: no worker is running.
    stale = now - datetime.timedelta(seconds=HEALTH_MAX_HEARTBEAT_AGE_SECONDS + 5)
    WorkerHeartbeat.objects.update(last_seen_at=stale)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "no dispatcher seen for" in response.json()["notices"]["problems"][0]
