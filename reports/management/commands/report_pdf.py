"""Write a report's PDF to a file without storing a version: for docs and checking layouts.

    python manage.py report_pdf --org helena --panel customer-excellence-panel \
        --year 2026 --quarter 3 --out var/report.pdf [--today 2026-10-05]

Annual reports: leave out --quarter. The report is true as of the period's end, or --today
(default: today) if sooner, exactly as a generated version would be.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from panelhub.pdf import render_pdf
from panels.models import Organisation, Panel
from panels.tenancy import org_scope
from reports.models import ReportKind
from reports.selectors import quarter_bounds, report_data
from reports.services import _check_period


class Command(BaseCommand):
    help = "Render a quarterly or annual report of a panel to a PDF file (not stored)."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="Organisation slug.")
        parser.add_argument("--panel", required=True, help="Panel slug.")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, choices=[1, 2, 3, 4])
        parser.add_argument("--today", type=datetime.date.fromisoformat)
        parser.add_argument("--out", required=True, help="Where to write the PDF.")

    def handle(self, *args, **options):
        org = Organisation.objects.filter(slug=options["org"]).first()
        if org is None:
            raise CommandError(f"No organisation {options['org']!r}.")
        today = options["today"] or timezone.localdate()
        if options["quarter"]:
            kind = ReportKind.QUARTERLY
            start, end = quarter_bounds(options["year"], options["quarter"])
        else:
            kind = ReportKind.ANNUAL
            year = options["year"]
            start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        with org_scope(org):
            panel = Panel.objects.for_org(org).filter(slug=options["panel"]).first()
            if panel is None:
                raise CommandError(f"No panel {options['panel']!r} in {org.slug}.")
            from panels.errors import RuleViolation

            try:
                _check_period(kind, start, end, today)
            except RuleViolation as violation:
                raise CommandError("; ".join(violation.messages)) from violation
            data = report_data(
                panel=panel,
                kind=kind,
                period_start=start,
                period_end=end,
                snapshot_at=timezone.now(),
                as_of=today,
            )
            pdf = render_pdf(
                "reports/pdf/report.html",
                {
                    "report": data,
                    "kind_label": ReportKind(kind).label,
                    "version": 1,
                    "interim": data.interim,
                },
            )
        with open(options["out"], "wb") as handle:
            handle.write(pdf)
        self.stdout.write(f"{options['out']}: {len(pdf):,} bytes, as of {data.as_of:%-d %B %Y}")
