"""RAG status, trend and the Tenant Satisfaction Measures catalogue."""

import datetime
from decimal import Decimal as D

import pytest

from panels.errors import RuleViolation
from scrutiny import services
from scrutiny.catalogue import CATALOGUE_BY_CODE, TENANT_SATISFACTION_MEASURES
from scrutiny.models import MeasureResult, ReviewStage, TopicSource
from scrutiny.performance import measure_state, parse_period, period_start, rag_status

from .conftest import TODAY


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("80.00"), "green"),  # on target
        (D("80.01"), "green"),  # better than target
        (D("75.01"), "amber"),  # just inside tolerance
        (D("75.00"), "amber"),  # exactly at tolerance
        (D("74.99"), "red"),  # just beyond tolerance
    ],
)
def test_rag_higher_is_better(value, expected):
    assert rag_status(value=value, target=D("80"), tolerance=D("5"), polarity="higher") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("10.00"), "green"),  # on target
        (D("9.99"), "green"),  # better (lower) than target
        (D("11.99"), "amber"),  # just inside tolerance
        (D("12.00"), "amber"),  # exactly at tolerance
        (D("12.01"), "red"),  # just beyond tolerance
    ],
)
def test_rag_lower_is_better(value, expected):
    assert rag_status(value=value, target=D("10"), tolerance=D("2"), polarity="lower") == expected


def test_zero_tolerance_has_no_amber():
    assert (
        rag_status(value=D("79.99"), target=D("80"), tolerance=D("0"), polarity="higher") == "red"
    )


def test_trend_keeps_the_last_eight_periods_and_reads_direction_by_polarity():
    results = [(datetime.date(2024 + i // 4, 3 * (i % 4) + 1, 1), D(70 + i)) for i in range(10)]
    state = measure_state(
        target=D("80"), tolerance=D("5"), polarity="higher", period="quarter", results=results
    )
    assert len(state.points) == 8
    assert state.points[0].period_start == datetime.date(2024, 7, 1)
    assert state.latest.value == D("79") and state.latest.rag == "amber"
    assert state.direction == "improving"
    lower = measure_state(
        target=D("80"), tolerance=D("5"), polarity="lower", period="quarter", results=results
    )
    assert lower.direction == "worsening"
    assert lower.red_two_periods_running is False


def test_red_two_periods_running():
    results = [(datetime.date(2026, 1, 1), D("60")), (datetime.date(2026, 4, 1), D("61"))]
    state = measure_state(
        target=D("80"), tolerance=D("5"), polarity="higher", period="quarter", results=results
    )
    assert state.is_red and state.red_two_periods_running and state.may_propose_review


def test_periods():
    assert parse_period("2025-Q2", "quarter") == datetime.date(2025, 4, 1)
    assert parse_period("2025-04", "month") == datetime.date(2025, 4, 1)
    assert period_start(datetime.date(2025, 8, 17), "quarter") == datetime.date(2025, 7, 1)
    with pytest.raises(ValueError):
        parse_period("2025-13", "month")
    with pytest.raises(ValueError):
        parse_period("April", "quarter")


def test_catalogue_has_every_tenant_satisfaction_measure():
    codes = {m.code.split("(")[0] for m in TENANT_SATISFACTION_MEASURES}
    expected = {f"TP{n:02}" for n in range(1, 13)} | {f"BS{n:02}" for n in range(1, 6)}
    expected |= {"RP01", "RP02", "CH01", "CH02", "NM01"}
    assert codes == expected
    assert CATALOGUE_BY_CODE["TP01"].name == "Overall satisfaction"
    assert CATALOGUE_BY_CODE["RP01"].polarity == "lower"


def test_adopt_from_catalogue_refuses_twice(tenant_a):
    measure = services.measure_adopt_from_catalogue(
        panel=tenant_a.panel,
        by=tenant_a.officer,
        code="TP01",
        target=D("85"),
        tolerance=D("3"),
        period="quarter",
    )
    assert measure.name == "Overall satisfaction" and measure.code == "TP01"
    with pytest.raises(RuleViolation) as exc:
        services.measure_adopt_from_catalogue(
            panel=tenant_a.panel,
            by=tenant_a.officer,
            code="TP01",
            target=D("85"),
            tolerance=D("3"),
            period="quarter",
        )
    assert {r.code for r in exc.value.reasons} == {
        "measure.duplicate_name",
        "measure.duplicate_code",
    }


def test_result_refuses_future_and_duplicate_periods(tenant_a, make_measure):
    measure = make_measure()
    services.result_record(
        measure=measure, period_start=datetime.date(2026, 7, 1), value=D("70"), by=None, today=TODAY
    )
    with pytest.raises(RuleViolation) as exc:
        services.result_record(
            measure=measure,
            period_start=datetime.date(2026, 7, 1),
            value=D("71"),
            by=None,
            today=TODAY,
        )
    assert exc.value.code == "result.duplicate_period"
    with pytest.raises(RuleViolation) as exc:
        services.result_record(
            measure=measure,
            period_start=datetime.date(2027, 1, 1),
            value=D("71"),
            by=None,
            today=TODAY,
        )
    assert exc.value.code == "result.future_period"
    assert MeasureResult.objects.count() == 1


def test_red_measure_can_be_proposed_as_a_review_topic(tenant_a, make_measure):
    measure = make_measure()
    services.result_record(
        measure=measure, period_start=datetime.date(2026, 7, 1), value=D("79"), by=None, today=TODAY
    )
    with pytest.raises(RuleViolation) as exc:
        services.review_propose_from_measure(measure=measure, by=None, today=TODAY)
    assert exc.value.code == "review.measure_not_red"
    services.result_record(
        measure=measure,
        period_start=datetime.date(2026, 10, 1),
        value=D("60"),
        by=None,
        today=TODAY,
    )
    review = services.review_propose_from_measure(measure=measure, by=None, today=TODAY)
    assert review.topic_source == TopicSource.LOW_PERFORMANCE
    assert review.source_measure == measure and review.stage == ReviewStage.PROPOSED
    assert "red" in review.source_detail
