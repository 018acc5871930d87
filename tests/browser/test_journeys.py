"""The main journeys of PanelHub's users, in Chromium, at phone (360 px) and desktop (1280 px)
width, with axe-core on every page (tests/browser/journey.py). Each journey uses demo rows
of its own or puts back what it changed, so the two widths can run on one server."""

import re

import pytest

from panels.demo import DEMO_TOTP_SECRET

pytestmark = pytest.mark.browser

ORG = "helena"
ISSUE_NEXT_PAPERS = f"""
from django.utils import timezone
from django_scopes import scopes_disabled
from meetings import services
from meetings.models import Meeting, MeetingStatus
with scopes_disabled():
    meeting = (
        Meeting.objects.filter(organisation__slug="{ORG}", date__gte=timezone.localdate())
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("date", "start_time")
        .first()
    )
    if meeting is not None and meeting.papers_issued_on is None:
        services.papers_issue(meeting=meeting, today=timezone.localdate())
"""


def demo_email(role: str, org: str = ORG) -> str:
    return f"{role}@{org}.panelhub.demo"


def test_member_reads_papers_sends_and_withdraws_apologies(journey, journey_manage):
    # Members see papers once they are issued: issue the next meeting's, as the officer
    # would once its papers are ready (nothing happens if they already are).
    journey_manage(ISSUE_NEXT_PAPERS)
    page = journey.page
    journey.sign_in(demo_email("member"))
    journey.check("signed in")
    assert page.url.rstrip("/").endswith(f"/{ORG}"), "a member of one organisation lands on it"
    journey.follow_nav("My next meeting", "next meeting")
    meeting = page.locator("section[id^='meeting-']").first
    # The papers open in the browser's own viewer: fetch them as the signed-in member.
    paper = journey.fetch(meeting.locator("a[href*='/meetings/papers/']").first)
    assert paper.ok and paper.body()
    pack = journey.fetch(meeting.get_by_role("link", name=re.compile("Download all papers")))
    assert pack.ok and pack.headers["content-type"] == "application/pdf"
    meeting.get_by_label("Why can't you come?").fill("Hospital appointment")
    meeting.get_by_role("button", name="Send my apologies").click()
    journey.check("apologies sent")
    assert page.get_by_text("your apologies have been sent").is_visible()
    meeting = page.locator("section[id^='meeting-']").first
    meeting.get_by_role("button", name=re.compile("withdraw my apologies")).click()
    journey.check("apologies withdrawn")
    assert page.get_by_text("Your apologies are withdrawn").is_visible()


def test_keyboard_only_member_sends_apologies(journey):
    """Tab and Enter only: skip link, navigation, the reason box, the button."""
    page = journey.page
    journey.sign_in(demo_email("member"))
    page.goto(f"/{ORG}/meetings/next/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    field = page.locator("section[id^='meeting-']").first.get_by_label("Why can't you come?")
    field_id = field.get_attribute("id")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == field_id:
            break
    else:
        pytest.fail("the apologies reason cannot be reached with Tab")
    journey.check("reason focused")
    page.keyboard.type("Caring for my mother")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Send my apologies"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    journey.check("apologies sent")
    assert page.get_by_text("your apologies have been sent").is_visible()
    # Put back: withdraw, still by keyboard.
    button = page.get_by_role("button", name=re.compile("withdraw my apologies")).first
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    journey.check("apologies withdrawn")


def _console_section(page, heading: str):
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading)).first


