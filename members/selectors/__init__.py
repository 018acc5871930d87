"""Reads about people, seats, recruitment and money, one module per concept. Every query is
scoped with .for_org.

The public names are re-exported here, so callers say ``from members import selectors``
whichever module holds the function.
"""

from members.selectors.eligibility import (
    facts_from,
    person_eligibility,
    person_facts,
)
from members.selectors.pay import (
    MeetingAttendance,
    MemberStatement,
    attendance_by_membership,
    days_on_leave_in_year,
    expense_claim_for_viewer,
    expense_claims_visible,
    expense_queue,
    held_meetings,
    meeting_for_papers,
    member_statement,
    membership_for_claim,
    panel_statements,
    statements_for,
)
from members.selectors.people import (
    declaration_list,
    person_declarations,
    person_for_user,
    person_history,
    person_list,
    person_training,
    training_kinds_completed,
)
from members.selectors.recruitment import (
    application_detail,
    application_queue,
)
from members.selectors.seats import (
    TERM_ENDING_WITHIN_DAYS,
    Roster,
    RosterRow,
    chair_years,
    current_memberships,
    current_seats,
    membership_for_officer,
    open_removal_flag,
    own_seats,
    removal_appeal_note,
    role_voting,
    roster,
    seat_panel_ids,
    seats_on_leave,
    seats_on_panel,
)

__all__ = [
    "MeetingAttendance",
    "MemberStatement",
    "Roster",
    "RosterRow",
    "TERM_ENDING_WITHIN_DAYS",
    "application_detail",
    "application_queue",
    "attendance_by_membership",
    "chair_years",
    "current_memberships",
    "seat_panel_ids",
    "current_seats",
    "days_on_leave_in_year",
    "declaration_list",
    "expense_claim_for_viewer",
    "expense_claims_visible",
    "expense_queue",
    "facts_from",
    "held_meetings",
    "meeting_for_papers",
    "member_statement",
    "membership_for_claim",
    "membership_for_officer",
    "open_removal_flag",
    "own_seats",
    "panel_statements",
    "person_declarations",
    "person_eligibility",
    "person_facts",
    "person_for_user",
    "person_history",
    "person_list",
    "person_training",
    "removal_appeal_note",
    "role_voting",
    "roster",
    "seats_on_leave",
    "seats_on_panel",
    "statements_for",
    "training_kinds_completed",
]
