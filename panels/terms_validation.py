"""Validation of a terms-of-reference version: contradictory rules are refused with the
field and the reason. Called from TermsOfReference.clean() and the services."""

from decimal import Decimal

from panels.criteria import ELIGIBILITY_CRITERIA
from panels.errors import Reason

SEAT_ROLES = {"chair", "vice_chair", "resident", "associate", "co_opted", "officer", "sponsor"}
TENURES = {"tenant", "leaseholder", "shared_owner", "household_member"}
PAYMENT_METHODS = {"bacs", "vouchers"}
NUMBER_FIELDS = (
    "min_members",
    "max_members",
    "ideal_min_members",
    "ideal_max_members",
    "min_resident_members",
    "min_age",
    "term_years",
    "further_terms",
    "max_years",
    "extension_limit_years",
    "chair_max_years",
    "officer_led_meetings",
    "min_meetings_per_year",
    "quorum_number",
    "absence_limit",
    "rejoin_bar_years",
    "leave_max_months",
    "scrutiny_reviews_per_year",
    "champion_max_priorities",
    "selection_panel_min_members",
)
# A rule stated as 0 means nothing; unset says "not stated".
AT_LEAST_ONE_FIELDS = (
    "max_members",
    "term_years",
    "max_years",
    "quorum_number",
    "absence_limit",
    "leave_max_months",
    "min_meetings_per_year",
)


