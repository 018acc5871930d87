"""Scheduling: committee dates, meetings and the programme, notice, cancellation, holding."""

from __future__ import annotations

import datetime

from django.db import transaction

from meetings import programme
from meetings.models import (
    Attendance,
    CalendarFeed,
    CommitteeDate,
    Meeting,
    MeetingStatus,
)
from meetings.selectors import (
    meetings_held_before,
    presiding_for,
)
from meetings.services._common import (
    APP_SOURCE,
    MEETING_AUDIT_FIELDS,
    _lock,
    _refuse,
    _refuse_unless_open,
    terms_for_meeting,
)
from meetings.services.register import attendance_apply_consequences, unrecorded_reasons
from panels import rules
from panels.audit import audit_record, snapshot
from panels.errors import Reason, raise_if
from panels.integrity import refuse_duplicate
from panels.selectors import terms_in_force, working_calendar

DEFAULT_START = datetime.time(10, 0)


DEFAULT_END = datetime.time(12, 0)


@transaction.atomic
def committee_date_add(*, panel, committee: str, date: datetime.date, note: str = "", by=None):
    """Enter a date of the committee the panel meets before (Stockport: Customer Focus
    Committee)."""
    duplicate = Reason(
        "committee_date.duplicate", f"{date:%d %B %Y} is already entered.", "date", APP_SOURCE
    )
    if CommitteeDate.objects.for_org(panel.organisation_id).filter(panel=panel, date=date).exists():
        raise_if([duplicate])
    with refuse_duplicate(duplicate, "committee_date_once_per_panel"):
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


def deadlines_missed_by_scheduling(*, panel, date: datetime.date, today: datetime.date) -> list:
    """The ToR duties (notice, papers) a meeting on ``date`` scheduled on ``today`` will miss:
    passed, or out of reach (panels.rules.deadlines_out_of_reach)."""
    terms = terms_in_force(panel=panel, on=date)
    if terms is None:
        return []
    deadlines = rules.meeting_deadlines(
        deadline_rules=terms.deadlines.all(),
        meeting_date=date,
        calendar=working_calendar(org=panel.organisation),
    )
    return rules.deadlines_out_of_reach(deadlines=deadlines, today=today)


def _late_reasons(*, panel, date, today, late_reason: str) -> tuple[list[Reason], list]:
    """Refuse scheduling inside a missed deadline unless the officer gives a reason."""
    if date < today:
        return [], []
    missed = deadlines_missed_by_scheduling(panel=panel, date=date, today=today)
    if not missed or late_reason.strip():
        return [], missed
    terms = terms_in_force(panel=panel, on=date)
    listed = "; ".join(
        f"{d.label} ({d.rule_text}) was due by {d.due_on:%A %d %B %Y}" for d in missed
    )
    return [
        Reason(
            "meeting.deadlines_missed",
            f"A meeting on {date:%A %d %B %Y} misses {len(missed)} deadline"
            f"{'s' if len(missed) != 1 else ''} of the terms of reference: {listed}. Give the "
            "reason for scheduling it anyway: it is recorded against the breach.",
            "late_reason",
            rules.source_of(terms, "Meetings"),
        )
    ], missed


def _schedule_reasons(*, panel, date, start_time, end_time, today, exclude=None) -> list[Reason]:
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
    same_slot = Meeting.objects.for_org(panel.organisation_id).filter(
        panel=panel, date=date, start_time=start_time
    )
    if exclude is not None:
        same_slot = same_slot.exclude(pk=exclude.pk)
    held = same_slot.values_list("status", flat=True).first()
    if held == MeetingStatus.CANCELLED:
        reasons.append(_slot_cancelled(panel, date, start_time))
    elif held is not None:
        reasons.append(_slot_taken(panel, date, start_time))
    return reasons


def _slot_taken(panel, date, start_time) -> Reason:
    return Reason(
        "meeting.duplicate",
        f"{panel} already meets at {start_time:%H:%M} on {date:%d %B %Y}.",
        "date",
        APP_SOURCE,
    )


