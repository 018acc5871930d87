"""Seats, roles, the panel's operating state, terms of office and the chair."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta

from panels.errors import Reason
from panels.models import (
    ExtensionKind,
    TermsOfReference,
)
from panels.rules._common import _is_exempt, source_of
from panels.rules.voting import counts_as_member


@dataclass(frozen=True)
class Seat:
    """A current seat (or a proposed one), as far as the seat rules care."""

    role: str
    tenure_type: str
    household_reference: str = ""


def seat_refusals(
    *, terms: TermsOfReference, current: Sequence[Seat], proposed: Seat
) -> list[Reason]:
    """Reasons a proposed seat may not be filled: maximum size, tenure caps, household."""
    source = source_of(terms, "Membership")
    reasons: list[Reason] = []
    members = [s for s in current if counts_as_member(s.role)]
    if (
        counts_as_member(proposed.role)
        and terms.max_members is not None
        and len(members) + 1 > terms.max_members
    ):
        reasons.append(
            Reason(
                code="membership.max_members",
                message=(
                    f"The panel has at most {terms.max_members} members and already has "
                    f"{len(members)}."
                ),
                source=source,
            )
        )
    cap = (terms.tenure_caps or {}).get(proposed.tenure_type)
    if cap is not None:
        same = sum(1 for s in members if s.tenure_type == proposed.tenure_type)
        if same + 1 > cap:
            label = proposed.tenure_type.replace("_", " ")
            reasons.append(
                Reason(
                    code="membership.tenure_cap",
                    message=(
                        f"At most {cap} places can be filled by {label}s; {same} already are."
                    ),
                    source=source,
                )
            )
    if (
        "no_same_household" in (terms.eligibility_criteria or [])
        and proposed.household_reference
        and not _is_exempt(terms, "no_same_household", proposed.role)
        and any(s.household_reference == proposed.household_reference for s in members)
    ):
        reasons.append(
            Reason(
                code="membership.same_household",
                message="Another member of the same household or property already sits on the "
                "panel.",
                source=source_of(terms, "Eligibility"),
            )
        )
    return reasons


ELECTED_ROLES = ("chair", "vice_chair")


STAFF_ROLES = ("officer", "sponsor")


SEAT_ROLE_LABELS = {
    "chair": "chair",
    "vice_chair": "vice chair",
    "resident": "resident member",
    "associate": "associate member",
    "co_opted": "co-opted independent",
    "officer": "officer",
    "sponsor": "sponsor",
}


def role_change_refusals(
    *, terms: TermsOfReference, current_role: str, new_role: str
) -> list[Reason]:
    """Reasons a seat's role may not be changed outside an election: the chair and vice chair
    are elected; officers and sponsors are staff, not members; where the ToR lists its voting
    and non-voting roles, only those seats exist. Leaving the chair for another role is
    allowed. The seat rules (seat_refusals) still apply to the new role."""
    reasons: list[Reason] = []
    label = SEAT_ROLE_LABELS.get(new_role, new_role)
    if new_role == current_role:
        return [
            Reason(
                code="role.unchanged",
                message=f"The seat is already a {label} seat.",
                field="role",
            )
        ]
    if new_role in ELECTED_ROLES:
        reasons.append(
            Reason(
                code="role.elected_only",
                message=(
                    f"The {label} is elected by the panel: record an election instead of "
                    "changing the role."
                ),
                field="role",
                source=source_of(terms, "Chair and vice chair"),
            )
        )
    if (new_role in STAFF_ROLES) != (current_role in STAFF_ROLES):
        reasons.append(
            Reason(
                code="role.staff_seat",
                message=(
                    "Officers and sponsors attend as staff, not as panel members: a member's "
                    "seat cannot become a staff seat, nor the other way round."
                ),
                field="role",
                source=source_of(terms, "Membership"),
            )
        )
    listed = set(terms.voting_roles or []) | set(terms.non_voting_roles or [])
    if (
        listed
        and new_role not in listed
        and new_role not in ELECTED_ROLES
        and new_role not in STAFF_ROLES
    ):
        reasons.append(
            Reason(
                code="role.not_provided",
                message=f"The terms of reference provide no {label} seats.",
                field="role",
                source=source_of(terms, "Membership"),
            )
        )
    return reasons


@dataclass(frozen=True)
class OperatingState:
    members: int
    minimum: int | None
    maximum: int | None
    ideal: tuple[int | None, int | None]
    can_operate: bool
    reasons: list[Reason] = field(default_factory=list)


def operating_state(*, terms: TermsOfReference, current: Sequence[Seat]) -> OperatingState:
    """Whether the panel has the members its ToR needs to operate."""
    members = [s for s in current if counts_as_member(s.role)]
    reasons: list[Reason] = []
    source = source_of(terms, "Membership")
    if terms.min_members is not None and len(members) < terms.min_members:
        reasons.append(
            Reason(
                code="membership.below_minimum",
                message=(
                    f"The panel needs at least {terms.min_members} members to operate and has "
                    f"{len(members)}."
                ),
                source=source,
            )
        )
    if terms.min_resident_members is not None:
        leads = [s for s in members if s.role == "resident"]
        if len(leads) < terms.min_resident_members:
            reasons.append(
                Reason(
                    code="membership.below_minimum_residents",
                    message=(
                        f"The panel needs at least {terms.min_resident_members} resident members "
                        f"besides the chair and vice chair and has {len(leads)}."
                    ),
                    source=source,
                )
            )
    return OperatingState(
        members=len(members),
        minimum=terms.min_members,
        maximum=terms.max_members,
        ideal=(terms.ideal_min_members, terms.ideal_max_members),
        can_operate=not reasons,
        reasons=reasons,
    )


def period_end(starts_on: datetime.date, length: relativedelta) -> datetime.date:
    """The last day of a period of years or months starting on ``starts_on``: the day before
    the corresponding date (a term from 29 February 2024 ends on 28 February 2027; six
    months from 31 August end on the last day of February)."""
    return (starts_on - datetime.timedelta(days=1)) + length


def years_in_period(first: datetime.date, last: datetime.date) -> float:
    """The years from ``first`` to ``last``, both days included, counted in calendar periods
    as terms are (``period_end``): whole years while a year's period ends on or before
    ``last``, then the part of the next year's period served, by its own length. A term
    from 1 April 2024 to 31 March 2027 is 3 years; six months of a leap year's period is
    the part of that period's 366 days. Before ``first``: 0."""
    if last < first:
        return 0.0
    whole = last.year - first.year + 1
    while whole > 0 and period_end(first, relativedelta(years=whole)) > last:
        whole -= 1
    done = (
        period_end(first, relativedelta(years=whole))
        if whole
        else first - datetime.timedelta(days=1)
    )
    next_end = period_end(first, relativedelta(years=whole + 1))
    return whole + (last - done).days / (next_end - done).days


