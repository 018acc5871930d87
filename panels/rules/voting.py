"""Who votes, the quorum for one agenda item, and whether minutes are public: the answers
where a document may be silent, each saying "not stated in the terms of reference" rather
than inventing a rule.

Who votes, where the ToR lists no voting roles: every document names its members (Helena's
"maximum of 15 tenants", IVH's "IVH residents", THT's "Tenants and leaseholders",
Stockport's customers), and a chair and vice chair are members, so the chair, vice chair and
resident seats count. None of those four documents gives associate or co-opted seats a vote
(HFH, which does list them, says they do not vote), so PanelHub does not count them, and
says that who votes is not stated. Officers and sponsors are never members. The officer
states who votes in a new version (``voting_roles``).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from panels.errors import Reason
from panels.models import InterestQuorumRule, MinutesPublication, TermsOfReference
from panels.rules._common import source_of
from panels.rules.meetings import NOT_STATED, quorum_required, quorum_rule_text

# The seats every document names as members: counted where the ToR does not say who votes.
DOCUMENT_MEMBER_ROLES = ("chair", "vice_chair", "resident")
# Seats that attend but are never panel members (size, quorum or votes).
NEVER_MEMBERS = frozenset({"officer", "sponsor"})


@dataclass(frozen=True)
class VotingRule:
    """Which seat roles vote and count for quorum, and whether the ToR says so."""

    stated: bool
    roles: frozenset[str]
    text: str
    source: str


def voting_rule(terms: TermsOfReference) -> VotingRule:
    source = source_of(terms, "Membership: who votes")
    if terms.voting_roles:
        roles = frozenset(terms.voting_roles) - NEVER_MEMBERS
        return VotingRule(True, roles, "Voting seats are set by the terms of reference.", source)
    roles = frozenset(DOCUMENT_MEMBER_ROLES) - set(terms.non_voting_roles or [])
    return VotingRule(
        False,
        roles,
        f"Who votes is {NOT_STATED}: PanelHub counts only the chair, vice chair and "
        "resident members for votes and quorum, not associate or co-opted seats.",
        source,
    )


def is_voting_role(terms: TermsOfReference, role: str) -> bool:
    """Whether a seat role votes and counts for quorum under ``voting_rule``."""
    return role in voting_rule(terms).roles


def counts_as_member(role: str) -> bool:
    """Officers and sponsors attend but are not panel members for size and quorum."""
    return role not in NEVER_MEMBERS


def is_voting_member(terms: TermsOfReference, role: str) -> bool:
    """A seat that is a panel member and votes: the one test every app uses for "voting
    member" (register, quorum, motions, demo data)."""
    return counts_as_member(role) and is_voting_role(terms, role)


@dataclass(frozen=True)
class ItemQuorumState:
    """The quorum for one agenda item: the voting members present at it (after arrivals and
    departures), less those who declared an interest in it where the ToR excludes them."""

    required: int | None
    present: int
    declared_interest: int
    counted: int
    is_quorate: bool | None
    short_by: int
    stated: bool
    rule_text: str
    interest_rule: str  # "excluded", "counted" or "not_stated"
    interest_text: str
    quorate_if_interested_excluded: bool | None
    source: str

    @property
    def reason(self) -> Reason | None:
        if not self.stated or self.is_quorate:
            return None
        return Reason(
            code="quorum.item_not_met",
            message=(
                f"This item is not quorate: {self.rule_text} ({self.required} needed, "
                f"{self.counted} counted, {self.short_by} more needed). {self.interest_text}"
            ),
            source=self.source,
        )

    @property
    def message(self) -> str:
        if not self.stated:
            return "This panel's terms of reference set no quorum."
        if self.is_quorate:
            return (
                f"Quorate for this item: {self.counted} counted, {self.required} needed "
                f"({self.rule_text})."
            )
        return self.reason.message


def interest_rule_text(terms: TermsOfReference) -> str:
    if terms.interest_quorum == InterestQuorumRule.EXCLUDED:
        return "A member who declared an interest in an item does not count towards its quorum."
    if terms.interest_quorum == InterestQuorumRule.COUNTED:
        return "A member who declared an interest in an item still counts towards its quorum."
    return (
        "Whether a member who declared an interest in an item counts towards its quorum is "
        f"{NOT_STATED}; they are counted."
    )


def item_quorum_state(
    *,
    terms: TermsOfReference,
    membership: int,
    present: Iterable[Hashable],
    declared_interest: Iterable[Hashable] = (),
) -> ItemQuorumState:
    """Quorum for one item. ``membership``: voting members of the panel on the meeting's date;
    ``present``: the voting members in the room for the item; ``declared_interest``: those
    who declared an interest in it (only those present matter). Excluded from the count only
    where the ToR says so (``interest_quorum``); where it is silent they count, and
    ``quorate_if_interested_excluded`` tells the officer whether that choice matters."""
    if membership < 0:
        raise ValueError("Member counts cannot be negative.")
    here = set(present)
    interested = here & set(declared_interest)
    required = quorum_required(terms=terms, membership=membership)
    rule = terms.interest_quorum or "not_stated"
    counted = len(here) - len(interested) if rule == InterestQuorumRule.EXCLUDED else len(here)
    stated = required is not None
    short_by = max(0, required - counted) if stated else 0
    return ItemQuorumState(
        required=required,
        present=len(here),
        declared_interest=len(interested),
        counted=counted,
        is_quorate=(short_by == 0) if stated else None,
        short_by=short_by,
        stated=stated,
        rule_text=quorum_rule_text(terms),
        interest_rule=rule,
        interest_text=interest_rule_text(terms),
        quorate_if_interested_excluded=(
            len(here) - len(interested) >= required if stated else None
        ),
        source=source_of(terms, "Quorum"),
    )


@dataclass(frozen=True)
class MinutesPublicationAnswer:
    """Whether minutes are public: "public", "not_public" or "not_stated" (then
    ``is_public`` is None; publishing them is the officer's decision, not the ToR's)."""

    value: str
    is_public: bool | None
    text: str
    source: str


def minutes_publication(terms: TermsOfReference) -> MinutesPublicationAnswer:
    source = source_of(terms, "Minutes")
    if terms.minutes_public == MinutesPublication.PUBLIC:
        return MinutesPublicationAnswer(
            "public", True, "Minutes are public, except items deemed confidential.", source
        )
    if terms.minutes_public == MinutesPublication.NOT_PUBLIC:
        return MinutesPublicationAnswer(
            "not_public", False, "Minutes are for members only; they are not published.", source
        )
    return MinutesPublicationAnswer(
        "not_stated", None, f"Whether minutes are public is {NOT_STATED}.", source
    )


TRAINING_NAMES = {"core": "the mandatory training", "induction": "induction training"}


def vote_training_refusal(
    *, terms: TermsOfReference, person_name: str, completed: Iterable[str]
) -> Reason | None:
    """Why a member may not vote yet: the training the ToR requires before a member's first
    vote is not complete (Helena: "any mandatory training required as part of the role";
    THT 11: "Members will be required to attend induction training"). ``completed``: the
    kinds of training the member had completed by the meeting's date."""
    needed = terms.training_before_first_vote
    if not needed or needed in set(completed):
        return None
    training = TRAINING_NAMES.get(needed, needed)
    return Reason(
        code="vote.training_required",
        message=(
            f"{person_name} may not vote yet: members complete {training} before their first "
            "vote, and none is recorded."
        ),
        field="ballots",
        source=source_of(terms, "Training"),
    )
