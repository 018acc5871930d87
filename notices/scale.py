"""Landlord-sized data (notices layer): the ledger and the breaches of the history.

Every issue of papers was a notice to its member, sent (by email, or by post for those who
chose post); every upcoming meeting has its members' reminders pending in the ledger for
the dispatcher; sent notices to people who sign in are also in their inbox. Breaches are
what ``notices.services.breaches_sync`` records: found by the same detectors over each
held meeting and each recommendation on the base date, then bulk inserted.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType

from meetings.models import Meeting, MeetingStatus, PaperIssue
from members.models import Channel, Membership, Person
from notices.models import Breach, Notice, NoticeChannel, NoticeKind, NoticeStatus, Notification
from notices.planners import APOLOGIES_REMINDER_DAYS
from notices.planning import at_hour
from notices.services import BREACH_DETECTORS
from panels.models import Organisation
from panels.scale import ScalePlan, bulk
from scrutiny.models import Recommendation

# Sent notices from this many days before the base date also appear in the inbox.
INBOX_DAYS = 120


def seed_org(plan: ScalePlan, org: Organisation, org_index: int) -> None:
    people = {p.pk: p for p in Person.objects.for_org(org)}
    meeting_type = ContentType.objects.get_for_model(Meeting)
    issue_type = ContentType.objects.get_for_model(PaperIssue)
    notices = []
    issues = PaperIssue.objects.for_org(org).select_related("meeting__panel")
    for issue in issues:
        person, meeting = people[issue.person_id], issue.meeting
        at = at_hour(issue.issued_on)
        when = f"{meeting.date:%A %d %B %Y}"
        notices.append(
            _notice(
                org,
                person,
                kind=NoticeKind.PAPERS_ISSUED,
                subject_type=issue_type,
                subject_id=issue.pk,
                panel_id=meeting.panel_id,
                at=at,
                deadline_on=meeting.date,
                title=f"Papers for {meeting.display_title}, {when}",
                body=f"The agenda and papers for the {meeting.panel.name} meeting on {when} are "
                "ready. Please read them before the meeting.",
                occasion=meeting.date.isoformat(),
                sent=issue.issued_on < plan.base_date,
            )
        )
    upcoming = (
        Meeting.objects.for_org(org)
        .filter(
            date__gte=plan.base_date, status__in=[MeetingStatus.PLANNED, MeetingStatus.NOTICE_GIVEN]
        )
        .select_related("panel")
    )
    seats = list(Membership.objects.for_org(org).filter(ended_on__isnull=True))
    for meeting in upcoming:
        when = f"{meeting.date:%A %d %B %Y}"
        send_on = meeting.date - datetime.timedelta(days=APOLOGIES_REMINDER_DAYS)
        for seat in seats:
            if seat.panel_id != meeting.panel_id:
                continue
            notices.append(
                _notice(
                    org,
                    people[seat.person_id],
                    kind=NoticeKind.APOLOGIES_REMINDER,
                    subject_type=meeting_type,
                    subject_id=meeting.pk,
                    panel_id=meeting.panel_id,
                    at=at_hour(send_on),
                    deadline_on=meeting.date,
                    title=f"Reminder: {meeting.display_title}, {when}",
                    body=f"The {meeting.panel.name} meets on {when}. If you cannot come, please "
                    "send your apologies with a reason, so your absence is recorded as explained.",
                    occasion=meeting.date.isoformat(),
                    sent=False,
                )
            )
    notices = bulk(Notice, notices)
    inbox_from = plan.base_date - datetime.timedelta(days=INBOX_DAYS)
    bulk(
        Notification,
        [
            Notification(
                organisation=org,
                user_id=n.recipient_user_id,
                notice=n,
                title=n.title,
                body=n.body,
                link=n.link,
            )
            for n in notices
            if n.status == NoticeStatus.SENT and n.recipient_user_id and n.deadline_on >= inbox_from
        ],
    )
    _breaches(plan, org)


def _notice(org, person: Person, *, kind, subject_type, subject_id, at, sent, occasion, **rest):
    by_post = person.preferred_channel == Channel.POST
    return Notice(
        organisation=org,
        kind=kind,
        subject_type=subject_type,
        subject_id=subject_id,
        dedupe_key=f"{kind}|{subject_type.app_label}.{subject_type.model}:{subject_id}|"
        f"p{person.pk}|{occasion}"[:200],
        recipient_user_id=person.user_id,
        recipient_person=person,
        recipient_name=person.full_name,
        recipient_email="" if by_post else person.email,
        recipient_address=person.address if by_post else "",
        channel=NoticeChannel.POST if by_post else NoticeChannel.EMAIL,
        status=NoticeStatus.SENT if sent else NoticeStatus.PENDING,
        due_at=at,
        next_attempt_at=at,
        sent_at=at if sent else None,
        attempts=1 if sent else 0,
        **rest,
    )


def _breaches(plan: ScalePlan, org: Organisation) -> None:
    """Run the breach detectors as of the base date over every held meeting and every
    recommendation with a response date, and record what they find once each."""
    subjects = [
        *Meeting.objects.for_org(org)
        .filter(status=MeetingStatus.HELD)
        .select_related("panel", "organisation"),
        *Recommendation.objects.for_org(org)
        .filter(response_due_on__isnull=False)
        .select_related("review__panel"),
    ]
    rows = []
    for subject in subjects:
        content_type = ContentType.objects.get_for_model(subject)
        detect = BREACH_DETECTORS[subject._meta.label_lower]
        for finding in detect(subject, plan.base_date):
            if finding.on_time:
                continue
            rows.append(
                Breach(
                    organisation=org,
                    panel_id=finding.panel_id,
                    rule=finding.rule,
                    subject_type=content_type,
                    subject_id=subject.pk,
                    subject_label=finding.subject_label[:300],
                    due_on=finding.due_on,
                    done_on=finding.done_on,
                    rule_text=finding.rule_text[:300],
                    source=finding.source[:300],
                )
            )
    bulk(Breach, rows)
