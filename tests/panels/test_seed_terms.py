"""The seeded terms of reference state what each document states, and leave unset what
it does not (issue 4)."""

import pytest

from tests.panels.terms_factory import seeded, seeded_deadlines

UNSET = {
    # Helena states size, tenure, meetings, papers/minutes, review, reporting: nothing else.
    "helena": [
        "min_members",
        "term_years",
        "quorum_kind",
        "decision_method",
        "chair_selection",
        "absence_limit",
        "leave_max_months",
        "remuneration_member_annual",
        "expenses_policy",
        "min_age",
    ],
    "hfh": ["min_members", "max_members", "min_age", "absence_limit", "leave_max_months"],
    "ivh": ["chair_max_years", "min_age", "leave_max_months", "expenses_policy", "extension_kind"],
    "tht": ["quorum_kind", "decision_method", "further_terms", "max_years", "absence_limit"],
    "stockport": ["decision_method", "chair_max_years", "officer_led_meetings"],
}


@pytest.mark.parametrize(("org", "fields"), UNSET.items())
def test_rules_a_document_does_not_state_stay_unset(org, fields):
    terms = seeded(org)
    for name in fields:
        assert getattr(terms, name) in (None, "", [], {}), name


def test_helena_values():
    terms = seeded("helena")
    assert (terms.max_members, terms.cadence, terms.reporting_frequency) == (
        15,
        "monthly",
        "quarterly",
    )
    assert (terms.usual_start_time.hour, terms.usual_end_time.hour) == (10, 14)
    assert {(d.kind, d.amount, d.unit, d.channel) for d in seeded_deadlines("helena")} == {
        ("papers_out", 7, "days", "post"),
        ("minutes_out", 7, "days", "post"),
    }


def test_hfh_values():
    terms = seeded("hfh")
    assert (terms.quorum_kind, terms.quorum_number) == ("fixed", 3)
    assert terms.decision_method == "consensus_then_vote" and terms.chair_casting_vote
    # 3: the exclusions (i-m) apply to "resident panel member"s; 3f co-optees are exempt.
    assert set(terms.eligibility_exemptions) == {
        "current_customer",
        "not_employee",
        "no_breach_court_order",
        "no_arrears_action_or_dispute",
        "not_removed_under_code",
        "no_same_household",
    }
    assert all(roles == ["co_opted"] for roles in terms.eligibility_exemptions.values())
    assert terms.may_meet_virtually and terms.aob_last


def test_ivh_values():
    terms = seeded("ivh")
    assert (terms.min_members, terms.max_members, terms.quorum_kind) == (4, 12, "majority")
    assert (terms.absence_limit, terms.absence_consequence, terms.rejoin_bar_years) == (
        3,
        "retire",
        3,
    )
    assert (terms.chair_election_month, terms.officer_led_meetings) == (4, 3)


def test_tht_values():
    terms = seeded("tht")
    assert terms.tenure_caps == {"leaseholder": 2}
    assert (terms.min_meetings_per_year, terms.scrutiny_reviews_per_year) == (6, 3)
    assert terms.board_responds_in_writing and terms.annual_impact_assessment


def test_stockport_values():
    terms = seeded("stockport")
    assert (terms.min_members, terms.max_members, terms.min_age) == (6, 15, 18)
    assert terms.all_member_majority_motions == ["notice_to_act"]
    assert (terms.extension_kind, terms.extension_limit_years) == ("annual", 9)
    assert terms.annual_effectiveness_review and terms.payments_pause_on_leave
