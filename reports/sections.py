"""Section builders for reports. Each takes (panel, terms, start, end, kind, as_of) and
returns a Section; a section with no data says so instead of failing. ``as_of`` is the
date the report is true on (the period's end, or the day it was generated if sooner):
nothing after it is counted as missed, late or overdue. reports.selectors lists them
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
from scrutiny.charts import SeriesPoint, measure_chart_uri, with_unit
from scrutiny.selectors import reviews_completed_in_year

logger = logging.getLogger(__name__)
LOGO_MAX_BYTES = 2 * 1024 * 1024
# RAG status in words with a symbol, never colour alone.
RAG_TEXT = {"green": "✓ Green", "amber": "! Amber", "red": "✗ Red"}


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
    as_of: datetime.date,
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
        due = rules.terms_review_due(terms, as_of)
        section.figures.append(
            (
                "Review",
                f"{'overdue since' if due else 'due'} {terms.review_due_on:%-d %B %Y}",
            )
        )
    low, high = terms.min_members, terms.max_members
    if low and high:
        section.figures.append(("Membership range", f"{low} to {high} members"))
    elif high:
        section.figures.append(("Membership range", f"at most {high} members"))
    elif low:
        section.figures.append(("Membership range", f"at least {low} members"))
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
    as_of: datetime.date,
) -> Section:
    """Meetings held, quorum, duties on time, cadence and recorded breaches."""
    from reports.compliance import panel_compliance

    section = Section(key="compliance", title="Meetings and compliance with the terms of reference")
    compliance = panel_compliance(panel=panel, start=start, end=end, today=as_of)
    if compliance.cadence:
        cadence = compliance.cadence
        section.figures.append(("Cadence", f"{cadence.symbol} {cadence.label}"))
        section.paragraphs.append(f"Cadence: {cadence.message}")
    if compliance.is_empty:
        section.empty_message = "No meetings were held or due in this period."
        return section
    section.figures += [
        ("Meetings held", str(compliance.held)),
        ("Still to come", str(compliance.planned)),
        ("Quorate / inquorate", f"{compliance.quorate} / {compliance.inquorate}"),
        ("Cancelled", str(compliance.cancelled)),
        ("Deadlines missed or late", str(len(compliance.breaches))),
    ]
    used = compliance.terms_used
    if len(used) > 1:
        section.paragraphs.append(
            "The terms of reference changed during the period: each meeting is judged by the "
            "version in force on its date ("
            + "; ".join(f"v{t.version} from {t.effective_from:%-d %B %Y}" for t in used)
            + ")."
        )
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
            "headers": ["Date", "Status", "Quorum", "Terms", "Deadlines"],
            "rows": [
                [
                    f"{row.meeting.date:%-d %b %Y}",
                    row.meeting.get_status_display(),
                    ("quorate" if row.quorate else "not quorate" if row.quorate is False else "")
                    + (f" ({row.quorum_text})" if row.quorate is not None else row.quorum_text),
                    row.judged_by,
                    "; ".join(f"{d.label}: {d.message}" for d in row.deadlines) or "none",
                ]
                for row in compliance.meetings
            ],
        }
    )
    if compliance.breaches:
        section.tables.append(
            {
                "caption": "Deadlines of the terms of reference missed or met late",
                "headers": ["Due", "Rule", "Subject", "Done"],
                "rows": [
                    [f"{b.due_on:%-d %b %Y}", b.rule, b.subject, b.done_text]
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
    as_of: datetime.date,
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
                .filter(period_start__lte=as_of)
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
        title = f"{measure.code} {measure.name}".strip()
        rows.append(
            [
                title,
                with_unit(measure.target, measure.unit),
                f"{with_unit(latest.value, measure.unit)} ({latest.label})"
                if latest
                else "no result",
                {"rag": latest.rag, "text": RAG_TEXT[latest.rag]} if latest else "no result",
                state.direction or "–",
            ]
        )
        chart = measure_chart_uri(
            points=[SeriesPoint(p.label, float(p.value)) for p in state.points],
            target=float(measure.target),
            unit=measure.unit,
        )
        if chart:
            section.charts.append(
                {
                    "title": title,
                    "subtitle": f"Target {with_unit(measure.target, measure.unit)}"
                    + (
                        f"; latest {with_unit(latest.value, measure.unit)} ({latest.label}), "
                        f"{RAG_TEXT[latest.rag]}"
                        if latest
                        else ""
                    ),
                    "uri": chart,
                    "alt": f"{title}: the last {len(state.points)} results"
                    + (f" ({state.points[0].label} to {state.points[-1].label})" if latest else "")
                    + f" against a target of {with_unit(measure.target, measure.unit)}"
                    + (f"; latest {with_unit(latest.value, measure.unit)}" if latest else ""),
                }
            )
    section.figures += [
        (RAG_TEXT["red"], str(counts["red"])),
        (RAG_TEXT["amber"], str(counts["amber"])),
        (RAG_TEXT["green"], str(counts["green"])),
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
    as_of: datetime.date,
) -> Section:
    """Service reviews open in or completed during the period, with their stage."""
    from scrutiny.models import ServiceReview

    section = Section(key="reviews", title="Scrutiny reviews")
    reviews = list(
        ServiceReview.objects.for_org(panel.organisation)
        .filter(panel=panel, proposed_on__lte=as_of)
        .filter(Q(reported_on__isnull=True) | Q(reported_on__gte=start))
        .exclude(stage="withdrawn")
        .order_by("proposed_on", "id")
    )
    target = terms.scrutiny_reviews_per_year if terms else None
    if target:
        done = reviews_completed_in_year(
            org=panel.organisation, panel=panel, year=end.year, as_of=as_of
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
                    f"{r.reported_on:%-d %b %Y}"
                    if r.reported_on and r.reported_on <= as_of
                    else "–",
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
    as_of: datetime.date,
) -> Section:
    """Recommendations with the Board's responses, overdue ones first; actions due and overdue."""
    from scrutiny.models import ImprovementAction, Recommendation

    section = Section(key="recommendations", title="Recommendations, Board responses and actions")
    org = panel.organisation
    recommendations = list(
        Recommendation.objects.for_org(org)
        .filter(review__panel=panel)
        .filter(
            Q(review__recommendations_on__lte=as_of)
            | Q(review__reported_on__lte=as_of)
            | Q(response_due_on__lte=as_of)
        )
        .select_related("review", "response")
        .order_by("review__proposed_on", "number")
    )
    actions = list(
        ImprovementAction.objects.for_org(org)
        .filter(
            recommendation__review__panel=panel,
            due_on__lte=as_of + datetime.timedelta(days=90),
        )
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
        if response is not None and response.responded_on <= as_of:
            answer = f"{response.get_decision_display()} on {response.responded_on:%-d %b %Y}"
            if rec.response_due_on and response.responded_on > rec.response_due_on:
                answer += " (late)"
        elif rec.response_due_on and rec.response_due_on < as_of:
            answer = f"OVERDUE: was due {rec.response_due_on:%-d %b %Y}"
            overdue += 1
        else:
            answer = f"due {rec.response_due_on:%-d %b %Y}" if rec.response_due_on else "awaited"
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
        done = action.status == "done" and (
            action.completed_on is None or action.completed_on <= as_of
        )
        if done:
            state = f"done {action.completed_on:%-d %b %Y}" if action.completed_on else "done"
        elif action.due_on < as_of:
            state = "OVERDUE"
        else:
            state = f"due {action.due_on:%-d %b %Y}"
        action_rows.append(
            [action.description[:200], action.owner, f"{action.due_on:%-d %b %Y}", state]
        )
    section.tables.append(
        {
            "caption": f"Improvement actions due by {as_of + datetime.timedelta(days=90):%-d %B %Y}"
            " (90 days after the as-of date)",
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
    as_of: datetime.date,
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
            dated__lte=as_of,
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
