import datetime

import pytest

from meetings import selectors, services
from meetings.models import Meeting, MeetingStatus
from panels.errors import RuleViolation
from panels.models import ClosureDay
from panels.rules import committee_dates_without_meeting
from tests.meetings.conftest import schedule

pytestmark = pytest.mark.django_db
JAN1 = datetime.date(2026, 1, 1)


def test_helena_programme_is_monthly_at_ten_to_two_on_working_days(panel_with):
    setup = panel_with("helena", resident=3)
    created = services.meeting_programme_generate(panel=setup.panel, year=2026, today=JAN1)
    assert len(created) == 12
    assert {m.date.month for m in created} == set(range(1, 13))
    assert all(
        m.start_time == datetime.time(10) and m.end_time == datetime.time(14) for m in created
    )
    assert all(m.date.weekday() < 5 for m in created)
    # Running it again adds nothing.
    assert services.meeting_programme_generate(panel=setup.panel, year=2026, today=JAN1) == []
    state = selectors.programme_year(panel=setup.panel, year=2026, today=JAN1).cadence
    assert state.required == 12 and not state.at_risk


def test_quarterly_and_six_a_year_programmes(panel_with, tenant_b):
    hfh = panel_with("hfh", resident=3)
    assert len(services.meeting_programme_generate(panel=hfh.panel, year=2026, today=JAN1)) == 4


def test_tht_six_a_year(tenant_a):
    from tests.meetings.conftest import PanelSetup, make_terms

    terms = make_terms(tenant_a.org, tenant_a.panel, "tht")
    setup = PanelSetup(org=tenant_a.org, panel=tenant_a.panel, terms=terms)
    created = services.meeting_programme_generate(panel=setup.panel, year=2026, today=JAN1)
    assert [m.date.month for m in created] == [1, 3, 5, 7, 9, 11]


def test_programme_skips_dates_already_past_and_cadence_shows_the_risk(panel_with):
    setup = panel_with("tht", resident=3)
    today = datetime.date(2026, 8, 1)
    created = services.meeting_programme_generate(panel=setup.panel, year=2026, today=today)
    assert [m.date.month for m in created] == [9, 11]
    state = selectors.programme_year(panel=setup.panel, year=2026, today=today).cadence
    # Six needed and five months left (one meeting a month): it can no longer be met.
    assert state.cannot_be_met and "Cannot be met" in state.message


def test_stockport_needs_committee_dates_then_meets_before_each(panel_with):
    setup = panel_with("stockport", resident=3)
    with pytest.raises(RuleViolation) as refused:
        services.meeting_programme_generate(panel=setup.panel, year=2026, today=JAN1)
    assert refused.value.code == "programme.committee_dates_missing"
    assert not Meeting.objects.exists()
    for date in ("2026-03-10", "2026-06-09", "2026-09-08", "2026-12-08"):
        services.committee_date_add(
            panel=setup.panel,
            committee="Customer Focus Committee",
            date=datetime.date.fromisoformat(date),
        )
    created = services.meeting_programme_generate(panel=setup.panel, year=2026, today=JAN1)
    assert len(created) == 4
    assert all(m.before_committee and m.date < m.before_committee.date for m in created)
    year = selectors.programme_year(panel=setup.panel, year=2026, today=JAN1)
    assert year.committee_dates_uncovered == []
    assert not year.cadence.at_risk
    assert services.meeting_programme_generate(panel=setup.panel, year=2026, today=JAN1) == []


def test_committee_dates_without_meeting_rule():
    d = datetime.date
    committee = [d(2026, 3, 10), d(2026, 6, 9)]
    assert committee_dates_without_meeting(committee_dates=committee, meeting_dates=[]) == committee
    assert committee_dates_without_meeting(
        committee_dates=committee, meeting_dates=[d(2026, 2, 24)]
    ) == [d(2026, 6, 9)]
    # A meeting on the committee's own day is not "before" it.
    assert committee_dates_without_meeting(
        committee_dates=committee, meeting_dates=[d(2026, 2, 24), d(2026, 6, 9)]
    ) == [d(2026, 6, 9)]


