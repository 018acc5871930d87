"""Demo scrutiny for every demo organisation's main panel: adopted Tenant Satisfaction
Measures with eight quarters of results (one red two quarters running), evidence, a
reported review with three recommendations (two answered, one overdue), its improvement
plan, an open review, a work plan with champions, a neighbourhood budget, a sub-group and
a policy. Idempotent: rows are found by their natural keys before anything is created;
everything goes through the services, so the demo obeys the same rules as users."""

import datetime
import zlib
from decimal import Decimal

from django.utils import timezone

from members.models import Person
from panels.demo import DEMO_ORGANISATIONS, main_panel
from panels.models import Organisation
from panels.rules import notice_to_act_power
from panels.selectors import terms_in_force
from panels.tenancy import org_scope
from scrutiny import services
from scrutiny.models import (
    BoardResponse,
    EvidenceItem,
    EvidenceKind,
    Measure,
    NeighbourhoodBudget,
    NoticeToAct,
    PolicyReview,
    Recommendation,
    ReviewStage,
    ServiceReview,
    SubGroup,
    TopicSource,
    WorkPlanPriority,
)
from scrutiny.performance import period_start, previous_period

# (code, target, tolerance, eight quarterly results, oldest first)
DEMO_MEASURES = [
    ("TP01", "80", "5", ["78", "79", "81", "82", "80", "79", "81", "83"]),
    ("TP02", "85", "5", ["84", "83", "80", "79", "77", "76", "75", "74"]),  # red twice
    ("TP09", "40", "5", ["31", "33", "36", "38", "37", "39", "41", "42"]),
    ("RP01", "0", "1", ["1.2", "1.0", "0.9", "0.7", "0.5", "0.4", "0.2", "0"]),
    ("CH01(1)", "40", "5", ["52", "49", "47", "45", "44", "43", "42", "41"]),
]
REVIEW_TITLE = "Damp and mould: how complaints are handled"
OPEN_REVIEW_TITLE = "Repairs: time taken to complete"
RECOMMENDATIONS = [
    "Inspect every reported case of damp or mould within ten working days.",
    "Write to the tenant after every inspection setting out what will be done and when.",
    "Train all surveyors in the Housing Ombudsman's spotlight report on damp and mould.",
]


def seed() -> None:
    today = timezone.localdate()
    for spec in DEMO_ORGANISATIONS:
        org = Organisation.objects.get(slug=spec.slug)
        with org_scope(org):
            _seed_panel(org, today)


def _seed_panel(org: Organisation, today: datetime.date) -> None:
    panel = main_panel(org)
    people = list(Person.objects.for_org(org).order_by("pk")[:6])
    _seed_measures(panel, today)
    evidence = _seed_evidence(panel, today)
    review = _seed_review(panel, today, evidence, people)
    _seed_open_review(panel, today, people)
    _seed_escalation(panel, review, today)
    priorities = _seed_work_plan(panel, today, people)
    _seed_budget(panel, today, priorities)
    _seed_notice_to_act(panel, today)
    if people and not SubGroup.objects.for_org(org).filter(panel=panel).exists():
        services.sub_group_create(
            panel=panel,
            name="Damp and mould review group",
            kind="sub_group",
            formed_on=review.scoping_on or today,
            purpose="Carries out the damp and mould review for the panel.",
            members=people[:3],
            review=review,
            by=None,
        )
    if not PolicyReview.objects.for_org(org).filter(panel=panel).exists():
        policy = services.policy_present(
            panel=panel,
            title="Complaints policy 2026",
            presented_on=today - datetime.timedelta(days=60),
            goes_to="Board",
            by=None,
        )
        services.policy_record_outcome(
            policy=policy,
            outcome="changes",
            outcome_on=today - datetime.timedelta(days=60),
            comments="Add the Housing Ombudsman's contact details to every response letter.",
            by=None,
        )
        services.policy_present(
            panel=panel,
            title="Tenant engagement strategy",
            is_strategy=True,
            presented_on=today - datetime.timedelta(days=5),
            by=None,
        )


def _seed_measures(panel, today: datetime.date) -> None:
    org = panel.organisation
    latest = previous_period(period_start(today, "quarter"), "quarter")
    for code, target, tolerance, values in DEMO_MEASURES:
        measure = Measure.objects.for_org(org).filter(panel=panel, code=code).first()
        if measure is None:
            measure = services.measure_adopt_from_catalogue(
                panel=panel,
                by=None,
                code=code,
                target=Decimal(target),
                tolerance=Decimal(tolerance),
                period="quarter",
            )
        if measure.results.exists():
            continue
        starts = [latest]
        while len(starts) < len(values):
            starts.insert(0, previous_period(starts[0], "quarter"))
        shift = _org_shift(org.slug, code)
        for start, value in zip(starts, values, strict=True):
            services.result_record(
                measure=measure,
                period_start=start,
                value=max(Decimal(0), Decimal(value) + shift),
                by=None,
                today=today,
            )


