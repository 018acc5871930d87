"""The notice ledger: every notice the terms of reference promise is one row, written in
the same transaction as the change that causes it, and sent exactly once by the
dispatcher (notices/tasks.py). Breaches record deadlines that passed without their duty."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from panels.tenancy import TenantModel


class NoticeKind(models.TextChoices):
    # Meetings (the ToR's DeadlineRule kinds, plus reminders)
    MEETING_NOTICE = "meeting_notice", "Notice of meeting date"
    MEETING_CANCELLED = "meeting_cancelled", "Meeting cancelled"
    PAPERS_DUE = "papers_due", "Papers due (reminder to the officer)"
    PAPERS_ISSUED = "papers_issued", "Papers issued to members"
    AGENDA_PROPOSALS_CLOSING = "agenda_proposals_closing", "Agenda proposal window closing"
    MINUTES_DUE = "minutes_due", "Minutes due"
    KEY_MESSAGES_DUE = "key_messages_due", "Key messages due"
    APOLOGIES_REMINDER = "apologies_reminder", "Meeting reminder: send apologies if you cannot come"
    # Membership
    TERM_ENDING_90 = "term_ending_90", "Term of office ends in 90 days"
    TERM_ENDING_30 = "term_ending_30", "Term of office ends in 30 days"
    ABSENCE_WARNING = "absence_warning", "Consecutive absences warning"
    ABSENCE_RETIREMENT = "absence_retirement", "Retirement or removal for absences"
    LEAVE_ENDING = "leave_ending", "Leave of absence ending"
    TRAINING_MISSING = "training_missing", "Core training missing"
    # Scrutiny
    BOARD_RESPONSE_DUE = "board_response_due", "Board response due"
    BOARD_RESPONSE_OVERDUE = "board_response_overdue", "Board response overdue"
    ACTION_DUE = "action_due", "Action due"
    ACTION_OVERDUE = "action_overdue", "Action overdue"
    # Governance
    TOR_REVIEW_DUE = "tor_review_due", "Terms of reference review due"
    ANNUAL_REPORT_DUE = "annual_report_due", "Annual report due"
    CADENCE_AT_RISK = "cadence_at_risk", "Meeting cadence at risk"
    OFFICER_SUMMARY = "officer_summary", "Daily summary for officers"
    # Account messages: one email each, written by the code that sends them (panels), with
    # a private link kept out of the ledger (NoticeSecret).
    INVITATION = "invitation", "Invitation to PanelHub"
    EMAIL_CONFIRMATION = "email_confirmation", "Confirm an email address"
    PASSWORD_RESET = "password_reset", "Password reset"
    ACCOUNT_MESSAGE = "account_message", "Account message"


# Kinds whose email is the notice's own title and body (no notice template), the private
# link put back in at the moment of sending.
MESSAGE_KINDS = frozenset(
    {
        NoticeKind.INVITATION,
        NoticeKind.EMAIL_CONFIRMATION,
        NoticeKind.PASSWORD_RESET,
        NoticeKind.ACCOUNT_MESSAGE,
    }
)
# What the ledger's body shows where the email has its private link.
SECRET_MARK = "[private link: in the email only, never kept in PanelHub's records]"


class NoticeChannel(models.TextChoices):
    EMAIL = "email", "Email"
    POST = "post", "Post"
    IN_APP = "in_app", "In PanelHub"


class NoticeStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    CLAIMED = "claimed", "Claimed by a worker"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    # The worker stopped while handing the email to the mail server: it may have gone.
    # ``smtp_accepted_at`` set: the server had accepted it (probably delivered); empty: no
    # one knows (uncertain). Never resent without an officer's confirmation.
    UNCERTAIN = "uncertain", "Interrupted while sending"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATUSES = (NoticeStatus.PENDING, NoticeStatus.CLAIMED, NoticeStatus.SENDING)


class Notice(TenantModel):
    """One notice to one recipient by one channel, due at one time. ``dedupe_key`` is unique:
    planning the same notice twice updates the one row, never adds a second."""

    panel = models.ForeignKey(
        "panels.Panel", null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=32, choices=NoticeKind.choices)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    dedupe_key = models.CharField(max_length=200, unique=True)

    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notices",
    )
    recipient_person = models.ForeignKey(
        "members.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notices",
    )
    # A snapshot: the address the notice was planned for, so the ledger shows what went where.
    recipient_name = models.CharField(max_length=200, blank=True)
    recipient_email = models.EmailField(blank=True)
    recipient_address = models.TextField(blank=True)
    channel = models.CharField(max_length=8, choices=NoticeChannel.choices)
    channel_note = models.CharField(
        max_length=300, blank=True, help_text="Why this channel (e.g. no email address: by post)."
    )
    digest = models.BooleanField(default=False, help_text="Sent in the recipient's daily digest.")

    title = models.CharField(max_length=300)
    body = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    due_at = models.DateTimeField()
    deadline_on = models.DateField(
        null=True, blank=True, help_text="The deadline (or event date) the notice is about."
    )

    status = models.CharField(
        max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.PENDING
    )
    next_attempt_at = models.DateTimeField()
    claim_token = models.UUIDField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The mail server's acceptance, recorded the moment it answered and before the notice
    # is marked sent: its queue id when it gives one (else our Message-ID).
    smtp_id = models.CharField(max_length=300, blank=True)
    smtp_accepted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=300, blank=True)
    # Never sent at or after this moment (a meeting reminder: the meeting's start); the
    # dispatcher withdraws it then, with the reason in ``withdrawn_reason``.
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            # The dispatcher's claim: due pending rows in due order.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="notice_due_pending",
            ),
            # Lease recovery: claimed or sending rows whose lease has run out.
            models.Index(
                fields=["claimed_until"],
                condition=models.Q(status__in=["claimed", "sending"]),
                name="notice_lease",
            ),
            models.Index(fields=["subject_type", "subject_id"], name="notice_subject"),
            models.Index(fields=["organisation", "status", "due_at"], name="notice_org_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="notice_sent_has_sent_at",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["claimed", "sending"])
                | models.Q(claim_token__isnull=False, claimed_until__isnull=False),
                name="notice_claim_has_lease",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient_name or 'officers'} ({self.status})"

    @property
    def probably_delivered(self) -> bool:
        """An interrupted send the mail server had already accepted."""
        return self.status == NoticeStatus.UNCERTAIN and self.smtp_accepted_at is not None


class Notification(TenantModel):
    """An in-app notification in a user's list (every notice sent to someone who signs in)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    notice = models.OneToOneField(
        Notice, null=True, blank=True, on_delete=models.SET_NULL, related_name="notification"
    )
    title = models.CharField(max_length=300)
    body = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "user", "-created_at"])]

    def __str__(self) -> str:
        return self.title


