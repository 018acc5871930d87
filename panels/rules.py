"""The terms-of-reference rules: pure functions every app asks, none re-implements.

Inputs are a ``TermsOfReference`` version (already fetched), its ``DeadlineRule`` rows
where needed, dates and plain facts; outputs are values or lists of ``Reason``. No
queries and no ``now()`` here: callers pass ``today``. A rule the document does not
state is empty on the version and these functions treat it as "no such rule".
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta

from panels.errors import Reason
from panels.models import (
    AbsenceConsequence,
    Cadence,
    DeadlineDirection,
    DeadlineKind,
    DeadlineRule,
    DeadlineUnit,
    DecisionMethod,
    ExtensionKind,
    Nation,
    QuorumKind,
    TermsOfReference,
)

# --- Sources ------------------------------------------------------------------------


def source_of(terms: TermsOfReference, section: str = "") -> str:
    """Where a rule comes from, for messages: "<title> (v2), Membership"."""
    title = terms.title or "Terms of reference"
    where = f"{title} (v{terms.version})"
    return f"{where}, {section}" if section else where


# --- Working days -------------------------------------------------------------------

# The holidays package computes any year; these bounds only stop a typo (year 20026)
# from silently producing a date nobody meant.
CALENDAR_MIN_YEAR = 1970
CALENDAR_MAX_YEAR = 2200


class CalendarOutOfRange(ValueError):
    """A working-day question about a date outside the years the calendar covers."""


@lru_cache(maxsize=64)
def _bank_holidays(nation: str, year: int) -> frozenset[datetime.date]:
    if not CALENDAR_MIN_YEAR <= year <= CALENDAR_MAX_YEAR:
        raise CalendarOutOfRange(
            f"Working days can be computed for {CALENDAR_MIN_YEAR}–{CALENDAR_MAX_YEAR}, not {year}."
        )
    return frozenset(holidays.country_holidays("GB", subdiv=nation, years=year).keys())


@dataclass(frozen=True)
class WorkingCalendar:
    """Weekdays that are neither a bank holiday of the nation nor an organisation closure day."""

    nation: str = Nation.ENGLAND
    closures: frozenset[datetime.date] = frozenset()

    def is_working_day(self, day: datetime.date) -> bool:
        return (
            day.weekday() < 5
            and day not in _bank_holidays(self.nation, day.year)
            and day not in self.closures
        )

    def holiday_name(self, day: datetime.date) -> str | None:
        if day in self.closures:
            return "closure day"
        if day not in _bank_holidays(self.nation, day.year):
            return None
        return holidays.country_holidays("GB", subdiv=self.nation, years=day.year).get(day)

    def step(self, start: datetime.date, count: int, direction: int) -> datetime.date:
        """The ``count``-th working day counting from the day after (direction +1) or the day
        before (direction -1) ``start``."""
        if count <= 0:
            raise ValueError("A working-day count must be positive.")
        day = start
        found = 0
        while found < count:
            day += datetime.timedelta(days=direction)
            if self.is_working_day(day):
                found += 1
        return day

    def working_days_before(self, day: datetime.date, count: int) -> datetime.date:
        """ "N working days before D": the N-th working day counting back from D-1."""
        return self.step(day, count, -1)

    def working_days_after(self, day: datetime.date, count: int) -> datetime.date:
        """ "Within N working days of D": the N-th working day counting on from D+1."""
        return self.step(day, count, +1)

    def last_working_day_on_or_before(self, day: datetime.date) -> datetime.date:
        return day if self.is_working_day(day) else self.step(day, 1, -1)

    def count_working_days(self, first: datetime.date, last: datetime.date) -> int:
        """Working days from first to last, both included."""
        total = 0
        day = first
        while day <= last:
            total += self.is_working_day(day)
            day += datetime.timedelta(days=1)
        return total


# --- Deadlines ----------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingDeadline:
    kind: str
    label: str
    due_on: datetime.date
    direction: str
    rule_text: str
    channel: str = ""
    # The last working day on or before ``due_on``: when a calendar-day deadline falls on a
    # weekend, bank holiday or closure day, the work has to be done by this day.
    last_working_day_on: datetime.date | None = None


def deadline_rule_text(rule: DeadlineRule) -> str:
    amount_unit = f"{rule.amount} {DeadlineUnit(rule.unit).label}"
    if rule.amount == 1:
        amount_unit = amount_unit.rstrip("s").replace("days", "day")
    channel = {"post": " by post", "electronic": " electronically"}.get(rule.channel, "")
    return f"{amount_unit} {DeadlineDirection(rule.direction).label}{channel}"


def deadline_date(
    rule: DeadlineRule, meeting_date: datetime.date, calendar: WorkingCalendar
) -> datetime.date:
    """The date a deadline falls on for a meeting on ``meeting_date``.

    Calendar days and weeks count from the meeting date itself ("no less than 7 days
    before" a meeting on the 15th is the 8th); working days count from the day before
    (or after) the meeting, skipping weekends, bank holidays and closure days.
    """
    before = rule.direction == DeadlineDirection.BEFORE
    if rule.unit == DeadlineUnit.WORKING_DAYS:
        if before:
            return calendar.working_days_before(meeting_date, rule.amount)
        return calendar.working_days_after(meeting_date, rule.amount)
    days = rule.amount * (7 if rule.unit == DeadlineUnit.WEEKS else 1)
    delta = datetime.timedelta(days=days)
    return meeting_date - delta if before else meeting_date + delta


def meeting_deadlines(
    *,
    deadline_rules: Iterable[DeadlineRule],
    meeting_date: datetime.date,
    calendar: WorkingCalendar,
) -> list[MeetingDeadline]:
    """Every deadline of the ToR for one meeting, in date order."""
    deadlines = [
        MeetingDeadline(
            kind=rule.kind,
            label=DeadlineKind(rule.kind).label,
            due_on=due_on,
            direction=rule.direction,
            rule_text=deadline_rule_text(rule),
            channel=rule.channel,
            last_working_day_on=calendar.last_working_day_on_or_before(due_on),
        )
        for rule in deadline_rules
        for due_on in [deadline_date(rule, meeting_date, calendar)]
    ]
    return sorted(deadlines, key=lambda d: (d.due_on, d.kind))


def deadline_for(
    *,
    kind: str,
    deadline_rules: Iterable[DeadlineRule],
    meeting_date: datetime.date,
    calendar: WorkingCalendar,
) -> MeetingDeadline | None:
    for deadline in meeting_deadlines(
        deadline_rules=deadline_rules, meeting_date=meeting_date, calendar=calendar
    ):
        if deadline.kind == kind:
            return deadline
    return None


def request_in_time(
    *,
    kind: str,
    deadline_rules: Iterable[DeadlineRule],
    meeting_date: datetime.date,
    requested_on: datetime.date,
    calendar: WorkingCalendar,
    terms: TermsOfReference,
) -> list[Reason]:
    """Refusal reasons for a request made on ``requested_on`` against a 'before' deadline
    (agenda proposals, staff attendance requests); none if in time or no rule."""
    deadline = deadline_for(
        kind=kind, deadline_rules=deadline_rules, meeting_date=meeting_date, calendar=calendar
    )
    if deadline is None or requested_on <= deadline.due_on:
        return []
    return [
        Reason(
            code=f"deadline.{kind}.missed",
            message=(
                f"{deadline.label} must be made at least {deadline.rule_text} "
                f"(by {deadline.due_on:%A %d %B %Y}); this one was made on "
                f"{requested_on:%d %B %Y}."
            ),
            source=source_of(terms, "Meetings"),
        )
    ]


# --- Eligibility --------------------------------------------------------------------

ELIGIBILITY_CRITERIA: dict[str, str] = {
    "min_age": "Meets the minimum age",
    "current_customer": "Is a current customer or resident",
    "eligible_tenure": "Holds a tenure the panel is open to",
    "not_employee": "Is not an employee of the organisation",
    "no_tenancy_breach_action": "Has no current action for breach of tenancy or lease",
    "no_breach_court_order": "Is under no court order for breach of their agreement",
    "no_open_asb_case": "Has no open anti-social behaviour case",
    "no_arrears_action_or_dispute": "Has no arrears court action or legal dispute",
    "no_ccj_or_nsp": "Has no County Court judgment for the organisation or Notice of Seeking "
    "Possession",
    "not_on_other_board": "Does not sit on the organisation's or another housing or partner board",
    "not_removed_under_code": "Has not been removed under the code of conduct",
    "no_same_household": "No other member lives in the same household or property",
    "recruitment_completed": "Has completed the recruitment process",
    "core_training_completed": "Has completed core training",
    "not_excluded_for_behaviour": "Has not been excluded from activities for behaviour",
    "not_barred_from_rejoining": "Is not barred from rejoining after retiring for absences",
}


# The PersonFacts field each criterion reads (named in reasons, forms and API errors).
CRITERION_FACT: dict[str, str] = {
    "min_age": "date_of_birth",
    "current_customer": "is_current_customer",
    "eligible_tenure": "tenure_type",
    "not_employee": "is_employee",
    "no_tenancy_breach_action": "tenancy_breach_action",
    "no_breach_court_order": "breach_court_order",
    "no_open_asb_case": "open_asb_case",
    "no_arrears_action_or_dispute": "arrears_action_or_dispute",
    "no_ccj_or_nsp": "ccj_or_nsp",
    "not_on_other_board": "on_other_board",
    "not_removed_under_code": "removed_under_code",
    "no_same_household": "household_member_on_panel",
    "recruitment_completed": "recruitment_completed",
    "core_training_completed": "core_training_completed",
    "not_excluded_for_behaviour": "excluded_for_behaviour",
    "not_barred_from_rejoining": "rejoin_barred_until",
}


@dataclass(frozen=True)
class PersonFacts:
    """What the eligibility rules need to know about a person, as of ``today``."""

    date_of_birth: datetime.date | None = None
    tenure_type: str = "tenant"
    is_current_customer: bool = True
    is_employee: bool = False
    tenancy_breach_action: bool = False
    breach_court_order: bool = False
    open_asb_case: bool = False
    arrears_action_or_dispute: bool = False
    ccj_or_nsp: bool = False
    on_other_board: bool = False
    removed_under_code: bool = False
    excluded_for_behaviour: bool = False
    household_member_on_panel: bool = False
    recruitment_completed: bool = False
    core_training_completed: bool = False
    rejoin_barred_until: datetime.date | None = None


def age_on(date_of_birth: datetime.date, today: datetime.date) -> int:
    return relativedelta(today, date_of_birth).years


def _is_exempt(terms: TermsOfReference, code: str, seat_role: str | None) -> bool:
    return bool(seat_role) and seat_role in (terms.eligibility_exemptions or {}).get(code, [])


def eligibility_reasons(
    *,
    terms: TermsOfReference,
    facts: PersonFacts,
    today: datetime.date,
    seat_role: str | None = None,
) -> list[Reason]:
    """Every reason the person may not sit on the panel, in plain words (empty: eligible).

    Only the criteria this ToR switches on are checked; exemptions apply per seat role
    (HFH: someone co-opted for their skills may live with another member).
    """
    enabled = set(terms.eligibility_criteria or [])
    source = source_of(terms, "Eligibility")
    reasons: list[Reason] = []

    def check(code: str, failed: bool, message: str) -> None:
        if code in enabled and failed and not _is_exempt(terms, code, seat_role):
            reasons.append(
                Reason(
                    code=f"eligibility.{code}",
                    message=message,
                    field=CRITERION_FACT[code],
                    source=source,
                )
            )

    if "min_age" in enabled and terms.min_age:
        if facts.date_of_birth is None:
            check(
                "min_age",
                True,
                f"Members must be aged {terms.min_age} or over; we need a date "
                "of birth to check this.",
            )
        else:
            age = age_on(facts.date_of_birth, today)
            check(
                "min_age",
                age < terms.min_age,
                f"Members must be aged {terms.min_age} or over; this person is {age}.",
            )
    check(
        "current_customer",
        not facts.is_current_customer,
        "Members must be current customers (residents); this person is not.",
    )
    if "eligible_tenure" in enabled and terms.eligible_tenures:
        allowed = ", ".join(t.replace("_", " ") for t in terms.eligible_tenures)
        check(
            "eligible_tenure",
            facts.tenure_type not in terms.eligible_tenures,
            f"The panel is open to: {allowed}; this person is a "
            f"{facts.tenure_type.replace('_', ' ')}.",
        )
    check("not_employee", facts.is_employee, "Employees of the organisation cannot be members.")
    check(
        "no_tenancy_breach_action",
        facts.tenancy_breach_action,
        "There is a current action against this person for breaching their tenancy or lease.",
    )
    check(
        "no_breach_court_order",
        facts.breach_court_order,
        "This person is under a court order for breach of their agreement with the organisation.",
    )
    check(
        "no_open_asb_case",
        facts.open_asb_case,
        "This person has an open anti-social behaviour case.",
    )
    check(
        "no_arrears_action_or_dispute",
        facts.arrears_action_or_dispute,
        "This person has an outstanding arrears court action or legal dispute with the "
        "organisation.",
    )
    check(
        "no_ccj_or_nsp",
        facts.ccj_or_nsp,
        "This person is subject to a County Court judgment in the organisation's favour or a "
        "Notice of Seeking Possession.",
    )
    check(
        "not_on_other_board",
        facts.on_other_board,
        "This person sits on the board of the organisation or of another housing organisation "
        "or business partner.",
    )
    check(
        "not_removed_under_code",
        facts.removed_under_code,
        "This person was removed as a member under the code of conduct.",
    )
    check(
        "no_same_household",
        facts.household_member_on_panel,
        "Another member of this person's household (or property) already sits on the panel.",
    )
    check(
        "recruitment_completed",
        not facts.recruitment_completed,
        "The panel's recruitment process has not been completed.",
    )
    check(
        "core_training_completed",
        not facts.core_training_completed,
        "Core training has not been completed.",
    )
    check(
        "not_excluded_for_behaviour",
        facts.excluded_for_behaviour,
        "This person has been excluded from past activities because of their behaviour.",
    )
    if facts.rejoin_barred_until and today < facts.rejoin_barred_until:
        reasons.append(
            Reason(
                code="eligibility.rejoin_barred",
                field="rejoin_barred_until",
                message=(
                    "This person retired automatically after consecutive absences and may not "
                    f"rejoin until {facts.rejoin_barred_until:%d %B %Y}."
                ),
                source=source_of(terms, "Attendance"),
            )
        )
    return reasons


# --- Seats --------------------------------------------------------------------------


@dataclass(frozen=True)
class Seat:
    """A current seat (or a proposed one), as far as the seat rules care."""

    role: str
    tenure_type: str
    household_reference: str = ""


def is_voting_role(terms: TermsOfReference, role: str) -> bool:
    """Whether a seat role votes and counts for quorum (associates and co-optees do not where
    the ToR says so; officers and sponsors never do)."""
    if terms.voting_roles:
        return role in terms.voting_roles
    return role not in set(terms.non_voting_roles or []) | {"officer", "sponsor"}


def counts_as_member(role: str) -> bool:
    """Officers and sponsors attend but are not panel members for size and quorum."""
    return role not in {"officer", "sponsor"}


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


# --- Terms of office ----------------------------------------------------------------


def period_end(starts_on: datetime.date, length: relativedelta) -> datetime.date:
    """The last day of a period of years or months starting on ``starts_on``: the day before
    the corresponding date (a term from 29 February 2024 ends on 28 February 2027; six
    months from 31 August end on the last day of February)."""
    return (starts_on - datetime.timedelta(days=1)) + length


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


# --- Chair --------------------------------------------------------------------------


@dataclass(frozen=True)
class ChairFacts:
    is_board_chair: bool = False
    is_staff: bool = False
    years_as_chair: float = 0.0


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


# --- Quorum -------------------------------------------------------------------------


@dataclass(frozen=True)
class QuorumState:
    required: int | None
    present: int
    is_quorate: bool
    short_by: int
    rule_text: str
    source: str

    @property
    def reason(self) -> Reason | None:
        if self.is_quorate:
            return None
        return Reason(
            code="quorum.not_met",
            message=(
                f"The meeting is not quorate: {self.rule_text} ({self.required} needed, "
                f"{self.present} present, {self.short_by} more needed)."
            ),
            source=self.source,
        )


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
    return "no quorum is stated"


def quorum_state(*, terms: TermsOfReference, membership: int, present_voting: int) -> QuorumState:
    """Is a meeting quorate with ``present_voting`` voting members present out of ``membership``
    voting members, and how many more are needed."""
    if membership < 0 or present_voting < 0:
        raise ValueError("Member counts cannot be negative.")
    required = quorum_required(terms=terms, membership=membership)
    if required is None:
        return QuorumState(
            None, present_voting, True, 0, quorum_rule_text(terms), source_of(terms, "Quorum")
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


# --- Decisions ----------------------------------------------------------------------


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


# --- Attendance ---------------------------------------------------------------------


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


# --- Cadence ------------------------------------------------------------------------


@dataclass(frozen=True)
class CadenceState:
    year: int
    required: int | None
    held: int
    planned: int
    months_without_meeting: list[int]
    quarters_without_meeting: list[int]
    met: bool
    at_risk: bool
    message: str


def meetings_required_per_year(terms: TermsOfReference) -> int | None:
    if terms.min_meetings_per_year:
        return terms.min_meetings_per_year
    return {Cadence.MONTHLY: 12, Cadence.QUARTERLY: 4}.get(terms.cadence)


def cadence_state(
    *,
    terms: TermsOfReference,
    year: int,
    held: Iterable[datetime.date],
    planned: Iterable[datetime.date],
    today: datetime.date,
) -> CadenceState:
    """Whether a calendar year's meetings meet the ToR cadence, and whether it is at risk.

    ``held``: meetings that took place; ``planned``: meetings still to come (not cancelled).
    At risk means the meetings held plus those planned fall short of the requirement, or a
    month (monthly) or quarter (quarterly) still open has nothing planned.
    """
    held_dates = sorted(d for d in held if d.year == year)
    planned_dates = sorted(d for d in planned if d.year == year)
    all_dates = held_dates + planned_dates
    required = meetings_required_per_year(terms)
    months_missing: list[int] = []
    quarters_missing: list[int] = []
    if terms.cadence == Cadence.MONTHLY:
        covered = {d.month for d in all_dates}
        months_missing = [m for m in range(1, 13) if m not in covered]
    if terms.cadence == Cadence.QUARTERLY:
        covered = {(d.month - 1) // 3 + 1 for d in all_dates}
        quarters_missing = [q for q in range(1, 5) if q not in covered]
    if required is None:
        return CadenceState(
            year,
            None,
            len(held_dates),
            len(planned_dates),
            [],
            [],
            True,
            False,
            "The terms of reference state no meeting cadence.",
        )
    met = (
        len(held_dates) >= required
        and not (
            [m for m in months_missing if datetime.date(year, m, 1) <= today]
            if terms.cadence == Cadence.MONTHLY
            else []
        )
        and not quarters_missing
    )
    at_risk = (not met) and (
        len(all_dates) < required or bool(months_missing) or bool(quarters_missing)
    )
    if met:
        message = f"{len(held_dates)} of at least {required} meetings held in {year}."
    elif at_risk:
        gaps = ""
        if months_missing:
            gaps = (
                " No meeting in "
                + ", ".join(datetime.date(year, m, 1).strftime("%B") for m in months_missing)
                + "."
            )
        if quarters_missing:
            gaps = " No meeting in quarter " + ", ".join(str(q) for q in quarters_missing) + "."
        message = (
            f"At risk: {len(held_dates)} held and {len(planned_dates)} planned in {year}, "
            f"but the terms of reference need at least {required}.{gaps}"
        )
    else:
        message = (
            f"On track: {len(held_dates)} held and {len(planned_dates)} planned of at "
            f"least {required} in {year}."
        )
    if year < today.year and not met:
        message = (
            f"Missed: {len(held_dates)} meetings held in {year}; the terms of reference "
            f"need at least {required}."
        )
    return CadenceState(
        year,
        required,
        len(held_dates),
        len(planned_dates),
        months_missing,
        quarters_missing,
        met,
        at_risk,
        message,
    )


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


# --- Leave and money ----------------------------------------------------------------


def leave_refusals(
    *, terms: TermsOfReference, starts_on: datetime.date, ends_on: datetime.date
) -> list[Reason]:
    """Reasons a leave of absence may not be granted (Stockport: at most six months)."""
    source = source_of(terms, "Leave of absence")
    if ends_on < starts_on:
        return [
            Reason(
                code="leave.dates",
                message="Leave must end on or after its first day.",
                field="ends_on",
                source=source,
            )
        ]
    if terms.leave_max_months:
        latest_end = period_end(starts_on, relativedelta(months=terms.leave_max_months))
        if ends_on > latest_end:
            return [
                Reason(
                    code="leave.too_long",
                    message=(
                        f"Leave of absence may be at most {terms.leave_max_months} months: "
                        f"from {starts_on:%d %B %Y} it must end by {latest_end:%d %B %Y}."
                    ),
                    field="ends_on",
                    source=source,
                )
            ]
    return []


PENNY = Decimal("0.01")


def annual_remuneration(
    *,
    terms: TermsOfReference,
    is_chair: bool,
    meetings_held: int,
    meetings_attended: int,
    days_on_leave: int = 0,
    days_in_year: int = 365,
) -> Decimal:
    """A member's remuneration for a year under the ToR (Stockport: up to £500, chair £600,
    subject to attendance, paused during leave). Zero where the ToR pays none."""
    maximum = terms.remuneration_chair_annual if is_chair else terms.remuneration_member_annual
    if maximum is None and is_chair:
        maximum = terms.remuneration_member_annual
    if not maximum:
        return Decimal("0.00")
    amount = Decimal(maximum)
    if terms.remuneration_subject_to_attendance:
        if meetings_held <= 0:
            return Decimal("0.00")
        amount = amount * Decimal(min(meetings_attended, meetings_held)) / Decimal(meetings_held)
    if terms.payments_pause_on_leave and days_on_leave > 0:
        active_days = max(0, days_in_year - days_on_leave)
        amount = amount * Decimal(active_days) / Decimal(days_in_year)
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def voucher_earned(*, terms: TermsOfReference, attended: bool, papers_read: bool) -> bool:
    """IVH: members who attend and review the performance information beforehand get vouchers."""
    if not terms.vouchers_for_attendance:
        return False
    return attended and (papers_read or not terms.vouchers_require_papers_read)


def expense_refusals(
    *, terms: TermsOfReference, has_receipt: bool, amount: Decimal
) -> list[Reason]:
    source = source_of(terms, "Expenses")
    reasons: list[Reason] = []
    if amount <= 0:
        reasons.append(
            Reason(
                code="expenses.amount",
                message="An expense must be above £0.",
                field="amount",
                source=source,
            )
        )
    if not terms.expenses_policy:
        reasons.append(
            Reason(
                code="expenses.none",
                message="These terms of reference provide for no expenses.",
                source=source,
            )
        )
    if terms.expenses_need_receipts and not has_receipt:
        reasons.append(
            Reason(
                code="expenses.receipt_required",
                message="Expense claims must be supported by receipts.",
                field="receipt",
                source=source,
            )
        )
    return reasons


# --- Review of the ToR itself -------------------------------------------------------


def terms_review_due(terms: TermsOfReference, today: datetime.date) -> bool:
    return terms.review_due_on is not None and today >= terms.review_due_on


# --- Scrutiny -------------------------------------------------------------------------


def champion_refusals(*, terms: TermsOfReference, priorities_championed: int) -> list[Reason]:
    """Reasons a resident lead may not champion one more priority (HFH: up to two each)."""
    limit = terms.champion_max_priorities
    if limit is None or priorities_championed < limit:
        return []
    return [
        Reason(
            code="champion.too_many_priorities",
            message=(
                f"A resident lead may champion at most {limit} priorities; this one already "
                f"champions {priorities_championed}."
            ),
            field="person",
            source=source_of(terms, "Membership: resident leads"),
        )
    ]


@dataclass(frozen=True)
class ReviewProgress:
    """Service reviews completed in a year against the ToR's annual target."""

    target: int | None
    completed: int

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.completed >= self.target

    @property
    def remaining(self) -> int:
        return 0 if self.target is None else max(self.target - self.completed, 0)