def _org_shift(slug: str, code: str) -> Decimal:
    """Each organisation's results differ from the others' (-2 to +2 points, fixed per
    organisation and measure); the measure that is red two quarters running stays red, and
    the decency measure (target 0) is left as it is."""
    if code == "RP01":
        return Decimal(0)
    shift = zlib.crc32(f"{slug}:{code}".encode()) % 5 - 2
    return Decimal(-abs(shift) if code == "TP02" else shift)


def _seed_evidence(panel, today: datetime.date) -> list[EvidenceItem]:
    org = panel.organisation
    items = [
        (EvidenceKind.COMPLAINTS_SUMMARY, "Complaints summary and learning: damp and mould", 200),
        (EvidenceKind.OMBUDSMAN_FINDING, "Housing Ombudsman determination: damp (anonymised)", 190),
        (EvidenceKind.CUSTOMER_INSPECTOR, "Customer inspectors' report: repairs reporting", 120),
        (EvidenceKind.COMMUNITY_PANEL, "Community panel minutes (north area)", 30),
    ]
    found = []
    for kind, title, days_ago in items:
        item = EvidenceItem.objects.for_org(org).filter(panel=panel, title=title).first()
        if item is None:
            item = services.evidence_add(
                panel=panel,
                by=None,
                kind=kind,
                title=title,
                dated=today - datetime.timedelta(days=days_ago),
                summary=f"{title}, received by the panel on "
                f"{today - datetime.timedelta(days=days_ago):%-d %B %Y}.",
            )
        found.append(item)
    return found


def _seed_review(panel, today: datetime.date, evidence, people) -> ServiceReview:
    org = panel.organisation
    review = ServiceReview.objects.for_org(org).filter(panel=panel, title=REVIEW_TITLE).first()
    if review is not None:
        return review
    day = today - datetime.timedelta(days=180)
    review = services.review_propose(
        panel=panel,
        by=None,
        title=REVIEW_TITLE,
        service_area="Repairs and maintenance",
        topic_source=TopicSource.COMPLAINTS,
        source_detail="Stage one complaints about damp and mould doubled in a year.",
        proposed_on=day,
    )
    for item in evidence[:3]:
        services.review_link_evidence(review=review, evidence=item, by=None)
    services.review_set_members(review=review, people=people[:3], by=None)
    for stage, offset in (
        (ReviewStage.SCOPING, 14),
        (ReviewStage.EVIDENCE, 30),
        (ReviewStage.FINDINGS, 75),
    ):
        services.review_advance(
            review=review, to_stage=stage, on=day + datetime.timedelta(days=offset), by=None
        )
    services.review_update(
        review=review,
        by=None,
        scope="How reports of damp and mould are taken, inspected and put right.",
        findings="Inspections took 31 days on average; tenants were rarely told what would happen.",
        public_summary="The panel found damp and mould inspections were slow and tenants were "
        "not kept informed, and made three recommendations.",
    )
    recommendations = [
        services.recommendation_add(review=review, text=text, by=None) for text in RECOMMENDATIONS
    ]
    services.review_advance(
        review=review,
        to_stage=ReviewStage.RECOMMENDATIONS,
        on=day + datetime.timedelta(days=85),
        by=None,
    )
    reported_on = day + datetime.timedelta(days=90)
    services.review_advance(review=review, to_stage=ReviewStage.REPORTED, on=reported_on, by=None)
    due = reported_on + datetime.timedelta(days=42)
    for rec in recommendations:
        services.recommendation_set_due(recommendation=rec, due_on=due, by=None)
    services.response_record(
        recommendation=recommendations[0],
        decision="accepted",
        responded_on=due - datetime.timedelta(days=7),
        by=None,
    )
    services.response_record(
        recommendation=recommendations[1],
        decision="partly",
        reasons="We will write after inspections that find work is needed.",
        responded_on=due,
        by=None,
    )
    # The third recommendation is left unanswered past its due date: overdue.
    services.action_add(
        recommendation=recommendations[0],
        description="Change the repairs inspection target to ten working days.",
        owner="Head of Repairs",
        due_on=due + datetime.timedelta(days=30),
        by=None,
    )
    services.action_add(
        recommendation=recommendations[1],
        description="Post-inspection letter template agreed with the panel.",
        owner="Customer Experience Manager",
        due_on=today + datetime.timedelta(days=30),
        by=None,
    )
    return review


def _seed_open_review(panel, today: datetime.date, people) -> None:
    org = panel.organisation
    if ServiceReview.objects.for_org(org).filter(panel=panel, title=OPEN_REVIEW_TITLE).exists():
        return
    review = services.review_propose(
        panel=panel,
        by=None,
        title=OPEN_REVIEW_TITLE,
        topic_source=TopicSource.LOW_PERFORMANCE,
        source_detail="TP02 red two quarters running.",
        source_measure=Measure.objects.for_org(org).filter(panel=panel, code="TP02").first(),
        proposed_on=today - datetime.timedelta(days=20),
    )
    services.review_advance(
        review=review, to_stage=ReviewStage.SCOPING, on=today - datetime.timedelta(days=10), by=None
    )
    services.review_set_members(review=review, people=people[3:5], by=None)


