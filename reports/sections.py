"""Section builders for reports. Each takes (panel, terms, start, end, kind) and returns a
reports.selectors.Section; a section with no data says so instead of failing."""

from __future__ import annotations

import base64
import datetime
import logging
import mimetypes

from django.core.files.storage import default_storage

from panels import rules
from panels.models import Organisation, Panel, TermsOfReference
from reports.selectors import Section

logger = logging.getLogger(__name__)
LOGO_MAX_BYTES = 2 * 1024 * 1024


def logo_data_uri(org: Organisation) -> str | None:
    """The organisation's logo as a data: URI; None if absent, too large or unreadable, so a
    missing or broken logo never breaks a report."""
    if not org.logo:
        return None
    try:
        with default_storage.open(org.logo.name, "rb") as handle:
            content = handle.read(LOGO_MAX_BYTES + 1)
    except (OSError, ValueError) as exc:
        logger.warning("Logo of %s unreadable: %s", org.slug, exc)
        return None
    content_type = mimetypes.guess_type(org.logo.name)[0]
    if len(content) > LOGO_MAX_BYTES or content_type not in {
        "image/png",
        "image/jpeg",
        "image/svg+xml",
        "image/gif",
    }:
        return None
    return f"data:{content_type};base64,{base64.b64encode(content).decode('ascii')}"


def terms_section(
    *,
    panel: Panel,
    terms: TermsOfReference | None,
    start: datetime.date,
    end: datetime.date,
    kind: str,
) -> Section:
    """The terms of reference the period was judged by, and whether their review is due."""
    section = Section(key="terms", title="Terms of reference")
    if terms is None:
        section.empty_message = "No terms of reference were in force for this period."
        return section
    section.figures.append(
        ("Version in force", f"v{terms.version} from {terms.effective_from:%-d %B %Y}")
    )
    if terms.review_due_on:
        due = rules.terms_review_due(terms, end)
        section.figures.append(
            (
                "Review",
                f"{'overdue since' if due else 'due'} {terms.review_due_on:%-d %B %Y}",
            )
        )
    size = "–".join(str(n) for n in (terms.min_members, terms.max_members) if n is not None)
    if size:
        section.figures.append(("Membership range", f"{size} members"))
    section.figures.append(("Quorum", rules.quorum_rule_text(terms)))
    required = rules.meetings_required_per_year(terms)
    if required:
        section.figures.append(("Meetings", f"at least {required} a year"))
    for deadline in terms.deadlines.all():
        section.figures.append((deadline.get_kind_display(), rules.deadline_rule_text(deadline)))
    return section
