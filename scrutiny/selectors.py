"""Reads for scrutiny pages and the API. Each page's query count is constant in its rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from meetings import selectors as meeting_selectors
from meetings.models import MotionKind
from members.models import Person
from panels import rules
from panels.errors import Reason
from panels.models import Organisation, Panel
from panels.rules import ReviewProgress, review_progress
from panels.selectors import terms_in_force
from panels.tenancy import get_for_org_or_404
from scrutiny.models import (
    ActionStatus,
    BoardResponse,
    BudgetAllocation,
    Escalation,
    EscalationStatus,
    EscalationStep,
    EvidenceItem,
    ImprovementAction,
    Measure,
    MeasureResult,
    NeighbourhoodBudget,
    NoticeToAct,
    PolicyReview,
    PriorityChampion,
    PriorityStatus,
    Recommendation,
    ReviewStage,
    ServiceReview,
    SubGroup,
    WorkPlanPriority,
)
from scrutiny.performance import MeasureState, measure_state

OPEN_STAGES = [
    ReviewStage.PROPOSED,
    ReviewStage.SCOPING,
    ReviewStage.EVIDENCE,
    ReviewStage.FINDINGS,
    ReviewStage.RECOMMENDATIONS,
]
OPEN_ACTION_STATUSES = [ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS]
NOT_FETCHED = object()  # "the caller has not fetched the ToR", unlike None: "no ToR in force"


# --- Access helpers: a missing row and another organisation's row are the same 404 ----------


def access_measure(*, org: Organisation, measure_id) -> Measure:
    return get_for_org_or_404(Measure, org=org, pk=measure_id)


def access_review(*, org: Organisation, review_id) -> ServiceReview:
    return get_for_org_or_404(ServiceReview, org=org, pk=review_id)


def access_recommendation(*, org: Organisation, recommendation_id) -> Recommendation:
    return get_for_org_or_404(Recommendation, org=org, pk=recommendation_id)


def access_action(*, org: Organisation, action_id) -> ImprovementAction:
    return get_for_org_or_404(ImprovementAction, org=org, pk=action_id)


# --- Measures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureRow:
    measure: Measure
    state: MeasureState


def measure_list(*, org: Organisation, panel: Panel | None = None) -> QuerySet[Measure]:
    measures = Measure.objects.for_org(org).select_related("panel")
    if panel is not None:
        measures = measures.filter(panel=panel)
    return measures.order_by("code", "name")


def measure_rows(*, org: Organisation, panel: Panel) -> list[MeasureRow]:
    """Every active measure of the panel with its RAG and trend: two queries for any number."""
    measures = (
        measure_list(org=org, panel=panel)
        .filter(is_active=True)
        .prefetch_related(
            Prefetch(
                "results",
                queryset=MeasureResult.objects.for_org(org).order_by("period_start"),
            )
        )
    )
    return [MeasureRow(measure=m, state=state_of(m)) for m in measures]


def state_of(measure: Measure) -> MeasureState:
    return measure_state(
        target=measure.target,
        tolerance=measure.tolerance,
        polarity=measure.polarity,
        period=measure.period,
        results=[(r.period_start, r.value) for r in measure.results.all()],
    )


def result_list(*, org: Organisation, measure: Measure | None = None) -> QuerySet[MeasureResult]:
    results = MeasureResult.objects.for_org(org).select_related("measure")
    if measure is not None:
        results = results.filter(measure=measure)
    return results.order_by("measure_id", "-period_start")


# --- Reviews ------------------------------------------------------------------------------


def review_list(*, org: Organisation, panel: Panel | None = None) -> QuerySet[ServiceReview]:
    reviews = (
        ServiceReview.objects.for_org(org)
        .select_related("panel", "source_measure")
        .annotate(recommendation_count=Count("recommendations", distinct=True))
    )
    if panel is not None:
        reviews = reviews.filter(panel=panel)
    return reviews.order_by("-proposed_on", "title")


def review_workspace(*, org: Organisation, review_id) -> ServiceReview:
    """A review with everything its workspace shows, in a fixed number of queries."""
    recommendations = Recommendation.objects.for_org(org).select_related("response")
    queryset = (
        ServiceReview.objects.for_org(org)
        .select_related("panel", "source_measure")
        .prefetch_related(
            Prefetch("recommendations", queryset=recommendations.order_by("number")),
            Prefetch(
                "recommendations__actions",
                queryset=ImprovementAction.objects.for_org(org).order_by("due_on", "pk"),
            ),
            Prefetch("evidence", queryset=EvidenceItem.objects.for_org(org)),
            Prefetch(
                "members", queryset=Person.objects.for_org(org).order_by("last_name", "first_name")
            ),
            Prefetch(
                "escalations",
                queryset=Escalation.objects.for_org(org).prefetch_related(
                    Prefetch("steps", queryset=EscalationStep.objects.for_org(org))
                ),
            ),
        )
    )
    try:
        return queryset.get(pk=review_id)
    except (ServiceReview.DoesNotExist, ValueError, TypeError):
        raise Http404("No review here.") from None


def reviews_completed_in_year(
    *, org: Organisation, panel: Panel, year: int, as_of: datetime.date | None = None
) -> int:
    """Reviews completed (reported to the Board, not since withdrawn) in a calendar year, up
    to ``as_of`` when given: the one count the scrutiny dashboard and the Board report use
    against the ToR's annual target."""
    reviews = ServiceReview.objects.for_org(org).filter(
        panel=panel, stage=ReviewStage.REPORTED, reported_on__year=year
    )
    if as_of is not None:
        reviews = reviews.filter(reported_on__lte=as_of)
    return reviews.count()


