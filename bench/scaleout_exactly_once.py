"""Exactly-once against a running scale-out topology (bench/scaleout.sh starts it).

Puts ``BENCH_NOTICES`` (default 2,000) due email notices in the shared ledger, publishes
the dispatcher task several times to the shared Redis broker (as beat and a retry would),
waits for the Celery workers to send them, then reads every email the workers wrote
(EMAIL_URL=file:///dir: one file per connection) and checks that each notice went out
exactly once and is marked sent. The same check as tests/notices/test_exactly_once.py,
with real separate worker processes sharing PostgreSQL and Redis. Deletes what it made.

    DATABASE_URL=... REDIS_URL=... MAIL_DIR=/path .venv/bin/python bench/scaleout_exactly_once.py
"""

import datetime
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "panelhub.settings.bench")

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from notices.models import Notice, NoticeChannel, NoticeKind, NoticeStatus  # noqa: E402
from panelhub.celery import app  # noqa: E402
from panels.models import Organisation, Panel  # noqa: E402

COUNT = int(os.environ.get("BENCH_NOTICES", 2000))
TASKS = 6
TIMEOUT_S = int(os.environ.get("BENCH_TIMEOUT", 300))
SLUG = "scaleout-check"
HEADER = re.compile(r"^X-PanelHub-Notice: ([\d,]+)$", re.M)


def mailed(mail_dir: Path, ids: set[int]) -> Counter:
    counts = Counter()
    for path in mail_dir.glob("*"):
        for match in HEADER.findall(path.read_text(errors="replace")):
            counts.update(i for i in map(int, match.split(",")) if i in ids)
    return counts


def main() -> int:
    mail_dir = Path(os.environ["MAIL_DIR"])
    with scopes_disabled():
        org, _ = Organisation.objects.get_or_create(slug=SLUG, defaults={"name": "Scale-out"})
        Notice.objects.filter(organisation=org).delete()
        panel, _ = Panel.objects.get_or_create(organisation=org, slug="check", name="Check")
        now = timezone.now() - datetime.timedelta(minutes=1)
        content_type = ContentType.objects.get_for_model(Panel)
        Notice.objects.bulk_create(
            Notice(
                organisation=org,
                panel=panel,
                kind=NoticeKind.APOLOGIES_REMINDER,
                subject_type=content_type,
                subject_id=panel.pk,
                dedupe_key=f"scaleout|{org.pk}|{i}",
                recipient_name=f"Resident {i}",
                recipient_email=f"resident{i}@example.org",
                channel=NoticeChannel.EMAIL,
                title=f"Notice {i}",
                body="Body",
                due_at=now,
                next_attempt_at=now,
            )
            for i in range(COUNT)
        )
        ids = set(Notice.objects.filter(organisation=org).values_list("pk", flat=True))
        started = time.monotonic()
        for _ in range(TASKS):  # duplicates on purpose: beat ticks, retries, redelivery
            app.send_task("notices.dispatch")
        while time.monotonic() - started < TIMEOUT_S:
            left = Notice.objects.filter(organisation=org).exclude(status=NoticeStatus.SENT)
            if not left.exists():
                break
            time.sleep(1)
        elapsed = time.monotonic() - started
        statuses = Counter(Notice.objects.filter(organisation=org).values_list("status", flat=True))
        time.sleep(2)  # let a straggling worker finish writing its file
        counts = mailed(mail_dir, ids)
        twice = sorted(i for i, n in counts.items() if n > 1)
        missing = sorted(ids - set(counts))
        print(
            f"Exactly-once check: {COUNT:,} due notices, {TASKS} dispatcher tasks published; "
            f"{sum(counts.values()):,} emails in {elapsed:.1f} s; statuses {dict(statuses)}"
        )
        ok = not twice and not missing and statuses[NoticeStatus.SENT] == COUNT
        if twice:
            print(f"  sent more than once: {len(twice)} notice(s), e.g. {twice[:5]}")
        if missing:
            print(f"  never sent: {len(missing)} notice(s), e.g. {missing[:5]}")
        Notice.objects.filter(organisation=org).delete()
        panel.delete()
        org.delete()
    print("OK: every notice sent exactly once" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
