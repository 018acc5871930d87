"""Officer pages for the actions that were services only: each refusal shows the rule and
its document on the form, keeps what was typed, and saves nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members import services
from members.models import (
    Application,
    ApplicationStatus,
    ChairElection,
    ConductSignature,
    Declaration,
    ExpenseClaim,
    ExpenseStatus,
    InterestDeclaration,
    LeaveOfAbsence,
    MemberReview,
    Membership,
    MembershipStatus,
    Remark,
    Removal,
)

D = datetime.date


def url(name, org, **kwargs):
    return reverse(f"members:{name}", kwargs={"org_slug": org.org.slug, **kwargs})


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return tmp_path


@pytest.mark.django_db
def test_declaration_recorded_with_who_and_when_and_ended(make_org, client_as):
    tht = make_org("tht")
    person = tht.person()
    client = client_as(tht.officer)
    bad = client.post(
        url("declaration_new", tht, person_id=person.pk),
        {
            "kind": "ccj_or_nsp",
            "applies_from": "2026-03-01",
            "applies_until": "2026-02-01",
            "note": "Typed note kept",
        },
    )
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "cannot stop applying before it starts" in body and "Typed note kept" in body
    assert not Declaration.objects.exists()
    ok = client.post(
        url("declaration_new", tht, person_id=person.pk),
        {"kind": "ccj_or_nsp", "applies_from": "2026-03-01"},
    )
    assert ok.status_code == 302
    declaration = Declaration.objects.get()
    assert declaration.recorded_by == tht.officer and declaration.recorded_on is not None
    end = url("declaration_end", tht, pk=declaration.pk)
    assert client.post(end, {"applies_until": "2026-01-01"}).status_code == 200
    declaration.refresh_from_db()
    assert declaration.applies_until is None
    assert client.post(end, {"applies_until": "2026-05-01"}).status_code == 302
    declaration.refresh_from_db()
    assert declaration.applies_until == D(2026, 5, 1)


@pytest.mark.django_db
def test_core_training_page_activates_an_awaiting_seat_at_stockport(make_org, client_as):
    stockport = make_org("stockport")
    seat = stockport.seat(status=MembershipStatus.PENDING_TRAINING)
    response = client_as(stockport.officer).post(
        url("training_new", stockport, person_id=seat.person_id),
        {"kind": "core", "title": "Core training", "completed_on": "2026-05-01"},
    )
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.status == MembershipStatus.ACTIVE
    assert seat.events.filter(kind="activated").exists()


@pytest.mark.django_db
def test_conduct_interest_and_remark_refusals_then_saved(make_org, client_as):
    ivh = make_org("ivh")
    person = ivh.person()
    client = client_as(ivh.officer)
    conduct = url("conduct_new", ivh, person_id=person.pk)
    assert client.get(conduct).status_code == 200
    bad = client.post(conduct, {"panel": ivh.panel.pk, "version": " ", "signed_on": "2026-05-01"})
    assert bad.status_code == 200 and not ConductSignature.objects.exists()
    client.post(conduct, {"panel": ivh.panel.pk, "version": "2024", "signed_on": "2026-05-01"})
    assert ConductSignature.objects.get().version == "2024"

    client.post(
        url("interest_new", ivh, person_id=person.pk),
        {"interest": "Landlord of a private let", "declared_on": "2026-04-01"},
    )
    entry = InterestDeclaration.objects.get()
    close = url("interest_end", ivh, interest_declaration_id=entry.pk)
    early = client.post(close, {"ended_on": "2026-03-01"})
    assert "cannot end before it was declared" in early.content.decode()
    assert client.post(close, {"ended_on": "2026-06-01"}).status_code == 302
    again = client.post(close, {"ended_on": "2026-07-01"})
    assert "already closed" in again.content.decode()
    entry.refresh_from_db()
    assert entry.ended_on == D(2026, 6, 1)

    blank = client.post(url("remark_new", ivh, person_id=person.pk), {"text": "   "})
    assert blank.status_code == 200 and not Remark.objects.exists()
    client.post(url("remark_new", ivh, person_id=person.pk), {"text": "Keen on repairs."})
    assert Remark.objects.get().written_by == ivh.officer


@pytest.mark.django_db
def test_review_only_where_the_terms_provide(make_org, client_as):
    helena, tht = make_org("helena"), make_org("tht")
    form = {"kind": "annual_review", "held_on": "2026-05-01", "training_needs": "Data skills"}
    refused = client_as(helena.officer).post(
        url("review", helena, membership_id=helena.seat().pk), form
    )
    body = refused.content.decode()
    assert "do not provide for this review" in body and "(v1)" in body and "Data skills" in body
    assert not MemberReview.objects.exists()
    seat = tht.seat()
    ok = client_as(tht.officer).post(url("review", tht, membership_id=seat.pk), form)
    assert ok.status_code == 302 and seat.reviews.get().training_needs == "Data skills"


@pytest.mark.django_db
def test_leave_return_refusals(make_org, client_as):
    stockport = make_org("stockport")
    seat = stockport.seat()
    leave = services.leave_grant(
        membership=seat, starts_on=D(2026, 5, 1), ends_on=D(2026, 7, 31), today=D(2026, 5, 2)
    )
    client = client_as(stockport.officer)
    page = url("leave_return", stockport, leave_of_absence_id=leave.pk)
    early = client.post(page, {"returned_on": "2026-04-01"})
    assert "cannot precede the leave" in early.content.decode()
    seat.refresh_from_db()
    assert seat.status == MembershipStatus.ON_LEAVE
    assert client.post(page, {"returned_on": "2026-06-15"}).status_code == 302
    seat.refresh_from_db()
    assert seat.status == MembershipStatus.ACTIVE
    assert "already returned" in client.post(page, {"returned_on": "2026-06-20"}).content.decode()
    assert LeaveOfAbsence.objects.get().returned_on == D(2026, 6, 15)


@pytest.mark.django_db
def test_removal_and_appeal_to_the_lead_officer_whose_decision_is_final(make_org, client_as):
    stockport = make_org("stockport")
    seat = stockport.seat()
    client = client_as(stockport.officer)
    remove = url("remove", stockport, membership_id=seat.pk)
    assert "reason for the removal" in client.post(remove, {"on": "2026-05-01"}).content.decode()
    seat.refresh_from_db()
    assert seat.status == MembershipStatus.ACTIVE and not Removal.objects.exists()
    client.post(remove, {"on": "2026-05-01", "reason": "Acted against the code of conduct"})
    removal = Removal.objects.get()
    assert removal.appeal_to == "Lead Officer" and removal.appeal_final
    appeal = url("appeal", stockport, removal_id=removal.pk)
    page = client.get(appeal).content.decode()
    assert "Lead Officer, whose decision is final" in page
    unwritten = client.post(
        appeal,
        {
            "received_on": "2026-05-10",
            "outcome": "upheld",
            "decided_on": "2026-05-20",
            "decision_reason": "Typed reason kept",
        },
    )
    body = unwritten.content.decode()
    assert "in writing to the Lead Officer" in body and "Typed reason kept" in body
    removal.refresh_from_db()
    assert removal.appeal_outcome == ""
    written = {
        "received_on": "2026-05-10",
        "appeal_text": "I was provoked.",
        "outcome": "upheld",
        "decided_on": "2026-05-20",
        "decision_reason": "Conduct confirmed.",
    }
    assert client.post(appeal, written).status_code == 302
    second = client.post(appeal, {**written, "outcome": "overturned"})
    assert "decision on the appeal is final" in second.content.decode()
    removal.refresh_from_db()
    seat.refresh_from_db()
    assert removal.appeal_outcome == "upheld" and seat.status == MembershipStatus.REMOVED


@pytest.mark.django_db
def test_election_with_votes_and_chair_rules(make_org, client_as):
    ivh = make_org("ivh")
    staff, resident, other = ivh.seat(), ivh.seat(), ivh.seat()
    services.declaration_record(person=staff.person, kind="employee", applies_from=D(2020, 1, 1))
    client = client_as(ivh.officer)
    page = url("election", ivh, panel_slug=ivh.panel.slug)
    assert resident.person.full_name in client.get(page).content.decode()
    refused = client.post(
        page,
        {
            "role": "chair",
            "held_on": "2026-04-15",
            "elected": staff.pk,
            "votes_cast": "3",
            f"votes_{staff.pk}": "2",
            f"votes_{other.pk}": "1",
        },
    )
    assert refused.status_code == 200 and "(v1)" in refused.content.decode()
    too_many = client.post(
        page,
        {
            "role": "chair",
            "held_on": "2026-04-15",
            "elected": resident.pk,
            "votes_cast": "2",
            f"votes_{resident.pk}": "2",
            f"votes_{other.pk}": "1",
        },
    )
    assert "More votes were counted than were cast" in too_many.content.decode()
    assert not ChairElection.objects.exists()
    ok = client.post(
        page,
        {
            "role": "chair",
            "held_on": "2026-04-15",
            "elected": resident.pk,
            "votes_cast": "3",
            f"votes_{resident.pk}": "2",
            f"votes_{other.pk}": "1",
        },
    )
    assert ok.status_code == 302
    election = ChairElection.objects.get()
    assert election.votes == {str(resident.pk): 2, str(other.pk): 1}
    resident.refresh_from_db()
    assert resident.role == "chair"


@pytest.mark.django_db
def test_recruitment_pages_hfh_selection_panel_of_two(make_org, client_as):
    hfh = make_org("hfh")
    members = [hfh.seat() for _ in range(2)]
    applicant = hfh.person()
    client = client_as(hfh.officer)
    client.post(
        url("application_enter", hfh, person_id=applicant.pk),
        {"panel": hfh.panel.pk, "seat_role": "resident", "submitted_on": "2026-05-01"},
    )
    application = Application.objects.get()
    assert client.get(url("application", hfh, application_id=application.pk)).status_code == 200
    step = url("application_step", hfh, application_id=application.pk)
    small = client.post(
        step,
        {
            "kind": "selection",
            "held_on": "2026-05-10",
            "notes": "Kept",
            "panel_members": [members[0].pk],
        },
    )
    body = small.content.decode()
    assert "at least 2 panel members" in body and "(v1)" in body and "Kept" in body
    assert not application.steps.exists()
    client.post(
        step,
        {"kind": "selection", "held_on": "2026-05-10", "panel_members": [m.pk for m in members]},
    )
    assert application.steps.get().panel_members.count() == 2
    decide = url("application_decide", hfh, application_id=application.pk)
    no_reason = client.post(decide, {"selected": "yes", "on": "2026-05-11"})
    assert "Give the reasons" in no_reason.content.decode()
    client.post(decide, {"selected": "yes", "on": "2026-05-11", "reasons": "Strong interview"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SELECTED
    client.post(
        url("application_appoint", hfh, application_id=application.pk),
        {"role": "resident", "starts_on": "2026-06-01"},
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPOINTED
    assert Membership.objects.filter(person=applicant, panel=hfh.panel).exists()


@pytest.mark.django_db
def test_appointing_an_unselected_applicant_is_refused(make_org):
    from panels.errors import RuleViolation

    tht = make_org("tht")
    application = services.application_enter(
        panel=tht.panel, person=tht.person(), submitted_on=D(2026, 5, 1)
    )
    with pytest.raises(RuleViolation) as exc:
        services.membership_appoint(
            panel=tht.panel,
            person=application.person,
            starts_on=D(2026, 6, 1),
            application=application,
        )
    assert exc.value.code == "recruitment.not_selected"
    assert not Membership.objects.exists()


@pytest.mark.django_db
def test_member_claims_expenses_with_receipt_and_officer_decides(make_org, client_as, media):
    stockport = make_org("stockport")
    person = stockport.person(user=stockport.member_user)
    seat = stockport.seat(person)
    member = client_as(stockport.member_user)
    claim_url = url("expense_submit", stockport)
    without = member.post(
        claim_url,
        {
            "membership": seat.pk,
            "incurred_on": "2026-05-01",
            "description": "Taxi home",
            "amount": "12.50",
        },
    )
    body = without.content.decode()
    assert "supported by receipts" in body and "(v1)" in body and "Taxi home" in body
    assert not ExpenseClaim.objects.exists()
    receipt = SimpleUploadedFile("taxi.pdf", b"%PDF-1.4 receipt", content_type="application/pdf")
    done = member.post(
        claim_url,
        {
            "membership": seat.pk,
            "incurred_on": "2026-05-01",
            "description": "Taxi home",
            "amount": "12.50",
            "receipt": receipt,
        },
    )
    assert done.status_code == 302
    claim = ExpenseClaim.objects.get()
    assert claim.receipt.name.startswith("expense-receipts/")
    download = member.get(url("expense_receipt", stockport, expense_claim_id=claim.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    # Another member of the same organisation may not see it.
    from panels.models import OrganisationRole, User

    other = User.objects.create_user(email="other@stockport.test", password="x")
    OrganisationRole.objects.create(user=other, organisation=stockport.org, role="member")
    member.logout()
    assert (
        client_as(other)
        .get(url("expense_receipt", stockport, expense_claim_id=claim.pk))
        .status_code
        == 404
    )
    assert client_as(other).get(url("expenses", stockport)).status_code == 403
    officer = client_as(stockport.officer)
    queue = officer.get(url("expenses", stockport)).content.decode()
    assert "Taxi home" in queue
    decide = url("expense_decide", stockport, expense_claim_id=claim.pk)
    refused = officer.post(decide, {"approve": "no", "on": "2026-05-05"})
    assert "reason for refusing" in refused.content.decode()
    assert officer.post(decide, {"approve": "yes", "on": "2026-05-05"}).status_code == 302
    claim.refresh_from_db()
    assert claim.status == ExpenseStatus.APPROVED and claim.decided_by == stockport.officer
    again = officer.post(decide, {"approve": "no", "on": "2026-05-06", "reason": "x"})
    assert "already approved" in again.content.decode()


@pytest.mark.django_db
def test_officer_pages_refuse_members(make_org, client_as):
    tht = make_org("tht")
    seat = tht.seat()
    member = client_as(tht.member_user)
    for name, kwargs in [
        ("declaration_new", {"person_id": seat.person_id}),
        ("remove", {"membership_id": seat.pk}),
        ("election", {"panel_slug": tht.panel.slug}),
        ("expenses", {}),
        ("payments", {"panel_slug": tht.panel.slug}),
    ]:
        assert member.get(url(name, tht, **kwargs)).status_code == 403
        assert member.post(url(name, tht, **kwargs)).status_code == 403


@pytest.mark.django_db
def test_stockport_claim_not_agreed_in_advance_is_held_with_the_reason(make_org, client_as, media):
    # Stockport, Remuneration: "Claims will usually be agreed in advance and must be
    # supported by receipts." Usually: held for the officer's decision, not refused.
    stockport = make_org("stockport")
    seat = stockport.seat()

    def receipt():
        return SimpleUploadedFile("bus.pdf", b"%PDF-1.4 r", content_type="application/pdf")

    held = services.expense_claim_submit(
        membership=seat,
        incurred_on=datetime.date(2026, 5, 1),
        description="Bus to the meeting",
        amount="4.50",
        receipt=receipt(),
    )
    assert held.status == ExpenseStatus.SUBMITTED and held.agreed_in_advance is False
    assert held.held_reason.startswith("Held for the officer's decision: claims are usually")
    assert "Remuneration" in held.held_reason
    agreed = services.expense_claim_submit(
        membership=seat,
        incurred_on=datetime.date(2026, 5, 2),
        description="Train agreed with Jo",
        amount="9.00",
        receipt=receipt(),
        agreed_in_advance=True,
    )
    assert agreed.held_reason == ""
    queue = client_as(stockport.officer).get(url("expenses", stockport)).content.decode()
    assert "Held</span>" in queue and "claims are usually agreed in advance" in queue
    decided = services.expense_claim_decide(
        claim=held, approve=True, on=datetime.date(2026, 5, 5), by=stockport.officer
    )
    assert decided.status == ExpenseStatus.APPROVED
    # Where the ToR says nothing of advance agreement, nothing is held.
    tht = make_org("tht")
    plain = services.expense_claim_submit(
        membership=tht.seat(),
        incurred_on=datetime.date(2026, 5, 1),
        description="Parking",
        amount="3.00",
    )
    assert plain.held_reason == ""
