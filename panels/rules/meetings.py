"""Meetings: who presides, quorum, votes, attendance consequences and cadence."""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from panels.errors import Reason
from panels.models import (
    AbsenceConsequence,
    Cadence,
    DecisionMethod,
    QuorumKind,
    TermsOfReference,
)
from panels.rules._common import source_of


def meetings_led_by_officer(terms: TermsOfReference, meetings_held: int) -> bool:
    """IVH: the first three meetings are led by an officer, then a chair is elected."""
    return bool(terms.officer_led_meetings) and meetings_held < terms.officer_led_meetings


@dataclass(frozen=True)
class Presiding:
    who: str  # "chair", "vice_chair", "members_choose", "officer", "not_stated"
    message: str


def who_presides(
    *,
    terms: TermsOfReference,
    chair_present: bool,
    vice_chair_present: bool,
    meetings_held: int = 10**6,
) -> Presiding:
    """Who chairs a meeting, given who is present."""
    if meetings_led_by_officer(terms, meetings_held):
        return Presiding(
            "officer",
            f"An officer leads the first {terms.officer_led_meetings} "
            "meetings, before the chair is elected.",
        )
    if chair_present:
        return Presiding("chair", "The chair presides.")
    if vice_chair_present and terms.vice_chair_presides_in_absence:
        return Presiding("vice_chair", "The chair is absent: the vice chair presides.")
    if terms.members_choose_chair_if_both_absent:
        return Presiding(
            "members_choose",
            "The chair and vice chair are absent: the members "
            "present agree at the start who chairs the meeting.",
        )
    if vice_chair_present:
        return Presiding("vice_chair", "The chair is absent: the vice chair presides.")
    return Presiding(
        "not_stated",
        "The terms of reference do not say who chairs when the chair and vice chair are absent.",
    )


NOT_STATED = "not stated in the terms of reference"


@dataclass(frozen=True)
class QuorumState:
    """A meeting's quorum. ``stated`` is False where the ToR sets no quorum: then
    ``is_quorate`` is None (never "quorate" by default) and ``message`` says so."""

    required: int | None
    present: int
    is_quorate: bool | None
    short_by: int
    rule_text: str
    source: str
    stated: bool = True

    @property
    def reason(self) -> Reason | None:
        if not self.stated or self.is_quorate:
            return None
        return Reason(
            code="quorum.not_met",
            message=(
                f"The meeting is not quorate: {self.rule_text} ({self.required} needed, "
                f"{self.present} present, {self.short_by} more needed)."
            ),
            source=self.source,
        )

    @property
    def message(self) -> str:
        if not self.stated:
            return "This panel's terms of reference set no quorum."
        if self.is_quorate:
            return f"Quorate: {self.present} present, {self.required} needed ({self.rule_text})."
        return self.reason.message


def quorum_required(*, terms: TermsOfReference, membership: int) -> int | None:
    """How many voting members must be present (None: the ToR states no quorum)."""
    if terms.quorum_kind == QuorumKind.FIXED_VOTING_RESIDENTS:
        return terms.quorum_number
    if terms.quorum_kind == QuorumKind.MAJORITY_OF_MEMBERS:
        return membership // 2 + 1
    if terms.quorum_kind == QuorumKind.FRACTION_OF_MEMBERS and terms.quorum_fraction is not None:
        return math.ceil(Decimal(membership) * Decimal(terms.quorum_fraction))
    return None


def quorum_rule_text(terms: TermsOfReference) -> str:
    if terms.quorum_kind == QuorumKind.FIXED_VOTING_RESIDENTS:
        return f"at least {terms.quorum_number} voting resident members"
    if terms.quorum_kind == QuorumKind.MAJORITY_OF_MEMBERS:
        return "a simple majority of all members"
    if terms.quorum_kind == QuorumKind.FRACTION_OF_MEMBERS and terms.quorum_fraction is not None:
        percent = (Decimal(terms.quorum_fraction) * 100).normalize()
        return f"{percent:f}% of the membership, rounded up"
    return f"quorum {NOT_STATED}"


def quorum_state(*, terms: TermsOfReference, membership: int, present_voting: int) -> QuorumState:
    """Is a meeting quorate with ``present_voting`` voting members present out of ``membership``
    voting members, and how many more are needed. Where the ToR sets no quorum the answer is
    "not stated" (``stated=False``, ``is_quorate=None``), whoever is present."""
    if membership < 0 or present_voting < 0:
        raise ValueError("Member counts cannot be negative.")
    required = quorum_required(terms=terms, membership=membership)
    if required is None:
        return QuorumState(
            None,
            present_voting,
            None,
            0,
            quorum_rule_text(terms),
            source_of(terms, "Quorum"),
            stated=False,
        )
    short_by = max(0, required - present_voting)
    return QuorumState(
        required,
        present_voting,
        short_by == 0,
        short_by,
        quorum_rule_text(terms),
        source_of(terms, "Quorum"),
    )


@dataclass(frozen=True)
class VoteOutcome:
    carried: bool
    method: str
    explanation: str
    casting_vote_used: bool = False


