"""Records of the data protection work done: subject access exports, erasures, retention."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from panels.tenancy import TenantModel


class ExportStatus(models.TextChoices):
    BUILDING = "building", "Being built"
    READY = "ready", "Ready to download"
    DOWNLOADED = "downloaded", "Downloaded (file deleted)"
    EXPIRED = "expired", "Expired (file deleted)"
    FAILED = "failed", "Failed"


class SubjectAccessExport(TenantModel):
    """One subject access request answered: a ZIP of everything held about one person,
    built by a task, downloaded once by an officer before it expires, then deleted.
    The row stays as the record that the request was answered (no personal data in it
    beyond the link to the person)."""

    person = models.ForeignKey(
        "members.Person", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=12, choices=ExportStatus.choices, default=ExportStatus.BUILDING
    )
    file = models.FileField(upload_to="subject-access/", blank=True)
    size = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True, help_text="Rows exported, by kind.")
    built_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)
    downloaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"Subject access export #{self.pk} ({self.get_status_display().lower()})"


# --- Erasure -----------------------------------------------------------------------------


class ErasureStatus(models.TextChoices):
    REQUESTED = "requested", "Requested, awaiting a second officer"
    DONE = "done", "Erased"
    CANCELLED = "cancelled", "Cancelled"


class ErasureTrigger(models.TextChoices):
    REQUEST = "request", "Asked for (two officers)"
    RETENTION = "retention", "Retention period passed"


class Erasure(TenantModel):
    """The record that a person's identifying data was (or is to be) replaced by
    "Former member N". It keeps who asked, who confirmed, when and how many rows were
    changed, never the erased data: the person's row itself now holds the pseudonym."""

    person = models.ForeignKey(
        "members.Person", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    trigger = models.CharField(
        max_length=10, choices=ErasureTrigger.choices, default=ErasureTrigger.REQUEST
    )
    status = models.CharField(
        max_length=10, choices=ErasureStatus.choices, default=ErasureStatus.REQUESTED
    )
    # The N of "Former member N": one sequence per organisation, given on erasure.
    number = models.PositiveIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    counts = models.JSONField(default=dict, blank=True, help_text="Rows changed, by table.")

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="requested"),
                name="erasure_one_open_request_per_person",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="done"),
                name="erasure_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["organisation", "number"], name="erasure_number_unique_per_org"
            ),
        ]

    def __str__(self) -> str:
        who = f"Former member {self.number}" if self.number else f"person #{self.person_id}"
        return f"Erasure of {who} ({self.get_status_display().lower()})"


# --- Retention ---------------------------------------------------------------------------


class RecordType(models.TextChoices):
    UNSUCCESSFUL_APPLICATIONS = "unsuccessful_applications", "Unsuccessful applications"
    ENDED_MEMBERSHIPS = "ended_memberships", "People whose seats have all ended"
    RECEIPTS = "receipts", "Expense receipts (files)"
    NOTICES = "notices", "Notices and letters sent"
    HISTORY = "history", "History of changes"


class RetentionPeriod(TenantModel):
    """How long one organisation keeps one type of record (privacy.retention holds the
    defaults used until an admin sets one)."""

    record_type = models.CharField(max_length=32, choices=RecordType.choices)
    days = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["record_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "record_type"], name="retention_once_per_record_type"
            ),
            models.CheckConstraint(condition=models.Q(days__gt=0), name="retention_days_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()}: {self.days} days"


class RetentionRun(TenantModel):
    """One nightly retention run for one organisation: how many records of each type were
    anonymised or deleted (shown on the officers' dashboard)."""

    ran_at = models.DateTimeField(auto_now_add=True)
    counts = models.JSONField(default=dict, blank=True)
    total = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-ran_at", "-id"]

    def __str__(self) -> str:
        return f"Retention run {self.ran_at:%Y-%m-%d %H:%M}: {self.total} records"
