"""Meeting PDFs: the agenda pack (cover and agenda by WeasyPrint, uploaded PDF papers appended
with pypdf), the printable letter pack for members who get papers by post, and published
minutes. Rendered offline (panelhub.pdf refuses the network)."""

import io
import logging

from pypdf import PdfWriter
from pypdf.errors import PyPdfError

from panelhub.pdf import render_pdf

logger = logging.getLogger(__name__)


def _append_papers(writer: PdfWriter, items) -> list[str]:
    """Append each item's uploaded PDF papers; returns the titles that could not be read."""
    unreadable = []
    for item in items:
        for paper in item.papers.all():
            if not paper.is_pdf:
                continue
            try:
                with paper.file.open("rb") as handle:
                    writer.append(io.BytesIO(handle.read()))
            except (OSError, PyPdfError, ValueError):
                logger.warning("Paper %s could not be appended to the pack", paper.pk)
                unreadable.append(paper.title)
    return unreadable


def agenda_pack_pdf(*, meeting, items) -> bytes:
    """The agenda pack for members of the panel (confidential items included: members only)."""
    writer = PdfWriter()
    cover = render_pdf("meetings/pdf/agenda_pack.html", {"meeting": meeting, "items": items})
    writer.append(io.BytesIO(cover))
    _append_papers(writer, items)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def letter_pack_pdf(*, meeting, items, people) -> bytes:
    """One covering letter per member who gets papers by post, each followed by the pack."""
    pack = agenda_pack_pdf(meeting=meeting, items=items)
    writer = PdfWriter()
    for person in people:
        letter = render_pdf("meetings/pdf/letter.html", {"meeting": meeting, "person": person})
        writer.append(io.BytesIO(letter))
        writer.append(io.BytesIO(pack))
    if not people:
        writer.append(io.BytesIO(render_pdf("meetings/pdf/letter.html", {"meeting": meeting})))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def public_minutes_pdf(*, meeting, minutes, key_messages=None) -> bytes:
    """Published minutes from the frozen public text only: no confidential item can appear."""
    return render_pdf(
        "meetings/pdf/public_minutes.html",
        {"meeting": meeting, "minutes": minutes, "key_messages": key_messages},
    )
