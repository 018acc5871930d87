"""The rows of each CSV export: (headers, rows) per panel, one or two queries each. Cells are
made safe for spreadsheets where they are written (panels.spreadsheet.csv_response)."""

from meetings.models import Attendance
from panels import permissions
from panels.models import Panel
from scrutiny.models import ImprovementAction, MeasureResult, Recommendation


def attendance_rows(*, panel: Panel, viewer):
    """Register lines the viewer may see (permission matrix): officers every line, a Board
    member only their own; an apology reason only where the matrix allows it."""
    rows = permissions.rows(
        Attendance.objects.for_org(panel.organisation_id)
        .filter(meeting__panel=panel)
        .select_related("meeting", "membership__person")
        .order_by("meeting__date", "membership__person__last_name"),
        viewer,
        "attendance",
        "view",
    )
    return (
        ["meeting_date", "member", "role", "status", "apology_reason", "reason_accepted"],
        [
            [
                a.meeting.date.isoformat(),
                a.membership.person.full_name,
                a.membership.get_role_display(),
                a.get_status_display(),
                a.apology_reason if permissions.may(viewer, "apology_reason", "view", a) else "",
                "" if a.reason_accepted is None else ("yes" if a.reason_accepted else "no"),
            ]
            for a in rows
        ],
    )


def measure_rows(*, panel: Panel, viewer=None):
    rows = (
        MeasureResult.objects.for_org(panel.organisation_id)
        .filter(measure__panel=panel)
        .select_related("measure")
        .order_by("measure__code", "measure__name", "period_start")
    )
    return (
        ["code", "measure", "period_start", "value", "unit", "target", "tolerance", "polarity"],
        [
            [
                r.measure.code,
                r.measure.name,
                r.period_start.isoformat(),
                str(r.value),
                r.measure.unit,
                str(r.measure.target),
                str(r.measure.tolerance),
                r.measure.polarity,
            ]
            for r in rows
        ],
    )


def recommendation_rows(*, panel: Panel, viewer=None):
    rows = (
        Recommendation.objects.for_org(panel.organisation_id)
        .filter(review__panel=panel)
        .select_related("review", "response")
        .order_by("review__proposed_on", "number")
    )
    out = []
    for rec in rows:
        response = getattr(rec, "response", None)
        out.append(
            [
                (rec.review.title),
                rec.number,
                (rec.text),
                rec.response_due_on.isoformat() if rec.response_due_on else "",
                response.get_decision_display() if response else "",
                response.responded_on.isoformat() if response else "",
                (response.reasons) if response else "",
            ]
        )
    return (
        [
            "review",
            "number",
            "recommendation",
            "response_due_on",
            "decision",
            "responded_on",
            "reasons",
        ],
        out,
    )


def action_rows(*, panel: Panel, viewer=None):
    rows = (
        ImprovementAction.objects.for_org(panel.organisation_id)
        .filter(recommendation__review__panel=panel)
        .select_related("recommendation__review")
        .order_by("due_on", "id")
    )
    return (
        ["review", "recommendation", "action", "owner", "due_on", "status", "completed_on"],
        [
            [
                a.recommendation.review.title,
                a.recommendation.number,
                a.description,
                a.owner,
                a.due_on.isoformat(),
                a.get_status_display(),
                a.completed_on.isoformat() if a.completed_on else "",
            ]
            for a in rows
        ],
    )


EXPORTS = {
    "attendance": attendance_rows,
    "measures": measure_rows,
    "recommendations": recommendation_rows,
    "actions": action_rows,
}
