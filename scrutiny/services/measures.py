"""State changes of scrutiny: every refusal is a RuleViolation carrying all its reasons and
changes nothing; every change writes one audit row."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction

from members.models import Person
from panels.audit import audit_record, snapshot
from panels.errors import Reason, RuleViolation, raise_if
from panels.models import Panel
from panels.rules import champion_refusals, notice_to_act_power, source_of
from panels.selectors import terms_in_force
from scrutiny.catalogue import CATALOGUE_BY_CODE
from scrutiny.models import (
    REVIEW_STAGE_DATE_FIELD,
    REVIEW_STAGE_ORDER,
    ActionStatus,
    BoardResponse,
    BudgetAllocation,
    BudgetSpend,
    Escalation,
    EscalationStatus,
    EscalationStep,
    EvidenceItem,
    ImprovementAction,
    Measure,
    MeasureResult,
    NeighbourhoodBudget,
    NoticeStatus,
    NoticeToAct,
    PolicyOutcome,
    PolicyReview,
    PriorityChampion,
    PriorityStatus,
    Recommendation,
    ResponseDecision,
    ResultSource,
    ReviewStage,
    ServiceReview,
    SubGroup,
    TopicSource,
    WorkPlanItem,
    WorkPlanPriority,
)
from scrutiny.performance import measure_state, parse_period, period_label, period_start

# Where the rules that are PanelHub's own (not a ToR's) come from, for messages.
SCRUTINY_RULES = "PanelHub scrutiny rules"
IMPORT_SOURCE = "Results import"
MAX_IMPORT_ROWS = 5000


def _org(panel: Panel):
    return panel.organisation


# --- Measures and results -------------------------------------------------------------


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
    if existing.filter(name=name).exists():
        reasons.append(
            Reason("measure.duplicate_name", f"The panel already has a measure “{name}”.", "name")
        )
    if code and existing.filter(code=code).exists():
        reasons.append(
            Reason("measure.duplicate_code", f"The panel already has measure {code}.", "code")
        )
    if tolerance is not None and tolerance < 0:
        reasons.append(
            Reason("measure.negative_tolerance", "Tolerance cannot be negative.", "tolerance")
        )
    raise_if(reasons)
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
    if (
        MeasureResult.objects.for_org(measure.organisation_id)
        .filter(measure=measure, period_start=period_start)
        .exists()
    ):
        reasons.append(
            Reason(
                "result.duplicate_period",
                f"{measure} already has a result for {period_label(period_start, measure.period)}.",
                "period_start",
                SCRUTINY_RULES,
            )
        )
    raise_if(reasons)
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
    reader = csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff")))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
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
    for number, raw in enumerate(reader, start=2):
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
            return ImportPreview([], [f"The file has more than {MAX_IMPORT_ROWS} lines."])
        line.measure = by_key.get(line.measure_text.lower())
        if line.measure is None:
            line.errors.append(f"unknown measure “{line.measure_text}”.")
        try:
            line.value = Decimal(line.value_text.replace(",", ""))
            if not line.value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            line.value = None
            line.errors.append(f"the value “{line.value_text}” is not a number.")
        if line.measure is None:
            continue
        try:
            line.period_start = parse_period(line.period_text, line.measure.period)
        except ValueError as exc:
            line.errors.append(str(exc))
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
    return results


# --- Evidence -------------------------------------------------------------------------


@transaction.atomic
def evidence_add(
    *,
    panel: Panel,
    by,
    kind: str,
    title: str,
    dated: datetime.date,
    summary: str = "",
    file=None,
    is_confidential: bool = False,
) -> EvidenceItem:
    """File a dated piece of evidence (complaints learning, survey, inspector report, minutes)."""
    item = EvidenceItem(
        organisation=_org(panel),
        panel=panel,
        kind=kind,
        title=title,
        dated=dated,
        summary=summary,
        is_confidential=is_confidential,
        added_by=by if getattr(by, "is_authenticated", False) else None,
    )
    if file:
        item.file = file
    item.save()
    audit_record(
        org=item.organisation,
        actor=by,
        action="scrutiny.evidence_add",
        obj=item,
        after=snapshot(item, ["kind", "title", "dated", "is_confidential"]),
    )
    return item


@transaction.atomic
def review_link_evidence(*, review: ServiceReview, evidence: EvidenceItem, by) -> None:
    """Link evidence of the same panel to a review."""
    if evidence.organisation_id != review.organisation_id or evidence.panel_id != review.panel_id:
        raise RuleViolation(
            code="evidence.other_panel",
            message="Evidence can only be linked to a review of the same panel.",
            field="evidence",
            source=SCRUTINY_RULES,
        )
    review.evidence.add(evidence)
    audit_record(
        org=review.organisation,
        actor=by,
        action="scrutiny.review_link_evidence",
        obj=review,
        after={"evidence": evidence.pk},
    )


# --- Service reviews ------------------------------------------------------------------


@transaction.atomic
def review_propose(
    *,
    panel: Panel,
    by,
    title: str,
    topic_source: str,
    proposed_on: datetime.date,
    service_area: str = "",
    source_detail: str = "",
    source_measure: Measure | None = None,
) -> ServiceReview:
    """Propose a review topic, saying where it came from (THT ToR 4: selection of topics)."""
    review = ServiceReview.objects.create(
        organisation=_org(panel),
        panel=panel,
        title=title,
        service_area=service_area,
        topic_source=topic_source,
        source_detail=source_detail,
        source_measure=source_measure,
        proposed_on=proposed_on,
    )
    audit_record(
        org=review.organisation,
        actor=by,
        action="scrutiny.review_propose",
        obj=review,
        after=snapshot(review, ["title", "topic_source", "proposed_on"]),
    )
    return review


def review_propose_from_measure(
    *, measure: Measure, by, today: datetime.date, results: Iterable[MeasureResult] | None = None
) -> ServiceReview:
    """Propose a review of a service whose measure is red (or red two periods running)."""
    rows = results if results is not None else measure.results.all()
    state = measure_state(
        target=measure.target,
        tolerance=measure.tolerance,
        polarity=measure.polarity,
        period=measure.period,
        results=[(r.period_start, r.value) for r in rows],
    )
    if not state.may_propose_review:
        raise RuleViolation(
            code="review.measure_not_red",
            message=f"{measure} is not red in its latest period, so it is not proposed "
            "from performance.",
            source=SCRUTINY_RULES,
        )
    running = " for two periods running" if state.red_two_periods_running else ""
    return review_propose(
        panel=measure.panel,
        by=by,
        title=f"Review: {measure.name}",
        topic_source=TopicSource.LOW_PERFORMANCE,
        source_detail=(
            f"{measure} was red{running}: {state.latest.value}{measure.unit_suffix} in "
            f"{state.latest.label} against a target of {measure.target}{measure.unit_suffix}."
        ),
        source_measure=measure,
        proposed_on=today,
    )


def _locked_review(review: ServiceReview) -> ServiceReview:
    return (
        ServiceReview.objects.for_org(review.organisation_id).select_for_update().get(pk=review.pk)
    )


@transaction.atomic
def review_advance(
    *, review: ServiceReview, to_stage: str, on: datetime.date, by, reported_to: str = ""
) -> ServiceReview:
    """Move a review to its next stage, dated. The report goes to the ToR's reporting body."""
    review = _locked_review(review)
    before = snapshot(review, ["stage"])
    reasons = []
    if review.stage == ReviewStage.WITHDRAWN or review.stage == ReviewStage.REPORTED:
        reasons.append(
            Reason(
                "review.closed",
                f"This review is {review.get_stage_display().lower()}.",
                None,
                SCRUTINY_RULES,
            )
        )
        raise RuleViolation(reasons)
    current = REVIEW_STAGE_ORDER.index(review.stage)
    expected = REVIEW_STAGE_ORDER[current + 1]
    if to_stage != expected:
        reasons.append(
            Reason(
                "review.stage_order",
                f"After “{review.get_stage_display()}” comes “{ReviewStage(expected).label}”.",
                "to_stage",
                SCRUTINY_RULES,
            )
        )
    previous_date = getattr(review, REVIEW_STAGE_DATE_FIELD[review.stage])
    if previous_date and on < previous_date:
        reasons.append(
            Reason(
                "review.stage_date",
                f"The date cannot be before the previous stage ({previous_date:%d %b %Y}).",
                "on",
                SCRUTINY_RULES,
            )
        )
    terms = terms_in_force(panel=review.panel, on=on)
    if to_stage == ReviewStage.REPORTED:
        if not review.recommendations.exists():
            reasons.append(
                Reason(
                    "review.no_recommendations",
                    "A report goes with at least one recommendation.",
                    "to_stage",
                    SCRUTINY_RULES,
                )
            )
        reported_to = reported_to or (terms.reports_to if terms else "") or review.panel.reports_to
    raise_if(reasons)
    review.stage = to_stage
    setattr(review, REVIEW_STAGE_DATE_FIELD[to_stage], on)
    fields = ["stage", REVIEW_STAGE_DATE_FIELD[to_stage]]
    if to_stage == ReviewStage.REPORTED:
        review.reported_to = reported_to
        fields.append("reported_to")
    review.save(update_fields=fields)
    audit_record(
        org=review.organisation,
        actor=by,
        action="scrutiny.review_advance",
        obj=review,
        before=before,
        after=snapshot(review, fields),
    )
    return review


