"""Section builders for reports. Each takes (panel, terms, start, end, kind) and returns a
Section; a section with no data says so instead of failing. reports.selectors lists them
(SECTION_BUILDERS) and assembles a report's data from them."""

from __future__ import annotations

import base64
import datetime
import logging
import mimetypes
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.db.models import Q

from panels import rules
from panels.models import Organisation, Panel, TermsOfReference
from reports.charts import SeriesPoint, measure_trend_chart

logger = logging.getLogger(__name__)
LOGO_MAX_BYTES = 2 * 1024 * 1024


@dataclass
class Section:
    """A free-form section other apps contribute: a title, lines of text, tables and charts."""

    key: str
    title: str
    empty_message: str = ""
    paragraphs: list[str] = field(default_factory=list)
    tables: list[dict] = field(default_factory=list)  # {"caption", "headers", "rows"}
    charts: list[dict] = field(default_factory=list)  # {"title", "uri", "alt"}
    figures: list[tuple[str, str]] = field(default_factory=list)  # (label, value)

    @property
    def is_empty(self) -> bool:
        return not (self.paragraphs or self.tables or self.charts or self.figures)


def _number(value) -> str:
    """80.00 -> "80", 72.50 -> "72.5"."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


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


def compliance_section(
    *,
    panel: Panel,
    terms: TermsOfReference | None,
    start: datetime.date,
    end: datetime.date,
    kind: str,
) -> Section:
    """Meetings held, quorum, duties on time, cadence and recorded breaches."""
    from django.utils import timezone

    from reports.compliance import panel_compliance

    section = Section(key="compliance", title="Meetings and compliance with the terms of reference")
    compliance = panel_compliance(
        panel=panel, start=start, end=end, today=max(end, timezone.localdate())
    )
    if compliance.is_empty:
        section.empty_message = "No meetings were held or due in this period."
        if compliance.cadence:
            section.paragraphs.append(compliance.cadence.message)
        return section
    section.figures += [
        ("Meetings held", str(compliance.held)),
        ("Quorate / inquorate", f"{compliance.quorate} / {compliance.inquorate}"),
        ("Cancelled", str(compliance.cancelled)),
        ("Breaches recorded", str(len(compliance.breaches))),
    ]
    if compliance.cadence:
        section.paragraphs.append(f"Cadence: {compliance.cadence.message}")
    for tally in compliance.duties:
        section.figures.append(
            (
                f"{tally.label} ({tally.rule_text})",
                f"{tally.on_time} on time, {tally.late} late, {tally.missed} missed",
            )
        )
    section.tables.append(
        {
            "caption": "Meetings",
            "headers": ["Date", "Status", "Quorum", "Deadlines missed or late"],
            "rows": [
                [
                    f"{row.meeting.date:%-d %b %Y}",
                    row.meeting.get_status_display(),
                    ("quorate" if row.quorate else "not quorate" if row.quorate is False else "–")
                    + (f" ({row.quorum_text})" if row.quorum_text else ""),
                    "; ".join(f"{d.label}: {d.message}" for d in row.breaches) or "none",
                ]
                for row in compliance.meetings
            ],
        }
    )
    if compliance.breaches:
        section.tables.append(
            {
                "caption": "Breaches of the terms of reference",
                "headers": ["Due", "Rule", "Subject", "Done"],
                "rows": [
                    [
                        f"{b.due_on:%-d %b %Y}",
                        b.get_rule_display(),
                        b.subject_label,
                        f"{b.done_on:%-d %b %Y}" if b.done_on else "not done",
                    ]
                    for b in compliance.breaches
                ],
            }
        )
    return section


def measures_section(
    *,
    panel: Panel,
    terms: TermsOfReference | None,
    start: datetime.date,
    end: datetime.date,
    kind: str,
) -> Section:
    """Every active measure against target with RAG and trend (results up to the period end)."""
    from django.db.models import Prefetch

    from scrutiny.models import Measure, MeasureResult
    from scrutiny.performance import measure_state

    section = Section(key="measures", title="Performance measures")
    org = panel.organisation
    measures = list(
        Measure.objects.for_org(org)
        .filter(panel=panel, is_active=True)
        .prefetch_related(
            Prefetch(
                "results",
                queryset=MeasureResult.objects.for_org(org)
                .filter(period_start__lte=end)
                .order_by("period_start"),
            )
        )
        .order_by("code", "name")
    )
    if not measures:
        section.empty_message = "The panel monitors no performance measures yet."
        return section
    rows, counts = [], {"red": 0, "amber": 0, "green": 0}
    for measure in measures:
        state = measure_state(
            target=measure.target,
            tolerance=measure.tolerance,
            polarity=measure.polarity,
            period=measure.period,
            results=[(r.period_start, r.value) for r in measure.results.all()],
        )
        latest = state.latest
        if latest:
            counts[latest.rag] = counts.get(latest.rag, 0) + 1
        rows.append(
            [
                f"{measure.code} {measure.name}".strip(),
                f"{_number(measure.target)}{measure.unit}",
                f"{_number(latest.value)}{measure.unit} ({latest.label})"
                if latest
                else "no result",
                {"rag": latest.rag, "text": latest.rag.upper()} if latest else "–",
                state.direction or "–",
            ]
        )
        chart = measure_trend_chart(
            title=f"{measure.code} {measure.name}"[:60],
            points=[SeriesPoint(p.label, float(p.value)) for p in state.points],
            target=float(measure.target),
            unit=measure.unit,
        )
        if chart:
            section.charts.append(
                {
                    "title": measure.name,
                    "uri": chart,
                    "alt": f"{measure.name}: last {len(state.points)} results against a target of "
                    f"{_number(measure.target)}{measure.unit}",
                }
            )
    section.figures += [
        ("Red", str(counts["red"])),
        ("Amber", str(counts["amber"])),
        ("Green", str(counts["green"])),
    ]
    section.tables.append(
        {
            "caption": "Measures against target",
            "headers": ["Measure", "Target", "Latest", "Status", "Trend"],
            "rows": rows,
        }
    )
    return section


def reviews_section(
    *,
    panel: Panel,
    terms: TermsOfReference | None,
    start: datetime.date,
    end: datetime.date,
    kind: str,
) -> Section:
    """Service reviews open in or completed during the period, with their stage."""
    from scrutiny.models import ServiceReview

    section = Section(key="reviews", title="Scrutiny reviews")
    reviews = list(
        ServiceReview.objects.for_org(panel.organisation)
        .filter(panel=panel, proposed_on__lte=end)
        .filter(Q(reported_on__isnull=True) | Q(reported_on__gte=start))
        .exclude(stage="withdrawn")
        .order_by("proposed_on", "id")
    )
    target = terms.scrutiny_reviews_per_year if terms else None
    if target:
        done = (
            ServiceReview.objects.for_org(panel.organisation)
            .filter(panel=panel, reported_on__year=end.year, reported_on__lte=end)
            .count()
        )
        section.figures.append((f"Reviews completed in {end.year}", f"{done} of {target}"))
    if not reviews:
        section.empty_message = "No scrutiny reviews were under way in this period."
        return section
    section.tables.append(
        {
            "caption": "Reviews",
            "headers": ["Review", "Topic from", "Stage", "Proposed", "Reported"],
            "rows": [
                [
                    r.title,
                    r.get_topic_source_display(),
                    r.get_stage_display(),
                    f"{r.proposed_on:%-d %b %Y}",
                    f"{r.reported_on:%-d %b %Y}" if r.reported_on else "–",
                ]
                for r in reviews
            ],
        }
    )
    return section


def recommendations_section(
    *,
    panel: Panel,
    terms: TermsOfReference | None,
    start: datetime.date,
    end: datetime.date,
    kind: str,
) -> Section:
    """Recommendations with the Board's responses, overdue ones first; actions due and overdue."""
    from scrutiny.models import ImprovementAction, Recommendation

    section = Section(key="recommendations", title="Recommendations, Board responses and actions")
    org = panel.organisation
    recommendations = list(
        Recommendation.objects.for_org(org)
        .filter(review__panel=panel)
        .filter(
            Q(review__recommendations_on__lte=end)
            | Q(review__reported_on__lte=end)
            | Q(response_due_on__lte=end)
        )
        .select_related("review", "response")
        .order_by("review__proposed_on", "number")
    )
    actions = list(
        ImprovementAction.objects.for_org(org)
        .filter(recommendation__review__panel=panel, due_on__lte=end + datetime.timedelta(days=90))
        .exclude(status__in=["cancelled"])
        .select_related("recommendation__review")
        .order_by("due_on", "id")
    )
    if not recommendations and not actions:
        section.empty_message = "The panel had no recommendations awaiting or receiving answers."
        return section
    rows, overdue = [], 0
    for rec in recommendations:
        response = getattr(rec, "response", None)
        if response is not None and response.responded_on <= end:
            answer = f"{response.get_decision_display()} on {response.responded_on:%-d %b %Y}"
            if rec.response_due_on and response.responded_on > rec.response_due_on:
                answer += " (late)"
        elif rec.response_due_on and rec.response_due_on < end:
            answer = f"OVERDUE: was due {rec.response_due_on:%-d %b %Y}"
            overdue += 1
        else:
            answer = (
                f"awaited by {rec.response_due_on:%-d %b %Y}" if rec.response_due_on else "awaited"
            )
        rows.append([f"{rec.review.title} #{rec.number}", rec.text[:300], answer])
    section.figures += [
        ("Recommendations", str(len(recommendations))),
        ("Responses overdue", str(overdue)),
    ]
    section.tables.append(
        {
            "caption": "Recommendations and the Board's responses",
            "headers": ["Recommendation", "Text", "Board response"],
            "rows": rows,
        }
    )
    action_rows = []
    for action in actions:
        if action.status == "done":
            state = f"done {action.completed_on:%-d %b %Y}" if action.completed_on else "done"
        elif action.due_on < end:
            state = "OVERDUE"
        else:
            state = action.get_status_display()
        action_rows.append(
            [action.description[:200], action.owner, f"{action.due_on:%-d %b %Y}", state]
        )
    section.tables.append(
        {
            "caption": "Improvement actions due (to 90 days after the period)",
            "headers": ["Action", "Owner", "Due", "Status"],
            "rows": action_rows,
            "empty": "No actions due.",
        }
    )
    return section


def complaints_section(
    *,
    panel: Panel,
    terms: TermsOfReference | None,
    start: datetime.date,
    end: datetime.date,
    kind: str,
) -> Section:
    """Complaints learning and Ombudsman findings received in the period (not confidential)."""
    from scrutiny.models import EvidenceItem

    section = Section(key="complaints", title="Complaints and learning")
    items = list(
        EvidenceItem.objects.for_org(panel.organisation)
        .filter(
            panel=panel,
            kind__in=["complaints", "ombudsman"],
            dated__gte=start,
            dated__lte=end,
            is_confidential=False,
        )
        .order_by("dated", "id")
    )
    if not items:
        section.empty_message = "No complaints summaries or Ombudsman findings were received."
        return section
    for item in items:
        section.paragraphs.append(f"{item.dated:%-d %b %Y} — {item.title}: {item.summary}".strip())
    return section
