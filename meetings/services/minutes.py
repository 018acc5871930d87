"""State changes for meetings. Every refusal is a RuleViolation naming the rule and its source
document and changes nothing; every change writes one audit row."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from meetings import programme
from meetings.models import (
    ActionPoint,
    AgendaItem,
    Attendance,
    AttendanceRequest,
    AttendanceStatus,
    CalendarFeed,
    CommitteeDate,
    Declaration,
    ItemSource,
    KeyMessages,
    Meeting,
    MeetingStatus,
    MinuteEntry,
    Minutes,
    Motion,
    MotionKind,
    MotionOutcome,
    Paper,
    PaperIssue,
    Vote,
    VoteChoice,
)
from meetings.selectors import (
    consecutive_unexplained_absences,
    eligible_voters,
    meeting_quorum,
    meetings_held_before,
    presiding_for,
)
from members.selectors import current_memberships
from panels import rules
from panels.audit import audit_record, snapshot
from panels.errors import Reason, RuleViolation, raise_if
from panels.models import DeadlineKind
from panels.selectors import terms_in_force, working_calendar

DEFAULT_START = datetime.time(10, 0)
DEFAULT_END = datetime.time(12, 0)
MEETING_AUDIT_FIELDS = [
    "date",
    "start_time",
    "end_time",
    "place",
    "virtual_link",
    "status",
    "notice_given_on",
    "papers_issued_on",
    "minutes_published_on",
    "key_messages_published_on",
    "presiding_basis",
    "presiding_membership",
]
APP_SOURCE = "PanelHub meetings"


def _refuse(code: str, message: str, *, field: str | None = None, source: str = APP_SOURCE):
    raise RuleViolation([Reason(code=code, message=message, field=field, source=source)])


def terms_for_meeting(meeting: Meeting):
    """The ToR version in force on the meeting's date, or a refusal saying there is none."""
    terms = terms_in_force(panel=meeting.panel, on=meeting.date)
    if terms is None:
        _refuse(
            "terms.none_in_force",
            f"{meeting.panel} has no terms of reference in force on {meeting.date:%d %B %Y}.",
        )
    return terms


def _lock(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.for_org(meeting.organisation_id)
        .select_for_update(of=("self",))
        .select_related("panel", "organisation")
        .get(pk=meeting.pk)
    )


def _refuse_unless_open(meeting: Meeting, action: str) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        _refuse("meeting.cancelled", f"The meeting was cancelled: cannot {action}.")


# --- Scheduling ---------------------------------------------------------------------


@transaction.atomic
def committee_date_add(*, panel, committee: str, date: datetime.date, note: str = "", by=None):
    """Enter a date of the committee the panel meets before (Stockport: Customer Focus
    Committee)."""
    if CommitteeDate.objects.for_org(panel.organisation_id).filter(panel=panel, date=date).exists():
        _refuse("committee_date.duplicate", f"{date:%d %B %Y} is already entered.", field="date")
    row = CommitteeDate.objects.create(
        organisation_id=panel.organisation_id,
        panel=panel,
        committee=committee,
        date=date,
        note=note,
    )
    audit_record(
        org=panel.organisation,
        actor=by,
        action="committee_date.added",
        obj=row,
        after={"date": date.isoformat(), "committee": committee},
    )
    return row


def _schedule_reasons(*, panel, date, start_time, end_time, today) -> list[Reason]:
    reasons = []
    if end_time <= start_time:
        reasons.append(
            Reason("meeting.times", "A meeting must end after it starts.", "end_time", APP_SOURCE)
        )
    if date < today:
        reasons.append(
            Reason(
                "meeting.date_past",
                f"{date:%d %B %Y} has passed: schedule meetings from today on.",
                "date",
                APP_SOURCE,
            )
        )
    if terms_in_force(panel=panel, on=date) is None:
        reasons.append(
            Reason(
                "terms.none_in_force",
                f"{panel} has no terms of reference in force on {date:%d %B %Y}.",
                "date",
                APP_SOURCE,
            )
        )
    if (
        Meeting.objects.for_org(panel.organisation_id)
        .filter(panel=panel, date=date, start_time=start_time)
        .exclude(status=MeetingStatus.CANCELLED)
        .exists()
    ):
        reasons.append(
            Reason(
                "meeting.duplicate",
                f"{panel} already meets at {start_time:%H:%M} on {date:%d %B %Y}.",
                "date",
                APP_SOURCE,
            )
        )
    return reasons


