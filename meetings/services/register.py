"""The register: attendance, apologies, reasons for absence and their consequences, declarations."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Declaration,
    Meeting,
    MeetingStatus,
)
from meetings.selectors import consecutive_unexplained_absences, unrecorded_seats
from meetings.services._common import (
    APP_SOURCE,
    _lock,
    _refuse,
    _refuse_unless_open,
    terms_for_meeting,
)
from members.selectors import current_memberships, seats_on_leave
from panels import rules
from panels.audit import audit_record, snapshot
from panels.errors import Reason, raise_if
from panels.integrity import refuse_duplicate


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
    duplicate = Reason(
        "attendance.duplicate",
        f"{membership.person} is already in the register: change their line instead.",
        "membership",
        APP_SOURCE,
    )
    if (
        not reasons
        and Attendance.objects.for_org(meeting.organisation_id)
        .filter(meeting=meeting, membership=membership)
        .exists()
    ):
        reasons.append(duplicate)
    raise_if(reasons)
    with refuse_duplicate(duplicate, "attendance_once_per_member"):
        line = Attendance.objects.create(
            organisation_id=meeting.organisation_id,
            meeting=meeting,
            membership=membership,
            status=status,
            apology_reason=apology_reason if status == AttendanceStatus.APOLOGIES else "",
            recorded_by=by if getattr(by, "is_authenticated", False) else None,
        )
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
def apologies_send(
    *,
    meeting: Meeting,
    membership,
    reason: str,
    today: datetime.date,
    by=None,
    now: datetime.datetime | None = None,
):
    """A member sends apologies for a coming meeting (the officer later decides on the reason).
    Refused once the meeting has started (``now``, when given)."""
    if meeting.date < today:
        _refuse("apologies.past", "The meeting has passed: apologies can no longer be sent.")
    if now is not None and now >= datetime.datetime.combine(
        meeting.date, meeting.start_time, tzinfo=now.tzinfo
    ):
        _refuse(
            "apologies.started",
            f"The meeting started at {meeting.start_time:%H:%M}: apologies can no longer be "
            "sent. Tell your engagement officer instead.",
            field="reason",
        )
    if not reason.strip():
        _refuse("apologies.reason", "Give a reason for your apologies.", field="reason")
    # Lock the meeting before looking for a line, so two apologies sent at the same moment
    # (a double click; the member and an officer) are taken in turn: the second updates the
    # first's line instead of being refused as "already in the register".
    meeting = _lock(meeting)
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
def apologies_withdraw(*, meeting: Meeting, membership, now: datetime.datetime, by=None) -> None:
    """A member takes back their apologies (they can come after all), until the meeting
    starts; after that the register is the officer's."""
    starts = datetime.datetime.combine(meeting.date, meeting.start_time, tzinfo=now.tzinfo)
    if now >= starts:
        _refuse(
            "apologies.started",
            f"The meeting started at {meeting.start_time:%H:%M} on {meeting.date:%d %B %Y}: "
            "apologies can no longer be withdrawn. Tell your engagement officer if you came.",
        )
    line = (
        Attendance.objects.for_org(meeting.organisation_id)
        .select_for_update(of=("self",))
        .filter(meeting=meeting, membership=membership, status=AttendanceStatus.APOLOGIES)
        .first()
    )
    if line is None:
        _refuse("apologies.none", "You have not sent apologies for this meeting.")
    before = snapshot(line, ["status", "apology_reason", "reason_accepted"])
    audit_record(
        org=meeting.organisation,
        actor=by,
        action="attendance.apologies_withdrawn",
        obj=line,
        before=before,
        after={},
    )
    line.delete()


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


