"""Looking for personal data in text about to be published (minutes, key messages).

Nothing here removes or rewrites anything: automatic redaction would promise more than a
pattern can keep. Each hit is shown to the officer, who removes it from the text or
confirms that it may be published; publication is refused while any hit is unconfirmed
(``meetings.services.minutes``).

What is looked for:

* the names of anyone the organisation holds (its people: members, applicants, anyone with
  a record; and its users: officers, board members), in full or by surname, and any
  "Mr/Mrs/Ms/Miss/Mx/Dr Surname";
* postcodes; house-number-and-street addresses ("12 Acacia Avenue") and flat numbers;
* phone numbers; email addresses;
* dates of birth ("born 3 May 1961", "DOB 03/05/1961");
* tenancy references: the household references the organisation holds, and anything
  written as a tenancy, rent or account reference or number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from members.models import Person
from panels.models import OrganisationRole


class Kind:
    NAME = "name"
    POSTCODE = "postcode"
    ADDRESS = "address"
    PHONE = "phone"
    EMAIL = "email"
    DATE_OF_BIRTH = "date_of_birth"
    TENANCY_REFERENCE = "tenancy_reference"


KIND_LABELS = {
    Kind.NAME: "a person's name",
    Kind.POSTCODE: "a postcode",
    Kind.ADDRESS: "a house number and street",
    Kind.PHONE: "a phone number",
    Kind.EMAIL: "an email address",
    Kind.DATE_OF_BIRTH: "a date of birth",
    Kind.TENANCY_REFERENCE: "a tenancy reference",
}

STREET_WORDS = (
    "Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Court|Ct|Crescent|Cres|Place|Pl|"
    "Grove|Gardens|Gdns|Terrace|Walk|Square|Sq|Hill|Park|Row|Mews|View|Rise|Green|Parade|Vale|"
    "Croft|Fold|Brow|Meadow|Meadows|Wharf|Gate|End|Bank|Yard|Boulevard|Chase"
)
MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
PATTERNS = [
    (Kind.NAME, re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z][A-Za-z'\-]+")),
    (
        Kind.POSTCODE,
        re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE),
    ),
    (
        Kind.ADDRESS,
        re.compile(
            rf"\b\d{{1,4}}[A-Za-z]?,?\s+(?:[A-Z][A-Za-z'\-]+\s+){{1,3}}(?:{STREET_WORDS})\b"
        ),
    ),
    (Kind.ADDRESS, re.compile(r"\b(?:flat|apartment|apt)\.?\s+\d+[A-Za-z]?\b", re.IGNORECASE)),
    (Kind.PHONE, re.compile(r"(?<!\d)(?:\+44\s?\(?0?\)?\s?|0)\d(?:[\s-]?\d){8,9}(?!\d)")),
    (Kind.EMAIL, re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    (
        Kind.DATE_OF_BIRTH,
        re.compile(
            r"\b(?:born(?:\s+on)?|d\.?o\.?b\.?|date\s+of\s+birth)\s*[:\-]?\s*(?:is\s+|was\s+)?"
            rf"(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-]\d{{2,4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})"
            r"\s+\d{4}|(?:in\s+)?\d{4})",
            re.IGNORECASE,
        ),
    ),
    (
        Kind.TENANCY_REFERENCE,
        re.compile(
            r"\b(?:tenancy|tenant|rent|account|household|property)\s+"
            r"(?:ref(?:erence)?|no|number)\.?\s*[:#]?\s*[A-Z0-9][A-Z0-9/\-]{3,}",
            re.IGNORECASE,
        ),
    ),
]


@dataclass(frozen=True)
class Hit:
    """One piece of text that looks like personal data, where it is and what it looks like."""

    location: str
    where: str
    kind: str
    text: str

    @property
    def key(self) -> str:
        """What a confirmation is recorded against: the same text of the same kind in the
        same place. Changing the text elsewhere keeps the confirmation; changing the hit
        itself needs a new one."""
        return f"{self.location}|{self.kind}|{self.text}"

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class Lexicon:
    """What the organisation holds that must not slip into public text unconfirmed."""

    names: re.Pattern | None
    references: re.Pattern | None


def _alternation(words) -> re.Pattern | None:
    words = sorted({w for w in words if w}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w])")


def lexicon_for(org) -> Lexicon:
    """The names and references the organisation holds, in two queries."""
    names = []
    references = []
    for first, last, reference in Person.objects.for_org(org).values_list(
        "first_name", "last_name", "household_reference"
    ):
        first, last = first.strip(), last.strip()
        if first and last:
            names.append(f"{first} {last}")
        if len(last) > 2:
            names.append(last)
        if len(reference.strip()) >= 4:
            references.append(reference.strip())
    for first, last in OrganisationRole.objects.filter(organisation=org).values_list(
        "user__first_name", "user__last_name"
    ):
        first, last = (first or "").strip(), (last or "").strip()
        if first and last:
            names.append(f"{first} {last}")
        if len(last) > 2:
            names.append(last)
    return Lexicon(names=_alternation(names), references=_alternation(references))


def _spans(text: str, lexicon: Lexicon):
    if lexicon.names is not None:
        for match in lexicon.names.finditer(text):
            yield Kind.NAME, match
    if lexicon.references is not None:
        for match in lexicon.references.finditer(text):
            yield Kind.TENANCY_REFERENCE, match
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            yield kind, match


def scan(*, location: str, where: str, text: str, lexicon: Lexicon) -> list[Hit]:
    """Every hit in one text, in reading order; a hit inside a longer hit of the same kind
    (a surname inside "Mr Smith") is not listed twice."""
    found = sorted(
        (
            (m.start(), -(m.end() - m.start()), kind, m.group(0).strip())
            for kind, m in _spans(text, lexicon)
        ),
    )
    hits: list[Hit] = []
    covered: dict[str, list[tuple[int, int]]] = {}
    seen = set()
    for start, negative_length, kind, matched in found:
        end = start - negative_length
        spans = covered.setdefault(kind, [])
        if any(s <= start and end <= e for s, e in spans):
            continue
        spans.append((start, end))
        hit = Hit(location=location, where=where, kind=kind, text=matched)
        if hit.key not in seen:
            seen.add(hit.key)
            hits.append(hit)
    return hits


def scan_all(texts, *, lexicon: Lexicon) -> list[Hit]:
    """Hits in every (location, where, text) to be published."""
    hits = []
    for location, where, text in texts:
        if text:
            hits.extend(scan(location=location, where=where, text=text, lexicon=lexicon))
    return hits