@transaction.atomic
def review_withdraw(*, review: ServiceReview, by, reason: str) -> ServiceReview:
    review = _locked_review(review)
    if not review.is_open:
        raise RuleViolation(
            code="review.closed",
            message=f"This review is {review.get_stage_display().lower()}.",
            source=SCRUTINY_RULES,
        )
    before = snapshot(review, ["stage"])
    review.stage = ReviewStage.WITHDRAWN
    review.save(update_fields=["stage"])
    audit_record(
        org=review.organisation,
        actor=by,
        action="scrutiny.review_withdraw",
        obj=review,
        before=before,
        after={"stage": review.stage},
        reason=reason,
    )
    return review


@transaction.atomic
def review_update(
    *,
    review: ServiceReview,
    by,
    scope: str | None = None,
    findings: str | None = None,
    public_summary: str | None = None,
) -> ServiceReview:
    """Write the scope, findings and public summary of a review."""
    changes = {
        name: value
        for name, value in (
            ("scope", scope),
            ("findings", findings),
            ("public_summary", public_summary),
        )
        if value is not None
    }
    fields = list(changes)
    before = snapshot(review, fields)
    for name, value in changes.items():
        setattr(review, name, value)
    review.save(update_fields=fields)
    audit_record(
        org=review.organisation,
        actor=by,
        action="scrutiny.review_update",
        obj=review,
        before=before,
        after=snapshot(review, fields),
    )
    return review


