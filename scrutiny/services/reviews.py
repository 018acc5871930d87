"""Service reviews and their evidence: proposing, advancing, withdrawing, editing."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction

from members.models import Person
from panels import files
from panels.audit import audit_record, snapshot
from panels.errors import Reason, RuleViolation, raise_if
from panels.models import Panel
from panels.selectors import terms_in_force
from scrutiny.models import (
    REVIEW_STAGE_DATE_FIELD,
    REVIEW_STAGE_ORDER,
    EvidenceItem,
    Measure,
    MeasureResult,
    ReviewStage,
    ServiceReview,
    TopicSource,
)
from scrutiny.performance import measure_state
from scrutiny.services._common import SCRUTINY_RULES, _locked_review, _org


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
    """File a dated piece of evidence (complaints learning, survey, inspector report, minutes).
    A file must be an allowed kind within the size limit (panels.files)."""
    checked = (
        files.upload_check(upload=file, policy=files.EVIDENCE, field="file", label="Evidence file")
        if file
        else None
    )
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
    if checked is not None:
        item.original_name = files.store_upload(item.file, file, checked)
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
