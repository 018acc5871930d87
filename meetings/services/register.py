"""The register: attendance, apologies, reasons for absence and their consequences, declarations."""

from __future__ import annotations

import datetime

from django.db import transaction

from meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Declaration,
    Meeting,
    MeetingStatus,
)
from meetings.selectors import consecutive_unexplained_absences
from meetings.services._common import (
    APP_SOURCE,
    _lock,
    _refuse,
    _refuse_unless_open,
    terms_for_meeting,
)
from members.selectors import current_memberships
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
def apologies_send(*, meeting: Meeting, membership, reason: str, today: datetime.date, by=None):
    """A member sends apologies for a coming meeting (the officer later decides on the reason)."""
    if meeting.date < today:
        _refuse("apologies.past", "The meeting has passed: apologies can no longer be sent.")
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