def review_target_progress(
    *, org: Organisation, panel: Panel, today: datetime.date, terms=NOT_FETCHED
) -> ReviewProgress:
    """Reviews reported this calendar year against the ToR's annual target (THT: three).
    Pass the ToR in force today when the caller already has it."""
    if terms is NOT_FETCHED:
        terms = terms_in_force(panel=panel, on=today)
    completed = reviews_completed_in_year(org=org, panel=panel, year=today.year, as_of=today)
    return review_progress(terms=terms, completed=completed)


def review_list_public(*, org: Organisation) -> QuerySet[ServiceReview]:
    """Completed reviews of public panels, with the Board's decisions (no confidential data)."""
    return (
        ServiceReview.objects.for_org(org)
        .filter(stage=ReviewStage.REPORTED, panel__is_public=True)
        .select_related("panel")
        .prefetch_related(
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.for_org(org)
                .select_related("response")
                .annotate(
                    actions_total=Count("actions"),
                    actions_done=Count("actions", filter=Q(actions__status=ActionStatus.DONE)),
                )
                .order_by("number"),
            )
        )
        .order_by("-reported_on")
    )


# --- Responses and actions ----------------------------------------------------------------


def responses_overdue(*, org: Organisation, today: datetime.date, panel: Panel | None = None):
    """Recommendations whose response date has passed without a Board response."""
    recommendations = (
        Recommendation.objects.for_org(org)
        .filter(response_due_on__lt=today, response__isnull=True)
        .select_related("review", "review__panel")
    )
    if panel is not None:
        recommendations = recommendations.filter(review__panel=panel)
    return recommendations.order_by("response_due_on")


def response_list(*, org: Organisation) -> QuerySet[BoardResponse]:
    return BoardResponse.objects.for_org(org).select_related("recommendation")


def action_list(
    *,
    org: Organisation,
    today: datetime.date,
    panel: Panel | None = None,
    status: str = "",
    overdue_only: bool = False,
    owner: str = "",
    review: ServiceReview | None = None,
) -> QuerySet[ImprovementAction]:
    """The action tracker: improvement actions, filtered."""
    actions = ImprovementAction.objects.for_org(org).select_related(
        "recommendation", "recommendation__review", "recommendation__review__panel"
    )
    if panel is not None:
        actions = actions.filter(recommendation__review__panel=panel)
    if review is not None:
        actions = actions.filter(recommendation__review=review)
    if status:
        actions = actions.filter(status=status)
    if overdue_only:
        actions = actions.filter(due_on__lt=today, status__in=OPEN_ACTION_STATUSES)
    if owner:
        actions = actions.filter(owner__icontains=owner)
    return actions.order_by("due_on", "pk")


def escalation_possible(*, review: ServiceReview, today: datetime.date) -> bool:
    """Whether the panel may start an escalation now: the ToR in force sets out a path and no
    escalation of the review is open. Reads the workspace's prefetched escalations."""
    if any(e.status == EscalationStatus.OPEN for e in review.escalations.all()):
        return False
    terms = terms_in_force(panel=review.panel, on=today)
    return bool(terms and terms.escalation_steps)


def escalation_current_step(*, org: Organisation, review: ServiceReview) -> EscalationStep | None:
    """The step under way in the review's open escalation, if any."""
    return (
        EscalationStep.objects.for_org(org)
        .filter(
            escalation__review=review,
            escalation__status=EscalationStatus.OPEN,
            completed_on__isnull=True,
        )
        .order_by("number")
        .first()
    )


# --- Dashboard ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    panel: Panel
    measures: list[MeasureRow]
    open_reviews: list[ServiceReview]
    overdue_responses: list[Recommendation]
    overdue_actions: list[ImprovementAction]
    progress: ReviewProgress
    topic_flag: Reason | None = None

    @property
    def rag_counts(self) -> dict[str, int]:
        counts = {"green": 0, "amber": 0, "red": 0, "none": 0}
        for row in self.measures:
            counts[row.state.latest.rag if row.state.latest else "none"] += 1
        return counts


