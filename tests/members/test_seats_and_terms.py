"""Seats, terms, extensions, chairs, leave and removal under each organisation's ToR."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from members import services
from members.models import (
    Application,
    ApplicationStatus,
    ChairPeriod,
    ExpenseClaim,
    Membership,
    MembershipEvent,
    MembershipStatus,
    TenureType,
)
from members.selectors import MeetingAttendance, member_statement, roster
from panels.errors import RuleViolation

D = datetime.date
START = D(2026, 4, 1)


def codes(exc) -> set[str]:
    return {r.code for r in exc.value.reasons}


def recruited(org, person):
    Application.objects.create(
        organisation=org.org,
        panel=org.panel,
        person=person,
        submitted_on=D(2026, 1, 1),
        channel="officer",
        status=ApplicationStatus.SELECTED,
    )
    return person


# --- Refusals named in the issue ---------------------------------------------------------


@pytest.mark.django_db
def test_sixteenth_member_refused_at_helena(make_org):
    helena = make_org("helena")
    for _ in range(15):
        helena.seat()
    newcomer = helena.person()
    with pytest.raises(RuleViolation) as exc:
        services.membership_appoint(panel=helena.panel, person=newcomer, starts_on=START)
    assert codes(exc) == {"membership.max_members"}
    assert "Customer Excellence Panel terms of reference (v1)" in exc.value.reasons[0].source
    assert Membership.objects.filter(person=newcomer).count() == 0


@pytest.mark.django_db
def test_third_leaseholder_refused_at_tht(make_org):
    tht = make_org("tht")
    for _ in range(2):
        tht.seat(tht.person(tenure_type=TenureType.LEASEHOLDER))
    third = tht.person(tenure_type=TenureType.LEASEHOLDER)
    with pytest.raises(RuleViolation) as exc:
        services.membership_appoint(panel=tht.panel, person=third, starts_on=START)
    assert codes(exc) == {"membership.tenure_cap"}
    # A tenant is still welcome.
    services.membership_appoint(panel=tht.panel, person=tht.person(), starts_on=START)


@pytest.mark.django_db
def test_under_18_at_stockport_refused_with_every_reason_and_nothing_saved(make_org):
    stockport = make_org("stockport")
    before = stockport.org and Application.objects.count()
    with pytest.raises(RuleViolation) as exc:
        services.application_submit_public(
            panel=stockport.panel,
            person_details={
                "first_name": "Young",
                "last_name": "Applicant",
                "email": "y@example.org",
                "date_of_birth": D(2010, 1, 1),
                "tenure_type": "household_member",
            },
            declared={"open_asb_case"},
            household_member_on_panel=True,
            submitted_on=START,
        )
    assert codes(exc) == {
        "eligibility.min_age",
        "eligibility.no_open_asb_case",
        "eligibility.no_same_household",
    }
    assert "aged 18 or over" in exc.value.reasons[0].message
    assert Application.objects.count() == before


@pytest.mark.django_db
def test_second_member_of_a_household_refused(make_org):
    stockport = make_org("stockport")
    stockport.seat(stockport.person(household_reference="FLAT-1"))
    partner = recruited(stockport, stockport.person(household_reference="FLAT-1"))
    with pytest.raises(RuleViolation) as exc:
        services.membership_appoint(panel=stockport.panel, person=partner, starts_on=START)
    assert codes(exc) == {"membership.same_household"}


@pytest.mark.django_db
def test_hfh_reappointment_crossing_six_years_by_one_day(make_org):
    hfh = make_org("hfh")
    seat = hfh.seat(starts_on=D(2025, 1, 1), term_ends_on=D(2027, 12, 31))
    with pytest.raises(RuleViolation) as exc:
        services.membership_reappoint(
            membership=seat, new_term_starts_on=D(2028, 1, 2), decided_by="CCG"
        )
    assert codes(exc) == {"term.max_years"}
    seat.refresh_from_db()
    assert seat.term_number == 1
    services.membership_reappoint(membership=seat, decided_by="CCG and organisation")
    seat.refresh_from_db()
    assert (seat.term_number, seat.term_ends_on) == (2, D(2030, 12, 31))
    with pytest.raises(RuleViolation) as exc:
        services.membership_reappoint(membership=seat, decided_by="CCG")
    assert {"term.max_terms", "term.max_years"} <= codes(exc)


@pytest.mark.django_db
def test_tht_fixed_term_cannot_be_renewed(make_org):
    tht = make_org("tht")
    seat = tht.seat(term_ends_on=D(2028, 3, 31))
    with pytest.raises(RuleViolation) as exc:
        services.membership_reappoint(membership=seat, decided_by="Board")
    assert codes(exc) == {"term.fixed_term"}


@pytest.mark.django_db
def test_ivh_third_term_allowed_fourth_refused(make_org):
    ivh = make_org("ivh")
    seat = ivh.seat(starts_on=D(2017, 4, 1), term_number=2, term_ends_on=D(2023, 3, 31))
    services.membership_reappoint(membership=seat, decided_by="Panel")
    seat.refresh_from_db()
    assert seat.term_ends_on == D(2026, 3, 31)
    with pytest.raises(RuleViolation) as exc:
        services.membership_reappoint(membership=seat, decided_by="Panel")
    assert "term.max_terms" in codes(exc)


@pytest.mark.django_db
def test_stockport_leave_six_months_and_one_day_too_long(make_org):
    stockport = make_org("stockport")
    seat = stockport.seat()
    with pytest.raises(RuleViolation) as exc:
        services.leave_grant(membership=seat, starts_on=D(2026, 1, 1), ends_on=D(2026, 7, 1))
    assert codes(exc) == {"leave.too_long"}
    assert not seat.leaves.exists()
    services.leave_grant(
        membership=seat, starts_on=D(2026, 1, 1), ends_on=D(2026, 6, 30), today=D(2026, 2, 1)
    )
    seat.refresh_from_db()
    assert seat.status == MembershipStatus.ON_LEAVE


@pytest.mark.django_db
def test_expense_without_receipt_refused_at_stockport_only(make_org):
    stockport, tht, helena = make_org("stockport"), make_org("tht"), make_org("helena")
    seat = stockport.seat()
    with pytest.raises(RuleViolation) as exc:
        services.expense_claim_submit(
            membership=seat, incurred_on=START, description="Bus", amount=Decimal("4.50")
        )
    assert codes(exc) == {"expenses.receipt_required"}
    assert ExpenseClaim.objects.count() == 0
    claim = services.expense_claim_submit(
        membership=seat,
        incurred_on=START,
        description="Bus",
        amount=Decimal("4.50"),
        receipt=SimpleUploadedFile("ticket.pdf", b"%PDF-1.4 ticket"),
    )
    assert claim.receipt.name.startswith("expense-receipts/")
    services.expense_claim_decide(claim=claim, approve=True, on=START, by=stockport.officer)
    services.expense_claim_submit(
        membership=tht.seat(), incurred_on=START, description="Parking", amount=Decimal("3")
    )
    with pytest.raises(RuleViolation) as exc:
        services.expense_claim_submit(
            membership=helena.seat(), incurred_on=START, description="Taxi", amount=Decimal("9")
        )
    assert codes(exc) == {"expenses.none"}


# --- Extensions --------------------------------------------------------------------------


@pytest.mark.django_db
def test_stockport_annual_extension_to_nine_years_by_one_day(make_org):
    stockport = make_org("stockport")
    seat = stockport.seat(starts_on=D(2017, 4, 1), term_number=2, term_ends_on=D(2025, 6, 30))
    with pytest.raises(RuleViolation) as exc:
        services.membership_extend(
            membership=seat, extend_to=D(2026, 4, 1), decided_by="Lead Officer"
        )
    assert codes(exc) == {"term.extension_limit"}
    with pytest.raises(RuleViolation) as exc:
        services.membership_extend(membership=seat, extend_to=D(2026, 3, 31), decided_by="")
    assert codes(exc) == {"term.decided_by_required"}
    services.membership_extend(
        membership=seat, extend_to=D(2026, 3, 31), decided_by="Lead Officer", reason="Skills"
    )
    event = MembershipEvent.objects.get(membership=seat, kind="extended")
    assert event.decided_by == "Lead Officer" and event.details["to"] == "2026-03-31"


@pytest.mark.django_db
def test_stockport_extension_more_than_a_year_at_a_time_refused(make_org):
    stockport = make_org("stockport")
    seat = stockport.seat(starts_on=D(2019, 4, 1), term_number=2, term_ends_on=D(2025, 3, 31))
    with pytest.raises(RuleViolation) as exc:
        services.membership_extend(membership=seat, extend_to=D(2026, 4, 1), decided_by="LO")
    assert codes(exc) == {"term.extension_annual"}
    services.membership_extend(membership=seat, extend_to=D(2026, 3, 31), decided_by="LO")


@pytest.mark.django_db
def test_hfh_exceptional_extension_needs_the_circumstances(make_org):
    hfh = make_org("hfh")
    seat = hfh.seat(starts_on=D(2020, 4, 1), term_number=2, term_ends_on=D(2026, 3, 31))
    with pytest.raises(RuleViolation) as exc:
        services.membership_extend(membership=seat, extend_to=D(2027, 3, 31), decided_by="CCG")
    assert codes(exc) == {"term.extension_exceptional_reason"}
    services.membership_extend(
        membership=seat,
        extend_to=D(2027, 3, 31),
        decided_by="CCG with the organisation",
        reason="Only member with repairs expertise",
    )


@pytest.mark.parametrize("slug", ["helena", "ivh", "tht"])
@pytest.mark.django_db
def test_no_extensions_where_the_terms_give_none(make_org, slug):
    org = make_org(slug)
    seat = org.seat(term_ends_on=D(2028, 3, 31))
    with pytest.raises(RuleViolation) as exc:
        services.membership_extend(membership=seat, extend_to=D(2029, 3, 31), decided_by="Board")
    assert "term.no_extensions" in codes(exc)


# --- Allowed paths for all five ------------------------------------------------------------


@pytest.mark.parametrize(
    "slug,term_end",
    [
        ("helena", None),
        ("hfh", D(2029, 3, 31)),
        ("ivh", D(2029, 3, 31)),
        ("tht", D(2029, 3, 31)),
        ("stockport", D(2029, 3, 31)),
    ],
)
@pytest.mark.django_db
def test_appointment_allowed_for_each_organisation(make_org, slug, term_end):
    org = make_org(slug)
    person = recruited(org, org.person())
    seat = services.membership_appoint(
        panel=org.panel, person=person, starts_on=START, by=org.officer
    )
    assert seat.term_ends_on == term_end
    assert seat.events.filter(kind="appointed").exists()
    if org.terms.training_before_active:
        # Stockport: not an active member before core training.
        assert seat.status == MembershipStatus.PENDING_TRAINING
        services.training_record(
            person=person, kind="core", title="Core training", completed_on=D(2026, 4, 20)
        )
        seat.refresh_from_db()
    assert seat.status == MembershipStatus.ACTIVE


@pytest.mark.django_db
def test_recruitment_required_where_the_terms_say_so(make_org):
    ivh = make_org("ivh")
    with pytest.raises(RuleViolation) as exc:
        services.membership_appoint(panel=ivh.panel, person=ivh.person(), starts_on=START)
    assert codes(exc) == {"eligibility.recruitment_completed"}


# --- Chairs --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_hfh_chair_limit_counts_years_as_chair(make_org):
    hfh = make_org("hfh")
    veteran = hfh.seat(role="resident", starts_on=D(2019, 4, 1))
    ChairPeriod.objects.create(
        organisation=hfh.org,
        membership=veteran,
        role="chair",
        starts_on=D(2019, 4, 1),
        ends_on=D(2025, 3, 31),
    )
    with pytest.raises(RuleViolation) as exc:
        services.chair_election_record(
            panel=hfh.panel,
            role="chair",
            held_on=D(2026, 4, 1),
            elected=veteran,
            votes={veteran.pk: 7},
            votes_cast=10,
        )
    assert codes(exc) == {"chair.max_years"}
    newcomer = hfh.seat()
    election = services.chair_election_record(
        panel=hfh.panel,
        role="chair",
        held_on=D(2026, 4, 1),
        elected=newcomer,
        votes={newcomer.pk: 6, veteran.pk: 4},
        votes_cast=10,
        by=hfh.officer,
    )
    newcomer.refresh_from_db()
    assert newcomer.role == "chair" and election.votes == {str(newcomer.pk): 6, str(veteran.pk): 4}
    # A year of service as chair is counted from the election.
    vice = hfh.seat()
    services.chair_election_record(
        panel=hfh.panel, role="chair", held_on=D(2027, 4, 1), elected=vice
    )
    newcomer.refresh_from_db()
    assert newcomer.role == "resident"
    period = ChairPeriod.objects.get(membership=newcomer)
    assert period.ends_on == D(2027, 3, 31)


@pytest.mark.django_db
def test_ivh_chair_may_not_be_staff(make_org):
    ivh = make_org("ivh")
    seat = ivh.seat()
    services.declaration_record(person=seat.person, kind="employee", applies_from=D(2026, 1, 1))
    with pytest.raises(RuleViolation) as exc:
        services.membership_change_role(membership=seat, role="chair", on=START)
    assert "chair.staff" in codes(exc)


# --- Removal, appeal and the bar on rejoining ------------------------------------------------


@pytest.mark.django_db
def test_stockport_removal_appeal_is_final(make_org):
    stockport = make_org("stockport")
    seat = stockport.seat()
    removal = services.membership_remove(
        membership=seat, on=START, reason="Acting against the code", under_code_of_conduct=True
    )
    assert removal.appeal_to == "Lead Officer" and removal.appeal_final
    with pytest.raises(RuleViolation) as exc:
        services.removal_appeal_decide(
            removal=removal,
            received_on=D(2026, 4, 8),
            appeal_text="",
            outcome="upheld",
            decided_on=D(2026, 4, 20),
            decision_reason="x",
        )
    assert codes(exc) == {"removal.appeal_in_writing"}
    services.removal_appeal_decide(
        removal=removal,
        received_on=D(2026, 4, 8),
        appeal_text="Letter",
        outcome="overturned",
        decided_on=D(2026, 4, 20),
        decision_reason="Misunderstanding",
    )
    seat.refresh_from_db()
    assert seat.status == MembershipStatus.ACTIVE
    with pytest.raises(RuleViolation) as exc:
        services.removal_appeal_decide(
            removal=removal,
            received_on=D(2026, 5, 1),
            appeal_text="Again",
            outcome="upheld",
            decided_on=D(2026, 5, 2),
            decision_reason="x",
        )
    assert codes(exc) == {"removal.appeal_final"}


@pytest.mark.django_db
def test_ivh_retired_member_may_not_reapply_for_three_years(make_org):
    ivh = make_org("ivh")
    seat = ivh.seat()
    services.membership_retire_for_attendance(membership=seat, on=D(2026, 3, 1), reason="3")
    with pytest.raises(RuleViolation) as exc:
        services.application_enter(panel=ivh.panel, person=seat.person, submitted_on=START)
    assert codes(exc) == {"eligibility.rejoin_barred"}
    services.application_enter(panel=ivh.panel, person=seat.person, submitted_on=D(2029, 3, 1))


# --- Money -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_stockport_statement_chair_attendance_and_leave(make_org):
    stockport = make_org("stockport")
    chair = stockport.seat(role="chair", starts_on=D(2025, 1, 1))
    meetings = [MeetingAttendance(D(2026, m, 10), attended=m != 7) for m in (1, 4, 7, 10)]
    statement = member_statement(membership=chair, year=2026, attendance=meetings)
    assert statement.remuneration == Decimal("450.00")
    services.leave_grant(
        membership=chair, starts_on=D(2026, 1, 1), ends_on=D(2026, 6, 30), today=D(2025, 1, 1)
    )
    statement = member_statement(membership=chair, year=2026, attendance=meetings)
    assert statement.days_on_leave == 181
    assert statement.remuneration < Decimal("450.00")


@pytest.mark.django_db
def test_ivh_vouchers_need_attendance_and_papers(make_org):
    ivh = make_org("ivh")
    seat = ivh.seat()
    meetings = [
        MeetingAttendance(D(2026, 2, 1), attended=True, papers_read=True),
        MeetingAttendance(D(2026, 5, 1), attended=True, papers_read=False),
        MeetingAttendance(D(2026, 8, 1), attended=False),
    ]
    statement = member_statement(membership=seat, year=2026, attendance=meetings)
    assert statement.vouchers == 1 and statement.remuneration == Decimal("0.00")
    assert member_statement(membership=seat, year=2026).meetings_held == 0


# --- Roster --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_roster_flags_and_below_minimum(make_org):
    tht = make_org("tht")
    ending = tht.seat(term_ends_on=D(2026, 6, 30))
    barred = tht.seat()
    services.declaration_record(person=barred.person, kind="ccj_or_nsp", applies_from=START)
    view = roster(panel=tht.panel, on=START)
    rows = {r.membership.pk: r for r in view.rows}
    assert rows[ending.pk].term_ending_soon and rows[ending.pk].training_missing
    assert rows[barred.pk].eligibility_reasons[0].code == "eligibility.no_ccj_or_nsp"
    assert view.below_minimum  # THT needs 8.


@pytest.mark.django_db
def test_roster_query_count_is_constant(make_org, django_assert_num_queries):
    tht = make_org("tht")

    def fill(count):
        for _ in range(count):
            tht.seat()

    fill(10)
    with django_assert_num_queries(7) as captured:
        roster(panel=tht.panel, on=START)
    fill(190)
    with django_assert_num_queries(len(captured.captured_queries)):
        assert len(roster(panel=tht.panel, on=START).rows) == 200
