"""Scrutiny and performance: measures and results, evidence, service reviews,
recommendations, Board responses, improvement plans, escalation, work plans and the
neighbourhood budget, policies put to the panel, and Notices to Act."""

from django.conf import settings
from django.db import models

from panels.files import RandomFileName
from panels.tenancy import TenantModel

# --- Performance measures --------------------------------------------------------------


class Polarity(models.TextChoices):
    HIGHER_IS_BETTER = "higher", "Higher is better"
    LOWER_IS_BETTER = "lower", "Lower is better"


class ReportingPeriod(models.TextChoices):
    MONTH = "month", "Monthly"
    QUARTER = "quarter", "Quarterly"


class Rag(models.TextChoices):
    GREEN = "green", "Green: on or better than target"
    AMBER = "amber", "Amber: within tolerance"
    RED = "red", "Red: beyond tolerance"


class Measure(TenantModel):
    """A performance measure agreed by the panel, with its target and tolerance."""

    panel = models.ForeignKey("panels.Panel", on_delete=models.CASCADE, related_name="measures")
    code = models.CharField(
        max_length=12, blank=True, help_text="e.g. TP01 for a Tenant Satisfaction Measure."
    )
    name = models.CharField(max_length=200)
    definition = models.TextField(blank=True)
    unit = models.CharField(max_length=40, default="%")
    polarity = models.CharField(
        max_length=6, choices=Polarity.choices, default=Polarity.HIGHER_IS_BETTER
    )
    target = models.DecimalField(max_digits=12, decimal_places=2)
    tolerance = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=0,
        help_text="How far from target (in the measure's unit) is still amber.",
    )
    period = models.CharField(
        max_length=8, choices=ReportingPeriod.choices, default=ReportingPeriod.QUARTER
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["panel", "code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "name"], name="measure_name_per_panel"),
            models.UniqueConstraint(
                fields=["panel", "code"],
                condition=~models.Q(code=""),
                name="measure_code_per_panel",
            ),
            models.CheckConstraint(
                condition=models.Q(tolerance__gte=0), name="measure_tolerance_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()

    @property
    def unit_suffix(self) -> str:
        """How the unit follows a value: "80%" but "40 per 1,000 homes"."""
        return self.unit if self.unit in ("%", "") else f" {self.unit}"


class ResultSource(models.TextChoices):
    ENTERED = "entered", "Entered by an officer"
    IMPORTED = "imported", "Imported from CSV"


class MeasureResult(TenantModel):
    """The value of a measure for one period (a month or a quarter, by its first day)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="results")
    period_start = models.DateField(help_text="First day of the month or quarter.")
    value = models.DecimalField(max_digits=12, decimal_places=2)
    source = models.CharField(
        max_length=8, choices=ResultSource.choices, default=ResultSource.ENTERED
    )
    note = models.CharField(max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measure", "-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period_start"], name="measure_result_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.value} ({self.period_start:%b %Y})"


# --- Evidence ---------------------------------------------------------------------------


class EvidenceKind(models.TextChoices):
    COMPLAINTS_SUMMARY = "complaints", "Complaints summary and learning"
    OMBUDSMAN_FINDING = "ombudsman", "Housing Ombudsman finding"
    SURVEY = "survey", "Survey and satisfaction results"
    MYSTERY_SHOPPING = "mystery_shopping", "Mystery shopping report"
    CUSTOMER_INSPECTOR = "inspector", "Customer inspector report"
    FOCUS_GROUP = "focus_group", "Focus group minutes"
    COMMUNITY_PANEL = "community_panel", "Community panel minutes"
    PERFORMANCE = "performance", "Performance report"
    OTHER = "other", "Other"


class EvidenceItem(TenantModel):
    """A dated piece of evidence the panel received, with its file."""

    panel = models.ForeignKey("panels.Panel", on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=20, choices=EvidenceKind.choices)
    title = models.CharField(max_length=200)
    dated = models.DateField()
    summary = models.TextField(blank=True)
    file = models.FileField(upload_to=RandomFileName("evidence"), blank=True)
    original_name = models.CharField(
        max_length=200, blank=True, help_text="The file's name as uploaded (shown, never stored)."
    )
    is_confidential = models.BooleanField(
        default=False, help_text="Personal or confidential: never shown on public pages."
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-dated", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.dated:%d %b %Y})"


# --- Service reviews --------------------------------------------------------------------


class TopicSource(models.TextChoices):
    """Where a review topic came from (THT ToR, section 4: selection of topics)."""

    BOARD_NOMINATED = "board", "Nominated by the Board or executive team"
    LOW_PERFORMANCE = "performance", "Lower performance"
    COMPLAINTS = "complaints", "High level of complaints"
    LOW_SATISFACTION = "satisfaction", "Low satisfaction ratings from surveys"
    INSPECTION = "inspection", "Weakness found by inspection"
    WIDER_TENANTS = "tenants", "Requested by the wider tenant body"
    FOCUS_GROUP = "focus_group", "A customer focus group or community panel"


class ReviewStage(models.TextChoices):
    PROPOSED = "proposed", "Topic proposed"
    SCOPING = "scoping", "Scoping"
    EVIDENCE = "evidence", "Gathering evidence"
    FINDINGS = "findings", "Findings"
    RECOMMENDATIONS = "recommendations", "Recommendations"
    REPORTED = "reported", "Report sent"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Stage order and the date field each stage stamps.
REVIEW_STAGE_ORDER = [
    ReviewStage.PROPOSED,
    ReviewStage.SCOPING,
    ReviewStage.EVIDENCE,
    ReviewStage.FINDINGS,
    ReviewStage.RECOMMENDATIONS,
    ReviewStage.REPORTED,
]
REVIEW_STAGE_DATE_FIELD = {
    ReviewStage.PROPOSED: "proposed_on",
    ReviewStage.SCOPING: "scoping_on",
    ReviewStage.EVIDENCE: "evidence_on",
    ReviewStage.FINDINGS: "findings_on",
    ReviewStage.RECOMMENDATIONS: "recommendations_on",
    ReviewStage.REPORTED: "reported_on",
}


class ServiceReview(TenantModel):
    """A scrutiny review of a service, from topic proposal to the report to the Board."""

    panel = models.ForeignKey("panels.Panel", on_delete=models.CASCADE, related_name="reviews")
    title = models.CharField(max_length=200)
    service_area = models.CharField(max_length=200, blank=True)
    topic_source = models.CharField(max_length=16, choices=TopicSource.choices)
    source_detail = models.TextField(blank=True, help_text="Why this topic, in a sentence.")
    source_measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviews"
    )
    stage = models.CharField(
        max_length=16, choices=ReviewStage.choices, default=ReviewStage.PROPOSED
    )
    proposed_on = models.DateField()
    scoping_on = models.DateField(null=True, blank=True)
    evidence_on = models.DateField(null=True, blank=True)
    findings_on = models.DateField(null=True, blank=True)
    recommendations_on = models.DateField(null=True, blank=True)
    reported_on = models.DateField(null=True, blank=True)
    reported_to = models.CharField(max_length=200, blank=True)
    scope = models.TextField(blank=True)
    findings = models.TextField(blank=True)
    public_summary = models.TextField(
        blank=True, help_text="What the review found and changed, for the public page."
    )
    members = models.ManyToManyField("members.Person", blank=True, related_name="reviews")
    evidence = models.ManyToManyField(EvidenceItem, blank=True, related_name="reviews")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-proposed_on", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.stage not in (ReviewStage.REPORTED, ReviewStage.WITHDRAWN)


class Recommendation(TenantModel):
    """One recommendation of a review, awaiting the Board's written response."""

    review = models.ForeignKey(
        ServiceReview, on_delete=models.CASCADE, related_name="recommendations"
    )
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    response_due_on = models.DateField(
        null=True, blank=True, help_text="Set by an officer: when the Board must answer."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "number"], name="recommendation_number_per_review"
            )
        ]

    def __str__(self) -> str:
        return f"R{self.number}: {self.text[:80]}"


class ResponseDecision(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    PARTLY_ACCEPTED = "partly", "Partly accepted"
    REJECTED = "rejected", "Rejected"


class BoardResponse(TenantModel):
    """The Board's formal written response to one recommendation."""

    recommendation = models.OneToOneField(
        Recommendation, on_delete=models.CASCADE, related_name="response"
    )
    decision = models.CharField(max_length=10, choices=ResponseDecision.choices)
    reasons = models.TextField(blank=True)
    responded_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-responded_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision="accepted") | ~models.Q(reasons=""),
                name="board_response_reasons_unless_accepted",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.responded_on:%d %b %Y})"

    @property
    def was_late(self) -> bool:
        due = self.recommendation.response_due_on
        return bool(due and self.responded_on > due)


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class ImprovementAction(TenantModel):
    """An action of the improvement plan for an accepted (or partly accepted) recommendation."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="actions"
    )
    description = models.TextField()
    owner = models.CharField(max_length=200)
    due_on = models.DateField()
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    completed_on = models.DateField(null=True, blank=True)
    completion_evidence = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="done")
                | (models.Q(completed_on__isnull=False) & ~models.Q(completion_evidence="")),
                name="improvement_action_done_has_evidence",
            )
        ]

    def __str__(self) -> str:
        return self.description[:80]


class EscalationStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"
    EXHAUSTED = "exhausted", "Every step taken, unresolved"


class Escalation(TenantModel):
    """The panel is not satisfied with the Board's decision: the ToR's escalation path."""

    review = models.ForeignKey(ServiceReview, on_delete=models.CASCADE, related_name="escalations")
    raised_on = models.DateField()
    reason = models.TextField()
    status = models.CharField(
        max_length=10, choices=EscalationStatus.choices, default=EscalationStatus.OPEN
    )
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-raised_on"]

    def __str__(self) -> str:
        return f"Escalation of {self.review} ({self.raised_on:%d %b %Y})"


class EscalationStep(TenantModel):
    """One step of the escalation path, copied from the ToR in force when raised."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField()
    description = models.TextField()
    started_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["escalation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["escalation", "number"], name="escalation_step_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Step {self.number}: {self.description[:60]}"


# --- Work plan, champions, budget, sub-groups (HFH) --------------------------------------


class PriorityStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ACHIEVED = "achieved", "Achieved"
    DROPPED = "dropped", "Dropped"


class WorkPlanPriority(TenantModel):
    """An annual priority of the panel's work plan, reviewed six-monthly (HFH ToR 3a)."""

    panel = models.ForeignKey("panels.Panel", on_delete=models.CASCADE, related_name="priorities")
    year = models.PositiveSmallIntegerField(help_text="The work plan year it belongs to.")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=PriorityStatus.choices, default=PriorityStatus.ACTIVE
    )
    review_due_on = models.DateField(null=True, blank=True, help_text="Six-monthly review due.")
    reviewed_on = models.DateField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    champions = models.ManyToManyField(
        "members.Person", through="PriorityChampion", blank=True, related_name="+"
    )

    class Meta:
        ordering = ["panel", "-year", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "year", "title"], name="priority_title_per_panel_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class PriorityChampion(TenantModel):
    """A resident lead championing a priority (HFH: up to two priorities each)."""

    priority = models.ForeignKey(
        WorkPlanPriority, on_delete=models.CASCADE, related_name="champion_links"
    )
    person = models.ForeignKey("members.Person", on_delete=models.CASCADE, related_name="+")
    since = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "person"], name="champion_once_per_priority"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} champions {self.priority}"