@transaction.atomic
def meeting_schedule(
    *,
    panel,
    date: datetime.date,
    start_time: datetime.time | None = None,
    end_time: datetime.time | None = None,
    place: str = "",
    virtual_link: str = "",
    title: str = "",
    is_public: bool = True,
    before_committee: CommitteeDate | None = None,
    by=None,
    today: datetime.date,
) -> Meeting:
    """Schedule one meeting, at the ToR's usual times unless others are given."""
    terms = terms_in_force(panel=panel, on=date)
    start_time = start_time or (terms and terms.usual_start_time) or DEFAULT_START
    end_time = end_time or (terms and terms.usual_end_time) or DEFAULT_END
    raise_if(
        _schedule_reasons(
            panel=panel, date=date, start_time=start_time, end_time=end_time, today=today
        )
    )
    meeting = Meeting.objects.create(
        organisation_id=panel.organisation_id,
        panel=panel,
        date=date,
        start_time=start_time,
        end_time=end_time,
        place=place,
        virtual_link=virtual_link,
        title=title,
        is_public=is_public,
        before_committee=before_committee,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit_record(
        org=panel.organisation,
        actor=by,
        action="meeting.scheduled",
        obj=meeting,
        after=snapshot(meeting, MEETING_AUDIT_FIELDS),
    )
    return meeting


@transaction.atomic
def meeting_programme_generate(
    *,
    panel,
    year: int,
    today: datetime.date,
    place: str = "",
    by=None,
) -> list[Meeting]:
    """Plan the year's meetings from the ToR cadence (Helena monthly 10:00-14:00; quarterly;
    THT six a year; Stockport before each Customer Focus Committee date). Months (or committee
    dates) that already have a meeting, and dates already past, are skipped: running it twice
    adds nothing."""
    on = max(datetime.date(year, 1, 1), today)
    terms = terms_in_force(panel=panel, on=on)
    if terms is None:
        _refuse("terms.none_in_force", f"{panel} has no terms of reference in force in {year}.")
    org = panel.organisation
    committee = list(
        CommitteeDate.objects.for_org(org).filter(panel=panel, date__year=year).order_by("date")
    )
    if terms.meets_before_committee and not committee:
        _refuse(
            "programme.committee_dates_missing",
            f"The panel meets before each {terms.meets_before_committee} meeting: enter the "
            f"{terms.meets_before_committee}'s {year} dates first.",
            source=rules.source_of(terms, "Meetings"),
        )
    existing = list(
        Meeting.objects.for_org(org)
        .filter(panel=panel, date__year=year)
        .exclude(status=MeetingStatus.CANCELLED)
    )
    calendar = working_calendar(org=org)
    committee_by_date = {c.date: c for c in committee}
    uncovered = set(
        rules.committee_dates_without_meeting(
            committee_dates=list(committee_by_date), meeting_dates=[m.date for m in existing]
        )
    )
    months_taken = {m.date.month for m in existing}
    created = []
    for date, committee_on in programme.programme_dates(
        terms=terms, year=year, calendar=calendar, committee_dates=list(committee_by_date)
    ):
        if date < today:
            continue
        if committee_on is not None and committee_on not in uncovered:
            continue
        if committee_on is None and date.month in months_taken:
            continue
        created.append(
            meeting_schedule(
                panel=panel,
                date=date,
                place=place,
                before_committee=committee_by_date.get(committee_on),
                by=by,
                today=today,
            )
        )
    return created


@transaction.atomic
def meeting_give_notice(*, meeting: Meeting, today: datetime.date, by=None) -> Meeting:
    """Record that notice of the meeting was given (IVH: at least two weeks before)."""
    meeting = _lock(meeting)
    _refuse_unless_open(meeting, "give notice")
    if meeting.status != MeetingStatus.PLANNED:
        _refuse("meeting.notice_given", "Notice of this meeting has already been given.")
    before = snapshot(meeting, MEETING_AUDIT_FIELDS)
    meeting.status = MeetingStatus.NOTICE_GIVEN
    meeting.notice_given_on = today
    meeting.notice_given_by = by if getattr(by, "is_authenticated", False) else None
    meeting.save(update_fields=["status", "notice_given_on", "notice_given_by"])
    audit_record(
        org=meeting.organisation,
        actor=by,
        action="meeting.notice_given",
        obj=meeting,
        before=before,
        after=snapshot(meeting, MEETING_AUDIT_FIELDS),
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, reason: str, by=None) -> Meeting:
    meeting = _lock(meeting)
    if meeting.status == MeetingStatus.HELD:
        _refuse("meeting.held", "A meeting that was held cannot be cancelled.")
    if not reason.strip():
        _refuse("meeting.cancel_reason", "Say why the meeting is cancelled.", field="reason")
    before = snapshot(meeting, MEETING_AUDIT_FIELDS)
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_reason = reason
    meeting.save(update_fields=["status", "cancelled_reason"])
    audit_record(
        org=meeting.organisation,
        actor=by,
        action="meeting.cancelled",
        obj=meeting,
        before=before,
        after=snapshot(meeting, MEETING_AUDIT_FIELDS),
        reason=reason,
    )
    return meeting


@transaction.atomic
def meeting_mark_held(*, meeting: Meeting, today: datetime.date, by=None) -> Meeting:
    """Close the meeting as held and apply the ToR attendance consequences."""
    meeting = _lock(meeting)
    _refuse_unless_open(meeting, "mark it held")
    if meeting.date > today:
        _refuse("meeting.future", f"The meeting is on {meeting.date:%d %B %Y}: not yet held.")
    before = snapshot(meeting, MEETING_AUDIT_FIELDS)
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status"])
    audit_record(
        org=meeting.organisation,
        actor=by,
        action="meeting.held",
        obj=meeting,
        before=before,
        after=snapshot(meeting, MEETING_AUDIT_FIELDS),
    )
    attendance_apply_consequences(meeting=meeting, by=by)
    return meeting


@transaction.atomic
def meeting_record_presiding(*, meeting: Meeting, membership=None, by=None) -> Meeting:
    """Record who chairs, as the ToR says: the chair, else the vice chair; when both are absent
    the members present choose (HFH), and the choice is recorded."""
    meeting = _lock(meeting)
    terms = terms_for_meeting(meeting)
    register = list(
        Attendance.objects.for_org(meeting.organisation_id)
        .filter(meeting=meeting)
        .select_related("membership__person")
    )
    presiding = presiding_for(
        meeting=meeting,
        terms=terms,
        register=register,
        meetings_held=meetings_held_before(meeting=meeting),
    )
    present = {a.membership_id: a.membership for a in register if a.is_present}
    chosen = None
    if presiding.who in ("chair", "vice_chair"):
        chosen = next((m for m in present.values() if m.role == presiding.who), None)
    elif presiding.who == "members_choose":
        if membership is None or membership.pk not in present:
            _refuse(
                "presiding.choose_present_member",
                f"{presiding.message} Choose a member who is present.",
                field="membership",
                source=rules.source_of(terms, "Meetings"),
            )
        chosen = present[membership.pk]
    before = snapshot(meeting, MEETING_AUDIT_FIELDS)
    meeting.presiding_basis = presiding.who
    meeting.presiding_membership = chosen
    meeting.presiding_note = presiding.message[:300]
    meeting.save(update_fields=["presiding_basis", "presiding_membership", "presiding_note"])
    audit_record(
        org=meeting.organisation,
        actor=by,
        action="meeting.presiding_recorded",
        obj=meeting,
        before=before,
        after=snapshot(meeting, MEETING_AUDIT_FIELDS),
    )
    return meeting


# --- Agenda -------------------------------------------------------------------------


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


# --- Papers -------------------------------------------------------------------------


@transaction.atomic
def paper_upload(*, item: AgendaItem, title: str, file, by=None) -> Paper:
    if item.meeting.status == MeetingStatus.CANCELLED:
        _refuse("meeting.cancelled", "The meeting was cancelled: cannot add papers.")
    paper = Paper(
        organisation_id=item.organisation_id,
        item=item,
        title=title or getattr(file, "name", "Paper"),
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    paper.file.save(getattr(file, "name", "paper.pdf"), file, save=False)
    paper.save()
    audit_record(
        org=item.meeting.organisation,
        actor=by,
        action="paper.uploaded",
        obj=paper,
        after={"item": item.pk, "file": paper.file.name},
    )
    return paper


@dataclass
class PapersIssued:
    emailed: list
    posted: list
    issued_on: datetime.date


def _send_papers_email(*, to: str, subject: str, body: str) -> None:
    EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]).send(
        fail_silently=False
    )


