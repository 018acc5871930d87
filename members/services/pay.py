"""Money: expense claims and papers-read vouchers."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from members.models import (
    ExpenseClaim,
    ExpenseStatus,
    Membership,
    PapersRead,
)
from members.ports import meeting_registers
from members.services._common import _actor, _terms_or_refuse
from panels import files, rules
from panels.audit import audit_record
from panels.errors import Reason, RuleViolation, raise_if
from panels.integrity import refuse_duplicate


@transaction.atomic
def expense_claim_submit(
    *,
    membership: Membership,
    incurred_on: datetime.date,
    description: str,
    amount: Decimal,
    receipt=None,
    agreed_in_advance: bool = False,
    by=None,
) -> ExpenseClaim:
    """Claim out-of-pocket expenses as the ToR allows (Stockport: supported by receipts;
    usually agreed in advance, so a claim that was not is held for the officer's decision
    with the reason, rules.expense_hold_reason). The receipt is stored through Django's
    storage API."""
    terms = _terms_or_refuse(panel=membership.panel, on=incurred_on)
    raise_if(rules.expense_refusals(terms=terms, has_receipt=bool(receipt), amount=Decimal(amount)))
    hold = rules.expense_hold_reason(terms=terms, agreed_in_advance=agreed_in_advance)
    checked = (
        files.upload_check(upload=receipt, policy=files.RECEIPT, field="receipt", label="Receipt")
        if receipt
        else None
    )
    claim = ExpenseClaim(
        organisation_id=membership.organisation_id,
        membership=membership,
        incurred_on=incurred_on,
        description=description,
        amount=amount,
        agreed_in_advance=agreed_in_advance,
        held_reason=f"{hold.message} ({hold.source})" if hold else "",
        submitted_by=_actor(by),
    )
    if checked is not None:
        claim.receipt_name = files.store_upload(claim.receipt, receipt, checked)
    claim.save()
    audit_record(
        org=membership.organisation,
        actor=by,
        action="expense.submitted",
        obj=claim,
        after={
            "amount": str(amount),
            "incurred_on": incurred_on.isoformat(),
            "agreed_in_advance": agreed_in_advance,
            "held": bool(hold),
        },
    )
    return claim


@transaction.atomic
def expense_claim_decide(
    *, claim: ExpenseClaim, approve: bool, on: datetime.date, reason: str = "", by=None
) -> ExpenseClaim:
    claim = ExpenseClaim.objects.for_org(claim.organisation_id).select_for_update().get(pk=claim.pk)
    if claim.status != ExpenseStatus.SUBMITTED:
        raise RuleViolation(
            code="expenses.already_decided",
            message=f"This claim is already {claim.get_status_display().lower()}.",
        )
    if not approve and not reason.strip():
        raise RuleViolation(
            code="expenses.refusal_reason",
            message="Give the reason for refusing the claim.",
            field="reason",
        )
    claim.status = ExpenseStatus.APPROVED if approve else ExpenseStatus.REFUSED
    claim.decided_on = on
    claim.decided_by = _actor(by)
    claim.decision_reason = reason
    claim.save(update_fields=["status", "decided_on", "decided_by", "decision_reason"])
    audit_record(
        org=claim.membership.organisation,
        actor=by,
        action=f"expense.{claim.status}",
        obj=claim,
        after={"status": claim.status},
        reason=reason,
    )
    return claim


@transaction.atomic
def papers_read_record(
    *, meeting, read_membership_ids, on: datetime.date, by=None
) -> list[PapersRead]:
    """Record which members present at a held meeting had read its papers beforehand (IVH:
    vouchers for attending and reviewing the performance information). Replaces the
    meeting's earlier record; only where the ToR ties vouchers to reading the papers."""
    terms = _terms_or_refuse(panel=meeting.panel, on=meeting.date)
    source = rules.source_of(terms, "Remuneration")
    reasons: list[Reason] = []
    if not terms.vouchers_require_papers_read:
        reasons.append(
            Reason(
                code="vouchers.papers_not_required",
                message="These terms of reference do not tie any payment to reading the papers.",
                source=source,
            )
        )
    registers = meeting_registers()
    if not registers.is_held(meeting):
        reasons.append(
            Reason(
                code="vouchers.meeting_not_held",
                message="Papers read can be recorded once the meeting has been held.",
            )
        )
    wanted = {int(i) for i in read_membership_ids}
    present = set(registers.present_membership_ids(meeting=meeting))
    if wanted - present:
        reasons.append(
            Reason(
                code="vouchers.not_present",
                message="Only members present at the meeting can be recorded as having read "
                "the papers for it.",
                field="read",
                source=source,
            )
        )
    raise_if(reasons)
    rows = PapersRead.objects.for_org(meeting.organisation_id).filter(meeting=meeting)
    before = sorted(rows.values_list("membership_id", flat=True))
    rows.exclude(membership_id__in=wanted).delete()
    existing = set(rows.values_list("membership_id", flat=True))
    # Two officers saving the list at once: the second is asked to look again.
    meanwhile = Reason(
        code="vouchers.recorded_meanwhile",
        message="Someone else saved who read the papers a moment ago: look at the list "
        "again and save it if it still needs changing.",
        field="read",
        source=source,
    )
    with refuse_duplicate(meanwhile, "papers_read_once_per_meeting"):
        PapersRead.objects.bulk_create(
            [
                PapersRead(
                    organisation_id=meeting.organisation_id,
                    meeting=meeting,
                    membership_id=membership_id,
                    recorded_on=on,
                    recorded_by=_actor(by),
                )
                for membership_id in sorted(wanted - existing)
            ]
        )
    if before != sorted(wanted):
        audit_record(
            org=meeting.panel.organisation,
            actor=by,
            action="vouchers.papers_read",
            obj=meeting,
            before={"read": before},
            after={"read": sorted(wanted)},
        )
    return list(rows.order_by("membership_id"))


@transaction.atomic
def person_payment_method_choose(*, person, method: str, allowed: list[str], by=None):
    """A member chooses how their remuneration or vouchers reach them, among the methods
    their panel's terms of reference allow (Stockport: BACS or vouchers)."""
    from members.models import PaymentMethod
    from members.services.people import person_update

    if method not in allowed:
        names = " or ".join(str(PaymentMethod(m).label) for m in allowed) or "no method"
        raise RuleViolation(
            [
                Reason(
                    code="payment.method_not_allowed",
                    message="Choose how you are paid: the panel's terms of reference allow "
                    f"{names}.",
                    field="payment_method",
                )
            ]
        )
    return person_update(person=person, by=by, payment_method=method)
