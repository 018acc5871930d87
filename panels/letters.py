"""Who a letter is from, as every printed letter shows it: the organisation's name and
postal address, and a named person with a phone number and an email address, so that a
letter asking the reader to get in touch always says how.

The sender is the officer who sent it (their name, phone and email) where there is one,
else the organisation's contact; a missing phone or email falls back to the
organisation's."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LetterSender:
    organisation: str
    address_lines: list[str]
    name: str
    phone: str
    email: str

    @property
    def can_be_contacted(self) -> bool:
        """Both a phone number and an email address: only then may a letter say "please
        let us know"."""
        return bool(self.phone and self.email)


def letter_sender(*, org, officer=None) -> LetterSender:
    officer_name = ""
    if officer is not None and getattr(officer, "is_authenticated", True):
        officer_name = (officer.get_full_name() or "").strip()
    name = officer_name or org.contact_name or f"The engagement team, {org.name}"
    phone = (getattr(officer, "phone", "") or "").strip() or org.contact_phone
    email = (getattr(officer, "email", "") or "").strip() or org.contact_email
    lines = [line.strip() for line in (org.postal_address or "").splitlines() if line.strip()]
    return LetterSender(
        organisation=org.name, address_lines=lines, name=name, phone=phone, email=email
    )
