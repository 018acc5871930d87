"""Versions of the terms of reference: validation names the field and the reason, a
change applies from its effective date only, history is never edited (issue 4)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from panels.errors import RuleViolation
from panels.models import AuditEntry, ClosureDay, Organisation, TermsOfReference
from panels.selectors import terms_in_force, terms_in_force_for_panels, working_calendar
from panels.services import terms_revise
from panels.terms_validation import terms_problems
from tests.panels.terms_factory import blank, seeded

D = datetime.date


def problems(**values):
    return {r.field: r.message for r in terms_problems(blank(**values))}


def test_minimum_above_maximum_names_both_numbers():
    assert problems(min_members=16, max_members=15) == {
        "min_members": "minimum members (16) is above maximum (15)."
    }


def test_quorum_fraction_above_one():
    found = problems(quorum_kind="fraction", quorum_fraction=Decimal("1.5"))
    assert found == {"quorum_fraction": "quorum fraction (1.5) must be above 0 and at most 1."}


def test_unknown_criterion_named():
    assert problems(eligibility_criteria=["current_customer", "owns_a_cat"]) == {
        "eligibility_criteria": "unknown eligibility criterion: owns_a_cat."
    }


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"min_members": -1}, "min_members"),
        ({"max_members": 0}, "max_members"),
        ({"term_years": 3, "max_years": 2}, "max_years"),
        ({"further_terms": 1}, "term_years"),
        ({"quorum_kind": "fixed"}, "quorum_number"),
        ({"quorum_kind": "fixed", "quorum_number": 16, "max_members": 15}, "quorum_number"),
        ({"absence_limit": 3}, "absence_consequence"),
        (
            {"absence_limit": 2, "absence_consequence": "flag", "rejoin_bar_years": 3},
            "rejoin_bar_years",
        ),
        ({"extension_kind": "annual"}, "extension_limit_years"),
        ({"chair_election_month": 13}, "chair_election_month"),
        ({"voting_roles": ["associate"], "non_voting_roles": ["associate"]}, "non_voting_roles"),
        ({"tenure_caps": {"leaseholder": "two"}}, "tenure_caps"),
        ({"eligibility_criteria": ["min_age"]}, "min_age"),
        ({"remuneration_chair_annual": Decimal("-1")}, "remuneration_chair_annual"),
        ({"cadence": "min_per_year"}, "min_meetings_per_year"),
        (
            {"usual_start_time": datetime.time(14), "usual_end_time": datetime.time(10)},
            "usual_end_time",
        ),
    ],
)
def test_each_contradiction_names_its_field(values, field):
    assert field in problems(**values)


@pytest.mark.parametrize("org", ["helena", "hfh", "ivh", "tht", "stockport"])
def test_the_seeded_terms_are_consistent(org):
    assert terms_problems(seeded(org)) == []


def test_model_clean_refuses_with_the_field():
    with pytest.raises(ValidationError) as caught:
        blank(min_members=16, max_members=15).clean()
    assert caught.value.message_dict == {
        "min_members": ["minimum members (16) is above maximum (15)."]
    }


# --- terms_revise and terms_in_force (database) -------------------------------------


@pytest.fixture
def first_version(tenant_a):
    return terms_revise(
        review_due_on=D(2099, 1, 1),
        panel=tenant_a.panel,
        effective_from=D(2025, 1, 1),
        changes={"max_members": 15, "quorum_kind": "fixed", "quorum_number": 3},
        deadlines=[
            {"kind": "papers_out", "amount": 5, "unit": "working_days", "direction": "before"}
        ],
        by=tenant_a.officer,
    )


def test_a_change_applies_from_its_effective_date_only(tenant_a, first_version):
    second = terms_revise(
        review_due_on=D(2099, 1, 1),
        panel=tenant_a.panel,
        effective_from=D(2026, 3, 1),
        changes={"max_members": 12},
        change_note="Smaller panel agreed by Board.",
        by=tenant_a.officer,
    )
    panel = tenant_a.panel
    assert terms_in_force(panel=panel, on=D(2024, 12, 31)) is None
    assert terms_in_force(panel=panel, on=D(2025, 1, 1)) == first_version
    assert terms_in_force(panel=panel, on=D(2026, 2, 28)) == first_version
    assert terms_in_force(panel=panel, on=D(2026, 3, 1)) == second
    assert terms_in_force(panel=panel, on=D(2030, 1, 1)) == second
    in_force = terms_in_force_for_panels(org=tenant_a.org, panels=[panel], on=D(2026, 2, 28))
    assert in_force == {panel.pk: first_version}
    first_version.refresh_from_db()
    assert first_version.max_members == 15  # history is not edited
    assert (second.version, second.max_members, second.quorum_number) == (2, 12, 3)
    # Deadlines are carried over when not given.
    assert [(d.kind, d.amount) for d in second.deadlines.all()] == [("papers_out", 5)]
    audit = AuditEntry.objects.filter(action="terms.revised").order_by("at", "id").last()
    assert audit.before == {"max_members": 15} and audit.after == {"max_members": 12}
    assert audit.reason == "Smaller panel agreed by Board."


@pytest.mark.parametrize("starts", [D(2025, 1, 1), D(2024, 6, 1)])
def test_overlapping_effective_dates_refused(tenant_a, first_version, starts):
    with pytest.raises(RuleViolation) as caught:
        terms_revise(
            review_due_on=D(2099, 1, 1),
            panel=tenant_a.panel,
            effective_from=starts,
            changes={},
            by=tenant_a.officer,
        )
    [reason] = caught.value.reasons
    assert reason.field == "effective_from"
    assert "may not overlap" in reason.message
    assert TermsOfReference.objects.filter(panel=tenant_a.panel).count() == 1


def test_deadline_of_minus_three_refused(tenant_a, first_version):
    with pytest.raises(RuleViolation) as caught:
        terms_revise(
            review_due_on=D(2099, 1, 1),
            panel=tenant_a.panel,
            effective_from=D(2026, 1, 1),
            changes={},
            deadlines=[{"kind": "papers_out", "amount": -3, "unit": "days", "direction": "before"}],
            by=tenant_a.officer,
        )
    [reason] = caught.value.reasons
    assert reason.field == "deadlines"
    assert "a deadline of -3 is not possible" in reason.message


def test_every_problem_at_once_and_nothing_saved(tenant_a, first_version):
    with pytest.raises(RuleViolation) as caught:
        terms_revise(
            review_due_on=D(2099, 1, 1),
            panel=tenant_a.panel,
            effective_from=D(2025, 1, 1),
            changes={
                "min_members": 16,
                "quorum_kind": "fraction",
                "quorum_fraction": Decimal("1.5"),
                "eligibility_criteria": ["owns_a_cat"],
            },
            deadlines=[
                {"kind": "papers_out", "amount": -3, "unit": "days", "direction": "before"},
                {"kind": "papers_out", "amount": 3, "unit": "fortnights", "direction": "x"},
            ],
            by=tenant_a.officer,
        )
    fields = {r.field for r in caught.value.reasons}
    assert {"min_members", "quorum_fraction", "eligibility_criteria", "effective_from"} <= fields
    assert "deadlines" in fields
    codes = {r.code for r in caught.value.reasons}
    assert {"deadline.amount", "deadline.duplicate", "deadline.unit", "deadline.direction"} <= codes
    assert TermsOfReference.objects.filter(panel=tenant_a.panel).count() == 1


def test_unknown_rule_name_refused(tenant_a, first_version):
    with pytest.raises(RuleViolation) as caught:
        terms_revise(
            review_due_on=D(2099, 1, 1),
            panel=tenant_a.panel,
            effective_from=D(2026, 1, 1),
            changes={"version": 9},
            by=tenant_a.officer,
        )
    assert caught.value.reasons[0].field == "version"


def test_closure_days_join_the_organisations_calendar(tenant_a, tenant_b):
    ClosureDay.objects.create(organisation=tenant_a.org, date=D(2026, 12, 29), reason="Shutdown")
    calendar = working_calendar(org=tenant_a.org)
    assert not calendar.is_working_day(D(2026, 12, 29))
    assert working_calendar(org=tenant_b.org).is_working_day(D(2026, 12, 29))


@pytest.mark.django_db
def test_seeded_organisations_get_version_one_once():
    from panels import demo

    demo.seed()
    demo.seed()
    for slug in ("helena", "hfh", "ivh", "tht", "stockport"):
        org = Organisation.objects.get(slug=slug)
        versions = TermsOfReference.objects.filter(organisation=org)
        assert versions.count() == 1
        terms = versions.get()
        assert terms.version == 1 and terms.source_text
        terms.full_clean()
    hfh = TermsOfReference.objects.get(organisation__slug="hfh")
    assert sorted(hfh.deadlines.values_list("kind", flat=True)) == [
        "agenda_proposals",
        "attendance_request",
        "key_messages",
        "minutes_out",
        "papers_out",
    ]
    stockport = TermsOfReference.objects.get(organisation__slug="stockport")
    assert stockport.quorum_fraction == Decimal("0.500")
    assert not stockport.deadlines.exists()


# --- Bad input (issue 16): each refused with the field and the reason --------------------


def test_review_date_before_the_effective_date_refused(tenant_a, first_version):
    with pytest.raises(RuleViolation) as caught:
        terms_revise(
            panel=tenant_a.panel,
            effective_from=D(2026, 1, 1),
            changes={},
            review_due_on=D(2025, 12, 31),
            by=tenant_a.officer,
        )
    [reason] = caught.value.reasons
    assert reason.field == "review_due_on"
    assert reason.message == (
        "the review date (31 December 2025) is before the date this version takes effect "
        "(01 January 2026)."
    )
    assert TermsOfReference.objects.filter(panel=tenant_a.panel).count() == 1


def test_required_effective_date_empty_refused():
    assert problems(effective_from=None)["effective_from"].startswith("effective from is required")


def test_quorum_above_the_maximum_membership_refused(tenant_a, first_version):
    with pytest.raises(RuleViolation) as caught:
        terms_revise(
            review_due_on=D(2099, 1, 1),
            panel=tenant_a.panel,
            effective_from=D(2026, 1, 1),
            changes={"quorum_number": 16},
            by=tenant_a.officer,
        )
    [reason] = caught.value.reasons
    assert reason.field == "quorum_number"
    assert reason.message == "quorum (16) is above the maximum membership (15)."


def test_a_version_without_its_review_date_is_refused(tenant_a, first_version):
    """The service too: every version has its review date, from the document or set by the
    officer (issue 16 item 4); refused with the field, nothing saved."""
    with pytest.raises(RuleViolation) as refused:
        terms_revise(
            panel=tenant_a.panel,
            effective_from=D(2026, 1, 1),
            changes={},
            by=tenant_a.officer,
        )
    assert [r.field for r in refused.value.reasons] == ["review_due_on"]
    assert refused.value.reasons[0].code == "terms.review_due_on_required"
    assert TermsOfReference.objects.filter(panel=tenant_a.panel).count() == 1
