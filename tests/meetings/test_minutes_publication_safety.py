"""Publication that cannot leak (issue 15 item 2): an explicit audience on every minute entry,
action point and key messages; confidential items never public; a personal-data scan whose
every hit must be removed or confirmed (recorded: who, when, which hit) before anything is
published; the officer's preview is the public template itself."""

import datetime
import re

import pytest
from django.urls import reverse

from meetings import selectors, services
from meetings.models import Audience, DisclosureConfirmation, ItemSource
from meetings.personal_data import Kind, lexicon_for, scan
from members.models import Person
from panels.errors import RuleViolation
from panels.models import AuditEntry
from tests.meetings.conftest import register, schedule

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 6, 16)
LEAK = "Mr Smith at 12 Acacia Avenue reported damp."


@pytest.fixture
def draft(panel_with):
    setup = panel_with("hfh", chair=1, vice_chair=1, resident=3)
    Person.objects.create(organisation=setup.org, first_name="John", last_name="Smith")
    meeting = schedule(setup, DAY, today=datetime.date(2026, 5, 1))
    setup.item = services.agenda_item_add(meeting=meeting, title="Repairs", today=DAY)
    setup.secret = services.agenda_item_add(
        meeting=meeting, title="Case review", is_confidential=True, today=DAY
    )
    services.agenda_item_add(meeting=meeting, title="AOB", source=ItemSource.AOB, today=DAY)
    register(meeting, setup.seats)
    setup.meeting = services.meeting_mark_held(meeting=meeting, today=DAY)
    setup.minutes = services.minutes_start(meeting=setup.meeting)
    setup.entry = setup.minutes.entries.get(item=setup.item)
    setup.secret_entry = setup.minutes.entries.get(item=setup.secret)
    return setup


def _public_page(client, setup) -> str:
    url = reverse(
        "meetings:panel_minutes",
        kwargs={"org_slug": setup.org.slug, "panel_slug": setup.panel.slug},
    )
    return client.get(url).content.decode()


def test_mr_smith_at_12_acacia_avenue_is_blocked_until_confirmed(draft, client):
    services.minute_entry_write(entry=draft.entry, text=LEAK)
    with pytest.raises(RuleViolation) as refused:
        services.minutes_publish(minutes=draft.minutes, today=DAY)
    said = " ".join(refused.value.messages)
    assert '"Mr Smith" looks like a person\'s name' in said
    assert '"12 Acacia Avenue" looks like a house number and street' in said
    assert all(r.field == "publish" for r in refused.value.reasons)
    # Nothing published: not the version, not the meeting's date, not the public page.
    draft.minutes.refresh_from_db()
    draft.meeting.refresh_from_db()
    assert draft.minutes.published_on is None and draft.meeting.minutes_published_on is None
    assert "Acacia" not in _public_page(client, draft)

    check = selectors.minutes_publication_check(minutes=draft.minutes)
    name = next(h.hit for h in check.hits if h.hit.kind == Kind.NAME)
    services.minutes_confirm_disclosure(minutes=draft.minutes, key=name.key, by=draft.officer)
    with pytest.raises(RuleViolation) as still:
        services.minutes_publish(minutes=draft.minutes, today=DAY)
    assert len(still.value.reasons) == 1 and "12 Acacia Avenue" in still.value.messages[0]

    address = next(h.hit for h in check.hits if h.hit.kind == Kind.ADDRESS)
    confirmation = services.minutes_confirm_disclosure(
        minutes=draft.minutes, key=address.key, by=draft.officer
    )
    assert confirmation.confirmed_by == draft.officer and confirmation.confirmed_at
    assert (confirmation.where, confirmation.kind, confirmation.text) == (
        "Item 1. Repairs: minute",
        Kind.ADDRESS,
        "12 Acacia Avenue",
    )
    assert AuditEntry.objects.filter(action="publication.personal_data_confirmed").count() == 2
    services.minutes_publish(minutes=draft.minutes, today=DAY, by=draft.officer)
    # Published as written and confirmed: nothing pretends to have been removed.
    assert LEAK in _public_page(client, draft)


