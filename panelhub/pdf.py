"""HTML to PDF with WeasyPrint, never touching the network.

Templates reference static files with ``{% static %}`` (``/static/...``) and charts as
``data:`` URIs. The url_fetcher serves those from the local static finders and refuses
everything else, so a report renders the same offline and a missing or broken image
leaves the rest of the document intact (WeasyPrint logs it and carries on).
"""

import io
import logging
import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from pypdf import PdfWriter
from pypdf.generic import NameObject, TextStringObject
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# Documents are rendered against this base so "/static/..." resolves to a URL the
# fetcher recognises; nothing is ever requested from it.
LOCAL_BASE_URL = "https://panelhub.invalid/"


class RemoteResourceRefused(ValueError):
    """A document asked for a resource outside the project's static files."""


class LocalOnlyURLFetcher(URLFetcher):
    """Serves data: URIs and the project's static files; refuses everything else."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols={"data", "https"}, allow_redirects=False, **kwargs)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith(LOCAL_BASE_URL):
            path = "/" + url[len(LOCAL_BASE_URL) :].split("?")[0]
            if path.startswith(settings.STATIC_URL):
                found = finders.find(path[len(settings.STATIC_URL) :])
                if found:
                    content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
                    return URLFetcherResponse(
                        url, Path(found).read_bytes(), {"Content-Type": content_type}
                    )
        raise RemoteResourceRefused(f"PDF rendering refuses to fetch {url!r}")


def html_to_pdf(html: str, *, tagged: bool = True) -> bytes:
    """A4 PDF bytes from HTML; tagged (accessible structure) where WeasyPrint supports it."""
    document = HTML(string=html, base_url=LOCAL_BASE_URL, url_fetcher=LocalOnlyURLFetcher())
    return document.write_pdf(pdf_tags=tagged)


def render_pdf(template_name: str, context: dict, *, tagged: bool = True) -> bytes:
    return html_to_pdf(render_to_string(template_name, context), tagged=tagged)


def document_language() -> str:
    """The documents' language as a BCP 47 tag (LANGUAGE_CODE en-gb -> en-GB)."""
    language, _, region = settings.LANGUAGE_CODE.partition("-")
    return f"{language}-{region.upper()}" if region else language


def merged_pdf(parts: list[bytes], *, title: str) -> bytes:
    """Several PDFs as one, keeping what a reader needs from the document as a whole: its
    language (/Lang in the catalogue, as WeasyPrint writes for a single document), its title
    shown in place of the file name, and the tagged structure of the first part (the cover
    and agenda PanelHub renders, or a letter): the writer starts as a copy of that part, so
    its structure tree and /MarkInfo stay, and the other parts' pages follow (papers as they
    were uploaded, which the accessibility statement names as an exception). pypdf's plain
    merge would drop the language and the structure tree of every part."""
    writer = PdfWriter(clone_from=io.BytesIO(parts[0])) if parts else PdfWriter()
    for part in parts[1:]:
        writer.append(io.BytesIO(part))
    writer.root_object[NameObject("/Lang")] = TextStringObject(document_language())
    writer.add_metadata({"/Title": title})
    writer.create_viewer_preferences()
    writer.viewer_preferences.display_doctitle = True
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
