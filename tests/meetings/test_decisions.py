import datetime

import pytest

from meetings import selectors, services
from meetings.models import Meeting, MotionKind, MotionOutcome, PresidingBasis, Vote
from panels.errors import RuleViolation
from tests.meetings.conftest import register, schedule

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 6, 16)


def _quorum(setup, meeting):
    return selectors.meeting_console(org=setup.org, meeting_id=meeting.pk, today=DAY).quorum


@pytest.mark.parametrize(("present", "quorate"), [(2, False), (3, True)])
def test_hfh_quorum_is_three_voting_residents(panel_with, present, quorate):
    setup = panel_with("hfh", chair=1, vice_chair=1, resident=10, associate=2)
    meeting = schedule(setup, DAY)
    register(meeting, [*setup.residents[:present], *setup.role("associate")])
    state = _quorum(setup, meeting)
    assert (state.required, state.is_quorate) == (3, quorate)


@pytest.mark.parametrize(("present", "quorate"), [(4, False), (5, True)])
def test_ivh_quorum_is_a_majority_of_eight(panel_with, present, quorate):
    setup = panel_with("ivh", chair=1, resident=7)
    meeting = schedule(setup, DAY)
    register(meeting, setup.seats[:present])
    state = _quorum(setup, meeting)
    assert (state.required, state.is_quorate) == (5, quorate)


@pytest.mark.parametrize(
    ("members", "present", "required", "quorate"),
    [(8, 4, 4, True), (8, 3, 4, False), (9, 4, 5, False), (9, 5, 5, True)],
)
def test_stockport_quorum_is_half_rounded_up(panel_with, members, present, required, quorate):
    setup = panel_with("stockport", chair=1, resident=members - 1)
    meeting = schedule(setup, DAY)
    register(meeting, setup.seats[:present])
    state = _quorum(setup, meeting)
    assert (state.required, state.is_quorate) == (required, quorate)


def _motion(setup, meeting, kind=MotionKind.ORDINARY, item=None):
    return services.motion_propose(
        meeting=meeting, text="That we review repairs", mover=setup.chair, kind=kind, item=item
    )


def test_decision_refused_while_inquorate_and_nothing_changes(panel_with):
    setup = panel_with("hfh", chair=1, vice_chair=1, resident=10)
    meeting = schedule(setup, DAY)
    register(meeting, [setup.chair, setup.vice])
    motion = _motion(setup, meeting)
    with pytest.raises(RuleViolation) as refused:
        services.motion_decide(motion=motion, consensus=True)
    assert refused.value.code == "quorum.not_met"
    assert "3 needed, 2 present" in refused.value.reasons[0].message
    motion.refresh_from_db()
    assert motion.outcome == MotionOutcome.PENDING


def test_hfh_consensus_else_vote_and_chairs_casting_vote(panel_with):
    setup = panel_with("hfh", chair=1, vice_chair=1, resident=10)
    meeting = schedule(setup, DAY)
    register(meeting, [setup.chair, setup.vice, *setup.residents[:2]])
    agreed = services.motion_decide(motion=_motion(setup, meeting), consensus=True)
    assert agreed.carried and agreed.method == "consensus"
    tied = services.motion_decide(motion=_motion(setup, meeting), votes_for=2, votes_against=2)
    assert tied.outcome == MotionOutcome.AWAITING_CASTING_VOTE and not tied.carried
    decided = services.motion_cast_deciding_vote(motion=tied, carried=True)
    assert decided.carried and decided.method == "casting_vote"
    lost = services.motion_decide(motion=_motion(setup, meeting), votes_for=1, votes_against=2)
    assert lost.outcome == MotionOutcome.LOST


def test_ivh_majority_vote_no_consensus_rule(panel_with):
    setup = panel_with("ivh", chair=1, resident=5)
    meeting = schedule(setup, DAY)
    register(meeting, setup.seats)
    with pytest.raises(RuleViolation) as refused:
        services.motion_decide(motion=_motion(setup, meeting), consensus=True)
    assert refused.value.code == "decision.no_consensus_rule"
    carried = services.motion_decide(
        motion=_motion(setup, meeting), votes_for=3, votes_against=2, abstentions=1
    )
    assert carried.carried


def test_stockport_notice_to_act_needs_a_majority_of_all_members(panel_with):
    setup = panel_with("stockport", chair=1, resident=8)  # 9 members: 5 needed
    meeting = schedule(setup, DAY)
    register(meeting, setup.seats[:6])
    lost = services.motion_decide(
        motion=_motion(setup, meeting, MotionKind.NOTICE_TO_ACT), votes_for=4, votes_against=0
    )
    assert lost.outcome == MotionOutcome.LOST and "majority of all 9" in lost.explanation
    carried = services.motion_decide(
        motion=_motion(setup, meeting, MotionKind.NOTICE_TO_ACT), votes_for=5, votes_against=1
    )
    assert carried.carried and carried.kind == "notice_to_act"
    ordinary = services.motion_decide(motion=_motion(setup, meeting), votes_for=2, votes_against=1)
    assert ordinary.carried


