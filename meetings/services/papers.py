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
from meetings.selectors.papers import papers_plan
from meetings.services._common import MEETING_AUDIT_FIELDS, _lock, _refuse, _refuse_unless_open
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
def papers_issue(
    *, meeting: Meeting, today: datetime.date, by=None, confirm_no_papers: bool = False
) -> PapersIssued:
    """Issue the agenda and papers to every current member: by the channel the ToR names
    (Helena: by post), else by each member's preference (an email with a link, or a pack
    by post). The issue date is recorded against the ToR's papers deadline. Members already
    sent papers are skipped. An empty agenda, or one without a single paper, is issued only
    when the officer confirms it (``confirm_no_papers``): otherwise refused on that field.

    Everything leaves through the notice ledger: each PaperIssue saved here plans its
    notice in this transaction (notices' post_save receiver): an email with the link, or a
    letter (dated covering letter, then the pack) in the officers' print queue. The
    dispatcher sends after commit, so a broker or mail outage delays them and loses none."""
    meeting = _lock(meeting)
    _refuse_unless_open(meeting, "issue papers")
    if meeting.date < today or meeting.status == MeetingStatus.HELD:
        _refuse(
            "papers.meeting_past",
            f"The meeting on {meeting.date:%d %B %Y} has passed: papers cannot be issued for it.",
        )
    plan = papers_plan(meeting=meeting)
    if plan.nothing_to_send and not confirm_no_papers:
        _refuse(
            "papers.nothing_to_send",
            f"{plan.nothing_to_send} Tick to confirm you mean to issue it as it is, or add "
            "the papers first.",
            field="confirm_no_papers",
        )
    issued = set(
        PaperIssue.objects.for_org(meeting.organisation_id)
        .filter(meeting=meeting)
        .values_list("person_id", flat=True)
    )
    emailed, posted = [], []
    for recipient in plan.recipients:
        person = recipient.person
        if person.pk in issued:
            continue
        issued.add(person.pk)
        by_email = recipient.channel == PaperIssue.IssueChannel.EMAIL
        PaperIssue.objects.create(
            organisation_id=meeting.organisation_id,
            meeting=meeting,
            person=person,
            channel=recipient.channel,
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
            "channel_rule": plan.tor_channel or "not stated",
        },
        reason=plan.nothing_to_send if confirm_no_papers else "",
    )
    return PapersIssued(emailed=emailed, posted=posted, issued_on=today)
