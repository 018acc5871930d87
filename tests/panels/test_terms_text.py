"""The plain-English statement of the rules in force (issue 4)."""

import pytest

from panels.services import TERMS_IDENTITY_FIELDS, terms_rule_fields
from panels.terms_text import TERMS_SECTIONS, deadline_sentence, terms_statements
from tests.panels.terms_factory import blank, rule, seeded, seeded_deadlines


def sentences(org):
    return {
        line
        for section in terms_statements(seeded(org), seeded_deadlines(org))
        for line in section.statements
    }


def test_every_rule_field_has_one_section():
    grouped = [name for _key, _title, names in TERMS_SECTIONS for name in names]
    assert len(grouped) == len(set(grouped))
    editable = set(terms_rule_fields()) | (
        TERMS_IDENTITY_FIELDS
        & {"effective_from", "approved_on", "approved_by", "review_due_on", "change_note"}
    )
    assert set(grouped) == editable


def test_helena():
    said = sentences("helena")
    assert "The agenda and papers are sent by post at least 7 days before each meeting." in said
    assert "Minutes are sent to members by post within 7 days after each meeting." in said
    assert "The panel has at most 15 tenants." in said
    assert "Meetings usually run from 10am to 2pm." in said
    assert "The panel reports to the Board every quarter." in said
    assert not any("quorate" in s for s in said)


def test_hfh():
    said = sentences("hfh")
    assert "A meeting is quorate when at least 3 voting resident members are present." in said
    assert (
        "The agenda and papers are sent electronically at least 5 working days before each "
        "meeting." in said
    )
    assert "Agenda items must be proposed at least 4 weeks before the meeting." in said
    assert "Associate members and co-opted members do not vote." in said
    assert (
        "Only one member may come from each household or property, except for co-opted "
        "members." in said
    )
    assert "If a vote is tied, the chair has the casting vote." in said
    assert "Membership may continue beyond 6 years only in exceptional circumstances." in said


def test_ivh():
    said = sentences("ivh")
    assert "Meeting dates are given at least 2 weeks in advance." in said
    assert "A meeting is quorate when more than half of all the members attend." in said
    assert (
        "A member who misses 3 meetings in a row without a reasonable explanation retires from "
        "the panel automatically and cannot rejoin for 3 years." in said
    )
    assert "The chair and vice chair are elected by the members each April." in said
    assert (
        "Members are appointed for 3 years and may serve 2 further terms "
        "(9 years in total at most)." in said
    )


def test_tht():
    said = sentences("tht")
    assert "At most 2 places can be filled by leaseholders." in said
    assert (
        "Requests for staff or contractors to attend must be made at least 10 working days "
        "before the meeting." in said
    )
    assert "The panel aims to complete 3 service reviews a year." in said
    assert "The ideal size is 12 to 15 members." in said


def test_stockport():
    said = sentences("stockport")
    assert "A meeting is quorate when at least 50% of the members are present (rounded up)." in said
    assert "A Notice to Act needs the votes of a majority of all the panel's members." in said
    assert "Members must be aged 18 or over." in said
    assert (
        "Members are paid up to £500 a year and the chair up to £600, "
        "subject to attending meetings." in said
    )
    assert "A leave of absence can be for up to 6 months; payments pause during it." in said


def test_nothing_stated_says_only_what_is_not_stated():
    # Rules a document does not state are not listed, except the ones every meeting depends
    # on (who votes, quorum, minutes, interests), which say "not stated".
    lines = [line for s in terms_statements(blank(), []) for line in s.statements]
    assert lines and all("not stated in the terms of reference" in line for line in lines)


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (
            ("minutes_out", 1, "working_days", "after"),
            "Minutes are sent to members within 1 working day after each meeting.",
        ),
        (
            ("key_messages", 5, "working_days", "after"),
            "Key messages are signed off and published within 5 working days after each meeting.",
        ),
    ],
)
def test_deadline_sentences(args, sentence):
    assert deadline_sentence(rule(*args)) == sentence
