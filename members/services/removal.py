"""Leaving a seat: retirement for attendance, removal flags, stepping down, removal and appeal."""

from __future__ import annotations

import datetime

from django.db import transaction

from members.models import (
    SEAT_HOLDING_STATUSES,
    DeclarationKind,
    Membership,
    MembershipEventKind,
    MembershipStatus,
    Removal,
    RemovalFlag,
)
from members.services._common import (
    MEMBERSHIP_AUDIT_FIELDS,
    _actor,
    _close_chair_period,
    _event,
    _lock,
    _refuse_unless_current,
    _terms_or_refuse,
)
from members.services.people import declaration_record
from panels import rules
from panels.audit import audit_record, snapshot
from panels.errors import Reason, RuleViolation, raise_if


@transaction.atomic
def membership_retire_for_attendance(
    *, membership: Membership, on: datetime.date, reason: str, by=None
) -> Membership:
    """Retire a member automatically after the ToR's run of absences, and record the bar on
    rejoining (IVH: three in a row; no re-application for three years)."""
    membership = _lock(membership)
    if membership.status == MembershipStatus.RETIRED_BY_ATTENDANCE:
        return membership
    _refuse_unless_current(membership, "retired")
    terms = _terms_or_refuse(panel=membership.panel, on=on)
    consequence = rules.attendance_limit_consequence(terms=terms, on_date=on)
    before = snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
    membership.status = MembershipStatus.RETIRED_BY_ATTENDANCE
    membership.ended_on = on
    membership.rejoin_barred_until = consequence.rejoin_barred_until
    membership.save(update_fields=["status", "ended_on", "rejoin_barred_until"])
    _event(
        membership,
        kind=MembershipEventKind.RETIRED_ATTENDANCE,
        on=on,
        by=by,
        reason=reason,
        details={
            "rejoin_barred_until": (
                consequence.rejoin_barred_until.isoformat()
                if consequence.rejoin_barred_until
                else None
            ),
            "source": consequence.source,
        },
    )
    audit_record(
        org=membership.organisation,
        actor=by,
        action="membership.retired_attendance",
        obj=membership,
        before=before,
        after=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
        reason=reason,
    )
    return membership


@transaction.atomic
def membership_flag_for_removal(
    *, membership: Membership, on: datetime.date, reason: str, by=None
) -> RemovalFlag:
    """Flag a member the ToR says may be removed after absences (Stockport: two in a row);
    the panel decides. Raising it again for the same run changes nothing."""
    membership = _lock(membership)
    open_flag = RemovalFlag.objects.for_org(membership.organisation_id).filter(
        membership=membership, decision=RemovalFlag.Decision.PENDING
    )
    existing = open_flag.first()
    if existing is not None:
        return existing
    flag = RemovalFlag.objects.create(
        organisation_id=membership.organisation_id,
        membership=membership,
        raised_on=on,
        reason=reason,
        raised_by=by if getattr(by, "is_authenticated", False) else None,
    )
    _event(membership, kind=MembershipEventKind.FLAGGED, on=on, by=by, reason=reason)
    audit_record(
        org=membership.organisation,
        actor=by,
        action="membership.flagged_for_removal",
        obj=membership,
        after={"flag": flag.pk, "raised_on": on.isoformat()},
        reason=reason,
    )
    return flag


def _close_flag(flag: RemovalFlag, *, decision: str, on: datetime.date, reason: str, by=None):
    flag.decision = decision
    flag.decided_on = on
    flag.decision_reason = reason
    flag.decided_by = by if getattr(by, "is_authenticated", False) else None
    flag.save(update_fields=["decision", "decided_on", "decision_reason", "decided_by"])


FLAG_DECISIONS = ("keep", "remove")


