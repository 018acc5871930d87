"""Benchmark: the notice dispatcher over 100,000 pending notices of which 10,000 are due,
against the bare set-based SQL claim-and-mark on the same table in the same run.

Needs PostgreSQL (the claim uses SELECT ... FOR UPDATE SKIP LOCKED). Mail goes to Django's
in-memory (locmem) backend, so this measures PanelHub, not a mail server:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/ph_bench
    .venv/bin/python bench/notices_dispatch.py

It migrates the database, creates an organisation "bench-notices" with the notices, runs
the dispatcher once, prints the figures, then makes the same notices afresh and claims and
marks the due ones with nothing but SQL (batches of the dispatcher's size, one transaction
each: a FOR UPDATE SKIP LOCKED claim that sets the token and lease, then one UPDATE ...
WHERE id = ANY(...) AND claim_token = ... marking them sent), prints that figure and the
ratio, and deletes what it made. The bare SQL renders and sends nothing: it is the floor
the database sets, which issue 20 asks the dispatcher to come within 10x of (and under
10 s). Use a database without other pending notices (not the seed_scale one).
"""

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "panelhub.settings.local")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

TOTAL = int(os.environ.get("BENCH_TOTAL", 100_000))
DUE = int(os.environ.get("BENCH_DUE", 10_000))
INSERT_CHUNK = 5_000
GOAL_SECONDS = 10
GOAL_RATIO = 10


def make_notices(org, panel, content_type, now) -> float:
    """TOTAL pending email notices, the first DUE of them due; returns the seconds taken."""
    from notices.models import Notice, NoticeChannel, NoticeKind

    started = time.monotonic()
    for start in range(0, TOTAL, INSERT_CHUNK):
        rows = []
        for i in range(start, min(TOTAL, start + INSERT_CHUNK)):
            at = (
                now - datetime.timedelta(minutes=5)
                if i < DUE
                else now + datetime.timedelta(days=1 + i % 300)
            )
            rows.append(
                Notice(
                    organisation=org,
                    panel=panel,
                    kind=NoticeKind.APOLOGIES_REMINDER,
                    subject_type=content_type,
                    subject_id=panel.pk,
                    dedupe_key=f"bench|{org.pk}|{i}",
                    recipient_name=f"Resident {i}",
                    recipient_email=f"resident{i}@example.org",
                    channel=NoticeChannel.EMAIL,
                    title=f"Reminder {i}",
                    body="The panel meets on Tuesday at 10:00. Send apologies if you can't.",
                    due_at=at,
                    next_attempt_at=at,
                )
            )
        Notice.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        # A fresh table for each side: no dead rows from the run before.
        cursor.execute("VACUUM ANALYZE notices_notice")
    return time.monotonic() - started


# The dispatcher's claim and its final mark, as bare set-based SQL: per batch, one
# transaction of two statements.
BARE_CLAIM = """
    UPDATE notices_notice SET status = 'claimed', claim_token = %(token)s,
           claimed_until = %(lease)s, attempts = attempts + 1, updated_at = %(now)s
     WHERE id IN (SELECT id FROM notices_notice
                   WHERE status = 'pending' AND next_attempt_at <= %(now)s
                   ORDER BY next_attempt_at, id
                   LIMIT %(size)s FOR UPDATE SKIP LOCKED)
    RETURNING id
"""
BARE_MARK = """
    UPDATE notices_notice SET status = 'sent', sent_at = %(now)s, claimed_until = NULL,
           last_error = '', updated_at = %(now)s
     WHERE id = ANY(%(ids)s) AND claim_token = %(token)s AND status = 'claimed'
"""


def bare_claim_and_mark(now, batch_size: int) -> tuple[int, int]:
    """(rows marked sent, batches) by bare SQL."""
    import uuid

    from django.db import transaction

    marked = batches = 0
    lease = now + datetime.timedelta(minutes=10)
    while True:
        token = uuid.uuid4()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                BARE_CLAIM, {"token": token, "lease": lease, "now": now, "size": batch_size}
            )
            ids = [row[0] for row in cursor.fetchall()]
            if not ids:
                return marked, batches
            cursor.execute(BARE_MARK, {"ids": ids, "token": token, "now": now})
            marked += cursor.rowcount
            batches += 1


def main() -> int:
    if connection.vendor != "postgresql":
        print("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
        return 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    call_command("migrate", verbosity=0)

    from django_scopes import scopes_disabled

    from notices import delivery
    from notices.models import Notice, NoticeStatus
    from panels.models import Organisation, Panel

    with scopes_disabled():
        org, _ = Organisation.objects.get_or_create(
            slug="bench-notices", defaults={"name": "Benchmark Housing"}
        )
        Notice.objects.filter(organisation=org).delete()
        panel, _ = Panel.objects.get_or_create(
            organisation=org, slug="bench", defaults={"name": "Benchmark Panel"}
        )
        content_type = ContentType.objects.get_for_model(Panel)
        now = timezone.now()
        made = make_notices(org, panel, content_type, now)
        print(f"Created {TOTAL:,} pending notices ({DUE:,} due) in {made:.1f} s")

        started = time.monotonic()
        report = delivery.dispatch_due(now=now, count_queries=True)
        elapsed = time.monotonic() - started

        sent = Notice.objects.filter(organisation=org, status=NoticeStatus.SENT).count()
        queries = report.batch_queries
        print(
            f"Dispatcher: {report.sent:,} sent in {report.batches} batches "
            f"of up to {delivery.BATCH_SIZE}"
        )
        print(f"  elapsed: {elapsed:.1f} s ({report.sent / elapsed:.0f} notices/s)")
        print(
            "  queries per batch: "
            f"min {min(queries)}, median {statistics.median(queries):.0f}, max {max(queries)}"
        )
        print(f"  emails in the locmem outbox: {len(mail.outbox):,}; rows marked sent: {sent:,}")
        correct = sent == DUE and len(mail.outbox) == DUE

        # The same table again, claimed and marked by bare SQL.
        Notice.objects.filter(organisation=org).delete()
        make_notices(org, panel, content_type, now)
        started = time.monotonic()
        bare_sent, bare_batches = bare_claim_and_mark(now, delivery.BATCH_SIZE)
        bare = time.monotonic() - started
        print(
            f"Bare set-based SQL: {bare_sent:,} claimed and marked sent in {bare_batches} batches"
        )
        print(f"  elapsed: {bare:.2f} s")
        correct = correct and bare_sent == DUE
        ratio = elapsed / bare
        print(
            f"Dispatcher / bare SQL: {ratio:.0f}x "
            f"(goal: under {GOAL_SECONDS} s and within {GOAL_RATIO}x)"
        )
        print("MEETS GOAL" if elapsed < GOAL_SECONDS and ratio <= GOAL_RATIO else "ABOVE GOAL")
        Notice.objects.filter(organisation=org).delete()
        panel.delete()
        org.delete()
    print("OK: every due notice sent once" if correct else "FAILED: sent counts are wrong")
    return 0 if correct else 1


if __name__ == "__main__":
    sys.exit(main())
