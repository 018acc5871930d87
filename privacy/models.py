"""Records of the data protection work done: subject access exports."""

from django.conf import settings
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