def test_bad_votes_are_refused_with_every_reason(panel_with):
    setup = panel_with("hfh", chair=1, vice_chair=1, resident=4, associate=1)
    meeting = schedule(setup, DAY)
    associate = setup.role("associate")[0]
    register(meeting, [setup.chair, setup.vice, *setup.residents, associate])
    item = services.agenda_item_add(meeting=meeting, title="Contract award", today=DAY)
    declarer = setup.residents[0]
    services.declaration_record(item=item, membership=declarer, interest="Relative works there")
    motion = _motion(setup, meeting, item=item)
    with pytest.raises(RuleViolation) as refused:
        services.motion_decide(motion=motion, votes_for=5, votes_against=1)
    assert refused.value.code == "vote.too_many"
    assert "only 5 members present may vote" in refused.value.reasons[0].message
    with pytest.raises(RuleViolation) as refused:
        services.motion_decide(
            motion=motion, ballots={declarer: "for", associate: "for", setup.chair: "against"}
        )
    assert {r.code for r in refused.value.reasons} == {
        "vote.declared_interest",
        "vote.not_a_voter",
    }
    motion.refresh_from_db()
    assert motion.outcome == MotionOutcome.PENDING and not Vote.objects.exists()
    named = services.motion_decide(
        motion=motion,
        ballots={setup.chair: "for", setup.vice: "for", setup.residents[1]: "against"},
    )
    assert (named.votes_for, named.votes_against, named.carried) == (2, 1, True)
    assert Vote.objects.count() == 3


def test_mover_must_be_a_voting_member_present(panel_with):
    setup = panel_with("hfh", chair=1, vice_chair=1, resident=3, associate=1)
    meeting = schedule(setup, DAY)
    register(meeting, [setup.chair, *setup.residents, *setup.role("associate")])
    with pytest.raises(RuleViolation) as refused:
        services.motion_propose(meeting=meeting, text="x", mover=setup.role("associate")[0])
    assert refused.value.code == "motion.mover"
    with pytest.raises(RuleViolation):
        services.motion_propose(meeting=meeting, text="x", mover=setup.vice)  # not present


def test_presiding_vice_then_members_choose(panel_with):
    setup = panel_with("hfh", chair=1, vice_chair=1, resident=4)
    meeting = schedule(setup, DAY)
    register(meeting, [setup.vice, *setup.residents])
    meeting = services.meeting_record_presiding(meeting=meeting)
    assert meeting.presiding_basis == PresidingBasis.VICE_CHAIR
    assert meeting.presiding_membership == setup.vice
    other = schedule(setup, DAY + datetime.timedelta(days=30), today=DAY)
    register(other, setup.residents)
    with pytest.raises(RuleViolation) as refused:
        services.meeting_record_presiding(meeting=other)
    assert refused.value.code == "presiding.choose_present_member"
    chosen = services.meeting_record_presiding(meeting=other, membership=setup.residents[2])
    assert chosen.presiding_basis == PresidingBasis.MEMBERS_CHOOSE
    assert Meeting.objects.get(pk=other.pk).presiding_membership == setup.residents[2]


def test_ivh_officer_leads_the_first_three_meetings(panel_with):
    setup = panel_with("ivh", chair=1, resident=4)
    meeting = schedule(setup, DAY)
    register(meeting, setup.seats)
    assert services.meeting_record_presiding(meeting=meeting).presiding_basis == "officer"


@pytest.mark.parametrize(
    ("which", "present", "quorate"),
    [("stockport", 3, False), ("ivh", 4, False), ("stockport", 4, True), ("ivh", 5, True)],
)
def test_members_on_leave_count_towards_the_membership_for_quorum(
    panel_with, which, present, quorate
):
    """None of the five ToRs takes members on leave out of the membership (Stockport allows
    leave and pauses pay, but its quorum is 50% of the membership): 8 seats, one on leave, is
    still a membership of 8 (Stockport needs 4, IVH a majority of 5)."""
    setup = panel_with(which, chair=1, resident=7)
    away = setup.residents[-1]
    away.status = "on_leave"
    away.save(update_fields=["status"])
    meeting = schedule(setup, DAY)
    register(meeting, [s for s in setup.seats if s != away][:present])
    state = _quorum(setup, meeting)
    assert state.required == (4 if which == "stockport" else 5)
    assert state.is_quorate is quorate