def _seed_escalation(panel, review: ServiceReview, today: datetime.date) -> None:
    """Where the ToR sets an escalation path (THT), the panel has escalated the rejection."""
    terms = terms_in_force(panel=panel, on=today)
    if terms is None or not terms.escalation_steps or review.escalations.exists():
        return
    recommendation = Recommendation.objects.for_org(panel.organisation).get(review=review, number=3)
    if (
        not BoardResponse.objects.for_org(panel.organisation)
        .filter(recommendation=recommendation)
        .exists()
    ):
        services.response_record(
            recommendation=recommendation,
            decision="rejected",
            reasons="The training budget for this year is committed.",
            responded_on=today - datetime.timedelta(days=30),
            by=None,
        )
    services.escalation_raise(
        review=review,
        reason="The panel is not satisfied that training can wait a year.",
        raised_on=today - datetime.timedelta(days=20),
        by=None,
    )


def _seed_work_plan(panel, today: datetime.date, people) -> list[WorkPlanPriority]:
    org = panel.organisation
    existing = list(WorkPlanPriority.objects.for_org(org).filter(panel=panel, year=today.year))
    if existing:
        return existing
    titles = [
        ("Safer estates", "Estate lighting, fire safety and ASB hot spots."),
        ("Repairs right first time", "Fewer repeat visits and better appointment keeping."),
        ("Communication with residents", "Plain-English letters and a digital offer."),
    ]
    priorities = [
        services.priority_create(
            panel=panel,
            year=today.year,
            title=title,
            description=description,
            review_due_on=datetime.date(today.year, 10, 1),
            by=None,
        )
        for title, description in titles
    ]
    for index, priority in enumerate(priorities):
        if len(people) > index:
            services.champion_assign(
                priority=priority,
                person=people[index],
                since=datetime.date(today.year, 4, 1),
                by=None,
            )
        services.work_item_add(
            priority=priority,
            title=f"{priority.title}: quarterly update",
            outputs="A one-page update to the group each quarter.",
            supported_by="Head of service",
            due_on=datetime.date(today.year, 12, 31),
            by=None,
        )
    return priorities


def _seed_budget(panel, today: datetime.date, priorities) -> None:
    org = panel.organisation
    if NeighbourhoodBudget.objects.for_org(org).filter(panel=panel, year=today.year).exists():
        return
    budget = services.budget_set(panel=panel, year=today.year, total=Decimal("25000"), by=None)
    allocation = services.budget_allocate(
        budget=budget,
        title="LED lighting on estate walkways",
        amount=Decimal("12000"),
        allocated_on=datetime.date(today.year, 5, 1),
        priority=priorities[0] if priorities else None,
        by=None,
    )
    services.budget_spend(
        allocation=allocation,
        amount=Decimal("7500"),
        spent_on=datetime.date(today.year, 6, 15),
        description="Phase 1 installation",
        by=None,
    )


def _seed_notice_to_act(panel, today: datetime.date) -> None:
    """Where the ToR gives the panel a Notice to Act (Stockport), one served and answered.

    The motion was put and decided at the demo's held meeting by the meetings services
    (meetings.demo: quorum checked, outcome from rules.vote_outcome); the notice is served
    only on a motion carried there."""
    from meetings.models import Motion, MotionKind, MotionOutcome

    org = panel.organisation
    terms = terms_in_force(panel=panel, on=today)
    if not notice_to_act_power(terms=terms):
        return
    if NoticeToAct.objects.for_org(org).filter(panel=panel).exists():
        return
    motion = (
        Motion.objects.for_org(org)
        .filter(
            meeting__panel=panel,
            meeting__date__lte=today,
            kind=MotionKind.NOTICE_TO_ACT,
            outcome=MotionOutcome.CARRIED,
        )
        .select_related("meeting")
        .order_by("-meeting__date")
        .first()
    )
    if motion is None:
        return
    meeting = motion.meeting
    notice = services.notice_to_act_serve(
        panel=panel,
        motion=motion,
        service_failure="First-time fixes for repairs have been below target for four quarters "
        "despite two action plans.",
        served_on=meeting.date,
        answer_due_on=meeting.date + datetime.timedelta(days=28),
        by=None,
    )
    if meeting.date + datetime.timedelta(days=21) <= today:
        services.notice_to_act_answer(
            notice=notice,
            answer="The Board accepts the notice and has commissioned an independent review of "
            "the repairs contract, reporting to the Customer Focus Committee.",
            answered_on=meeting.date + datetime.timedelta(days=21),
            by=None,
        )
