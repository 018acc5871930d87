"""Eligibility, seats and the size a panel needs to operate, per organisation (issue 4)."""

import datetime

import pytest

from panels import rules
from panels.rules import PersonFacts, Seat
from tests.panels.terms_factory import blank, seeded

D = datetime.date
TODAY = D(2026, 6, 15)
ELIGIBLE = PersonFacts(
    date_of_birth=D(1970, 1, 1), recruitment_completed=True, core_training_completed=True
)


def reasons(org, seat_role=None, **facts):
    base = {**ELIGIBLE.__dict__, **facts}
    return rules.eligibility_reasons(
        terms=seeded(org), facts=PersonFacts(**base), today=TODAY, seat_role=seat_role
    )


def codes(org, seat_role=None, **facts):
    return [r.code for r in reasons(org, seat_role, **facts)]


@pytest.mark.parametrize("org", ["helena", "hfh", "ivh", "tht", "stockport"])
def test_an_ordinary_tenant_is_eligible_everywhere(org):
    assert reasons(org) == []


@pytest.mark.parametrize("org", ["helena", "hfh", "ivh", "tht", "stockport"])
def test_someone_who_is_no_longer_a_customer_is_refused_everywhere(org):
    [reason] = reasons(org, is_current_customer=False)
    assert reason.code == "eligibility.current_customer"
    assert reason.field == "is_current_customer"
    assert reason.source.endswith("Eligibility")


# --- Helena: tenants of the borough, at most 15 -------------------------------------


def test_helena_is_for_tenants_only():
    assert codes("helena", tenure_type="leaseholder") == ["eligibility.eligible_tenure"]


def test_helena_states_no_other_criterion():
    assert (
        reasons(
            "helena",
            is_employee=True,
            open_asb_case=True,
            ccj_or_nsp=True,
            date_of_birth=D(2010, 1, 1),
            recruitment_completed=False,
        )
        == []
    )


def test_helena_sixteenth_seat_is_refused_fifteenth_allowed():
    terms = seeded("helena")
    fourteen = [Seat("resident", "tenant")] * 14
    assert (
        rules.seat_refusals(terms=terms, current=fourteen, proposed=Seat("resident", "tenant"))
        == []
    )
    [refusal] = rules.seat_refusals(
        terms=terms,
        current=fourteen + [Seat("resident", "tenant")],
        proposed=Seat("chair", "tenant"),
    )
    assert refusal.code == "membership.max_members"
    assert "at most 15" in refusal.message


# --- HFH -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fact", "code"),
    [
        ("is_employee", "eligibility.not_employee"),
        ("breach_court_order", "eligibility.no_breach_court_order"),
        ("arrears_action_or_dispute", "eligibility.no_arrears_action_or_dispute"),
        ("removed_under_code", "eligibility.not_removed_under_code"),
        ("household_member_on_panel", "eligibility.no_same_household"),
    ],
)
def test_hfh_exclusions(fact, code):
    assert codes("hfh", **{fact: True}) == [code]


def test_hfh_states_no_age_asb_or_training_criterion():
    assert reasons("hfh", date_of_birth=D(2012, 1, 1), open_asb_case=True) == []
    assert reasons("hfh", recruitment_completed=False, core_training_completed=False) == []


def test_hfh_co_optee_may_live_with_another_member_a_resident_may_not():
    assert codes("hfh", seat_role="co_opted", household_member_on_panel=True) == []
    assert codes("hfh", seat_role="resident", household_member_on_panel=True) == [
        "eligibility.no_same_household"
    ]


def test_hfh_seat_in_same_property_co_optee_allowed_resident_refused():
    terms = seeded("hfh")
    current = [Seat("resident", "tenant", "12 High St")]
    assert (
        rules.seat_refusals(
            terms=terms, current=current, proposed=Seat("co_opted", "tenant", "12 High St")
        )
        == []
    )
    [refusal] = rules.seat_refusals(
        terms=terms, current=current, proposed=Seat("resident", "tenant", "12 High St")
    )
    assert refusal.code == "membership.same_household"


def test_hfh_needs_ten_resident_leads_besides_chair_and_vice_chair():
    terms = seeded("hfh")
    officers = [Seat("chair", "tenant"), Seat("vice_chair", "tenant"), Seat("sponsor", "")]
    nine = officers + [Seat("resident", "tenant")] * 9 + [Seat("associate", "tenant")] * 3
    state = rules.operating_state(terms=terms, current=nine)
    assert not state.can_operate
    assert state.reasons[0].code == "membership.below_minimum_residents"
    ten = nine + [Seat("resident", "tenant")]
    assert rules.operating_state(terms=terms, current=ten).can_operate


def test_hfh_associates_and_co_optees_do_not_vote():
    terms = seeded("hfh")
    assert [r for r in ("chair", "vice_chair", "resident") if rules.is_voting_role(terms, r)] == [
        "chair",
        "vice_chair",
        "resident",
    ]
    for role in ("associate", "co_opted", "officer", "sponsor"):
        assert not rules.is_voting_role(terms, role)
    assert not rules.counts_as_member("sponsor")
    assert rules.counts_as_member("associate")


# --- IVH -----------------------------------------------------------------------------


def test_ivh_members_come_through_the_recruitment_policy():
    assert codes("ivh", recruitment_completed=False) == ["eligibility.recruitment_completed"]
    assert reasons("ivh", is_employee=True, tenure_type="leaseholder") == []


