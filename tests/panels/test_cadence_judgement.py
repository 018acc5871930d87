"""Cadence judged fairly as of a date (issue 17 item 2): met, on track, at risk (still
possible), cannot be met (not enough time left), with the number still needed and by when."""

import datetime

from panels import rules
from panels.models import Cadence, TermsOfReference

D = datetime.date


def terms(cadence, minimum=None):
    return TermsOfReference(cadence=cadence, min_meetings_per_year=minimum)


NOV30 = D(2026, 11, 30)


def judge(t, held, planned=(), as_of=NOV30):
    return rules.cadence_judgement(terms=t, year=2026, held=held, planned=planned, as_of=as_of)


def test_six_a_year_with_one_held_on_30_november_cannot_be_met():
    state = judge(terms(Cadence.MIN_PER_YEAR, 6), [D(2026, 2, 3)], [D(2026, 12, 8)])
    assert state.status == "cannot_be_met" and state.needed == 5
    assert state.by == D(2026, 12, 31) and state.months_left == 1
    assert "Cannot be met" in state.message and "5 more by 31 December 2026" in state.message


def test_six_a_year_at_risk_while_still_possible_and_on_track_when_planned():
    held = [D(2026, 1, 5), D(2026, 3, 5), D(2026, 5, 5)]
    at_risk = judge(terms(Cadence.MIN_PER_YEAR, 6), held, [D(2026, 9, 1)], as_of=D(2026, 8, 1))
    assert at_risk.status == "at_risk" and at_risk.needed == 3
    assert "still possible" in at_risk.message and "2 more meetings to plan" in at_risk.message
    planned = [D(2026, 9, 1), D(2026, 10, 1), D(2026, 11, 1)]
    on_track = judge(terms(Cadence.MIN_PER_YEAR, 6), held, planned, as_of=D(2026, 8, 1))
    assert on_track.status == "on_track" and "3 more by 31 December 2026" in on_track.message


def test_quarterly_with_a_quarter_gone_by_cannot_be_met_and_says_which():
    state = judge(terms(Cadence.QUARTERLY), [D(2026, 5, 1)], [D(2026, 12, 1)], as_of=D(2026, 8, 1))
    assert state.status == "cannot_be_met" and state.missed_slots == ["quarter 1"]
    assert "no meeting was held in quarter 1" in state.message
    # The narrative cannot say "met" above "no meeting in quarter 1".
    assert "Met" not in state.message and "On track" not in state.message


def test_monthly_on_track_then_met_at_year_end():
    held = [D(2026, m, 10) for m in range(1, 12)]
    assert judge(terms(Cadence.MONTHLY), held, [D(2026, 12, 9)]).status == "on_track"
    assert judge(terms(Cadence.MONTHLY), held, []).status == "at_risk"
    done = judge(terms(Cadence.MONTHLY), [*held, D(2026, 12, 9)], as_of=D(2026, 12, 31))
    assert done.status == "met" and done.symbol == "✓"


def test_meetings_after_the_as_of_date_never_count_as_held():
    state = judge(terms(Cadence.MIN_PER_YEAR, 2), [D(2026, 3, 1), D(2026, 12, 1)])
    assert state.held == 1 and state.needed == 1


def test_a_year_gone_by_short_is_not_met():
    state = judge(terms(Cadence.QUARTERLY), [D(2026, 2, 1)], as_of=D(2027, 1, 5))
    assert state.status == "not_met" and state.cannot_be_met
    assert "quarters 2, 3 and 4" in state.message
