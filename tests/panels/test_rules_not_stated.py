"""Where a document is silent PanelHub says "not stated in the terms of reference" instead of
inventing a rule (issue 16 item 2): quorum, who votes, whether minutes are public, and
whether a member who declared an interest in an item counts towards its quorum."""

import datetime

import pytest
from django.urls import reverse

from panels import rules
from panels.seed_terms import TERMS
from panels.services import terms_revise
from panels.terms_text import terms_statements
from tests.panels.terms_factory import ORG_PANELS, seeded

D = datetime.date
ALL = list(ORG_PANELS)
NOT_STATED = "not stated in the terms of reference"


def said(org_slug):
    return [line for s in terms_statements(seeded(org_slug), []) for line in s.statements]


# --- Quorum -------------------------------------------------------------------------------


@pytest.mark.parametrize("org", ["helena", "tht"])
@pytest.mark.parametrize("present", [0, 1, 12])
def test_no_quorum_stated_is_never_quorate_even_with_nobody_present(org, present):
    # Neither Helena's nor THT's document has a quorum clause.
    state = rules.quorum_state(terms=seeded(org), membership=12, present_voting=present)
    assert state.stated is False and state.is_quorate is None and state.required is None
    assert state.message == "This panel's terms of reference set no quorum."
    assert state.reason is None  # no rule to refuse under
    assert state.rule_text == f"quorum {NOT_STATED}"
    assert f"Quorum: {NOT_STATED}." in said(org)


@pytest.mark.parametrize("org", ["hfh", "ivh", "stockport"])
def test_stated_quorums_say_so(org):
    state = rules.quorum_state(terms=seeded(org), membership=10, present_voting=0)
    assert state.stated and state.is_quorate is False
    assert state.message.startswith("The meeting is not quorate")
    assert f"Quorum: {NOT_STATED}." not in said(org)


# --- Who votes ------------------------------------------------------------------------------


@pytest.mark.parametrize("org", ["helena", "tht", "stockport"])
def test_who_votes_not_stated_counts_only_the_members_the_document_names(org):
    terms = seeded(org)
    rule = rules.voting_rule(terms)
    assert rule.stated is False and rule.roles == {"chair", "vice_chair", "resident"}
    assert NOT_STATED in rule.text
    for role in ("associate", "co_opted", "officer", "sponsor"):
        assert not rules.is_voting_member(terms, role), role
    for role in ("chair", "vice_chair", "resident"):
        assert rules.is_voting_member(terms, role), role
    assert any(line.startswith(f"Who votes: {NOT_STATED}.") for line in said(org))


def test_ivh_each_member_has_one_vote():
    # IVH 1.11: "Each member shall have one vote on a motion."
    terms = seeded("ivh")
    rule = rules.voting_rule(terms)
    assert rule.stated and rule.roles == {"chair", "vice_chair", "resident"}
    assert "The chair, the vice chair and resident members vote and count towards the quorum." in (
        said("ivh")
    )


def test_hfh_associates_and_non_voting_co_optees():
    # HFH 3h: associate members "will not have any voting rights"; 3f "Other non-voting
    # residents or independents".
    terms = seeded("hfh")
    assert rules.voting_rule(terms).stated
    assert not rules.is_voting_member(terms, "associate")
    assert not rules.is_voting_member(terms, "co_opted")
    assert "Associate members and co-opted members do not vote." in said("hfh")


def test_non_voting_roles_alone_still_say_who_votes_is_not_stated():
    terms = seeded("helena")
    terms.non_voting_roles = ["resident"]
    rule = rules.voting_rule(terms)
    assert not rule.stated and rule.roles == {"chair", "vice_chair"}


# --- Minutes ---------------------------------------------------------------------------------


def test_only_ivh_makes_minutes_public_and_tht_keeps_them_confidential():
    # IVH 1.13: "Minutes will be available for public inspection at IVHs head office and will
    # be displayed on IVH website".
    answer = rules.minutes_publication(seeded("ivh"))
    assert (answer.value, answer.is_public) == ("public", True)
    assert "Minutes are published, except items that are confidential." in said("ivh")
    # THT 13: "All information received will be treated as confidential unless there is a
    # clear reason to share it more widely".
    answer = rules.minutes_publication(seeded("tht"))
    assert (answer.value, answer.is_public) == ("not_public", False)
    assert "Minutes are for members only; they are not published." in said("tht")
    for org in ("helena", "hfh", "stockport"):
        answer = rules.minutes_publication(seeded(org))
        assert (answer.value, answer.is_public) == ("not_stated", None), org
        assert answer.text == f"Whether minutes are public is {NOT_STATED}."
        assert f"Whether minutes are public: {NOT_STATED}." in said(org)


def test_minutes_not_public_when_a_version_says_so():
    terms = seeded("helena")
    terms.minutes_public = "not_public"
    assert rules.minutes_publication(terms).is_public is False
    lines = [line for s in terms_statements(terms, []) for line in s.statements]
    assert "Minutes are for members only; they are not published." in lines