def test_ivh_rejoin_bar_until_the_day_it_ends():
    barred = reasons("ivh", rejoin_barred_until=TODAY + datetime.timedelta(days=1))
    assert [r.code for r in barred] == ["eligibility.rejoin_barred"]
    assert barred[0].source.endswith("Attendance")
    assert reasons("ivh", rejoin_barred_until=TODAY) == []


@pytest.mark.parametrize(("members", "operates"), [(3, False), (4, True), (12, True)])
def test_ivh_four_to_twelve(members, operates):
    terms = seeded("ivh")
    assert (
        rules.operating_state(
            terms=terms, current=[Seat("resident", "tenant")] * members
        ).can_operate
        is operates
    )


def test_ivh_thirteenth_seat_refused():
    terms = seeded("ivh")
    assert (
        rules.seat_refusals(
            terms=terms,
            current=[Seat("resident", "tenant")] * 12,
            proposed=Seat("resident", "tenant"),
        )[0].code
        == "membership.max_members"
    )


# --- THT -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fact", "code"),
    [
        ("is_employee", "eligibility.not_employee"),
        ("on_other_board", "eligibility.not_on_other_board"),
        ("ccj_or_nsp", "eligibility.no_ccj_or_nsp"),
        ("excluded_for_behaviour", "eligibility.not_excluded_for_behaviour"),
    ],
)
def test_tht_exclusions(fact, code):
    assert codes("tht", **{fact: True}) == [code]


def test_tht_tenants_and_leaseholders_only():
    assert reasons("tht", tenure_type="leaseholder") == []
    assert codes("tht", tenure_type="shared_owner") == ["eligibility.eligible_tenure"]


def test_tht_third_leaseholder_refused_second_allowed():
    terms = seeded("tht")
    one = [Seat("resident", "leaseholder")] + [Seat("resident", "tenant")] * 7
    assert (
        rules.seat_refusals(terms=terms, current=one, proposed=Seat("resident", "leaseholder"))
        == []
    )
    two = one + [Seat("resident", "leaseholder")]
    [refusal] = rules.seat_refusals(
        terms=terms, current=two, proposed=Seat("resident", "leaseholder")
    )
    assert refusal.code == "membership.tenure_cap"
    assert "At most 2" in refusal.message
    assert rules.seat_refusals(terms=terms, current=two, proposed=Seat("resident", "tenant")) == []


def test_tht_eight_to_fifteen_twelve_to_fifteen_ideal():
    terms = seeded("tht")
    assert not rules.operating_state(
        terms=terms, current=[Seat("resident", "tenant")] * 7
    ).can_operate
    state = rules.operating_state(terms=terms, current=[Seat("resident", "tenant")] * 8)
    assert state.can_operate
    assert state.ideal == (12, 15)


# --- Stockport -----------------------------------------------------------------------


def test_stockport_under_eighteen_refused_until_the_birthday():
    turns_18_tomorrow = D(2008, 6, 16)
    [reason] = reasons("stockport", date_of_birth=turns_18_tomorrow)
    assert reason.code == "eligibility.min_age"
    assert reason.field == "date_of_birth"
    assert "18" in reason.message and "17" in reason.message
    assert reasons("stockport", date_of_birth=D(2008, 6, 15)) == []


def test_stockport_needs_a_date_of_birth():
    assert codes("stockport", date_of_birth=None) == ["eligibility.min_age"]


@pytest.mark.parametrize(
    ("fact", "value", "code"),
    [
        ("tenancy_breach_action", True, "eligibility.no_tenancy_breach_action"),
        ("open_asb_case", True, "eligibility.no_open_asb_case"),
        ("household_member_on_panel", True, "eligibility.no_same_household"),
        ("recruitment_completed", False, "eligibility.recruitment_completed"),
        ("core_training_completed", False, "eligibility.core_training_completed"),
    ],
)
def test_stockport_conditions(fact, value, code):
    assert codes("stockport", **{fact: value}) == [code]


@pytest.mark.parametrize("tenure", ["tenant", "household_member", "leaseholder", "shared_owner"])
def test_stockport_customers_of_every_kind(tenure):
    assert reasons("stockport", tenure_type=tenure) == []


def test_stockport_every_reason_at_once():
    found = codes(
        "stockport",
        date_of_birth=D(2010, 1, 1),
        open_asb_case=True,
        tenancy_breach_action=True,
        core_training_completed=False,
    )
    assert len(found) == 4


@pytest.mark.parametrize(("members", "operates"), [(5, False), (6, True)])
def test_stockport_cannot_operate_below_six(members, operates):
    terms = seeded("stockport")
    state = rules.operating_state(terms=terms, current=[Seat("resident", "tenant")] * members)
    assert state.can_operate is operates
    if not operates:
        assert "at least 6" in state.reasons[0].message


def test_stockport_household_seat_refused():
    terms = seeded("stockport")
    [refusal] = rules.seat_refusals(
        terms=terms,
        current=[Seat("resident", "tenant", "HH1")],
        proposed=Seat("resident", "household_member", "HH1"),
    )
    assert refusal.code == "membership.same_household"


def test_a_rule_not_switched_on_is_not_checked():
    assert (
        rules.eligibility_reasons(
            terms=blank(),
            facts=PersonFacts(is_current_customer=False, is_employee=True),
            today=TODAY,
        )
        == []
    )
