import datetime

from django.conf import settings
from django.db import models

from panels.files import RandomFileName
from panels.tenancy import TenantModel


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    POST = "post", "Post"


class TenureType(models.TextChoices):
    TENANT = "tenant", "Tenant"
    LEASEHOLDER = "leaseholder", "Leaseholder"
    SHARED_OWNER = "shared_owner", "Shared owner"
    HOUSEHOLD_MEMBER = "household_member", "Household member"
    NONE = "none", "Not a customer"


class PaymentMethod(models.TextChoices):
    NONE = "", "Not chosen"
    BACS = "bacs", "BACS transfer"
    VOUCHERS = "vouchers", "Vouchers"


class Person(TenantModel):
    """A resident (or officer) known to one organisation; optionally linked to a sign-in."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    preferred_channel = models.CharField(
        max_length=8, choices=Channel.choices, default=Channel.EMAIL
    )
    address = models.TextField(blank=True, help_text="Postal address, one line per line.")
    large_print = models.BooleanField(
        default=False, help_text="Letters in large print (a larger font in every letter PDF)."
    )
    postcode = models.CharField(max_length=10, blank=True)
    erased_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the person's personal data was erased (privacy.erasure): the record "
        'is then "Former member N" and is never filled in again.',
    )
    date_of_birth = models.DateField(null=True, blank=True)
    tenure_type = models.CharField(
        max_length=20, choices=TenureType.choices, default=TenureType.TENANT
    )
    household_reference = models.CharField(
        max_length=60,
        blank=True,
        help_text="Property or household reference shared by a household.",
    )
    customer_since = models.DateField(null=True, blank=True)
    customer_until = models.DateField(null=True, blank=True)
    payment_method = models.CharField(
        max_length=10, choices=PaymentMethod.choices, blank=True, default=""
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(user__isnull=False),
                name="person_one_per_user_per_org",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def is_customer_on(self, day) -> bool:
        if self.tenure_type == TenureType.NONE:
            return False
        if self.customer_since and day < self.customer_since:
            return False
        return not (self.customer_until and day > self.customer_until)


class SeatRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice chair"
    RESIDENT = "resident", "Resident member"
    ASSOCIATE = "associate", "Associate member"
    CO_OPTED = "co_opted", "Co-opted independent"
    OFFICER = "officer", "Officer"
    SPONSOR = "sponsor", "Sponsor"


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ON_LEAVE = "on_leave", "On leave of absence"
    STEPPED_DOWN = "stepped_down", "Stepped down"
    PENDING_TRAINING = "pending_training", "Appointed, awaiting core training"
    RETIRED_BY_ATTENDANCE = "retired_attendance", "Retired (attendance)"
    REMOVED = "removed", "Removed"
    TERM_ENDED = "term_ended", "Term ended"


CURRENT_STATUSES = (MembershipStatus.ACTIVE, MembershipStatus.ON_LEAVE)
# Seats that hold a place on the panel (for the maximum, tenure caps and households).
SEAT_HOLDING_STATUSES = (*CURRENT_STATUSES, MembershipStatus.PENDING_TRAINING)


class Membership(TenantModel):
    """A person's seat on a panel."""

    panel = models.ForeignKey("panels.Panel", on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=16, choices=SeatRole.choices, default=SeatRole.RESIDENT)
    status = models.CharField(
        max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    starts_on = models.DateField()
    term_number = models.PositiveSmallIntegerField(default=1)
    term_ends_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    first_started_on = models.DateField(
        null=True,
        blank=True,
        help_text="First day of continuous service on this panel (for the years limits).",
    )
    rejoin_barred_until = models.DateField(
        null=True, blank=True, help_text="Retired for absences: may not rejoin before this date."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["panel", "person__last_name", "person__first_name"]
        indexes = [models.Index(fields=["organisation", "panel", "status"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}, {self.panel}"

    @property
    def is_current(self) -> bool:
        return self.status in CURRENT_STATUSES


# --- History, flags and bars ------------------------------------------------------------


class MembershipEventKind(models.TextChoices):
    APPOINTED = "appointed", "Appointed"
    ROLE_CHANGED = "role_changed", "Role changed"
    REAPPOINTED = "reappointed", "Re-appointed for a further term"
    EXTENDED = "extended", "Term extended"
    ELECTED = "elected", "Elected"
    LEAVE_GRANTED = "leave_granted", "Leave of absence granted"
    LEAVE_STARTED = "leave_started", "Leave of absence began"
    LEAVE_ENDED = "leave_ended", "Returned from leave"
    STEPPED_DOWN = "stepped_down", "Stepped down"
    REMOVED = "removed", "Removed"
    APPEAL = "appeal", "Removal appeal decided"
    RETIRED_ATTENDANCE = "retired_attendance", "Retired for absences"
    FLAGGED = "flagged", "Flagged for removal"
    FLAG_KEPT = "flag_kept", "Kept after absences"
    ACTIVATED = "activated", "Made active"
    TERM_ENDED = "term_ended", "Term ended"


class MembershipEvent(TenantModel):
    """One change to a seat, in order: the seat's history (who decided, when and why)."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=MembershipEventKind.choices)
    on = models.DateField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.CharField(
        max_length=200, blank=True, help_text="Who decided, in the document's words (e.g. Board)."
    )
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.on:%d %b %Y} {self.get_kind_display()}"


class RemovalFlag(TenantModel):
    """A run of absences the ToR says may lead to removal: for the panel to decide."""

    class Decision(models.TextChoices):
        PENDING = "", "Awaiting the panel's decision"
        KEPT = "kept", "Member kept"
        REMOVED = "removed", "Member removed"

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="removal_flags"
    )
    raised_on = models.DateField()
    reason = models.TextField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(max_length=8, choices=Decision.choices, blank=True, default="")
    decided_on = models.DateField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-raised_on", "-id"]
        constraints = [
            # One open flag per seat: the same run of absences raises it once.
            models.UniqueConstraint(
                fields=["membership"],
                condition=models.Q(decision=""),
                name="removal_flag_one_open_per_membership",
            )
        ]

    def __str__(self) -> str:
        return f"Removal flag for {self.membership_id} raised {self.raised_on}"


# --- Declarations, conduct and development ---------------------------------------------


def _user_fk():
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class DeclarationKind(models.TextChoices):
    """Facts the eligibility criteria ask about (panels.rules.PersonFacts)."""

    EMPLOYEE = "employee", "Employee of the organisation"
    TENANCY_BREACH_ACTION = "tenancy_breach_action", "Action for breach of tenancy or lease"
    BREACH_COURT_ORDER = "breach_court_order", "Court order for breach of agreement"
    OPEN_ASB_CASE = "open_asb_case", "Open anti-social behaviour case"
    ARREARS_ACTION_OR_DISPUTE = (
        "arrears_action_or_dispute",
        "Arrears court action or legal dispute",
    )
    CCJ_OR_NSP = "ccj_or_nsp", "County Court judgment or Notice of Seeking Possession"
    ON_OTHER_BOARD = "on_other_board", "Seat on the organisation's or another housing board"
    REMOVED_UNDER_CODE = "removed_under_code", "Removed as a member under the code of conduct"
    EXCLUDED_FOR_BEHAVIOUR = "excluded_for_behaviour", "Excluded from activities for behaviour"
    BOARD_CHAIR = "board_chair", "Chair of the organisation's Board"


# Declaration kind -> PersonFacts field.
DECLARATION_FACTS = {
    DeclarationKind.EMPLOYEE: "is_employee",
    DeclarationKind.TENANCY_BREACH_ACTION: "tenancy_breach_action",
    DeclarationKind.BREACH_COURT_ORDER: "breach_court_order",
    DeclarationKind.OPEN_ASB_CASE: "open_asb_case",
    DeclarationKind.ARREARS_ACTION_OR_DISPUTE: "arrears_action_or_dispute",
    DeclarationKind.CCJ_OR_NSP: "ccj_or_nsp",
    DeclarationKind.ON_OTHER_BOARD: "on_other_board",
    DeclarationKind.REMOVED_UNDER_CODE: "removed_under_code",
    DeclarationKind.EXCLUDED_FOR_BEHAVIOUR: "excluded_for_behaviour",
}


class Declaration(TenantModel):
    """A fact about a person that bears on eligibility, from ``applies_from`` until
    ``applies_until`` (open: still applies), with who recorded it and when."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="declarations")
    kind = models.CharField(max_length=32, choices=DeclarationKind.choices)
    applies_from = models.DateField()
    applies_until = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    self_declared = models.BooleanField(default=False)
    recorded_on = models.DateField()
    recorded_by = _user_fk()

    class Meta:
        ordering = ["-applies_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(applies_until__isnull=True)
                | models.Q(applies_until__gte=models.F("applies_from")),
                name="declaration_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (from {self.applies_from:%d %b %Y})"

    def applies_on(self, day) -> bool:
        return self.applies_from <= day and (
            self.applies_until is None or day <= self.applies_until
        )


class TrainingKind(models.TextChoices):
    INDUCTION = "induction", "Induction"
    CORE = "core", "Core training"
    OTHER = "other", "Other training"


class TrainingRecord(TenantModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="training")
    kind = models.CharField(max_length=12, choices=TrainingKind.choices)
    title = models.CharField(max_length=200)
    completed_on = models.DateField()
    recorded_by = _user_fk()

    class Meta:
        ordering = ["-completed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.completed_on:%d %b %Y})"


class ConductSignature(TenantModel):
    """The code of conduct signed by a person: which version, and when."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="conduct_signatures")
    panel = models.ForeignKey("panels.Panel", on_delete=models.CASCADE, related_name="+")
    version = models.CharField(max_length=40)
    signed_on = models.DateField()
    recorded_by = _user_fk()

    class Meta:
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "panel", "version"], name="conduct_signature_once_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"Code of conduct {self.version} signed {self.signed_on:%d %b %Y}"


class InterestDeclaration(TenantModel):
    """A general entry in the register of interests (per-item declarations live in meetings)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="interests")
    interest = models.TextField()
    declared_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    recorded_by = _user_fk()

    class Meta:
        ordering = ["-declared_on", "-id"]

    def __str__(self) -> str:
        return self.interest[:80]


class ReviewKind(models.TextChoices):
    SKILLS_AUDIT = "skills_audit", "Knowledge and skills audit"
    ANNUAL_REVIEW = "annual_review", "Annual review of contributions and training needs"


class MemberReview(TenantModel):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(max_length=16, choices=ReviewKind.choices)
    held_on = models.DateField()
    contributions = models.TextField(blank=True)
    skills = models.TextField(blank=True)
    training_needs = models.TextField(blank=True)
    recorded_by = _user_fk()

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%d %b %Y}"


class Remark(TenantModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="remarks")
    text = models.TextField()
    written_by = _user_fk()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:80]


# --- Leave, removal and chairs ---------------------------------------------------------


class LeaveOfAbsence(TenantModel):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="leaves")
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.TextField(blank=True)
    returned_on = models.DateField(null=True, blank=True)
    granted_by = _user_fk()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="leave_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"Leave {self.starts_on:%d %b %Y} to {self.last_day:%d %b %Y}"

    @property
    def last_day(self):
        return self.returned_on - datetime.timedelta(days=1) if self.returned_on else self.ends_on


class Removal(TenantModel):
    """A decision to remove a member, and any appeal (Stockport: in writing to the Lead
    Officer, whose decision is final)."""

    class AppealOutcome(models.TextChoices):
        NONE = "", "No decision"
        UPHELD = "upheld", "Removal upheld"
        OVERTURNED = "overturned", "Removal overturned: reinstated"

    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="removal")
    decided_on = models.DateField()
    reason = models.TextField()
    decided_by = _user_fk()
    appeal_to = models.CharField(max_length=200, blank=True)
    appeal_final = models.BooleanField(default=False)
    appeal_received_on = models.DateField(null=True, blank=True)
    appeal_text = models.TextField(blank=True, help_text="The written appeal, or its summary.")
    appeal_outcome = models.CharField(
        max_length=12, choices=AppealOutcome.choices, blank=True, default=""
    )
    appeal_decided_on = models.DateField(null=True, blank=True)
    appeal_decision_reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Removal of {self.membership_id} on {self.decided_on:%d %b %Y}"


class ChairPeriod(TenantModel):
    """A spell as chair or vice chair: summed for the ToR's chair limit (HFH: six years)."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="chair_periods"
    )
    role = models.CharField(max_length=16)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "id"]

    def __str__(self) -> str:
        return f"{self.role} from {self.starts_on:%d %b %Y}"


class ChairElection(TenantModel):
    panel = models.ForeignKey("panels.Panel", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=16)
    held_on = models.DateField()
    elected = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="elections")
    votes = models.JSONField(default=dict, help_text="{membership id: votes received}")
    votes_cast = models.PositiveSmallIntegerField(default=0)
    recorded_by = _user_fk()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.role} election {self.held_on:%d %b %Y}"


# --- Recruitment ------------------------------------------------------------------------


class Vacancy(TenantModel):
    panel = models.ForeignKey("panels.Panel", on_delete=models.CASCADE, related_name="vacancies")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    seats = models.PositiveSmallIntegerField(default=1)
    seat_role = models.CharField(max_length=16, choices=SeatRole.choices, default=SeatRole.RESIDENT)
    opens_on = models.DateField()
    closes_on = models.DateField()
    created_by = _user_fk()

    class Meta:
        ordering = ["-closes_on", "-id"]
        verbose_name_plural = "vacancies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="vacancy_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (closes {self.closes_on:%d %b %Y})"

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


class ApplicationStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    INELIGIBLE = "ineligible", "Not eligible"
    IN_PROGRESS = "in_progress", "In recruitment"
    SELECTED = "selected", "Selected"
    NOT_SELECTED = "not_selected", "Not selected"
    APPOINTED = "appointed", "Appointed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Application(TenantModel):
    class Channel(models.TextChoices):
        PUBLIC = "public", "Online form"
        OFFICER = "officer", "Entered by an officer"

    panel = models.ForeignKey("panels.Panel", on_delete=models.CASCADE, related_name="applications")
    vacancy = models.ForeignKey(
        Vacancy, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="applications")
    seat_role = models.CharField(max_length=16, choices=SeatRole.choices, default=SeatRole.RESIDENT)
    submitted_on = models.DateField()
    channel = models.CharField(max_length=8, choices=Channel.choices)
    statement = models.TextField(blank=True, help_text="Why the applicant is suited to the role.")
    status = models.CharField(
        max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.RECEIVED
    )
    eligibility_reasons = models.JSONField(default=list, blank=True)
    override_reason = models.TextField(blank=True)
    override_by = _user_fk()
    outcome_reasons = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    membership = models.OneToOneField(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="application"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_on", "-id"]

    def __str__(self) -> str:
        return f"Application from {self.person} ({self.get_status_display()})"


class RecruitmentStepKind(models.TextChoices):
    OBSERVER = "observer", "Observed a meeting"
    SHADOWING = "shadowing", "Shadowed a meeting"
    INFORMAL_INTERVIEW = "informal_interview", "Informal interview"
    SELECTION = "selection", "Selection panel"


class RecruitmentStep(TenantModel):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=20, choices=RecruitmentStepKind.choices)
    held_on = models.DateField()
    notes = models.TextField(blank=True)
    panel_members = models.ManyToManyField(Membership, blank=True, related_name="+")
    recorded_by = _user_fk()

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%d %b %Y}"


# --- Money ----------------------------------------------------------------------------


class ExpenseStatus(models.TextChoices):
    SUBMITTED = "submitted", "Awaiting a decision"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class ExpenseClaim(TenantModel):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="expenses")
    incurred_on = models.DateField()
    description = models.CharField(max_length=300)
    amount = models.DecimalField(max_digits=8, decimal_places=2)
    receipt = models.FileField(upload_to=RandomFileName("expense-receipts"), blank=True)
    receipt_name = models.CharField(
        max_length=200, blank=True, help_text="The name as uploaded (shown, never stored)."
    )
    status = models.CharField(
        max_length=10, choices=ExpenseStatus.choices, default=ExpenseStatus.SUBMITTED
    )
    submitted_by = _user_fk()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    agreed_in_advance = models.BooleanField(
        default=False, help_text="The claim was agreed with the officer before it was incurred."
    )
    held_reason = models.TextField(
        blank=True, help_text="Why the claim is held for the officer's decision (from the ToR)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-incurred_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="expense_amount_positive")
        ]

    def __str__(self) -> str:
        return f"£{self.amount} {self.description}"


class PapersRead(TenantModel):
    """An officer's record that a member read the papers for a meeting before it (IVH:
    vouchers for attending and reviewing the performance information beforehand). The
    meetings register records presence only, so this is kept here, per seat and meeting."""

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="papers_read")
    recorded_on = models.DateField()
    recorded_by = _user_fk()

    class Meta:
        verbose_name_plural = "papers read"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"], name="papers_read_once_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"Papers read for meeting {self.meeting_id} by seat {self.membership_id}"
