"""Shared by every rule: the source a reason cites, and exemptions by seat role."""

from __future__ import annotations

from panels.models import TermsOfReference


def source_of(terms: TermsOfReference, section: str = "") -> str:
    """Where a rule comes from, for messages: "<title> (v2), Membership"."""
    title = terms.title or "Terms of reference"
    where = f"{title} (v{terms.version})"
    return f"{where}, {section}" if section else where


def _is_exempt(terms: TermsOfReference, code: str, seat_role: str | None) -> bool:
    return bool(seat_role) and seat_role in (terms.eligibility_exemptions or {}).get(code, [])
