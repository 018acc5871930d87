"""Before publication: the public version of a draft, the personal-data hits in it and which
of them an officer has confirmed. The officer's preview and the publishing services read the
same check, so what is previewed is what is published."""

from __future__ import annotations

from dataclasses import dataclass, field

from meetings.models import Audience, DisclosureConfirmation, KeyMessages, Minutes
from meetings.personal_data import Hit, lexicon_for, scan_all
from meetings.selectors.minutes_draft import minutes_record, minutes_with_rows, public_version


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

    @property
    def unconfirmed(self) -> list[HitState]:
        return [h for h in self.hits if not h.confirmed]

    def find(self, key: str) -> HitState | None:
        return next((h for h in self.hits if h.hit.key == key), None)


def _states(hits, confirmations) -> list[HitState]:
    by_key = {c.key: c for c in confirmations}
    return [HitState(hit=h, confirmation=by_key.get(h.key)) for h in hits]


def minutes_publication_check(*, minutes: Minutes) -> PublicationCheck:
    """The public version of a version of the minutes and its personal-data hits."""
    minutes = minutes_with_rows(minutes=minutes)
    version = public_version(minutes=minutes, record=minutes_record(meeting=minutes.meeting))
    hits = scan_all(version["texts"], lexicon=lexicon_for(minutes.organisation_id))
    confirmations = DisclosureConfirmation.objects.for_org(minutes.organisation_id).filter(
        minutes=minutes
    )
    return PublicationCheck(version=version, hits=_states(hits, confirmations))


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
