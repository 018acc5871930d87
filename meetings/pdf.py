"""Meeting PDFs: the agenda pack, the printable letter pack for members who get papers by
post, and published minutes. Rendered offline (panelhub.pdf refuses the network).

The agenda pack is a cover with the agenda and a contents page listing **every** paper
(title, file name, link, and where it is in the pack), then the papers in agenda order:
PDFs appended with pypdf, PNG and JPEG images placed one to a page; other formats are
listed with a note that they are sent separately."""

import base64
import datetime
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from panelhub.pdf import merged_pdf, render_pdf
from panels.letters import letter_sender

logger = logging.getLogger(__name__)

IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


class PackKind:
    PDF = "pdf"
    IMAGE = "image"
    SEPARATE = "separate"
    UNREADABLE = "unreadable"


@dataclass
class PackPaper:
    """One paper as the pack presents it: how it is included and from which page."""

    paper: object
    item: object
    number: int
    file_name: str
    url: str
    kind: str
    body: bytes = b""
    first_page: int | None = None
    pages: int = 0

    @property
    def title(self) -> str:
        return self.paper.title

    @property
    def included(self) -> bool:
        return self.kind in (PackKind.PDF, PackKind.IMAGE)

    @property
    def note(self) -> str:
        if self.kind == PackKind.SEPARATE:
            return "Not in this pack: sent separately (ask the officer if you do not have it)."
        if self.kind == PackKind.UNREADABLE:
            return "Could not be included: sent separately (ask the officer)."
        if self.pages > 1:
            return f"Pages {self.first_page} to {self.first_page + self.pages - 1}"
        return f"Page {self.first_page}"


def _read(paper) -> bytes | None:
    try:
        with paper.file.open("rb") as handle:
            return handle.read()
    except (OSError, ValueError):
        logger.warning("Paper %s could not be read for the pack", paper.pk)
        return None


def _classify(paper, data: bytes | None) -> tuple[str, int]:
    """(kind, pages) of a paper's file: a readable PDF, a PNG/JPEG image, something sent
    separately, or unreadable."""
    name = paper.file.name.lower()
    if data is None:
        return PackKind.UNREADABLE, 0
    if name.endswith(".pdf"):
        try:
            return PackKind.PDF, len(PdfReader(io.BytesIO(data)).pages)
        except (PyPdfError, ValueError, OSError):
            logger.warning("Paper %s is not a readable PDF", paper.pk)
            return PackKind.UNREADABLE, 0
    if name.endswith((".png", ".jpg", ".jpeg")):
        try:
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
                if image.format in IMAGE_FORMATS:
                    return PackKind.IMAGE, 1
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            logger.warning("Paper %s is not a readable image", paper.pk)
        return PackKind.UNREADABLE, 0
    return PackKind.SEPARATE, 0


def pack_papers(*, items, paper_url: Callable[[object], str]) -> list[PackPaper]:
    """Every paper of the agenda, in agenda order, classified for the pack."""
    result = []
    for item in items:
        for paper in item.papers.all():
            data = _read(paper)
            kind, pages = _classify(paper, data)
            result.append(
                PackPaper(
                    paper=paper,
                    item=item,
                    number=len(result) + 1,
                    file_name=paper.file_name,
                    url=paper_url(paper),
                    kind=kind,
                    body=data if kind in (PackKind.PDF, PackKind.IMAGE) else b"",
                    pages=pages,
                )
            )
    return result


def _image_page(entry: PackPaper) -> bytes:
    with Image.open(io.BytesIO(entry.body)) as image:
        mime = IMAGE_FORMATS[image.format]
    data_uri = f"data:{mime};base64,{base64.b64encode(entry.body).decode()}"
    return render_pdf("meetings/pdf/image_paper.html", {"entry": entry, "src": data_uri})


def _number_pages(papers: list[PackPaper], first: int) -> None:
    page = first
    for entry in papers:
        if entry.included:
            entry.first_page = page
            page += entry.pages


