"""The register: voting seats, quorum, who presides, eligible voters, absences in a row, and
the attendance facts members reads for money (through members.ports)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from meetings.models import (
    PRESENT_STATUSES,
    AgendaItem,
    Attendance,
    Meeting,
    MeetingStatus,
)
from members.selectors import training_kinds_completed
from panels import rules


def voting_seats(*, terms, memberships) -> list:
    """Seats that count as members and vote under the ToR (associates, co-optees where the
    ToR says so, officers and sponsors never do)."""
    return [m for m in memberships if rules.is_voting_member(terms, m.role)]


def meeting_quorum(*, meeting: Meeting, terms, memberships, register) -> rules.QuorumState:
    """Quorum, live from the register: voting members present (in person or virtually) out of
    the voting membership on the meeting's date."""
    voting_ids = {m.pk for m in voting_seats(terms=terms, memberships=memberships)}
    present = sum(1 for a in register if a.is_present and a.membership_id in voting_ids)
    return rules.quorum_state(terms=terms, membership=len(voting_ids), present_voting=present)


def meetings_held_before(*, meeting: Meeting) -> int:
    return (
        Meeting.objects.for_org(meeting.organisation_id)
        .filter(panel=meeting.panel, status=MeetingStatus.HELD, date__lt=meeting.date)
        .count()
    )


def presiding_for(*, meeting: Meeting, terms, register, meetings_held: int) -> rules.Presiding:
    present_roles = {a.membership.role for a in register if a.is_present}
    return rules.who_presides(
        terms=terms,
        chair_present="chair" in present_roles,
        vice_chair_present="vice_chair" in present_roles,
        meetings_held=meetings_held,
    )


def item_start_times(*, meeting: Meeting, items) -> dict[int, datetime.time]:
    """When the meeting reached each item: the time the officer recorded, else as planned
    (the start of the meeting, or of the last recorded item, plus the minutes allotted to
    the items in between), never later than the meeting's end. No queries."""
    end = datetime.datetime.combine(meeting.date, meeting.end_time)
    clock = datetime.datetime.combine(meeting.date, meeting.start_time)
    starts = {}
    for item in sorted(items, key=lambda i: (i.position, i.pk)):
        if item.started_at is not None:
            clock = datetime.datetime.combine(meeting.date, item.started_at)
        starts[item.pk] = min(clock, end).time()
        clock += datetime.timedelta(minutes=item.minutes_allotted)
    return starts


def present_at(line: Attendance, when: datetime.time | None) -> bool:
    """Was the register line's member in the meeting at ``when`` (None: at any time)? A late
    arrival counts from the minute they arrived; an early leaver not from the minute they
    left."""
    if not line.is_present:
        return False
    if when is None:
        return True
    if line.arrived_at is not None and line.arrived_at > when:
        return False
    return line.left_at is None or line.left_at > when


def absent_from_item_reason(line: Attendance, when: datetime.time) -> str:
    """Why a member present at the meeting was not there for an item starting ``when``."""
    name = line.membership.person
    if line.arrived_at is not None and line.arrived_at > when:
        return f"{name} arrived at {line.arrived_at:%H:%M}, after this item began ({when:%H:%M})."
    return f"{name} left at {line.left_at:%H:%M}, before this item began ({when:%H:%M})."


@dataclass
class ItemAttendance:
    """Who was in the meeting for one agenda item, and the item's quorum under the ToR."""

    item: AgendaItem
    starts: datetime.time
    recorded: bool
    present: list
    declared: list
    quorum: rules.ItemQuorumState


def item_attendance(
    *, meeting: Meeting, terms, memberships, register, items, declarations
) -> list[ItemAttendance]:
    """Quorum per agenda item from rows already read: the voting members present when the
    item began (arrivals and departures against the item's start), less those who declared
    an interest in it where the ToR's ``interest_quorum`` says so (rules.item_quorum_state).
    No queries."""
    voting = voting_seats(terms=terms, memberships=memberships)
    voting_ids = {m.pk for m in voting}
    starts = item_start_times(meeting=meeting, items=items)
    declared_by_item: dict[int, set] = {}
    for d in declarations:
        declared_by_item.setdefault(d.item_id, set()).add(d.membership_id)
    result = []
    for item in sorted(items, key=lambda i: (i.position, i.pk)):
        when = starts[item.pk]
        here = [
            a.membership for a in register if a.membership_id in voting_ids and present_at(a, when)
        ]
        declared = declared_by_item.get(item.pk, set())
        result.append(
            ItemAttendance(
                item=item,
                starts=when,
                recorded=item.started_at is not None,
                present=here,
                declared=[m for m in here if m.pk in declared],
                quorum=rules.item_quorum_state(
                    terms=terms,
                    membership=len(voting_ids),
                    present=[m.pk for m in here],
                    declared_interest=declared,
                ),
            )
        )
    return result


