"""Landlord-sized data (scrutiny layer): measures from the Tenant Satisfaction Measures
catalogue with a result for every period of the history, evidence, service reviews with
recommendations, Board responses and improvement actions, and a Notice to Act for every
carried Notice to Act motion.

Reviews follow the stage order: older ones reported with every recommendation answered
(reasons where not accepted; an accepted one gets actions, done ones with evidence), the
latest still open. Some Board responses come after the date set, so the notices layer
finds board-response breaches.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from meetings.models import Motion, MotionKind, MotionOutcome
from members.models import Membership
from panels import rules
from panels.models import Organisation, Panel, TermsOfReference
from panels.scale import ScalePlan, bulk
from scrutiny.catalogue import TENANT_SATISFACTION_MEASURES
from scrutiny.models import (
    ActionStatus,
    BoardResponse,
    EvidenceItem,
    EvidenceKind,
    ImprovementAction,
    Measure,
    MeasureResult,
    NoticeToAct,
    Polarity,
    Recommendation,
    ReportingPeriod,
    ResponseDecision,
    ReviewStage,
    ServiceReview,
    TopicSource,
)

MEASURES_PER_PANEL = (6, 10)
REVIEW_TITLES = (
    ("Repairs: getting it right first time", "Repairs"),
    ("Complaints handling and learning", "Complaints"),
    ("Damp and mould response", "Repairs"),
    ("Anti-social behaviour case handling", "Neighbourhoods"),
    ("Communal cleaning standards", "Estates"),
    ("Lettings and void standards", "Lettings"),
    ("Rent arrears support", "Income"),
    ("Digital access to services", "Customer services"),
)
LATE_RESPONSE_SHARE = 0.15
# Synthetic volume, not a rule: reviews a year to generate where the ToR sets no target.
REVIEWS_A_YEAR_WHERE_NOT_STATED = 2


def seed_org(plan: ScalePlan, org: Organisation, org_index: int) -> None:
    rng = plan.rng("scrutiny", org_index)
    panels = list(Panel.objects.for_org(org).order_by("id"))
    terms_of = {t.panel_id: t for t in TermsOfReference.objects.for_org(org)}
    members_of: dict[int, list[int]] = {}
    for panel_id, person_id in (
        Membership.objects.for_org(org)
        .filter(ended_on__isnull=True)
        .values_list("panel_id", "person_id")
    ):
        members_of.setdefault(panel_id, []).append(person_id)

    measures = []
    for panel in panels:
        count = rng.randint(*MEASURES_PER_PANEL)
        for spec in rng.sample(TENANT_SATISFACTION_MEASURES, k=count):
            higher = spec.polarity == Polarity.HIGHER_IS_BETTER
            target = Decimal(rng.randint(70, 90) if spec.unit == "%" else rng.randint(5, 40))
            measures.append(
                Measure(
                    organisation=org,
                    panel=panel,
                    code=spec.code,
                    name=spec.name,
                    definition=spec.definition,
                    unit=spec.unit,
                    polarity=spec.polarity,
                    target=target,
                    tolerance=Decimal(rng.randint(2, 5)),
                    period=ReportingPeriod.MONTH if rng.random() < 0.4 else ReportingPeriod.QUARTER,
                )
            )
            measures[-1]._higher = higher
    measures = bulk(Measure, measures)
    bulk(MeasureResult, [r for m in measures for r in _results(rng, plan, org, m)])

    evidence = []
    for panel in panels:
        for day in _quarter_starts(plan):
            kind = rng.choice(EvidenceKind.values)
            evidence.append(
                EvidenceItem(
                    organisation=org,
                    panel=panel,
                    kind=kind,
                    title=f"{EvidenceKind(kind).label} {day:%B %Y}",
                    dated=day,
                    summary="Received by the panel and discussed at its meeting.",
                    is_confidential=rng.random() < 0.1,
                )
            )
    bulk(EvidenceItem, evidence)

    reviews, recs_of = [], {}
    for panel in panels:
        terms = terms_of[panel.pk]
        per_year = rules.review_progress(terms=terms, completed=0).target or (
            REVIEWS_A_YEAR_WHERE_NOT_STATED
        )
        panel_measures = [m for m in measures if m.panel_id == panel.pk]
        for year_start in _year_starts(plan):
            for n in range(per_year):
                proposed = year_start + datetime.timedelta(days=n * (365 // per_year))
                if proposed >= plan.base_date:
                    continue
                reviews.append(_review(rng, plan, org, panel, terms, panel_measures, proposed))
    reviews = bulk(ServiceReview, reviews)
    through = ServiceReview.members.through
    bulk(
        through,
        [
            through(servicereview_id=review.pk, person_id=person_id)
            for review in reviews
            for person_id in rng.sample(
                members_of.get(review.panel_id, []),
                k=min(3, len(members_of.get(review.panel_id, []))),
            )
        ],
    )
    recommendations = []
    for review in reviews:
        if review.recommendations_on is None:
            continue
        for number in range(1, rng.randint(3, 5) + 1):
            recommendations.append(
                Recommendation(
                    organisation=org,
                    review=review,
                    number=number,
                    text=f"{review.service_area}: recommendation {number} of the review.",
                    response_due_on=review.recommendations_on + datetime.timedelta(days=56),
                )
            )
            recs_of.setdefault(review.pk, []).append(recommendations[-1])
    recommendations = bulk(Recommendation, recommendations)
    responses, actions = [], []
    for rec in recommendations:
        due = rec.response_due_on
        late = rng.random() < LATE_RESPONSE_SHARE
        responded = due + datetime.timedelta(
            days=rng.randint(1, 20) if late else -rng.randint(0, 20)
        )
        if responded >= plan.base_date:
            continue
        decision = rng.choices(
            (
                ResponseDecision.ACCEPTED,
                ResponseDecision.PARTLY_ACCEPTED,
                ResponseDecision.REJECTED,
            ),
            weights=(70, 20, 10),
        )[0]
        responses.append(
            BoardResponse(
                organisation=org,
                recommendation=rec,
                decision=decision,
                reasons=""
                if decision == ResponseDecision.ACCEPTED
                else "Part of this is already in the business plan; the rest is not affordable.",
                responded_on=responded,
            )
        )
        if decision != ResponseDecision.REJECTED:
            actions.append(_action(rng, plan, org, rec, responded))
    bulk(BoardResponse, responses)
    bulk(ImprovementAction, actions)
    _notices_to_act(org, terms_of)


def _results(rng, plan: ScalePlan, org, measure: Measure) -> list[MeasureResult]:
    starts = (
        _month_starts(plan) if measure.period == ReportingPeriod.MONTH else _quarter_starts(plan)
    )
    rows = []
    for start in starts:
        drift = Decimal(rng.randint(-80, 40)) / 10 * (1 if measure._higher else -1)
        value = max(Decimal(0), measure.target + drift)
        if measure.unit == "%":
            value = min(value, Decimal(100))
        rows.append(
            MeasureResult(organisation=org, measure=measure, period_start=start, value=value)
        )
    return rows


def _month_starts(plan: ScalePlan) -> list[datetime.date]:
    day = plan.first_day.replace(day=1)
    out = []
    while day < plan.base_date.replace(day=1):
        out.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return out


def _quarter_starts(plan: ScalePlan) -> list[datetime.date]:
    return [d for d in _month_starts(plan) if d.month in (1, 4, 7, 10)]


def _year_starts(plan: ScalePlan) -> list[datetime.date]:
    return [d for d in _month_starts(plan) if d.month == 4]


def _review(rng, plan, org, panel, terms, measures, proposed) -> ServiceReview:
    title, area = rng.choice(REVIEW_TITLES)
    review = ServiceReview(
        organisation=org,
        panel=panel,
        title=f"{title} ({proposed.year})",
        service_area=area,
        topic_source=rng.choice(TopicSource.values),
        source_detail="Raised by results below target and complaints.",
        source_measure=rng.choice(measures) if measures else None,
        proposed_on=proposed,
        scope=f"How well {area.lower()} works for residents.",
        reported_to=terms.reports_to or panel.reports_to,
    )
    # Each stage takes three to eight weeks; stages not reached by the base date stay empty.
    day = proposed
    stage = ReviewStage.PROPOSED
    for name, field in (
        (ReviewStage.SCOPING, "scoping_on"),
        (ReviewStage.EVIDENCE, "evidence_on"),
        (ReviewStage.FINDINGS, "findings_on"),
        (ReviewStage.RECOMMENDATIONS, "recommendations_on"),
        (ReviewStage.REPORTED, "reported_on"),
    ):
        day = day + datetime.timedelta(days=rng.randint(21, 56))
        if day >= plan.base_date:
            break
        setattr(review, field, day)
        stage = name
    review.stage = stage
    if review.findings_on:
        review.findings = "Residents wait too long and are not told what happens next."
    if stage == ReviewStage.REPORTED:
        review.public_summary = f"The panel reviewed {area.lower()} and made recommendations."
    return review


def _action(rng, plan, org, rec, responded) -> ImprovementAction:
    due = responded + datetime.timedelta(days=rng.randint(30, 180))
    done = due < plan.base_date and rng.random() < 0.7
    return ImprovementAction(
        organisation=org,
        recommendation=rec,
        description=f"Put recommendation {rec.number} into practice.",
        owner="Head of Service",
        due_on=due,
        status=ActionStatus.DONE if done else ActionStatus.IN_PROGRESS,
        completed_on=due - datetime.timedelta(days=rng.randint(0, 20)) if done else None,
        completion_evidence="New procedure in place; checked by the panel." if done else "",
    )


def _notices_to_act(org: Organisation, terms_of: dict[int, TermsOfReference]) -> None:
    carried = (
        Motion.objects.for_org(org)
        .filter(kind=MotionKind.NOTICE_TO_ACT, outcome=MotionOutcome.CARRIED)
        .select_related("meeting")
    )
    bulk(
        NoticeToAct,
        [
            NoticeToAct(
                organisation=org,
                panel_id=motion.meeting.panel_id,
                motion=motion,
                service_failure="Emergency repairs are not completed within 24 hours.",
                served_on=motion.meeting.date + datetime.timedelta(days=3),
                sent_via=f"{terms_of[motion.meeting.panel_id].reports_to or 'Board'} and the "
                "Lead Officer",
                answer_due_on=motion.meeting.date + datetime.timedelta(days=31),
            )
            for motion in carried
        ],
    )