@transaction.atomic
def papers_issue(
    *, meeting: Meeting, today: datetime.date, papers_url: str, by=None
) -> PapersIssued:
    """Issue the agenda and papers to every current member by their preferred channel: an
    email with a link, or a letter pack for post (Helena issues by post). The issue date is
    recorded against the ToR's papers deadline. Members already sent papers are skipped."""
    meeting = _lock(meeting)
    _refuse_unless_open(meeting, "issue papers")
    if meeting.date < today or meeting.status == MeetingStatus.HELD:
        _refuse(
            "papers.meeting_past",
            f"The meeting on {meeting.date:%d %B %Y} has passed: papers cannot be issued for it.",
        )
    issued = set(
        PaperIssue.objects.for_org(meeting.organisation_id)
        .filter(meeting=meeting)
        .values_list("person_id", flat=True)
    )
    emailed, posted = [], []
    for seat in current_memberships(panel=meeting.panel, on=meeting.date):
        person = seat.person
        if person.pk in issued:
            continue
        issued.add(person.pk)
        by_email = person.preferred_channel == "email" and bool(person.email)
        PaperIssue.objects.create(
            organisation_id=meeting.organisation_id,
            meeting=meeting,
            person=person,
            channel=PaperIssue.IssueChannel.EMAIL if by_email else PaperIssue.IssueChannel.POST,
            issued_on=today,
            issued_by=by if getattr(by, "is_authenticated", False) else None,
        )
        if by_email:
            emailed.append(person)
            subject = f"Papers: {meeting.display_title}, {meeting.date:%A %d %B %Y}"
            body = (
                f"Dear {person.first_name},\n\nThe agenda and papers for the "
                f"{meeting.panel.name} meeting on {meeting.date:%A %d %B %Y} at "
                f"{meeting.start_time:%H:%M} are ready:\n\n{papers_url}\n\n"
                f"{meeting.place}\n"
            )
            transaction.on_commit(
                lambda to=person.email, s=subject, b=body: _send_papers_email(
                    to=to, subject=s, body=b
                )
            )
        else:
            posted.append(person)
    before = snapshot(meeting, MEETING_AUDIT_FIELDS)
    if meeting.papers_issued_on is None:
        meeting.papers_issued_on = today
        meeting.papers_issued_by = by if getattr(by, "is_authenticated", False) else None
        meeting.save(update_fields=["papers_issued_on", "papers_issued_by"])
    audit_record(
        org=meeting.organisation,
        actor=by,
        action="meeting.papers_issued",
        obj=meeting,
        before=before,
        after={
            **snapshot(meeting, MEETING_AUDIT_FIELDS),
            "emailed": len(emailed),
            "posted": len(posted),
        },
    )
    return PapersIssued(emailed=emailed, posted=posted, issued_on=today)


# --- Attendance ---------------------------------------------------------------------


def _seat_reasons(*, meeting: Meeting, membership) -> list[Reason]:
    if (
        membership is None
        or membership.panel_id != meeting.panel_id
        or not current_memberships(panel=meeting.panel, on=meeting.date)
        .filter(pk=membership.pk)
        .exists()
    ):
        return [
            Reason(
                "attendance.not_a_member",
                f"Only members of {meeting.panel} on {meeting.date:%d %B %Y} go in the register.",
                "membership",
                APP_SOURCE,
            )
        ]
    return []


@transaction.atomic
def attendance_record(
    *,
    meeting: Meeting,
    membership,
    status: str,
    apology_reason: str = "",
    today: datetime.date,
    by=None,
) -> Attendance:
    """Add a seat's line to the register. Non-members and a second line for the same seat are
    refused; associates and officers are recorded but never counted for quorum or votes."""
    meeting = _lock(meeting)
    _refuse_unless_open(meeting, "take the register")
    reasons = _seat_reasons(meeting=meeting, membership=membership)
    if status not in AttendanceStatus.values:
        reasons.append(Reason("attendance.status", "Choose a status.", "status", APP_SOURCE))
    if status != AttendanceStatus.APOLOGIES and meeting.date > today:
        reasons.append(
            Reason(
                "attendance.future",
                f"The meeting is on {meeting.date:%d %B %Y}: only apologies can be recorded "
                "before it.",
                "status",
                APP_SOURCE,
            )
        )
    if (
        not reasons
        and Attendance.objects.for_org(meeting.organisation_id)
        .filter(meeting=meeting, membership=membership)
        .exists()
    ):
        reasons.append(
            Reason(
                "attendance.duplicate",
                f"{membership.person} is already in the register: change their line instead.",
                "membership",
                APP_SOURCE,
            )
        )
    raise_if(reasons)
    try:
        with transaction.atomic():
            line = Attendance.objects.create(
                organisation_id=meeting.organisation_id,
                meeting=meeting,
                membership=membership,
                status=status,
                apology_reason=apology_reason if status == AttendanceStatus.APOLOGIES else "",
                recorded_by=by if getattr(by, "is_authenticated", False) else None,
            )
    except IntegrityError:
        _refuse("attendance.duplicate", "This member is already in the register.")
    audit_record(
        org=meeting.organisation,
        actor=by,
        action="attendance.recorded",
        obj=line,
        after=snapshot(line, ["status", "apology_reason"]),
    )
    return line


