"""Papers: what issuing them would do (who gets them, by which channel, why) and whether
the agenda has anything to send."""

from __future__ import annotations

from dataclasses import dataclass

from meetings.models import AgendaItem, Meeting, Paper, PaperIssue
from members.selectors import current_memberships
from panels import rules
from panels.selectors import terms_in_force

CHANNEL_OF_RULE = {
    "post": PaperIssue.IssueChannel.POST,
    "electronic": PaperIssue.IssueChannel.EMAIL,
}


@dataclass(frozen=True)
class PaperRecipient:
    person: object
    channel: str  # PaperIssue.IssueChannel
    why: str

    @property
    def channel_label(self) -> str:
        return PaperIssue.IssueChannel(self.channel).label


@dataclass(frozen=True)
class PapersPlan:
    meeting: Meeting
    items: list  # agenda items in order
    papers: int  # how many papers the agenda has
    without_paper: list  # titles of items with no paper
    tor_channel: str  # "post", "electronic" or "" (not stated: each member's preference)
    tor_text: str
    recipients: list[PaperRecipient]

    @property
    def nothing_to_send(self) -> str:
        """Why issuing would send members nothing, or ""."""
        if not self.items:
            return "The agenda is empty: members would be sent nothing."
        if not self.papers:
            return (
                f"No item of the agenda has a paper ({len(self.items)} item"
                f"{'s' if len(self.items) != 1 else ''}): members would get the agenda only."
            )
        return ""

    @property
    def by_post(self) -> list[PaperRecipient]:
        return [r for r in self.recipients if r.channel == PaperIssue.IssueChannel.POST]

    @property
    def by_email(self) -> list[PaperRecipient]:
        return [r for r in self.recipients if r.channel == PaperIssue.IssueChannel.EMAIL]


def paper_channel_for(person, tor_channel: str) -> PaperRecipient:
    """The channel one member gets papers by: the ToR's where it names one (Helena: "by
    post"), else the member's preference; email without an address on file goes by post."""
    if tor_channel:
        channel, why = CHANNEL_OF_RULE[tor_channel], "The terms of reference say so."
    else:
        channel = (
            PaperIssue.IssueChannel.POST
            if person.preferred_channel == "post"
            else PaperIssue.IssueChannel.EMAIL
        )
        why = "The member's preference."
    if channel == PaperIssue.IssueChannel.EMAIL and not person.email:
        channel, why = PaperIssue.IssueChannel.POST, "No email address on file: by post."
    return PaperRecipient(person=person, channel=channel, why=why)


def papers_plan(*, meeting: Meeting) -> PapersPlan:
    """What "Issue papers" would do now, for the officer to see before issuing."""
    terms = terms_in_force(panel=meeting.panel, on=meeting.date)
    tor_channel = rules.papers_channel(terms.deadlines.all()) if terms is not None else ""
    if tor_channel:
        how = "by post" if tor_channel == "post" else "electronically"
        tor_text = (
            f"The terms of reference send papers {how}: every member gets them that way "
            f"({rules.source_of(terms, 'Meetings')})."
        )
    else:
        tor_text = "The terms of reference name no channel: each member's preference decides."
    items = list(
        AgendaItem.objects.for_org(meeting.organisation_id)
        .filter(meeting=meeting)
        .order_by("position", "id")
    )
    with_paper = set(
        Paper.objects.for_org(meeting.organisation_id)
        .filter(item__meeting=meeting)
        .values_list("item_id", flat=True)
    )
    papers = Paper.objects.for_org(meeting.organisation_id).filter(item__meeting=meeting).count()
    seen, recipients = set(), []
    for seat in current_memberships(panel=meeting.panel, on=meeting.date):
        if seat.person_id in seen:
            continue
        seen.add(seat.person_id)
        recipients.append(paper_channel_for(seat.person, tor_channel))
    return PapersPlan(
        meeting=meeting,
        items=items,
        papers=papers,
        without_paper=[i.title for i in items if i.pk not in with_paper],
        tor_channel=tor_channel,
        tor_text=tor_text,
        recipients=recipients,
    )
