"""Exactly once, on a real PostgreSQL (and Redis): two dispatchers at once, a worker killed
with SIGKILL in the middle of a batch, and a broker that loses its queue."""

import datetime
import os
import re
import signal
import subprocess
import sys
import threading
import time
import warnings
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from notices import delivery
from notices.models import Notice, NoticeChannel, NoticeKind, NoticeStatus
from notices.services import notice_retry

ROOT = Path(__file__).resolve().parents[2]
REDIS_TEST_URL = os.environ.get("NOTICES_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def make_due_notices(tenant, count: int) -> list[int]:
    """``count`` email notices already due, straight into the ledger."""
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(tenant.panel)
    Notice.objects.bulk_create(
        Notice(
            organisation=tenant.org,
            panel=tenant.panel,
            kind=NoticeKind.APOLOGIES_REMINDER,
            subject_type=content_type,
            subject_id=tenant.panel.pk,
            dedupe_key=f"test|{tenant.org.pk}|{i}",
            recipient_name=f"Resident {i}",
            recipient_email=f"resident{i}@example.org",
            channel=NoticeChannel.EMAIL,
            title=f"Notice {i}",
            body="Body",
            due_at=now - datetime.timedelta(minutes=1),
            next_attempt_at=now - datetime.timedelta(minutes=1),
        )
        for i in range(count)
    )
    return list(Notice.objects.filter(organisation=tenant.org).values_list("pk", flat=True))


def outbox_counts() -> Counter:
    return Counter(
        int(i) for m in mail.outbox for i in m.extra_headers["X-PanelHub-Notice"].split(",")
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_at_once_send_each_notice_exactly_once(tenant_a):
    ids = make_due_notices(tenant_a, 400)
    barrier = threading.Barrier(2)
    reports, errors = [], []

    def run():
        try:
            barrier.wait()
            reports.append(delivery.dispatch_due(batch_size=25))
        except Exception as exc:  # noqa: BLE001 - surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    counts = outbox_counts()
    assert set(counts) == set(ids)
    assert max(counts.values()) == 1
    assert sum(r.sent for r in reports) == len(ids)
    # Both did a share of the work: the claims really ran concurrently.
    assert all(r.sent > 0 for r in reports)
    assert not Notice.objects.exclude(status=NoticeStatus.SENT).exists()


# --- A real Celery worker against Redis --------------------------------------------------


def _database_url() -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    return f"postgres://{user}{password}@{host}:{db.get('PORT') or 5432}/{db['NAME']}"


def _file_counts(mail_dir: Path) -> Counter:
    counts = Counter()
    for path in mail_dir.glob("*"):
        for match in re.findall(r"^X-PanelHub-Notice: ([\d,]+)$", path.read_text(), re.M):
            counts.update(int(i) for i in match.split(","))
    return counts


def _start_worker(mail_dir: Path, *, send_delay: float, lease: int = 60) -> subprocess.Popen:
    env = {
        "NOTICES_TEST_LEASE_SECONDS": str(lease),
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.notices.worker_settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": REDIS_TEST_URL,
        "NOTICES_TEST_MAIL_DIR": str(mail_dir),
        "NOTICES_TEST_SEND_DELAY": str(send_delay),
    }
    celery = Path(sys.executable).with_name("celery")
    return subprocess.Popen(
        [str(celery), "-A", "panelhub", "worker", "-P", "solo", "--loglevel=WARNING"]
        + ["--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _enqueue_dispatch(times: int = 1) -> None:
    """Publish dispatcher tasks to Redis as beat would (this test process itself is eager)."""
    from celery.exceptions import AlwaysEagerIgnored
    from kombu import Connection

    from panelhub.celery import app

    with Connection(REDIS_TEST_URL) as broker, warnings.catch_warnings():
        warnings.simplefilter("ignore", AlwaysEagerIgnored)
        for _ in range(times):
            app.send_task("notices.dispatch", connection=broker)


def _flush_broker() -> None:
    import redis

    redis.Redis.from_url(REDIS_TEST_URL).flushdb()


def redis_queue_length() -> int:
    import redis

    return redis.Redis.from_url(REDIS_TEST_URL).llen("celery")


def _wait_for(predicate, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def broker():
    _flush_broker()
    yield
    _flush_broker()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_no_notice_and_sends_none_twice(tenant_a, tmp_path, broker):
    """A real Celery worker with a 6 s lease, killed with SIGKILL mid-batch. Nobody takes its
    rows before the lease runs out; right after, a dispatcher takes them back in real time:
    the untried go once, the ones whose acceptance was recorded show as probably delivered,
    the chunk it was sending as uncertain."""
    lease = 6
    ids = make_due_notices(tenant_a, 30)
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    worker = _start_worker(mail_dir, send_delay=0.3, lease=lease)
    try:
        _enqueue_dispatch()
        assert _wait_for(lambda: sum(_file_counts(mail_dir).values()) >= 5), "worker sent nothing"
        os.kill(worker.pid, signal.SIGKILL)  # mid-batch, without any chance to clean up
        killed_at = time.monotonic()
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    connection.close()
    by_worker = _file_counts(mail_dir)
    assert 5 <= len(by_worker) < len(ids) and max(by_worker.values()) == 1
    rows = list(Notice.objects.order_by("id"))
    # Sent chunk by chunk: those the server took carry their acceptance (but the chunk
    # being sent had not recorded its own yet); later chunks are still only claimed.
    assert {n.status for n in rows} <= {NoticeStatus.SENDING, NoticeStatus.CLAIMED}
    accepted = {n.pk for n in rows if n.smtp_accepted_at}
    assert accepted <= set(by_worker)
    assert len(by_worker) - len(accepted) <= delivery.CHUNK_MESSAGES

    # Until the lease runs out nobody touches the dead worker's rows...
    assert delivery.dispatch_due().sent == 0
    assert set(Notice.objects.values_list("status", flat=True)) <= {
        NoticeStatus.SENDING,
        NoticeStatus.CLAIMED,
    }
    # ...then, in real time, a dispatcher takes them back within the lease and a moment.
    assert _wait_for(lambda: delivery.dispatch_due().recovered > 0, timeout=lease + 10)
    assert time.monotonic() - killed_at <= lease + 10
    delivery.dispatch_due()
    uncertain = list(Notice.objects.filter(status=NoticeStatus.UNCERTAIN).order_by("id"))
    assert {n.pk for n in uncertain if n.probably_delivered} == accepted
    in_flight = [n for n in uncertain if not n.probably_delivered]
    assert 1 <= len(in_flight) <= delivery.CHUNK_MESSAGES
    assert {n.last_error for n in in_flight} == {delivery.LEASE_EXPIRED_SENDING}
    for notice in uncertain:
        # An officer checks: "probably delivered" ones stay; the uncertain one the
        # recipient did not get is sent again, after confirming.
        if notice.pk not in by_worker:
            notice_retry(notice=notice, by=tenant_a.officer, confirmed=True)
    delivery.dispatch_due()
    total = by_worker + outbox_counts()
    assert set(total) == set(ids)
    assert max(total.values()) == 1
    assert Notice.objects.filter(status=NoticeStatus.SENT).count() == len(ids) - len(
        [n for n in uncertain if n.pk in by_worker]
    )


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_duplicate_tasks_and_a_broker_that_lost_its_queue_send_nothing_twice(
    tenant_a, tmp_path, broker
):
    ids = make_due_notices(tenant_a, 20)
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    worker = _start_worker(mail_dir, send_delay=0)
    try:
        _enqueue_dispatch(times=3)  # a duplicated task, a beat tick and a retry
        assert _wait_for(lambda: len(_file_counts(mail_dir)) == len(ids))
        # Redis restarts empty (queued and unacknowledged tasks gone); beat enqueues again.
        _flush_broker()
        _enqueue_dispatch(times=2)
        # The worker takes both tasks; the ledger (in PostgreSQL) says all is sent.
        assert _wait_for(lambda: redis_queue_length() == 0, timeout=20)
        time.sleep(1)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
    counts = _file_counts(mail_dir)
    assert set(counts) == set(ids) and max(counts.values()) == 1
    assert set(Notice.objects.values_list("status", flat=True)) == {NoticeStatus.SENT}