@transaction.atomic
def review_set_members(*, review: ServiceReview, people: Iterable[Person], by) -> None:
    """The residents working on a review (people of the same organisation only)."""
    people = list(people)
    if any(p.organisation_id != review.organisation_id for p in people):
        raise RuleViolation(
            code="review.member_other_organisation",
            message="Only people of this organisation can work on its reviews.",
            field="members",
            source=SCRUTINY_RULES,
        )
    before = sorted(review.members.values_list("pk", flat=True))
    review.members.set(people)
    audit_record(
        org=review.organisation,
        actor=by,
        action="scrutiny.review_set_members",
        obj=review,
        before={"members": before},
        after={"members": sorted(p.pk for p in people)},
    )


# --- Recommendations, Board responses, improvement actions -------------------------------


@transaction.atomic
def recommendation_add(
    *, review: ServiceReview, text: str, by, response_due_on: datetime.date | None = None
) -> Recommendation:
    """Add the next numbered recommendation to a review that has not yet reported."""
    review = _locked_review(review)
    if review.stage in (ReviewStage.REPORTED, ReviewStage.WITHDRAWN, ReviewStage.PROPOSED):
        raise RuleViolation(
            code="recommendation.review_stage",
            message="Recommendations are added while the review is under way, before its "
            "report is sent.",
            source=SCRUTINY_RULES,
        )
    last = review.recommendations.order_by("-number").values_list("number", flat=True).first()
    recommendation = Recommendation.objects.create(
        organisation_id=review.organisation_id,
        review=review,
        number=(last or 0) + 1,
        text=text,
        response_due_on=response_due_on,
    )
    audit_record(
        org=review.organisation,
        actor=by,
        action="scrutiny.recommendation_add",
        obj=recommendation,
        after=snapshot(recommendation, ["number", "text", "response_due_on"]),
    )
    return recommendation