@transaction.atomic
def declaration_record(*, item: AgendaItem, membership, interest: str, by=None) -> Declaration:
    """A declaration of interest in an item: the declarer is excluded from its votes."""
    reasons = _seat_reasons(meeting=item.meeting, membership=membership)
    if not interest.strip():
        reasons.append(
            Reason("declaration.interest", "Describe the interest.", "interest", APP_SOURCE)
        )
    duplicate = Reason(
        "declaration.duplicate",
        "This member has already declared an interest in this item.",
        "membership",
        APP_SOURCE,
    )
    if (
        not reasons
        and Declaration.objects.for_org(item.organisation_id)
        .filter(item=item, membership=membership)
        .exists()
    ):
        reasons.append(duplicate)
    raise_if(reasons)
    # Two officers recording the same declaration at once: the second gets the refusal.
    with refuse_duplicate(duplicate, "declaration_once_per_item"):
        declaration = Declaration.objects.create(
            organisation_id=item.organisation_id,
            item=item,
            membership=membership,
            interest=interest,
        )
    audit_record(
        org=item.meeting.organisation,
        actor=by,
        action="declaration.recorded",
        obj=declaration,
        after={"item": item.pk, "membership": membership.pk},
    )
    return declaration


# --- The register for the whole meeting, in one submit -------------------------------------

REGISTER_FIELDS = ("status", "apology_reason", "arrived_at", "left_at", "acting_for")


def seat_field(membership_id, name: str) -> str:
    """The name of one register field of one seat: the form and the service's reasons
    use the same names, so each refusal lands on its field."""
    return f"seat-{membership_id}-{name}"


def item_field(item_id) -> str:
    return f"item-{item_id}-started_at"


@dataclass
class RegisterRow:
    """What the officer entered for one seat. ``status`` "" leaves the seat unrecorded."""

    membership: object
    status: str = ""
    apology_reason: str = ""
    arrived_at: datetime.time | None = None
    left_at: datetime.time | None = None
    acting_for: bool = False


@dataclass
class RegisterTaken:
    created: int = 0
    changed: int = 0
    items_timed: int = 0
    unrecorded: list = field(default_factory=list)
    on_leave_present: list = field(default_factory=list)
    consequences: list = field(default_factory=list)  # applied by a correction after held


def _row_reasons(row: RegisterRow, line, meeting: Meeting, now: datetime.datetime) -> list:
    pk = row.membership.pk
    name = row.membership.person
    reasons = []

    def refuse(code, message, name_):
        reasons.append(Reason(code, message, seat_field(pk, name_), APP_SOURCE))

    if row.status == "":
        if line is not None:
            refuse(
                "attendance.status",
                f"{name} is recorded as {line.get_status_display().lower()}: choose a status.",
                "status",
            )
        elif row.arrived_at or row.left_at or row.apology_reason or row.acting_for:
            refuse("attendance.status", f"Choose {name}'s attendance.", "status")
        return reasons
    if row.status not in AttendanceStatus.values:
        refuse("attendance.status", "Choose a status.", "status")
        return reasons
    starts = datetime.datetime.combine(meeting.date, meeting.start_time, tzinfo=now.tzinfo)
    if row.status != AttendanceStatus.APOLOGIES and meeting.date > now.date():
        refuse(
            "attendance.future",
            f"The meeting is on {meeting.date:%d %B %Y}: only apologies can be recorded before it.",
            "status",
        )
    if (
        row.status == AttendanceStatus.APOLOGIES
        and (line is None or line.status != AttendanceStatus.APOLOGIES)
        and now >= starts
    ):
        refuse(
            "attendance.apology_late",
            f"The meeting started at {meeting.start_time:%H:%M}: apologies are sent before it. "
            f"Record {name} as absent, with the reason they gave.",
            "status",
        )
    present = row.status in (AttendanceStatus.PRESENT, AttendanceStatus.PRESENT_VIRTUALLY)
    if not present:
        if row.arrived_at:
            refuse(
                "attendance.time_not_present",
                "Only a member who was present has an arrival time.",
                "arrived_at",
            )
        if row.left_at:
            refuse(
                "attendance.time_not_present",
                "Only a member who was present has a departure time.",
                "left_at",
            )
    else:
        if row.arrived_at and row.arrived_at >= meeting.end_time:
            refuse(
                "attendance.arrived_after_end",
                f"The meeting ended at {meeting.end_time:%H:%M}: an arrival at "
                f"{row.arrived_at:%H:%M} is after it. Record {name} as absent instead.",
                "arrived_at",
            )
        if row.left_at and row.arrived_at and row.left_at <= row.arrived_at:
            refuse(
                "attendance.left_before_arrival",
                f"{name} cannot leave at {row.left_at:%H:%M}, before arriving at "
                f"{row.arrived_at:%H:%M}.",
                "left_at",
            )
        elif row.left_at and row.left_at <= meeting.start_time:
            refuse(
                "attendance.left_before_start",
                f"The meeting started at {meeting.start_time:%H:%M}: a departure at "
                f"{row.left_at:%H:%M} is before it. Record {name} as absent instead.",
                "left_at",
            )
        if row.left_at and row.left_at > meeting.end_time:
            refuse(
                "attendance.left_after_end",
                f"The meeting ended at {meeting.end_time:%H:%M}: leave the departure empty for "
                "a member who stayed to the end.",
                "left_at",
            )
    if row.acting_for and row.status != AttendanceStatus.APOLOGIES:
        refuse(
            "attendance.acting_for",
            "An officer acts for a member only to send their apologies (votes are recorded "
            "with the motion).",
            "acting_for",
        )
    return reasons