@transaction.atomic
def attendance_update(
    *, attendance: Attendance, status: str, apology_reason: str = "", today: datetime.date, by=None
) -> Attendance:
    attendance = (
        Attendance.objects.for_org(attendance.organisation_id)
        .select_for_update(of=("self",))
        .select_related("meeting", "membership__person")
        .get(pk=attendance.pk)
    )
    if status not in AttendanceStatus.values:
        _refuse("attendance.status", "Choose a status.", field="status")
    if status != AttendanceStatus.APOLOGIES and attendance.meeting.date > today:
        _refuse(
            "attendance.future",
            f"The meeting is on {attendance.meeting.date:%d %B %Y}: only apologies can be "
            "recorded before it.",
            field="status",
        )
    before = snapshot(attendance, ["status", "apology_reason", "reason_accepted"])
    attendance.status = status
    attendance.apology_reason = apology_reason if status == AttendanceStatus.APOLOGIES else ""
    if status != AttendanceStatus.APOLOGIES:
        attendance.reason_accepted = None
    attendance.save(update_fields=["status", "apology_reason", "reason_accepted"])
    audit_record(
        org=attendance.meeting.organisation,
        actor=by,
        action="attendance.changed",
        obj=attendance,
        before=before,
        after=snapshot(attendance, ["status", "apology_reason", "reason_accepted"]),
    )
    return attendance


@transaction.atomic
def apologies_send(*, meeting: Meeting, membership, reason: str, today: datetime.date, by=None):
    """A member sends apologies for a coming meeting (the officer later decides on the reason)."""
    if meeting.date < today:
        _refuse("apologies.past", "The meeting has passed: apologies can no longer be sent.")
    if not reason.strip():
        _refuse("apologies.reason", "Give a reason for your apologies.", field="reason")
    existing = (
        Attendance.objects.for_org(meeting.organisation_id)
        .filter(meeting=meeting, membership=membership)
        .first()
    )
    if existing is not None:
        return attendance_update(
            attendance=existing,
            status=AttendanceStatus.APOLOGIES,
            apology_reason=reason,
            today=today,
            by=by,
        )
    return attendance_record(
        meeting=meeting,
        membership=membership,
        status=AttendanceStatus.APOLOGIES,
        apology_reason=reason,
        today=today,
        by=by,
    )


@transaction.atomic
def attendance_decide_reason(*, attendance: Attendance, accepted: bool, by=None) -> Attendance:
    """The officer accepts (or not) a member's reason for absence; an unaccepted reason counts
    towards the ToR's run of absences."""
    attendance = (
        Attendance.objects.for_org(attendance.organisation_id)
        .select_for_update(of=("self",))
        .select_related("meeting__organisation", "meeting__panel", "membership__person")
        .get(pk=attendance.pk)
    )
    if attendance.status not in (AttendanceStatus.APOLOGIES, AttendanceStatus.ABSENT):
        _refuse("attendance.not_absent", "Only an absence has a reason to accept.")
    before = snapshot(attendance, ["reason_accepted"])
    attendance.reason_accepted = accepted
    attendance.save(update_fields=["reason_accepted"])
    audit_record(
        org=attendance.meeting.organisation,
        actor=by,
        action="attendance.reason_decided",
        obj=attendance,
        before=before,
        after=snapshot(attendance, ["reason_accepted"]),
    )
    if attendance.meeting.status == MeetingStatus.HELD:
        attendance_apply_consequences(meeting=attendance.meeting, by=by)
    return attendance


def attendance_apply_consequences(*, meeting: Meeting, by=None) -> list[tuple]:
    """Apply the ToR attendance rule to every seat absent without accepted reason at a held
    meeting, through the membership app (IVH: automatic retirement after three; Stockport: a
    flag for the panel after two). Applied once per register line."""
    from members import services as member_services

    terms = terms_for_meeting(meeting)
    applied = []
    lines = (
        Attendance.objects.for_org(meeting.organisation_id)
        .filter(meeting=meeting, consequence_applied="")
        .select_related("membership__person", "membership__panel")
    )
    for line in lines:
        if not line.is_unexplained_absence or not line.membership.is_current:
            continue
        run = consecutive_unexplained_absences(membership=line.membership, up_to=meeting)
        consequence = rules.attendance_consequence(
            terms=terms, consecutive_unexplained=run, on_date=meeting.date
        )
        if consequence.kind == "retire":
            member_services.membership_retire_for_attendance(
                membership=line.membership, on=meeting.date, reason=consequence.message, by=by
            )
        elif consequence.kind == "flag":
            member_services.membership_flag_for_removal(
                membership=line.membership, on=meeting.date, reason=consequence.message, by=by
            )
        else:
            continue
        line.consequence_applied = consequence.kind
        line.save(update_fields=["consequence_applied"])
        audit_record(
            org=meeting.organisation,
            actor=by,
            action=f"attendance.consequence_{consequence.kind}",
            obj=line,
            after={"consecutive_unexplained": run},
            reason=f"{consequence.message} ({consequence.source})",
        )
        applied.append((line.membership, consequence))
    return applied


# --- Declarations and decisions -----------------------------------------------------


