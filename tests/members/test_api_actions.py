"""API actions: re-appointment, declarations, training and expenses, through the same
services as the pages, with the same 400 reasons."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from members.models import Declaration, ExpenseClaim, MembershipStatus, TrainingRecord
from panels.models import OrganisationRole, User

D = datetime.date


def api(slug, path):
    return f"/api/v1/{slug}/{path}"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.django_db
def test_reappoint_within_limits_and_refused_past_them(make_org, client_as):
    ivh = make_org("ivh")
    seat = ivh.seat(starts_on=D(2020, 4, 1), term_ends_on=D(2023, 3, 31))
    client = client_as(ivh.officer)
    path = api("ivh", f"memberships/{seat.pk}/reappoint/")
    no_one = client.post(path, {"decided_by": ""}, content_type="application/json")
    assert no_one.status_code == 400
    assert "term.decided_by_required" in {e["code"] for e in no_one.json()["errors"]}
    ok = client.post(
        path, {"decided_by": "Panel", "reason": "Good"}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["term_number"] == 2
    client.post(path, {"decided_by": "Panel"}, content_type="application/json")
    past = client.post(path, {"decided_by": "Panel"}, content_type="application/json")
    assert past.status_code == 400
    errors = past.json()["errors"]
    assert errors[0]["code"].startswith("term.") and "(v1)" in errors[0]["source"]
    seat.refresh_from_db()
    assert seat.term_number == 3


@pytest.mark.django_db
def test_declarations_and_training_through_the_api(make_org, client_as):
    stockport = make_org("stockport")
    seat = stockport.seat(status=MembershipStatus.PENDING_TRAINING)
    client = client_as(stockport.officer)
    bad = client.post(
        api("stockport", f"people/{seat.person_id}/declarations/"),
        {"kind": "open_asb_case", "applies_from": "2026-05-01", "applies_until": "2026-04-01"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["code"] == "declaration.dates"
    assert not Declaration.objects.exists()
    made = client.post(
        api("stockport", f"people/{seat.person_id}/declarations/"),
        {"kind": "open_asb_case", "applies_from": "2026-05-01"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["recorded_by"] == str(stockport.officer)
    listed = client.get(api("stockport", f"people/{seat.person_id}/declarations/")).json()
    assert [d["kind"] for d in listed] == ["open_asb_case"]
    ended = client.post(
        api("stockport", f"declarations/{made.json()['id']}/end/"),
        {"applies_until": "2026-05-31"},
        content_type="application/json",
    )
    assert ended.status_code == 200 and ended.json()["applies_until"] == "2026-05-31"
    trained = client.post(
        api("stockport", f"people/{seat.person_id}/training/"),
        {"kind": "core", "title": "Core training", "completed_on": "2026-06-01"},
        content_type="application/json",
    )
    assert trained.status_code == 201 and TrainingRecord.objects.count() == 1
    seat.refresh_from_db()
    assert seat.status == MembershipStatus.ACTIVE
    member = client_as(stockport.member_user)
    assert member.get(api("stockport", f"people/{seat.person_id}/declarations/")).status_code == 403


@pytest.mark.django_db
def test_expenses_api_receipt_rule_own_seats_and_decisions(make_org, client_as, media):
    stockport = make_org("stockport")
    mine = stockport.seat(stockport.person(user=stockport.member_user))
    theirs = stockport.seat()
    member = client_as(stockport.member_user)
    claim = {
        "membership": mine.pk,
        "incurred_on": "2026-05-01",
        "description": "Bus",
        "amount": "4.20",
    }
    no_receipt = member.post(api("stockport", "expenses/"), claim)
    assert no_receipt.status_code == 400
    assert no_receipt.json()["errors"][0]["code"] == "expenses.receipt_required"
    someone_else = member.post(
        api("stockport", "expenses/"),
        {**claim, "membership": theirs.pk, "receipt": SimpleUploadedFile("r.pdf", b"%PDF")},
    )
    assert someone_else.status_code == 404
    assert not ExpenseClaim.objects.exists()
    made = member.post(
        api("stockport", "expenses/"), {**claim, "receipt": SimpleUploadedFile("r.pdf", b"%PDF")}
    )
    assert made.status_code == 201 and made.json()["has_receipt"] is True
    claim_id = made.json()["id"]
    assert len(member.get(api("stockport", "expenses/")).json()["results"]) == 1
    forbidden = member.post(
        api("stockport", f"expenses/{claim_id}/decide/"),
        {"approve": True, "on": "2026-05-02"},
        content_type="application/json",
    )
    assert forbidden.status_code == 403
    member.logout()
    officer = client_as(stockport.officer)
    refused = officer.post(
        api("stockport", f"expenses/{claim_id}/decide/"),
        {"approve": False, "on": "2026-05-02"},
        content_type="application/json",
    )
    assert (
        refused.status_code == 400
        and refused.json()["errors"][0]["code"] == "expenses.refusal_reason"
    )
    approved = officer.post(
        api("stockport", f"expenses/{claim_id}/decide/"),
        {"approve": True, "on": "2026-05-02"},
        content_type="application/json",
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    other = User.objects.create_user(email="x@stockport.test", password="x")
    OrganisationRole.objects.create(user=other, organisation=stockport.org, role="member")
    officer.logout()
    assert client_as(other).get(api("stockport", f"expenses/{claim_id}/")).status_code == 404


@pytest.mark.django_db
def test_schema_lists_the_new_actions(schema_client):
    body = schema_client.get("/api/schema/").content.decode()
    for path in (
        "/memberships/{id}/reappoint/",
        "/people/{id}/declarations/",
        "/people/{id}/training/",
        "/declarations/{id}/end/",
        "/expenses/{id}/decide/",
    ):
        assert path in body, path