def dashboard(
    *, org: Organisation, panel: Panel, today: datetime.date, terms=NOT_FETCHED
) -> Dashboard:
    """The panel's scrutiny dashboard. Constant queries whatever the number of measures."""
    if terms is NOT_FETCHED:
        terms = terms_in_force(panel=panel, on=today)
    return Dashboard(
        panel=panel,
        measures=measure_rows(org=org, panel=panel),
        open_reviews=list(review_list(org=org, panel=panel).filter(stage__in=OPEN_STAGES)),
        overdue_responses=list(responses_overdue(org=org, today=today, panel=panel)),
        overdue_actions=list(action_list(org=org, today=today, panel=panel, overdue_only=True)),
        progress=review_target_progress(org=org, panel=panel, today=today, terms=terms),
        topic_flag=board_topic_flag(org=org, panel=panel, year=today.year, terms=terms),
    )


def board_topic_flag(*, org: Organisation, panel: Panel, year: int, terms) -> Reason | None:
    """THT: the year's review topics (proposed that year, not withdrawn) include none
    nominated by the Board or executive team (rules.board_topic_flag). One query, only
    where the ToR asks for such a topic."""
    if terms is None or not terms.board_nominated_topic_required:
        return None
    sources = (
        ServiceReview.objects.for_org(org)
        .filter(panel=panel, proposed_on__year=year)
        .exclude(stage=ReviewStage.WITHDRAWN)
        .values_list("topic_source", flat=True)
    )
    return rules.board_topic_flag(terms=terms, year=year, topic_sources=sources)


# --- Evidence, work plan, budget, groups, policies --------------------------------------------


def evidence_list(*, org: Organisation, panel: Panel | None = None) -> QuerySet[EvidenceItem]:
    items = EvidenceItem.objects.for_org(org).select_related("panel")
    if panel is not None:
        items = items.filter(panel=panel)
    return items.order_by("-dated", "title")


def priorities_reviews_due(
    *, org: Organisation, terms_by_panel: dict, today: datetime.date
) -> dict[int, rules.PrioritiesReview]:
    """{panel id: the review of this year's priorities} for panels whose ToR sets a review
    every few months (HFH 2a: six-monthly) and which have active priorities this year whose
    review is due (rules.priorities_review_state). One query whatever the number of panels."""
    panels = {pk: t for pk, t in terms_by_panel.items() if t.priorities_review_months}
    if not panels:
        return {}
    last: dict[int, datetime.date | None] = {}
    for panel_id, reviewed_on in (
        WorkPlanPriority.objects.for_org(org)
        .filter(panel_id__in=list(panels), year=today.year, status=PriorityStatus.ACTIVE)
        .values_list("panel_id", "reviewed_on")
    ):
        # The review covers all the year's priorities: due from the oldest last review.
        current = last.get(panel_id, reviewed_on)
        last[panel_id] = (
            None if current is None or reviewed_on is None else min(current, reviewed_on)
        )
    due = {}
    for panel_id, reviewed_on in last.items():
        state = rules.priorities_review_state(
            terms=panels[panel_id], year=today.year, last_reviewed_on=reviewed_on, today=today
        )
        if state is not None and state.is_due:
            due[panel_id] = state
    return due


def work_plan(*, org: Organisation, panel: Panel, year: int) -> QuerySet[WorkPlanPriority]:
    return (
        WorkPlanPriority.objects.for_org(org)
        .filter(panel=panel, year=year)
        .prefetch_related(
            Prefetch(
                "champion_links",
                queryset=PriorityChampion.objects.for_org(org).select_related("person"),
            ),
            "items",
        )
        .order_by("title")
    )


def budget_for_year(*, org: Organisation, panel: Panel, year: int) -> NeighbourhoodBudget | None:
    return (
        NeighbourhoodBudget.objects.for_org(org)
        .filter(panel=panel, year=year)
        .prefetch_related(
            Prefetch(
                "allocations",
                queryset=BudgetAllocation.objects.for_org(org)
                .select_related("priority")
                .prefetch_related("spends"),
            )
        )
        .first()
    )


def sub_group_list(*, org: Organisation, panel: Panel) -> QuerySet[SubGroup]:
    return (
        SubGroup.objects.for_org(org)
        .filter(panel=panel)
        .select_related("review")
        .prefetch_related("members")
    )


def policy_list(*, org: Organisation, panel: Panel) -> QuerySet[PolicyReview]:
    return PolicyReview.objects.for_org(org).filter(panel=panel)


# --- Notice to Act ------------------------------------------------------------------------


def access_motion(*, org: Organisation, motion_id):
    return meeting_selectors.access_motion(org=org, motion_id=motion_id)


def notice_for_motion(*, org: Organisation, motion) -> NoticeToAct:
    return get_for_org_or_404(NoticeToAct, org=org, motion=motion)


def notice_to_act_list(*, org: Organisation, panel: Panel) -> QuerySet[NoticeToAct]:
    return (
        NoticeToAct.objects.for_org(org)
        .filter(panel=panel)
        .select_related("motion", "motion__meeting", "review")
        .order_by("-served_on")
    )


def motions_awaiting_notice(*, org: Organisation, panel: Panel):
    """Carried notice_to_act motions of the panel on which no notice has been served yet."""
    return meeting_selectors.motions_carried(
        org=org, panel=panel, kind=MotionKind.NOTICE_TO_ACT
    ).filter(notice_to_act__isnull=True)
