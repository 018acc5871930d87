"""Notices to Act: serving one and recording the answer."""

from __future__ import annotations

import datetime

from django.db import transaction

from meetings import selectors as meeting_selectors
from meetings.models import MotionKind
from panels.audit import audit_record, snapshot
from panels.errors import Reason, raise_if
from panels.models import Panel
from panels.rules import notice_to_act_power, source_of
from panels.selectors import terms_in_force
from scrutiny.models import (
    NoticeStatus,
    NoticeToAct,
    ServiceReview,
)
from scrutiny.services._common import SCRUTINY_RULES

LEAD_OFFICER = "the Lead Officer"


@transaction.atomic
def notice_to_act_serve(
    *,
    panel: Panel,
    motion,
    service_failure: str,
    served_on: datetime.date,
    by,
    answer_due_on: datetime.date | None = None,
    review: ServiceReview | None = None,
) -> NoticeToAct:
    """Serve a Notice to Act on the Board after the panel carried a notice_to_act motion by a
    majority of all members; it goes via the ToR's reporting body and the Lead Officer.

    Stockport ToR, Role of the panel: "Issue a Notice to Act to the Board via the Customer
    Focus Committee and the Lead Officer ... A majority of the panel's members must vote in
    agreement to serve the notice."
    """
    motion = meeting_selectors.motion_lock(org=panel.organisation_id, motion=motion)
    terms = terms_in_force(panel=panel, on=served_on)
    source = source_of(terms, "Role of the panel") if terms else SCRUTINY_RULES
    reasons = []
    if not notice_to_act_power(terms=terms):
        reasons.append(
            Reason(
                "notice_to_act.not_in_terms",
                "This panel's terms of reference give it no power to serve a Notice to Act.",
                None,
                source,
            )
        )
    if motion.meeting.panel_id != panel.pk:
        reasons.append(
            Reason(
                "notice_to_act.other_panel",
                "The motion was decided by another panel.",
                "motion",
                SCRUTINY_RULES,
            )
        )
    if motion.kind != MotionKind.NOTICE_TO_ACT:
        reasons.append(
            Reason(
                "notice_to_act.not_a_notice_motion",
                "A Notice to Act is served on a motion put as a Notice to Act.",
                "motion",
                source,
            )
        )
    if not motion.carried:
        reasons.append(
            Reason(
                "notice_to_act.motion_not_carried",
                "The motion was not carried by a majority of all the panel's members.",
                "motion",
                source,
            )
        )
    if NoticeToAct.objects.for_org(panel.organisation_id).filter(motion=motion).exists():
        reasons.append(
            Reason(
                "notice_to_act.already_served",
                "A Notice to Act has already been served on this motion.",
                "motion",
                SCRUTINY_RULES,
            )
        )
    if motion.meeting.date > served_on:
        reasons.append(
            Reason(
                "notice_to_act.before_vote",
                "A notice cannot be served before the meeting that voted for it.",
                "served_on",
                SCRUTINY_RULES,
            )
        )
    if not service_failure.strip():
        reasons.append(
            Reason(
                "notice_to_act.service_failure_required",
                "Describe the persistent service failure the notice concerns.",
                "service_failure",
                source,
            )
        )
    raise_if(reasons)
    committee = terms.reports_to or panel.reports_to
    notice = NoticeToAct.objects.create(
        organisation_id=panel.organisation_id,
        panel=panel,
        motion=motion,
        service_failure=service_failure,
        review=review,
        served_on=served_on,
        sent_via=f"the {committee} and {LEAD_OFFICER}" if committee else LEAD_OFFICER,
        answer_due_on=answer_due_on,
    )
    audit_record(
        org=panel.organisation,
        actor=by,
        action="scrutiny.notice_to_act_serve",
        obj=notice,
        after=snapshot(notice, ["motion", "served_on", "sent_via", "answer_due_on"]),
    )
    return notice


@transaction.atomic
def notice_to_act_answer(
    *, notice: NoticeToAct, answer: str, answered_on: datetime.date, by
) -> NoticeToAct:
    """Record the Board's answer to a Notice to Act, which closes it."""
    notice = (
        NoticeToAct.objects.for_org(notice.organisation_id).select_for_update().get(pk=notice.pk)
    )
    reasons = []
    if notice.status == NoticeStatus.ANSWERED:
        reasons.append(
            Reason(
                "notice_to_act.answered",
                "The Board has already answered this notice.",
                None,
                SCRUTINY_RULES,
            )
        )
    if answered_on < notice.served_on:
        reasons.append(
            Reason(
                "notice_to_act.answer_date",
                "The answer cannot be dated before the notice was served.",
                "answered_on",
                SCRUTINY_RULES,
            )
        )
    if not answer.strip():
        reasons.append(
            Reason("notice_to_act.answer_required", "Record the Board's answer.", "answer")
        )
    raise_if(reasons)
    fields = ["status", "board_answer", "answered_on"]
    before = snapshot(notice, fields)
    notice.status, notice.board_answer, notice.answered_on = (
        NoticeStatus.ANSWERED,
        answer,
        answered_on,
    )
    notice.save(update_fields=fields)
    audit_record(
        org=notice.organisation,
        actor=by,
        action="scrutiny.notice_to_act_answer",
        obj=notice,
        before=before,
        after=snapshot(notice, fields),
    )
    return notice
