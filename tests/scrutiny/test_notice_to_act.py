"""A Stockport Notice to Act from the vote to the Board's answer."""

import datetime

import pytest

from meetings import services as meetings
from meetings.models import MotionKind
from panels.errors import RuleViolation
from panels.models import AuditEntry, Panel
from scrutiny import selectors, services
from scrutiny.models import NoticeStatus, NoticeToAct
from tests.meetings.conftest import (
    make_terms,
    panel_with,  # noqa: F401
    register,
    schedule,
)

DAY = datetime.date(2026, 6, 16)


def _inducted(setup):
    """THT members vote only after induction training (THT 11)."""
    from members.models import TrainingKind, TrainingRecord

    for seat in setup.seats:
        TrainingRecord.objects.create(
            organisation=setup.org,
            person=seat.person,
            kind=TrainingKind.INDUCTION,
            title="Induction",
            completed_on=DAY - datetime.timedelta(days=30),
        )
    return setup


def _notice_motion(setup, meeting, votes_for, votes_against=0):
    motion = meetings.motion_propose(
        meeting=meeting,
        text="That the panel serves a Notice to Act about repairs first-time fixes",
        mover=setup.chair,
        kind=MotionKind.NOTICE_TO_ACT,
    )
    return meetings.motion_decide(motion=motion, votes_for=votes_for, votes_against=votes_against)


def test_stockport_notice_to_act_from_vote_to_answer(panel_with, tenant_a):  # noqa: F811
    setup = panel_with("stockport", chair=1, resident=8)  # 9 members: 5 is a majority of all
    meeting = schedule(setup, DAY)
    register(meeting, setup.seats[:7])
    panel = setup.panel

    # 4 of 9 is a majority of those voting but not of all members: lost, so no notice.
    lost = _notice_motion(setup, meeting, votes_for=4)
    assert not lost.carried
    with pytest.raises(RuleViolation) as exc:
        services.notice_to_act_serve(
            panel=panel, motion=lost, service_failure="Repairs", served_on=DAY, by=None
        )
    assert exc.value.code == "notice_to_act.motion_not_carried"
    assert "ASPIRE Customer Panel terms of reference (v1)" in str(exc.value)

    ordinary = meetings.motion_decide(
        motion=meetings.motion_propose(
            meeting=meeting, text="An ordinary motion", mover=setup.chair
        ),
        votes_for=6,
    )
    with pytest.raises(RuleViolation) as exc:
        services.notice_to_act_serve(
            panel=panel, motion=ordinary, service_failure="Repairs", served_on=DAY, by=None
        )
    assert exc.value.code == "notice_to_act.not_a_notice_motion"

    carried = _notice_motion(setup, meeting, votes_for=5, votes_against=1)
    assert carried.carried
    other_panel = Panel.objects.create(organisation=tenant_a.org, slug="other", name="Other panel")
    make_terms(tenant_a.org, other_panel, "stockport")
    with pytest.raises(RuleViolation) as exc:
        services.notice_to_act_serve(
            panel=other_panel, motion=carried, service_failure="Repairs", served_on=DAY, by=None
        )
    assert exc.value.code == "notice_to_act.other_panel"
    with pytest.raises(RuleViolation) as exc:
        services.notice_to_act_serve(
            panel=panel, motion=carried, service_failure=" ", served_on=DAY, by=None
        )
    assert exc.value.code == "notice_to_act.service_failure_required"
    assert not NoticeToAct.objects.exists()

    notice = services.notice_to_act_serve(
        panel=panel,
        motion=carried,
        service_failure="First-time fixes below target for four quarters.",
        served_on=DAY,
        answer_due_on=DAY + datetime.timedelta(days=28),
        by=setup.officer,
    )
    assert notice.sent_via == "the Customer Focus Committee and the Lead Officer"
    assert notice.status == NoticeStatus.SERVED
    assert list(selectors.motions_awaiting_notice(org=setup.org, panel=panel)) == []
    with pytest.raises(RuleViolation) as exc:
        services.notice_to_act_serve(
            panel=panel, motion=carried, service_failure="Again", served_on=DAY, by=None
        )
    assert exc.value.code == "notice_to_act.already_served"

    with pytest.raises(RuleViolation) as exc:
        services.notice_to_act_answer(
            notice=notice, answer="", answered_on=DAY - datetime.timedelta(days=1), by=None
        )
    assert {r.code for r in exc.value.reasons} == {
        "notice_to_act.answer_date",
        "notice_to_act.answer_required",
    }
    notice = services.notice_to_act_answer(
        notice=notice,
        answer="Independent review of the repairs contract commissioned.",
        answered_on=DAY + datetime.timedelta(days=20),
        by=tenant_a.board,
    )
    assert notice.status == NoticeStatus.ANSWERED
    assert AuditEntry.objects.filter(action__startswith="scrutiny.notice_to_act").count() == 2


