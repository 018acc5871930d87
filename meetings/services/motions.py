"""Motions: proposing and deciding them, with the quorum and the casting vote."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from meetings.models import (
    AgendaItem,
    Attendance,
    Declaration,
    Meeting,
    Motion,
    MotionKind,
    MotionOutcome,
    Vote,
    VoteChoice,
)
from meetings.selectors import (
    absent_from_item_reason,
    eligible_voters,
    item_attendance,
    item_start_times,
    meeting_quorum,
    present_at,
    untrained_voters,
    voting_seats,
)
from meetings.services._common import (
    APP_SOURCE,
    _lock,
    _refuse,
    _refuse_unless_open,
    terms_for_meeting,
)
from members.selectors import current_memberships
from panels import rules
from panels.audit import audit_record, snapshot
from panels.errors import Reason, raise_if


def _register(meeting: Meeting) -> list[Attendance]:
    return list(
        Attendance.objects.for_org(meeting.organisation_id)
        .filter(meeting=meeting)
        .select_related("membership__person")
    )


def _quorum_reasons(meeting: Meeting, terms, register, item=None, items=(), declarations=()):
    """The meeting's quorum; for a motion on an item, the item's own quorum (who was there
    when it began, less declared interests where the ToR says so)."""
    memberships = list(current_memberships(panel=meeting.panel, on=meeting.date))
    if item is not None:
        for state in item_attendance(
            meeting=meeting,
            terms=terms,
            memberships=memberships,
            register=register,
            items=items,
            declarations=declarations,
        ):
            if state.item.pk == item.pk:
                return [state.quorum.reason] if state.quorum.reason else []
    quorum = meeting_quorum(
        meeting=meeting, terms=terms, memberships=memberships, register=register
    )
    return [quorum.reason] if quorum.reason else []


@transaction.atomic
def motion_propose(
    *, meeting: Meeting, text: str, mover, kind: str = MotionKind.ORDINARY, item=None, by=None
) -> Motion:
    """Put a motion: the mover must be a voting member present."""
    meeting = _lock(meeting)
    _refuse_unless_open(meeting, "put motions")
    terms = terms_for_meeting(meeting)
    register = _register(meeting)
    reasons = []
    if not text.strip():
        reasons.append(Reason("motion.text", "Write the motion.", "text", APP_SOURCE))
    if kind not in MotionKind.values:
        reasons.append(Reason("motion.kind", "Choose the kind of motion.", "kind", APP_SOURCE))
    present_voting = {
        a.membership_id
        for a in register
        if a.is_present and rules.is_voting_member(terms, a.membership.role)
    }
    if mover is None or mover.pk not in present_voting:
        reasons.append(
            Reason(
                "motion.mover",
                "The mover must be a voting member who is present.",
                "mover",
                rules.source_of(terms, "Decisions"),
            )
        )
    if item is not None and item.meeting_id != meeting.pk:
        reasons.append(Reason("motion.item", "That item is not on this agenda.", "item"))
    raise_if(reasons)
    motion = Motion.objects.create(
        organisation_id=meeting.organisation_id,
        meeting=meeting,
        item=item,
        kind=kind,
        text=text.strip(),
        mover=mover,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit_record(
        org=meeting.organisation,
        actor=by,
        action="motion.proposed",
        obj=motion,
        after={"kind": kind, "mover": mover.pk},
    )
    return motion


MOTION_AUDIT_FIELDS = [
    "consensus",
    "votes_for",
    "votes_against",
    "abstentions",
    "chair_casting_vote_for",
    "outcome",
    "method",
    "explanation",
]


@transaction.atomic
def motion_decide(
    *,
    motion: Motion,
    consensus: bool = False,
    ballots: dict | None = None,
    votes_for: int = 0,
    votes_against: int = 0,
    abstentions: int = 0,
    chair_casting_vote_for: bool | None = None,
    acting_for=(),
    by=None,
) -> Motion:
    """Decide a motion under the ToR's decision rule (panels.rules.vote_outcome): consensus
    where the ToR allows it, else a vote; majority of votes cast; the chair's casting vote on
    a tie; a majority of all members for a Notice to Act (Stockport).

    ``ballots`` ({membership: "for"/"against"/"abstain"}) records named votes; otherwise the
    counts are a show of hands. ``acting_for``: the seats (ids) whose vote an officer recorded
    for them (a member who cannot use the site); recorded on their Vote. Refused: an inquorate
    meeting or item, more votes than voters present for the item, a vote by a non-voting
    member, by someone who declared an interest in the item, or by someone who was not there
    when the item began (left before it, arrived after it).
    """
    motion = (
        Motion.objects.for_org(motion.organisation_id)
        .select_for_update(of=("self",))
        .select_related("meeting__panel", "meeting__organisation", "item")
        .get(pk=motion.pk)
    )
    meeting = motion.meeting
    terms = terms_for_meeting(meeting)
    source = rules.source_of(terms, "Decisions")
    if motion.outcome in (MotionOutcome.CARRIED, MotionOutcome.LOST):
        _refuse("motion.decided", "This motion has already been decided.")
    register = _register(meeting)
    items = list(AgendaItem.objects.for_org(meeting.organisation_id).filter(meeting=meeting))
    declarations = list(
        Declaration.objects.for_org(meeting.organisation_id).filter(item=motion.item)
        if motion.item
        else []
    )
    reasons = _quorum_reasons(meeting, terms, register, motion.item, items, declarations)
    item_starts = (
        item_start_times(meeting=meeting, items=items).get(motion.item_id)
        if motion.item_id
        else None
    )
    lines = {a.membership_id: a for a in register}
    voters = eligible_voters(
        terms=terms,
        register=register,
        item=motion.item,
        declarations=declarations,
        item_starts=item_starts,
    )
    untrained = untrained_voters(meeting=meeting, terms=terms, voters=voters)
    voters = [m for m in voters if m.pk not in untrained]
    voter_ids = {m.pk for m in voters}
    declared_ids = {d.membership_id for d in declarations}
    if ballots is not None:
        tallies = dict.fromkeys(VoteChoice.values, 0)
        for seat, choice in ballots.items():
            if choice not in VoteChoice.values:
                reasons.append(Reason("vote.choice", f"{choice!r} is not a vote.", "ballots"))
                continue
            if seat.pk in declared_ids:
                reasons.append(
                    Reason(
                        "vote.declared_interest",
                        f"{seat.person} declared an interest in this item and may not vote on it.",
                        "ballots",
                        source,
                    )
                )
            elif seat.pk in untrained:
                reasons.append(untrained[seat.pk])
            elif (
                seat.pk in lines
                and lines[seat.pk].is_present
                and not present_at(lines[seat.pk], item_starts)
            ):
                reasons.append(
                    Reason(
                        "vote.not_there_for_item",
                        absent_from_item_reason(lines[seat.pk], item_starts)
                        + " They may not vote on it.",
                        "ballots",
                        source,
                    )
                )
            elif seat.pk not in voter_ids:
                reasons.append(
                    Reason(
                        "vote.not_a_voter",
                        f"{seat.person} may not vote: only voting members present do "
                        f"({seat.get_role_display().lower()}s do not vote, or they are not "
                        "recorded as present).",
                        "ballots",
                        source,
                    )
                )
            tallies[choice] += 1
        votes_for, votes_against, abstentions = (
            tallies[VoteChoice.FOR],
            tallies[VoteChoice.AGAINST],
            tallies[VoteChoice.ABSTAIN],
        )
    if min(votes_for, votes_against, abstentions) < 0:
        reasons.append(Reason("vote.negative", "Vote counts cannot be negative.", "votes_for"))
    elif not consensus and votes_for + votes_against + abstentions > len(voters):
        reasons.append(
            Reason(
                "vote.too_many",
                f"{votes_for + votes_against + abstentions} votes recorded but only "
                f"{len(voters)} members present may vote.",
                "votes_for",
                source,
            )
        )
        if ballots is None:
            reasons.extend(untrained.values())
    if consensus and terms.decision_method != "consensus_then_vote":
        reasons.append(
            Reason(
                "decision.no_consensus_rule",
                "These terms of reference decide by vote, not consensus: record the votes.",
                "consensus",
                source,
            )
        )
    if chair_casting_vote_for is not None and not terms.chair_casting_vote:
        reasons.append(
            Reason(
                "decision.no_casting_vote",
                "These terms of reference give the chair no casting vote.",
                "chair_casting_vote_for",
                source,
            )
        )
    raise_if(reasons)
    memberships = list(current_memberships(panel=meeting.panel, on=meeting.date))
    outcome = rules.vote_outcome(
        terms=terms,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
        membership=len(voting_seats(terms=terms, memberships=memberships)),
        motion_kind=motion.kind,
        consensus=consensus,
        chair_casting_vote_for=chair_casting_vote_for
        if votes_for == votes_against and not consensus
        else None,
    )
    before = snapshot(motion, MOTION_AUDIT_FIELDS)
    motion.consensus = outcome.method == "consensus"
    motion.votes_for, motion.votes_against, motion.abstentions = (
        (0, 0, 0) if motion.consensus else (votes_for, votes_against, abstentions)
    )
    motion.chair_casting_vote_for = chair_casting_vote_for if outcome.casting_vote_used else None
    motion.method = outcome.method
    motion.explanation = outcome.explanation[:300]
    if outcome.method == "tie_awaiting_casting_vote":
        motion.outcome = MotionOutcome.AWAITING_CASTING_VOTE
    else:
        motion.outcome = MotionOutcome.CARRIED if outcome.carried else MotionOutcome.LOST
        motion.decided_at = timezone.now()
    motion.save(update_fields=[*MOTION_AUDIT_FIELDS, "decided_at"])
    if ballots is not None:
        acting = set(acting_for)
        user = by if getattr(by, "is_authenticated", False) else None
        Vote.objects.for_org(motion.organisation_id).filter(motion=motion).delete()
        Vote.objects.bulk_create(
            Vote(
                organisation_id=motion.organisation_id,
                motion=motion,
                membership=seat,
                choice=c,
                acting_for=seat.pk in acting,
                recorded_by=user,
            )
            for seat, c in ballots.items()
        )
    audit_record(
        org=meeting.organisation,
        actor=by,
        action="motion.decided",
        obj=motion,
        before=before,
        after=snapshot(motion, MOTION_AUDIT_FIELDS),
        reason=f"{outcome.explanation} ({source})",
    )
    return motion


@transaction.atomic
def motion_cast_deciding_vote(*, motion: Motion, carried: bool, by=None) -> Motion:
    """The chair's casting vote on a tied motion."""
    if motion.outcome != MotionOutcome.AWAITING_CASTING_VOTE:
        _refuse("motion.not_tied", "Only a tied motion awaits the chair's casting vote.")
    return motion_decide(
        motion=motion,
        votes_for=motion.votes_for,
        votes_against=motion.votes_against,
        abstentions=motion.abstentions,
        chair_casting_vote_for=carried,
        by=by,
    )
