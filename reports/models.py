from django.conf import settings
from django.db import models

from panels.tenancy import TenantModel


class ReportKind(models.TextChoices):
    QUARTERLY = "quarterly", "Quarterly Board report"
    ANNUAL = "annual", "Annual report"
    EFFECTIVENESS = "effectiveness", "Annual effectiveness review"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Being generated"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class ReportNarrative(TenantModel):
    """What officers and the chair write for a report before it is generated."""

    panel = models.ForeignKey("panels.Panel", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=ReportKind.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    summary = models.TextField(blank=True, help_text="The panel's summary of the period.")
    asks_of_board = models.TextField(
        blank=True, help_text="What the panel asks of the Board or committee."
    )
    outcomes_and_impact = models.TextField(blank=True)
    topics_chosen_and_why = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "kind", "period_start"], name="report_narrative_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} narrative {self.period_start:%b %Y}"


class Report(TenantModel):
    """One generated version of a report. The stored PDF never changes: downloading it twice
    gives the same file; regenerating makes a new version."""

    panel = models.ForeignKey("panels.Panel", on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(max_length=16, choices=ReportKind.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    progress_note = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    as_of = models.DateField(
        null=True,
        blank=True,
        help_text="The date the report is true on: the period's end, or the day it was "
        "requested if the period was still running (then it is an interim report).",
    )
    snapshot_at = models.DateTimeField(null=True, blank=True, help_text="When the data was read.")
    generated_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to="reports/%Y/", blank=True)
    checksum = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the PDF.")
    size = models.PositiveIntegerField(default=0)
    page_count = models.PositiveSmallIntegerField(default=0)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_published = models.BooleanField(
        default=False, help_text="Shown to the public on the panel's page (annual reports)."
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_start", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "kind", "period_start", "version"], name="report_version_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="report_progress_at_most_100"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "panel", "kind", "-period_start"])]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def interim(self) -> bool:
        return self.as_of is not None and self.as_of < self.period_end

    @property
    def filename(self) -> str:
        slug = self.title.lower().replace(" ", "-").replace("/", "-")
        return f"{slug}-v{self.version}.pdf"
