"""Before publication: the public version of a draft, the personal-data hits in it and which
of them an officer has confirmed. The officer's preview and the publishing services read the
same check, so what is previewed is what is published."""

from __future__ import annotations

from dataclasses import dataclass, field

from meetings.models import Audience, DisclosureConfirmation, KeyMessages, Minutes
from meetings.personal_data import Hit, lexicon_for, scan_all
from meetings.selectors.minutes import minutes_withheld_reason
from meetings.selectors.minutes_draft import minutes_record, minutes_with_rows, public_version
from panels import rules
from panels.selectors import terms_in_force


@dataclass
class HitState:
    hit: Hit
    confirmation: DisclosureConfirmation | None = None

    @property
    def confirmed(self) -> bool:
        return self.confirmation is not None


@dataclass
class PublicationCheck:
    """A document's public version and the state of every personal-data hit in it."""

    version: dict
    hits: list[HitState] = field(default_factory=list)
    withheld: str = ""
    note: str = ""

    @property
    def unconfirmed(self) -> list[HitState]:
        return [h for h in self.hits if not h.confirmed]

    def find(self, key: str) -> HitState | None:
        return next((h for h in self.hits if h.hit.key == key), None)


def _states(hits, confirmations) -> list[HitState]:
    by_key = {c.key: c for c in confirmations}
    return [HitState(hit=h, confirmation=by_key.get(h.key)) for h in hits]


NOTHING_PUBLIC = {"entries": [], "attendance": {}, "texts": []}


def minutes_publication_check(*, minutes: Minutes) -> PublicationCheck:
    """The public version of a version of the minutes and its personal-data hits. Where the
    ToR in force on the meeting's date says minutes are not public, the public version is
    empty (``withheld`` says why): publishing then issues the version to the panel only."""
    minutes = minutes_with_rows(minutes=minutes)
    meeting = minutes.meeting
    terms = terms_in_force(panel=meeting.panel, on=meeting.date)
    withheld = minutes_withheld_reason(terms)
    if withheld:
        return PublicationCheck(version=NOTHING_PUBLIC, withheld=withheld)
    note = ""
    if terms is not None and rules.minutes_publication(terms).is_public is None:
        answer = rules.minutes_publication(terms)
        note = f"{answer.text} Publishing puts this version on the public page ({answer.source})."
    version = public_version(minutes=minutes, record=minutes_record(meeting=meeting))
    hits = scan_all(version["texts"], lexicon=lexicon_for(minutes.organisation_id))
    confirmations = DisclosureConfirmation.objects.for_org(minutes.organisation_id).filter(
        minutes=minutes
    )
    return PublicationCheck(version=version, hits=_states(hits, confirmations), note=note)


def key_messages_publication_check(*, key_messages: KeyMessages) -> PublicationCheck:
    """The key messages as they would be published (nothing if they are for the panel only)
    and their personal-data hits."""
    public = key_messages.audience == Audience.PUBLIC
    texts = [("key_messages:text", "Key messages", key_messages.text)] if public else []
    hits = scan_all(texts, lexicon=lexicon_for(key_messages.organisation_id))
    confirmations = DisclosureConfirmation.objects.for_org(key_messages.organisation_id).filter(
        key_messages=key_messages
    )
    return PublicationCheck(
        version={"text": key_messages.text if public else ""},
        hits=_states(hits, confirmations),
    )