def test_officer_runs_a_meeting_from_scheduling_to_published_minutes(journey, tmp_path):
    """Schedule today's extra meeting, build its agenda, upload and issue a paper, take the
    register, put a motion to the vote and publish the minutes."""
    page = journey.page
    start = {360: "18:00", 1280: "19:30"}[journey.width]
    end = {360: "19:00", 1280: "20:30"}[journey.width]
    journey.sign_in(demo_email("officer"), totp_secret=DEMO_TOTP_SECRET)
    journey.follow_nav("Meetings", "programme")
    schedule = page.locator("#schedule")
    today = page.evaluate("() => new Date().toLocaleDateString('en-CA')")
    schedule.get_by_label("Date").fill(today)
    schedule.get_by_label("Start time").fill(start)
    schedule.get_by_label("End time").fill(end)
    schedule.get_by_label("Place").fill("Community room")
    # Today is inside the papers deadline: the form asks why (recorded against the breach).
    schedule.get_by_label("Reason, if it misses a deadline").fill(
        "Extra meeting called at short notice"
    )
    schedule.get_by_role("button", name="Schedule").click()
    journey.check("meeting scheduled")
    assert page.get_by_role("status").filter(has_text="Scheduled").is_visible()
    # A table row on a desktop, a card on a phone: the one shown.
    row = page.locator("tr, li").filter(has_text=f"{start}–{end}", visible=True).first
    row.get_by_role("link").first.click()
    journey.check("console")

    page.get_by_text("Add an item", exact=True).click()
    item_form = page.locator("#add-item")
    item_form.get_by_label("Title").fill("Repairs satisfaction")
    item_form.get_by_role("button", name="Add item").click()
    journey.check("item added")

    page.get_by_text("Upload a paper", exact=True).click()
    paper = tmp_path / "repairs.pdf"
    paper.write_bytes(b"%PDF-1.4\n% repairs satisfaction paper\n")
    upload = page.locator("#upload-paper")
    item = upload.get_by_label("Item")
    item.select_option(
        item.locator("option", has_text="Repairs satisfaction").first.get_attribute("value")
    )
    upload.get_by_label("Title").fill("Repairs report")
    upload.get_by_label("File").set_input_files(str(paper))
    upload.get_by_role("button", name="Upload").click()
    journey.check("paper uploaded")

    page.get_by_role("button", name="Issue papers to members").click()
    journey.check("papers issued")
    assert page.get_by_role("status").filter(has_text="Papers issued").is_visible()

    # One register form for the whole meeting: on the day everyone starts as present.
    page.get_by_role("button", name="Save the register").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("status").filter(has_text="Register saved").is_visible()
    journey.check("register taken")

    page.get_by_text("Put a motion", exact=True).click()
    motion = page.locator("#put-motion")
    motion.get_by_label("Text").fill("That the panel asks for a repairs review")
    mover = motion.get_by_label("Mover").locator("option:not([value=''])").first
    motion.get_by_label("Mover").select_option(mover.get_attribute("value"))
    motion.get_by_role("button", name="Put the motion").click()
    journey.check("motion put")
    decide = page.locator("form").filter(has=page.get_by_role("button", name="Record decision"))
    decide.first.get_by_label("For").fill("3")
    decide.first.get_by_role("button", name="Record decision").click()
    journey.check("vote recorded")

    page.get_by_role("button", name="Mark as held").click()
    journey.check("meeting held")
    page.get_by_role("button", name="Start the minutes").click()
    journey.check("minutes started")
    page.get_by_role("link", name="Preview the public version and publish").click()
    journey.check("publication preview")
    assert page.get_by_text("No personal data found in what will be published").is_visible()
    page.get_by_role("button", name="Publish version 1").click()
    journey.check("minutes published")
    assert page.get_by_role("status").filter(has_text="minutes is published").is_visible()


def test_board_member_downloads_a_report_and_responds_to_a_recommendation(journey):
    """Each width answers the open recommendation of its own organisation."""
    page = journey.page
    org = {360: "helena", 1280: "ivh"}[journey.width]
    journey.sign_in(demo_email("board", org), totp_secret=DEMO_TOTP_SECRET)
    journey.follow_nav("Reports", "reports")
    # On a phone the reports are cards, on a desktop a table: the one shown is followed.
    page.locator("main a[href*='/reports/']").filter(
        has_text=re.compile("."), visible=True
    ).first.click()
    journey.check("report")
    pdf = page.locator("main a[href$='.pdf'], main a[href*='download']").first
    assert journey.fetch(pdf).headers["content-type"] == "application/pdf"
    journey.follow_nav("Scrutiny", "scrutiny")
    page.locator("main .list-group a").first.click()
    journey.check("panel's scrutiny")
    page.get_by_role("navigation", name="Scrutiny sections").get_by_role(
        "link", name="Reviews"
    ).click()
    journey.check("reviews")
    page.get_by_role("link", name=re.compile("Damp and mould")).first.click()
    journey.check("review")
    page.get_by_role("link", name="Record the Board's response").last.click()
    journey.check("response form")
    page.get_by_label("Decision").select_option(index=1)
    page.get_by_label("Reasons").fill("The Board agrees and asks for a report in March.")
    page.get_by_role("button", name="Record response").click()
    journey.check("response recorded")
    assert page.get_by_text("The Board's response is recorded.").is_visible()


def test_member_of_the_public_applies_is_refused_corrects_and_applies(journey):
    page = journey.page
    surname = {360: "Phone", 1280: "Desktop"}[journey.width]
    journey.goto("/stockport/", "organisation page")
    journey.follow_nav("Join a panel", "application form")
    page.get_by_label("First name").fill("Robin")
    page.get_by_label("Last name").fill(surname)
    page.get_by_label("Email address").fill(f"robin.{surname.lower()}@example.org")
    page.get_by_label("Postcode").fill("SK1 3XE")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("1990")
    page.get_by_role("button", name="Send my application").click()
    journey.check("refused: no such date")
    summary = page.locator("[data-ph-error-summary]")
    assert summary.is_visible() and "February 1990 has 28 days" in summary.inner_text()
    assert page.title().startswith("Error: ")
    assert page.evaluate("() => document.activeElement.hasAttribute('data-ph-error-summary')")
    assert page.get_by_label("First name").input_value() == "Robin"  # typed values kept
    page.get_by_label("Day").fill("14")
    page.get_by_label("Year").fill(str(2026 - 16))
    page.get_by_role("button", name="Send my application").click()
    journey.check("refused: too young")
    assert "18 or over" in page.locator("[data-ph-error-summary]").inner_text()
    summary.get_by_role("link").first.click()
    page.get_by_label("Year").fill("1990")
    page.get_by_role("button", name="Send my application").click()
    journey.check("application sent")
    assert page.get_by_text("your application has been received").is_visible()
