"""Uploads are judged by content, stored under random names and never served from storage
directly (docs/security.md, "Uploads and downloads")."""

import importlib
import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import clear_url_caches, reverse

from panels import files
from panels.errors import RuleViolation
from panels.models import Organisation, User
from tests import sample_files as sample

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (sample.pdf_bytes(), files.PDF),
        (sample.image_bytes("PNG"), files.PNG),
        (sample.image_bytes("JPEG"), files.JPEG),
        (sample.ooxml_bytes("docx"), files.DOCX),
        (sample.ooxml_bytes("xlsx"), files.XLSX),
        (sample.odt_bytes(), files.ODT),
    ],
)
def test_each_allowed_kind_is_recognised_by_its_content(content, kind):
    assert files.file_kind_of(ContentFile(content, name="whatever.bin")) is kind


@pytest.mark.parametrize(
    "content",
    [
        sample.HTML,
        sample.SVG,
        sample.SCRIPT,
        b"",
        b"<html>%PDF-1.4</html>",
        sample.plain_zip_bytes(),
        sample.ooxml_bytes("pptx"),  # an office format the organisations do not use
        sample.odt_bytes("application/vnd.oasis.opendocument.spreadsheet"),
        b"PK\x03\x04 not really a zip",
    ],
    ids=["html", "svg", "script", "empty", "html-with-pdf-marker", "zip", "pptx", "ods", "junk"],
)
def test_anything_else_is_no_allowed_kind_whatever_its_name(content):
    assert files.file_kind_of(ContentFile(content, name="paper.pdf")) is None


def test_a_refusal_names_the_field_and_the_kinds_allowed():
    with pytest.raises(RuleViolation) as refused:
        files.upload_check(
            upload=ContentFile(sample.HTML, name="agenda.pdf"),
            policy=files.PAPER,
            field="file",
            label="Paper",
        )
    reason = refused.value.reasons[0]
    assert reason.code == "upload.kind_not_allowed" and reason.field == "file"
    assert reason.message.startswith("Paper: “agenda.pdf” is not a file of an allowed kind")
    assert "PDF, PNG picture, JPEG picture, Word document (DOCX)" in reason.message


def test_size_limits_are_per_kind_and_configurable(settings):
    assert files.PAPER.max_bytes == 20_000_000
    assert files.RECEIPT.max_bytes == files.EVIDENCE.max_bytes == 10_000_000
    settings.PANELHUB_UPLOAD_LIMITS = {**settings.PANELHUB_UPLOAD_LIMITS, "paper": 1000}
    with pytest.raises(RuleViolation) as refused:
        files.upload_check(
            upload=ContentFile(sample.pdf_bytes() + b"\0" * 2000, name="big.pdf"),
            policy=files.PAPER,
            field="file",
            label="Paper",
        )
    assert refused.value.code == "upload.too_large"
    assert "the limit is 1 KB" in refused.value.reasons[0].message


def test_stored_names_are_random_and_keep_nothing_of_the_uploader_but_the_checked_kind():
    name = files.RandomFileName("papers")
    org = Organisation(pk=7)
    first = name(type("Row", (), {"organisation_id": org.pk})(), "upload.pdf")
    second = name(type("Row", (), {"organisation_id": org.pk})(), "upload.pdf")
    assert re.fullmatch(r"papers/7/[0-9a-f]{32}\.pdf", first) and first != second
    assert name(None, "x.p<h>p").endswith(".bin")
    upload = ContentFile(b"", name='..\\..\\evil"\n.html')
    assert files.original_name(upload, files.PDF) == "evil.pdf"


@pytest.mark.django_db
def test_media_is_never_served_not_even_with_debug(client, settings):
    """The static() media route is gone: with DEBUG on, /media/... is still a 404."""
    from django.core.files.storage import default_storage

    default_storage.save("papers/1/secret.html", ContentFile(sample.HTML))
    urls = importlib.import_module("panelhub.urls")
    try:
        with override_settings(DEBUG=True):
            importlib.reload(urls)
            clear_url_caches()
            assert not [p for p in urls.urlpatterns if "media" in str(p.pattern)]
            response = client.get("/media/papers/1/secret.html")
            assert response.status_code == 404
            assert b"<script>" not in response.content
    finally:
        importlib.reload(urls)
        clear_url_caches()


TEMPLATE_FILE_URL = re.compile(r"\.(file|receipt|pdf|logo|source_file)\.url\b")


def test_no_template_serializer_or_view_links_to_storage():
    """Files are reached only through views that check the reader's right: no `.url` of a
    stored file anywhere in templates or code."""
    offenders = []
    for path in list(ROOT.glob("templates/**/*.html")) + [
        p for p in ROOT.glob("*/**/*.py") if ".venv" not in p.parts and "tests" not in p.parts
    ]:
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            if TEMPLATE_FILE_URL.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


@pytest.mark.django_db
def test_a_logo_is_checked_like_every_upload_in_the_admin(client_as, tenant_a):
    root = User.objects.create_superuser(email="root@example.com", password="x")
    client = client_as(root)
    url = reverse("admin:panels_organisation_change", args=[tenant_a.org.pk])
    form = {"name": tenant_a.org.name, "slug": tenant_a.org.slug, "nation": "ENG"}
    refused = client.post(url, {**form, "logo": sample.upload("logo.png", sample.SVG)})
    assert refused.status_code == 200
    assert "Logo: “logo.png” is not a file of an allowed kind" in refused.content.decode()
    tenant_a.org.refresh_from_db()
    assert not tenant_a.org.logo
    saved = client.post(url, {**form, "logo": sample.upload("logo.png", sample.image_bytes())})
    assert saved.status_code == 302
    tenant_a.org.refresh_from_db()
    assert re.fullmatch(rf"logos/{tenant_a.org.pk}/[0-9a-f]{{32}}\.png", tenant_a.org.logo.name)
    page = client.get(url).content.decode()
    assert "/media/" not in page and tenant_a.org.logo.name not in page