def terms_problems(terms) -> list[Reason]:
    """Every contradiction in a ToR version's values, each naming its field."""
    problems: list[Reason] = []

    def problem(field: str, message: str) -> None:
        problems.append(Reason(code=f"terms.{field}", message=message, field=field))

    def pair(low_field: str, high_field: str, low_label: str, high_label: str) -> None:
        low, high = getattr(terms, low_field), getattr(terms, high_field)
        if low is not None and high is not None and low > high:
            problem(low_field, f"{low_label} ({low}) is above {high_label} ({high}).")

    for name in NUMBER_FIELDS:
        value = getattr(terms, name, None)
        if value is not None and value < 0:
            problem(name, f"{name.replace('_', ' ')} ({value}) cannot be negative.")
    for name in AT_LEAST_ONE_FIELDS:
        value = getattr(terms, name, None)
        if value is not None and value == 0:
            problem(name, f"{name.replace('_', ' ')} cannot be 0: leave it empty if not stated.")
    pair("min_members", "max_members", "minimum members", "maximum")
    pair("ideal_min_members", "ideal_max_members", "ideal minimum members", "ideal maximum")
    pair("ideal_max_members", "max_members", "ideal maximum members", "maximum")
    pair("min_members", "ideal_min_members", "minimum members", "ideal minimum")
    pair("min_resident_members", "max_members", "minimum resident members", "maximum members")
    pair("max_years", "extension_limit_years", "maximum years", "extension limit")
    if terms.term_years and terms.max_years is not None and terms.max_years < terms.term_years:
        problem(
            "max_years",
            f"maximum years ({terms.max_years}) is below one term ({terms.term_years} years).",
        )
    if terms.further_terms is not None and not terms.term_years:
        problem("term_years", "further terms need the length of a term.")
    if terms.extension_limit_years is not None and not terms.extension_kind:
        problem("extension_kind", "an extension limit is set but no kind of extension.")
    if terms.rejoin_bar_years and terms.absence_consequence != "retire":
        problem(
            "rejoin_bar_years",
            "a bar on rejoining follows only automatic retirement for absences.",
        )
    if terms.cadence == "min_per_year" and not terms.min_meetings_per_year:
        problem("min_meetings_per_year", "a minimum number of meetings a year needs the number.")
    if terms.quorum_fraction is not None and not (0 < Decimal(terms.quorum_fraction) <= 1):
        problem(
            "quorum_fraction",
            f"quorum fraction ({terms.quorum_fraction}) must be above 0 and at most 1.",
        )
    if terms.quorum_kind == "fraction" and terms.quorum_fraction is None:
        problem("quorum_fraction", "a quorum by fraction of the membership needs the fraction.")
    if terms.quorum_kind == "fixed" and not terms.quorum_number:
        problem("quorum_number", "a fixed quorum needs the number of members.")
    if (
        terms.quorum_kind == "fixed"
        and terms.quorum_number
        and terms.max_members is not None
        and terms.quorum_number > terms.max_members
    ):
        problem(
            "quorum_number",
            f"quorum ({terms.quorum_number}) is above the maximum "
            f"membership ({terms.max_members}).",
        )
    if terms.chair_election_month is not None and not 1 <= terms.chair_election_month <= 12:
        problem("chair_election_month", f"month ({terms.chair_election_month}) must be 1–12.")
    if terms.extension_kind == "annual" and terms.extension_limit_years is None:
        problem("extension_limit_years", "annual extensions need the absolute limit in years.")
    if terms.absence_consequence and not terms.absence_limit:
        problem("absence_limit", "an absence consequence needs the number of absences.")
    if terms.absence_limit and not terms.absence_consequence:
        problem("absence_consequence", "say what follows the absences (retirement or a flag).")
    for name in ("remuneration_member_annual", "remuneration_chair_annual"):
        value = getattr(terms, name)
        if value is not None and value < 0:
            problem(name, f"remuneration ({value}) cannot be negative.")
    if (
        terms.usual_start_time
        and terms.usual_end_time
        and (terms.usual_end_time <= terms.usual_start_time)
    ):
        problem("usual_end_time", "the usual end time must be after the start time.")
    if terms.effective_from is None:
        problem("effective_from", "effective from is required: the date this version applies.")
    if terms.review_due_on and terms.approved_on and terms.review_due_on < terms.approved_on:
        problem("review_due_on", "the review date is before the approval date.")
    if terms.review_due_on and terms.effective_from and terms.review_due_on < terms.effective_from:
        problem(
            "review_due_on",
            f"the review date ({terms.review_due_on:%d %B %Y}) is before the date this version "
            f"takes effect ({terms.effective_from:%d %B %Y}).",
        )
    for name, allowed, label in (
        ("voting_roles", SEAT_ROLES, "seat role"),
        ("non_voting_roles", SEAT_ROLES, "seat role"),
        ("eligible_tenures", TENURES, "tenure type"),
        ("eligibility_criteria", set(ELIGIBILITY_CRITERIA), "eligibility criterion"),
        ("all_member_majority_motions", None, "motion kind"),
        ("payment_methods", PAYMENT_METHODS, "payment method"),
        ("escalation_steps", None, "step"),
    ):
        value = getattr(terms, name) or []
        if not isinstance(value, list):
            problem(name, f"{name.replace('_', ' ')} must be a list.")
            continue
        if allowed is None:
            continue
        unknown = sorted(set(value) - allowed)
        if unknown:
            problem(name, f"unknown {label}: {', '.join(map(str, unknown))}.")
    overlap = set(terms.voting_roles or []) & set(terms.non_voting_roles or [])
    if overlap:
        problem("non_voting_roles", f"{', '.join(sorted(overlap))} cannot both vote and not vote.")
    caps = terms.tenure_caps or {}
    if not isinstance(caps, dict) or any(
        k not in TENURES or not isinstance(v, int) or v < 0 for k, v in caps.items()
    ):
        problem(
            "tenure_caps",
            'tenure caps must map a tenure type to a number, e.g. {"leaseholder": 2}.',
        )
    exemptions = terms.eligibility_exemptions or {}
    if not isinstance(exemptions, dict) or any(
        k not in ELIGIBILITY_CRITERIA or not set(v) <= SEAT_ROLES for k, v in exemptions.items()
    ):
        problem("eligibility_exemptions", "exemptions must map a criterion to seat roles.")
    if "min_age" in (terms.eligibility_criteria or []) and not terms.min_age:
        problem("min_age", "the minimum age criterion is on but no age is set.")
    return problems