@transaction.atomic
def removal_flag_decide(
    *,
    flag: RemovalFlag,
    decision: str,
    on: datetime.date,
    reason: str,
    under_code_of_conduct: bool = False,
    by=None,
) -> RemovalFlag:
    """Record the panel's decision on a removal flag raised for absences (Stockport: the
    member "may be removed"; the panel decides). "keep" closes the flag with the reason;
    "remove" goes through membership_remove, with the appeal the ToR allows."""
    flag = RemovalFlag.objects.for_org(flag.organisation_id).select_for_update().get(pk=flag.pk)
    membership = flag.membership
    terms = _terms_or_refuse(panel=membership.panel, on=on)
    source = rules.source_of(terms, "Attendance")
    reasons: list[Reason] = []
    if flag.decision != RemovalFlag.Decision.PENDING:
        raise RuleViolation(
            code="removal_flag.decided",
            message=(
                f"This flag was already decided on {flag.decided_on:%d %B %Y}: "
                f"{flag.get_decision_display().lower()}."
            ),
        )
    if decision not in FLAG_DECISIONS:
        reasons.append(
            Reason(
                code="removal_flag.decision",
                message="Choose whether the panel keeps or removes the member.",
                field="decision",
            )
        )
    if not reason.strip():
        reasons.append(
            Reason(
                code="removal_flag.reason_required",
                message="Record the panel's reason for its decision.",
                field="reason",
            )
        )
    if on < flag.raised_on:
        reasons.append(
            Reason(
                code="removal_flag.before_raised",
                message=(
                    f"The decision cannot come before the flag was raised "
                    f"({flag.raised_on:%d %B %Y})."
                ),
                field="on",
                source=source,
            )
        )
    if membership.status not in SEAT_HOLDING_STATUSES:
        reasons.append(
            Reason(
                code="membership.not_current",
                message=(
                    f"This seat is {membership.get_status_display().lower()}: there is no "
                    "member to keep or remove."
                ),
            )
        )
    raise_if(reasons)
    if decision == "remove":
        membership_remove(
            membership=membership,
            on=on,
            reason=reason,
            under_code_of_conduct=under_code_of_conduct,
            by=by,
        )
        flag.refresh_from_db()
        return flag
    _close_flag(flag, decision=RemovalFlag.Decision.KEPT, on=on, reason=reason, by=by)
    _event(
        membership,
        kind=MembershipEventKind.FLAG_KEPT,
        on=on,
        by=by,
        reason=reason,
        details={"flag": flag.pk, "raised_on": flag.raised_on.isoformat()},
    )
    audit_record(
        org=membership.organisation,
        actor=by,
        action="membership.removal_flag_kept",
        obj=flag,
        before={"decision": ""},
        after={"decision": flag.decision, "decided_on": on.isoformat()},
        reason=reason,
    )
    return flag


def _end_seat(membership, *, status, on, by, reason, kind, action, decided_by=""):
    before = snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
    membership.status = status
    membership.ended_on = on
    membership.save(update_fields=["status", "ended_on"])
    _close_chair_period(membership, on + datetime.timedelta(days=1))
    _event(membership, kind=kind, on=on, by=by, reason=reason, decided_by=decided_by)
    audit_record(
        org=membership.organisation,
        actor=by,
        action=action,
        obj=membership,
        before=before,
        after=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
        reason=reason,
    )
    return membership


@transaction.atomic
def membership_step_down(
    *, membership: Membership, on: datetime.date, reason: str = "", by=None
) -> Membership:
    membership = _lock(membership)
    if membership.status not in SEAT_HOLDING_STATUSES:
        _refuse_unless_current(membership, "stepped down")
    return _end_seat(
        membership,
        status=MembershipStatus.STEPPED_DOWN,
        on=on,
        by=by,
        reason=reason,
        kind=MembershipEventKind.STEPPED_DOWN,
        action="membership.stepped_down",
    )


