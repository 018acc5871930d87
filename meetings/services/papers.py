"""Papers: uploading and issuing them to the members."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from meetings.models import (
    AgendaItem,
    Meeting,
    MeetingStatus,
    Paper,
    PaperIssue,
)
from meetings.services._common import MEETING_AUDIT_FIELDS, _lock, _refuse, _refuse_unless_open
from members.selectors import current_memberships
from panels import files
from panels.audit import audit_record, snapshot


@transaction.atomic
def paper_upload(*, item: AgendaItem, title: str, file, by=None) -> Paper:
    """Add a paper to an agenda item: its content must be an allowed kind within the size
    limit (panels.files), stored under a random name."""
    if item.meeting.status == MeetingStatus.CANCELLED:
        _refuse("meeting.cancelled", "The meeting was cancelled: cannot add papers.")
    checked = files.upload_check(upload=file, policy=files.PAPER, field="file", label="Paper")
    paper = Paper(
        organisation_id=item.organisation_id,
        item=item,
        title=title or files.original_name(file, checked),
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    paper.original_name = files.store_upload(paper.file, file, checked)
    paper.save()
    audit_record(
        org=item.meeting.organisation,
        actor=by,
        action="paper.uploaded",
        obj=paper,
        after={"item": item.pk, "file": paper.file.name},
    )
    return paper


@dataclass
class PapersIssued:
    emailed: list
    posted: list
    issued_on: datetime.date


@transaction.atomic
def papers_issue(*, meeting: Meeting, today: datetime.date, by=None) -> PapersIssued:
    """Issue the agenda and papers to every current member by their preferred channel: an
    email with a link, or a letter pack for post (Helena issues by post). The issue date is
    recorded against the ToR's papers deadline. Members already sent papers are skipped.

    The emails leave through the notice ledger: each PaperIssue saved here plans its
    notice in this transaction (notices' post_save receiver), and the dispatcher sends it
    after commit, so a broker or mail outage delays them and loses none."""
    meeting = _lock(meeting)
    _refuse_unless_open(meeting, "issue papers")
    if meeting.date < today or meeting.status == MeetingStatus.HELD:
        _refuse(
            "papers.meeting_past",
            f"The meeting on {meeting.date:%d %B %Y} has passed: papers cannot be issued for it.",
        )
    issued = set(
        PaperIssue.objects.for_org(meeting.organisation_id)
        .filter(meeting=meeting)
        .values_list("person_id", flat=True)
    )
    emailed, posted = [], []
    for seat in current_memberships(panel=meeting.panel, on=meeting.date):
        person = seat.person
        if person.pk in issued:
            continue
        issued.add(person.pk)
        by_email = person.preferred_channel == "email" and bool(person.email)
        PaperIssue.objects.create(
            organisation_id=meeting.organisation_id,
            meeting=meeting,
            person=person,
            channel=PaperIssue.IssueChannel.EMAIL if by_email else PaperIssue.IssueChannel.POST,
            issued_on=today,
            issued_by=by if getattr(by, "is_authenticated", False) else None,
        )
        if by_email:
            emailed.append(person)
        else:
            posted.append(person)
    before = snapshot(meeting, MEETING_AUDIT_FIELDS)
    if meeting.papers_issued_on is None:
        meeting.papers_issued_on = today
        meeting.papers_issued_by = by if getattr(by, "is_authenticated", False) else None
        meeting.save(update_fields=["papers_issued_on", "papers_issued_by"])
    audit_record(
        org=meeting.organisation,
        actor=by,
        action="meeting.papers_issued",
        obj=meeting,
        before=before,
        after={
            **snapshot(meeting, MEETING_AUDIT_FIELDS),
            "emailed": len(emailed),
            "posted": len(posted),
        },
    )
    return PapersIssued(emailed=emailed, posted=posted, issued_on=today)