def years_served(
    periods: Sequence[tuple[datetime.date, datetime.date | None]], on: datetime.date
) -> float:
    """Years held in ``periods`` ((first day, last day or None while open)) up to ``on``,
    each period counted by ``years_in_period``, to two decimal places (chair years)."""
    total = 0.0
    for starts_on, ends_on in periods:
        if starts_on <= on:
            total += years_in_period(starts_on, min(ends_on or on, on))
    return round(total, 2)


def term_end(*, terms: TermsOfReference, starts_on: datetime.date) -> datetime.date | None:
    """The last day of a term starting on ``starts_on`` (None: the ToR states no term)."""
    if not terms.term_years:
        return None
    return period_end(starts_on, relativedelta(years=terms.term_years))


def max_terms(terms: TermsOfReference) -> int | None:
    if terms.term_years is None or terms.further_terms is None:
        return None
    return 1 + terms.further_terms


def service_limit(
    *, terms: TermsOfReference, first_started_on: datetime.date, with_extensions: bool = True
) -> datetime.date | None:
    """The last day a member may serve, counting from their first day.

    ``with_extensions``: include annual extensions up to the absolute limit (Stockport: 9
    years). Exceptional extensions (HFH) have no stated limit: None.
    """
    years = terms.max_years
    if with_extensions and terms.extension_kind == ExtensionKind.ANNUAL:
        years = terms.extension_limit_years or years
    if with_extensions and terms.extension_kind == ExtensionKind.EXCEPTIONAL:
        return None
    if years is None and terms.term_years and terms.further_terms is not None:
        years = terms.term_years * (1 + terms.further_terms)
    if years is None:
        return None
    return period_end(first_started_on, relativedelta(years=years))