# --- A declared interest and the item's quorum -------------------------------------------


@pytest.mark.parametrize("org", ALL)
def test_no_document_says_whether_an_interested_member_counts(org):
    terms = seeded(org)
    assert terms.interest_quorum == ""
    assert (
        "Whether a member who declared an interest in an item counts towards the quorum for "
        f"that item: {NOT_STATED}." in said(org)
    )


def test_item_quorum_not_stated_counts_the_interested_member_and_says_whether_it_matters():
    # Stockport: "The quorum for meetings will be 50% of the membership." 10 members: 5.
    terms = seeded("stockport")
    state = rules.item_quorum_state(
        terms=terms, membership=10, present={1, 2, 3, 4, 5}, declared_interest={5, 9}
    )
    assert (state.present, state.declared_interest, state.counted) == (5, 1, 5)
    assert state.is_quorate is True and state.interest_rule == "not_stated"
    assert state.quorate_if_interested_excluded is False
    assert NOT_STATED in state.interest_text


def test_item_quorum_excluded_by_a_new_version():
    terms = seeded("stockport")
    terms.interest_quorum = "excluded"
    state = rules.item_quorum_state(
        terms=terms, membership=10, present={1, 2, 3, 4, 5}, declared_interest={5}
    )
    assert (state.counted, state.required, state.short_by) == (4, 5, 1)
    assert state.is_quorate is False
    assert state.reason.code == "quorum.item_not_met"
    assert "does not count towards its quorum" in state.reason.message
    # Members who left before the item are not in ``present``; their declaration is moot.
    left = rules.item_quorum_state(
        terms=terms, membership=10, present={1, 2, 3, 4, 6}, declared_interest={5}
    )
    assert left.is_quorate and left.declared_interest == 0


def test_item_quorum_counted_by_a_new_version():
    terms = seeded("hfh")  # 6j: "at least three resident members"
    terms.interest_quorum = "counted"
    state = rules.item_quorum_state(
        terms=terms, membership=12, present={1, 2, 3}, declared_interest={1, 2}
    )
    assert state.is_quorate and state.counted == 3
    assert state.quorate_if_interested_excluded is False


def test_item_quorum_where_no_quorum_is_stated():
    state = rules.item_quorum_state(
        terms=seeded("helena"), membership=15, present=set(), declared_interest=set()
    )
    assert state.stated is False and state.is_quorate is None and state.reason is None
    assert state.message == "This panel's terms of reference set no quorum."


def test_item_quorum_refuses_negative_membership():
    with pytest.raises(ValueError):
        rules.item_quorum_state(terms=seeded("ivh"), membership=-1, present=set())


# --- The ToR page, the officer's new version, the API ------------------------------------


@pytest.mark.django_db
def test_terms_page_says_not_stated_and_the_officer_can_state_it(client, tenant_a):
    spec = TERMS[("helena", "customer-excellence-panel")]
    terms_revise(
        review_due_on=D(2099, 1, 1),
        panel=tenant_a.panel,
        effective_from=D(2025, 1, 1),
        changes={"title": "Helena-like terms", **spec["values"]},
        deadlines=[],
        by=tenant_a.officer,
    )
    page = reverse(
        "panels:panel_terms",
        kwargs={"org_slug": tenant_a.org.slug, "panel_slug": tenant_a.panel.slug},
    )
    body = client.get(page).content.decode()
    for subject in (
        "Quorum",
        "Who votes",
        "Whether minutes are public",
        "Whether a member who declared an interest in an item counts towards the quorum for "
        "that item",
    ):
        assert f"{subject}: {NOT_STATED}" in body, subject
    later = terms_revise(
        review_due_on=D(2099, 1, 1),
        panel=tenant_a.panel,
        effective_from=D(2025, 6, 1),
        changes={
            "voting_roles": ["chair", "vice_chair", "resident"],
            "interest_quorum": "excluded",
            "minutes_public": "not_public",
        },
        deadlines=[],
        change_note="The panel agreed who votes and how interests affect the quorum.",
        by=tenant_a.officer,
    )
    assert rules.voting_rule(later).stated
    body = client.get(page).content.decode()
    assert f"Who votes: {NOT_STATED}" not in body
    assert "does not count towards the quorum for that item" in body
    assert "Minutes are for members only" in body


@pytest.mark.django_db
def test_api_quorum_not_stated_is_null_not_quorate(client_as, tenant_a):
    spec = TERMS[("tht", "quality-and-insight-panel")]
    terms_revise(
        review_due_on=D(2099, 1, 1),
        panel=tenant_a.panel,
        effective_from=D(2025, 1, 1),
        changes={"title": "THT-like terms", **spec["values"]},
        deadlines=[],
        by=tenant_a.officer,
    )
    client = client_as(tenant_a.officer)
    response = client.get(
        f"/api/v1/{tenant_a.org.slug}/panels/{tenant_a.panel.slug}/quorum/",
        {"members": 12, "present": 0},
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["stated"] is False and data["is_quorate"] is None
    assert data["message"] == "This panel's terms of reference set no quorum."
