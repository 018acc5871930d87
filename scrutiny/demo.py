"""Demo scrutiny for every demo organisation's main panel: adopted Tenant Satisfaction
Measures with eight quarters of results (one red two quarters running), evidence, a
reported review with three recommendations (two answered, one overdue), its improvement
plan, an open review, a work plan with champions, a neighbourhood budget, a sub-group and
a policy, each organisation's own (SCRUTINY_PROFILES: its topics, evidence, findings,
recommendations, priorities, spend and policies, at its own dates). Idempotent: rows are
found by their natural keys before anything is created; everything goes through the
services, so the demo obeys the same rules as users."""

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
# Each organisation's own scrutiny: the review it reported (topic, evidence, findings, three
# recommendations and the Board's answers), the review it has open, its work plan, budget
# spend and policies. Real landlords scrutinise different services, at different times.
SCRUTINY_PROFILES = {
    "helena": {
        "review": {
            "title": "Damp and mould: how complaints are handled",
            "service_area": "Repairs and maintenance",
            "topic_source": TopicSource.COMPLAINTS,
            "source_detail": "Stage one complaints about damp and mould doubled in a year.",
            "scope": "How reports of damp and mould are taken, inspected and put right.",
            "findings": "Inspections took 31 days on average; tenants were rarely told what "
            "would happen.",
            "summary": "The panel found damp and mould inspections were slow and tenants were "
            "not kept informed, and made three recommendations.",
            "recommendations": [
                "Inspect every reported case of damp or mould within ten working days.",
                "Write to the tenant after every inspection setting out what will be done and "
                "when.",
                "Train all surveyors in the Housing Ombudsman's spotlight report on damp and "
                "mould.",
            ],
            "partly": "We will write after inspections that find work is needed.",
            "rejected": "The training budget for this year is committed.",
            "actions": [
                ("Change the repairs inspection target to ten working days.", "Head of Repairs"),
                (
                    "Post-inspection letter template agreed with the panel.",
                    "Customer Experience Manager",
                ),
            ],
            "days_ago": 180,
        },
        "evidence": [
            (
                EvidenceKind.COMPLAINTS_SUMMARY,
                "Complaints summary and learning: damp and mould",
                200,
            ),
            (
                EvidenceKind.OMBUDSMAN_FINDING,
                "Housing Ombudsman determination: damp (anonymised)",
                190,
            ),
            (
                EvidenceKind.CUSTOMER_INSPECTOR,
                "Customer inspectors' report: repairs reporting",
                120,
            ),
            (EvidenceKind.COMMUNITY_PANEL, "Community panel minutes (Thatto Heath)", 30),
        ],
        "open_review": ("Repairs: time taken to complete", "TP02 red two quarters running."),
        "priorities": [
            ("Repairs right first time", "Fewer repeat visits and better appointment keeping."),
            ("Safer estates", "Estate lighting, fire safety and ASB hot spots."),
            ("Communication with residents", "Plain-English letters and a digital offer."),
        ],
        "allocation": ("LED lighting on estate walkways", "12000", "7500", "Phase 1 installation"),
        "budget": "25000",
        "policies": (
            "Complaints policy 2026",
            "Add the Housing Ombudsman's contact details to every response letter.",
            "Tenant engagement strategy",
        ),
    },
    "hfh": {
        "review": {
            "title": "Empty homes: the standard a new tenant moves into",
            "service_area": "Lettings and voids",
            "topic_source": TopicSource.LOW_SATISFACTION,
            "source_detail": "New tenants' satisfaction with their home fell to 71%.",
            "scope": "The lettable standard, the pre-let inspection and the first month of a "
            "tenancy.",
            "findings": "One home in four needed a repair within a month of the new tenant "
            "moving in; the lettable standard was not given to tenants.",
            "summary": "The panel found new tenants often moved into homes needing repairs and "
            "were not told the standard to expect, and made three recommendations.",
            "recommendations": [
                "Give every new tenant the lettable standard at the viewing.",
                "Have a tenant inspector check one empty home in ten before it is let.",
                "Decorate every empty home to the standard before it is let, or give a "
                "decorating allowance.",
            ],
            "partly": "A decorating allowance will be offered where rooms are not decorated.",
            "rejected": "Decorating every home would add eleven days to re-let times.",
            "actions": [
                ("Lettable standard leaflet printed and given at viewings.", "Lettings Manager"),
                ("Tenant inspector rota for pre-let checks.", "Tenant Involvement Officer"),
            ],
            "days_ago": 230,
        },
        "evidence": [
            (EvidenceKind.SURVEY, "New tenant survey results, last four quarters", 250),
            (EvidenceKind.PERFORMANCE, "Void re-let times and repairs within 28 days", 240),
            (EvidenceKind.MYSTERY_SHOPPING, "Mystery shop: three viewings", 160),
            (EvidenceKind.FOCUS_GROUP, "Focus group of new tenants (Owton Manor)", 45),
        ],
        "open_review": ("Repairs appointments kept", "TP02 red two quarters running."),
        "priorities": [
            ("Homes ready to live in", "The lettable standard, checked by tenants."),
            ("Value for money", "Service charges explained line by line."),
            ("Hearing every voice", "Reaching tenants who never take part."),
        ],
        "allocation": ("Community garden at Belle Vue", "4000", "2600", "Raised beds and tools"),
        "budget": "8000",
        "policies": (
            "Lettings policy review",
            "Explain the local lettings plans in the policy itself.",
            "Resident involvement strategy 2027",
        ),
    },
    "ivh": {
        "review": {
            "title": "Damp and mould: from first report to a dry home",
            "service_area": "Property services",
            "topic_source": TopicSource.INSPECTION,
            "source_detail": "The stock condition survey found damp in 6% of homes surveyed.",
            "scope": "Finding damp before it is reported, and following up after the work.",
            "findings": "Most cases were found only when tenants reported them; one in five "
            "came back within six months.",
            "summary": "The panel found damp was rarely found before tenants reported it and "
            "often came back, and made three recommendations.",
            "recommendations": [
                "Visit every home with a past damp case each winter.",
                "Revisit six weeks after every damp treatment to check it worked.",
                "Fit humidity sensors in the homes most at risk.",
            ],
            "partly": "Revisits will be by phone first, with a visit where the tenant asks.",
            "rejected": "Sensors are being trialled elsewhere first.",
            "actions": [
                (
                    "Winter visit programme for homes with past damp cases.",
                    "Head of Property Services",
                ),
                ("Six-week revisit added to the damp treatment job.", "Repairs Planner"),
            ],
            "days_ago": 150,
        },
        "evidence": [
            (EvidenceKind.PERFORMANCE, "Stock condition survey: damp and condensation", 170),
            (EvidenceKind.COMPLAINTS_SUMMARY, "Complaints about damp: repeat cases", 160),
            (EvidenceKind.OMBUDSMAN_FINDING, "Housing Ombudsman spotlight report on damp", 140),
            (EvidenceKind.SURVEY, "Tenant Satisfaction Measures survey: comments on damp", 20),
        ],
        "open_review": ("The customer offer: calls answered", "TP02 red two quarters running."),
        "priorities": [
            ("Warm, dry homes", "Damp, mould and energy efficiency."),
            ("The customer offer", "Promises kept on calls, visits and letters."),
            ("Neighbourhoods", "Clean, safe shared spaces in Sale and Salford."),
        ],
        "allocation": (
            "Draught-proofing packs for older homes",
            "9000",
            "5400",
            "First 300 packs fitted",
        ),
        "budget": "18000",
        "policies": (
            "Customer offer standards",
            "Name the days within which a call is returned.",
            "Asset management strategy",
        ),
    },
    "tht": {
        "review": {
            "title": "Complaints: putting things right at stage one",
            "service_area": "Customer resolution",
            "topic_source": TopicSource.BOARD_NOMINATED,
            "source_detail": "Nominated by the THT Board after the Ombudsman's self-assessment.",
            "scope": "Stage one complaints: contact, the remedy offered and learning.",
            "findings": "Half of stage one complaints were answered in time; remedies were not "
            "followed up and the learning was not shared with teams.",
            "summary": "The panel found stage one complaints were often late and remedies not "
            "followed up, and made three recommendations.",
            "recommendations": [
                "Call every complainant within two working days of the complaint.",
                "Check each remedy was carried out before closing the complaint.",
                "Report the learning from complaints to every service team each quarter.",
            ],
            "partly": "Remedies over £250 will be checked before the complaint closes.",
            "rejected": "Quarterly reports to every team cannot be resourced this year.",
            "actions": [
                ("Two-day call-back added to the complaints procedure.", "Complaints Manager"),
                ("Remedy check on the case management system.", "Head of Customer Resolution"),
            ],
            "days_ago": 200,
        },
        "evidence": [
            (EvidenceKind.COMPLAINTS_SUMMARY, "Stage one complaints: timeliness and remedies", 215),
            (EvidenceKind.OMBUDSMAN_FINDING, "Complaint Handling Code self-assessment", 210),
            (EvidenceKind.MYSTERY_SHOPPING, "Mystery shop: making a complaint by phone", 130),
            (EvidenceKind.COMMUNITY_PANEL, "Community panel minutes (Hemlington)", 25),
        ],
        "open_review": (
            "Anti-social behaviour: keeping victims informed",
            "TP02 red two quarters running.",
        ),
        "priorities": [
            ("Complaints put right", "The Board's nominated topic for the year."),
            ("Safer neighbourhoods", "ASB cases closed with the victim's agreement."),
            ("Digital services", "Repairs reported and tracked online."),
        ],
        "allocation": ("CCTV at Thornaby shopping parade", "15000", "11200", "Cameras fitted"),
        "budget": "40000",
        "policies": (
            "Complaints and compensation policy",
            "Set out when compensation is offered without being asked.",
            "Customer experience strategy",
        ),
    },
    "stockport": {
        "review": {
            "title": "Anti-social behaviour: how cases are closed",
            "service_area": "Neighbourhoods",
            "topic_source": TopicSource.WIDER_TENANTS,
            "source_detail": "Raised by residents at three estate walkabouts.",
            "scope": "How ASB cases are assessed, kept in touch with and closed.",
            "findings": "Cases were closed without telling the person who reported them; "
            "action plans were agreed in a third of cases.",
            "summary": "The panel found ASB cases were often closed without the reporter being "
            "told, and made three recommendations.",
            "recommendations": [
                "Agree an action plan with the person reporting in every ASB case.",
                "Tell the person reporting before a case is closed, and why.",
                "Publish ASB case outcomes for each neighbourhood each quarter.",
            ],
            "partly": "Outcomes will be published for the borough, not each neighbourhood.",
            "rejected": "Neighbourhood figures would identify the people involved.",
            "actions": [
                ("Action plan template agreed with the panel.", "Neighbourhoods Manager"),
                ("Closure letter to every person reporting ASB.", "ASB Team Leader"),
            ],
            "days_ago": 170,
        },
        "evidence": [
            (EvidenceKind.PERFORMANCE, "ASB cases opened and closed, last eight quarters", 190),
            (EvidenceKind.SURVEY, "Satisfaction with ASB case handling", 180),
            (
                EvidenceKind.FOCUS_GROUP,
                "Estate walkabouts: Brinnington, Adswood, Lancashire Hill",
                150,
            ),
            (EvidenceKind.CUSTOMER_INSPECTOR, "Resident inspectors' report: ASB letters", 35),
        ],
        "open_review": ("Repairs: first-time fixes", "TP02 red two quarters running."),
        "notice": "ASB cases resolved at the first intervention have been below the 70% "
        "target for four quarters despite two action plans.",
        "notice_answer": "The Board accepts the notice and has commissioned an independent "
        "review of ASB case handling, reporting to the Customer Focus Committee.",
        "priorities": [
            ("Feeling safe at home", "ASB, fire safety and estate lighting."),
            ("Repairs that last", "First-time fixes and follow-up."),
            ("Money and cost of living", "Advice and help with rent and bills."),
        ],
        "allocation": (
            "Youth diversion sessions, Brinnington",
            "6000",
            "3900",
            "Autumn term sessions",
        ),
        "budget": "15000",
        "policies": (
            "Anti-social behaviour policy",
            "Add a named contact for every case.",
            "Tenancy sustainment strategy",
        ),
    },
}