@transaction.atomic
def recommendation_set_due(
    *, recommendation: Recommendation, due_on: datetime.date, by
) -> Recommendation:
    """An officer sets the date by which the Board must respond."""
    before = snapshot(recommendation, ["response_due_on"])
    recommendation.response_due_on = due_on
    recommendation.save(update_fields=["response_due_on"])
    audit_record(
        org=recommendation.organisation,
        actor=by,
        action="scrutiny.recommendation_set_due",
        obj=recommendation,
        before=before,
        after=snapshot(recommendation, ["response_due_on"]),
    )
    return recommendation


@transaction.atomic
def response_record(
    *,
    recommendation: Recommendation,
    decision: str,
    responded_on: datetime.date,
    by,
    reasons: str = "",
) -> BoardResponse:
    """Record the Board's formal written response (THT ToR 5: to every recommendation)."""
    recommendation = (
        Recommendation.objects.for_org(recommendation.organisation_id)
        .select_for_update()
        .select_related("review__panel")
        .get(pk=recommendation.pk)
    )
    review = recommendation.review
    terms = terms_in_force(panel=review.panel, on=responded_on)
    refusals = []
    if (
        BoardResponse.objects.for_org(recommendation.organisation_id)
        .filter(recommendation=recommendation)
        .exists()
    ):
        refusals.append(
            Reason(
                "response.already_recorded",
                f"The Board has already responded to R{recommendation.number}.",
                None,
                SCRUTINY_RULES,
            )
        )
    if review.stage != ReviewStage.REPORTED:
        refusals.append(
            Reason(
                "response.not_reported",
                "The Board responds once the review's report has been sent to it.",
                None,
                SCRUTINY_RULES,
            )
        )
    elif responded_on < review.reported_on:
        refusals.append(
            Reason(
                "response.before_report",
                f"The response cannot be dated before the report ({review.reported_on:%d %b %Y}).",
                "responded_on",
                SCRUTINY_RULES,
            )
        )
    if decision != ResponseDecision.ACCEPTED and not reasons.strip():
        source = (
            source_of(terms, "Accountability")
            if terms and terms.board_responds_in_writing
            else SCRUTINY_RULES
        )
        refusals.append(
            Reason(
                "response.reasons_required",
                "A recommendation partly accepted or rejected needs the Board's reasons "
                "in writing.",
                "reasons",
                source,
            )
        )
    raise_if(refusals)
    response = BoardResponse.objects.create(
        organisation_id=recommendation.organisation_id,
        recommendation=recommendation,
        decision=decision,
        reasons=reasons,
        responded_on=responded_on,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit_record(
        org=review.organisation,
        actor=by,
        action="scrutiny.response_record",
        obj=response,
        after=snapshot(response, ["recommendation", "decision", "responded_on"])
        | {"late": response.was_late},
    )
    return response


@transaction.atomic
def action_add(
    *, recommendation: Recommendation, description: str, owner: str, due_on: datetime.date, by
) -> ImprovementAction:
    """Add an improvement-plan action for an accepted or partly accepted recommendation."""
    response = (
        BoardResponse.objects.for_org(recommendation.organisation_id)
        .filter(recommendation=recommendation)
        .first()
    )
    if response is None or response.decision == ResponseDecision.REJECTED:
        raise RuleViolation(
            code="action.not_accepted",
            message="Improvement actions follow a recommendation the Board accepted "
            "(fully or in part).",
            source=SCRUTINY_RULES,
        )
    action = ImprovementAction.objects.create(
        organisation_id=recommendation.organisation_id,
        recommendation=recommendation,
        description=description,
        owner=owner,
        due_on=due_on,
    )
    audit_record(
        org=recommendation.organisation,
        actor=by,
        action="scrutiny.action_add",
        obj=action,
        after=snapshot(action, ["description", "owner", "due_on"]),
    )
    return action


@transaction.atomic
def action_update(
    *,
    action: ImprovementAction,
    status: str,
    by,
    completed_on: datetime.date | None = None,
    completion_evidence: str = "",
) -> ImprovementAction:
    """Move an action on; done needs the date and the evidence of completion."""
    action = (
        ImprovementAction.objects.for_org(action.organisation_id)
        .select_for_update()
        .get(pk=action.pk)
    )
    fields = ["status", "completed_on", "completion_evidence"]
    before = snapshot(action, fields)
    if status == ActionStatus.DONE:
        reasons = []
        if completed_on is None:
            reasons.append(
                Reason(
                    "action.completed_on_required",
                    "Say when the action was completed.",
                    "completed_on",
                    SCRUTINY_RULES,
                )
            )
        if not completion_evidence.strip():
            reasons.append(
                Reason(
                    "action.evidence_required",
                    "A completed action needs evidence of completion.",
                    "completion_evidence",
                    SCRUTINY_RULES,
                )
            )
        raise_if(reasons)
    else:
        completed_on = None
    action.status = status
    action.completed_on = completed_on
    action.completion_evidence = completion_evidence
    action.save(update_fields=fields)
    audit_record(
        org=action.organisation,
        actor=by,
        action="scrutiny.action_update",
        obj=action,
        before=before,
        after=snapshot(action, fields),
    )
    return action


# --- Escalation -------------------------------------------------------------------------


@transaction.atomic
def escalation_raise(
    *, review: ServiceReview, reason: str, raised_on: datetime.date, by
) -> Escalation:
    """The panel is not satisfied with the Board's decision: start the ToR's escalation path."""
    review = _locked_review(review)
    terms = terms_in_force(panel=review.panel, on=raised_on)
    reasons = []
    if terms is None or not terms.escalation_steps:
        reasons.append(
            Reason(
                "escalation.no_path",
                "The terms of reference set out no escalation path for this panel.",
                None,
                source_of(terms, "Accountability") if terms else SCRUTINY_RULES,
            )
        )
    if (
        not BoardResponse.objects.for_org(review.organisation_id)
        .filter(recommendation__review=review)
        .exists()
    ):
        reasons.append(
            Reason(
                "escalation.no_decision",
                "The panel escalates a decision of the Board: no response is recorded yet.",
                None,
                SCRUTINY_RULES,
            )
        )
    if review.escalations.filter(status=EscalationStatus.OPEN).exists():
        reasons.append(
            Reason(
                "escalation.already_open",
                "This review already has an open escalation.",
                None,
                SCRUTINY_RULES,
            )
        )
    if not reason.strip():
        reasons.append(
            Reason("escalation.reason_required", "Say why the panel is not satisfied.", "reason")
        )
    raise_if(reasons)
    escalation = Escalation.objects.create(
        organisation_id=review.organisation_id, review=review, raised_on=raised_on, reason=reason
    )
    EscalationStep.objects.bulk_create(
        [
            EscalationStep(
                organisation_id=review.organisation_id,
                escalation=escalation,
                number=index,
                description=text,
                started_on=raised_on if index == 1 else None,
            )
            for index, text in enumerate(terms.escalation_steps, start=1)
        ]
    )
    audit_record(
        org=review.organisation,
        actor=by,
        action="scrutiny.escalation_raise",
        obj=escalation,
        after={"steps": len(terms.escalation_steps)},
        reason=reason,
    )
    return escalation


@transaction.atomic
def escalation_step_complete(
    *, step: EscalationStep, completed_on: datetime.date, outcome: str, resolved: bool, by
) -> Escalation:
    """Close the current step: resolved ends the escalation, otherwise the next step starts."""
    escalation = (
        Escalation.objects.for_org(step.organisation_id)
        .select_for_update()
        .get(pk=step.escalation_id)
    )
    steps = list(escalation.steps.order_by("number"))
    current = next((s for s in steps if s.completed_on is None), None)
    reasons = []
    if escalation.status != EscalationStatus.OPEN:
        reasons.append(
            Reason("escalation.closed", "This escalation is closed.", None, SCRUTINY_RULES)
        )
    elif current is None or current.pk != step.pk:
        reasons.append(
            Reason(
                "escalation.step_order",
                "Steps are taken in order: the current step is "
                f"{current.number if current else '—'}.",
                None,
                SCRUTINY_RULES,
            )
        )
    elif current.started_on and completed_on < current.started_on:
        reasons.append(
            Reason(
                "escalation.step_date",
                "A step cannot end before it started.",
                "completed_on",
                SCRUTINY_RULES,
            )
        )
    if not outcome.strip():
        reasons.append(
            Reason("escalation.outcome_required", "Record the outcome of the step.", "outcome")
        )
    raise_if(reasons)
    current.completed_on = completed_on
    current.outcome = outcome
    current.save(update_fields=["completed_on", "outcome"])
    following = next((s for s in steps if s.number == current.number + 1), None)
    fields = []
    if resolved:
        escalation.status, escalation.closed_on = EscalationStatus.RESOLVED, completed_on
        fields = ["status", "closed_on"]
    elif following is None:
        escalation.status, escalation.closed_on = EscalationStatus.EXHAUSTED, completed_on
        fields = ["status", "closed_on"]
    else:
        following.started_on = completed_on
        following.save(update_fields=["started_on"])
    if fields:
        escalation.save(update_fields=fields)
    audit_record(
        org=escalation.organisation,
        actor=by,
        action="scrutiny.escalation_step_complete",
        obj=current,
        after={"outcome": outcome, "resolved": resolved, "escalation": escalation.status},
    )
    return escalation


# --- Work plan, champions, budget, sub-groups ---------------------------------------------


@transaction.atomic
def priority_create(
    *,
    panel: Panel,
    year: int,
    title: str,
    by,
    description: str = "",
    review_due_on: datetime.date | None = None,
) -> WorkPlanPriority:
    """Agree an annual priority for the work plan (HFH ToR 3a: six-monthly review)."""
    if (
        WorkPlanPriority.objects.for_org(_org(panel))
        .filter(panel=panel, year=year, title=title)
        .exists()
    ):
        raise RuleViolation(
            code="priority.duplicate",
            message=f"“{title}” is already a priority for {year}.",
            field="title",
            source=SCRUTINY_RULES,
        )
    priority = WorkPlanPriority.objects.create(
        organisation=_org(panel),
        panel=panel,
        year=year,
        title=title,
        description=description,
        review_due_on=review_due_on,
    )
    audit_record(
        org=priority.organisation,
        actor=by,
        action="scrutiny.priority_create",
        obj=priority,
        after=snapshot(priority, ["year", "title", "review_due_on"]),
    )
    return priority


@transaction.atomic
def priority_review(
    *, priority: WorkPlanPriority, reviewed_on: datetime.date, note: str, status: str, by
) -> WorkPlanPriority:
    """Record the six-monthly review of a priority."""
    fields = ["reviewed_on", "review_note", "status"]
    before = snapshot(priority, fields)
    priority.reviewed_on, priority.review_note, priority.status = reviewed_on, note, status
    priority.save(update_fields=fields)
    audit_record(
        org=priority.organisation,
        actor=by,
        action="scrutiny.priority_review",
        obj=priority,
        before=before,
        after=snapshot(priority, fields),
    )
    return priority


@transaction.atomic
def champion_assign(
    *, priority: WorkPlanPriority, person: Person, since: datetime.date, by
) -> PriorityChampion:
    """A resident lead champions a priority; the ToR caps how many each may champion."""
    org = priority.organisation
    # Lock the person's row so two assignments at once cannot both pass the count.
    person = Person.objects.for_org(org).select_for_update().get(pk=person.pk)
    terms = terms_in_force(panel=priority.panel, on=since)
    held = (
        PriorityChampion.objects.for_org(org)
        .filter(
            person=person,
            priority__panel=priority.panel,
            priority__year=priority.year,
            priority__status=PriorityStatus.ACTIVE,
        )
        .exclude(priority=priority)
        .count()
    )
    reasons = champion_refusals(terms=terms, priorities_championed=held) if terms else []
    if PriorityChampion.objects.for_org(org).filter(priority=priority, person=person).exists():
        reasons.append(
            Reason(
                "champion.already",
                f"{person} already champions this priority.",
                "person",
                SCRUTINY_RULES,
            )
        )
    raise_if(reasons)
    link = PriorityChampion.objects.create(
        organisation=org, priority=priority, person=person, since=since
    )
    audit_record(
        org=org,
        actor=by,
        action="scrutiny.champion_assign",
        obj=link,
        after={"priority": priority.pk, "person": person.pk},
    )
    return link


@transaction.atomic
def work_item_add(
    *,
    priority: WorkPlanPriority,
    title: str,
    outputs: str,
    by,
    due_on: datetime.date | None = None,
    supported_by: str = "",
) -> WorkPlanItem:
    """A work plan item with its required outputs (HFH ToR 4)."""
    item = WorkPlanItem.objects.create(
        organisation_id=priority.organisation_id,
        priority=priority,
        title=title,
        outputs=outputs,
        due_on=due_on,
        supported_by=supported_by,
    )
    audit_record(
        org=priority.organisation,
        actor=by,
        action="scrutiny.work_item_add",
        obj=item,
        after=snapshot(item, ["title", "outputs", "due_on"]),
    )
    return item


@transaction.atomic
def budget_set(*, panel: Panel, year: int, total: Decimal, by) -> NeighbourhoodBudget:
    budget, created = NeighbourhoodBudget.objects.for_org(_org(panel)).get_or_create(
        organisation=_org(panel), panel=panel, year=year, defaults={"total": total}
    )
    before = None if created else snapshot(budget, ["total"])
    if not created:
        budget.total = total
        budget.save(update_fields=["total"])
    audit_record(
        org=budget.organisation,
        actor=by,
        action="scrutiny.budget_set",
        obj=budget,
        before=before,
        after=snapshot(budget, ["year", "total"]),
    )
    return budget


@transaction.atomic
def budget_allocate(
    *,
    budget: NeighbourhoodBudget,
    title: str,
    amount: Decimal,
    allocated_on: datetime.date,
    by,
    priority: WorkPlanPriority | None = None,
) -> BudgetAllocation:
    """Allocate part of the neighbourhood improvement budget, linked to a priority."""
    budget = (
        NeighbourhoodBudget.objects.for_org(budget.organisation_id)
        .select_for_update()
        .get(pk=budget.pk)
    )
    allocated = sum((a.amount for a in budget.allocations.all()), Decimal("0"))
    reasons = []
    if amount <= 0:
        reasons.append(
            Reason("budget.amount", "Allocate a positive amount.", "amount", SCRUTINY_RULES)
        )
    elif allocated + amount > budget.total:
        reasons.append(
            Reason(
                "budget.over_allocated",
                f"Only £{budget.total - allocated} of the £{budget.total} budget is unallocated.",
                "amount",
                SCRUTINY_RULES,
            )
        )
    if priority is not None and priority.panel_id != budget.panel_id:
        reasons.append(
            Reason(
                "budget.priority_other_panel",
                "Link allocations to this panel's priorities.",
                "priority",
                SCRUTINY_RULES,
            )
        )
    raise_if(reasons)
    allocation = BudgetAllocation.objects.create(
        organisation_id=budget.organisation_id,
        budget=budget,
        priority=priority,
        title=title,
        amount=amount,
        allocated_on=allocated_on,
    )
    audit_record(
        org=budget.organisation,
        actor=by,
        action="scrutiny.budget_allocate",
        obj=allocation,
        after=snapshot(allocation, ["title", "amount", "priority"]),
    )
    return allocation


@transaction.atomic
def budget_spend(
    *,
    allocation: BudgetAllocation,
    amount: Decimal,
    spent_on: datetime.date,
    description: str,
    by,
) -> BudgetSpend:
    """Record spend against an allocation; never more than was allocated."""
    allocation = (
        BudgetAllocation.objects.for_org(allocation.organisation_id)
        .select_for_update()
        .get(pk=allocation.pk)
    )
    spent = sum((s.amount for s in allocation.spends.all()), Decimal("0"))
    if amount <= 0 or spent + amount > allocation.amount:
        raise RuleViolation(
            code="budget.overspent",
            message=f"£{allocation.amount - spent} of this £{allocation.amount} allocation "
            "is left to spend.",
            field="amount",
            source=SCRUTINY_RULES,
        )
    spend = BudgetSpend.objects.create(
        organisation_id=allocation.organisation_id,
        allocation=allocation,
        amount=amount,
        spent_on=spent_on,
        description=description,
    )
    audit_record(
        org=allocation.organisation,
        actor=by,
        action="scrutiny.budget_spend",
        obj=spend,
        after=snapshot(spend, ["amount", "spent_on", "description"]),
    )
    return spend


@transaction.atomic
def sub_group_create(
    *,
    panel: Panel,
    name: str,
    kind: str,
    formed_on: datetime.date,
    by,
    purpose: str = "",
    members: Iterable[Person] = (),
    review: ServiceReview | None = None,
) -> SubGroup:
    """Form a sub-group or working party of the panel with its members."""
    members = list(members)
    if any(p.organisation_id != panel.organisation_id for p in members):
        raise RuleViolation(
            code="sub_group.member_other_organisation",
            message="Only people of this organisation can join its sub-groups.",
            field="members",
            source=SCRUTINY_RULES,
        )
    if SubGroup.objects.for_org(_org(panel)).filter(panel=panel, name=name).exists():
        raise RuleViolation(
            code="sub_group.duplicate",
            message=f"The panel already has a group called “{name}”.",
            field="name",
            source=SCRUTINY_RULES,
        )
    group = SubGroup.objects.create(
        organisation=_org(panel),
        panel=panel,
        name=name,
        kind=kind,
        purpose=purpose,
        formed_on=formed_on,
        review=review,
    )
    group.members.set(members)
    audit_record(
        org=group.organisation,
        actor=by,
        action="scrutiny.sub_group_create",
        obj=group,
        after={"name": name, "kind": kind, "members": [p.pk for p in members]},
    )
    return group


# --- Policies -------------------------------------------------------------------------


@transaction.atomic
def policy_present(
    *,
    panel: Panel,
    title: str,
    presented_on: datetime.date,
    by,
    is_strategy: bool = False,
    goes_to: str = "",
) -> PolicyReview:
    """Put a customer-facing policy or strategy to the panel for approval or sign-off."""
    policy = PolicyReview.objects.create(
        organisation=_org(panel),
        panel=panel,
        title=title,
        presented_on=presented_on,
        is_strategy=is_strategy,
        goes_to=goes_to,
    )
    audit_record(
        org=policy.organisation,
        actor=by,
        action="scrutiny.policy_present",
        obj=policy,
        after=snapshot(policy, ["title", "presented_on"]),
    )
    return policy


@transaction.atomic
def policy_record_outcome(
    *, policy: PolicyReview, outcome: str, outcome_on: datetime.date, comments: str, by
) -> PolicyReview:
    """Record the panel's decision on a policy put to it."""
    reasons = []
    if outcome == PolicyOutcome.PENDING:
        reasons.append(Reason("policy.outcome_required", "Choose the panel's decision.", "outcome"))
    if outcome_on < policy.presented_on:
        reasons.append(
            Reason(
                "policy.outcome_date",
                "The decision cannot be dated before the policy was presented.",
                "outcome_on",
                SCRUTINY_RULES,
            )
        )
    if outcome in (PolicyOutcome.NOT_APPROVED, PolicyOutcome.APPROVED_WITH_CHANGES) and not (
        comments.strip()
    ):
        reasons.append(
            Reason(
                "policy.comments_required",
                "Say what the panel wants changed, or why it did not approve.",
                "comments",
                SCRUTINY_RULES,
            )
        )
    raise_if(reasons)
    fields = ["outcome", "outcome_on", "panel_comments"]
    before = snapshot(policy, fields)
    policy.outcome, policy.outcome_on, policy.panel_comments = outcome, outcome_on, comments
    policy.save(update_fields=fields)
    audit_record(
        org=policy.organisation,
        actor=by,
        action="scrutiny.policy_record_outcome",
        obj=policy,
        before=before,
        after=snapshot(policy, fields),
    )
    return policy


# --- Notice to Act ----------------------------------------------------------------------------

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
    from meetings.models import Motion, MotionKind

    motion = (
        Motion.objects.for_org(panel.organisation_id)
        .select_for_update()
        .select_related("meeting")
        .get(pk=motion.pk)
    )
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
