"""Uploaded files: what may be stored, under which name, and how it is served.

Every upload is judged by its CONTENT, never by its name: the first bytes must be a PDF,
PNG or JPEG signature, or a ZIP container that declares itself a Word document (DOCX),
an Excel workbook (XLSX) or an OpenDocument text (ODT). An HTML page renamed .pdf, an SVG
or a script is refused with a message naming the field and the kinds allowed; so is a
file over the size limit of its kind (settings.PANELHUB_UPLOAD_LIMITS). Nothing is saved
when a file is refused.

Stored files get random names through Django's storage API (``RandomFileName``); the name
the person gave is kept in a field for display and for Content-Disposition. Files are only
ever served by views that first check the reader's right to the object, through
``file_response``: attachment unless the content really is a PDF or an image, always
``X-Content-Type-Options: nosniff`` and a Content-Security-Policy that lets nothing run.
"""

from __future__ import annotations

import posixpath
import re
import uuid
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible

from panels.errors import RuleViolation

HEAD_BYTES = 8192  # filetype needs at most this much of the start of a file
ODF_TEXT = "application/vnd.oasis.opendocument.text"
OOXML_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
# The content type of the main part that makes an OOXML package a document or a workbook.
OOXML_MAIN_PARTS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
MAX_CONTENT_TYPES_BYTES = 1_000_000  # a real [Content_Types].xml is a few kilobytes


@dataclass(frozen=True)
class FileKind:
    key: str
    label: str
    mime: str
    extension: str
    inline: bool  # safe to show in the browser (PDF and pictures); everything else downloads


PDF = FileKind("pdf", "PDF", "application/pdf", "pdf", inline=True)
PNG = FileKind("png", "PNG picture", "image/png", "png", inline=True)
JPEG = FileKind("jpeg", "JPEG picture", "image/jpeg", "jpg", inline=True)
DOCX = FileKind(
    "docx",
    "Word document (DOCX)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
    inline=False,
)
XLSX = FileKind(
    "xlsx",
    "Excel workbook (XLSX)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsx",
    inline=False,
)
ODT = FileKind("odt", "OpenDocument text (ODT)", ODF_TEXT, "odt", inline=False)
KINDS = {k.key: k for k in (PDF, PNG, JPEG, DOCX, XLSX, ODT)}
_BY_MIME = {k.mime: k for k in KINDS.values()}

DOCUMENTS = (PDF, PNG, JPEG, DOCX, XLSX, ODT)
PICTURES_AND_PDF = (PDF, PNG, JPEG)


@dataclass(frozen=True)
class UploadPolicy:
    """What one kind of upload may be: its allowed kinds and its size limit (a setting)."""

    name: str
    kinds: tuple[FileKind, ...]

    @property
    def max_bytes(self) -> int:
        return int(settings.PANELHUB_UPLOAD_LIMITS[self.name])

    @property
    def kinds_text(self) -> str:
        labels = [k.label for k in self.kinds]
        return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]

    @property
    def help_text(self) -> str:
        return f"{self.kinds_text}; at most {megabytes(self.max_bytes)}."


PAPER = UploadPolicy("paper", DOCUMENTS)
EVIDENCE = UploadPolicy("evidence", DOCUMENTS)
RECEIPT = UploadPolicy("receipt", PICTURES_AND_PDF)
LOGO = UploadPolicy("logo", (PNG, JPEG))


def megabytes(size: int) -> str:
    """A size as people read it: "30 MB", "1.5 MB", "200 KB"."""
    if size >= 1_000_000:
        return f"{round(size / 1_000_000, 1):g} MB"
    return f"{max(1, round(size / 1000))} KB"


def _read_head(file) -> bytes:
    position = file.tell() if hasattr(file, "tell") else None
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(position or 0)
    return head


