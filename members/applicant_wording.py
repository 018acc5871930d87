"""The public application form's refusals, said to the applicant.

The eligibility rules (panels.rules) speak of "this person", as officers read them when they
vet someone. An applicant reads them about themself, so each reason is said here in the
second person, with what they can do next, and put on the question it is about. The rule
and its code stay the rules'; only the words and the field change.
"""

import datetime

from members.forms import CRITERION_QUESTION
from panels.errors import Reason
from panels.models import Organisation, TermsOfReference


def _birthday(date_of_birth: datetime.date, years: int) -> datetime.date:
    try:
        return date_of_birth.replace(year=date_of_birth.year + years)
    except ValueError:  # born on 29 February
        return datetime.date(date_of_birth.year + years, 3, 1)


def _message(code: str, *, org: str, terms: TermsOfReference, details: dict, reason: Reason):
    criterion = code.removeprefix("eligibility.")
    born = details.get("date_of_birth")
    if criterion == "min_age":
        if born is None:
            return f"Enter your date of birth: members must be aged {terms.min_age} or over."
        return (
            f"You must be aged {terms.min_age} or over to join. You can apply from "
            f"{_birthday(born, terms.min_age):%-d %B %Y}. If your date of birth is wrong, "
            "correct it above."
        )
    if criterion == "eligible_tenure":
        allowed = ", ".join(t.replace("_", " ") for t in terms.eligible_tenures or [])
        return (
            f"The panel is open to: {allowed}. If you chose the wrong answer to "
            "\u201cYou are a\u201d, correct it above."
        )
    if criterion == "current_customer":
        return (
            f"The panel is for current customers of {org}. If you are one, contact the "
            "engagement officer (Help and contact, at the foot of the page)."
        )
    declared = {
        "not_employee": f"You told us you work for {org}: staff cannot sit on the panel.",
        "no_tenancy_breach_action": "You told us there is a current action against you for "
        "breaching your tenancy or lease. You can apply once it has ended.",
        "no_breach_court_order": f"You told us you are under a court order for breaching "
        f"your agreement with {org}. You can apply once it no longer applies.",
        "no_open_asb_case": "You told us you have an open anti-social behaviour case. You can "
        "apply once it is closed.",
        "no_arrears_action_or_dispute": f"You told us you have an arrears court action or a "
        f"legal dispute with {org}. You can apply once it is settled.",
        "no_ccj_or_nsp": f"You told us you have a County Court judgment in {org}'s favour or "
        "a Notice of Seeking Possession. You can apply once it no longer applies.",
        "not_on_other_board": "You told us you sit on the board of this or another housing "
        "organisation or partner. You could join after stepping down from that board.",
        "not_removed_under_code": "You told us you were removed as a member under the code "
        "of conduct. The engagement officer can talk to you about rejoining.",
        "not_excluded_for_behaviour": "You told us you have been excluded from past "
        "activities because of your behaviour. The engagement officer can talk it through "
        "with you.",
        "no_same_household": "You told us someone in your household already sits on the "
        "panel: only one person per household can. You could get involved in other ways: "
        "ask the engagement officer.",
    }
    if criterion in declared:
        return declared[criterion] + " If you ticked this by mistake, untick it and send again."
    if code == "eligibility.rejoin_barred":
        return reason.message.replace("This person retired", "You retired")
    return reason.message


def _field(code: str, form_fields) -> str | None:
    criterion = code.removeprefix("eligibility.")
    candidates = {
        "min_age": "date_of_birth",
        "eligible_tenure": "tenure_type",
        "no_same_household": "household_member_on_panel",
    }
    if criterion in CRITERION_QUESTION:
        candidates[criterion] = f"declare_{CRITERION_QUESTION[criterion]}"
    field = candidates.get(criterion)
    return field if field in form_fields else None


def for_applicant(
    reasons: list[Reason], *, org: Organisation, terms: TermsOfReference, details: dict, form_fields
) -> list[Reason]:
    """Each refusal in the applicant's own terms, on the question it is about."""
    said = []
    for reason in reasons:
        if not reason.code.startswith("eligibility."):
            said.append(reason)
            continue
        said.append(
            Reason(
                code=reason.code,
                message=_message(
                    reason.code, org=org.name, terms=terms, details=details, reason=reason
                ),
                field=_field(reason.code, form_fields) or reason.field,
                source=reason.source,
            )
        )
    return said