def seed() -> None:
    today = timezone.localdate()
    for spec in DEMO_ORGANISATIONS:
        org = Organisation.objects.get(slug=spec.slug)
        with org_scope(org):
            _seed_panel(org, today)


def profile_of(org: Organisation) -> dict:
    return SCRUTINY_PROFILES.get(org.slug, SCRUTINY_PROFILES["helena"])


def _seed_panel(org: Organisation, today: datetime.date) -> None:
    panel = main_panel(org)
    profile = profile_of(org)
    people = list(Person.objects.for_org(org).order_by("pk")[:6])
    _seed_measures(panel, today)
    evidence = _seed_evidence(panel, today, profile)
    review = _seed_review(panel, today, evidence, people, profile["review"])
    _seed_open_review(panel, today, people, profile)
    _seed_escalation(panel, review, today, profile["review"])
    priorities = _seed_work_plan(panel, today, people, profile)
    _seed_budget(panel, today, priorities, profile)
    _seed_notice_to_act(panel, today, profile)
    if people and not SubGroup.objects.for_org(org).filter(panel=panel).exists():
        services.sub_group_create(
            panel=panel,
            name=f"{profile['review']['title'].split(':')[0]} review group",
            kind="sub_group",
            formed_on=review.scoping_on or today,
            purpose=f'Carries out the review "{review.title}" for the panel.',
            members=people[:3],
            review=review,
            by=None,
        )
    if not PolicyReview.objects.for_org(org).filter(panel=panel).exists():
        policy_title, changes, strategy = profile["policies"]
        policy = services.policy_present(
            panel=panel,
            title=policy_title,
            presented_on=today - datetime.timedelta(days=60),
            goes_to="Board",
            by=None,
        )
        services.policy_record_outcome(
            policy=policy,
            outcome="changes",
            outcome_on=today - datetime.timedelta(days=60),
            comments=changes,
            by=None,
        )
        services.policy_present(
            panel=panel,
            title=strategy,
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


def _seed_evidence(panel, today: datetime.date, profile: dict) -> list[EvidenceItem]:
    org = panel.organisation
    found = []
    for kind, title, days_ago in profile["evidence"]:
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


def _seed_review(panel, today: datetime.date, evidence, people, spec: dict) -> ServiceReview:
    org = panel.organisation
    review = ServiceReview.objects.for_org(org).filter(panel=panel, title=spec["title"]).first()
    if review is not None:
        return review
    day = today - datetime.timedelta(days=spec["days_ago"])
    review = services.review_propose(
        panel=panel,
        by=None,
        title=spec["title"],
        service_area=spec["service_area"],
        topic_source=spec["topic_source"],
        source_detail=spec["source_detail"],
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
        scope=spec["scope"],
        findings=spec["findings"],
        public_summary=spec["summary"],
    )
    recommendations = [
        services.recommendation_add(review=review, text=text, by=None)
        for text in spec["recommendations"]
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
        reasons=spec["partly"],
        responded_on=due,
        by=None,
    )
    # The third recommendation is left unanswered past its due date: overdue.
    (first, first_owner), (second, second_owner) = spec["actions"]
    services.action_add(
        recommendation=recommendations[0],
        description=first,
        owner=first_owner,
        due_on=due + datetime.timedelta(days=30),
        by=None,
    )
    services.action_add(
        recommendation=recommendations[1],
        description=second,
        owner=second_owner,
        due_on=today + datetime.timedelta(days=30),
        by=None,
    )
    return review


def _seed_open_review(panel, today: datetime.date, people, profile: dict) -> None:
    org = panel.organisation
    title, detail = profile["open_review"]
    if ServiceReview.objects.for_org(org).filter(panel=panel, title=title).exists():
        return
    review = services.review_propose(
        panel=panel,
        by=None,
        title=title,
        topic_source=TopicSource.LOW_PERFORMANCE,
        source_detail=detail,
        source_measure=Measure.objects.for_org(org).filter(panel=panel, code="TP02").first(),
        proposed_on=today - datetime.timedelta(days=20),
    )
    services.review_advance(
        review=review, to_stage=ReviewStage.SCOPING, on=today - datetime.timedelta(days=10), by=None
    )
    services.review_set_members(review=review, people=people[3:5], by=None)


def _seed_escalation(panel, review: ServiceReview, today: datetime.date, spec: dict) -> None:
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
            reasons=spec["rejected"],
            responded_on=today - datetime.timedelta(days=30),
            by=None,
        )
    services.escalation_raise(
        review=review,
        reason=f"The panel is not satisfied with the answer: {spec['rejected']}",
        raised_on=today - datetime.timedelta(days=20),
        by=None,
    )


