"""Planners for scrutiny: the Board's response to a recommendation (due, overdue, and a
breach once the date passes unanswered) and improvement-plan actions (due, overdue).

The dates are the subject's own: ``Recommendation.response_due_on`` (set by an officer; the
ToR says when the Board answers in writing, e.g. THT "in a timely manner") and
``ImprovementAction.due_on``. Without a due date there is nothing to remind of or breach.
"""

from __future__ import annotations

import datetime

from notices.models import NoticeKind
from notices.planners_common import _link, _model, _officers
from notices.planning import (
    BreachFinding,
    PlannedNotice,
    at_hour,
    register,
    register_breaches,
    register_trigger,
)
from panels import rules

# The Board and officers hear that a response is due this many days before its date.
RESPONSE_REMINDER_DAYS = 14
# Officers hear that an action is due this many days before its date.
ACTION_REMINDER_DAYS = 7
# An overdue notice is news for this long after the date; older ones (seen again by the
# daily planner or an edit) write to nobody.
OVERDUE_WINDOW_DAYS = 30
# Where the ToR does not say the Board responds in writing, the rule is the date set.
DUE_DATE_SOURCE = "Board response date set by an officer"

OPEN_ACTION_STATUSES = ("not_started", "in_progress")


def _review_link(review) -> str:
    return _link("scrutiny:review", org_slug=review.organisation.slug, service_review_id=review.pk)


# --- Board responses ------------------------------------------------------------------


def _response(recommendation):
    """The Board's response, or None (a fresh read: the reverse one-to-one is cached)."""
    response_model = _model("scrutiny.BoardResponse")
    return (
        response_model.objects.for_org(recommendation.organisation_id)
        .filter(recommendation_id=recommendation.pk)
        .first()
    )


def _recommendations_daily(org, today: datetime.date):
    """Recommendations with a response date and no response yet, whose notices or breach
    depend on today's date."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Exists, OuterRef, Q

    from notices.models import Breach, BreachRule

    recommendation_model = _model("scrutiny.Recommendation")
    content_type = ContentType.objects.get_for_model(recommendation_model)
    breached = Breach.objects.filter(
        subject_type=content_type, subject_id=OuterRef("pk"), rule=BreachRule.BOARD_RESPONSE
    )
    return (
        recommendation_model.objects.for_org(org)
        .filter(response_due_on__isnull=False, response__isnull=True)
        .exclude(review__stage="withdrawn")
        .filter(
            Q(response_due_on__gte=today - datetime.timedelta(days=OVERDUE_WINDOW_DAYS))
            | ~Exists(breached)
        )
        .select_related("review__panel", "organisation")
    )


@register("scrutiny.recommendation", daily=_recommendations_daily)
def plan_recommendation(recommendation, today: datetime.date) -> list[PlannedNotice]:
    """The Board and officers: a response due in two weeks, and overdue the day after its
    date. Both withdrawn when the response is recorded; moved when the date moves."""
    from notices.selectors import board_and_officer_recipients

    due = recommendation.response_due_on
    review = recommendation.review
    if due is None or review.stage == "withdrawn" or _response(recommendation) is not None:
        return []
    panel = review.panel
    recipients = board_and_officer_recipients(org=recommendation.organisation)
    label = f"{review.title}, recommendation {recommendation.number}"
    common = {
        "deadline_on": due,
        "panel_id": panel.pk,
        "link": _review_link(review),
        "occasion": due.isoformat(),
    }
    planned = []
    if due >= today:
        planned += [
            PlannedNotice(
                kind=NoticeKind.BOARD_RESPONSE_DUE,
                recipient=r,
                due_at=at_hour(due - datetime.timedelta(days=RESPONSE_REMINDER_DAYS)),
                title=f"{panel.name}: Board response due {due:%d %B %Y} ({label})",
                body=(
                    f"The Board's written response to the {panel.name}'s recommendation "
                    f"{recommendation.number} of “{review.title}” is due by {due:%A %d %B %Y}:"
                    f"\n\n{recommendation.text}"
                ),
                **common,
            )
            for r in recipients
        ]
    if due >= today - datetime.timedelta(days=OVERDUE_WINDOW_DAYS):
        overdue_on = due + datetime.timedelta(days=1)
        planned += [
            PlannedNotice(
                kind=NoticeKind.BOARD_RESPONSE_OVERDUE,
                recipient=r,
                due_at=at_hour(overdue_on),
                title=f"{panel.name}: Board response overdue since {due:%d %B %Y} ({label})",
                body=(
                    f"The Board has not yet responded to the {panel.name}'s recommendation "
                    f"{recommendation.number} of “{review.title}”, due by {due:%d %B %Y}. "
                    "This is recorded as a breach on the panel's compliance page."
                ),
                **common,
            )
            for r in recipients
        ]
    return planned


def _recommendation_of(response):
    return response.recommendation


register_trigger("scrutiny.boardresponse", _recommendation_of)


@register_breaches("scrutiny.recommendation")
def recommendation_breaches(recommendation, today: datetime.date) -> list:
    """No Board response by the date set (or one given late): a breach, once. The rule is
    the ToR's where it says the Board responds in writing, else the date the officer set."""
    from panels.selectors import terms_in_force

    due = recommendation.response_due_on
    review = recommendation.review
    if due is None or review.stage == "withdrawn":
        return []
    response = _response(recommendation)
    done_on = response.responded_on if response is not None else None
    on_time = done_on is not None and done_on <= due
    if done_on is None and due >= today:
        return []
    terms = terms_in_force(panel=review.panel, on=due)
    if terms is not None and terms.board_responds_in_writing:
        rule_text = (
            "The Board responds formally in writing to every recommendation; this one was "
            f"due by {due.day} {due:%B %Y}"
        )
        source = rules.source_of(terms, "Accountability")
    else:
        rule_text = f"The Board's response was due by {due.day} {due:%B %Y}, the date set"
        source = DUE_DATE_SOURCE
    return [
        BreachFinding(
            rule="board_response",
            panel_id=review.panel_id,
            due_on=due,
            done_on=done_on,
            rule_text=rule_text,
            source=source,
            subject_label=f"{review.title}: R{recommendation.number}"[:300],
            on_time=on_time,
        )
    ]


