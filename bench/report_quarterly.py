"""Benchmark: generate a quarterly Board report for a panel with 15 members, 6 meetings,
30 measures (8 results each) and 10 reviews (3 recommendations each), and count the
report list page's queries at two sizes. Target (issue 9): under 5 seconds on 2 cores.

Run (SQLite file under var/bench/):
    .venv/bin/python bench/report_quarterly.py
or on PostgreSQL:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/panelhub_bench \
        .venv/bin/python bench/report_quarterly.py
Everything it creates is rolled back at the end.
"""

import datetime
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "panelhub.settings.local")
if not os.environ.get("DATABASE_URL"):
    os.environ["PANELHUB_VAR_DIR"] = str(ROOT / "var" / "bench")
os.environ["DEBUG"] = "false"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

settings.STORAGES["default"] = {"BACKEND": "django.core.files.storage.InMemoryStorage"}
settings.ALLOWED_HOSTS = ["*"]

RUNS = 3


class Rollback(Exception):
    pass


def build_panel():
    from meetings.models import Attendance, Meeting
    from members.models import Membership, Person
    from panels.models import (
        DeadlineRule,
        Organisation,
        OrganisationRole,
        Panel,
        TermsOfReference,
        User,
    )
    from panels.seed_terms import TERMS
    from scrutiny.models import BoardResponse, Measure, MeasureResult, Recommendation, ServiceReview

    org = Organisation.objects.create(slug="bench-org", name="Bench Housing")
    panel = Panel.objects.create(organisation=org, slug="bench-panel", name="Bench Panel")
    spec = TERMS[("stockport", "aspire-customer-panel")]
    terms = TermsOfReference.objects.create(
        organisation=org,
        panel=panel,
        version=1,
        title="Bench ToR",
        effective_from=datetime.date(2024, 1, 1),
        **spec["values"],
    )
    DeadlineRule.objects.create(
        organisation=org,
        terms=terms,
        kind="papers_out",
        amount=5,
        unit="working_days",
        direction="before",
    )
    DeadlineRule.objects.create(
        organisation=org,
        terms=terms,
        kind="minutes_out",
        amount=5,
        unit="working_days",
        direction="after",
    )
    seats = []
    for i in range(15):
        person = Person.objects.create(organisation=org, first_name=f"Member{i}", last_name="Bench")
        seats.append(
            Membership.objects.create(
                organisation=org,
                panel=panel,
                person=person,
                role="chair" if i == 0 else "resident",
                starts_on=datetime.date(2024, 4, 1),
                term_ends_on=datetime.date(2027, 3, 31),
            )
        )
    for m in range(6):
        meeting = Meeting.objects.create(
            organisation=org,
            panel=panel,
            date=datetime.date(2026, 7, 2) + datetime.timedelta(days=14 * m),
            start_time=datetime.time(18),
            end_time=datetime.time(20),
            status="held",
            papers_issued_on=datetime.date(2026, 6, 20) + datetime.timedelta(days=14 * m),
        )
        Attendance.objects.bulk_create(
            Attendance(
                organisation=org,
                meeting=meeting,
                membership=s,
                status="present" if (i + m) % 4 else "apologies",
            )
            for i, s in enumerate(seats)
        )
    for k in range(30):
        measure = Measure.objects.create(
            organisation=org,
            panel=panel,
            code=f"M{k:02d}",
            name=f"Measure {k}",
            target=Decimal("80"),
            tolerance=Decimal("5"),
            unit="%",
            period="month",
        )
        MeasureResult.objects.bulk_create(
            MeasureResult(
                organisation=org,
                measure=measure,
                period_start=datetime.date(2026, month, 1),
                value=Decimal(70 + (k + month) % 20),
            )
            for month in range(2, 10)
        )
    for r in range(10):
        review = ServiceReview.objects.create(
            organisation=org,
            panel=panel,
            title=f"Review {r}",
            topic_source="complaints",
            stage="reported",
            proposed_on=datetime.date(2026, 1, 10 + r),
            reported_on=datetime.date(2026, 8, 1 + r),
        )
        for n in range(1, 4):
            rec = Recommendation.objects.create(
                organisation=org,
                review=review,
                number=n,
                text=f"Recommendation {n} of review {r}.",
                response_due_on=datetime.date(2026, 9, 1),
            )
            if n < 3:
                BoardResponse.objects.create(
                    organisation=org,
                    recommendation=rec,
                    decision="accepted",
                    responded_on=datetime.date(2026, 8, 25),
                )
    board = User.objects.create_user(email="board@bench.test", password="x")
    OrganisationRole.objects.create(user=board, organisation=org, role="board")
    return org, panel, board


def list_queries(client, org) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/{org.slug}/reports/")
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def main() -> None:
    call_command("migrate", verbosity=0)
    from reports.models import Report
    from reports.selectors import quarter_bounds
    from reports.services import report_build

    print(f"database: {connection.vendor}; python {sys.version.split()[0]}; cores {os.cpu_count()}")
    try:
        with scopes_disabled(), transaction.atomic():
            org, panel, board = build_panel()
            start, end = quarter_bounds(2026, 3)
            timings = []
            for version in range(1, RUNS + 1):
                report = Report.objects.create(
                    organisation=org,
                    panel=panel,
                    kind="quarterly",
                    period_start=start,
                    period_end=end,
                    version=version,
                    title="Bench Q3",
                )
                began = time.perf_counter()
                report_build(report=report)
                timings.append(time.perf_counter() - began)
                assert report.status == "ready", report.error
            if len(sys.argv) > 1:  # bench/report_quarterly.py out.pdf keeps the last PDF
                Path(sys.argv[1]).write_bytes(report.file.open("rb").read())
                print(f"  saved {sys.argv[1]}")
            print(
                f"quarterly report (15 members, 6 meetings, 30 measures, 10 reviews): "
                f"{report.page_count} pages, {report.size / 1024:.0f} KiB"
            )
            print(
                "  generation seconds: "
                + ", ".join(f"{t:.2f}" for t in timings)
                + f" (median {statistics.median(timings):.2f}; target < 5)"
            )
            client = Client()
            client.force_login(board)
            small = list_queries(client, org)
            for version in range(RUNS + 1, RUNS + 61):
                Report.objects.create(
                    organisation=org,
                    panel=panel,
                    kind="quarterly",
                    period_start=start,
                    period_end=end,
                    version=version,
                    title="Bench Q3",
                    status="ready",
                )
            large = list_queries(client, org)
            print(
                f"report list page queries: {small} with {RUNS} reports, {large} with "
                f"{RUNS + 60} reports"
            )
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