class Letter(TenantModel):
    """A postal notice as a printable PDF, waiting in the officers' print queue."""

    notice = models.OneToOneField(Notice, on_delete=models.CASCADE, related_name="letter")
    pdf = models.FileField(upload_to="letters/")
    created_at = models.DateTimeField(auto_now_add=True)
    printed_at = models.DateTimeField(null=True, blank=True)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["printed_at", "-created_at"]

    def __str__(self) -> str:
        return f"Letter to {self.notice.recipient_name}: {self.notice.title}"


class NoticePreference(TenantModel):
    """How a member wants their notices: by email or post, one at a time or as a daily digest."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        POST = "post", "Post"

    person = models.OneToOneField(
        "members.Person", on_delete=models.CASCADE, related_name="notice_preference"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    digest = models.BooleanField(
        default=False, help_text="One email a day with everything due, instead of one each."
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.person}: {self.get_channel_display()}{' (digest)' if self.digest else ''}"


class BreachRule(models.TextChoices):
    MEETING_NOTICE = "meeting_notice", "Notice of meeting dates not given in time"
    PAPERS_OUT = "papers_out", "Papers not issued in time"
    MINUTES_OUT = "minutes_out", "Minutes not published in time"
    KEY_MESSAGES = "key_messages", "Key messages not published in time"
    BOARD_RESPONSE = "board_response", "No Board response in time"


class Breach(TenantModel):
    """A deadline of the terms of reference that passed without its duty done. Recorded
    once per subject and rule; ``done_on`` says when the duty was done late, if it was."""

    panel = models.ForeignKey("panels.Panel", on_delete=models.CASCADE, related_name="breaches")
    rule = models.CharField(max_length=24, choices=BreachRule.choices)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    subject_label = models.CharField(max_length=300)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    rule_text = models.CharField(max_length=300)
    source = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    resolved_on = models.DateField(null=True, blank=True)
    # Why the officer went ahead knowing the deadline would be missed (given when the
    # meeting was scheduled inside it).
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-due_on", "id"]
        verbose_name_plural = "breaches"
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "rule"], name="breach_once_per_rule"
            )
        ]
        indexes = [models.Index(fields=["organisation", "panel", "due_on"])]

    def __str__(self) -> str:
        return f"{self.get_rule_display()}: {self.subject_label} (due {self.due_on:%d %b %Y})"


class NoticeSecret(models.Model):
    """The private link (an invitation, a password reset, an address confirmation) of one
    notice, kept apart from the ledger: not in the notice's body (which shows SECRET_MARK),
    not in any history table, shown on no page and in no admin. The dispatcher puts it into
    the email as it sends it; it is deleted once the mail server accepted the message, and
    beat deletes it when the link expires (withdrawing the notice if it never went)."""

    notice = models.OneToOneField(Notice, on_delete=models.CASCADE, related_name="secret")
    link = models.CharField(max_length=1000)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Private link of notice {self.notice_id} (expires {self.expires_at:%Y-%m-%d})"


class WorkerHeartbeat(models.Model):
    """The last time a dispatcher ran on a host: /healthz shows its age."""

    hostname = models.CharField(max_length=200, unique=True)
    pid = models.PositiveIntegerField(default=0)
    last_seen_at = models.DateTimeField()
    last_batch_sent = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.hostname} at {self.last_seen_at:%Y-%m-%d %H:%M:%S}"
