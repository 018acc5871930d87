"""One notion of "as of" (issue 17 item 1): the report, the compliance page, the programme
and the meeting page answer through the same selector, and nothing after the as-of date is
counted as missed, late or overdue."""

import datetime
import html
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetings.models import Meeting, MeetingStatus
from reports import sections
from reports.compliance import panel_compliance
from reports.models import ReportKind
from reports.selectors import report_data
from scrutiny.models import ImprovementAction, Recommendation, ServiceReview
from tests.meetings.conftest import panel_with, schedule  # noqa: F401, F811 (fixture)

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 30)


def _held(meeting, **dates):
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD, **dates)


@pytest.fixture
def helena_autumn(panel_with):  # noqa: F811
    """Helena's ToR: papers 7 days before, minutes 7 days after. The 30 October meeting had
    its papers out on 22 October; the 3 December meeting is still to come."""
    setup = panel_with("helena", chair=1, resident=5)
    october = schedule(setup, D(2026, 10, 30), today=D(2026, 9, 1))
    _held(october, papers_issued_on=D(2026, 10, 22))
    december = schedule(setup, D(2026, 12, 3), today=D(2026, 9, 1))
    return setup, october, december


def _page_text(response) -> str:
    assert response.status_code == 200
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))


def _report_text(panel) -> str:
    data = report_data(
        panel=panel,
        kind=ReportKind.ANNUAL,
        period_start=D(2026, 1, 1),
        period_end=D(2026, 12, 31),
        snapshot_at=datetime.datetime(2026, 11, 30, 9, tzinfo=datetime.UTC),
        as_of=TODAY,
    )
    rendered = render_to_string(
        "reports/pdf/report.html",
        {"report": data, "kind_label": "Annual report", "version": 1, "interim": data.interim},
    )
    return _page_text(type("R", (), {"status_code": 200, "content": rendered.encode()}))


def test_report_compliance_programme_and_meeting_pages_agree(
    helena_autumn, client_as, tenant_a, monkeypatch
):
    setup, october, december = helena_autumn
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    client = client_as(tenant_a.officer)
    org = {"org_slug": "alpha"}
    pages = {
        "compliance": _page_text(
            client.get(
                reverse("reports:compliance", kwargs={**org, "panel_slug": setup.panel.slug})
                + "?year=2026"
            )
        ),
        "programme": _page_text(client.get(reverse("meetings:programme", kwargs=org))),
        "meeting": _page_text(
            client.get(reverse("meetings:console", kwargs={**org, "meeting_id": december.pk}))
        )
        + _page_text(
            client.get(reverse("meetings:console", kwargs={**org, "meeting_id": october.pk}))
        ),
        "report": _report_text(setup.panel),
    }
    for name, text in pages.items():
        # The 30 October papers: done on time, everywhere.
        assert "Done on 22 October 2026" in text, name
        # The 3 December minutes are not yet due on 30 November: due, with the date.
        assert "Due by 10 December 2026" in text, name
        assert "Missed: was due by 10 December" not in text, name
        assert "Papers not issued in time" not in text, name
    for name in ("compliance", "meeting", "report"):
        assert f"Judged by {setup.terms.title} v1" in pages[name], name
        assert "No terms of reference in force" not in pages[name], name
    assert "As of 30 November 2026" in pages["report"]
    assert "interim report" in pages["report"]
    assert "as of 30 November 2026" in pages["compliance"]
    assert "interim" in pages["compliance"]


def test_a_finished_period_is_as_of_its_end_and_not_interim(helena_autumn):
    setup, october, december = helena_autumn
    compliance = panel_compliance(
        panel=setup.panel, start=D(2026, 10, 1), end=D(2026, 12, 31), today=D(2027, 2, 1)
    )
    assert compliance.as_of == D(2026, 12, 31) and not compliance.interim
    # The December meeting was never marked held and its papers never went: missed.
    row = next(r for r in compliance.meetings if r.meeting.pk == december.pk)
    assert {d.kind: d.state for d in row.deadlines}["papers_out"] == "missed"


