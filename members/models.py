from django.conf import settings
from django.db import models

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
    postcode = models.CharField(max_length=10, blank=True)
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
    RETIRED_BY_ATTENDANCE = "retired_attendance", "Retired (attendance)"
    REMOVED = "removed", "Removed"
    TERM_ENDED = "term_ended", "Term ended"


CURRENT_STATUSES = (MembershipStatus.ACTIVE, MembershipStatus.ON_LEAVE)


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
    LEAVE_ENDED = "leave_ended", "Returned from leave"
    STEPPED_DOWN = "stepped_down", "Stepped down"
    REMOVED = "removed", "Removed"
    APPEAL = "appeal", "Removal appeal decided"
    RETIRED_ATTENDANCE = "retired_attendance", "Retired for absences"
    FLAGGED = "flagged", "Flagged for removal"
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
