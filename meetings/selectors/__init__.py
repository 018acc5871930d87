"""Reads about meetings, one module per concept. Every rule is asked of panels.rules with the
terms of reference in force on the meeting's date and the organisation's working calendar.

The public names are re-exported here, so callers say ``from meetings import selectors``
whichever module holds the function.
"""

from meetings.selectors.access import (
    access_meeting_by_id,
    is_panel_insider,
    papers_released,
)
from meetings.selectors.deadlines import (
    DUTY_FIELDS,
    STATE_LABELS,
    WINDOW_KINDS,
    DeadlineState,
    DeadlineStateKind,
    deadline_states_for_meetings,
    meeting_deadline_states,
)
from meetings.selectors.minutes import (
    PublicMeetingMinutes,
    minutes_withheld_reason,
    public_minutes,
    public_minutes_for_meeting,
    withheld_meeting_ids,
)
from meetings.selectors.minutes_draft import (
    MinutesRecord,
    build_minutes_record,
    minutes_record,
    minutes_with_rows,
    public_version,
)
from meetings.selectors.motions import (
    access_motion,
    motion_lock,
    motions_carried,
)
from meetings.selectors.pages import (
    MeetingConsole,
    MemberMeeting,
    ProgrammeYear,
    agenda_pack_items,
    cadence_for_panels,
    meeting_console,
    meeting_list,
    meetings_for_person_feed,
    memberships_of_user,
    next_meetings_for_member,
    programme_year,
    programme_years,
    public_meetings,
)
from meetings.selectors.papers import PaperRecipient, PapersPlan, paper_channel_for, papers_plan
from meetings.selectors.publication import (
    HitState,
    PublicationCheck,
    key_messages_publication_check,
    minutes_publication_check,
)
from meetings.selectors.register import (
    consecutive_unexplained_absences,
    eligible_voters,
    held_meetings_of_panels,
    meeting_is_held,
    meeting_quorum,
    meetings_held_before,
    present_membership_ids,
    present_pairs,
    presiding_for,
    untrained_voters,
    voting_seats,
)

__all__ = [
    "HitState",
    "PublicationCheck",
    "key_messages_publication_check",
    "minutes_publication_check",
    "MinutesRecord",
    "build_minutes_record",
    "minutes_record",
    "minutes_with_rows",
    "public_version",
    "access_motion",
    "motion_lock",
    "motions_carried",
    "DUTY_FIELDS",
    "DeadlineState",
    "DeadlineStateKind",
    "MeetingConsole",
    "MemberMeeting",
    "ProgrammeYear",
    "PublicMeetingMinutes",
    "minutes_withheld_reason",
    "withheld_meeting_ids",
    "STATE_LABELS",
    "WINDOW_KINDS",
    "access_meeting_by_id",
    "PaperRecipient",
    "PapersPlan",
    "paper_channel_for",
    "papers_plan",
    "papers_released",
    "agenda_pack_items",
    "consecutive_unexplained_absences",
    "deadline_states_for_meetings",
    "eligible_voters",
    "held_meetings_of_panels",
    "is_panel_insider",
    "meeting_console",
    "meeting_deadline_states",
    "meeting_is_held",
    "meeting_list",
    "meeting_quorum",
    "untrained_voters",
    "meetings_for_person_feed",
    "meetings_held_before",
    "memberships_of_user",
    "next_meetings_for_member",
    "present_membership_ids",
    "present_pairs",
    "presiding_for",
    "programme_year",
    "programme_years",
    "cadence_for_panels",
    "public_meetings",
    "public_minutes",
    "public_minutes_for_meeting",
    "voting_seats",
]
