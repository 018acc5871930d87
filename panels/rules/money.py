"""Leave and money: leave of absence, remuneration, vouchers and expenses."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta

from panels.errors import Reason
from panels.models import TermsOfReference
from panels.rules._common import source_of
from panels.rules.seats_and_terms import period_end


def leave_refusals(
    *, terms: TermsOfReference, starts_on: datetime.date, ends_on: datetime.date
) -> list[Reason]:
    """Reasons a leave of absence may not be granted (Stockport: at most six months)."""
    source = source_of(terms, "Leave of absence")
    if ends_on < starts_on:
        return [
            Reason(
                code="leave.dates",
                message="Leave must end on or after its first day.",
                field="ends_on",
                source=source,
            )
        ]
    if terms.leave_max_months:
        latest_end = period_end(starts_on, relativedelta(months=terms.leave_max_months))
        if ends_on > latest_end:
            return [
                Reason(
                    code="leave.too_long",
                    message=(
                        f"Leave of absence may be at most {terms.leave_max_months} months: "
                        f"from {starts_on:%d %B %Y} it must end by {latest_end:%d %B %Y}."
                    ),
                    field="ends_on",
                    source=source,
                )
            ]
    return []


PENNY = Decimal("0.01")


def annual_remuneration(
    *,
    terms: TermsOfReference,
    is_chair: bool,
    meetings_held: int,
    meetings_attended: int,
    days_on_leave: int = 0,
    days_in_year: int = 365,
) -> Decimal:
    """A member's remuneration for a year under the ToR (Stockport: up to £500, chair £600,
    subject to attendance, paused during leave). Zero where the ToR pays none."""
    maximum = terms.remuneration_chair_annual if is_chair else terms.remuneration_member_annual
    if maximum is None and is_chair:
        maximum = terms.remuneration_member_annual
    if not maximum:
        return Decimal("0.00")
    amount = Decimal(maximum)
    if terms.remuneration_subject_to_attendance:
        if meetings_held <= 0:
            return Decimal("0.00")
        amount = amount * Decimal(min(meetings_attended, meetings_held)) / Decimal(meetings_held)
    if terms.payments_pause_on_leave and days_on_leave > 0:
        active_days = max(0, days_in_year - days_on_leave)
        amount = amount * Decimal(active_days) / Decimal(days_in_year)
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def voucher_earned(*, terms: TermsOfReference, attended: bool, papers_read: bool) -> bool:
    """IVH: members who attend and review the performance information beforehand get vouchers."""
    if not terms.vouchers_for_attendance:
        return False
    return attended and (papers_read or not terms.vouchers_require_papers_read)


def expense_refusals(
    *, terms: TermsOfReference, has_receipt: bool, amount: Decimal
) -> list[Reason]:
    source = source_of(terms, "Expenses")
    reasons: list[Reason] = []
    if amount <= 0:
        reasons.append(
            Reason(
                code="expenses.amount",
                message="An expense must be above £0.",
                field="amount",
                source=source,
            )
        )
    if not terms.expenses_policy:
        reasons.append(
            Reason(
                code="expenses.none",
                message="These terms of reference provide for no expenses.",
                source=source,
            )
        )
    if terms.expenses_need_receipts and not has_receipt:
        reasons.append(
            Reason(
                code="expenses.receipt_required",
                message="Expense claims must be supported by receipts.",
                field="receipt",
                source=source,
            )
        )
    return reasons


def expense_hold_reason(*, terms: TermsOfReference, agreed_in_advance: bool) -> Reason | None:
    """Why a claim is held for the officer's decision rather than refused: Stockport's
    "Claims will usually be agreed in advance" makes advance agreement the norm, not a
    condition, so a claim not agreed in advance is not refused but waits, with the reason."""
    if not terms.expenses_agreed_in_advance or agreed_in_advance:
        return None
    return Reason(
        code="expenses.not_agreed_in_advance",
        message=(
            "Held for the officer's decision: claims are usually agreed in advance, and this "
            "one was not."
        ),
        field="agreed_in_advance",
        source=source_of(terms, "Remuneration"),
    )