def _item_reasons(meeting: Meeting, items, starts: dict) -> list:
    reasons = []
    previous = None
    for item in sorted(items, key=lambda i: (i.position, i.pk)):
        when = starts.get(item.pk)
        if when is None:
            continue
        if not meeting.start_time <= when <= meeting.end_time:
            reasons.append(
                Reason(
                    "agenda.item_time",
                    f"Item {item.position} cannot begin at {when:%H:%M}: the meeting ran from "
                    f"{meeting.start_time:%H:%M} to {meeting.end_time:%H:%M}.",
                    item_field(item.pk),
                    APP_SOURCE,
                )
            )
        elif previous is not None and when < previous[1]:
            reasons.append(
                Reason(
                    "agenda.item_order",
                    f"Item {item.position} cannot begin at {when:%H:%M}, before item "
                    f"{previous[0].position} ({previous[1]:%H:%M}).",
                    item_field(item.pk),
                    APP_SOURCE,
                )
            )
        else:
            previous = (item, when)
    return reasons


def _votes_outside_presence(meeting: Meeting, rows, items, starts: dict) -> list:
    """A changed arrival or departure must not contradict a named vote already recorded:
    a member who left before an item (or arrived after it began) did not vote on it."""
    from meetings.models import Vote
    from meetings.selectors import item_start_times, present_at

    timed = {r.membership.pk: r for r in rows if r.status}
    votes = (
        Vote.objects.for_org(meeting.organisation_id)
        .filter(motion__meeting=meeting, membership_id__in=list(timed))
        .select_related("motion__item")
    )
    timed_items = []
    for item in items:
        copy = AgendaItem(
            pk=item.pk,
            position=item.position,
            minutes_allotted=item.minutes_allotted,
            started_at=starts.get(item.pk, item.started_at),
        )
        timed_items.append(copy)
    times = item_start_times(meeting=meeting, items=timed_items)
    reasons = []
    for vote in votes:
        if vote.motion.item_id is None:
            continue
        row = timed[vote.membership_id]
        line = Attendance(status=row.status, arrived_at=row.arrived_at, left_at=row.left_at)
        when = times.get(vote.motion.item_id)
        if when is not None and not present_at(line, when):
            reasons.append(
                Reason(
                    "attendance.contradicts_vote",
                    f"{row.membership.person} voted on item {vote.motion.item.position} "
                    f"({vote.motion.item.title}), which began at {when:%H:%M}, so they were "
                    "there for it: correct the vote first, or the time.",
                    seat_field(row.membership.pk, "left_at" if row.left_at else "arrived_at"),
                    APP_SOURCE,
                )
            )
    return reasons