def agenda_pack_pdf(*, meeting, items, paper_url: Callable[[object], str] = lambda p: "") -> bytes:
    """The agenda pack for members of the panel (confidential items included: members only).

    ``paper_url(paper)`` gives the absolute address of a paper, printed and linked on the
    contents page."""
    papers = pack_papers(items=items, paper_url=paper_url)
    image_pages = {id(e): _image_page(e) for e in papers if e.kind == PackKind.IMAGE}
    for entry in papers:
        if entry.kind == PackKind.IMAGE:
            entry.pages = len(PdfReader(io.BytesIO(image_pages[id(entry)])).pages)

    def cover_with(first_page: int) -> bytes:
        _number_pages(papers, first_page)
        return render_pdf(
            "meetings/pdf/agenda_pack.html",
            {"meeting": meeting, "items": items, "papers": papers},
        )

    # The contents give each paper's page, which depends on the cover's own length:
    # render until the numbering is stable (twice in practice).
    cover_pages = 1
    for _ in range(3):
        cover = cover_with(cover_pages + 1)
        pages = len(PdfReader(io.BytesIO(cover)).pages)
        if pages == cover_pages:
            break
        cover_pages = pages
    parts = [cover]
    for entry in papers:
        if entry.kind == PackKind.PDF:
            parts.append(entry.body)
        elif entry.kind == PackKind.IMAGE:
            parts.append(image_pages[id(entry)])
    return merged_pdf(
        parts, title=f"Agenda and papers: {meeting.panel.name}, {meeting.date:%d %B %Y}"
    )


def covering_letter_pdf(*, meeting, person, officer=None, on: datetime.date) -> bytes:
    """The dated covering letter of a member's posted papers: the organisation's address,
    the officer's name, phone and email, in large print if the member asked for it."""
    return render_pdf(
        "meetings/pdf/covering_letter.html",
        {
            "meeting": meeting,
            "person": person,
            "on": on,
            "sender": letter_sender(org=meeting.organisation, officer=officer),
            "large_print": bool(person is not None and person.large_print),
        },
    )


def papers_letter_pdf(
    *, issue, paper_url: Callable[[object], str] = lambda p: "", pack: bytes | None = None
) -> bytes:
    """One member's posted papers: the covering letter, then the agenda pack."""
    meeting = issue.meeting
    if pack is None:
        from meetings.selectors import agenda_pack_items

        pack = agenda_pack_pdf(
            meeting=meeting, items=agenda_pack_items(meeting=meeting), paper_url=paper_url
        )
    letter = covering_letter_pdf(
        meeting=meeting, person=issue.person, officer=issue.issued_by, on=issue.issued_on
    )
    return merged_pdf(
        [letter, pack],
        title=f"Papers for {issue.person.full_name}: {meeting.panel.name}, {meeting.date:%d %B %Y}",
    )


def letter_pack_pdf(
    *,
    meeting,
    items,
    people,
    paper_url: Callable[[object], str] = lambda p: "",
    officer=None,
    on: datetime.date | None = None,
) -> bytes:
    """One covering letter per member who gets papers by post, each followed by the pack."""
    pack = agenda_pack_pdf(meeting=meeting, items=items, paper_url=paper_url)
    on = on or meeting.papers_issued_on or timezone.localdate()
    parts = []
    for person in people:
        parts.append(covering_letter_pdf(meeting=meeting, person=person, officer=officer, on=on))
        parts.append(pack)
    if not people:
        parts.append(covering_letter_pdf(meeting=meeting, person=None, on=on))
    return merged_pdf(parts, title=f"Letters: {meeting.panel.name}, {meeting.date:%d %B %Y}")


def public_minutes_pdf(*, meeting, minutes, key_messages=None) -> bytes:
    """Published minutes from the frozen public text only: no confidential item can appear."""
    return render_pdf(
        "meetings/pdf/public_minutes.html",
        {"meeting": meeting, "minutes": minutes, "key_messages": key_messages},
    )
