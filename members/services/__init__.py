"""Changes to people, seats, recruitment, conduct and money, one module per concept. Every
rule comes from panels.rules and the terms of reference in force on the date concerned.

The public names are re-exported here, so callers say ``from members import services`` or
``from members.services import membership_appoint`` whichever module holds the function.
"""

from members.services._common import (
    CHAIR_ROLES,
    DEFERRED_AT_APPLICATION,
    MEMBERSHIP_AUDIT_FIELDS,
)
from members.services.chair import chair_election_record
from members.services.conduct import (
    conduct_sign,
    interest_declare,
    interest_end,
    review_record,
    training_record,
)
from members.services.dated import (
    SEAT_DATES_BATCH,
    membership_end_term,
    seat_dates_apply,
)
from members.services.leave import (
    leave_begin,
    leave_end,
    leave_grant,
    leave_lapse,
)
from members.services.pay import (
    expense_claim_decide,
    expense_claim_submit,
    papers_read_record,
    person_payment_method_choose,
)
from members.services.people import (
    CONTACT_FIELDS,
    PERSON_FIELDS,
    declaration_end,
    declaration_record,
    person_contact_update,
    person_create,
    person_update,
    remark_add,
)
from members.services.recruitment import (
    application_decide,
    application_enter,
    application_record_step,
    application_submit_public,
    vacancy_create,
)
from members.services.removal import (
    FLAG_DECISIONS,
    membership_flag_for_removal,
    membership_remove,
    membership_retire_for_attendance,
    membership_step_down,
    removal_appeal_decide,
    removal_flag_decide,
)
from members.services.seats import (
    membership_activate,
    membership_appoint,
    membership_change_role,
    membership_extend,
    membership_invite_appointee,
    membership_reappoint,
)

__all__ = [
    "CHAIR_ROLES",
    "DEFERRED_AT_APPLICATION",
    "FLAG_DECISIONS",
    "MEMBERSHIP_AUDIT_FIELDS",
    "PERSON_FIELDS",
    "SEAT_DATES_BATCH",
    "application_decide",
    "application_enter",
    "application_record_step",
    "application_submit_public",
    "chair_election_record",
    "conduct_sign",
    "declaration_end",
    "declaration_record",
    "expense_claim_decide",
    "expense_claim_submit",
    "person_payment_method_choose",
    "interest_declare",
    "interest_end",
    "leave_begin",
    "leave_end",
    "leave_grant",
    "leave_lapse",
    "membership_activate",
    "membership_appoint",
    "membership_invite_appointee",
    "membership_change_role",
    "membership_end_term",
    "membership_extend",
    "membership_flag_for_removal",
    "membership_reappoint",
    "membership_remove",
    "membership_retire_for_attendance",
    "membership_step_down",
    "papers_read_record",
    "person_create",
    "CONTACT_FIELDS",
    "person_contact_update",
    "person_update",
    "remark_add",
    "removal_appeal_decide",
    "removal_flag_decide",
    "review_record",
    "seat_dates_apply",
    "training_record",
    "vacancy_create",
]