@transaction.atomic
def register_take(
    *,
    meeting: Meeting,
    rows: list[RegisterRow],
    now: datetime.datetime,
    item_starts: dict | None = None,
    correction_reason: str = "",
    by=None,
) -> RegisterTaken:
    """The whole register in one go: each seat's status, arrival and departure times and
    whether an officer acted for the member, and the times the meeting reached its items.
    Every line is checked first; one refusal saves nothing, and each reason names the field
    it concerns (``seat_field``/``item_field``).

    Once the meeting is marked held, a change is a correction: it needs a reason (kept with
    each change in the audit), never silently undoes an attendance consequence already
    applied (review the retirement or flag first), and is refused once the minutes, which
    record this register, are published. New unexplained absences then have the ToR's
    attendance consequence applied, as marking the meeting held does."""
    meeting = _lock(meeting)
    _refuse_unless_open(meeting, "take the register")
    org = meeting.organisation_id
    seats = {m.pk: m for m in current_memberships(panel=meeting.panel, on=meeting.date)}
    lines = {
        a.membership_id: a
        for a in Attendance.objects.for_org(org)
        .select_for_update(of=("self",))
        .filter(meeting=meeting)
    }
    items = list(AgendaItem.objects.for_org(org).filter(meeting=meeting))
    item_ids = {i.pk for i in items}
    item_starts = {k: v for k, v in (item_starts or {}).items() if k in item_ids}
    reasons = []
    for row in rows:
        if row.membership is None or row.membership.pk not in seats:
            reasons.append(
                Reason(
                    "attendance.not_a_member",
                    f"Only members of {meeting.panel} on {meeting.date:%d %B %Y} go in the "
                    "register.",
                    None,
                    APP_SOURCE,
                )
            )
            continue
        reasons += _row_reasons(row, lines.get(row.membership.pk), meeting, now)
    reasons += _item_reasons(meeting, items, item_starts)
    if not reasons:
        reasons += _votes_outside_presence(meeting, rows, items, item_starts)
    if not reasons and meeting.status == MeetingStatus.HELD:
        reasons += _correction_reasons(meeting, rows, lines, items, item_starts, correction_reason)
    raise_if(reasons)
    correction_reason = correction_reason.strip()

    user = by if getattr(by, "is_authenticated", False) else None
    taken = RegisterTaken()
    for row in rows:
        if not row.status:
            continue
        values = _line_values(row)
        line = lines.get(row.membership.pk)
        if line is None:
            line = Attendance.objects.create(
                organisation_id=org,
                meeting=meeting,
                membership=row.membership,
                recorded_by=user,
                **values,
            )
            taken.created += 1
            audit_record(
                org=meeting.organisation,
                actor=by,
                action="attendance.recorded",
                obj=line,
                after=snapshot(line, list(REGISTER_FIELDS)),
                reason=correction_reason,
            )
            continue
        if all(getattr(line, k) == v for k, v in values.items()):
            continue
        before = snapshot(line, [*REGISTER_FIELDS, "reason_accepted"])
        if values["status"] != line.status and values["status"] not in (
            AttendanceStatus.APOLOGIES,
            AttendanceStatus.ABSENT,
        ):
            line.reason_accepted = None
        for k, v in values.items():
            setattr(line, k, v)
        line.recorded_by = user or line.recorded_by
        line.save(update_fields=[*values, "reason_accepted", "recorded_by"])
        taken.changed += 1
        audit_record(
            org=meeting.organisation,
            actor=by,
            action="attendance.changed",
            obj=line,
            before=before,
            after=snapshot(line, [*REGISTER_FIELDS, "reason_accepted"]),
            reason=correction_reason,
        )
    for item in items:
        if item.pk in item_starts and item.started_at != item_starts[item.pk]:
            item.started_at = item_starts[item.pk]
            item.save(update_fields=["started_at"])
            taken.items_timed += 1
    recorded = {r.membership.pk for r in rows if r.status} | set(lines)
    taken.unrecorded = [m for pk, m in seats.items() if pk not in recorded]
    present_ids = [
        r.membership.pk
        for r in rows
        if r.status in (AttendanceStatus.PRESENT, AttendanceStatus.PRESENT_VIRTUALLY)
    ]
    on_leave = seats_on_leave(org=org, membership_ids=present_ids, on=meeting.date)
    taken.on_leave_present = [seats[pk] for pk in present_ids if pk in on_leave]
    if meeting.status == MeetingStatus.HELD and (taken.created or taken.changed):
        # A correction that makes an unexplained absence has its consequence, as at closing.
        taken.consequences = attendance_apply_consequences(meeting=meeting, by=by)
    return taken


