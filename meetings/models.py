"""Meetings of a panel: the programme, agenda, papers, register, decisions and minutes.

Every rule these rows are judged by comes from panels/rules/ with the terms of reference
in force on the meeting's date; the rows here only record what happened and when.
"""

import contextlib
import datetime
import secrets

from django.conf import settings
from django.db import models

from panels.files import RandomFileName
from panels.tenancy import TenantModel


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    NOTICE_GIVEN = "notice_given", "Notice given"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


OPEN_STATUSES = (MeetingStatus.PLANNED, MeetingStatus.NOTICE_GIVEN)


class PresidingBasis(models.TextChoices):
    NOT_RECORDED = "", "Not recorded"
    CHAIR = "chair", "The chair"
    VICE_CHAIR = "vice_chair", "The vice chair, in the chair's absence"
    OFFICER = "officer", "An officer, before the first election"
    MEMBERS_CHOOSE = "members_choose", "Chosen by the members present"
    NOT_STATED = "not_stated", "Not stated by the terms of reference"


class CommitteeDate(TenantModel):
    """A meeting of the body the panel meets before (Stockport: the Customer Focus Committee),
    entered by officers so the programme can place a panel meeting before each."""

    panel = models.ForeignKey("panels.Panel", on_delete=models.CASCADE, related_name="+")
    committee = models.CharField(max_length=200)
    date = models.DateField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "date"], name="committee_date_once_per_panel")
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.date:%d %b %Y}"


