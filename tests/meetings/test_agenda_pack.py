"""The agenda pack lists every paper on its contents page (title, file name, link), includes
PDFs and PNG/JPEG images as pages, and notes the other formats as sent separately."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader, PdfWriter

from meetings import services
from tests.meetings.conftest import schedule
from tests.sample_files import ooxml_bytes

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 6, 16)


def _pdf(pages: int, name="report.pdf") -> ContentFile:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return ContentFile(out.getvalue(), name=name)


def _image(fmt: str, name: str, size=(1200, 800)) -> ContentFile:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, format=fmt)
    return ContentFile(out.getvalue(), name=name)


def _links(page) -> list[str]:
    uris = []
    for annot in page.get("/Annots") or []:
        action = annot.get_object().get("/A")
        if action and "/URI" in action:
            uris.append(str(action["/URI"]))
    return uris


@pytest.fixture
def pack(panel_with, client_as, tenant_a):
    setup = panel_with("helena", chair=1, resident=2)
    meeting = schedule(setup, DAY, today=datetime.date(2026, 6, 1))
    performance = services.agenda_item_add(meeting=meeting, title="Performance", today=DAY)
    estates = services.agenda_item_add(meeting=meeting, title="Estate walkabout", today=DAY)
    papers = {
        "report": services.paper_upload(
            item=performance, title="Quarterly report", file=_pdf(2, "quarterly.pdf")
        ),
        "photo": services.paper_upload(
            item=estates, title="Photo of the bin store", file=_image("JPEG", "bins.jpg")
        ),
        "plan": services.paper_upload(
            item=estates,
            title="Site plan",
            file=_image("PNG", "site-plan.png", size=(600, 2400)),
        ),
        "sheet": services.paper_upload(
            item=estates,
            title="Budget spreadsheet",
            file=ContentFile(ooxml_bytes("xlsx"), name="budget.xlsx"),
        ),
        "broken": services.paper_upload(
            item=performance,
            title="Damaged scan",
            file=ContentFile(b"%PDF-1.4 this is not a pdf", name="damaged.pdf"),
        ),
    }
    client = client_as(tenant_a.officer)
    kwargs = {"org_slug": tenant_a.org.slug, "meeting_id": meeting.pk}
    response = client.get(reverse("meetings:agenda_pack", kwargs=kwargs))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    return setup, meeting, papers, reader, client, kwargs


def _contents(reader) -> tuple[int, str]:
    for index, page in enumerate(reader.pages):
        text = page.extract_text()
        if "Contents: papers" in text:
            return index, text
    raise AssertionError("no contents page")


def test_contents_page_lists_every_paper_with_file_name_and_link(pack):
    setup, meeting, papers, reader, _client, _kwargs = pack
    index, text = _contents(reader)
    flat = " ".join(text.split())
    for paper in papers.values():
        # The name as uploaded (what the download gives), never the random stored name.
        assert paper.title in flat and paper.original_name in flat, paper.title
        assert paper.file.name.rsplit("/", 1)[-1] not in flat
    assert "sent separately" in flat
    links = _links(reader.pages[index])
    for paper in papers.values():
        url = reverse("meetings:paper", kwargs={"org_slug": setup.org.slug, "paper_id": paper.pk})
        assert any(link.endswith(url) and link.startswith("http") for link in links), url


def test_pdfs_and_images_are_pages_of_the_pack_in_agenda_order(pack):
    _setup, _meeting, _papers, reader, _client, _kwargs = pack
    index, text = _contents(reader)
    cover_pages = index + 1
    # Quarterly report (2 pages), then the JPEG and the PNG (one page each); the spreadsheet
    # and the unreadable PDF are listed but not included.
    assert len(reader.pages) == cover_pages + 2 + 1 + 1
    flat = " ".join(text.split())
    first = cover_pages + 1
    assert f"Pages {first} to {first + 1}" in flat
    assert f"Page {first + 2}" in flat and f"Page {first + 3}" in flat
    photo, plan = reader.pages[cover_pages + 2], reader.pages[cover_pages + 3]
    assert "Photo of the bin store" in photo.extract_text() and photo.images
    assert "Site plan" in plan.extract_text() and plan.images
    for page in (photo, plan):  # the image fits on an A4 page
        assert float(page.mediabox.height) < 850


def test_letter_pack_carries_the_contents_too(pack):
    setup, meeting, papers, _reader, client, kwargs = pack
    setup.seats[0].person.preferred_channel = "post"
    setup.seats[0].person.save()
    services.papers_issue(meeting=meeting, today=datetime.date(2026, 6, 1))
    letters = PdfReader(
        io.BytesIO(client.get(reverse("meetings:letter_pack", kwargs=kwargs)).content)
    )
    text = " ".join(" ".join(page.extract_text() for page in letters.pages).split())
    sheet = papers["sheet"].original_name
    assert "Budget spreadsheet" in text and sheet in text and "sent separately" in text


def test_a_pack_without_papers_says_so(panel_with, client_as, tenant_a):
    setup = panel_with("helena", resident=1)
    meeting = schedule(setup, DAY, today=datetime.date(2026, 6, 1))
    services.agenda_item_add(meeting=meeting, title="Welcome", today=DAY)
    response = client_as(tenant_a.officer).get(
        reverse(
            "meetings:agenda_pack",
            kwargs={"org_slug": tenant_a.org.slug, "meeting_id": meeting.pk},
        )
    )
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "No papers for this meeting" in text


def test_the_pack_and_the_letters_declare_their_language_and_title(pack):
    """Like the Board report and the public minutes: a reader's screen reader picks the
    right voice (/Lang) and the viewer shows the title, not the file name."""
    setup, meeting, _papers, reader, client, kwargs = pack
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert reader.metadata.title.startswith(f"Agenda and papers: {meeting.panel.name}")
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]
    letters = PdfReader(
        io.BytesIO(client.get(reverse("meetings:letter_pack", kwargs=kwargs)).content)
    )
    assert letters.trailer["/Root"]["/Lang"] == "en-GB"