def _line_values(row: RegisterRow) -> dict:
    """The register line's fields as ``register_take`` saves them for the row."""
    present = row.status in (AttendanceStatus.PRESENT, AttendanceStatus.PRESENT_VIRTUALLY)
    return {
        "status": row.status,
        "apology_reason": row.apology_reason.strip() if not present else "",
        "arrived_at": row.arrived_at if present else None,
        "left_at": row.left_at if present else None,
        "acting_for": row.acting_for,
    }


def _correction_reasons(meeting, rows, lines, items, item_starts, correction_reason) -> list:
    """What refuses a change to the register of a held meeting (see ``register_take``)."""
    changed = []
    for row in rows:
        if not row.status:
            continue
        line = lines.get(row.membership.pk)
        values = _line_values(row)
        if line is None or any(getattr(line, k) != v for k, v in values.items()):
            changed.append((row, line))
    retimed = any(
        item.pk in item_starts and item.started_at != item_starts[item.pk] for item in items
    )
    if not changed and not retimed:
        return []
    if meeting.minutes_published_on:
        return [
            Reason(
                "register.minutes_published",
                f"The minutes were published on {meeting.minutes_published_on:%d %B %Y} with "
                "this register: it can no longer be changed. Record a correction to the "
                "minutes instead.",
                None,
                APP_SOURCE,
            )
        ]
    reasons = []
    for row, line in changed:
        if line is not None and line.consequence_applied and row.status != line.status:
            done = "retired" if line.consequence_applied == "retire" else "flagged for removal"
            reasons.append(
                Reason(
                    "register.consequence_applied",
                    f"{row.membership.person} was {done} for this absence when the meeting "
                    "was marked held: review that on their seat first, then correct the "
                    "register.",
                    seat_field(row.membership.pk, "status"),
                    APP_SOURCE,
                )
            )
    if not correction_reason.strip():
        reasons.append(
            Reason(
                "register.correction_reason",
                f"The meeting was marked held on {meeting.date:%d %B %Y}: say why the register "
                "is being corrected (the reason is kept with each change).",
                "correction_reason",
                APP_SOURCE,
            )
        )
    return reasons


def unrecorded_reasons(*, meeting: Meeting) -> list[Reason]:
    """A meeting cannot be closed as held while seats have no line in its register: the
    public minutes would count them nowhere."""
    memberships = list(current_memberships(panel=meeting.panel, on=meeting.date))
    missing = unrecorded_seats(meeting=meeting, memberships=memberships)
    if not missing:
        return []
    names = ", ".join(m.person.full_name for m in missing)
    return [
        Reason(
            "meeting.unrecorded",
            f"{len(missing)} member(s) are not in the register: {names}. Record each of them "
            "(present, apologies or absent) before marking the meeting held.",
            None,
            APP_SOURCE,
        )
    ]
