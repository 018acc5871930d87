"""Quorum, decisions, attendance and cadence, per organisation (issue 4)."""

import datetime

import pytest

from panels import rules
from tests.panels.terms_factory import seeded

D = datetime.date


def quorum(org, members, present):
    return rules.quorum_state(terms=seeded(org), membership=members, present_voting=present)


# --- Quorum --------------------------------------------------------------------------


def test_hfh_quorum_is_three_resident_members_whatever_the_size():
    short = quorum("hfh", 14, 2)
    assert (short.required, short.is_quorate, short.short_by) == (3, False, 1)
    assert "3 voting resident members" in short.reason.message
    assert short.reason.code == "quorum.not_met"
    assert quorum("hfh", 14, 3).is_quorate
    assert quorum("hfh", 30, 3).is_quorate


@pytest.mark.parametrize(
    ("members", "present", "quorate", "short_by"),
    [(10, 5, False, 1), (10, 6, True, 0), (9, 4, False, 1), (9, 5, True, 0), (4, 3, True, 0)],
)
def test_ivh_simple_majority_of_all_members(members, present, quorate, short_by):
    # Exactly half is not a majority.
    state = quorum("ivh", members, present)
    assert (state.is_quorate, state.short_by) == (quorate, short_by)


@pytest.mark.parametrize(
    ("members", "present", "quorate", "required"),
    [(10, 5, True, 5), (10, 4, False, 5), (9, 4, False, 5), (9, 5, True, 5), (6, 3, True, 3)],
)
def test_stockport_half_the_membership_rounded_up(members, present, quorate, required):
    state = quorum("stockport", members, present)
    assert (state.is_quorate, state.required) == (quorate, required)
    assert state.rule_text == "50% of the membership, rounded up"


@pytest.mark.parametrize("org", ["helena", "tht"])
def test_no_quorum_stated(org):
    state = quorum(org, 12, 1)
    # Not stated: never "quorate" by default (tests/panels/test_rules_not_stated.py).
    assert state.is_quorate is None and state.required is None and not state.stated
    assert state.rule_text == "quorum not stated in the terms of reference"
    assert rules.quorum_required(terms=seeded(org), membership=12) is None


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        quorum("ivh", 10, -1)
    with pytest.raises(ValueError):
        quorum("ivh", -1, 3)


# --- Decisions -----------------------------------------------------------------------


def vote(org, votes_for, against, members=10, **kwargs):
    return rules.vote_outcome(
        terms=seeded(org), votes_for=votes_for, votes_against=against, membership=members, **kwargs
    )


def test_hfh_consensus_first_then_vote_then_chairs_casting_vote():
    assert vote("hfh", 0, 0, consensus=True).method == "consensus"
    assert vote("hfh", 4, 3).carried
    assert not vote("hfh", 3, 4).carried
    tie = vote("hfh", 3, 3)
    assert (tie.carried, tie.method) == (False, "tie_awaiting_casting_vote")
    cast = vote("hfh", 3, 3, chair_casting_vote_for=True)
    assert cast.carried and cast.casting_vote_used
    assert not vote("hfh", 3, 3, chair_casting_vote_for=False).carried


def test_ivh_straight_majority_and_casting_vote_no_consensus_rule():
    assert vote("ivh", 5, 4).carried
    assert vote("ivh", 0, 0, consensus=True).method != "consensus"
    assert vote("ivh", 4, 4, chair_casting_vote_for=True).method == "casting_vote"


def test_stockport_notice_to_act_needs_a_majority_of_all_members():
    # 10 members: 6 needed even if only 7 vote.
    assert not vote("stockport", 5, 0, members=10, motion_kind="notice_to_act").carried
    carried = vote("stockport", 6, 1, members=10, motion_kind="notice_to_act")
    assert carried.carried and carried.method == "majority_of_all_members"
    assert vote("stockport", 5, 4, members=9, motion_kind="notice_to_act").carried
    assert not vote("stockport", 4, 0, members=9, motion_kind="notice_to_act").carried