# --- Improvement actions ----------------------------------------------------------------


def _actions_daily(org, today: datetime.date):
    action_model = _model("scrutiny.ImprovementAction")
    return (
        action_model.objects.for_org(org)
        .filter(
            status__in=OPEN_ACTION_STATUSES,
            due_on__gte=today - datetime.timedelta(days=OVERDUE_WINDOW_DAYS),
        )
        .select_related("recommendation__review__panel", "organisation")
    )


@register("scrutiny.improvementaction", daily=_actions_daily)
def plan_action(action, today: datetime.date) -> list[PlannedNotice]:
    """Officers: an improvement action due in a week, and overdue the day after its date.
    Withdrawn when the action is done or cancelled; moved when its date moves."""
    due = action.due_on
    if action.status not in OPEN_ACTION_STATUSES:
        return []
    review = action.recommendation.review
    panel = review.panel
    officers = _officers(action.organisation)
    what = action.description.strip().splitlines()[0][:120] if action.description else "Action"
    common = {
        "deadline_on": due,
        "panel_id": panel.pk,
        "link": _review_link(review),
        "occasion": due.isoformat(),
    }
    planned = []
    if due >= today:
        planned += [
            PlannedNotice(
                kind=NoticeKind.ACTION_DUE,
                recipient=r,
                due_at=at_hour(due - datetime.timedelta(days=ACTION_REMINDER_DAYS)),
                title=f"{panel.name}: action due {due:%d %B %Y}: {what}",
                body=(
                    f"The improvement action “{what}” (owner: {action.owner}), from "
                    f"recommendation {action.recommendation.number} of “{review.title}”, is "
                    f"due by {due:%A %d %B %Y}."
                ),
                **common,
            )
            for r in officers
        ]
    if due >= today - datetime.timedelta(days=OVERDUE_WINDOW_DAYS):
        overdue_on = due + datetime.timedelta(days=1)
        planned += [
            PlannedNotice(
                kind=NoticeKind.ACTION_OVERDUE,
                recipient=r,
                due_at=at_hour(overdue_on),
                title=f"{panel.name}: action overdue since {due:%d %B %Y}: {what}",
                body=(
                    f"The improvement action “{what}” (owner: {action.owner}) was due by "
                    f"{due:%d %B %Y} and is still {action.get_status_display().lower()}."
                ),
                **common,
            )
            for r in officers
        ]
    return planned