def reappointment_refusals(
    *,
    terms: TermsOfReference,
    first_started_on: datetime.date,
    terms_served: int,
    new_term_starts_on: datetime.date,
) -> list[Reason]:
    """Reasons a member may not be re-appointed for a further term starting on that date."""
    source = source_of(terms, "Term of office")
    reasons: list[Reason] = []
    limit = max_terms(terms)
    if terms.step_down_at_term_end and not terms.further_terms:
        reasons.append(
            Reason(
                code="term.fixed_term",
                message=(
                    "Membership is for a fixed term; members step down at its end and may "
                    "re-apply through recruitment."
                ),
                source=source,
            )
        )
        return reasons
    if limit is not None and terms_served + 1 > limit:
        reasons.append(
            Reason(
                code="term.max_terms",
                message=(
                    f"Members may serve at most {limit} terms; this would be term "
                    f"{terms_served + 1}."
                ),
                source=source,
            )
        )
    cap = service_limit(terms=terms, first_started_on=first_started_on, with_extensions=False)
    new_end = term_end(terms=terms, starts_on=new_term_starts_on)
    if cap is not None and new_end is not None and new_end > cap:
        total_years = relativedelta(cap + datetime.timedelta(days=1), first_started_on).years
        reasons.append(
            Reason(
                code="term.max_years",
                message=(
                    f"Members may serve at most {total_years} years in total (to "
                    f"{cap:%d %B %Y}); a further term would run to {new_end:%d %B %Y}."
                ),
                source=source,
            )
        )
    return reasons


def extension_refusals(
    *,
    terms: TermsOfReference,
    first_started_on: datetime.date,
    current_end: datetime.date,
    extend_to: datetime.date,
    reason: str = "",
    terms_served: int | None = None,
) -> list[Reason]:
    """Reasons an extension beyond the normal terms may not be granted.

    Stockport: after two terms, annual extensions (at most a year each) up to nine years
    in all; HFH: beyond six years only in exceptional circumstances, which must be
    recorded. ``terms_served`` (if given) must already reach the normal number of terms.
    """
    source = source_of(terms, "Term of office")
    if terms.extension_kind == ExtensionKind.NONE:
        return [
            Reason(
                code="term.no_extensions",
                message="These terms of reference allow no extension beyond the terms.",
                source=source,
            )
        ]
    reasons: list[Reason] = []
    limit_terms = max_terms(terms)
    if terms_served is not None and limit_terms is not None and terms_served < limit_terms:
        reasons.append(
            Reason(
                code="term.extension_too_early",
                message=(
                    f"Extensions come after {limit_terms} full terms; this member has served "
                    f"{terms_served}: re-appoint them for a further term instead."
                ),
                source=source,
            )
        )
    if extend_to <= current_end:
        reasons.append(
            Reason(
                code="term.extension_not_later",
                message="An extension must end after the current end date.",
                field="extend_to",
                source=source,
            )
        )
    if terms.extension_kind == ExtensionKind.ANNUAL:
        if extend_to > current_end + relativedelta(years=1):
            reasons.append(
                Reason(
                    code="term.extension_annual",
                    message=(
                        f"Extensions are granted a year at a time: at most to "
                        f"{current_end + relativedelta(years=1):%d %B %Y}."
                    ),
                    field="extend_to",
                    source=source,
                )
            )
        limit = service_limit(terms=terms, first_started_on=first_started_on)
        if limit is not None and extend_to > limit:
            reasons.append(
                Reason(
                    code="term.extension_limit",
                    message=(
                        f"Membership can be extended to at most {terms.extension_limit_years} "
                        f"years in total, that is to {limit:%d %B %Y}."
                    ),
                    field="extend_to",
                    source=source,
                )
            )
    if terms.extension_kind == ExtensionKind.EXCEPTIONAL and not reason.strip():
        reasons.append(
            Reason(
                code="term.extension_exceptional_reason",
                message=(
                    "Tenure beyond the normal terms is only for exceptional circumstances "
                    "(e.g. a skills or experience shortage): record them."
                ),
                field="reason",
                source=source,
            )
        )
    return reasons