class Meeting(TenantModel):
    """One meeting of a panel. The *_on fields are the dated duties the deadlines check."""

    panel = models.ForeignKey("panels.Panel", on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(max_length=200, blank=True)
    date = models.DateField()
    start_time = models.TimeField()
    end_time = models.TimeField()
    place = models.CharField(max_length=300, blank=True)
    virtual_link = models.URLField(blank=True)
    is_public = models.BooleanField(
        default=True, help_text="Listed in the panel's public calendar (date and place only)."
    )
    status = models.CharField(
        max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    cancelled_reason = models.CharField(max_length=300, blank=True)
    before_committee = models.ForeignKey(
        CommitteeDate, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )

    notice_given_on = models.DateField(null=True, blank=True)
    notice_given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    papers_issued_on = models.DateField(null=True, blank=True)
    papers_issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    minutes_published_on = models.DateField(null=True, blank=True)
    minutes_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    key_messages_published_on = models.DateField(null=True, blank=True)
    key_messages_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    presiding_basis = models.CharField(
        max_length=16, choices=PresidingBasis.choices, blank=True, default=""
    )
    presiding_membership = models.ForeignKey(
        "members.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    presiding_note = models.CharField(max_length=300, blank=True)
    # The calendar's SEQUENCE: raised each time the date, time, place or status changes, so
    # phone calendars update the event instead of adding a second one.
    sequence = models.PositiveIntegerField(default=0)
    # Scheduled after (or too close to meet) a ToR deadline: which deadlines and the
    # officer's reason, copied onto each breach recorded for them (notices.Breach.reason).
    late_deadlines = models.CharField(max_length=300, blank=True)
    late_reason = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["date", "start_time"]
        indexes = [models.Index(fields=["organisation", "panel", "date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "date", "start_time"], name="meeting_once_per_panel_slot"
            ),
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="meeting_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title or 'Meeting'} {self.date:%d %b %Y}"

    @property
    def display_title(self) -> str:
        return self.title or f"{self.panel.name} meeting"


class ItemSource(models.TextChoices):
    OFFICER = "officer", "Officer"
    MEMBER_PROPOSAL = "member_proposal", "Member proposal"
    BOARD_NOMINATED = "board_nominated", "Board nominated"
    AOB = "aob", "Any other business"


class AgendaItem(TenantModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    owner = models.CharField(max_length=200, blank=True, help_text="Who presents the item.")
    minutes_allotted = models.PositiveSmallIntegerField(default=15)
    is_confidential = models.BooleanField(
        default=False,
        help_text="Never shown on public pages, feeds or published minutes.",
    )
    source = models.CharField(max_length=20, choices=ItemSource.choices, default=ItemSource.OFFICER)
    proposed_by = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_on = models.DateField(null=True, blank=True)
    chair_accepted_late = models.BooleanField(
        default=False, help_text="A late member proposal the chair agreed to include."
    )
    started_at = models.TimeField(
        null=True,
        blank=True,
        help_text="When the meeting reached the item (empty: as planned, from the start time "
        "and the minutes allotted to the items before it).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting"],
                condition=models.Q(source="aob"),
                name="agenda_one_aob_per_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class AttendanceRequest(TenantModel):
    """A request for a member of staff or a contractor to attend (HFH 4 weeks; THT 10 working
    days' notice)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guest_requests")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=200)
    capacity = models.CharField(max_length=200, help_text="Job title, team or contractor.")
    requested_on = models.DateField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "requested_on", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.capacity})"


def paper_upload_to(instance: "Paper", filename: str) -> str:
    """The old naming, kept only because migration 0001 refers to it: stored names are now
    random (panels.files.RandomFileName)."""
    return f"papers/{instance.organisation_id}/{instance.item.meeting_id}/{filename}"


class Paper(TenantModel):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=RandomFileName("papers"))
    original_name = models.CharField(
        max_length=200, blank=True, help_text="The file's name as uploaded (shown, never stored)."
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["item", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_pdf(self) -> bool:
        return self.file.name.lower().endswith(".pdf")

    @property
    def file_name(self) -> str:
        """The name to show and to download under: the uploader's, not the stored one."""
        return self.original_name or self.file.name.rsplit("/", 1)[-1]

    @property
    def kind_label(self) -> str:
        """What the file is, in plain words, for the papers lists."""
        name = self.file.name
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        return PAPER_KINDS.get(extension, "Document")


PAPER_KINDS = {
    "pdf": "PDF",
    "png": "Picture",
    "jpg": "Picture",
    "jpeg": "Picture",
    "doc": "Word document",
    "docx": "Word document",
    "odt": "Document",
    "xls": "Spreadsheet",
    "xlsx": "Spreadsheet",
    "ods": "Spreadsheet",
    "csv": "Spreadsheet",
    "ppt": "Slides",
    "pptx": "Slides",
}


class PaperIssue(TenantModel):
    """Papers sent to one member by their preferred channel."""

    class IssueChannel(models.TextChoices):
        EMAIL = "email", "Email with a link"
        POST = "post", "Letter pack by post"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="paper_issues")
    person = models.ForeignKey("members.Person", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=8, choices=IssueChannel.choices)
    issued_on = models.DateField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "person__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="papers_issued_once")
        ]

    def __str__(self) -> str:
        return f"Papers to {self.person} by {self.channel} on {self.issued_on:%d %b %Y}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    PRESENT_VIRTUALLY = "present_virtual", "Present virtually"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"


PRESENT_STATUSES = (AttendanceStatus.PRESENT, AttendanceStatus.PRESENT_VIRTUALLY)


class Attendance(TenantModel):
    """One seat's line in a meeting's register."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="register")
    membership = models.ForeignKey(
        "members.Membership", on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField(max_length=16, choices=AttendanceStatus.choices)
    apology_reason = models.CharField(max_length=300, blank=True)
    reason_accepted = models.BooleanField(
        null=True, blank=True, help_text="The officer's decision on the reason (empty: undecided)."
    )
    arrived_at = models.TimeField(
        null=True, blank=True, help_text="A late arrival's time (empty: there from the start)."
    )
    left_at = models.TimeField(
        null=True, blank=True, help_text="An early departure's time (empty: stayed to the end)."
    )
    acting_for = models.BooleanField(
        default=False,
        help_text="Recorded by an officer acting for the member, who cannot use the site.",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consequence_applied = models.CharField(
        max_length=8, blank=True, help_text="The ToR attendance consequence applied (retire/flag)."
    )

    class Meta:
        ordering = ["meeting", "membership__person__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"], name="attendance_once_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership.person} — {self.get_status_display()}"

    @property
    def is_present(self) -> bool:
        return self.status in PRESENT_STATUSES

    @property
    def is_unexplained_absence(self) -> bool:
        """Absent, or apologies whose reason the officer did not accept."""
        if self.status == AttendanceStatus.ABSENT:
            return self.reason_accepted is not True
        if self.status == AttendanceStatus.APOLOGIES:
            return self.reason_accepted is False
        return False


class Declaration(TenantModel):
    """A declaration of interest in one agenda item: the declarer does not vote on it."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="declarations")
    membership = models.ForeignKey("members.Membership", on_delete=models.CASCADE, related_name="+")
    interest = models.CharField(max_length=300)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "membership"], name="declaration_once_per_item")
        ]

    def __str__(self) -> str:
        return f"Interest declared in {self.item.title}"


class MotionKind(models.TextChoices):
    ORDINARY = "ordinary", "Ordinary motion"
    NOTICE_TO_ACT = "notice_to_act", "Notice to Act"


class MotionOutcome(models.TextChoices):
    PENDING = "pending", "Not yet decided"
    CARRIED = "carried", "Carried"
    LOST = "lost", "Lost"
    AWAITING_CASTING_VOTE = "awaiting_casting", "Tied: awaiting the chair's casting vote"


class Motion(TenantModel):
    """A motion put to the meeting, its tally and its outcome under the ToR decision rule.

    The scrutiny app serves a Notice to Act from a carried motion of kind notice_to_act.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="motions")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="motions"
    )
    kind = models.CharField(max_length=16, choices=MotionKind.choices, default=MotionKind.ORDINARY)
    text = models.TextField()
    mover = models.ForeignKey("members.Membership", on_delete=models.PROTECT, related_name="+")
    consensus = models.BooleanField(default=False)
    votes_for = models.PositiveSmallIntegerField(default=0)
    votes_against = models.PositiveSmallIntegerField(default=0)
    abstentions = models.PositiveSmallIntegerField(default=0)
    chair_casting_vote_for = models.BooleanField(null=True, blank=True)
    outcome = models.CharField(
        max_length=16, choices=MotionOutcome.choices, default=MotionOutcome.PENDING
    )
    method = models.CharField(max_length=32, blank=True)
    explanation = models.CharField(max_length=300, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return f"Motion: {self.text[:60]}"

    @property
    def carried(self) -> bool:
        return self.outcome == MotionOutcome.CARRIED


class VoteChoice(models.TextChoices):
    FOR = "for", "For"
    AGAINST = "against", "Against"
    ABSTAIN = "abstain", "Abstain"


class Vote(TenantModel):
    """A named vote (when the register records how each member voted)."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="votes")
    membership = models.ForeignKey("members.Membership", on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(max_length=8, choices=VoteChoice.choices)
    acting_for = models.BooleanField(
        default=False,
        help_text="Recorded by an officer acting for the member, who cannot use the site.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["motion", "membership"], name="one_vote_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.get_choice_display()}"


class Audience(models.TextChoices):
    """Who a minute entry, action point or key messages are for. Confidential items are
    always for the panel only."""

    PANEL = "panel", "Panel only"
    PUBLIC = "public", "Public"


class Minutes(TenantModel):
    """One version of a meeting's minutes. Once published, a version never changes: a
    correction is a new version with a note."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes_versions")
    version = models.PositiveSmallIntegerField(default=1)
    correction_note = models.TextField(blank=True)
    approved_at = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_on = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    public_entries = models.JSONField(
        default=list,
        blank=True,
        help_text="Frozen at publication: the non-confidential items with their motions and "
        "action points.",
    )
    public_attendance = models.JSONField(
        default=dict, blank=True, help_text="Frozen at publication: attendance counted."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "-version"]
        verbose_name_plural = "minutes"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="minutes_version_once")
        ]

    def __str__(self) -> str:
        return f"Minutes v{self.version}"

    @property
    def display_entries(self) -> list[dict]:
        """The frozen public text for pages and PDFs, with due dates as dates."""
        entries = []
        for entry in self.public_entries or []:
            actions = []
            for action in entry.get("actions", []):
                due = action.get("due_on")
                with contextlib.suppress(TypeError, ValueError):
                    due = datetime.date.fromisoformat(due) if due else None
                actions.append({**action, "due_on": due})
            entries.append({**entry, "actions": actions})
        return entries

    @property
    def is_published(self) -> bool:
        return self.published_on is not None


class MinuteEntry(TenantModel):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(blank=True)
    audience = models.CharField(max_length=8, choices=Audience.choices, default=Audience.PANEL)

    class Meta:
        ordering = ["minutes", "item__position", "item_id"]
        verbose_name_plural = "minute entries"
        constraints = [
            models.UniqueConstraint(fields=["minutes", "item"], name="minute_entry_once_per_item")
        ]

    def __str__(self) -> str:
        return f"Minute of {self.item.title}"


class ActionPoint(TenantModel):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="actions")
    item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL)
    description = models.CharField(max_length=300)
    owner = models.CharField(max_length=200)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    audience = models.CharField(max_length=8, choices=Audience.choices, default=Audience.PANEL)

    class Meta:
        ordering = ["minutes", "due_on", "id"]

    def __str__(self) -> str:
        return f"Action: {self.description[:60]}"


class KeyMessages(TenantModel):
    """HFH: the key messages of a meeting, signed off by the chair and published. Versioned
    like minutes: a published version never changes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="key_messages")
    version = models.PositiveSmallIntegerField(default=1)
    text = models.TextField()
    correction_note = models.TextField(blank=True)
    signed_off_by = models.ForeignKey(
        "members.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_off_on = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    public_text = models.TextField(blank=True)
    audience = models.CharField(max_length=8, choices=Audience.choices, default=Audience.PUBLIC)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "-version"]
        verbose_name_plural = "key messages"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="key_messages_version_once")
        ]

    def __str__(self) -> str:
        return f"Key messages v{self.version}"