def test_removing_the_hit_also_unblocks(draft):
    services.minute_entry_write(entry=draft.entry, text=LEAK)
    with pytest.raises(RuleViolation):
        services.minutes_publish(minutes=draft.minutes, today=DAY)
    services.minute_entry_write(entry=draft.entry, text="A resident reported damp.")
    published = services.minutes_publish(minutes=draft.minutes, today=DAY)
    assert "A resident reported damp." in str(published.public_entries)
    assert not DisclosureConfirmation.objects.exists()


def test_every_kind_of_personal_data_is_found(draft):
    Person.objects.create(
        organisation=draft.org,
        first_name="Ann",
        last_name="Okonjo",
        household_reference="HH-88231",
    )
    draft.officer.first_name, draft.officer.last_name = "Priya", "Officerly"
    draft.officer.save()
    lexicon = lexicon_for(draft.org)
    cases = {
        "Ann Okonjo spoke": Kind.NAME,
        "as Okonjo said": Kind.NAME,
        "Priya Officerly reported": Kind.NAME,
        "Mrs Patel asked": Kind.NAME,
        "lives in M14 5TQ now": Kind.POSTCODE,
        "at 3 Main Road": Kind.ADDRESS,
        "in Flat 4 upstairs": Kind.ADDRESS,
        "ring 0161 496 0000 today": Kind.PHONE,
        "or +44 7700 900123": Kind.PHONE,
        "write to ann@example.org": Kind.EMAIL,
        "born 3 May 1961": Kind.DATE_OF_BIRTH,
        "DOB: 03/05/1961": Kind.DATE_OF_BIRTH,
        "household HH-88231 is": Kind.TENANCY_REFERENCE,
        "tenancy ref: TR/2231/A was": Kind.TENANCY_REFERENCE,
    }
    for text, kind in cases.items():
        hits = scan(location="x", where="x", text=text, lexicon=lexicon)
        assert kind in {h.kind for h in hits}, text
    clean = "First-time fixes are 78% against a target of 85% (Q3 2026); see item 4."
    assert scan(location="x", where="x", text=clean, lexicon=lexicon) == []


def test_confirmation_refusals(draft, client):
    services.minute_entry_write(entry=draft.entry, text=LEAK)
    with pytest.raises(RuleViolation) as refused:
        services.minutes_confirm_disclosure(
            minutes=draft.minutes, key="item:1:text|name|Mr Nobody", by=draft.officer
        )
    assert refused.value.code == "publish.no_such_hit"
    check = selectors.minutes_publication_check(minutes=draft.minutes)
    key = check.hits[0].hit.key
    with pytest.raises(RuleViolation) as anonymous:
        services.minutes_confirm_disclosure(minutes=draft.minutes, key=key, by=None)
    assert anonymous.value.code == "publish.confirm_by"
    services.minutes_confirm_disclosure(minutes=draft.minutes, key=key, by=draft.officer)
    with pytest.raises(RuleViolation) as again:
        services.minutes_confirm_disclosure(minutes=draft.minutes, key=key, by=draft.officer)
    assert again.value.code == "publish.already_confirmed"
    assert DisclosureConfirmation.objects.count() == 1


def test_confidential_item_can_never_be_made_public(draft):
    assert draft.secret_entry.audience == Audience.PANEL and draft.entry.audience == Audience.PUBLIC
    with pytest.raises(RuleViolation) as refused:
        services.minute_entry_write(entry=draft.secret_entry, text="Leak", audience=Audience.PUBLIC)
    assert refused.value.code == "minutes.audience_confidential"
    assert refused.value.reasons[0].field == "audience"
    draft.secret_entry.refresh_from_db()
    assert draft.secret_entry.text == "" and draft.secret_entry.audience == Audience.PANEL
    with pytest.raises(RuleViolation) as action:
        services.action_point_add(
            minutes=draft.minutes,
            item=draft.secret,
            description="Call the tenant",
            owner="Officer",
            due_on=DAY,
            audience=Audience.PUBLIC,
        )
    assert action.value.code == "minutes.audience_confidential"
    assert not draft.minutes.actions.exists()


