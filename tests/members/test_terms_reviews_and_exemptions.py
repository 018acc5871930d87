"""HFH's co-opted independents and the resident-only exclusions; review dates and the
"review due" flag (issue 16: the HFH 3f wrong answer, item 4)."""

import datetime

import pytest
from django.urls import reverse

from members import services as member_services
from members.models import Membership
from panels import rules
from panels.errors import RuleViolation
from panels.seed_terms import TERMS
from panels.services import terms_revise
from tests.panels.terms_factory import seeded

D = datetime.date
NOT_A_RESIDENT = rules.PersonFacts(
    is_current_customer=False,
    is_employee=True,
    breach_court_order=True,
    arrears_action_or_dispute=True,
    removed_under_code=True,
    household_member_on_panel=True,
)


# --- HFH 3f ------------------------------------------------------------------------------


def test_hfh_co_opted_independents_are_not_resident_panel_members():
    # HFH 3: "No person may become or remain a resident panel member if she/ he: i. Is not or
    # ceases to be a resident ... m. Lives in the same property as another member (unless
    # recruited under 3f above)"; 3f: "Other non-voting residents or independents who can be
    # recruited for their key skills".
    terms = seeded("hfh")
    assert (
        rules.eligibility_reasons(
            terms=terms, facts=NOT_A_RESIDENT, today=D(2026, 1, 5), seat_role="co_opted"
        )
        == []
    )
    resident = rules.eligibility_reasons(
        terms=terms, facts=NOT_A_RESIDENT, today=D(2026, 1, 5), seat_role="resident"
    )
    assert {r.code for r in resident} == {
        "eligibility.current_customer",
        "eligibility.not_employee",
        "eligibility.no_breach_court_order",
        "eligibility.no_arrears_action_or_dispute",
        "eligibility.not_removed_under_code",
        "eligibility.no_same_household",
    }


def test_exemptions_are_per_terms_of_reference_not_per_organisation():
    # The same facts at Stockport, whose exclusions name no seat role: still refused.
    terms = seeded("stockport")
    reasons = rules.eligibility_reasons(
        terms=terms,
        facts=rules.PersonFacts(is_current_customer=False),
        today=D(2026, 1, 5),
        seat_role="co_opted",
    )
    assert "eligibility.current_customer" in {r.code for r in reasons}


@pytest.mark.django_db
def test_hfh_appoints_an_independent_as_co_opted_but_not_as_a_resident(make_org):
    hfh = make_org("hfh")
    independent = hfh.person(tenure_type="none", household_reference="")
    with pytest.raises(RuleViolation) as refused:
        member_services.membership_appoint(
            panel=hfh.panel, person=independent, role="resident", starts_on=D(2026, 1, 5)
        )
    assert "eligibility.current_customer" in {r.code for r in refused.value.reasons}
    seat = member_services.membership_appoint(
        panel=hfh.panel, person=independent, role="co_opted", starts_on=D(2026, 1, 5)
    )
    assert Membership.objects.get(pk=seat.pk).role == "co_opted"


def test_the_terms_page_says_co_optees_are_exempt():
    from panels.terms_text import terms_statements

    lines = [x for s in terms_statements(seeded("hfh"), []) for x in s.statements]
    assert "Employees of the organisation cannot be members, except for co-opted members." in lines


# --- Review dates -------------------------------------------------------------------------


def test_ivh_review_date_is_november_2020_not_its_effective_date():
    # IVH footer: "TITLE: CUSTOMER OFFER PANEL - DRAFT TERMS OF REFERENCE / APPROVED BY:
    # REVIEW DATES: NOV 2020".
    spec = TERMS[("ivh", "customer-offer-panel")]
    assert spec["review_due_on"] == D(2020, 11, 30)
    assert "REVIEW DATES: NOV 2020" in spec["change_note"]
    review = rules.terms_review_state(seeded("ivh"), D(2026, 6, 1))
    assert review.is_due and review.due_on == D(2020, 11, 30)
    assert not rules.terms_review_state(seeded("ivh"), D(2020, 11, 29)).is_due


def test_helena_review_was_due_after_one_year():
    # Helena: "The terms of reference will be reviewed in 1 years' time." / "Date of Next
    # Review April 2012".
    review = rules.terms_review_state(seeded("helena"), D(2026, 6, 1))
    assert review.is_due and review.due_on == D(2012, 4, 8)
    assert "8 April 2012" in review.message


@pytest.mark.parametrize("org", ["hfh", "tht", "stockport"])
def test_documents_without_a_review_date_say_so(org):
    review = rules.terms_review_state(seeded(org), D(2026, 6, 1))
    assert review.status == "not_set" and not review.is_due
    assert "not stated in the terms of reference" in review.message


@pytest.mark.django_db
def test_review_due_on_the_terms_page_and_the_officer_overview(client_as, tenant_a):
    spec = TERMS[("ivh", "customer-offer-panel")]
    terms_revise(
        panel=tenant_a.panel,
        effective_from=spec["effective_from"],
        changes={"title": "IVH-like terms", **spec["values"]},
        deadlines=[],
        review_due_on=spec["review_due_on"],
        by=tenant_a.officer,
    )
    client = client_as(tenant_a.officer)
    terms_page = client.get(
        reverse(
            "panels:panel_terms",
            kwargs={"org_slug": tenant_a.org.slug, "panel_slug": tenant_a.panel.slug},
        )
    ).content.decode()
    assert "Review due 30 November 2020" in terms_page and "review due</span>" in terms_page
    landing = client.get(
        reverse("panels:landing", kwargs={"org_slug": tenant_a.org.slug})
    ).content.decode()
    assert "terms of reference review due since 30 Nov 2020" in landing
    # The officer reviews the terms: a new version with a later review date clears the flag.
    terms_revise(
        panel=tenant_a.panel,
        effective_from=D(2026, 1, 1),
        changes={},
        review_due_on=D(2099, 1, 1),
        change_note="Reviewed and re-approved.",
        by=tenant_a.officer,
    )
    landing = client.get(
        reverse("panels:landing", kwargs={"org_slug": tenant_a.org.slug})
    ).content.decode()
    assert "review due since" not in landing


@pytest.mark.django_db
def test_no_review_date_is_shown_as_not_stated(client_as, tenant_a):
    """A version without a review date (one made before a new version had to have one;
    terms_revise now refuses it) still says so rather than inventing one."""
    undated = terms_revise(
        review_due_on=D(2099, 1, 1),
        panel=tenant_a.panel,
        effective_from=D(2025, 1, 1),
        changes={"title": "Undated terms", **TERMS[("tht", "quality-and-insight-panel")]["values"]},
        deadlines=[],
        by=tenant_a.officer,
    )
    type(undated).objects.filter(pk=undated.pk).update(review_due_on=None)
    client = client_as(tenant_a.officer)
    page = client.get(
        reverse(
            "panels:panel_terms",
            kwargs={"org_slug": tenant_a.org.slug, "panel_slug": tenant_a.panel.slug},
        )
    ).content.decode()
    assert "Review date: not stated in the terms of reference." in page
    landing = client.get(
        reverse("panels:landing", kwargs={"org_slug": tenant_a.org.slug})
    ).content.decode()
    assert "no review date for the terms of reference" in landing