@transaction.atomic
def membership_remove(
    *,
    membership: Membership,
    on: datetime.date,
    reason: str,
    under_code_of_conduct: bool = False,
    by=None,
) -> Removal:
    """Remove a member, recording the reason and the appeal the ToR allows (Stockport: in
    writing to the Lead Officer, whose decision is final)."""
    membership = _lock(membership)
    if membership.status not in SEAT_HOLDING_STATUSES:
        _refuse_unless_current(membership, "removed")
    if not reason.strip():
        raise RuleViolation(
            code="removal.reason_required",
            message="Record the reason for the removal.",
            field="reason",
        )
    terms = _terms_or_refuse(panel=membership.panel, on=on)
    _end_seat(
        membership,
        status=MembershipStatus.REMOVED,
        on=on,
        by=by,
        reason=reason,
        kind=MembershipEventKind.REMOVED,
        action="membership.removed",
    )
    removal = Removal.objects.create(
        organisation_id=membership.organisation_id,
        membership=membership,
        decided_on=on,
        reason=reason,
        decided_by=_actor(by),
        appeal_to=terms.removal_appeal_to,
        appeal_final=terms.removal_appeal_final,
    )
    # Saved one by one (not queryset.update) so post_save hooks see each closed flag (the
    # notices app withdraws its "decide on absences" notice).
    open_flags = (
        RemovalFlag.objects.for_org(membership.organisation_id)
        .select_for_update()
        .filter(membership=membership, decision=RemovalFlag.Decision.PENDING)
    )
    for flag in open_flags:
        _close_flag(flag, decision=RemovalFlag.Decision.REMOVED, on=on, reason=reason, by=by)
    if under_code_of_conduct:
        declaration_record(
            person=membership.person,
            kind=DeclarationKind.REMOVED_UNDER_CODE,
            applies_from=on,
            note=reason,
            by=by,
            recorded_on=on,
        )
    return removal


@transaction.atomic
def removal_appeal_decide(
    *,
    removal: Removal,
    received_on: datetime.date,
    appeal_text: str,
    outcome: str,
    decided_on: datetime.date,
    decision_reason: str,
    by=None,
) -> Removal:
    """Record a written appeal and its decision; where the ToR makes it final there is no
    second appeal, and an overturned removal reinstates the seat."""
    removal = (
        Removal.objects.for_org(removal.organisation_id).select_for_update().get(pk=removal.pk)
    )
    terms = _terms_or_refuse(panel=removal.membership.panel, on=removal.decided_on)
    source = rules.source_of(terms, "Removal")
    reasons: list[Reason] = []
    if not removal.appeal_to:
        reasons.append(
            Reason(
                code="removal.no_appeal",
                message="The terms of reference provide no appeal against removal.",
                source=source,
            )
        )
    if removal.appeal_outcome and removal.appeal_final:
        reasons.append(
            Reason(
                code="removal.appeal_final",
                message=f"The {removal.appeal_to}'s decision on the appeal is final.",
                source=source,
            )
        )
    if not appeal_text.strip():
        reasons.append(
            Reason(
                code="removal.appeal_in_writing",
                message=f"Appeals are made in writing to the {removal.appeal_to}.",
                field="appeal_text",
                source=source,
            )
        )
    if outcome not in (Removal.AppealOutcome.UPHELD, Removal.AppealOutcome.OVERTURNED):
        reasons.append(
            Reason(code="removal.appeal_outcome", message="Choose an outcome.", field="outcome")
        )
    raise_if(reasons)
    removal.appeal_received_on = received_on
    removal.appeal_text = appeal_text
    removal.appeal_outcome = outcome
    removal.appeal_decided_on = decided_on
    removal.appeal_decision_reason = decision_reason
    removal.save(
        update_fields=[
            "appeal_received_on",
            "appeal_text",
            "appeal_outcome",
            "appeal_decided_on",
            "appeal_decision_reason",
        ]
    )
    membership = _lock(removal.membership)
    before = snapshot(membership, MEMBERSHIP_AUDIT_FIELDS)
    if outcome == Removal.AppealOutcome.OVERTURNED:
        membership.status = MembershipStatus.ACTIVE
        membership.ended_on = None
        membership.save(update_fields=["status", "ended_on"])
    _event(
        membership,
        kind=MembershipEventKind.APPEAL,
        on=decided_on,
        by=by,
        reason=decision_reason,
        decided_by=removal.appeal_to,
        details={"outcome": outcome},
    )
    audit_record(
        org=membership.organisation,
        actor=by,
        action="membership.appeal_decided",
        obj=membership,
        before=before,
        after=snapshot(membership, MEMBERSHIP_AUDIT_FIELDS),
        reason=decision_reason,
    )
    return removal
