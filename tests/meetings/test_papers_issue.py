"""Issue 15 items 5 and 6 (papers): issuing an agenda with no paper asks for confirmation;
members see papers only once issued; each member gets them by the ToR's channel where it
names one (Helena: by post) else by their preference; posted packs are letters in the
officers' print queue, each a dated covering letter (the organisation's address, the
officer's name, phone and email; large print on request) followed by the pack."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from meetings import pdf, services
from meetings.models import PaperIssue
from notices.delivery import dispatch_due
from notices.models import Letter, Notice
from panels.errors import RuleViolation
from tests import sample_files as sample
from tests.meetings.conftest import add_seat, schedule

pytestmark = pytest.mark.django_db
ADDRESS = "Unit 4, Canal Side\nSt Helens\nWA10 1AA"


def _today():
    return timezone.localdate()


def _setup(panel_with, tenant_a, which="helena"):
    setup = panel_with(which, resident=3)
    org = tenant_a.org
    org.postal_address, org.contact_phone = ADDRESS, "01744 000000"
    org.contact_email = "engagement@alpha.example"
    org.save()
    officer = tenant_a.officer
    officer.first_name, officer.last_name, officer.phone = "Jo", "Officer", "01744 123456"
    officer.save()
    setup.meeting = schedule(setup, _today() + datetime.timedelta(days=20), today=_today())
    return setup


def _add_paper(meeting, title="Performance report"):
    item = services.agenda_item_add(meeting=meeting, title=title, today=_today())
    return services.paper_upload(
        item=item, title=title, file=ContentFile(sample.pdf_bytes(2), name="report.pdf")
    )


def _nothing_issued(meeting):
    meeting.refresh_from_db()
    return (
        meeting.papers_issued_on is None
        and not PaperIssue.objects.exists()
        and not Notice.objects.filter(kind="papers_issued").exists()
    )


# --- Confirmation when there is nothing to send ------------------------------------------


def test_an_empty_agenda_is_refused_without_confirmation(panel_with, tenant_a):
    setup = _setup(panel_with, tenant_a)
    with pytest.raises(RuleViolation) as refused:
        services.papers_issue(meeting=setup.meeting, today=_today())
    (reason,) = refused.value.reasons
    assert reason.field == "confirm_no_papers" and "The agenda is empty" in reason.message
    assert _nothing_issued(setup.meeting)
    issued = services.papers_issue(meeting=setup.meeting, today=_today(), confirm_no_papers=True)
    assert len(issued.posted) == 3


def test_an_agenda_without_a_single_paper_asks_too(panel_with, tenant_a):
    setup = _setup(panel_with, tenant_a)
    services.agenda_item_add(meeting=setup.meeting, title="Welcome", today=_today())
    with pytest.raises(RuleViolation) as refused:
        services.papers_issue(meeting=setup.meeting, today=_today())
    assert "No item of the agenda has a paper" in refused.value.reasons[0].message
    assert _nothing_issued(setup.meeting)
    _add_paper(setup.meeting)  # one paper is enough: other items may have none
    services.papers_issue(meeting=setup.meeting, today=_today())
    assert PaperIssue.objects.count() == 3


def test_the_console_sends_the_officer_to_confirm_and_the_page_refuses_on_the_field(
    panel_with, tenant_a, client_as
):
    setup = _setup(panel_with, tenant_a)
    kwargs = {"org_slug": tenant_a.org.slug, "meeting_id": setup.meeting.pk}
    client = client_as(tenant_a.officer)
    response = client.post(reverse("meetings:console", kwargs=kwargs), {"action": "issue"})
    page = reverse("meetings:papers_issue", kwargs=kwargs)
    assert response.status_code == 302 and response.url == page
    assert _nothing_issued(setup.meeting)
    body = client.get(page).content.decode()
    assert "The agenda is empty" in body and 'name="confirm_no_papers"' in body
    refused = client.post(page, {})
    assert refused.status_code == 200
    assert "confirm_no_papers" in refused.context["form"].errors
    assert _nothing_issued(setup.meeting)
    done = client.post(page, {"confirm_no_papers": "on"})
    assert done.status_code == 302
    assert PaperIssue.objects.count() == 3


# --- Channel: the ToR's, else the member's ------------------------------------------------


def test_helena_sends_papers_by_post_to_everyone(panel_with, tenant_a, client_as):
    # "Agendas and any relevant papers will be issued by post no less than 7 days before".
    setup = _setup(panel_with, tenant_a)
    assert {s.person.preferred_channel for s in setup.seats} == {"email"}
    _add_paper(setup.meeting)
    issued = services.papers_issue(meeting=setup.meeting, today=_today())
    assert issued.emailed == [] and len(issued.posted) == 3
    assert set(PaperIssue.objects.values_list("channel", flat=True)) == {"post"}
    page = client_as(tenant_a.officer).get(
        reverse(
            "meetings:papers_issue",
            kwargs={"org_slug": tenant_a.org.slug, "meeting_id": setup.meeting.pk},
        )
    )
    assert "The terms of reference send papers by post" in page.content.decode()


def test_where_the_tor_names_no_channel_each_member_chooses(panel_with, tenant_a):
    setup = _setup(panel_with, tenant_a, which="ivh")
    setup.seats[0].person.preferred_channel = "post"
    setup.seats[0].person.save()
    _add_paper(setup.meeting)
    issued = services.papers_issue(meeting=setup.meeting, today=_today())
    assert [p.pk for p in issued.posted] == [setup.seats[0].person.pk]
    assert len(issued.emailed) == 2


# --- The print queue: a covering letter, then the pack ------------------------------------


def _letter_text(letter) -> tuple[PdfReader, str]:
    letter.pdf.open("rb")
    reader = PdfReader(io.BytesIO(letter.pdf.read()))
    return reader, " ".join(reader.pages[0].extract_text().split())


def test_posted_packs_wait_in_the_print_queue_with_a_dated_covering_letter(
    panel_with, tenant_a, client_as
):
    setup = _setup(panel_with, tenant_a)
    _add_paper(setup.meeting)
    services.papers_issue(meeting=setup.meeting, today=_today(), by=tenant_a.officer)
    dispatch_due()
    letters = list(Letter.objects.select_related("notice"))
    assert len(letters) == 3 and {x.notice.kind for x in letters} == {"papers_issued"}
    reader, text = _letter_text(letters[0])
    # Covering letter (1 page), the pack's cover and contents, then the report's 2 pages.
    assert len(reader.pages) >= 4
    assert f"{_today():%-d %B %Y}" in text  # dated
    assert "Unit 4, Canal Side" in text and "WA10 1AA" in text  # the organisation's address
    assert "Jo Officer" in text and "01744 123456" in text
    assert tenant_a.officer.email in text
    assert "please let us know" in text
    pack = " ".join(" ".join(p.extract_text() for p in reader.pages[1:]).split())
    assert "Performance report" in pack
    # Tagged, in British English.
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in reader.trailer["/Root"]

    client = client_as(tenant_a.officer)
    queue = reverse("notices:print_queue", kwargs={"org_slug": tenant_a.org.slug})
    body = client.get(queue).content.decode()
    assert body.count("Papers pack") == 3 and "Mark printed and posted" in body
    printed = reverse(
        "notices:letter_printed",
        kwargs={"org_slug": tenant_a.org.slug, "letter_id": letters[0].pk},
    )
    assert client.post(printed).status_code == 302
    letters[0].refresh_from_db()
    assert letters[0].printed_at is not None and letters[0].printed_by == tenant_a.officer


def _sizes(reader) -> list[float]:
    sizes = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            sizes.append(abs(font_size * tm[0] * cm[0]) or font_size)

    reader.pages[0].extract_text(visitor_text=visit)
    return sizes


def test_large_print_on_request(panel_with, tenant_a):
    setup = _setup(panel_with, tenant_a)
    person = setup.seats[0].person
    person.large_print = True
    person.save()
    regular = PdfReader(
        io.BytesIO(
            pdf.covering_letter_pdf(
                meeting=setup.meeting, person=setup.seats[1].person, on=_today()
            )
        )
    )
    large = PdfReader(
        io.BytesIO(pdf.covering_letter_pdf(meeting=setup.meeting, person=person, on=_today()))
    )
    assert max(_sizes(large)) > max(_sizes(regular))
    assert (
        sorted(_sizes(large))[len(_sizes(large)) // 2]
        >= 1.4 * sorted(_sizes(regular))[len(_sizes(regular)) // 2]
    )


def test_the_member_chooses_large_print_on_their_preferences(panel_with, tenant_a, client_as):
    setup = panel_with("ivh", resident=1)
    seat = add_seat(setup, "resident", 9, user=tenant_a.member)
    url = reverse("notices:preferences", kwargs={"org_slug": tenant_a.org.slug})
    response = client_as(tenant_a.member).post(url, {"channel": "post", "large_print": "on"})
    assert response.status_code == 302
    seat.person.refresh_from_db()
    assert seat.person.large_print and seat.person.preferred_channel == "post"


def test_never_please_let_us_know_without_a_phone_and_an_email(panel_with, tenant_a):
    setup = panel_with("helena", resident=1)
    org = tenant_a.org
    org.contact_phone = org.contact_email = ""
    org.save()
    meeting = schedule(setup, _today() + datetime.timedelta(days=20), today=_today())
    person = setup.seats[0].person
    for officer in (None, tenant_a.officer):
        letter = pdf.covering_letter_pdf(
            meeting=meeting, person=person, officer=officer, on=_today()
        )
        text = " ".join(PdfReader(io.BytesIO(letter)).pages[0].extract_text().split())
        if officer is None or not officer.phone:
            assert "let us know" not in text
        assert f"{_today():%-d %B %Y}" in text


# --- Members see papers once issued --------------------------------------------------------


def test_members_see_and_download_papers_only_once_issued(panel_with, tenant_a, client_as):
    setup = _setup(panel_with, tenant_a, which="ivh")
    add_seat(setup, "resident", 9, user=tenant_a.member)
    paper = _add_paper(setup.meeting)
    org = tenant_a.org.slug
    file_url = reverse("meetings:paper", kwargs={"org_slug": org, "paper_id": paper.pk})
    kwargs = {"org_slug": org, "meeting_id": setup.meeting.pk}
    member = client_as(tenant_a.member)
    assert member.get(file_url).status_code == 404
    assert member.get(reverse("meetings:agenda_pack", kwargs=kwargs)).status_code == 404
    page = member.get(reverse("meetings:papers", kwargs=kwargs)).content.decode()
    assert "have not been issued yet" in page and file_url not in page
    next_page = member.get(reverse("meetings:next", kwargs={"org_slug": org})).content.decode()
    assert file_url not in next_page and "Performance report" in next_page
    officer = client_as(tenant_a.officer)
    assert officer.get(file_url).status_code == 200  # officers before issue
    services.papers_issue(meeting=setup.meeting, today=_today())
    member = client_as(tenant_a.member)
    assert member.get(file_url).status_code == 200
    assert member.get(reverse("meetings:agenda_pack", kwargs=kwargs)).status_code == 200
    assert file_url in member.get(reverse("meetings:papers", kwargs=kwargs)).content.decode()