def _seed_work_plan(panel, today: datetime.date, people, profile: dict) -> list[WorkPlanPriority]:
    org = panel.organisation
    existing = list(WorkPlanPriority.objects.for_org(org).filter(panel=panel, year=today.year))
    if existing:
        return existing
    titles = profile["priorities"]
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


def _seed_budget(panel, today: datetime.date, priorities, profile: dict) -> None:
    org = panel.organisation
    if NeighbourhoodBudget.objects.for_org(org).filter(panel=panel, year=today.year).exists():
        return
    title, allocated, spent, description = profile["allocation"]
    budget = services.budget_set(
        panel=panel, year=today.year, total=Decimal(profile["budget"]), by=None
    )
    allocation = services.budget_allocate(
        budget=budget,
        title=title,
        amount=Decimal(allocated),
        allocated_on=datetime.date(today.year, 5, 1),
        priority=priorities[0] if priorities else None,
        by=None,
    )
    services.budget_spend(
        allocation=allocation,
        amount=Decimal(spent),
        spent_on=datetime.date(today.year, 6, 15),
        description=description,
        by=None,
    )


def _seed_notice_to_act(panel, today: datetime.date, profile: dict) -> None:
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
        service_failure=profile.get(
            "notice",
            "The service has been below target for four quarters despite two action plans.",
        ),
        served_on=meeting.date,
        answer_due_on=meeting.date + datetime.timedelta(days=28),
        by=None,
    )
    if meeting.date + datetime.timedelta(days=21) <= today:
        services.notice_to_act_answer(
            notice=notice,
            answer=profile.get("notice_answer", "The Board accepts the notice."),
            answered_on=meeting.date + datetime.timedelta(days=21),
            by=None,
        )
