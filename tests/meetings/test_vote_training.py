"""Training before a member's first vote (Helena: "To take part in any mandatory training
required as part of the role"; THT 11: "Members will be required to attend induction
training"): refused where the vote is recorded, through rules.vote_training_refusal."""

import datetime

import pytest

from meetings import services
from meetings.models import MotionOutcome
from members.models import TrainingKind, TrainingRecord
from panels.errors import RuleViolation
from tests.meetings.conftest import register, schedule

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 6, 16)


def _train(setup, seats, kind, on=datetime.date(2026, 1, 5)):
    for seat in seats:
        TrainingRecord.objects.create(
            organisation=setup.org, person=seat.person, kind=kind, title="Training", completed_on=on
        )


@pytest.mark.parametrize(("org", "kind"), [("helena", "core"), ("tht", "induction")])
def test_a_named_vote_without_the_training_is_refused(panel_with, org, kind):
    setup = panel_with(org, chair=1, resident=4)
    meeting = schedule(setup, DAY)
    register(meeting, setup.seats)
    trained, untrained = setup.seats[:4], setup.seats[4]
    _train(setup, trained, kind)
    _train(setup, [untrained], "other")
    motion = services.motion_propose(meeting=meeting, text="That we agree", mover=setup.chair)
    with pytest.raises(RuleViolation) as refused:
        services.motion_decide(
            motion=motion, ballots={**dict.fromkeys(trained, "for"), untrained: "against"}
        )
    codes = [r.code for r in refused.value.reasons]
    assert codes == ["vote.training_required", "vote.too_many"]
    assert str(untrained.person) in refused.value.reasons[0].message
    motion.refresh_from_db()
    assert motion.outcome == MotionOutcome.PENDING
    decided = services.motion_decide(motion=motion, ballots=dict.fromkeys(trained, "for"))
    assert decided.outcome == MotionOutcome.CARRIED


def test_training_after_the_meeting_does_not_count(panel_with):
    setup = panel_with("tht", chair=1, resident=2)
    meeting = schedule(setup, DAY)
    register(meeting, setup.seats)
    _train(setup, setup.seats[:2], TrainingKind.INDUCTION)
    _train(setup, setup.seats[2:], TrainingKind.INDUCTION, on=DAY + datetime.timedelta(days=1))
    motion = services.motion_propose(meeting=meeting, text="That we agree", mover=setup.chair)
    # A show of hands of three where only two may vote: refused, saying why.
    with pytest.raises(RuleViolation) as refused:
        services.motion_decide(motion=motion, votes_for=3)
    codes = [r.code for r in refused.value.reasons]
    assert codes == ["vote.too_many", "vote.training_required"]


def test_no_training_rule_no_refusal(panel_with):
    setup = panel_with("ivh", chair=1, resident=4)
    meeting = schedule(setup, DAY)
    register(meeting, setup.seats)
    motion = services.motion_propose(meeting=meeting, text="That we agree", mover=setup.chair)
    decided = services.motion_decide(motion=motion, votes_for=5, votes_against=0)
    assert decided.outcome == MotionOutcome.CARRIED
    assert not TrainingRecord.objects.exists()
