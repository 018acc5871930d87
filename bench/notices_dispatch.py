"""Benchmark: the notice dispatcher over 100,000 pending notices of which 10,000 are due.

Needs PostgreSQL (the claim uses SELECT ... FOR UPDATE SKIP LOCKED). Mail goes to Django's
in-memory (locmem) backend, so this measures PanelHub, not a mail server:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/ph_bench
    .venv/bin/python bench/notices_dispatch.py

It migrates the database, creates an organisation "bench-notices" with the notices, runs
the dispatcher once, prints the figures and deletes what it made.
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
TARGET_SECONDS = 60


def main() -> int:
    if connection.vendor != "postgresql":
        print("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
        return 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    call_command("migrate", verbosity=0)

    from django_scopes import scopes_disabled

    from notices import delivery
    from notices.models import Notice, NoticeChannel, NoticeKind, NoticeStatus
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
        started = time.monotonic()
        for start in range(0, TOTAL, INSERT_CHUNK):
            rows = []
            for i in range(start, min(TOTAL, start + INSERT_CHUNK)):
                due = i < DUE
                at = (
                    now - datetime.timedelta(minutes=5)
                    if due
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
        print(
            f"Created {TOTAL:,} pending notices ({DUE:,} due) in {time.monotonic() - started:.1f} s"
        )
        connection.cursor().execute("ANALYZE notices_notice")

        started = time.monotonic()
        report = delivery.dispatch_due(now=now, count_queries=True)
        elapsed = time.monotonic() - started

        sent = Notice.objects.filter(organisation=org, status=NoticeStatus.SENT).count()
        queries = report.batch_queries
        print(
            f"Dispatched: {report.sent:,} sent in {report.batches} batches "
            f"of up to {delivery.BATCH_SIZE}"
        )
        print(
            f"Elapsed: {elapsed:.1f} s ({report.sent / elapsed:.0f} notices/s); "
            f"target < {TARGET_SECONDS} s"
        )
        print(
            "Queries per batch: "
            f"min {min(queries)}, median {statistics.median(queries):.0f}, max {max(queries)} "
            "(a batch of n emails: 3 to claim + 4n: two marks per email, each SET LOCAL + UPDATE)"
        )
        print(f"Emails in the locmem outbox: {len(mail.outbox):,}; rows marked sent: {sent:,}")
        ok = sent == DUE and len(mail.outbox) == DUE and elapsed < TARGET_SECONDS
        Notice.objects.filter(organisation=org).delete()
        panel.delete()
        org.delete()
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