def review_progress(*, terms: TermsOfReference | None, completed: int) -> ReviewProgress:
    """Completed reviews against the annual target (THT: aim to complete three a year)."""
    target = terms.scrutiny_reviews_per_year if terms is not None else None
    return ReviewProgress(target=target, completed=completed)


NOTICE_TO_ACT_MOTION = "notice_to_act"


def notice_to_act_power(*, terms: TermsOfReference | None) -> bool:
    """Whether the panel may serve a Notice to Act on the Board: only where its ToR makes it a
    motion carried by a majority of all members (Stockport ToR, Role of the panel)."""
    return terms is not None and NOTICE_TO_ACT_MOTION in (terms.all_member_majority_motions or [])


# --- Recruitment --------------------------------------------------------------------


def selection_panel_refusals(*, terms: TermsOfReference, panel_members: int) -> list[Reason]:
    """Reasons a selection may not be made by a selection panel of ``panel_members`` of the
    panel's members (HFH: at least two Residents' group members)."""
    needed = terms.selection_panel_min_members
    if not needed or panel_members >= needed:
        return []
    return [
        Reason(
            code="recruitment.selection_panel_too_small",
            message=(
                f"Selection must be made by at least {needed} panel members; "
                f"{panel_members} took part."
            ),
            field="panel_members",
            source=source_of(terms, "Recruitment"),
        )
    ]