@dataclass(frozen=True)
class ChairFacts:
    is_board_chair: bool = False
    is_staff: bool = False
    years_as_chair: float = 0.0


def chair_term_years(
    *,
    terms: TermsOfReference,
    term_ends_on: datetime.date | None = None,
    on: datetime.date | None = None,
) -> float:
    """The years a spell as chair starting ``on`` adds towards the ToR's limit on years as
    chair: one where the chair is elected annually or the seat has no term end (nor the ToR
    a term); else the rest of the seat's term from ``on`` (calendar periods), or a whole
    term for a seat not yet made."""
    if terms.chair_elected_annually:
        return 1.0
    if term_ends_on is not None and on is not None:
        return round(years_in_period(on, term_ends_on), 2)
    if term_ends_on is None and on is not None:
        return 1.0
    return float(terms.term_years) if terms.term_years else 1.0


def chair_refusals(
    *, terms: TermsOfReference, facts: ChairFacts, years_of_new_term: float = 1.0
) -> list[Reason]:
    """Reasons a person may not be chair: Board chair, paid staff, years as chair."""
    source = source_of(terms, "Chair and vice chair")
    reasons: list[Reason] = []
    if terms.chair_not_board_chair and facts.is_board_chair:
        reasons.append(
            Reason(
                code="chair.board_chair",
                message="The chair must not be the Chair of the Board.",
                source=source,
            )
        )
    if terms.chair_not_staff and facts.is_staff:
        reasons.append(
            Reason(
                code="chair.staff",
                message="The chair must not be a paid member of staff.",
                source=source,
            )
        )
    if terms.chair_max_years is not None and (
        facts.years_as_chair + years_of_new_term > terms.chair_max_years + 1e-9
    ):
        reasons.append(
            Reason(
                code="chair.max_years",
                message=(
                    f"The chair can hold the position for at most {terms.chair_max_years} years; "
                    f"this person has been chair for {facts.years_as_chair:g}."
                ),
                source=source,
            )
        )
    return reasons


def chair_election_due(
    *, terms: TermsOfReference, last_elected_on: datetime.date | None, today: datetime.date
) -> bool:
    """Whether the chair and vice chair are due for election on ``today``.

    IVH: elected each April; HFH: elected annually. Never elected: due (unless an officer
    still leads the first meetings, which the caller checks with meetings_led_by_officer).
    False where the ToR states no annual election.
    """
    if not terms.chair_elected_annually:
        return False
    if last_elected_on is None:
        return True
    if terms.chair_election_month:
        month = terms.chair_election_month
        this_years = datetime.date(today.year, month, 1)
        latest_window = (
            this_years if today >= this_years else this_years.replace(year=today.year - 1)
        )
        return last_elected_on < latest_window
    return today >= last_elected_on + relativedelta(years=1)