def test_schedule_refusals_change_nothing(panel_with):
    setup = panel_with("hfh", resident=3)
    today = datetime.date(2026, 5, 1)
    with pytest.raises(RuleViolation) as refused:
        services.meeting_schedule(
            panel=setup.panel,
            date=datetime.date(2026, 4, 1),
            start_time=datetime.time(14),
            end_time=datetime.time(12),
            today=today,
        )
    assert {r.code for r in refused.value.reasons} == {"meeting.times", "meeting.date_past"}
    schedule(setup, datetime.date(2026, 6, 2), today=today)
    with pytest.raises(RuleViolation) as refused:
        schedule(setup, datetime.date(2026, 6, 2), today=today)
    assert refused.value.code == "meeting.duplicate"
    assert Meeting.objects.count() == 1


def _states(meeting, today):
    return {s.kind: s for s in selectors.meeting_deadline_states(meeting=meeting, today=today)}


def test_hfh_deadlines_across_easter_bank_holidays(panel_with):
    setup = panel_with("hfh", resident=3)
    # Wednesday 8 April 2026: Good Friday 3 April and Easter Monday 6 April are not working days.
    meeting = schedule(setup, datetime.date(2026, 4, 8), today=datetime.date(2026, 1, 5))
    states = _states(meeting, datetime.date(2026, 3, 30))
    assert states["papers_out"].due_on == datetime.date(2026, 3, 30)
    assert states["papers_out"].state == "open"
    assert states["agenda_proposals"].due_on == datetime.date(2026, 3, 11)
    assert states["agenda_proposals"].state == "closed"
    assert states["minutes_out"].due_on == datetime.date(2026, 4, 15)
    assert states["key_messages"].due_on == datetime.date(2026, 4, 15)
    assert _states(meeting, datetime.date(2026, 3, 31))["papers_out"].state == "missed"
    meeting.papers_issued_on = datetime.date(2026, 3, 30)
    assert _states(meeting, datetime.date(2026, 4, 20))["papers_out"].state == "done"
    meeting.papers_issued_on = datetime.date(2026, 4, 1)
    late = _states(meeting, datetime.date(2026, 4, 20))["papers_out"]
    assert late.state == "done_late" and late.is_breach and "1 April 2026" in late.message
    assert _states(meeting, datetime.date(2026, 4, 16))["minutes_out"].state == "missed"


def test_deadlines_skip_christmas_and_closure_days(panel_with):
    setup = panel_with("hfh", resident=3)
    ClosureDay.objects.create(organisation=setup.org, date=datetime.date(2026, 12, 29))
    # Tuesday 22 December 2026: minutes within 5 working days skip 25, 28 (bank holidays),
    # 29 (closure day) -> 23, 24, 30, 31 December, 4 January.
    meeting = schedule(setup, datetime.date(2026, 12, 22), today=datetime.date(2026, 12, 1))
    assert _states(meeting, datetime.date(2026, 12, 23))["minutes_out"].due_on == datetime.date(
        2027, 1, 4
    )


def test_helena_papers_by_post_seven_days_and_cancelled_not_applicable(panel_with):
    setup = panel_with("helena", resident=2)
    meeting = schedule(setup, datetime.date(2026, 6, 16), today=datetime.date(2026, 6, 1))
    state = _states(meeting, datetime.date(2026, 6, 1))["papers_out"]
    assert state.due_on == datetime.date(2026, 6, 9) and state.channel == "post"
    services.meeting_cancel(meeting=meeting, reason="Venue flooded")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert _states(meeting, datetime.date(2026, 6, 20))["papers_out"].state == "not_applicable"


def test_ivh_notice_deadline_done_when_notice_given(panel_with):
    setup = panel_with("ivh", resident=4)
    meeting = schedule(setup, datetime.date(2026, 6, 16), today=datetime.date(2026, 5, 1))
    services.meeting_give_notice(meeting=meeting, today=datetime.date(2026, 5, 20))
    meeting.refresh_from_db()
    state = _states(meeting, datetime.date(2026, 6, 1))["meeting_notice"]
    assert state.state == "done" and state.done_on == datetime.date(2026, 5, 20)
    with pytest.raises(RuleViolation):
        services.meeting_give_notice(meeting=meeting, today=datetime.date(2026, 5, 21))