def test_a_panel_without_the_power_cannot_serve_one(panel_with):  # noqa: F811
    setup = _inducted(panel_with("tht", chair=1, resident=8))
    meeting = schedule(setup, DAY)
    register(meeting, setup.seats)
    motion = _notice_motion(setup, meeting, votes_for=6)
    with pytest.raises(RuleViolation) as exc:
        services.notice_to_act_serve(
            panel=setup.panel, motion=motion, service_failure="Repairs", served_on=DAY, by=None
        )
    assert "notice_to_act.not_in_terms" in {r.code for r in exc.value.reasons}


def test_notice_pages(panel_with, tenant_a, tenant_b, client_as):  # noqa: F811
    setup = panel_with("stockport", chair=1, resident=8)
    meeting = schedule(setup, DAY)
    register(meeting, setup.seats[:7])
    motion = _notice_motion(setup, meeting, votes_for=6)
    officer = client_as(tenant_a.officer)
    base = f"/{tenant_a.org.slug}/scrutiny/"
    listing = officer.get(f"{base}p/{setup.panel.slug}/notices-to-act/").content.decode()
    assert "serve the notice" in listing
    response = officer.post(
        f"{base}motions/{motion.pk}/notice-to-act/",
        {"service_failure": "Repairs failing", "served_on": "2026-06-17"},
    )
    assert response.status_code == 302
    board = client_as(tenant_a.board)
    response = board.post(
        f"{base}motions/{motion.pk}/notice-to-act/answer/",
        {"answer": "Accepted", "answered_on": "2026-07-01"},
    )
    assert response.status_code == 302
    assert NoticeToAct.objects.get().status == NoticeStatus.ANSWERED
    # Answered: the page shows the answer, not a second form.
    page = board.get(f"{base}motions/{motion.pk}/notice-to-act/answer/").content.decode()
    assert "The Board answered this notice on 01 Jul 2026: Accepted" in page
    assert 'name="answer"' not in page
    stranger = client_as(tenant_b.officer)
    url = f"/{tenant_b.org.slug}/scrutiny/motions/{motion.pk}/notice-to-act/answer/"
    assert stranger.get(url).status_code == 404


def test_the_tab_shows_only_where_the_terms_give_the_power(panel_with, client_as, tenant_a):  # noqa: F811
    setup = panel_with("stockport", chair=1, resident=8)
    officer = client_as(tenant_a.officer)
    base = f"/{tenant_a.org.slug}/scrutiny/p/{setup.panel.slug}/"
    for page in ("", "reviews/", "evidence/", "policies/", "notices-to-act/"):
        assert "Notices to Act</a>" in officer.get(base + page).content.decode(), page
    assert "no power" not in officer.get(base + "notices-to-act/").content.decode()


def test_a_panel_without_the_power_says_so_plainly(panel_with, client_as, tenant_a):  # noqa: F811
    setup = _inducted(panel_with("tht", chair=1, resident=8))
    meeting = schedule(setup, DAY)
    register(meeting, setup.seats)
    motion = _notice_motion(setup, meeting, votes_for=7)
    assert motion.carried  # carried, but the THT terms give no power to serve a notice
    officer = client_as(tenant_a.officer)
    base = f"/{tenant_a.org.slug}/scrutiny/"
    panel_base = f"{base}p/{setup.panel.slug}/"
    for page in ("", "reviews/", "evidence/", "work-plan/", "budget/", "groups/", "policies/"):
        response = officer.get(panel_base + page)
        assert response.status_code == 200, page
        assert "Notices to Act</a>" not in response.content.decode(), page
    listing = officer.get(panel_base + "notices-to-act/")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "terms of reference give it no power to serve a Notice to Act" in page
    assert "serve the notice" not in page and "No Notices to Act served" not in page

    serve = f"{base}motions/{motion.pk}/notice-to-act/"
    response = officer.get(serve)
    assert response.status_code == 200
    page = response.content.decode()
    assert "no power to serve a Notice to Act" in page and "<form" not in page.split("<main")[-1]
    response = officer.post(serve, {"service_failure": "Repairs", "served_on": "2026-06-17"})
    assert response.status_code == 200
    assert "no power to serve a Notice to Act" in response.content.decode()
    assert not NoticeToAct.objects.exists()


def test_notice_to_act_power_reads_the_terms():
    from panels.models import TermsOfReference
    from panels.rules import notice_to_act_power

    assert notice_to_act_power(
        terms=TermsOfReference(all_member_majority_motions=["notice_to_act"])
    )
    assert not notice_to_act_power(terms=TermsOfReference(all_member_majority_motions=[]))
    assert not notice_to_act_power(terms=None)
