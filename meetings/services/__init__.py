"""Changes to meetings: scheduling, agenda, papers, the register, motions and minutes, one
module per concept. Every rule comes from panels.rules and the terms of reference in force
on the meeting's date.

The public names are re-exported here, so callers say ``from meetings import services``
whichever module holds the function.
"""

from meetings.services._common import (
    APP_SOURCE,
    MEETING_AUDIT_FIELDS,
    terms_for_meeting,
)
from meetings.services.agenda import (
    agenda_item_add,
    agenda_item_move,
    attendance_request_add,
)
from meetings.services.minutes import (
    action_point_add,
    key_messages_confirm_disclosure,
    key_messages_correct,
    key_messages_publish,
    key_messages_sign_off,
    key_messages_write,
    minute_entry_write,
    minutes_approve,
    minutes_confirm_disclosure,
    minutes_correct,
    minutes_publish,
    minutes_start,
)
from meetings.services.motions import (
    MOTION_AUDIT_FIELDS,
    motion_cast_deciding_vote,
    motion_decide,
    motion_propose,
)
from meetings.services.papers import (
    PapersIssued,
    paper_upload,
    papers_issue,
)
from meetings.services.register import (
    RegisterRow,
    RegisterTaken,
    apologies_send,
    apologies_withdraw,
    attendance_apply_consequences,
    attendance_decide_reason,
    attendance_record,
    attendance_update,
    declaration_record,
    item_field,
    register_take,
    seat_field,
    unrecorded_reasons,
)
from meetings.services.scheduling import (
    DEFAULT_END,
    DEFAULT_START,
    calendar_feed_for,
    committee_date_add,
    meeting_cancel,
    meeting_give_notice,
    meeting_mark_held,
    meeting_move,
    meeting_programme_generate,
    meeting_record_presiding,
    meeting_schedule,
)

__all__ = [
    "APP_SOURCE",
    "DEFAULT_END",
    "DEFAULT_START",
    "MEETING_AUDIT_FIELDS",
    "MOTION_AUDIT_FIELDS",
    "PapersIssued",
    "action_point_add",
    "agenda_item_add",
    "agenda_item_move",
    "apologies_send",
    "apologies_withdraw",
    "attendance_apply_consequences",
    "attendance_decide_reason",
    "attendance_record",
    "attendance_request_add",
    "attendance_update",
    "calendar_feed_for",
    "committee_date_add",
    "declaration_record",
    "key_messages_correct",
    "key_messages_publish",
    "key_messages_sign_off",
    "key_messages_write",
    "meeting_cancel",
    "meeting_give_notice",
    "meeting_mark_held",
    "meeting_move",
    "meeting_programme_generate",
    "meeting_record_presiding",
    "meeting_schedule",
    "minute_entry_write",
    "minutes_approve",
    "minutes_correct",
    "minutes_publish",
    "minutes_start",
    "motion_cast_deciding_vote",
    "motion_decide",
    "motion_propose",
    "paper_upload",
    "papers_issue",
    "key_messages_confirm_disclosure",
    "minutes_confirm_disclosure",
    "terms_for_meeting",
    "RegisterRow",
    "RegisterTaken",
    "item_field",
    "register_take",
    "seat_field",
    "unrecorded_reasons",
]
