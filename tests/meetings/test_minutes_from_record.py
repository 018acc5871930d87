"""Minutes drafted from the record (issue 15 item 1): attendance, declarations, every motion
with its mover, tally, outcome (as motion_decide stored it from panels.rules.vote_outcome)
and casting vote, action points; in the officer's draft, the public page and the public PDF."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from meetings import selectors, services
from meetings.models import AttendanceStatus, MotionKind, MotionOutcome
from tests.meetings.conftest import register, schedule

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 6, 16)
NTA = "That the Board acts on damp and mould within 28 days."
ORDINARY = "That the panel asks for quarterly repairs figures."


@pytest.fixture
def decided(panel_with):
    """Stockport: a Notice to Act needs a majority of all members; five voting members."""
    setup = panel_with("stockport", chair=1, resident=5)
    meeting = schedule(setup, DAY, today=datetime.date(2026, 5, 1))
    item = services.agenda_item_add(meeting=meeting, title="Damp and mould", today=DAY)
    other = services.agenda_item_add(meeting=meeting, title="Repairs", today=DAY)
    present = setup.seats[:5]
    register(meeting, present)
    away = setup.seats[5]
    line = services.attendance_record(
        meeting=meeting,
        membership=away,
        status=AttendanceStatus.APOLOGIES,
        apology_reason="Work",
        today=DAY - datetime.timedelta(days=2),
    )
    services.attendance_decide_reason(attendance=line, accepted=True)
    declarer = setup.residents[3]
    services.declaration_record(
        item=other, membership=declarer, interest="Works for the contractor"
    )
    nta = services.motion_propose(
        meeting=meeting,
        text=NTA,
        mover=setup.residents[0],
        kind=MotionKind.NOTICE_TO_ACT,
        item=item,
    )
    setup.nta = services.motion_decide(motion=nta, votes_for=4, votes_against=1)
    ordinary = services.motion_propose(
        meeting=meeting, text=ORDINARY, mover=setup.chair, item=other
    )
    setup.ordinary = services.motion_decide(motion=ordinary, votes_for=4, votes_against=0)
    setup.secret = services.agenda_item_add(
        meeting=meeting, title="Staff matter", is_confidential=True, today=DAY
    )
    services.motion_propose(
        meeting=meeting, text="SECRET-MOTION", mover=setup.chair, item=setup.secret
    )
    setup.meeting = services.meeting_mark_held(meeting=meeting, today=DAY)
    setup.minutes = services.minutes_start(meeting=setup.meeting)
    setup.item, setup.other, setup.declarer = item, other, declarer
    return setup


def test_the_record_has_attendance_declarations_and_every_motion(decided):
    record = selectors.minutes_record(meeting=decided.meeting)
    assert len(record.present) == 5 and [a.name for a in record.apologies] == [
        decided.seats[5].person.full_name
    ]
    assert record.apologies[0].reason_label == "accepted"
    assert [d.name for d in record.declarations_for(decided.other.pk)] == [
        decided.declarer.person.full_name
    ]
    (nta,) = record.motions_for(decided.item.pk)
    assert nta.kind_label == "Notice to Act" and nta.mover == decided.residents[0].person.full_name
    # The outcome is the one motion_decide stored from the rule, not recomputed here.
    assert nta.outcome == MotionOutcome.CARRIED and nta.explanation == decided.nta.explanation
    assert nta.tally == "4 for, 1 against, 0 abstentions"


def test_officer_draft_shows_the_record(decided, client_as):
    page = client_as(decided.officer).get(
        reverse(
            "meetings:console",
            kwargs={"org_slug": decided.org.slug, "meeting_id": decided.meeting.pk},
        )
    )
    body = page.content.decode()
    assert NTA in body and ORDINARY in body
    assert decided.declarer.person.full_name in body and "Works for the contractor" in body
    assert "reason accepted" in body


def test_carried_notice_to_act_and_motion_in_public_minutes_and_pdf(decided, client):
    services.minutes_publish(minutes=decided.minutes, today=DAY)
    kwargs = {"org_slug": decided.org.slug}
    page = client.get(
        reverse("meetings:panel_minutes", kwargs={**kwargs, "panel_slug": decided.panel.slug})
    ).content.decode()
    assert "Notice to Act:</strong> " + NTA in page
    assert "Ordinary motion:</strong> " + ORDINARY in page
    assert "4 for, 1 against, 0 abstentions" in page and "4 for, 0 against" in page
    assert "Carried" in page and "Present: 5" in page and "apologies: 1" in page
    # The public version names no one: the mover by seat, declarations counted.
    assert decided.residents[0].person.last_name not in page
    assert decided.declarer.person.last_name not in page
    assert "1 member declared an interest" in page
    pdf = client.get(
        reverse("meetings:minutes_pdf", kwargs={**kwargs, "meeting_id": decided.meeting.pk})
    )
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert "Notice to Act: " + NTA in text and "Ordinary motion: " + ORDINARY in text
    assert "4 for, 1 against" in text and "Carried" in text
    assert decided.residents[0].person.last_name not in text


def test_casting_vote_reaches_the_minutes(panel_with):
    setup = panel_with("hfh", chair=1, vice_chair=1, resident=2)
    meeting = schedule(setup, DAY, today=datetime.date(2026, 5, 1))
    item = services.agenda_item_add(meeting=meeting, title="Budget", today=DAY)
    register(meeting, setup.seats)
    motion = services.motion_propose(meeting=meeting, text="Spend it", mover=setup.chair, item=item)
    services.motion_decide(motion=motion, votes_for=2, votes_against=2, chair_casting_vote_for=True)
    (line,) = selectors.minutes_record(meeting=meeting).motions_for(item.pk)
    assert line.casting_label == "The chair's casting vote was used, for."
    assert line.public()["casting"] == line.casting_label


def test_motion_on_a_confidential_item_is_never_public(decided):
    published = services.minutes_publish(minutes=decided.minutes, today=DAY)
    assert "SECRET-MOTION" not in str(published.public_entries)
    assert "Staff matter" not in str(published.public_entries)
    # The panel's own draft has it.
    record = selectors.minutes_record(meeting=decided.meeting)
    assert record.motions_for(decided.secret.pk)[0].text == "SECRET-MOTION"


def test_demo_minutes_never_point_at_a_decision_that_is_not_there():
    from django.core.management import call_command

    from meetings.models import Minutes

    call_command("seed_demo", "--quiet-sign-ins")
    published = Minutes.objects.filter(published_on__isnull=False)
    # Each organisation's demo holds published minutes (how many follows its own cadence).
    assert published.values("meeting__organisation").distinct().count() == 5
    for minutes in published:
        for entry in minutes.public_entries:
            if "recorded under this item" in entry["text"] or "below" in entry["text"]:
                assert entry["motions"], (minutes.meeting_id, entry["title"])
                assert entry["motions"][0]["outcome"] == MotionOutcome.CARRIED