@transaction.atomic
def declaration_record(*, item: AgendaItem, membership, interest: str, by=None) -> Declaration:
    """A declaration of interest in an item: the declarer is excluded from its votes."""
    reasons = _seat_reasons(meeting=item.meeting, membership=membership)
    if not interest.strip():
        reasons.append(
            Reason("declaration.interest", "Describe the interest.", "interest", APP_SOURCE)
        )
    if (
        not reasons
        and Declaration.objects.for_org(item.organisation_id)
        .filter(item=item, membership=membership)
        .exists()
    ):
        reasons.append(
            Reason(
                "declaration.duplicate",
                "This member has already declared an interest in this item.",
                "membership",
                APP_SOURCE,
            )
        )
    raise_if(reasons)
    declaration = Declaration.objects.create(
        organisation_id=item.organisation_id, item=item, membership=membership, interest=interest
    )
    audit_record(
        org=item.meeting.organisation,
        actor=by,
        action="declaration.recorded",
        obj=declaration,
        after={"item": item.pk, "membership": membership.pk},
    )
    return declaration


def _register(meeting: Meeting) -> list[Attendance]:
    return list(
        Attendance.objects.for_org(meeting.organisation_id)
        .filter(meeting=meeting)
        .select_related("membership__person")
    )


def _quorum_reasons(meeting: Meeting, terms, register) -> list[Reason]:
    memberships = list(current_memberships(panel=meeting.panel, on=meeting.date))
    quorum = meeting_quorum(
        meeting=meeting, terms=terms, memberships=memberships, register=register
    )
    return [quorum.reason] if quorum.reason else []


