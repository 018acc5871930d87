"""Measures and results: creating and adopting measures, recording and importing results."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from panels import limits
from panels.audit import audit_record, snapshot
from panels.errors import Reason, RuleViolation, raise_if
from panels.integrity import refuse_duplicate
from panels.models import Panel
from scrutiny.catalogue import CATALOGUE_BY_CODE
from scrutiny.models import (
    Measure,
    MeasureResult,
    ResultSource,
)
from scrutiny.performance import parse_period, period_label, period_start
from scrutiny.services._common import SCRUTINY_RULES, _org

logger = logging.getLogger(__name__)

IMPORT_SOURCE = "Results import"
DRAW_CHARTS_TASK = "scrutiny.draw_charts"


def _draw_charts_after_commit(panel_id: int) -> None:
    """Once the change commits, have a worker draw the panel's charts into the shared cache
    (scrutiny.tasks), so no reader waits for them. A broker that is away only means the
    first reader draws them: it is logged, never raised into the request."""

    def enqueue() -> None:
        from celery import current_app

        try:
            current_app.tasks[DRAW_CHARTS_TASK].apply_async(args=[panel_id], retry=False)
        except Exception as exc:  # noqa: BLE001 - kombu, redis and socket errors alike
            logger.warning("scrutiny: could not enqueue drawing the charts (%s)", exc)

    transaction.on_commit(enqueue, robust=True)


MAX_IMPORT_ROWS = limits.CSV_MAX_LINES


@transaction.atomic
def measure_create(
    *,
    panel: Panel,
    by,
    name: str,
    target: Decimal,
    tolerance: Decimal = Decimal("0"),
    polarity: str = "higher",
    period: str = "quarter",
    unit: str = "%",
    code: str = "",
    definition: str = "",
) -> Measure:
    """Add a measure the panel agreed, with its target and tolerance."""
    org = _org(panel)
    reasons = []
    existing = Measure.objects.for_org(org).filter(panel=panel)
    name_taken = Reason(
        "measure.duplicate_name", f"The panel already has a measure “{name}”.", "name"
    )
    code_taken = Reason("measure.duplicate_code", f"The panel already has measure {code}.", "code")
    if existing.filter(name=name).exists():
        reasons.append(name_taken)
    if code and existing.filter(code=code).exists():
        reasons.append(code_taken)
    if tolerance is not None and tolerance < 0:
        reasons.append(
            Reason("measure.negative_tolerance", "Tolerance cannot be negative.", "tolerance")
        )
    raise_if(reasons)
    with (
        refuse_duplicate(code_taken, "measure_code_per_panel"),
        refuse_duplicate(name_taken, "measure_name_per_panel"),
    ):
        measure = Measure.objects.create(
            organisation=org,
            panel=panel,
            code=code,
            name=name,
            definition=definition,
            unit=unit,
            polarity=polarity,
            target=target,
            tolerance=tolerance,
            period=period,
        )
    audit_record(
        org=org,
        actor=by,
        action="scrutiny.measure_create",
        obj=measure,
        after=snapshot(measure, ["code", "name", "polarity", "target", "tolerance", "period"]),
    )
    return measure


def measure_adopt_from_catalogue(
    *, panel: Panel, by, code: str, target: Decimal, tolerance: Decimal, period: str
) -> Measure:
    """Adopt one of the regulator's Tenant Satisfaction Measures with the panel's target."""
    entry = CATALOGUE_BY_CODE.get(code)
    if entry is None:
        raise RuleViolation(
            code="measure.not_in_catalogue",
            message=f"{code} is not a Tenant Satisfaction Measure.",
            field="code",
            source=SCRUTINY_RULES,
        )
    return measure_create(
        panel=panel,
        by=by,
        code=entry.code,
        name=entry.name,
        definition=entry.definition,
        unit=entry.unit,
        polarity=entry.polarity,
        target=target,
        tolerance=tolerance,
        period=period,
    )


def _period_reasons(
    *, measure: Measure, start: datetime.date, today: datetime.date, field_name: str
) -> list[Reason]:
    reasons = []
    if start != period_start(start, measure.period):
        reasons.append(
            Reason(
                "result.period_misaligned",
                f"{measure} is reported {measure.get_period_display().lower()}: "
                f"use the first day of the period.",
                field_name,
                SCRUTINY_RULES,
            )
        )
    if start > period_start(today, measure.period):
        reasons.append(
            Reason(
                "result.future_period",
                f"{period_label(start, measure.period)} has not started yet: results are "
                "recorded for periods that have begun.",
                field_name,
                SCRUTINY_RULES,
            )
        )
    return reasons


@transaction.atomic
def result_record(
    *,
    measure: Measure,
    period_start: datetime.date,
    value: Decimal,
    by,
    today: datetime.date,
    note: str = "",
) -> MeasureResult:
    """Record a measure's value for one period (once per period)."""
    reasons = _period_reasons(
        measure=measure, start=period_start, today=today, field_name="period_start"
    )
    duplicate = Reason(
        "result.duplicate_period",
        f"{measure} already has a result for {period_label(period_start, measure.period)}.",
        "period_start",
        SCRUTINY_RULES,
    )
    if (
        MeasureResult.objects.for_org(measure.organisation_id)
        .filter(measure=measure, period_start=period_start)
        .exists()
    ):
        reasons.append(duplicate)
    raise_if(reasons)
    # Two recordings at the same moment both pass the check; the second gets its refusal.
    with refuse_duplicate(duplicate, "measure_result_once_per_period"):
        result = MeasureResult.objects.create(
            organisation_id=measure.organisation_id,
            measure=measure,
            period_start=period_start,
            value=value,
            note=note,
            entered_by=by if getattr(by, "is_authenticated", False) else None,
        )
    audit_record(
        org=measure.organisation,
        actor=by,
        action="scrutiny.result_record",
        obj=result,
        after=snapshot(result, ["measure", "period_start", "value"]),
    )
    _draw_charts_after_commit(measure.panel_id)
    return result