def vote_outcome(
    *,
    terms: TermsOfReference,
    votes_for: int,
    votes_against: int,
    abstentions: int = 0,
    membership: int,
    motion_kind: str = "ordinary",
    consensus: bool = False,
    chair_casting_vote_for: bool | None = None,
) -> VoteOutcome:
    """The outcome of a motion under the ToR's decision rule.

    HFH: consensus, else a vote; the chair has a second and casting vote on a tie.
    IVH: one vote each, straight majority; the chair casts the deciding vote on a tie.
    Stockport: a Notice to Act needs a majority of all the panel's members.
    """
    if min(votes_for, votes_against, abstentions, membership) < 0:
        raise ValueError("Vote counts cannot be negative.")
    if motion_kind in (terms.all_member_majority_motions or []):
        needed = membership // 2 + 1
        carried = votes_for >= needed
        return VoteOutcome(
            carried,
            "majority_of_all_members",
            f"Needs a majority of all {membership} members ({needed}); {votes_for} voted for.",
        )
    if consensus and terms.decision_method == DecisionMethod.CONSENSUS_THEN_VOTE:
        return VoteOutcome(True, "consensus", "Agreed by consensus.")
    if votes_for > votes_against:
        return VoteOutcome(True, "majority", f"Carried {votes_for} to {votes_against}.")
    if votes_for < votes_against:
        return VoteOutcome(False, "majority", f"Lost {votes_for} to {votes_against}.")
    if terms.chair_casting_vote and chair_casting_vote_for is not None:
        verdict = "carried" if chair_casting_vote_for else "lost"
        return VoteOutcome(
            chair_casting_vote_for,
            "casting_vote",
            f"Tied {votes_for} to {votes_against}; {verdict} on the chair's casting vote.",
            casting_vote_used=True,
        )
    if terms.chair_casting_vote:
        return VoteOutcome(
            False,
            "tie_awaiting_casting_vote",
            f"Tied {votes_for} to {votes_against}: the chair must cast the deciding vote.",
        )
    return VoteOutcome(False, "tie", f"Tied {votes_for} to {votes_against}: not carried.")


@dataclass(frozen=True)
class AttendanceConsequence:
    kind: str  # "none", "warning", "retire", "flag"
    message: str
    rejoin_barred_until: datetime.date | None = None
    source: str = ""


def attendance_consequence(
    *, terms: TermsOfReference, consecutive_unexplained: int, on_date: datetime.date
) -> AttendanceConsequence:
    """What the ToR says follows from a run of absences without an accepted reason.

    IVH: three in a row, automatic retirement and no rejoining for three years.
    Stockport: two in a row, the member may be removed (the panel decides).
    """
    limit = terms.absence_limit
    source = source_of(terms, "Attendance")
    if not limit or not terms.absence_consequence:
        return AttendanceConsequence(
            "none", "The terms of reference set no attendance rule.", source=source
        )
    if consecutive_unexplained >= limit:
        if terms.absence_consequence == AbsenceConsequence.AUTOMATIC_RETIREMENT:
            barred = (
                on_date + relativedelta(years=terms.rejoin_bar_years)
                if terms.rejoin_bar_years
                else None
            )
            bar_text = f"; may not rejoin until {barred:%d %B %Y}" if barred else ""
            return AttendanceConsequence(
                "retire",
                f"{consecutive_unexplained} consecutive meetings missed without reasonable "
                f"explanation: automatic retirement from the panel{bar_text}.",
                barred,
                source,
            )
        return AttendanceConsequence(
            "flag",
            f"{consecutive_unexplained} consecutive meetings missed without an underlying reason: "
            "the member may be removed; the panel should decide.",
            source=source,
        )
    if consecutive_unexplained == limit - 1 and consecutive_unexplained > 0:
        return AttendanceConsequence(
            "warning",
            f"{consecutive_unexplained} consecutive meeting(s) missed without an accepted reason; "
            f"one more reaches the limit of {limit}.",
            source=source,
        )
    return AttendanceConsequence("none", "Attendance is within the rule.", source=source)


def attendance_limit_consequence(
    *, terms: TermsOfReference, on_date: datetime.date
) -> AttendanceConsequence:
    """The consequence of a run of absences reaching the ToR's limit on ``on_date`` (the
    retirement and its bar on rejoining, IVH); "none" where the ToR sets no limit."""
    return attendance_consequence(
        terms=terms, consecutive_unexplained=terms.absence_limit or 0, on_date=on_date
    )


def meetings_required_per_year(terms: TermsOfReference) -> int | None:
    if terms.min_meetings_per_year:
        return terms.min_meetings_per_year
    return {Cadence.MONTHLY: 12, Cadence.QUARTERLY: 4}.get(terms.cadence)


def committee_dates_without_meeting(
    *, committee_dates: Iterable[datetime.date], meeting_dates: Iterable[datetime.date]
) -> list[datetime.date]:
    """Committee dates with no panel meeting before them since the previous committee date.

    Stockport ToR: the panel meets before each meeting of the Customer Focus Committee.
    """
    meetings = sorted(meeting_dates)
    uncovered: list[datetime.date] = []
    previous: datetime.date | None = None
    for committee_on in sorted(set(committee_dates)):
        if not any((previous is None or previous < m) and m < committee_on for m in meetings):
            uncovered.append(committee_on)
        previous = committee_on
    return uncovered