@pytest.fixture
def busy_year(panel_with):  # noqa: F811
    """A year of Helena meetings with duties done on time, late and not at all, and
    recommendations and actions falling due across it."""
    setup = panel_with("helena", chair=1, resident=5)
    for month in range(1, 13):
        meeting = schedule(setup, D(2026, month, 14), today=D(2025, 12, 1))
        if month <= 10:
            _held(
                meeting,
                papers_issued_on=D(2026, month, 9 if month % 3 else 12),
                minutes_published_on=D(2026, month, 20 if month % 2 else 28),
            )
    review = ServiceReview.objects.create(
        organisation=setup.org,
        panel=setup.panel,
        title="Repairs",
        topic_source="complaints",
        proposed_on=D(2026, 1, 10),
    )
    for n, due in enumerate((D(2026, 3, 1), D(2026, 7, 1), D(2026, 12, 30)), start=1):
        recommendation = Recommendation.objects.create(
            organisation=setup.org, review=review, number=n, text=f"R{n}", response_due_on=due
        )
        ImprovementAction.objects.create(
            organisation=setup.org,
            recommendation=recommendation,
            description=f"A{n}",
            owner="Head of repairs",
            due_on=due,
        )
    return setup


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(as_of=st.dates(min_value=D(2025, 12, 1), max_value=D(2027, 3, 1)))
def test_nothing_after_the_as_of_date_is_missed_late_or_overdue(busy_year, as_of):
    start, end = D(2026, 1, 1), D(2026, 12, 31)
    compliance = panel_compliance(panel=busy_year.panel, start=start, end=end, today=as_of)
    cutoff = min(as_of, end)
    assert compliance.as_of == cutoff and compliance.interim == (as_of < end)
    for row in compliance.meetings:
        for deadline in row.deadlines:
            if deadline.state in ("missed", "done_late"):
                assert deadline.due_on < cutoff, deadline
            if deadline.due_on >= cutoff:
                assert deadline.state in ("open", "done", "closed", "not_applicable"), deadline
            if deadline.done_on is not None:
                assert deadline.done_on <= cutoff, deadline
        if row.meeting.date > cutoff:
            assert row.quorate is None
    assert all(b.due_on < cutoff for b in compliance.breaches)
    assert compliance.held == sum(
        1 for r in compliance.meetings if r.meeting.date <= cutoff and r.meeting.date.month <= 10
    )
    if compliance.cadence is not None:
        assert compliance.cadence.held == compliance.held
    recommendations = sections.recommendations_section(
        panel=busy_year.panel, terms=None, start=start, end=end, kind="annual", as_of=cutoff
    )
    for table in recommendations.tables:
        for row in table["rows"]:
            for cell in row:
                match = re.search(r"OVERDUE(?:: was due (\d+ \w+ \d{4}))?", str(cell))
                if match:
                    due = (
                        datetime.datetime.strptime(match.group(1), "%d %b %Y").date()
                        if match.group(1)
                        else datetime.datetime.strptime(row[2], "%d %b %Y").date()
                    )
                    assert due < cutoff, row


def test_the_quarter_lists_the_chairs_term_ending_inside_it_and_the_90_day_edge(
    panel_with,  # noqa: F811
):
    from members.models import Membership, MembershipStatus
    from reports.selectors import membership_section

    setup = panel_with("helena", chair=1, resident=4)
    chair, early, today_edge, day_90, day_91 = setup.seats
    end = D(2026, 9, 30)
    Membership.objects.filter(pk=chair.pk).update(
        term_ends_on=D(2026, 8, 15), ended_on=D(2026, 8, 15), status=MembershipStatus.TERM_ENDED
    )
    Membership.objects.filter(pk=early.pk).update(term_ends_on=D(2026, 6, 30))
    Membership.objects.filter(pk=today_edge.pk).update(term_ends_on=end)
    Membership.objects.filter(pk=day_90.pk).update(term_ends_on=end + datetime.timedelta(days=90))
    Membership.objects.filter(pk=day_91.pk).update(term_ends_on=end + datetime.timedelta(days=91))
    section = membership_section(
        panel=setup.panel, terms=setup.terms, start=D(2026, 7, 1), end=end, as_of=end
    )
    listed = {row.name: (row.term_ends_on, row.term_state) for row in section.terms_ending}
    assert listed == {
        chair.person.full_name: (D(2026, 8, 15), "ended"),
        today_edge.person.full_name: (end, "ended"),  # a term ending on the as-of date ended
        day_90.person.full_name: (D(2026, 12, 29), "ends"),
    }
    assert section.window_end == D(2026, 12, 29)
