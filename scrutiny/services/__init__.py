"""Changes to scrutiny: measures, reviews, responses, actions, the work plan, policies and
Notices to Act, one module per concept. Every rule comes from panels.rules and the terms of
reference in force.

The public names are re-exported here, so callers say ``from scrutiny import services``
whichever module holds the function.
"""

from scrutiny.services._common import SCRUTINY_RULES
from scrutiny.services.actions import (
    action_add,
    action_update,
    escalation_raise,
    escalation_step_complete,
)
from scrutiny.services.measures import (
    IMPORT_SOURCE,
    MAX_IMPORT_ROWS,
    REQUIRED_COLUMNS,
    ImportLine,
    ImportPreview,
    measure_adopt_from_catalogue,
    measure_create,
    result_record,
    results_import,
    results_import_preview,
)
from scrutiny.services.notice_to_act import (
    LEAD_OFFICER,
    notice_to_act_answer,
    notice_to_act_serve,
)
from scrutiny.services.policies import (
    policy_present,
    policy_record_outcome,
)
from scrutiny.services.responses import (
    recommendation_add,
    recommendation_set_due,
    response_record,
)
from scrutiny.services.reviews import (
    evidence_add,
    review_advance,
    review_link_evidence,
    review_propose,
    review_propose_from_measure,
    review_set_members,
    review_update,
    review_withdraw,
)
from scrutiny.services.workplan import (
    budget_allocate,
    budget_set,
    budget_spend,
    champion_assign,
    priority_create,
    priority_review,
    sub_group_create,
    work_item_add,
)

__all__ = [
    "IMPORT_SOURCE",
    "ImportLine",
    "ImportPreview",
    "LEAD_OFFICER",
    "MAX_IMPORT_ROWS",
    "REQUIRED_COLUMNS",
    "SCRUTINY_RULES",
    "action_add",
    "action_update",
    "budget_allocate",
    "budget_set",
    "budget_spend",
    "champion_assign",
    "escalation_raise",
    "escalation_step_complete",
    "evidence_add",
    "measure_adopt_from_catalogue",
    "measure_create",
    "notice_to_act_answer",
    "notice_to_act_serve",
    "policy_present",
    "policy_record_outcome",
    "priority_create",
    "priority_review",
    "recommendation_add",
    "recommendation_set_due",
    "response_record",
    "result_record",
    "results_import",
    "results_import_preview",
    "review_advance",
    "review_link_evidence",
    "review_propose",
    "review_propose_from_measure",
    "review_set_members",
    "review_update",
    "review_withdraw",
    "sub_group_create",
    "work_item_add",
]
