"""Receipts: pictures or PDFs up to 10 MB, refused with the limit stated; the API gives
the download page, never storage (docs/security.md)."""

import pytest
from django.urls import reverse

from members.models import ExpenseClaim
from tests import sample_files as sample

pytestmark = pytest.mark.django_db
THIRTY_MB = 30 * 1_000_000


def _claim(seat, receipt):
    return {
        "membership": seat.pk,
        "incurred_on": "2026-05-01",
        "description": "Taxi home",
        "amount": "12.50",
        "receipt": receipt,
    }


def test_a_30_mb_receipt_is_refused_with_the_limit_stated(make_org, client_as):
    stockport = make_org("stockport")
    seat = stockport.seat(stockport.person(user=stockport.member_user))
    huge = sample.upload("receipt.pdf", sample.pdf_bytes() + b"\0" * THIRTY_MB, "application/pdf")
    response = client_as(stockport.member_user).post(
        reverse("members:expense_submit", kwargs={"org_slug": stockport.org.slug}),
        _claim(seat, huge),
    )
    assert response.status_code == 200
    assert "Receipt: “receipt.pdf” is 30 MB; the limit is 10 MB." in response.content.decode()
    assert not ExpenseClaim.objects.exists()


def test_the_api_refuses_a_word_file_as_a_receipt_and_links_the_download_page(make_org, client_as):
    stockport = make_org("stockport")
    seat = stockport.seat(stockport.person(user=stockport.member_user))
    client = client_as(stockport.member_user)
    api = f"/api/v1/{stockport.org.slug}/expenses/"
    refused = client.post(api, _claim(seat, sample.upload("r.docx", sample.ooxml_bytes("docx"))))
    assert refused.status_code == 400
    error = refused.json()["errors"][0]
    assert error["code"] == "upload.kind_not_allowed" and error["field"] == "receipt"
    assert "Allowed: PDF, PNG picture or JPEG picture" in error["message"]
    made = client.post(api, _claim(seat, sample.upload("bus.png", sample.image_bytes())))
    assert made.status_code == 201
    claim = ExpenseClaim.objects.get()
    listed = client.get(api).json()["results"][0]
    download = reverse(
        "members:expense_receipt",
        kwargs={"org_slug": stockport.org.slug, "expense_claim_id": claim.pk},
    )
    assert listed["receipt_name"] == "bus.png"
    assert listed["receipt_url"] == f"http://testserver{download}"
    assert "/media/" not in str(listed)
    picture = client.get(download)
    assert picture["Content-Type"] == "image/png"
    assert picture["Content-Disposition"] == 'inline; filename="bus.png"'
    assert picture["Content-Security-Policy"].startswith("sandbox;")
