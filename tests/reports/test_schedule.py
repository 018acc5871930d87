"""Reports that exist when they should (issue 17 item 4): the beat task makes each panel's
quarterly report once after the quarter ends and the annual report after the year ends;
bad periods are refused; an officer signs off before publishing."""

import datetime

import pytest

from panels.errors import RuleViolation
from panels.models import TermsOfReference
from reports.models import Report, ReportKind, ReportStatus
from reports.schedule import periods_due
from reports.services import report_request
from reports.tasks import reports_generate_due

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def alpha_terms(tenant_a):
    return TermsOfReference.objects.create(
        organisation=tenant_a.org,
        panel=tenant_a.panel,
        version=1,
        title="Alpha ToR",
        effective_from=D(2024, 1, 1),
        min_members=6,
        max_members=15,
        cadence="quarterly",
    )


def test_the_periods_due_are_the_last_quarter_and_the_last_year():
    due = periods_due(today=D(2026, 10, 1))
    assert [(p.kind, p.start, p.end) for p in due] == [
        (ReportKind.QUARTERLY, D(2026, 7, 1), D(2026, 9, 30)),
        (ReportKind.ANNUAL, D(2025, 1, 1), D(2025, 12, 31)),
    ]
    assert periods_due(today=D(2027, 1, 2))[0].end == D(2026, 12, 31)
    assert periods_due(today=D(2027, 1, 2))[1].start == D(2026, 1, 1)


def test_the_beat_task_generates_a_quarterly_report_once(
    alpha_terms, tenant_a, tenant_b, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: D(2026, 10, 1))
    with django_capture_on_commit_callbacks(execute=True):
        made = reports_generate_due()
    # Alpha's panel had a ToR in force on 30 September and on 31 December 2025; Beta's none.
    assert made == 2
    quarterly = Report.objects.get(kind=ReportKind.QUARTERLY)
    assert (quarterly.period_start, quarterly.period_end) == (D(2026, 7, 1), D(2026, 9, 30))
    assert quarterly.as_of == D(2026, 9, 30) and not quarterly.interim
    assert quarterly.status == ReportStatus.READY, quarterly.error
    assert quarterly.panel == tenant_a.panel and quarterly.requested_by is None
    # Run again (a second beat, a retried task): nothing new, the same version stays.
    with django_capture_on_commit_callbacks(execute=True):
        assert reports_generate_due() == 0
    assert Report.objects.filter(kind=ReportKind.QUARTERLY).count() == 1
    assert Report.objects.get(kind=ReportKind.QUARTERLY).pk == quarterly.pk


@pytest.mark.parametrize(
    ("start", "end", "code", "field"),
    [
        (D(2027, 1, 1), D(2027, 3, 31), "report.future", "period_start"),
        (D(2026, 9, 30), D(2026, 7, 1), "report.period", "period_end"),
    ],
)
def test_bad_periods_are_refused_and_nothing_is_made(tenant_a, start, end, code, field):
    with pytest.raises(RuleViolation) as refused:
        report_request(
            panel=tenant_a.panel,
            kind=ReportKind.QUARTERLY,
            period_start=start,
            period_end=end,
            by=tenant_a.officer,
            today=D(2026, 11, 30),
        )
    assert refused.value.code == code
    assert not Report.objects.exists()


def test_a_tor_change_between_quarters_judges_each_by_the_version_then_in_force(
    alpha_terms, tenant_a
):
    from meetings.models import Meeting, MeetingStatus
    from reports.compliance import panel_compliance
    from reports.selectors import quarter_bounds, report_data

    TermsOfReference.objects.create(
        organisation=tenant_a.org,
        panel=tenant_a.panel,
        version=2,
        title="Alpha ToR",
        effective_from=D(2026, 10, 1),
        min_members=5,
        max_members=12,
        cadence="quarterly",
    )
    for day in (D(2026, 9, 10), D(2026, 10, 20)):
        Meeting.objects.create(
            organisation=tenant_a.org,
            panel=tenant_a.panel,
            date=day,
            start_time=datetime.time(18),
            end_time=datetime.time(20),
            status=MeetingStatus.HELD,
        )
    versions = {}
    for quarter in (3, 4):
        start, end = quarter_bounds(2026, quarter)
        data = report_data(
            panel=tenant_a.panel,
            kind=ReportKind.QUARTERLY,
            period_start=start,
            period_end=end,
            snapshot_at=datetime.datetime(2027, 1, 5, tzinfo=datetime.UTC),
            as_of=D(2027, 1, 5),
        )
        terms_figures = dict(next(s for s in data.sections if s.key == "terms").figures)
        versions[quarter] = terms_figures["Version in force"]
        assert data.membership.maximum == (15 if quarter == 3 else 12)
    assert versions == {3: "v1 from 1 January 2024", 4: "v2 from 1 October 2026"}
    year = panel_compliance(
        panel=tenant_a.panel, start=D(2026, 1, 1), end=D(2026, 12, 31), today=D(2027, 1, 5)
    )
    assert [row.judged_by for row in year.meetings] == [
        "Judged by Alpha ToR v1",
        "Judged by Alpha ToR v2",
    ]
    assert [t.version for t in year.terms_used] == [1, 2]
