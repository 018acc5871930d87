"""Send every due notice once, without a Celery worker (the embedded default, cron, or a
check after an outage). Safe to run beside workers: claims skip rows others hold."""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from notices.daily import plan_daily
from notices.delivery import dispatch_due, heartbeat


class Command(BaseCommand):
    help = "Send due notices once (with --plan, run the daily planner first)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--plan", action="store_true", help="Run the daily planner and breach check first."
        )
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Keep running, dispatching every SECONDS (a development stand-in for beat).",
        )

    def handle(self, *args, plan=False, every=0, **options):
        # Alive from the start (the first planning run may take a while): /healthz counts
        # this loop as the worker that sends notices.
        heartbeat(now=timezone.now())
        while True:
            if plan:
                counts = plan_daily(today=timezone.localdate())
                self.stdout.write(f"Planned: {counts}")
            report = dispatch_due()
            self.stdout.write(
                f"Sent {report.sent}, retrying {report.retrying}, failed {report.failed}, "
                f"recovered {report.recovered} in {report.batches} batch(es)."
            )
            if not every:
                return
            time.sleep(every)
