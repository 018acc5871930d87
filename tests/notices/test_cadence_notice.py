"""The officers' "cadence at risk" notice asks the one judgement of the cadence
(rules.cadence_judgement, as of the day), as the programme, the compliance page and the
Board report do (issue 17 item 2): nothing while on track, "at risk" while still possible,
"cannot be met" once there is not enough time left."""

import datetime

import pytest

from meetings.models import Meeting, MeetingStatus
from notices.models import NoticeKind
from notices.planners import plan_panel

pytestmark = pytest.mark.django_db
D = datetime.date


def _meetings(org, panel, dates, status):
    for day in dates:
        Meeting.objects.create(
            organisation=org,
            panel=panel,
            date=day,
            start_time=datetime.time(10),
            end_time=datetime.time(12),
            status=status,
        )


def _cadence_notices(panel, today):
    return [n for n in plan_panel(panel, today) if n.kind == NoticeKind.CADENCE_AT_RISK]


def test_on_track_at_risk_and_cannot_be_met_as_the_rules_judge(seeded_panel):
    # THT: at least six meetings a year.
    org, panel, _officer = seeded_panel("tht")
    _meetings(org, panel, [D(2026, m, 12) for m in (1, 3, 5)], MeetingStatus.HELD)
    _meetings(org, panel, [D(2026, m, 12) for m in (7, 9)], MeetingStatus.PLANNED)
    # 1 June: three held, two planned, six needed, seven months left: at risk, still possible.
    at_risk = _cadence_notices(panel, D(2026, 6, 1))
    assert at_risk and {n.recipient.email for n in at_risk} >= {"officer@tht.test"}
    assert all(n.body.startswith("At risk (still possible)") for n in at_risk)
    assert all("1 more meeting to plan" in n.body for n in at_risk)
    assert all(n.deadline_on == D(2026, 12, 31) for n in at_risk)
    # A sixth meeting planned: on track, no notice.
    _meetings(org, panel, [D(2026, 11, 10)], MeetingStatus.NOTICE_GIVEN)
    assert _cadence_notices(panel, D(2026, 6, 1)) == []
    # 30 November with only those three held: one month left cannot hold three more.
    Meeting.objects.filter(panel=panel).exclude(status=MeetingStatus.HELD).update(
        status=MeetingStatus.CANCELLED
    )
    late = _cadence_notices(panel, D(2026, 11, 30))
    assert late and all(n.body.startswith("Cannot be met") for n in late)
    assert all("cannot be met" in n.title for n in late)