def _zip_kind(file) -> FileKind | None:
    """DOCX and XLSX declare their main part in [Content_Types].xml; an ODF document names
    its type in the ``mimetype`` entry. A ZIP that declares neither is not a document."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                if archive.getinfo("mimetype").file_size > 200:
                    return None
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                return ODT if declared == ODF_TEXT else None
            if "[Content_Types].xml" in names:
                info = archive.getinfo("[Content_Types].xml")
                if info.file_size > MAX_CONTENT_TYPES_BYTES:
                    return None
                types = archive.read(info).decode("utf-8", "replace")
                if OOXML_TYPES not in types:
                    return None
                for key, main_part in OOXML_MAIN_PARTS.items():
                    if f'ContentType="{main_part}"' in types:
                        return KINDS[key]
            return None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError):
        return None
    finally:
        file.seek(0)


def file_kind_of(file) -> FileKind | None:
    """The allowed kind this content is, or None: decided by the bytes, never the name."""
    head = _read_head(file)
    if not head:
        return None
    guess = filetype.guess(head)
    if guess is None:
        return None
    if guess.mime in (PDF.mime, PNG.mime, JPEG.mime):
        return _BY_MIME[guess.mime]
    if guess.mime == "application/zip" or guess.mime in (DOCX.mime, XLSX.mime, ODT.mime):
        return _zip_kind(file)
    return None


def upload_check(*, upload, policy: UploadPolicy, field: str, label: str) -> FileKind:
    """The kind of an upload that ``policy`` allows, or RuleViolation naming the field.

    ``label`` is how the page names the field ("Paper", "Receipt")."""
    name = getattr(upload, "name", "") or "the file"
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
        upload.seek(0)
    if size > policy.max_bytes:
        raise RuleViolation(
            code="upload.too_large",
            message=(
                f"{label}: “{posixpath.basename(name)}” is {megabytes(size)}; "
                f"the limit is {megabytes(policy.max_bytes)}."
            ),
            field=field,
        )
    kind = file_kind_of(upload) if size else None
    if kind is None or kind not in policy.kinds:
        raise RuleViolation(
            code="upload.kind_not_allowed",
            message=(
                f"{label}: “{posixpath.basename(name)}” is not a file of an allowed kind "
                f"(its content is checked, not its name). Allowed: {policy.kinds_text}."
            ),
            field=field,
        )
    return kind


def original_name(upload, kind: FileKind) -> str:
    """The name the person gave, cleaned for display and Content-Disposition, with the
    extension of what the content really is."""
    base = posixpath.basename(str(getattr(upload, "name", "") or "").replace("\\", "/"))
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = re.sub(r"[\x00-\x1f\x7f\"\\/]", "", stem).strip()[:150] or "file"
    return f"{stem}.{kind.extension}"


@deconstructible
class RandomFileName:
    """upload_to: ``<prefix>/<organisation id>/<random>.<ext>``: nothing in a stored name
    comes from the uploader except the extension of the checked kind."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, instance, filename: str) -> str:
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        extension = extension if re.fullmatch(r"[a-z0-9]{1,5}", extension) else "bin"
        # Tenant rows file under their organisation; an organisation's own files (its logo)
        # under itself.
        org = getattr(instance, "organisation_id", getattr(instance, "pk", None)) or "shared"
        return f"{self.prefix}/{org}/{uuid.uuid4().hex}.{extension}"

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomFileName) and other.prefix == self.prefix


def store_upload(fieldfile, upload, kind: FileKind) -> str:
    """Save a checked upload under a random name; return the original name to keep."""
    keep = original_name(upload, kind)
    upload.seek(0)
    fieldfile.save(f"upload.{kind.extension}", upload, save=False)
    return keep


class FileMissing(Http404):
    """The row names a file that is not in storage (lost, or never copied after a restore)."""


# Nothing in a served file may run, load or frame anything. Pictures are shown by the
# browser's own image page (which needs inline styles); PDFs by its viewer, which Chrome
# refuses to start in a sandboxed document, so a PDF gets every directive but sandbox.
CSP_ATTACHMENT = "sandbox; default-src 'none'; frame-ancestors 'none'"
CSP_PICTURE = (
    "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'"
)
CSP_PDF = "default-src 'none'; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'self'"


def file_response(
    *, fieldfile, filename: str, missing: str, attachment: bool = False
) -> FileResponse:
    """Serve a stored file to a reader whose right to it the caller has checked.

    Inline only when the bytes really are a PDF or a picture (and ``attachment`` is not
    asked for), otherwise an attachment; ``missing`` is said (404) when storage has no
    such file."""
    if not fieldfile:
        raise FileMissing(missing)
    try:
        handle = fieldfile.storage.open(fieldfile.name, "rb")
    except (FileNotFoundError, OSError):
        raise FileMissing(missing) from None
    kind = file_kind_of(handle)
    inline = kind is not None and kind.inline and not attachment
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=filename,
        content_type=kind.mime if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    if inline and kind is PDF:
        response["Content-Security-Policy"] = CSP_PDF
    elif inline:
        response["Content-Security-Policy"] = CSP_PICTURE
    else:
        response["Content-Security-Policy"] = CSP_ATTACHMENT
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
