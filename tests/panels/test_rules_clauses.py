"""Clauses captured by issue 16: Helena's mandatory training and THT's induction before a
member's first vote, THT's Board-nominated topic, HFH's six-monthly review of its
priorities, Stockport's expenses "usually agreed in advance". Each a typed ToR value with
its plain-English sentence; the refusal or flag is tested where it bites (tests/meetings,
tests/members, tests/scrutiny)."""

import datetime

import pytest

from panels import rules
from panels.terms_text import terms_statements
from tests.panels.terms_factory import seeded

D = datetime.date


def said(org):
    return [line for s in terms_statements(seeded(org), []) for line in s.statements]


def test_helena_mandatory_training_before_the_first_vote():
    # Helena: "To take part in any mandatory training required as part of the role of the
    # Customer Excellence Panel".
    terms = seeded("helena")
    assert terms.training_before_first_vote == "core"
    reason = rules.vote_training_refusal(terms=terms, person_name="Ann Lee", completed=[])
    assert reason.code == "vote.training_required"
    assert reason.message == (
        "Ann Lee may not vote yet: members complete the mandatory training before their first "
        "vote, and none is recorded."
    )
    assert rules.vote_training_refusal(terms=terms, person_name="A", completed=["core"]) is None
    assert "Members take part in the mandatory training before their first vote." in said("helena")


def test_tht_induction_before_the_first_vote():
    # THT 11: "Members will be required to attend induction training".
    terms = seeded("tht")
    assert terms.training_before_first_vote == "induction"
    assert rules.vote_training_refusal(terms=terms, person_name="B", completed=["core"])
    assert (
        rules.vote_training_refusal(terms=terms, person_name="B", completed=["induction"]) is None
    )
    assert "Members attend induction training before their first vote." in said("tht")


@pytest.mark.parametrize("org", ["hfh", "ivh", "stockport"])
def test_no_training_before_voting_elsewhere(org):
    # HFH: members "will be encouraged to undertake an induction" (not required); IVH and
    # Stockport tie training to other things (Stockport: before becoming active).
    assert rules.vote_training_refusal(terms=seeded(org), person_name="C", completed=[]) is None


def test_tht_work_plan_needs_a_board_nominated_topic():
    # THT 4: "Flexibility to include at least one topic/service area that is nominated by
    # the THT board or executive team."
    terms = seeded("tht")
    flag = rules.board_topic_flag(terms=terms, year=2026, topic_sources=["complaints", "tenants"])
    assert flag.code == "work_plan.no_board_topic"
    assert "no topic nominated by the Board or executive team" in flag.message
    assert rules.board_topic_flag(terms=terms, year=2026, topic_sources=["board"]) is None
    assert rules.board_topic_flag(terms=seeded("stockport"), year=2026, topic_sources=[]) is None
    assert (
        "Each year's review topics include at least one nominated by the Board or executive team."
        in said("tht")
    )


def test_hfh_priorities_reviewed_every_six_months():
    # HFH 2a: "Agree priorities on an annual basis, with a six-monthly review as part of the
    # group's work plan."
    terms = seeded("hfh")
    early = rules.priorities_review_state(
        terms=terms, year=2026, last_reviewed_on=None, today=D(2026, 6, 30)
    )
    assert early.due_on == D(2026, 7, 1) and not early.is_due
    due = rules.priorities_review_state(
        terms=terms, year=2026, last_reviewed_on=None, today=D(2026, 7, 1)
    )
    assert due.is_due and "due since 1 July 2026 (every 6 months)" in due.message
    reviewed = rules.priorities_review_state(
        terms=terms, year=2026, last_reviewed_on=D(2026, 7, 10), today=D(2026, 12, 1)
    )
    assert reviewed.due_on == D(2027, 1, 10) and not reviewed.is_due
    assert (
        rules.priorities_review_state(
            terms=seeded("tht"), year=2026, last_reviewed_on=None, today=D(2026, 12, 1)
        )
        is None
    )
    assert "The panel agrees its priorities every year and reviews them every 6 months." in said(
        "hfh"
    )


def test_stockport_expenses_usually_agreed_in_advance():
    # Stockport, Remuneration: "Claims will usually be agreed in advance and must be
    # supported by receipts."
    terms = seeded("stockport")
    held = rules.expense_hold_reason(terms=terms, agreed_in_advance=False)
    assert held.code == "expenses.not_agreed_in_advance"
    assert held.message.startswith("Held for the officer's decision")
    assert rules.expense_hold_reason(terms=terms, agreed_in_advance=True) is None
    assert rules.expense_hold_reason(terms=seeded("tht"), agreed_in_advance=False) is None
    assert (
        "Claims are usually agreed in advance; a claim that was not is held for the officer's "
        "decision." in said("stockport")
    )
