"""Terms of office, re-appointment, extensions and the chair, per organisation (issue 4).
Each limit is crossed by exactly one day."""

import datetime

import pytest

from panels import rules
from panels.rules import ChairFacts
from tests.panels.terms_factory import seeded

D = datetime.date


def reappoint(org, first, served, starts):
    return [
        r.code
        for r in rules.reappointment_refusals(
            terms=seeded(org),
            first_started_on=first,
            terms_served=served,
            new_term_starts_on=starts,
        )
    ]


def extend(org, first, current_end, extend_to, reason="", terms_served=None):
    return [
        r.code
        for r in rules.extension_refusals(
            terms=seeded(org),
            first_started_on=first,
            current_end=current_end,
            extend_to=extend_to,
            reason=reason,
            terms_served=terms_served,
        )
    ]


@pytest.mark.parametrize("org", ["hfh", "ivh", "tht", "stockport"])
def test_a_term_is_three_years_to_the_day_before(org):
    assert rules.term_end(terms=seeded(org), starts_on=D(2024, 2, 29)) == D(2027, 2, 28)
    assert rules.term_end(terms=seeded(org), starts_on=D(2025, 1, 1)) == D(2027, 12, 31)


def test_helena_states_no_term():
    terms = seeded("helena")
    assert rules.term_end(terms=terms, starts_on=D(2025, 1, 1)) is None
    assert rules.service_limit(terms=terms, first_started_on=D(2025, 1, 1)) is None
    assert extend("helena", D(2020, 1, 1), D(2025, 1, 1), D(2026, 1, 1)) == ["term.no_extensions"]


# --- HFH: 3 years, one further term (6 years); beyond only in exceptional circumstances


def test_hfh_second_term_allowed_third_refused():
    assert reappoint("hfh", D(2020, 1, 1), 1, D(2023, 1, 1)) == []
    assert reappoint("hfh", D(2020, 1, 1), 2, D(2026, 1, 1)) == ["term.max_terms", "term.max_years"]


def test_hfh_second_term_ending_one_day_past_six_years_refused():
    assert rules.service_limit(
        terms=seeded("hfh"), first_started_on=D(2020, 1, 1), with_extensions=False
    ) == D(2025, 12, 31)
    assert reappoint("hfh", D(2020, 1, 1), 1, D(2023, 1, 2)) == ["term.max_years"]


def test_hfh_exceptional_extension_needs_the_circumstances_and_two_terms():
    first, end = D(2020, 1, 1), D(2025, 12, 31)
    assert extend("hfh", first, end, D(2026, 12, 31), terms_served=2) == [
        "term.extension_exceptional_reason"
    ]
    assert extend("hfh", first, end, D(2026, 12, 31), "Skills shortage: finance", 2) == []
    assert extend("hfh", first, D(2022, 12, 31), D(2023, 12, 31), "Skills", 1) == [
        "term.extension_too_early"
    ]
    # No stated upper limit for exceptional extensions.
    assert rules.service_limit(terms=seeded("hfh"), first_started_on=first) is None


def test_hfh_reappointment_is_not_automatic():
    assert seeded("hfh").reappointment_automatic is False


# --- IVH: 3 years, two further terms, nine years at most, not automatic --------------


def test_ivh_third_term_allowed_fourth_refused():
    assert reappoint("ivh", D(2020, 4, 1), 2, D(2026, 4, 1)) == []
    assert "term.max_terms" in reappoint("ivh", D(2020, 4, 1), 3, D(2029, 4, 1))


def test_ivh_third_term_ending_one_day_past_nine_years_refused():
    assert rules.service_limit(terms=seeded("ivh"), first_started_on=D(2020, 4, 1)) == D(
        2029, 3, 31
    )
    assert reappoint("ivh", D(2020, 4, 1), 2, D(2026, 4, 2)) == ["term.max_years"]


def test_ivh_no_extensions_and_not_automatic():
    assert extend("ivh", D(2020, 4, 1), D(2029, 3, 31), D(2030, 3, 31)) == ["term.no_extensions"]
    assert seeded("ivh").reappointment_automatic is False


# --- THT: fixed three years, step down, may re-apply ---------------------------------


def test_tht_fixed_term_ends_on_the_last_day_then_steps_down():
    terms = seeded("tht")
    end = rules.term_end(terms=terms, starts_on=D(2025, 1, 1))
    assert end == D(2027, 12, 31)
    assert terms.step_down_at_term_end and terms.may_reapply
    assert reappoint("tht", D(2025, 1, 1), 1, end + datetime.timedelta(days=1)) == [
        "term.fixed_term"
    ]
    assert extend("tht", D(2025, 1, 1), end, end + datetime.timedelta(days=1)) == [
        "term.no_extensions"
    ]


# --- Stockport: two terms (6 years), then annual extensions to nine -----------------


def test_stockport_third_term_refused_extensions_instead():
    assert reappoint("stockport", D(2020, 1, 1), 1, D(2023, 1, 1)) == []
    assert "term.max_terms" in reappoint("stockport", D(2020, 1, 1), 2, D(2026, 1, 1))


