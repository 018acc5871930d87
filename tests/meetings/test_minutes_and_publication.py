import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader, PdfWriter

from meetings import services
from meetings.models import ItemSource, Minutes, PaperIssue
from notices.delivery import dispatch_due
from notices.models import Notice
from panels.errors import RuleViolation
from tests.meetings.conftest import add_seat, register, schedule

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 6, 16)
SECRET = "Tenant at 4 Acacia Avenue owes arrears"


def _pdf(text_pages=1) -> ContentFile:
    writer = PdfWriter()
    for _ in range(text_pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return ContentFile(out.getvalue(), name="report.pdf")


@pytest.fixture
def held(panel_with):
    setup = panel_with("hfh", chair=1, vice_chair=1, resident=4)
    meeting = schedule(setup, DAY, today=datetime.date(2026, 5, 1))
    setup.open_item = services.agenda_item_add(meeting=meeting, title="Repairs", today=DAY)
    setup.secret_item = services.agenda_item_add(
        meeting=meeting, title="Case review CONFIDENTIAL-XYZ", is_confidential=True, today=DAY
    )
    services.agenda_item_add(meeting=meeting, title="AOB", source=ItemSource.AOB, today=DAY)
    register(meeting, setup.seats)
    setup.meeting = services.meeting_mark_held(meeting=meeting, today=DAY)
    minutes = services.minutes_start(meeting=setup.meeting)
    for entry in minutes.entries.all():
        text = (
            SECRET
            if entry.item_id == setup.secret_item.pk
            else "The Head of Repairs presented the figures."
        )
        services.minute_entry_write(entry=entry, text=text)
    services.action_point_add(
        minutes=minutes,
        item=setup.open_item,
        description="Report back",
        owner="Head of Repairs",
        due_on=DAY + datetime.timedelta(days=30),
    )
    setup.minutes = minutes
    return setup


def test_publication_leaves_out_confidential_items_and_refuses_personal_data(held):
    entry = held.minutes.entries.get(item=held.open_item)
    services.minute_entry_write(
        entry=entry,
        text=f"{held.chair.person.full_name} (call 07700 900123, chair@example.org) presented.",
    )
    with pytest.raises(RuleViolation) as refused:
        services.minutes_publish(minutes=held.minutes, today=datetime.date(2026, 6, 19))
    assert {r.code for r in refused.value.reasons} == {"publish.personal_data"}
    said = " ".join(refused.value.messages)
    assert "07700 900123" in said and "chair@example.org" in said and "a person's name" in said
    held.minutes.refresh_from_db()
    assert held.minutes.published_on is None and held.minutes.public_entries == []
    # Removed rather than confirmed: then it publishes, and the secret item never appears
    # (its minute is not scanned for publication because it is never published).
    services.minute_entry_write(entry=entry, text="The chair presented.")
    published = services.minutes_publish(minutes=held.minutes, today=datetime.date(2026, 6, 19))
    text = str(published.public_entries)
    assert "CONFIDENTIAL-XYZ" not in text and SECRET not in text
    assert "The chair presented." in text and "Report back" in text
    held.meeting.refresh_from_db()
    assert held.meeting.minutes_published_on == datetime.date(2026, 6, 19)


def test_published_minutes_never_change_silently(held):
    services.minutes_publish(minutes=held.minutes, today=DAY)
    entry = held.minutes.entries.first()
    with pytest.raises(RuleViolation) as refused:
        services.minute_entry_write(entry=entry, text="Rewritten")
    assert refused.value.code == "minutes.published"
    entry.refresh_from_db()
    assert entry.text != "Rewritten"
    with pytest.raises(RuleViolation):
        services.minutes_correct(minutes=held.minutes, note="  ")
    v2 = services.minutes_correct(minutes=held.minutes, note="Corrected the repairs figure")
    assert v2.version == 2 and v2.entries.count() == 3 and v2.actions.count() == 1
    services.minute_entry_write(entry=v2.entries.first(), text="Corrected text")
    services.minutes_publish(minutes=v2, today=DAY + datetime.timedelta(days=3))
    held.meeting.refresh_from_db()
    # The deadline is judged by the first publication.
    assert held.meeting.minutes_published_on == DAY
    assert Minutes.objects.filter(meeting=held.meeting, published_on__isnull=False).count() == 2


def test_minutes_approved_only_at_a_later_meeting(held):
    with pytest.raises(RuleViolation) as refused:
        services.minutes_approve(minutes=held.minutes, at_meeting=held.meeting)
    assert refused.value.code == "minutes.approve_next_meeting"
    later = schedule(held, DAY + datetime.timedelta(days=90), today=DAY)
    approved = services.minutes_approve(minutes=held.minutes, at_meeting=later)
    assert approved.approved_on == later.date


def test_key_messages_signed_off_by_chair_then_published(held):
    key = services.key_messages_write(meeting=held.meeting, text="Repairs are improving.")
    with pytest.raises(RuleViolation) as refused:
        services.key_messages_publish(key_messages=key, today=DAY)
    assert refused.value.code == "key_messages.not_signed_off"
    with pytest.raises(RuleViolation):
        services.key_messages_sign_off(key_messages=key, chair=held.residents[0], today=DAY)
    services.key_messages_sign_off(key_messages=key, chair=held.chair, today=DAY)
    services.key_messages_publish(key_messages=key, today=DAY)
    held.meeting.refresh_from_db()
    assert held.meeting.key_messages_published_on == DAY
    with pytest.raises(RuleViolation):
        services.key_messages_write(meeting=held.meeting, text="Changed silently")


def test_confidential_item_never_on_public_page_feed_pdf_or_api_outside_panel(
    held, client, client_as, tenant_a
):
    services.minutes_publish(minutes=held.minutes, today=DAY)
    org = tenant_a.org.slug
    page = client.get(
        reverse("meetings:panel_minutes", kwargs={"org_slug": org, "panel_slug": held.panel.slug})
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert "Repairs" in body and "CONFIDENTIAL-XYZ" not in body and SECRET not in body
    feed = client.get(
        reverse("meetings:panel_calendar", kwargs={"org_slug": org, "panel_slug": held.panel.slug})
    )
    assert feed.status_code == 200 and b"CONFIDENTIAL-XYZ" not in feed.content
    pdf = client.get(
        reverse("meetings:minutes_pdf", kwargs={"org_slug": org, "meeting_id": held.meeting.pk})
    )
    assert pdf.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Repairs" in text and "CONFIDENTIAL" not in text and "Acacia" not in text
    # A board member is outside the panel.
    board = client_as(tenant_a.board)
    for route in ("agenda-item", "minutes", "motion"):
        response = board.get(reverse(f"api:{route}-list", kwargs={"org_slug": org}))
        assert response.status_code == 200
        assert "CONFIDENTIAL-XYZ" not in response.content.decode()
        assert SECRET not in response.content.decode()
    papers = board.get(
        reverse("meetings:papers", kwargs={"org_slug": org, "meeting_id": held.meeting.pk})
    )
    assert papers.status_code == 404
    # An officer (inside) sees it.
    officer = client_as(tenant_a.officer)
    items = officer.get(reverse("api:agenda-item-list", kwargs={"org_slug": org}))
    assert "CONFIDENTIAL-XYZ" in items.content.decode()


def test_member_of_the_panel_sees_confidential_items_via_api(held, client_as, tenant_a):
    add_seat(held, "resident", 99, user=tenant_a.member)
    response = client_as(tenant_a.member).get(
        reverse("api:agenda-item-list", kwargs={"org_slug": tenant_a.org.slug})
    )
    assert "CONFIDENTIAL-XYZ" in response.content.decode()


def test_papers_issued_by_preferred_channel_with_email_on_commit(
    panel_with, mailoutbox, django_capture_on_commit_callbacks
):
    # IVH's ToR names no channel for papers: each member's preference decides (Helena's
    # says "by post": tests/meetings/test_papers_issue.py).
    setup = panel_with("ivh", resident=3)
    setup.seats[1].person.preferred_channel = "post"
    setup.seats[1].person.save()
    meeting = schedule(setup, DAY, today=datetime.date(2026, 6, 1))
    item = services.agenda_item_add(meeting=meeting, title="Performance", today=DAY)
    services.paper_upload(item=item, title="Report", file=_pdf(2))
    with django_capture_on_commit_callbacks(execute=True):
        issued = services.papers_issue(meeting=meeting, today=datetime.date(2026, 6, 8))
    assert len(issued.emailed) == 2 and len(issued.posted) == 1
    # The emails leave through the notice ledger (the dispatcher, as a worker runs it),
    # with the link to the papers page.
    dispatch_due()
    papers = reverse(
        "meetings:papers", kwargs={"org_slug": meeting.organisation.slug, "meeting_id": meeting.pk}
    )
    sent = [m for m in mailoutbox if m.subject.startswith("Papers: ")]
    assert len(sent) == 2 and papers in sent[0].body
    assert sorted(m.to[0] for m in sent) == sorted(p.email for p in issued.emailed)
    assert Notice.objects.filter(kind="papers_issued", channel="email", status="sent").count() == 2
    meeting.refresh_from_db()
    assert meeting.papers_issued_on == datetime.date(2026, 6, 8)
    assert PaperIssue.objects.filter(channel="post").count() == 1
    # Issuing again sends nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        again = services.papers_issue(meeting=meeting, today=datetime.date(2026, 6, 9))
    dispatch_due()
    assert (
        again.emailed == []
        and len([m for m in mailoutbox if m.subject.startswith("Papers: ")]) == 2
    )


def test_papers_refused_for_a_past_meeting(panel_with, mailoutbox):
    setup = panel_with("helena", resident=2)
    meeting = schedule(setup, DAY, today=datetime.date(2026, 6, 1))
    with pytest.raises(RuleViolation) as refused:
        services.papers_issue(meeting=meeting, today=DAY + datetime.timedelta(days=1))
    assert refused.value.code == "papers.meeting_past"
    assert not PaperIssue.objects.exists() and mailoutbox == []


def test_agenda_pack_and_letter_pack_pdfs(panel_with, client_as, tenant_a):
    setup = panel_with("helena", resident=2)
    setup.seats[0].person.preferred_channel = "post"
    setup.seats[0].person.save()
    meeting = schedule(setup, DAY, today=datetime.date(2026, 6, 1))
    item = services.agenda_item_add(meeting=meeting, title="Performance report", today=DAY)
    services.paper_upload(item=item, title="Report", file=_pdf(2))
    services.papers_issue(meeting=meeting, today=datetime.date(2026, 6, 1))
    officer = client_as(tenant_a.officer)
    kwargs = {"org_slug": tenant_a.org.slug, "meeting_id": meeting.pk}
    pack = officer.get(reverse("meetings:agenda_pack", kwargs=kwargs))
    reader = PdfReader(io.BytesIO(pack.content))
    # Cover with the agenda, the contents page, then the two pages of the report.
    assert len(reader.pages) == 4 and "Performance report" in reader.pages[0].extract_text()
    assert "Report" in reader.pages[1].extract_text()
    letters = officer.get(reverse("meetings:letter_pack", kwargs=kwargs))
    text = PdfReader(io.BytesIO(letters.content)).pages[0].extract_text()
    assert setup.seats[0].person.first_name in text and "High Street" in text


def test_action_points_without_an_item_are_published_with_readable_dates(held, client):
    services.action_point_add(
        minutes=held.minutes,
        description="The chair to write to the Board",
        owner="Chair",
        due_on=datetime.date(2026, 7, 31),
    )
    published = services.minutes_publish(minutes=held.minutes, today=DAY)
    other = published.public_entries[-1]
    assert other["title"] == "Other decisions and action points" and other["position"] is None
    page = client.get(
        reverse(
            "meetings:panel_minutes",
            kwargs={"org_slug": held.org.slug, "panel_slug": held.panel.slug},
        )
    ).content.decode()
    assert "Other decisions and action points" in page
    assert "to write to the Board (Chair, by 31 July 2026)" in page
    assert "Report back (Head of Repairs, by 16 July 2026)" in page
    assert "CONFIDENTIAL-XYZ" not in page
