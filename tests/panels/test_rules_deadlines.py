"""Working days and meeting deadlines (issue 4): weekends, Easter, Christmas and its
substitute days, closure days, and the loud failure outside the calendar's years."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from panels import rules
from panels.models import DeadlineKind
from panels.rules import CalendarOutOfRange, WorkingCalendar
from tests.panels.terms_factory import rule, seeded, seeded_deadlines

D = datetime.date
ENGLAND = WorkingCalendar()


def due(org: str, kind: str, meeting: datetime.date, calendar: WorkingCalendar = ENGLAND):
    deadline = rules.deadline_for(
        kind=kind, deadline_rules=seeded_deadlines(org), meeting_date=meeting, calendar=calendar
    )
    return deadline.due_on if deadline else None


# --- The calendar ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 1, 1), False),  # New Year's Day
        (D(2026, 1, 2), True),
        (D(2026, 1, 3), False),  # Saturday
        (D(2026, 4, 3), False),  # Good Friday
        (D(2026, 4, 6), False),  # Easter Monday
        (D(2026, 4, 7), True),
        (D(2026, 12, 25), False),  # Christmas Day, a Friday
        (D(2026, 12, 28), False),  # Boxing Day falls on Saturday: substitute Monday
        (D(2026, 12, 29), True),
        (D(2027, 12, 27), False),  # Christmas on Saturday: substitute Monday
        (D(2027, 12, 28), False),  # Boxing Day on Sunday: substitute Tuesday
        (D(2027, 12, 29), True),
    ],
)
def test_england_working_days(day, working):
    assert ENGLAND.is_working_day(day) is working


def test_holiday_names_say_why_a_day_does_not_count():
    assert "Good Friday" in ENGLAND.holiday_name(D(2026, 4, 3))
    assert ENGLAND.holiday_name(D(2026, 4, 7)) is None
    closed = WorkingCalendar(closures=frozenset({D(2026, 12, 29)}))
    assert closed.holiday_name(D(2026, 12, 29)) == "closure day"


def test_closure_days_are_not_working_days():
    shutdown = frozenset({D(2026, 12, 29), D(2026, 12, 30), D(2026, 12, 31)})
    calendar = WorkingCalendar(closures=shutdown)
    assert all(not calendar.is_working_day(day) for day in shutdown)
    assert calendar.is_working_day(D(2027, 1, 4))
    assert calendar.count_working_days(D(2026, 12, 21), D(2027, 1, 8)) == 4 + 5


@pytest.mark.parametrize("day", [D(2201, 1, 5), D(1969, 12, 31)])
def test_a_year_outside_the_calendar_fails_loudly(day):
    with pytest.raises(CalendarOutOfRange, match=str(day.year)):
        ENGLAND.is_working_day(day)
    with pytest.raises(CalendarOutOfRange):
        ENGLAND.holiday_name(day)


def test_counting_across_the_calendar_edge_fails_loudly():
    # The working day before Friday 2 January 1970 is Wednesday 31 December 1969 at the
    # latest: outside the calendar, so the count stops instead of guessing.
    with pytest.raises(CalendarOutOfRange):
        ENGLAND.working_days_before(D(1970, 1, 1), 1)


def test_a_count_must_be_positive():
    with pytest.raises(ValueError):
        ENGLAND.working_days_before(D(2026, 1, 8), 0)


# --- HFH: papers, minutes, key messages in working days; proposals in weeks ----------


def test_hfh_example_from_the_issue_papers_before_new_year():
    # Thursday 8 January 2026: 5 working days back from 7 January skips 1 January.
    assert due("hfh", "papers_out", D(2026, 1, 8)) == D(2025, 12, 31)


def test_hfh_papers_across_a_weekend():
    assert due("hfh", "papers_out", D(2026, 1, 12)) == D(2026, 1, 5)


def test_hfh_papers_across_easter():
    # Thursday 9 April 2026: Easter Monday (6th) and Good Friday (3rd) do not count.
    assert due("hfh", "papers_out", D(2026, 4, 9)) == D(2026, 3, 31)


def test_hfh_minutes_and_key_messages_across_easter():
    # A meeting on Thursday 2 April 2026: Friday 3rd and Monday 6th are bank holidays.
    assert due("hfh", "minutes_out", D(2026, 4, 2)) == D(2026, 4, 13)
    assert due("hfh", "key_messages", D(2026, 4, 2)) == D(2026, 4, 13)


def test_hfh_minutes_across_christmas_substitute_day():
    # Tuesday 22 December 2026: 25th, weekend and the Boxing Day substitute (28th) skipped.
    assert due("hfh", "minutes_out", D(2026, 12, 22)) == D(2026, 12, 31)


def test_hfh_minutes_across_a_christmas_shutdown():
    shutdown = WorkingCalendar(closures=frozenset({D(2026, 12, 29), D(2026, 12, 30)}))
    shutdown = WorkingCalendar(closures=shutdown.closures | {D(2026, 12, 31)})
    assert due("hfh", "minutes_out", D(2026, 12, 22), shutdown) == D(2027, 1, 6)


def test_hfh_agenda_proposals_and_attendance_requests_four_weeks_before():
    assert due("hfh", "agenda_proposals", D(2026, 1, 8)) == D(2025, 12, 11)
    assert due("hfh", "attendance_request", D(2026, 1, 8)) == D(2025, 12, 11)


def test_hfh_papers_go_electronically():
    papers = rules.deadline_for(
        kind="papers_out",
        deadline_rules=seeded_deadlines("hfh"),
        meeting_date=D(2026, 1, 8),
        calendar=ENGLAND,
    )
    assert papers.channel == "electronic"
    assert papers.rule_text == "5 working days before the meeting electronically"


def test_hfh_agenda_proposal_one_day_late_is_refused_with_the_date():
    terms = seeded("hfh")
    kwargs = {
        "kind": "agenda_proposals",
        "deadline_rules": seeded_deadlines("hfh"),
        "meeting_date": D(2026, 1, 8),
        "calendar": ENGLAND,
        "terms": terms,
    }
    assert rules.request_in_time(requested_on=D(2025, 12, 11), **kwargs) == []
    [late] = rules.request_in_time(requested_on=D(2025, 12, 12), **kwargs)
    assert late.code == "deadline.agenda_proposals.missed"
    assert "Thursday 11 December 2025" in late.message
    assert "Customer Core Group" in late.source


# --- Helena: post, calendar days ------------------------------------------------------


def test_helena_papers_and_minutes_by_post_seven_days():
    assert due("helena", "papers_out", D(2026, 1, 8)) == D(2026, 1, 1)
    assert due("helena", "minutes_out", D(2026, 1, 8)) == D(2026, 1, 15)
    papers = rules.deadline_for(
        kind="papers_out",
        deadline_rules=seeded_deadlines("helena"),
        meeting_date=D(2026, 1, 8),
        calendar=ENGLAND,
    )
    assert papers.channel == "post"
    # 1 January is a bank holiday: the papers must be in the post on 31 December.
    assert papers.last_working_day_on == D(2025, 12, 31)


def test_helena_minutes_after_an_easter_meeting_land_on_a_working_day():
    # Meeting Thursday 2 April 2026 -> Thursday 9 April (calendar days, no skipping).
    assert due("helena", "minutes_out", D(2026, 4, 2)) == D(2026, 4, 9)


# --- IVH, THT, Stockport ------------------------------------------------------------


def test_ivh_two_weeks_notice_of_meeting_dates():
    assert due("ivh", "meeting_notice", D(2026, 4, 15)) == D(2026, 4, 1)
    assert due("ivh", "papers_out", D(2026, 4, 15)) is None  # not stated


def test_tht_staff_attendance_requests_ten_working_days_across_easter():
    # Wednesday 15 April 2026: Easter Monday and Good Friday are skipped.
    assert due("tht", "attendance_request", D(2026, 4, 15)) == D(2026, 3, 30)


def test_tht_staff_attendance_request_across_christmas():
    # Monday 11 January 2027: back over 1 January, the Boxing Day substitute and Christmas.
    assert due("tht", "attendance_request", D(2027, 1, 11)) == D(2026, 12, 23)


def test_stockport_states_no_deadlines():
    assert (
        rules.meeting_deadlines(
            deadline_rules=seeded_deadlines("stockport"),
            meeting_date=D(2026, 1, 8),
            calendar=ENGLAND,
        )
        == []
    )


def test_meeting_deadlines_are_in_date_order_with_labels():
    deadlines = rules.meeting_deadlines(
        deadline_rules=seeded_deadlines("hfh"), meeting_date=D(2026, 1, 8), calendar=ENGLAND
    )
    assert [d.due_on for d in deadlines] == sorted(d.due_on for d in deadlines)
    assert deadlines[0].kind == "agenda_proposals"
    assert deadlines[0].label == DeadlineKind.AGENDA_PROPOSALS.label
    assert {d.kind for d in deadlines} == {
        "papers_out",
        "agenda_proposals",
        "attendance_request",
        "minutes_out",
        "key_messages",
    }


def test_rule_text_for_one_unit_is_singular():
    assert rules.deadline_rule_text(rule("papers_out", 1, "weeks", "before")) == (
        "1 week before the meeting"
    )
    assert rules.deadline_rule_text(rule("papers_out", 1, "working_days", "after", "post")) == (
        "1 working day after the meeting by post"
    )


# --- Properties ---------------------------------------------------------------------

meeting_dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2150, 12, 31))
closure_sets = st.frozensets(
    st.dates(min_value=D(1989, 6, 1), max_value=D(2151, 6, 30)), max_size=8
)


@settings(max_examples=300, deadline=None)
@given(meeting=meeting_dates, count=st.integers(min_value=1, max_value=40), closures=closure_sets)
def test_n_working_days_before_is_a_working_day_with_exactly_n_up_to_the_eve(
    meeting, count, closures
):
    calendar = WorkingCalendar(closures=closures)
    deadline = calendar.working_days_before(meeting, count)
    assert deadline < meeting
    assert calendar.is_working_day(deadline)
    assert deadline.weekday() < 5
    assert deadline not in closures
    assert calendar.holiday_name(deadline) is None
    eve = meeting - datetime.timedelta(days=1)
    assert calendar.count_working_days(deadline, eve) == count


@settings(max_examples=300, deadline=None)
@given(meeting=meeting_dates, count=st.integers(min_value=1, max_value=40), closures=closure_sets)
def test_n_working_days_after_is_a_working_day_with_exactly_n_from_the_morrow(
    meeting, count, closures
):
    calendar = WorkingCalendar(closures=closures)
    deadline = calendar.working_days_after(meeting, count)
    assert deadline > meeting
    assert calendar.is_working_day(deadline)
    assert calendar.holiday_name(deadline) is None
    morrow = meeting + datetime.timedelta(days=1)
    assert calendar.count_working_days(morrow, deadline) == count


@settings(max_examples=200, deadline=None)
@given(meeting=meeting_dates, count=st.integers(min_value=1, max_value=40))
def test_a_deadline_rule_in_working_days_matches_the_calendar(meeting, count):
    before = rules.deadline_date(
        rule("papers_out", count, "working_days", "before"), meeting, ENGLAND
    )
    after = rules.deadline_date(
        rule("minutes_out", count, "working_days", "after"), meeting, ENGLAND
    )
    assert before == ENGLAND.working_days_before(meeting, count)
    assert after == ENGLAND.working_days_after(meeting, count)


@settings(max_examples=200, deadline=None)
@given(meeting=meeting_dates, weeks=st.integers(min_value=1, max_value=12))
def test_weeks_and_calendar_days_count_from_the_meeting_itself(meeting, weeks):
    weekly = rules.deadline_date(
        rule("agenda_proposals", weeks, "weeks", "before"), meeting, ENGLAND
    )
    daily = rules.deadline_date(
        rule("agenda_proposals", 7 * weeks, "days", "before"), meeting, ENGLAND
    )
    assert weekly == daily == meeting - datetime.timedelta(weeks=weeks)


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=D(1971, 1, 1), max_value=D(2199, 1, 1)),
    count=st.one_of(st.integers(1, 40), st.integers(200, 1500)),
    direction=st.sampled_from([1, -1]),
    closures=closure_sets,
)
def test_the_fast_step_agrees_with_a_day_by_day_walk(start, count, direction, closures):
    # Issue 20 item 5: the step walks one combined frozenset for the years around the start;
    # counts long enough to leave those years fall back to the day-by-day walk.
    calendar = WorkingCalendar(closures=closures)

    def outcome(step):
        try:
            return step(start, count, direction)
        except CalendarOutOfRange:  # both must refuse a walk past 1970 or 2200
            return "out of range"

    assert outcome(calendar.step) == outcome(calendar._step_day_by_day)


def test_calendar_edges_still_refuse_years_outside_the_range():
    calendar = WorkingCalendar()
    with pytest.raises(CalendarOutOfRange):
        calendar.working_days_before(D(1970, 1, 2), 5)
    with pytest.raises(CalendarOutOfRange):
        calendar.working_days_after(D(2200, 12, 28), 5)
    assert calendar.working_day_on_or_after(D(2026, 12, 25)) == D(2026, 12, 29)
    assert calendar.working_day_on_or_before(D(2026, 12, 28)) == D(2026, 12, 24)