@transaction.atomic
def motion_propose(
    *, meeting: Meeting, text: str, mover, kind: str = MotionKind.ORDINARY, item=None, by=None
) -> Motion:
    """Put a motion: the mover must be a voting member present."""
    meeting = _lock(meeting)
    _refuse_unless_open(meeting, "put motions")
    terms = terms_for_meeting(meeting)
    register = _register(meeting)
    reasons = []
    if not text.strip():
        reasons.append(Reason("motion.text", "Write the motion.", "text", APP_SOURCE))
    if kind not in MotionKind.values:
        reasons.append(Reason("motion.kind", "Choose the kind of motion.", "kind", APP_SOURCE))
    present_voting = {
        a.membership_id
        for a in register
        if a.is_present
        and rules.counts_as_member(a.membership.role)
        and rules.is_voting_role(terms, a.membership.role)
    }
    if mover is None or mover.pk not in present_voting:
        reasons.append(
            Reason(
                "motion.mover",
                "The mover must be a voting member who is present.",
                "mover",
                rules.source_of(terms, "Decisions"),
            )
        )
    if item is not None and item.meeting_id != meeting.pk:
        reasons.append(Reason("motion.item", "That item is not on this agenda.", "item"))
    raise_if(reasons)
    motion = Motion.objects.create(
        organisation_id=meeting.organisation_id,
        meeting=meeting,
        item=item,
        kind=kind,
        text=text.strip(),
        mover=mover,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit_record(
        org=meeting.organisation,
        actor=by,
        action="motion.proposed",
        obj=motion,
        after={"kind": kind, "mover": mover.pk},
    )
    return motion


MOTION_AUDIT_FIELDS = [
    "consensus",
    "votes_for",
    "votes_against",
    "abstentions",
    "chair_casting_vote_for",
    "outcome",
    "method",
    "explanation",
]


@transaction.atomic
def motion_decide(
    *,
    motion: Motion,
    consensus: bool = False,
    ballots: dict | None = None,
    votes_for: int = 0,
    votes_against: int = 0,
    abstentions: int = 0,
    chair_casting_vote_for: bool | None = None,
    by=None,
) -> Motion:
    """Decide a motion under the ToR's decision rule (panels.rules.vote_outcome): consensus
    where the ToR allows it, else a vote; majority of votes cast; the chair's casting vote on
    a tie; a majority of all members for a Notice to Act (Stockport).

    ``ballots`` ({membership: "for"/"against"/"abstain"}) records named votes; otherwise the
    counts are a show of hands. Refused: an inquorate meeting, more votes than voters present,
    a vote by a non-voting member or by someone who declared an interest in the item.
    """
    motion = (
        Motion.objects.for_org(motion.organisation_id)
        .select_for_update(of=("self",))
        .select_related("meeting__panel", "meeting__organisation", "item")
        .get(pk=motion.pk)
    )
    meeting = motion.meeting
    terms = terms_for_meeting(meeting)
    source = rules.source_of(terms, "Decisions")
    if motion.outcome in (MotionOutcome.CARRIED, MotionOutcome.LOST):
        _refuse("motion.decided", "This motion has already been decided.")
    register = _register(meeting)
    reasons = _quorum_reasons(meeting, terms, register)
    declarations = list(
        Declaration.objects.for_org(meeting.organisation_id).filter(item=motion.item)
        if motion.item
        else []
    )
    voters = eligible_voters(
        terms=terms, register=register, item=motion.item, declarations=declarations
    )
    voter_ids = {m.pk for m in voters}
    declared_ids = {d.membership_id for d in declarations}
    if ballots is not None:
        tallies = dict.fromkeys(VoteChoice.values, 0)
        for seat, choice in ballots.items():
            if choice not in VoteChoice.values:
                reasons.append(Reason("vote.choice", f"{choice!r} is not a vote.", "ballots"))
                continue
            if seat.pk in declared_ids:
                reasons.append(
                    Reason(
                        "vote.declared_interest",
                        f"{seat.person} declared an interest in this item and may not vote on it.",
                        "ballots",
                        source,
                    )
                )
            elif seat.pk not in voter_ids:
                reasons.append(
                    Reason(
                        "vote.not_a_voter",
                        f"{seat.person} may not vote: only voting members present do "
                        f"({seat.get_role_display().lower()}s do not vote, or they are not "
                        "recorded as present).",
                        "ballots",
                        source,
                    )
                )
            tallies[choice] += 1
        votes_for, votes_against, abstentions = (
            tallies[VoteChoice.FOR],
            tallies[VoteChoice.AGAINST],
            tallies[VoteChoice.ABSTAIN],
        )
    if min(votes_for, votes_against, abstentions) < 0:
        reasons.append(Reason("vote.negative", "Vote counts cannot be negative.", "votes_for"))
    elif not consensus and votes_for + votes_against + abstentions > len(voters):
        reasons.append(
            Reason(
                "vote.too_many",
                f"{votes_for + votes_against + abstentions} votes recorded but only "
                f"{len(voters)} members present may vote.",
                "votes_for",
                source,
            )
        )
    if consensus and terms.decision_method != "consensus_then_vote":
        reasons.append(
            Reason(
                "decision.no_consensus_rule",
                "These terms of reference decide by vote, not consensus: record the votes.",
                "consensus",
                source,
            )
        )
    if chair_casting_vote_for is not None and not terms.chair_casting_vote:
        reasons.append(
            Reason(
                "decision.no_casting_vote",
                "These terms of reference give the chair no casting vote.",
                "chair_casting_vote_for",
                source,
            )
        )
    raise_if(reasons)
    memberships = list(current_memberships(panel=meeting.panel, on=meeting.date))
    outcome = rules.vote_outcome(
        terms=terms,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
        membership=len(
            [
                m
                for m in memberships
                if rules.counts_as_member(m.role) and rules.is_voting_role(terms, m.role)
            ]
        ),
        motion_kind=motion.kind,
        consensus=consensus,
        chair_casting_vote_for=chair_casting_vote_for
        if votes_for == votes_against and not consensus
        else None,
    )
    before = snapshot(motion, MOTION_AUDIT_FIELDS)
    motion.consensus = outcome.method == "consensus"
    motion.votes_for, motion.votes_against, motion.abstentions = (
        (0, 0, 0) if motion.consensus else (votes_for, votes_against, abstentions)
    )
    motion.chair_casting_vote_for = chair_casting_vote_for if outcome.casting_vote_used else None
    motion.method = outcome.method
    motion.explanation = outcome.explanation[:300]
    if outcome.method == "tie_awaiting_casting_vote":
        motion.outcome = MotionOutcome.AWAITING_CASTING_VOTE
    else:
        motion.outcome = MotionOutcome.CARRIED if outcome.carried else MotionOutcome.LOST
        motion.decided_at = timezone.now()
    motion.save(update_fields=[*MOTION_AUDIT_FIELDS, "decided_at"])
    if ballots is not None:
        Vote.objects.for_org(motion.organisation_id).filter(motion=motion).delete()
        Vote.objects.bulk_create(
            Vote(organisation_id=motion.organisation_id, motion=motion, membership=seat, choice=c)
            for seat, c in ballots.items()
        )
    audit_record(
        org=meeting.organisation,
        actor=by,
        action="motion.decided",
        obj=motion,
        before=before,
        after=snapshot(motion, MOTION_AUDIT_FIELDS),
        reason=f"{outcome.explanation} ({source})",
    )
    return motion


@transaction.atomic
def motion_cast_deciding_vote(*, motion: Motion, carried: bool, by=None) -> Motion:
    """The chair's casting vote on a tied motion."""
    if motion.outcome != MotionOutcome.AWAITING_CASTING_VOTE:
        _refuse("motion.not_tied", "Only a tied motion awaits the chair's casting vote.")
    return motion_decide(
        motion=motion,
        votes_for=motion.votes_for,
        votes_against=motion.votes_against,
        abstentions=motion.abstentions,
        chair_casting_vote_for=carried,
        by=by,
    )


# --- Minutes and key messages -------------------------------------------------------

EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE_PATTERN = re.compile(r"(?<!\d)(\+44\s?|0)(\d[\s-]?){9,10}(?!\d)")


def redact_personal_data(text: str, names: list[str]) -> str:
    """Remove people's names, email addresses and phone numbers from text meant for the public."""
    text = EMAIL_PATTERN.sub("[email removed]", text)
    text = PHONE_PATTERN.sub("[phone removed]", text)
    for name in sorted({n for n in names if n and len(n) > 2}, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(name)}\b", "a member", text, flags=re.IGNORECASE)
    return text


def _people_names(meeting: Meeting) -> list[str]:
    from members.models import Person

    names = []
    for first, last in Person.objects.for_org(meeting.organisation_id).values_list(
        "first_name", "last_name"
    ):
        names.extend([f"{first} {last}", last])
    return names


def _lock_minutes(minutes: Minutes) -> Minutes:
    return (
        Minutes.objects.for_org(minutes.organisation_id)
        .select_for_update(of=("self",))
        .select_related("meeting__panel", "meeting__organisation")
        .get(pk=minutes.pk)
    )


def _refuse_if_published(minutes: Minutes) -> None:
    if minutes.is_published:
        _refuse(
            "minutes.published",
            f"Version {minutes.version} was published on {minutes.published_on:%d %B %Y} and "
            "cannot change: start a correction (a new version with a note).",
        )


@transaction.atomic
def minutes_start(*, meeting: Meeting, by=None) -> Minutes:
    """Open the first draft of the minutes, one entry per agenda item."""
    existing = (
        Minutes.objects.for_org(meeting.organisation_id)
        .filter(meeting=meeting)
        .order_by("-version")
        .first()
    )
    if existing is not None:
        return existing
    if meeting.status == MeetingStatus.CANCELLED:
        _refuse("meeting.cancelled", "The meeting was cancelled: it has no minutes.")
    minutes = Minutes.objects.create(
        organisation_id=meeting.organisation_id,
        meeting=meeting,
        version=1,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    MinuteEntry.objects.bulk_create(
        MinuteEntry(organisation_id=meeting.organisation_id, minutes=minutes, item=item)
        for item in AgendaItem.objects.for_org(meeting.organisation_id).filter(meeting=meeting)
    )
    audit_record(org=meeting.organisation, actor=by, action="minutes.started", obj=minutes)
    return minutes


@transaction.atomic
def minute_entry_write(*, entry: MinuteEntry, text: str, by=None) -> MinuteEntry:
    """The secretary's minute of one item; refused once the version is published."""
    minutes = _lock_minutes(entry.minutes)
    _refuse_if_published(minutes)
    entry = MinuteEntry.objects.for_org(entry.organisation_id).get(pk=entry.pk)
    before = {"text": entry.text}
    entry.text = text
    entry.save(update_fields=["text"])
    audit_record(
        org=minutes.meeting.organisation,
        actor=by,
        action="minutes.entry_written",
        obj=entry,
        before=before,
        after={"text": text},
    )
    return entry


@transaction.atomic
def action_point_add(
    *,
    minutes: Minutes,
    description: str,
    owner: str,
    due_on: datetime.date,
    item: AgendaItem | None = None,
    by=None,
) -> ActionPoint:
    minutes = _lock_minutes(minutes)
    _refuse_if_published(minutes)
    reasons = []
    if not description.strip():
        reasons.append(Reason("action.description", "Describe the action.", "description"))
    if not owner.strip():
        reasons.append(Reason("action.owner", "Say who owns the action.", "owner"))
    if due_on < minutes.meeting.date:
        reasons.append(
            Reason("action.due_on", "An action cannot be due before the meeting.", "due_on")
        )
    raise_if(reasons)
    action = ActionPoint.objects.create(
        organisation_id=minutes.organisation_id,
        minutes=minutes,
        item=item,
        description=description.strip(),
        owner=owner.strip(),
        due_on=due_on,
    )
    audit_record(
        org=minutes.meeting.organisation,
        actor=by,
        action="minutes.action_added",
        obj=action,
        after={"owner": owner, "due_on": due_on.isoformat()},
    )
    return action


@transaction.atomic
def minutes_approve(*, minutes: Minutes, at_meeting: Meeting, by=None) -> Minutes:
    """Minutes are approved at the panel's next meeting."""
    minutes = _lock_minutes(minutes)
    meeting = minutes.meeting
    if at_meeting.panel_id != meeting.panel_id or (at_meeting.date, at_meeting.start_time) <= (
        meeting.date,
        meeting.start_time,
    ):
        _refuse(
            "minutes.approve_next_meeting",
            "Minutes are approved at a later meeting of the same panel.",
            field="at_meeting",
        )
    if minutes.approved_at_id:
        _refuse("minutes.approved", "These minutes are already approved.")
    minutes.approved_at = at_meeting
    minutes.approved_on = at_meeting.date
    minutes.save(update_fields=["approved_at", "approved_on"])
    audit_record(
        org=meeting.organisation,
        actor=by,
        action="minutes.approved",
        obj=minutes,
        after={"approved_at": at_meeting.pk},
    )
    return minutes


@transaction.atomic
def minutes_publish(*, minutes: Minutes, today: datetime.date, by=None) -> Minutes:
    """Publish a version on the panel's public page: confidential items are left out and
    personal data removed, and the public text is frozen. The first publication is the date
    checked against the ToR minutes deadline."""
    minutes = _lock_minutes(minutes)
    _refuse_if_published(minutes)
    meeting = _lock(minutes.meeting)
    if meeting.status != MeetingStatus.HELD:
        _refuse("minutes.meeting_not_held", "Mark the meeting as held before publishing minutes.")
    names = _people_names(meeting)
    entries = (
        MinuteEntry.objects.for_org(minutes.organisation_id)
        .filter(minutes=minutes, item__is_confidential=False)
        .select_related("item")
        .order_by("item__position")
    )
    actions = list(
        ActionPoint.objects.for_org(minutes.organisation_id)
        .filter(minutes=minutes)
        .select_related("item")
    )
    public = []
    for entry in entries:
        public.append(
            {
                "position": entry.item.position,
                "title": redact_personal_data(entry.item.title, names),
                "text": redact_personal_data(entry.text, names),
                "actions": [
                    {
                        "description": redact_personal_data(a.description, names),
                        "due_on": a.due_on.isoformat(),
                    }
                    for a in actions
                    if a.item_id == entry.item_id
                ],
            }
        )
    general = [a for a in actions if a.item_id is None]
    if general:
        # Action points not tied to an item are published too, after the items.
        public.append(
            {
                "position": None,
                "title": "Other action points",
                "text": "",
                "actions": [
                    {
                        "description": redact_personal_data(a.description, names),
                        "due_on": a.due_on.isoformat(),
                    }
                    for a in general
                ],
            }
        )
    minutes.public_entries = public
    minutes.published_on = today
    minutes.published_by = by if getattr(by, "is_authenticated", False) else None
    minutes.save(update_fields=["public_entries", "published_on", "published_by"])
    if meeting.minutes_published_on is None:
        meeting.minutes_published_on = today
        meeting.minutes_published_by = minutes.published_by
        meeting.save(update_fields=["minutes_published_on", "minutes_published_by"])
    audit_record(
        org=meeting.organisation,
        actor=by,
        action="minutes.published",
        obj=minutes,
        after={"version": minutes.version, "published_on": today.isoformat()},
    )
    return minutes


@transaction.atomic
def minutes_correct(*, minutes: Minutes, note: str, by=None) -> Minutes:
    """A correction to published minutes: a new draft version, with a note, copying the text."""
    minutes = _lock_minutes(minutes)
    if not minutes.is_published:
        _refuse("minutes.draft", "This version is still a draft: edit it directly.")
    if not note.strip():
        _refuse("minutes.correction_note", "Say what the correction is.", field="note")
    latest = (
        Minutes.objects.for_org(minutes.organisation_id)
        .filter(meeting=minutes.meeting)
        .order_by("-version")
        .first()
    )
    if latest.pk != minutes.pk:
        _refuse("minutes.not_latest", f"Version {latest.version} is already newer: correct that.")
    new = Minutes.objects.create(
        organisation_id=minutes.organisation_id,
        meeting=minutes.meeting,
        version=minutes.version + 1,
        correction_note=note.strip(),
        approved_at=minutes.approved_at,
        approved_on=minutes.approved_on,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    MinuteEntry.objects.bulk_create(
        MinuteEntry(organisation_id=e.organisation_id, minutes=new, item_id=e.item_id, text=e.text)
        for e in MinuteEntry.objects.for_org(minutes.organisation_id).filter(minutes=minutes)
    )
    ActionPoint.objects.bulk_create(
        ActionPoint(
            organisation_id=a.organisation_id,
            minutes=new,
            item_id=a.item_id,
            description=a.description,
            owner=a.owner,
            due_on=a.due_on,
            done_on=a.done_on,
        )
        for a in ActionPoint.objects.for_org(minutes.organisation_id).filter(minutes=minutes)
    )
    audit_record(
        org=minutes.meeting.organisation,
        actor=by,
        action="minutes.corrected",
        obj=new,
        after={"version": new.version},
        reason=note,
    )
    return new


@transaction.atomic
def key_messages_write(*, meeting: Meeting, text: str, by=None) -> KeyMessages:
    """Draft (or redraft) the key messages; a published version is corrected by a new one."""
    latest = (
        KeyMessages.objects.for_org(meeting.organisation_id)
        .select_for_update(of=("self",))
        .filter(meeting=meeting)
        .order_by("-version")
        .first()
    )
    if not text.strip():
        _refuse("key_messages.text", "Write the key messages.", field="text")
    if latest is not None and latest.published_on is None:
        before = {"text": latest.text}
        latest.text = text
        latest.signed_off_by = None
        latest.signed_off_on = None
        latest.save(update_fields=["text", "signed_off_by", "signed_off_on"])
        audit_record(
            org=meeting.organisation,
            actor=by,
            action="key_messages.redrafted",
            obj=latest,
            before=before,
            after={"text": text},
        )
        return latest
    if latest is not None:
        _refuse(
            "key_messages.published",
            "These key messages were published: correct them with a new version and a note.",
        )
    messages = KeyMessages.objects.create(
        organisation_id=meeting.organisation_id, meeting=meeting, text=text
    )
    audit_record(org=meeting.organisation, actor=by, action="key_messages.drafted", obj=messages)
    return messages


@transaction.atomic
def key_messages_correct(*, key_messages: KeyMessages, text: str, note: str, by=None):
    if key_messages.published_on is None:
        _refuse("key_messages.draft", "Not yet published: edit the draft.")
    if not note.strip():
        _refuse("key_messages.correction_note", "Say what the correction is.", field="note")
    new = KeyMessages.objects.create(
        organisation_id=key_messages.organisation_id,
        meeting=key_messages.meeting,
        version=key_messages.version + 1,
        text=text,
        correction_note=note,
    )
    audit_record(
        org=key_messages.meeting.organisation,
        actor=by,
        action="key_messages.corrected",
        obj=new,
        reason=note,
    )
    return new


@transaction.atomic
def key_messages_sign_off(
    *, key_messages: KeyMessages, chair, today: datetime.date, by=None
) -> KeyMessages:
    """HFH: key messages are signed off by the chair (the member who presided)."""
    meeting = Meeting.objects.for_org(key_messages.organisation_id).get(pk=key_messages.meeting_id)
    if key_messages.published_on is not None:
        _refuse("key_messages.published", "Already published.")
    presider = meeting.presiding_membership_id
    allowed = {presider} if presider else set()
    if not allowed:
        allowed = {
            m.pk
            for m in current_memberships(panel=meeting.panel, on=meeting.date)
            if m.role == "chair"
        }
    if chair is None or chair.pk not in allowed:
        terms = terms_for_meeting(meeting)
        _refuse(
            "key_messages.chair_sign_off",
            "Key messages are signed off by the chair of the meeting.",
            field="chair",
            source=rules.source_of(terms, "Recording and reporting key messages"),
        )
    key_messages.signed_off_by = chair
    key_messages.signed_off_on = today
    key_messages.save(update_fields=["signed_off_by", "signed_off_on"])
    audit_record(
        org=meeting.organisation,
        actor=by,
        action="key_messages.signed_off",
        obj=key_messages,
        after={"by": chair.pk, "on": today.isoformat()},
    )
    return key_messages


@transaction.atomic
def key_messages_publish(
    *, key_messages: KeyMessages, today: datetime.date, by=None
) -> KeyMessages:
    meeting = _lock(key_messages.meeting)
    if key_messages.published_on is not None:
        _refuse("key_messages.published", "Already published.")
    if key_messages.signed_off_on is None:
        terms = terms_for_meeting(meeting)
        _refuse(
            "key_messages.not_signed_off",
            "The chair must sign off the key messages before they are published.",
            source=rules.source_of(terms, "Recording and reporting key messages"),
        )
    key_messages.public_text = redact_personal_data(key_messages.text, _people_names(meeting))
    key_messages.published_on = today
    key_messages.save(update_fields=["public_text", "published_on"])
    if meeting.key_messages_published_on is None:
        meeting.key_messages_published_on = today
        meeting.key_messages_published_by = by if getattr(by, "is_authenticated", False) else None
        meeting.save(update_fields=["key_messages_published_on", "key_messages_published_by"])
    audit_record(
        org=meeting.organisation,
        actor=by,
        action="key_messages.published",
        obj=key_messages,
        after={"published_on": today.isoformat()},
    )
    return key_messages


# --- Calendar -----------------------------------------------------------------------


def calendar_feed_for(*, person) -> CalendarFeed:
    """The person's secret feed address (created on first use)."""
    feed, _ = CalendarFeed.objects.get_or_create(
        organisation_id=person.organisation_id, person=person
    )
    return feed
