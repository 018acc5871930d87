"""Eligibility to join the panel and to sit on a selection panel."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from panels.errors import Reason
from panels.models import TermsOfReference
from panels.rules._common import _is_exempt, source_of

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