@dataclass
class ImportLine:
    line: int
    measure_text: str
    period_text: str
    value_text: str
    measure: Measure | None = None
    period_start: datetime.date | None = None
    value: Decimal | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportPreview:
    lines: list[ImportLine]
    errors: list[str]  # problems with the file as a whole

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.lines) and all(line.ok for line in self.lines)

    def reasons(self) -> list[Reason]:
        reasons = [Reason("import.file", e, "file", IMPORT_SOURCE) for e in self.errors]
        for line in self.lines:
            for error in line.errors:
                reasons.append(
                    Reason("import.line", f"Line {line.line}: {error}", "file", IMPORT_SOURCE)
                )
        return reasons


REQUIRED_COLUMNS = ("measure", "period", "value")


def results_import_preview(*, panel: Panel, csv_text: str, today: datetime.date) -> ImportPreview:
    """Check every line of a results CSV (measure, period, value) without saving anything.

    Columns: ``measure`` (code or exact name), ``period`` (YYYY-MM or YYYY-Qn), ``value``.
    """
    org = _org(panel)
    try:
        headers = limits.csv_headers(csv_text)
    except limits.CsvTooLarge as exc:
        return ImportPreview([], [str(exc)])
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    if missing:
        return ImportPreview(
            [], [f"The file needs the columns measure, period and value; missing: {missing}."]
        )
    measures = list(Measure.objects.for_org(org).filter(panel=panel))
    by_key = {m.code.lower(): m for m in measures if m.code}
    by_key.update({m.name.lower(): m for m in measures})
    existing = set(
        MeasureResult.objects.for_org(org)
        .filter(measure__panel=panel)
        .values_list("measure_id", "period_start")
    )
    seen: dict[tuple[int, datetime.date], int] = {}
    lines: list[ImportLine] = []
    try:
        for number, raw in enumerate(limits.csv_rows(csv_text), start=2):
            extra = raw.pop(None, None)
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
            if not any(row.values()):
                continue
            line = ImportLine(
                number, row.get("measure", ""), row.get("period", ""), row.get("value", "")
            )
            lines.append(line)
            if extra:
                line.errors.append(
                    "more values than columns: put a name containing a comma in double quotes."
                )
            if len(lines) > MAX_IMPORT_ROWS:
                return ImportPreview([], [f"The file has more than {MAX_IMPORT_ROWS:,} lines."])
            line.measure = by_key.get(line.measure_text.lower())
            if line.measure is None:
                line.errors.append(f"unknown measure “{line.measure_text}”.")
            line.value = limits.parse_decimal(line.value_text.replace(",", ""))
            if line.value is None:
                line.errors.append(f"the value “{line.value_text}” is not a number.")
            else:
                # Checked against the column's digits: never rounded, never an overflow on save.
                problem = limits.model_decimal_error(line.value, MeasureResult, "value")
                if problem:
                    line.errors.append(f"the value “{line.value_text}” {problem}")
                    line.value = None
            if line.measure is None:
                continue
            try:
                line.period_start = parse_period(line.period_text, line.measure.period)
            except ValueError as exc:
                line.errors.append(str(exc))
                continue
            out_of_range = limits.date_error(line.period_start, "period_start", "The period")
            if out_of_range:
                line.errors.append(out_of_range)
                continue
            line.errors.extend(
                r.message
                for r in _period_reasons(
                    measure=line.measure, start=line.period_start, today=today, field_name="period"
                )
            )
            key = (line.measure.pk, line.period_start)
            label = period_label(line.period_start, line.measure.period)
            if key in existing:
                line.errors.append(f"{line.measure} already has a result for {label}.")
            elif key in seen:
                line.errors.append(f"{line.measure} for {label} is also on line {seen[key]}.")
            else:
                seen[key] = number
    except limits.CsvTooLarge as exc:
        return ImportPreview([], [str(exc)])
    if not lines:
        return ImportPreview([], ["The file has no results in it."])
    return ImportPreview(lines, [])


@transaction.atomic
def results_import(*, panel: Panel, csv_text: str, by, today: datetime.date) -> list[MeasureResult]:
    """Import a results CSV: every line, or (if any line is refused) none of them."""
    org = _org(panel)
    # Lock the panel's measures so two imports of the same file cannot both pass the check.
    list(Measure.objects.for_org(org).filter(panel=panel).select_for_update().order_by("pk"))
    preview = results_import_preview(panel=panel, csv_text=csv_text, today=today)
    if not preview.ok:
        raise RuleViolation(preview.reasons())
    recorded_meanwhile = Reason(
        "import.line",
        "A result in the file was recorded by someone else a moment ago: upload the file "
        "again to see which line.",
        "file",
        IMPORT_SOURCE,
    )
    with refuse_duplicate(recorded_meanwhile, "measure_result_once_per_period"):
        results = MeasureResult.objects.bulk_create(
            [
                MeasureResult(
                    organisation=org,
                    measure=line.measure,
                    period_start=line.period_start,
                    value=line.value,
                    source=ResultSource.IMPORTED,
                    entered_by=by if getattr(by, "is_authenticated", False) else None,
                )
                for line in preview.lines
            ]
        )
    audit_record(
        org=org,
        actor=by,
        action="scrutiny.results_import",
        obj=panel,
        after={"results": len(results)},
    )
    _draw_charts_after_commit(panel.pk)
    return results
