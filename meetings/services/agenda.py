"""The agenda: items, their order, and members' requests to attend."""

from __future__ import annotations

import datetime

from django.db import transaction

from meetings.models import (
    AgendaItem,
    AttendanceRequest,
    ItemSource,
    Meeting,
    MeetingStatus,
)
from meetings.services._common import (
    APP_SOURCE,
    _lock,
    _refuse,
    _refuse_unless_open,
    terms_for_meeting,
)
from panels import rules
from panels.audit import audit_record, snapshot
from panels.errors import Reason, raise_if
from panels.models import DeadlineKind
from panels.selectors import working_calendar


def _aob(meeting: Meeting) -> AgendaItem | None:
    return (
        AgendaItem.objects.for_org(meeting.organisation_id)
        .filter(meeting=meeting, source=ItemSource.AOB)
        .first()
    )


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    title: str,
    source: str = ItemSource.OFFICER,
    owner: str = "",
    minutes_allotted: int = 15,
    is_confidential: bool = False,
    description: str = "",
    proposed_by=None,
    proposed_on: datetime.date | None = None,
    chair_accepts_late: bool = False,
    by=None,
    today: datetime.date,
) -> AgendaItem:
    """Add an item before any AOB. A member's proposal made after the ToR deadline (HFH: four
    weeks before) is refused unless the chair accepts it."""
    meeting = _lock(meeting)
    _refuse_unless_open(meeting, "add agenda items")
    if meeting.status == MeetingStatus.HELD:
        _refuse("agenda.meeting_held", "The meeting has been held: its agenda is closed.")
    terms = terms_for_meeting(meeting)
    reasons = []
    if not title.strip():
        reasons.append(Reason("agenda.title", "Give the item a title.", "title", APP_SOURCE))
    if minutes_allotted <= 0:
        reasons.append(
            Reason(
                "agenda.minutes_allotted",
                "Allot the item some time (minutes above 0).",
                "minutes_allotted",
                APP_SOURCE,
            )
        )
    aob = _aob(meeting)
    if source == ItemSource.AOB and aob is not None:
        reasons.append(
            Reason("agenda.aob_exists", "The agenda already has AOB.", "source", APP_SOURCE)
        )
    late = False
    if source == ItemSource.MEMBER_PROPOSAL:
        if proposed_by is None:
            reasons.append(
                Reason(
                    "agenda.proposer", "Say which member proposed it.", "proposed_by", APP_SOURCE
                )
            )
        late_reasons = rules.request_in_time(
            kind=DeadlineKind.AGENDA_PROPOSALS,
            deadline_rules=terms.deadlines.all(),
            meeting_date=meeting.date,
            requested_on=proposed_on or today,
            calendar=working_calendar(org=meeting.organisation),
            terms=terms,
        )
        late = bool(late_reasons)
        if late and not chair_accepts_late:
            reasons.extend(
                Reason(
                    r.code,
                    r.message + " The chair may still accept it at their discretion.",
                    "proposed_on",
                    r.source,
                )
                for r in late_reasons
            )
    raise_if(reasons)
    items = AgendaItem.objects.for_org(meeting.organisation_id).filter(meeting=meeting)
    if source == ItemSource.AOB:
        position = (items.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    else:
        last = items.exclude(source=ItemSource.AOB).order_by("-position").first()
        position = (last.position + 1) if last else 1
        if aob is not None and aob.position <= position:
            aob.position = position + 1
            aob.save(update_fields=["position"])
    item = AgendaItem.objects.create(
        organisation_id=meeting.organisation_id,
        meeting=meeting,
        position=position,
        title=title.strip(),
        description=description,
        owner=owner,
        minutes_allotted=minutes_allotted,
        is_confidential=is_confidential,
        source=source,
        proposed_by=proposed_by,
        proposed_on=(proposed_on or today) if source == ItemSource.MEMBER_PROPOSAL else None,
        chair_accepted_late=late and chair_accepts_late,
    )
    audit_record(
        org=meeting.organisation,
        actor=by,
        action="agenda_item.added",
        obj=item,
        after=snapshot(
            item, ["position", "title", "source", "is_confidential", "chair_accepted_late"]
        ),
    )
    return item


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, up: bool, by=None) -> AgendaItem:
    """Swap an item with its neighbour. AOB stays last (HFH ToR)."""
    meeting = _lock(item.meeting)
    siblings = list(
        AgendaItem.objects.for_org(meeting.organisation_id)
        .select_for_update(of=("self",))
        .filter(meeting=meeting)
        .order_by("position", "id")
    )
    index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(siblings):
        return siblings[index]
    moving, other = siblings[index], siblings[other_index]
    if ItemSource.AOB in (moving.source, other.source):
        terms = terms_for_meeting(meeting)
        _refuse(
            "agenda.aob_last",
            "Any Other Business is always the last item on the agenda.",
            source=rules.source_of(terms, "Meetings") if terms.aob_last else APP_SOURCE,
        )
    moving.position, other.position = other.position, moving.position
    moving.save(update_fields=["position"])
    other.save(update_fields=["position"])
    audit_record(
        org=meeting.organisation,
        actor=by,
        action="agenda_item.moved",
        obj=moving,
        after={"position": moving.position},
    )
    return moving


@transaction.atomic
def attendance_request_add(
    *,
    meeting: Meeting,
    name: str,
    capacity: str,
    requested_on: datetime.date,
    item: AgendaItem | None = None,
    by=None,
) -> AttendanceRequest:
    """A request for staff or a contractor to attend; refused inside the ToR notice period
    (HFH: four weeks; THT: ten working days)."""
    _refuse_unless_open(meeting, "request attendance")
    terms = terms_for_meeting(meeting)
    raise_if(
        rules.request_in_time(
            kind=DeadlineKind.ATTENDANCE_REQUEST,
            deadline_rules=terms.deadlines.all(),
            meeting_date=meeting.date,
            requested_on=requested_on,
            calendar=working_calendar(org=meeting.organisation),
            terms=terms,
        )
    )
    request = AttendanceRequest.objects.create(
        organisation_id=meeting.organisation_id,
        meeting=meeting,
        item=item,
        name=name,
        capacity=capacity,
        requested_on=requested_on,
        requested_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit_record(
        org=meeting.organisation,
        actor=by,
        action="attendance_request.added",
        obj=request,
        after={"name": name, "requested_on": requested_on.isoformat()},
    )
    return request