class WorkPlanItem(TenantModel):
    """A work plan task under a priority, with the outputs it must produce."""

    priority = models.ForeignKey(WorkPlanPriority, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(max_length=200)
    outputs = models.TextField(help_text="The outputs this item must produce.")
    supported_by = models.CharField(max_length=200, blank=True)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )

    class Meta:
        ordering = ["priority", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class NeighbourhoodBudget(TenantModel):
    """The neighbourhood improvement budget the panel oversees for one year (HFH ToR 3g)."""

    panel = models.ForeignKey("panels.Panel", on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveSmallIntegerField()
    total = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["panel", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "year"], name="budget_once_per_panel_year"),
            models.CheckConstraint(condition=models.Q(total__gte=0), name="budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Neighbourhood improvement budget {self.year}"


class BudgetAllocation(TenantModel):
    """Part of the budget allocated to a project, linked to a priority."""

    budget = models.ForeignKey(
        NeighbourhoodBudget, on_delete=models.CASCADE, related_name="allocations"
    )
    priority = models.ForeignKey(
        WorkPlanPriority, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    allocated_on = models.DateField()

    class Meta:
        ordering = ["budget", "allocated_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="allocation_positive")
        ]

    def __str__(self) -> str:
        return f"{self.title}: £{self.amount}"


class BudgetSpend(TenantModel):
    """Money spent against an allocation."""

    allocation = models.ForeignKey(
        BudgetAllocation, on_delete=models.CASCADE, related_name="spends"
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    spent_on = models.DateField()
    description = models.CharField(max_length=200)

    class Meta:
        ordering = ["allocation", "spent_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="spend_positive")
        ]

    def __str__(self) -> str:
        return f"{self.description}: £{self.amount}"


class SubGroupKind(models.TextChoices):
    SUB_GROUP = "sub_group", "Sub-group"
    WORKING_PARTY = "working_party", "Working party"


class SubGroup(TenantModel):
    """A sub-group or working party of the panel, for a piece of work."""

    panel = models.ForeignKey("panels.Panel", on_delete=models.CASCADE, related_name="sub_groups")
    kind = models.CharField(
        max_length=14, choices=SubGroupKind.choices, default=SubGroupKind.SUB_GROUP
    )
    name = models.CharField(max_length=200)
    purpose = models.TextField(blank=True)
    review = models.ForeignKey(
        ServiceReview, null=True, blank=True, on_delete=models.SET_NULL, related_name="sub_groups"
    )
    members = models.ManyToManyField("members.Person", blank=True, related_name="sub_groups")
    formed_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["panel", "name"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "name"], name="sub_group_name_per_panel")
        ]

    def __str__(self) -> str:
        return self.name


# --- Policies put to the panel -------------------------------------------------------------


class PolicyOutcome(models.TextChoices):
    PENDING = "pending", "Awaiting the panel"
    APPROVED = "approved", "Approved / signed off"
    APPROVED_WITH_CHANGES = "changes", "Approved subject to changes"
    NOT_APPROVED = "not_approved", "Not approved"


class PolicyReview(TenantModel):
    """A customer-facing policy or strategy put to the panel for approval or sign-off."""

    panel = models.ForeignKey(
        "panels.Panel", on_delete=models.CASCADE, related_name="policy_reviews"
    )
    title = models.CharField(max_length=200)
    is_strategy = models.BooleanField(default=False)
    presented_on = models.DateField()
    outcome = models.CharField(
        max_length=14, choices=PolicyOutcome.choices, default=PolicyOutcome.PENDING
    )
    outcome_on = models.DateField(null=True, blank=True)
    panel_comments = models.TextField(blank=True)
    goes_to = models.CharField(max_length=200, blank=True, help_text="e.g. Board, after sign-off.")

    class Meta:
        ordering = ["-presented_on", "title"]

    def __str__(self) -> str:
        return self.title


# --- Notice to Act (Stockport) ----------------------------------------------------------------


class NoticeStatus(models.TextChoices):
    SERVED = "served", "Served: awaiting the Board's answer"
    ANSWERED = "answered", "Answered by the Board"


class NoticeToAct(TenantModel):
    """A Notice to Act served on the Board after a motion carried by a majority of all members
    (Stockport ToR: via the Customer Focus Committee and the Lead Officer)."""

    panel = models.ForeignKey(
        "panels.Panel", on_delete=models.CASCADE, related_name="notices_to_act"
    )
    motion = models.OneToOneField(
        "meetings.Motion", on_delete=models.PROTECT, related_name="notice_to_act"
    )
    service_failure = models.TextField(help_text="The persistent service failure it concerns.")
    review = models.ForeignKey(
        ServiceReview, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    served_on = models.DateField()
    sent_via = models.CharField(
        max_length=300, help_text="Who it went through, e.g. the committee and the Lead Officer."
    )
    answer_due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.SERVED
    )
    board_answer = models.TextField(blank=True)
    answered_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-served_on"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="answered")
                | (models.Q(answered_on__isnull=False) & ~models.Q(board_answer="")),
                name="notice_to_act_answer_recorded",
            )
        ]

    def __str__(self) -> str:
        return f"Notice to Act served {self.served_on:%d %b %Y}"
