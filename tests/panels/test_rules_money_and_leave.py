"""Leave of absence, remuneration, vouchers and expenses, per organisation (issue 4)."""

import datetime
from decimal import Decimal

import pytest

from panels import rules
from tests.panels.terms_factory import seeded

D = datetime.date


def leave(org, starts, ends):
    return rules.leave_refusals(terms=seeded(org), starts_on=starts, ends_on=ends)


def test_stockport_leave_six_months_allowed_one_day_more_refused():
    assert leave("stockport", D(2026, 1, 15), D(2026, 7, 14)) == []
    [refusal] = leave("stockport", D(2026, 1, 15), D(2026, 7, 15))
    assert refusal.code == "leave.too_long"
    assert refusal.field == "ends_on"
    assert "14 July 2026" in refusal.message


def test_stockport_six_months_from_the_end_of_august_ends_with_february():
    assert leave("stockport", D(2027, 8, 31), D(2028, 2, 29)) == []
    assert leave("stockport", D(2027, 8, 31), D(2028, 3, 1))


@pytest.mark.parametrize("org", ["helena", "hfh", "ivh", "tht"])
def test_no_leave_limit_stated(org):
    assert leave(org, D(2026, 1, 1), D(2027, 6, 1)) == []


def test_leave_must_end_after_it_starts():
    assert leave("hfh", D(2026, 2, 1), D(2026, 1, 1))[0].code == "leave.dates"


def pay(org, is_chair=False, held=4, attended=4, days_on_leave=0):
    return rules.annual_remuneration(
        terms=seeded(org),
        is_chair=is_chair,
        meetings_held=held,
        meetings_attended=attended,
        days_on_leave=days_on_leave,
    )


def test_stockport_up_to_500_and_600_for_the_chair_subject_to_attendance():
    assert pay("stockport") == Decimal("500.00")
    assert pay("stockport", is_chair=True) == Decimal("600.00")
    assert pay("stockport", attended=3) == Decimal("375.00")
    assert pay("stockport", held=0, attended=0) == Decimal("0.00")


def test_stockport_payments_pause_during_leave():
    assert pay("stockport", days_on_leave=73) == Decimal("400.00")


@pytest.mark.parametrize("org", ["helena", "hfh", "ivh", "tht"])
def test_no_remuneration_elsewhere(org):
    assert pay(org, is_chair=True) == Decimal("0.00")


def test_ivh_vouchers_for_attending_and_reading_the_papers():
    terms = seeded("ivh")
    assert rules.voucher_earned(terms=terms, attended=True, papers_read=True)
    assert not rules.voucher_earned(terms=terms, attended=True, papers_read=False)
    assert not rules.voucher_earned(terms=terms, attended=False, papers_read=True)


@pytest.mark.parametrize("org", ["helena", "hfh", "tht", "stockport"])
def test_no_vouchers_for_attendance_elsewhere(org):
    assert not rules.voucher_earned(terms=seeded(org), attended=True, papers_read=True)


def expenses(org, has_receipt, amount="12.50"):
    return [
        r.code
        for r in rules.expense_refusals(
            terms=seeded(org), has_receipt=has_receipt, amount=Decimal(amount)
        )
    ]


def test_stockport_expenses_need_receipts():
    assert expenses("stockport", has_receipt=False) == ["expenses.receipt_required"]
    assert expenses("stockport", has_receipt=True) == []


def test_tht_out_of_pocket_expenses_without_a_receipt_rule():
    assert expenses("tht", has_receipt=False) == []
    assert expenses("tht", has_receipt=True, amount="0") == ["expenses.amount"]


@pytest.mark.parametrize("org", ["helena", "hfh", "ivh"])
def test_no_expenses_stated(org):
    assert expenses(org, has_receipt=True) == ["expenses.none"]


def test_helena_review_one_year_after_approval():
    terms = seeded("helena")
    assert terms.review_due_on == D(2012, 4, 8)
    assert not rules.terms_review_due(terms, D(2012, 4, 7))
    assert rules.terms_review_due(terms, D(2012, 4, 8))
    assert not rules.terms_review_due(seeded("stockport"), D(2030, 1, 1))