def test_stockport_extension_a_year_at_a_time():
    first = D(2020, 1, 1)
    assert extend("stockport", first, D(2025, 12, 31), D(2026, 12, 31), terms_served=2) == []
    assert extend("stockport", first, D(2025, 12, 31), D(2027, 1, 1)) == ["term.extension_annual"]
    assert extend("stockport", first, D(2025, 12, 31), D(2025, 12, 31)) == [
        "term.extension_not_later"
    ]


def test_stockport_extension_one_day_past_nine_years_refused():
    first = D(2020, 1, 1)
    assert rules.service_limit(terms=seeded("stockport"), first_started_on=first) == D(2028, 12, 31)
    assert extend("stockport", first, D(2027, 12, 31), D(2028, 12, 31)) == []
    refused = rules.extension_refusals(
        terms=seeded("stockport"),
        first_started_on=first,
        current_end=D(2028, 1, 1),
        extend_to=D(2029, 1, 1),
    )
    assert [r.code for r in refused] == ["term.extension_limit"]
    assert refused[0].field == "extend_to"
    assert "9 years" in refused[0].message


def test_stockport_extension_before_two_terms_refused():
    assert extend("stockport", D(2020, 1, 1), D(2022, 12, 31), D(2023, 12, 31), terms_served=1) == [
        "term.extension_too_early"
    ]


# --- Chair ---------------------------------------------------------------------------


def chair(org, **facts):
    return [r.code for r in rules.chair_refusals(terms=seeded(org), facts=ChairFacts(**facts))]


def test_hfh_chair_six_years_at_most():
    assert chair("hfh", years_as_chair=5) == []
    assert chair("hfh", years_as_chair=5.5) == ["chair.max_years"]
    assert chair("hfh", years_as_chair=6) == ["chair.max_years"]


def test_ivh_chair_not_board_chair_not_staff_no_limit_on_times():
    assert chair("ivh", is_board_chair=True) == ["chair.board_chair"]
    assert chair("ivh", is_staff=True) == ["chair.staff"]
    assert chair("ivh", years_as_chair=20) == []


@pytest.mark.parametrize("org", ["helena", "tht", "stockport"])
def test_no_chair_restrictions_where_none_stated(org):
    assert chair(org, is_board_chair=True, is_staff=True, years_as_chair=30) == []


def test_ivh_officer_leads_the_first_three_meetings():
    terms = seeded("ivh")
    for held in (0, 1, 2):
        assert rules.who_presides(
            terms=terms, chair_present=True, vice_chair_present=True, meetings_held=held
        ).who == ("officer")
    assert rules.who_presides(
        terms=terms, chair_present=True, vice_chair_present=True, meetings_held=3
    ).who == ("chair")


def test_hfh_vice_chair_then_members_choose():
    terms = seeded("hfh")
    assert rules.who_presides(terms=terms, chair_present=False, vice_chair_present=True).who == (
        "vice_chair"
    )
    assert rules.who_presides(terms=terms, chair_present=False, vice_chair_present=False).who == (
        "members_choose"
    )


def test_ivh_elects_each_april():
    terms = seeded("ivh")
    last = D(2025, 4, 10)
    assert not rules.chair_election_due(terms=terms, last_elected_on=last, today=D(2026, 3, 31))
    assert rules.chair_election_due(terms=terms, last_elected_on=last, today=D(2026, 4, 1))
    assert rules.chair_election_due(terms=terms, last_elected_on=None, today=D(2026, 4, 1))


def test_hfh_elects_annually():
    terms = seeded("hfh")
    last = D(2025, 6, 15)
    assert not rules.chair_election_due(terms=terms, last_elected_on=last, today=D(2026, 6, 14))
    assert rules.chair_election_due(terms=terms, last_elected_on=last, today=D(2026, 6, 15))


def test_tht_chair_appointed_and_agreed_by_board_no_annual_election():
    terms = seeded("tht")
    assert terms.chair_selection == "appointed_board"
    assert not rules.chair_election_due(terms=terms, last_elected_on=None, today=D(2026, 1, 1))


def test_years_in_period_counts_calendar_periods_as_terms_do():
    """Chair years are counted in calendar periods (rules.period_end), not days / 365.25."""
    assert rules.years_in_period(D(2024, 4, 1), D(2027, 3, 31)) == 3
    # A term from 29 February ends on 28 February: exactly its years, leap day or not.
    first = D(2024, 2, 29)
    assert rules.years_in_period(first, rules.term_end(terms=seeded("hfh"), starts_on=first)) == 3
    assert rules.years_in_period(D(2025, 1, 1), D(2025, 1, 1)) == pytest.approx(1 / 365)
    assert rules.years_in_period(D(2024, 1, 1), D(2024, 6, 30)) == pytest.approx(182 / 366)
    assert rules.years_in_period(D(2025, 1, 2), D(2025, 1, 1)) == 0


def test_years_served_adds_each_period_up_to_the_date():
    periods = [(D(2019, 5, 1), D(2022, 4, 30)), (D(2023, 5, 1), None)]
    assert rules.years_served(periods, D(2025, 4, 30)) == 5
    assert rules.years_served(periods, D(2021, 4, 30)) == 2
    # A period starting after the date is not counted.
    assert rules.years_served([(D(2026, 1, 1), None)], D(2025, 12, 31)) == 0