def test_stockport_ordinary_tie_is_not_carried_no_casting_vote_stated():
    assert vote("stockport", 2, 1).carried
    tie = vote("stockport", 3, 3, chair_casting_vote_for=True)
    assert (tie.carried, tie.method) == (False, "tie")


@pytest.mark.parametrize("org", ["helena", "tht"])
def test_no_decision_rule_stated_a_tie_falls(org):
    assert not vote(org, 2, 2, chair_casting_vote_for=True).carried


def test_negative_votes_refused():
    with pytest.raises(ValueError):
        vote("ivh", -1, 2)


# --- Attendance ----------------------------------------------------------------------


ABSENCE_DAY = D(2026, 3, 12)
LAST_YEAR_ASKED_ON = D(2026, 2, 1)


def absences(org, count, on=ABSENCE_DAY):
    return rules.attendance_consequence(
        terms=seeded(org), consecutive_unexplained=count, on_date=on
    )


def test_ivh_three_unexplained_absences_retire_with_a_three_year_bar():
    assert absences("ivh", 1).kind == "none"
    assert absences("ivh", 2).kind == "warning"
    retired = absences("ivh", 3)
    assert retired.kind == "retire"
    assert retired.rejoin_barred_until == D(2029, 3, 12)
    assert "12 March 2029" in retired.message
    assert retired.source.endswith("Attendance")


def test_stockport_two_unexplained_absences_flag_for_decision():
    assert absences("stockport", 1).kind == "warning"
    flagged = absences("stockport", 2)
    assert flagged.kind == "flag"
    assert flagged.rejoin_barred_until is None
    assert absences("stockport", 3).kind == "flag"


@pytest.mark.parametrize("org", ["helena", "hfh", "tht"])
def test_no_attendance_rule_stated(org):
    assert absences(org, 10).kind == "none"


# --- Cadence -------------------------------------------------------------------------


def cadence(org, held, planned=(), year=2025, today=LAST_YEAR_ASKED_ON):
    return rules.cadence_judgement(
        terms=seeded(org), year=year, held=held, planned=planned, as_of=today
    )


def monthly(year, skip=()):
    return [D(year, m, 10) for m in range(1, 13) if m not in skip]


def test_helena_monthly():
    assert cadence("helena", monthly(2025)).met
    missed = cadence("helena", monthly(2025, skip=(7,)))
    assert not missed.met and missed.missed_slots == ["July"]
    assert missed.message.startswith("Not met")


def test_hfh_at_least_quarterly_every_quarter_covered():
    assert cadence("hfh", [D(2025, 2, 1), D(2025, 5, 1), D(2025, 8, 1), D(2025, 11, 1)]).met
    gap = cadence("hfh", [D(2025, 1, 1), D(2025, 2, 1), D(2025, 5, 1), D(2025, 11, 1)])
    assert not gap.met and gap.missed_slots == ["quarter 3"]


def test_tht_at_least_six_a_year():
    assert cadence("tht", [D(2025, m, 1) for m in (1, 3, 5, 7, 9, 11)]).met
    assert not cadence("tht", [D(2025, m, 1) for m in (1, 3, 5, 7, 9)]).met


def test_tht_current_year_on_track_or_at_risk():
    today = D(2026, 6, 1)
    on_track = cadence(
        "tht", [D(2026, m, 1) for m in (1, 3, 5)], [D(2026, m, 1) for m in (7, 9, 11)], 2026, today
    )
    assert not on_track.met and not on_track.at_risk
    at_risk = cadence("tht", [D(2026, m, 1) for m in (1, 3, 5)], [D(2026, 9, 1)], 2026, today)
    assert at_risk.at_risk and "at least 6" in at_risk.message


def test_stockport_four_a_calendar_year_and_quarterly():
    assert cadence("stockport", [D(2025, m, 1) for m in (2, 5, 8, 11)]).met
    assert not cadence("stockport", [D(2025, m, 1) for m in (2, 5, 8)]).met
    # Four meetings, but none in the last quarter.
    assert not cadence("stockport", [D(2025, m, 1) for m in (1, 2, 5, 8)]).met


def test_ivh_quarterly():
    assert cadence("ivh", [D(2025, m, 15) for m in (3, 6, 9, 12)]).met
