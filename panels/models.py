from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower

from panels.files import RandomFileName
from panels.tenancy import TenantModel


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in. Signs in by email; may hold roles in several organisations."""

    username = None
    email = models.EmailField("email address", unique=True)
    # Printed on the letters an officer sends (with their email), so members can reply.
    phone = models.CharField(max_length=40, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Nation(models.TextChoices):
    """UK nations; each has its own bank holidays (the holidays package's GB subdivisions)."""

    ENGLAND = "ENG", "England"
    WALES = "WLS", "Wales"
    SCOTLAND = "SCT", "Scotland"
    NORTHERN_IRELAND = "NIR", "Northern Ireland"


class Organisation(models.Model):
    """A housing association: the tenant of PanelHub."""

    slug = models.SlugField(unique=True, help_text="Used in addresses: /<slug>/")
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60, blank=True)
    nation = models.CharField(
        max_length=3,
        choices=Nation.choices,
        default=Nation.ENGLAND,
        help_text="Whose bank holidays count when working days are computed.",
    )
    website = models.URLField(blank=True)
    logo = models.FileField(
        upload_to=RandomFileName("logos"),
        blank=True,
        help_text="PNG or JPEG; printed on reports. Never served from storage directly.",
    )
    # Who residents and members contact (the engagement officer or team): shown on the
    # organisation's help page and at the foot of every page, and the sender's details on
    # letters.
    contact_name = models.CharField(
        max_length=200, blank=True, help_text="For example: Jo Smith, Engagement Officer."
    )
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    postal_address = models.TextField(blank=True, help_text="One line per line of the address.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_email or self.contact_phone or self.postal_address)


class Role(models.TextChoices):
    MEMBER = "member", "Panel member"
    OFFICER = "officer", "Engagement officer"
    BOARD = "board", "Board member"
    ADMIN = "admin", "Organisation admin"


STAFF_ROLES = frozenset({Role.OFFICER, Role.ADMIN})


class OrganisationRole(models.Model):
    """A user's role in one organisation. A user may hold several, in several organisations.

    Not a TenantModel: it is how a user reaches their organisations, so it is read
    by user (see selectors.organisation_roles_for_user) before any tenant is chosen.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="organisation_roles")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=16, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="organisation_role_unique"
            )
        ]
        ordering = ["organisation__name", "role"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organisation}"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the person to accept"
    ACCEPTED = "accepted", "Accepted"
    REVOKED = "revoked", "Withdrawn by an officer"
    EXPIRED = "expired", "Expired"


class Invitation(TenantModel):
    """An offer of a role in one organisation, emailed to one address.

    The link carries a random token; only its SHA-256 is stored (``token_hash``), so a
    database reader cannot accept anyone's invitation. The token is single-use and
    expires. Accepting needs an account that has proved the address (a verified email
    address) or creates one through the token, which proves it: a role is never attached
    to an account because its email matches (issue 12). ``context`` carries what the
    inviting service needs when it is accepted (e.g. the members app's person id).
    """

    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    context = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(default=0)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "email"])]

    def __str__(self) -> str:
        return f"Invitation of {self.email} as {self.get_role_display().lower()}"

    def status_on(self, now) -> str:
        if self.accepted_at:
            return InvitationStatus.ACCEPTED
        if self.revoked_at:
            return InvitationStatus.REVOKED
        if now >= self.expires_at:
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING


class ApiToken(models.Model):
    """A personal API token (panels.api.auth): one user, one organisation, read or read and
    write, optionally expiring. Only the SHA-256 of the token is stored; ``prefix`` finds
    the row. Not a TenantModel: like OrganisationRole it is read (by prefix) before any
    organisation is chosen, and it names the one organisation it is for."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, editable=False)
    can_write = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"API token {self.display_prefix}… ({self.name})"

    @property
    def display_prefix(self) -> str:
        return f"ph_{self.prefix}"


class FormSubmission(models.Model):
    """The one-time token of a form that creates something (panels.idempotency), saved in
    the same transaction as what the form creates, so a double submit creates one row.
    Not tenant data: a random token and a time; tokens older than a day are forgotten."""

    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"Form submission {self.token[:8]}…"


class Panel(TenantModel):
    """A resident panel of an organisation, working to its own terms of reference."""

    slug = models.SlugField(help_text="Used in addresses: /<org>/panels/<slug>/")
    name = models.CharField(max_length=200)
    purpose = models.TextField(blank=True, help_text="One paragraph, shown on the public page.")
    reports_to = models.CharField(
        max_length=200, blank=True, help_text="The Board or committee the panel reports to."
    )
    is_public = models.BooleanField(
        default=True, help_text="Show the public page (rules, published minutes and reports)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="panel_slug_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class AuditEntry(TenantModel):
    """The action a service named and the reason given for a change. The change itself,
    field by field, is in the history rows (panels/history.py) of the same context."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    # The history context (pghistory.Context id) the change was made in; empty on SQLite.
    context_id = models.UUIDField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organisation", "object_type", "object_id"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class ClosureDay(TenantModel):
    """A day the organisation is closed (e.g. a Christmas shutdown): not a working day."""

    date = models.DateField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "date"], name="closure_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.date:%d %b %Y} closed{': ' + self.reason if self.reason else ''}"


# --- Terms of reference ---------------------------------------------------------------
# Every field below is a rule some ToR states. A rule the document does not state is
# left empty (None / blank / empty list), never invented; panels/rules/ treats an
# empty rule as "not stated" and says so.


class Cadence(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "At least quarterly"
    MIN_PER_YEAR = "min_per_year", "A minimum number each year"


class QuorumKind(models.TextChoices):
    NOT_STATED = "", "Not stated"
    FIXED_VOTING_RESIDENTS = "fixed", "A fixed number of voting resident members"
    MAJORITY_OF_MEMBERS = "majority", "A simple majority of all members"
    FRACTION_OF_MEMBERS = "fraction", "A fraction of the membership, rounded up"


class DecisionMethod(models.TextChoices):
    NOT_STATED = "", "Not stated"
    CONSENSUS_THEN_VOTE = "consensus_then_vote", "Consensus; where it cannot be reached, a vote"
    MAJORITY_VOTE = "majority_vote", "A majority of the votes cast"


class AbsenceConsequence(models.TextChoices):
    NONE = "", "Not stated"
    AUTOMATIC_RETIREMENT = "retire", "Automatic retirement from the panel"
    FLAG_FOR_REMOVAL = "flag", "May be removed: flagged for the panel to decide"


class ExtensionKind(models.TextChoices):
    NONE = "", "None stated"
    ANNUAL = "annual", "Annual extensions"
    EXCEPTIONAL = "exceptional", "Only in exceptional circumstances"


class ChairSelection(models.TextChoices):
    NOT_STATED = "", "Not stated"
    ELECTED_BY_PANEL = "elected", "Elected by the panel"
    APPOINTED_AGREED_BY_BOARD = "appointed_board", "Appointed by the panel, agreed by the Board"
    RECRUITED = "recruited", "Recruited"


class ReportingFrequency(models.TextChoices):
    NOT_STATED = "", "Not stated"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUALLY = "annually", "Annually"


class ExpensesPolicy(models.TextChoices):
    NOT_STATED = "", "Not stated"
    OUT_OF_POCKET = "out_of_pocket", "Reasonable out-of-pocket expenses"


class MinutesPublication(models.TextChoices):
    """Whether the document makes the minutes public (IVH 1.13 does; the others are silent)."""

    NOT_STATED = "", "Not stated in the terms of reference"
    PUBLIC = "public", "Public (items deemed confidential excepted)"
    NOT_PUBLIC = "not_public", "Not public: members only"


class InterestQuorumRule(models.TextChoices):
    """Whether a member who declared an interest in an item counts towards that item's quorum.
    None of the five documents says; the officer may set it in a new version."""

    NOT_STATED = "", "Not stated in the terms of reference"
    EXCLUDED = "excluded", "Not counted for that item's quorum"
    COUNTED = "counted", "Still counted for that item's quorum"


class TrainingBeforeVote(models.TextChoices):
    """Training a member must have completed before their first vote (the value is the
    members app's TrainingKind it needs)."""

    NOT_STATED = "", "Not stated"
    CORE = "core", "Mandatory (core) training"
    INDUCTION = "induction", "Induction training"


class TermsOfReference(TenantModel):
    """One version of a panel's terms of reference, in force from ``effective_from`` until
    the next version's ``effective_from``. Editing creates a new version; a past meeting
    is judged by the version in force on its date."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="terms_versions")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200, blank=True)
    approved_on = models.DateField(null=True, blank=True)
    approved_by = models.CharField(max_length=200, blank=True)
    effective_from = models.DateField()
    review_due_on = models.DateField(null=True, blank=True)
    source_text = models.TextField(blank=True, help_text="The document's text, as approved.")
    source_file = models.FileField(upload_to="terms-of-reference/", blank=True)
    change_note = models.TextField(blank=True, help_text="What changed from the last version.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Membership
    min_members = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Below this the panel cannot operate."
    )
    max_members = models.PositiveSmallIntegerField(null=True, blank=True)
    ideal_min_members = models.PositiveSmallIntegerField(null=True, blank=True)
    ideal_max_members = models.PositiveSmallIntegerField(null=True, blank=True)
    min_resident_members = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Minimum resident members/leads (HFH: 10 resident leads)."
    )
    eligible_tenures = models.JSONField(
        default=list, blank=True, help_text="Tenure types who may join; empty means not stated."
    )
    tenure_caps = models.JSONField(
        default=dict, blank=True, help_text='Most seats per tenure type, e.g. {"leaseholder": 2}.'
    )
    voting_roles = models.JSONField(
        default=list,
        blank=True,
        help_text="Seat roles that vote and count for quorum; empty: who votes is not stated "
        "in the terms of reference (then only chair, vice chair and resident seats count).",
    )
    non_voting_roles = models.JSONField(
        default=list, blank=True, help_text="Seat roles the document says do not vote."
    )

    # Eligibility: codes from panels.criteria.ELIGIBILITY_CRITERIA
    eligibility_criteria = models.JSONField(default=list, blank=True)
    min_age = models.PositiveSmallIntegerField(null=True, blank=True)
    eligibility_exemptions = models.JSONField(
        default=dict,
        blank=True,
        help_text='Seat roles exempt from a criterion, e.g. {"no_same_household": ["co_opted"]}.',
    )
    selection_panel_min_members = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Panel members who must sit on a selection panel."
    )
    training_before_active = models.BooleanField(
        default=False, help_text="Core training must be complete before a member is active."
    )
    code_of_conduct_required = models.BooleanField(default=False)
    training_before_first_vote = models.CharField(
        max_length=10,
        choices=TrainingBeforeVote.choices,
        blank=True,
        default="",
        help_text="Training a member must complete before their first vote (Helena: mandatory "
        "training; THT: induction).",
    )

    # Terms of office
    term_years = models.PositiveSmallIntegerField(null=True, blank=True)
    further_terms = models.PositiveSmallIntegerField(null=True, blank=True)
    max_years = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Years in total across terms (before any extension)."
    )
    extension_kind = models.CharField(
        max_length=12, choices=ExtensionKind.choices, blank=True, default=""
    )
    extension_limit_years = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Absolute maximum years with extensions (Stockport: 9)."
    )
    reappointment_automatic = models.BooleanField(null=True, blank=True)
    step_down_at_term_end = models.BooleanField(
        default=False, help_text="Fixed term: members step down at its end (may re-apply)."
    )
    may_reapply = models.BooleanField(null=True, blank=True)

    # Chair and vice chair
    chair_selection = models.CharField(
        max_length=20, choices=ChairSelection.choices, blank=True, default=""
    )
    chair_elected_annually = models.BooleanField(default=False)
    chair_election_month = models.PositiveSmallIntegerField(null=True, blank=True)
    chair_max_years = models.PositiveSmallIntegerField(null=True, blank=True)
    chair_not_board_chair = models.BooleanField(default=False)
    chair_not_staff = models.BooleanField(default=False)
    officer_led_meetings = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Meetings led by an officer before the first election."
    )
    vice_chair_presides_in_absence = models.BooleanField(default=False)
    members_choose_chair_if_both_absent = models.BooleanField(default=False)

    # Meetings
    cadence = models.CharField(max_length=16, choices=Cadence.choices, blank=True, default="")
    min_meetings_per_year = models.PositiveSmallIntegerField(null=True, blank=True)
    meets_before_committee = models.CharField(
        max_length=200, blank=True, help_text="Meetings are held before each meeting of this body."
    )
    usual_start_time = models.TimeField(null=True, blank=True)
    usual_end_time = models.TimeField(null=True, blank=True)
    may_meet_virtually = models.BooleanField(null=True, blank=True)
    aob_last = models.BooleanField(default=False)
    minutes_public = models.CharField(
        max_length=12,
        choices=MinutesPublication.choices,
        blank=True,
        default="",
        help_text="Whether minutes are public; empty: not stated in the terms of reference.",
    )
    key_messages_published = models.BooleanField(default=False)

    # Quorum and decisions
    quorum_kind = models.CharField(
        max_length=10, choices=QuorumKind.choices, blank=True, default=""
    )
    quorum_number = models.PositiveSmallIntegerField(null=True, blank=True)
    quorum_fraction = models.DecimalField(max_digits=4, decimal_places=3, null=True, blank=True)
    interest_quorum = models.CharField(
        "members with a declared interest and the item's quorum",
        max_length=10,
        choices=InterestQuorumRule.choices,
        blank=True,
        default="",
        help_text="Whether a member who declared an interest in an item counts towards that "
        "item's quorum; empty: not stated in the terms of reference.",
    )
    decision_method = models.CharField(
        max_length=24, choices=DecisionMethod.choices, blank=True, default=""
    )
    chair_casting_vote = models.BooleanField(default=False)
    all_member_majority_motions = models.JSONField(
        default=list,
        blank=True,
        help_text='Motion kinds needing a majority of all members, e.g. ["notice_to_act"].',
    )

    # Attendance and leave
    absence_limit = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Consecutive absences without accepted reason."
    )
    absence_consequence = models.CharField(
        max_length=8, choices=AbsenceConsequence.choices, blank=True, default=""
    )
    rejoin_bar_years = models.PositiveSmallIntegerField(null=True, blank=True)
    leave_max_months = models.PositiveSmallIntegerField(null=True, blank=True)
    payments_pause_on_leave = models.BooleanField(default=False)
    removal_appeal_to = models.CharField(max_length=200, blank=True)
    removal_appeal_final = models.BooleanField(default=False)

    # Money
    remuneration_member_annual = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True
    )
    remuneration_chair_annual = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True
    )
    remuneration_subject_to_attendance = models.BooleanField(default=False)
    vouchers_for_attendance = models.BooleanField(default=False)
    vouchers_require_papers_read = models.BooleanField(default=False)
    expenses_policy = models.CharField(
        max_length=16, choices=ExpensesPolicy.choices, blank=True, default=""
    )
    expenses_need_receipts = models.BooleanField(default=False)
    expenses_agreed_in_advance = models.BooleanField(
        default=False,
        help_text="Claims are usually agreed in advance: one that was not is held for the "
        "officer's decision (Stockport).",
    )
    payment_methods = models.JSONField(default=list, blank=True)

    # Reporting and scrutiny
    reporting_frequency = models.CharField(
        max_length=12, choices=ReportingFrequency.choices, blank=True, default=""
    )
    reports_to = models.CharField(max_length=200, blank=True)
    annual_report = models.BooleanField(default=False)
    annual_impact_assessment = models.BooleanField(default=False)
    annual_effectiveness_review = models.BooleanField(default=False)
    annual_work_plan_review = models.BooleanField(default=False)
    annual_member_review = models.BooleanField(default=False)
    skills_audit = models.BooleanField(default=False)
    board_responds_in_writing = models.BooleanField(default=False)
    scrutiny_reviews_per_year = models.PositiveSmallIntegerField(null=True, blank=True)
    champion_max_priorities = models.PositiveSmallIntegerField(null=True, blank=True)
    priorities_review_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The work plan's priorities are reviewed every this many months (HFH: 6).",
    )
    board_nominated_topic_required = models.BooleanField(
        default=False,
        help_text="The year's review topics include at least one nominated by the Board or "
        "executive team (THT).",
    )
    escalation_steps = models.JSONField(
        default=list, blank=True, help_text="The escalation path, one step per entry, in order."
    )

    class Meta:
        ordering = ["panel", "-effective_from"]
        verbose_name = "terms of reference"
        verbose_name_plural = "terms of reference"
        constraints = [
            models.UniqueConstraint(fields=["panel", "version"], name="tor_version_per_panel"),
            models.UniqueConstraint(
                fields=["panel", "effective_from"], name="tor_one_version_per_effective_date"
            ),
            models.CheckConstraint(
                condition=models.Q(min_members__isnull=True)
                | models.Q(max_members__isnull=True)
                | models.Q(min_members__lte=models.F("max_members")),
                name="tor_min_members_not_above_max",
            ),
            models.CheckConstraint(
                condition=models.Q(quorum_fraction__isnull=True)
                | (models.Q(quorum_fraction__gt=0) & models.Q(quorum_fraction__lte=1)),
                name="tor_quorum_fraction_in_range",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.panel} terms of reference v{self.version} (from {self.effective_from:%d %b %Y})"
        )

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from panels.terms_validation import terms_problems

        errors: dict[str, list[str]] = {}
        for reason in terms_problems(self):
            errors.setdefault(reason.field or "__all__", []).append(reason.message)
        if errors:
            raise ValidationError(errors)


class DeadlineKind(models.TextChoices):
    MEETING_NOTICE = "meeting_notice", "Notice of meeting dates"
    PAPERS_OUT = "papers_out", "Agenda and papers sent to members"
    AGENDA_PROPOSALS = "agenda_proposals", "Agenda item proposals"
    ATTENDANCE_REQUEST = "attendance_request", "Requests for staff or contractors to attend"
    MINUTES_OUT = "minutes_out", "Minutes sent to members"
    KEY_MESSAGES = "key_messages", "Key messages signed off and published"


class DeadlineUnit(models.TextChoices):
    CALENDAR_DAYS = "days", "days"
    WORKING_DAYS = "working_days", "working days"
    WEEKS = "weeks", "weeks"


class DeadlineDirection(models.TextChoices):
    BEFORE = "before", "before the meeting"
    AFTER = "after", "after the meeting"


class DeliveryChannel(models.TextChoices):
    ANY = "", "Any channel"
    POST = "post", "By post"
    ELECTRONIC = "electronic", "Electronically"


class DeadlineRule(TenantModel):
    """One deadline of a ToR version: an amount, a unit and a direction from the meeting."""

    terms = models.ForeignKey(TermsOfReference, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(max_length=24, choices=DeadlineKind.choices)
    amount = models.PositiveSmallIntegerField()
    unit = models.CharField(max_length=14, choices=DeadlineUnit.choices)
    direction = models.CharField(max_length=6, choices=DeadlineDirection.choices)
    channel = models.CharField(
        max_length=10, choices=DeliveryChannel.choices, blank=True, default=""
    )

    class Meta:
        ordering = ["terms", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["terms", "kind"], name="deadline_kind_once_per_tor"),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="deadline_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        unit, direction = self.get_unit_display(), self.get_direction_display()
        return f"{self.get_kind_display()}: {self.amount} {unit} {direction}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.amount is not None and self.amount <= 0:
            raise ValidationError(
                {
                    "amount": f"a deadline of {self.amount} is not possible: use a "
                    "positive amount and choose before or after the meeting."
                }
            )