def test_panel_only_entries_and_actions_stay_out_of_the_public_version(draft, client):
    services.minute_entry_write(
        entry=draft.entry, text="PANEL-ONLY-NARRATIVE", audience=Audience.PANEL
    )
    services.action_point_add(
        minutes=draft.minutes,
        description="PANEL-ONLY-ACTION",
        owner="Officer",
        due_on=DAY,
        audience=Audience.PANEL,
    )
    services.action_point_add(
        minutes=draft.minutes,
        description="Public action",
        owner="Officer",
        due_on=DAY,
        audience=Audience.PUBLIC,
    )
    published = services.minutes_publish(minutes=draft.minutes, today=DAY)
    text = str(published.public_entries)
    assert "PANEL-ONLY" not in text and "Repairs" not in text and "Public action" in text
    page = _public_page(client, draft)
    assert "PANEL-ONLY" not in page and "Public action" in page


def test_key_messages_audience_and_scan(draft):
    key = services.key_messages_write(
        meeting=draft.meeting, text="Members-only view.", audience=Audience.PANEL
    )
    services.key_messages_sign_off(key_messages=key, chair=draft.chair, today=DAY)
    with pytest.raises(RuleViolation) as panel_only:
        services.key_messages_publish(key_messages=key, today=DAY)
    assert panel_only.value.code == "key_messages.panel_only"
    key = services.key_messages_write(
        meeting=draft.meeting, text="Call 07700 900123 about damp.", audience=Audience.PUBLIC
    )
    services.key_messages_sign_off(key_messages=key, chair=draft.chair, today=DAY)
    with pytest.raises(RuleViolation) as refused:
        services.key_messages_publish(key_messages=key, today=DAY)
    assert refused.value.code == "publish.personal_data" and "07700 900123" in str(refused.value)
    key.refresh_from_db()
    assert key.published_on is None and key.public_text == ""
    (state,) = selectors.key_messages_publication_check(key_messages=key).hits
    services.key_messages_confirm_disclosure(key_messages=key, key=state.hit.key, by=draft.officer)
    published = services.key_messages_publish(key_messages=key, today=DAY)
    assert published.public_text == "Call 07700 900123 about damp."


def _article(html: str, meeting_id: int) -> str:
    match = re.search(
        rf'<article class="card mb-4" aria-labelledby="minutes-{meeting_id}">.*?</article>',
        html,
        re.S,
    )
    assert match, "no minutes article"
    return re.sub(r"\s+", " ", match.group(0))


def test_preview_is_the_public_page_and_publishes_only_when_every_hit_is_cleared(
    draft, client_as, client
):
    services.minute_entry_write(entry=draft.entry, text=LEAK)
    services.action_point_add(
        minutes=draft.minutes, item=draft.item, description="Survey", owner="Repairs", due_on=DAY
    )
    officer = client_as(draft.officer)
    url = reverse(
        "meetings:minutes_preview",
        kwargs={"org_slug": draft.org.slug, "meeting_id": draft.meeting.pk},
    )
    page = officer.get(url).content.decode()
    assert "“Mr Smith” looks like a person&#x27;s name" in page
    assert "2 pieces of text to remove or confirm first" in page
    preview = _article(page, draft.meeting.pk)
    assert "Mr Smith at 12 Acacia Avenue" in preview and "Case review" not in preview

    refused = officer.post(url, {"action": "publish"})
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "Not published: nothing was changed" in body and "12 Acacia Avenue" in body
    draft.minutes.refresh_from_db()
    assert draft.minutes.published_on is None

    for state in selectors.minutes_publication_check(minutes=draft.minutes).hits:
        response = officer.post(
            url, {"action": "confirm", "document": "minutes", "hit": state.hit.key}
        )
        assert response.status_code == 302
    page = officer.get(url).content.decode()
    assert "Confirmed by" in page and "to remove or confirm first" not in page
    preview = _article(page, draft.meeting.pk)
    assert officer.post(url, {"action": "publish"}).status_code == 302
    draft.minutes.refresh_from_db()
    assert draft.minutes.published_on is not None
    client.logout()
    public = _article(_public_page(client, draft), draft.meeting.pk)
    # The same markup, but for the PDF link that exists only once published.
    without_pdf = re.sub(r' <p class="mt-3"><a class="btn btn-outline-primary".*?</p>', "", public)
    assert without_pdf == preview


def test_preview_is_for_officers_only(draft, client_as, tenant_a):
    url = reverse(
        "meetings:minutes_preview",
        kwargs={"org_slug": draft.org.slug, "meeting_id": draft.meeting.pk},
    )
    assert client_as(tenant_a.member).get(url).status_code == 403
    assert client_as(tenant_a.board).get(url).status_code == 403
