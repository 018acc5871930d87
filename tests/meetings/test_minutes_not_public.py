"""minutes_public obeyed (issue 15 item 2, last part): where the terms of reference say
minutes are not public (THT, section 13: information is confidential unless there is a
clear reason to share it), the public sees the fact of the meeting and its key messages,
never the minutes: not on the public page, not as a PDF, not through the API outside the
panel."""

import datetime

import pytest
from django.urls import reverse

from meetings import services
from meetings.models import Minutes
from panels import rules
from panels.models import MinutesPublication
from tests.meetings.conftest import register, schedule

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 6, 16)
MINUTE = "Mr Smith at 12 Acacia Avenue raised THT-MINUTE-TEXT."
KEY = "The panel wants clearer repair appointment times."


@pytest.fixture
def tht(panel_with):
    setup = panel_with("tht", chair=1, resident=5)
    # THT 13: "All information received will be treated as confidential unless there is a
    # clear reason to share it more widely": the seeded ToR says minutes are not public.
    assert setup.terms.minutes_public == MinutesPublication.NOT_PUBLIC
    assert rules.minutes_publication(setup.terms).is_public is False
    meeting = schedule(setup, DAY, today=datetime.date(2026, 5, 1))
    item = services.agenda_item_add(meeting=meeting, title="Repairs", today=DAY)
    register(meeting, setup.seats)
    setup.meeting = services.meeting_mark_held(meeting=meeting, today=DAY)
    setup.minutes = services.minutes_start(meeting=setup.meeting)
    services.minute_entry_write(entry=setup.minutes.entries.get(item=item), text=MINUTE)
    key = services.key_messages_write(meeting=setup.meeting, text=KEY)
    services.key_messages_sign_off(key_messages=key, chair=setup.chair, today=DAY)
    return setup


def _urls(setup):
    org = setup.org.slug
    return {
        "page": reverse(
            "meetings:panel_minutes", kwargs={"org_slug": org, "panel_slug": setup.panel.slug}
        ),
        "pdf": reverse(
            "meetings:minutes_pdf", kwargs={"org_slug": org, "meeting_id": setup.meeting.pk}
        ),
        "api": reverse("api:minutes-list", kwargs={"org_slug": org}),
        "preview": reverse(
            "meetings:minutes_preview", kwargs={"org_slug": org, "meeting_id": setup.meeting.pk}
        ),
    }


def test_tht_minutes_are_issued_to_the_panel_but_never_public(tht, client, client_as, tenant_a):
    # No personal-data check is asked for: nothing of these minutes becomes public.
    issued = services.minutes_publish(minutes=tht.minutes, today=DAY)
    assert issued.public_entries == [] and issued.public_attendance == {}
    tht.meeting.refresh_from_db()
    assert tht.meeting.minutes_published_on == DAY  # the ToR's deadline is still judged
    services.key_messages_publish(key_messages=tht.meeting.key_messages.get(), today=DAY)
    urls = _urls(tht)
    page = client.get(urls["page"]).content.decode()
    assert f"Meeting of {DAY:%-d %B %Y}" in page and KEY in page
    assert "The minutes of this meeting are not published" in page
    assert "THT-MINUTE-TEXT" not in page and "Acacia" not in page and "Present:" not in page
    assert client.get(urls["pdf"]).status_code == 404
    board = client_as(tenant_a.board).get(urls["api"]).json()
    rows = board["results"] if isinstance(board, dict) else board
    assert all(row["meeting"] != tht.meeting.pk for row in rows)
    officer = client_as(tenant_a.officer).get(urls["api"]).json()
    rows = officer["results"] if isinstance(officer, dict) else officer
    assert "THT-MINUTE-TEXT" in str(rows)  # the panel's officers still have them


def test_tht_preview_says_not_public_and_issues(tht, client_as):
    officer = client_as(tht.officer)
    urls = _urls(tht)
    page = officer.get(urls["preview"]).content.decode()
    assert "These minutes are not public" in page and "Personal data check" not in page
    assert "THT-MINUTE-TEXT" not in page  # the preview shows what the public will see
    response = officer.post(urls["preview"], {"action": "publish"})
    assert response.status_code == 302
    assert Minutes.objects.get(pk=tht.minutes.pk).published_on is not None


def test_where_minutes_are_public_they_are_shown(panel_with, client):
    setup = panel_with("ivh", chair=1, resident=4)
    assert rules.minutes_publication(setup.terms).is_public is True
    meeting = schedule(setup, DAY, today=datetime.date(2026, 5, 1))
    item = services.agenda_item_add(meeting=meeting, title="Repairs", today=DAY)
    register(meeting, setup.seats)
    meeting = services.meeting_mark_held(meeting=meeting, today=DAY)
    minutes = services.minutes_start(meeting=meeting)
    services.minute_entry_write(entry=minutes.entries.get(item=item), text="IVH-PUBLIC-TEXT")
    services.minutes_publish(minutes=minutes, today=DAY)
    setup.meeting = meeting
    urls = _urls(setup)
    assert "IVH-PUBLIC-TEXT" in client.get(urls["page"]).content.decode()
    assert client.get(urls["pdf"]).status_code == 200