def eligible_voters(
    *,
    terms,
    register,
    item: AgendaItem | None,
    declarations,
    item_starts: datetime.time | None = None,
) -> list:
    """Seats that may vote on a motion: voting roles present when its item began
    (``item_starts``; None: present at all), less those who declared an interest in the
    motion's item."""
    declared = {d.membership_id for d in declarations if item is not None and d.item_id == item.pk}
    return [
        a.membership
        for a in register
        if present_at(a, item_starts)
        and rules.is_voting_member(terms, a.membership.role)
        and a.membership_id not in declared
    ]


def untrained_voters(*, meeting: Meeting, terms, voters) -> dict:
    """{seat id: reason} for voters without the training the ToR requires before a member's
    first vote (rules.vote_training_refusal; Helena: mandatory training, THT: induction).
    One query, and only where the ToR requires training."""
    if not terms.training_before_first_vote:
        return {}
    kinds = training_kinds_completed(
        org=meeting.organisation_id, person_ids={m.person_id for m in voters}, on=meeting.date
    )
    refusals = {
        m.pk: rules.vote_training_refusal(
            terms=terms, person_name=str(m.person), completed=kinds[m.person_id]
        )
        for m in voters
    }
    return {pk: reason for pk, reason in refusals.items() if reason is not None}


def consecutive_unexplained_absences(*, membership, up_to: Meeting) -> int:
    """Meetings in a row, ending with ``up_to``, that the seat missed without an accepted
    reason. A meeting without a register line for the seat ends the run."""
    held = (
        Meeting.objects.for_org(up_to.organisation_id)
        .filter(panel_id=up_to.panel_id, status=MeetingStatus.HELD, date__lte=up_to.date)
        .order_by("-date", "-start_time")
        .values_list("pk", flat=True)
    )
    lines = {
        a.meeting_id: a
        for a in Attendance.objects.for_org(up_to.organisation_id).filter(
            membership=membership, meeting_id__in=list(held)
        )
    }
    count = 0
    for meeting_id in held:
        line = lines.get(meeting_id)
        if line is None or not line.is_unexplained_absence:
            break
        count += 1
    return count


# --- What members reads (connected to members.ports by the site layer) --------------------


def held_meetings_of_panels(*, org, panel_ids, year: int) -> QuerySet[Meeting]:
    """The panels' meetings held in the year (members' statements and papers read)."""
    return Meeting.objects.for_org(org).filter(
        panel_id__in=panel_ids, status=MeetingStatus.HELD, date__year=year
    )


def present_pairs(*, org, meetings, membership_ids) -> set[tuple[int, int]]:
    """(meeting id, seat id) for each of these seats present, in person or virtually, at
    these meetings. One query."""
    return set(
        Attendance.objects.for_org(org)
        .filter(meeting__in=meetings, membership_id__in=membership_ids, status__in=PRESENT_STATUSES)
        .values_list("meeting_id", "membership_id")
    )


def present_membership_ids(*, meeting: Meeting) -> QuerySet:
    """The ids of the seats present at the meeting, in person or virtually (lazy: usable as
    a subquery)."""
    return (
        Attendance.objects.for_org(meeting.organisation_id)
        .filter(meeting=meeting, status__in=PRESENT_STATUSES)
        .values_list("membership_id", flat=True)
    )


def unrecorded_seats(*, meeting: Meeting, memberships) -> list:
    """The seats on the panel on the meeting's date with no line in its register. One
    query."""
    recorded = set(
        Attendance.objects.for_org(meeting.organisation_id)
        .filter(meeting=meeting)
        .values_list("membership_id", flat=True)
    )
    return [m for m in memberships if m.pk not in recorded]


def meeting_is_held(meeting: Meeting) -> bool:
    return meeting.status == MeetingStatus.HELD