def _slot_cancelled(panel, date, start_time) -> Reason:
    # The cancelled meeting keeps its slot (its record, notices and papers refer to it).
    return Reason(
        "meeting.slot_cancelled",
        f"{panel}'s meeting at {start_time:%H:%M} on {date:%d %B %Y} was cancelled and "
        "keeps that slot: choose another start time.",
        "start_time",
        APP_SOURCE,
    )


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
    late_reason: str = "",
    by=None,
    today: datetime.date,
) -> Meeting:
    """Schedule one meeting, at the ToR's usual times unless others are given.

    A meeting whose notice or papers deadline has passed (or cannot be met) is refused,
    naming each deadline it misses, unless the officer gives ``late_reason``; the reason and
    the deadlines are kept on the meeting and copied onto each breach recorded for them."""
    terms = terms_in_force(panel=panel, on=date)
    start_time = start_time or (terms and terms.usual_start_time) or DEFAULT_START
    end_time = end_time or (terms and terms.usual_end_time) or DEFAULT_END
    late, missed = _late_reasons(panel=panel, date=date, today=today, late_reason=late_reason)
    raise_if(
        _schedule_reasons(
            panel=panel, date=date, start_time=start_time, end_time=end_time, today=today
        )
        + late
    )
    with refuse_duplicate(_slot_taken(panel, date, start_time), "meeting_once_per_panel_slot"):
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
            late_deadlines=",".join(d.kind for d in missed),
            late_reason=late_reason.strip() if missed else "",
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
    audit_record(
        org=panel.organisation,
        actor=by,
        action="meeting.scheduled",
        obj=meeting,
        after=snapshot(meeting, MEETING_AUDIT_FIELDS),
        reason=meeting.late_reason,
    )
    return meeting


@transaction.atomic
def meeting_move(
    *,
    meeting: Meeting,
    date: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    place: str | None = None,
    late_reason: str = "",
    today: datetime.date,
    by=None,
) -> Meeting:
    """Move a meeting to another date, time or place. Its calendar SEQUENCE goes up, so
    calendars update the event; its notices are re-planned (reminders that would now go at
    or after its start are withdrawn in the ledger). Moving it inside a deadline asks for
    a reason, as scheduling does."""
    meeting = _lock(meeting)
    _refuse_unless_open(meeting, "move it")
    if meeting.status == MeetingStatus.HELD:
        _refuse("meeting.held", "A meeting that was held cannot be moved.")
    place = meeting.place if place is None else place
    late, missed = [], []
    if date != meeting.date:
        late, missed = _late_reasons(
            panel=meeting.panel, date=date, today=today, late_reason=late_reason
        )
    raise_if(
        _schedule_reasons(
            panel=meeting.panel,
            date=date,
            start_time=start_time,
            end_time=end_time,
            today=today,
            exclude=meeting,
        )
        + late
    )
    changed = (date, start_time, end_time, place) != (
        meeting.date,
        meeting.start_time,
        meeting.end_time,
        meeting.place,
    )
    if not changed:
        return meeting
    before = snapshot(meeting, MEETING_AUDIT_FIELDS)
    meeting.date, meeting.start_time, meeting.end_time, meeting.place = (
        date,
        start_time,
        end_time,
        place,
    )
    meeting.sequence += 1
    fields = ["date", "start_time", "end_time", "place", "sequence"]
    if missed:
        meeting.late_deadlines = ",".join(d.kind for d in missed)
        meeting.late_reason = late_reason.strip()
        fields += ["late_deadlines", "late_reason"]
    with refuse_duplicate(
        _slot_taken(meeting.panel, meeting.date, meeting.start_time),
        "meeting_once_per_panel_slot",
    ):
        meeting.save(update_fields=fields)
    audit_record(
        org=meeting.organisation,
        actor=by,
        action="meeting.moved",
        obj=meeting,
        before=before,
        after=snapshot(meeting, MEETING_AUDIT_FIELDS),
        reason=late_reason.strip(),
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
    adds nothing. So are dates whose notice or papers deadline has already passed."""
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
        if deadlines_missed_by_scheduling(panel=panel, date=date, today=today):
            # Too late for its notice or papers: the officer schedules it alone, with a
            # reason, or picks another date (never a silent breach).
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
    meeting.sequence += 1  # calendars show it cancelled (STATUS:CANCELLED, a new SEQUENCE)
    meeting.save(update_fields=["status", "cancelled_reason", "sequence"])
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
    raise_if(unrecorded_reasons(meeting=meeting))
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


def calendar_feed_for(*, person) -> CalendarFeed:
    """The person's secret feed address (created on first use)."""
    feed, _ = CalendarFeed.objects.get_or_create(
        organisation_id=person.organisation_id, person=person
    )
    return feed