class DisclosureConfirmation(TenantModel):
    """An officer's confirmation that one piece of text that looks like personal data (a
    hit of meetings.personal_data) may be published: who, when and which hit. Recorded
    against one version of the minutes or of the key messages."""

    minutes = models.ForeignKey(
        Minutes, null=True, blank=True, on_delete=models.CASCADE, related_name="confirmations"
    )
    key_messages = models.ForeignKey(
        KeyMessages, null=True, blank=True, on_delete=models.CASCADE, related_name="confirmations"
    )
    location = models.CharField(max_length=60)
    where = models.CharField(max_length=300, help_text="Where the hit was, as the officer saw it.")
    kind = models.CharField(max_length=20)
    text = models.CharField(max_length=300)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField()

    class Meta:
        ordering = ["confirmed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__isnull=False, key_messages__isnull=True)
                | models.Q(minutes__isnull=True, key_messages__isnull=False),
                name="disclosure_confirms_one_document",
            ),
            models.UniqueConstraint(
                fields=["minutes", "location", "kind", "text"],
                condition=models.Q(minutes__isnull=False),
                name="disclosure_once_per_minutes_hit",
            ),
            models.UniqueConstraint(
                fields=["key_messages", "location", "kind", "text"],
                condition=models.Q(key_messages__isnull=False),
                name="disclosure_once_per_key_messages_hit",
            ),
        ]

    def __str__(self) -> str:
        return f"Confirmed for publication: {self.text[:40]}"

    @property
    def key(self) -> str:
        return f"{self.location}|{self.kind}|{self.text}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(TenantModel):
    """A member's secret calendar feed address."""

    person = models.OneToOneField(
        "members.Person", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return "Calendar feed"
