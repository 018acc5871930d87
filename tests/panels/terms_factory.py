"""In-memory terms of reference for rule tests: the five seeded versions (from
panels.seed_terms.TERMS, i.e. the documents) or a blank version with chosen rules.
No database: the rules are pure functions."""

import datetime

from panels.models import DeadlineRule, TermsOfReference
from panels.seed_terms import TERMS

ORG_PANELS = dict(TERMS.keys())


def seeded(org_slug: str) -> TermsOfReference:
    """Version 1 of the organisation's main panel ToR, exactly as seeded."""
    spec = TERMS[(org_slug, ORG_PANELS[org_slug])]
    terms = TermsOfReference(
        version=1,
        title=spec["title"],
        effective_from=spec.get("effective_from", datetime.date(2025, 1, 1)),
        approved_on=spec.get("approved_on"),
        review_due_on=spec.get("review_due_on"),
        **spec["values"],
    )
    return terms


def seeded_deadlines(org_slug: str) -> list[DeadlineRule]:
    spec = TERMS[(org_slug, ORG_PANELS[org_slug])]
    return [
        DeadlineRule(kind=kind, amount=amount, unit=unit, direction=direction, channel=channel)
        for kind, amount, unit, direction, channel in spec["deadlines"]
    ]


def blank(**values) -> TermsOfReference:
    """A version stating only the given rules."""
    values.setdefault("version", 1)
    values.setdefault("effective_from", datetime.date(2025, 1, 1))
    return TermsOfReference(**values)


def rule(kind, amount, unit, direction, channel="") -> DeadlineRule:
    return DeadlineRule(kind=kind, amount=amount, unit=unit, direction=direction, channel=channel)
