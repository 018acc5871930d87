"""Issue 19 item 3: erasure replaces a person's identifying data with "Former member N"
everywhere (history rows, notices, files, sign-in included), keeps meeting records, votes
and counts, takes two different officers, and refuses while they still hold a seat or an
open claim."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse
from pghistory.models import Context

from meetings.models import AgendaItem, Attendance, Meeting, MinuteEntry, Minutes, Motion, Vote
from members.models import (
    Declaration,
    DeclarationKind,
    ExpenseClaim,
    Membership,
    MembershipStatus,
    Person,
    Remark,
)
from notices.models import Letter, Notice
from panels.audit import audit_record
from panels.errors import RuleViolation
from panels.history import event_model
from panels.models import OrganisationRole, User
from privacy import services
from privacy.models import Erasure, ErasureStatus, ExportStatus, SubjectAccessExport
from tests import sample_files as sample

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
DAY = datetime.date(2026, 3, 10)
NAME, EMAIL = "Zelda Quartermaine", "zelda.q@example.org"
ADDRESS, OLD_ADDRESS = "17 Larkspur Close\nStockport", "3 Wisteria Lane\nStockport"
NEEDLES = [NAME, EMAIL, "Larkspur Close", "Wisteria Lane", "Quartermaine, Zelda"]


def _meeting(org, panel, day):
    return Meeting.objects.create(
        organisation=org,
        panel=panel,
        date=day,
        start_time=datetime.time(10),
        end_time=datetime.time(12),
    )


@pytest.fixture
def leaver(tenant_a):
    """A resident who has left, with a sign-in, seat, attendance, a vote, an apology
    reason, a declaration, a receipt, a letter, minutes naming her and an earlier address."""
    org, panel = tenant_a.org, tenant_a.panel
    user = User.objects.create_user(email=EMAIL, password="x", first_name="Zelda")
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    OrganisationRole.objects.create(user=user, organisation=org, role="member")
    person = Person.objects.create(
        organisation=org,
        user=user,
        first_name="Zelda",
        last_name="Quartermaine",
        email=EMAIL,
        phone="07700 900123",
        address=OLD_ADDRESS,
        postcode="SK4 9ZZ",
        date_of_birth=datetime.date(1960, 5, 4),
    )
    Person.objects.filter(pk=person.pk).update(address=ADDRESS)  # the history keeps the old one
    other = Person.objects.create(organisation=org, first_name="Bob", last_name="Other")
    seats = {
        p: Membership.objects.create(
            organisation=org, panel=panel, person=p, starts_on=datetime.date(2025, 1, 1)
        )
        for p in (person, other)
    }
    seat = seats[person]
    held, missed = _meeting(org, panel, DAY), _meeting(org, panel, DAY + datetime.timedelta(30))
    for s in seats.values():
        Attendance.objects.create(organisation=org, meeting=held, membership=s, status="present")
    Attendance.objects.create(
        organisation=org,
        meeting=missed,
        membership=seat,
        status="apologies",
        apology_reason="Zelda Quartermaine's hip operation",
    )
    item = AgendaItem.objects.create(organisation=org, meeting=held, position=1, title="Repairs")
    motion = Motion.objects.create(
        organisation=org,
        meeting=held,
        item=item,
        text="That the repairs report be noted",
        mover=seats[other],
        votes_for=2,
        outcome="carried",
    )
    for s in seats.values():
        Vote.objects.create(organisation=org, motion=motion, membership=s, choice="for")
    minutes = Minutes.objects.create(
        organisation=org,
        meeting=held,
        public_entries=[{"title": "Repairs", "text": f"{NAME} asked about damp."}],
    )
    MinuteEntry.objects.create(
        organisation=org, minutes=minutes, item=item, text=f"{NAME} asked about damp."
    )
    Declaration.objects.create(
        organisation=org,
        person=person,
        kind=DeclarationKind.OPEN_ASB_CASE,
        applies_from=DAY,
        recorded_on=DAY,
        note="Neighbour dispute at 17 Larkspur Close",
    )
    Remark.objects.create(organisation=org, person=person, text=f"Call {EMAIL} after 5pm")
    claim = ExpenseClaim(
        organisation=org,
        membership=seat,
        incurred_on=DAY,
        description="Taxi to Larkspur Close",
        amount="12.00",
        receipt_name="taxi.png",
        status="approved",
    )
    claim.receipt.save("taxi.png", ContentFile(sample.image_bytes()), save=True)
    notice = Notice.objects.create(
        organisation=org,
        panel=panel,
        kind="meeting_notice",
        subject_type=ContentType.objects.get_for_model(Meeting),
        subject_id=held.pk,
        dedupe_key=f"erasure-test-{person.pk}",
        recipient_person=person,
        recipient_name=NAME,
        recipient_address=ADDRESS,
        channel="post",
        title="Notice of meeting",
        body=f"Dear {NAME},\n17 Larkspur Close\nStockport",
        status="sent",
        sent_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
        due_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
        next_attempt_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
    )
    Notice.objects.create(
        organisation=org,
        panel=panel,
        kind="meeting_notice",
        subject_type=ContentType.objects.get_for_model(Meeting),
        subject_id=missed.pk,
        dedupe_key=f"erasure-test-next-{person.pk}",
        recipient_person=person,
        recipient_name=NAME,
        recipient_email=EMAIL,
        channel="email",
        title="Notice of meeting",
        body=f"Dear {NAME}",
        due_at=datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC),
        next_attempt_at=datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC),
    )
    letter = Letter(organisation=org, notice=notice)
    letter.pdf.save("letter.pdf", ContentFile(sample.pdf_bytes()), save=True)
    audit_record(
        org=org,
        actor=tenant_a.officer,
        action="members.person_changed",
        obj=person,
        before={"address": OLD_ADDRESS},
        after={"address": ADDRESS},
        reason=f"{NAME} moved",
    )
    LogEntry.objects.log_actions(
        user_id=tenant_a.officer.pk, queryset=[person], action_flag=CHANGE, change_message="x"
    )
    Membership.objects.filter(pk=seat.pk).update(
        status=MembershipStatus.STEPPED_DOWN, ended_on=DAY + datetime.timedelta(60)
    )
    # A change she made herself, from her address; an export nobody downloaded yet.
    Context.objects.create(metadata={"user": user.pk, "url": "/x/", "ip": "198.51.100.7"})
    export = SubjectAccessExport(organisation=org, person=person, status=ExportStatus.READY)
    export.file.save("export.zip", ContentFile(b"PK everything"), save=True)
    return {
        "person": person,
        "other": other,
        "user": user,
        "meeting": held,
        "motion": motion,
        "files": [claim.receipt.name, letter.pdf.name, export.file.name],
    }


def _found_anywhere(needles) -> list[str]:
    """Every table and text column (history, admin log, sign-ins included) holding a needle."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT table_name, column_name FROM information_schema.columns
               WHERE table_schema = current_schema()
                 AND data_type IN ('text', 'character varying', 'jsonb', 'json')"""
        )
        columns = cursor.fetchall()
        found = []
        for table, column in columns:
            quoted_table = connection.ops.quote_name(table)
            quoted = connection.ops.quote_name(column)
            for needle in needles:
                for form in {needle, needle.replace("\n", "\\n")}:
                    cursor.execute(
                        f"SELECT count(*) FROM {quoted_table} WHERE {quoted}::text ILIKE %s",
                        [f"%{form}%"],
                    )
                    if cursor.fetchone()[0]:
                        found.append(f"{table}.{column}: {needle!r}")
    return found


def _erase(tenant, person):
    services.erasure_request(org=tenant.org, person=person, by=tenant.officer)
    return services.erasure_confirm(org=tenant.org, person=person, by=tenant.admin)


def test_erasure_leaves_no_trace_of_name_email_or_address_but_keeps_the_register(tenant_a, leaver):
    person = leaver["person"]
    assert _found_anywhere(NEEDLES), "the fixture must plant the needles"
    erasure = _erase(tenant_a, person)

    assert erasure.status == ErasureStatus.DONE and erasure.number == 1
    assert _found_anywhere(NEEDLES) == []
    person.refresh_from_db()
    assert person.full_name == "Former member 1"
    assert (person.email, person.phone, person.address, person.postcode) == ("", "", "", "")
    assert person.date_of_birth is None and person.user_id is None
    history = event_model(Person).objects.filter(pgh_obj_id=person.pk)
    assert history.count() >= 3
    assert {h.date_of_birth for h in history} == {None}
    assert {h.phone for h in history} == {""}
    # The register, the vote and its counts are as they were.
    meeting, motion = leaver["meeting"], leaver["motion"]
    assert Attendance.objects.filter(meeting=meeting, status="present").count() == 2
    assert Vote.objects.filter(motion=motion, choice="for").count() == 2
    motion.refresh_from_db()
    assert motion.votes_for == 2 and motion.outcome == "carried"
    assert MinuteEntry.objects.get().text == "Former member 1 asked about damp."
    # Files deleted through the storage API; the sign-in can no longer be used.
    assert not any(default_storage.exists(name) for name in leaver["files"])
    user = User.objects.get(pk=leaver["user"].pk)
    assert not user.is_active and not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not OrganisationRole.objects.filter(user=user).exists()
    assert not Context.objects.filter(metadata__ip="198.51.100.7").exists()
    assert not Notice.objects.filter(status="pending").exists()  # nothing more goes to her
    # The other member is untouched; the erasure's record holds no erased data.
    assert Person.objects.get(pk=leaver["other"].pk).full_name == "Bob Other"
    record = Erasure.objects.get()
    assert record.requested_by == tenant_a.officer and record.confirmed_by == tenant_a.admin
    assert record.counts["members_person"] == 1


def test_a_second_erasure_does_nothing(tenant_a, leaver):
    person = leaver["person"]
    first = _erase(tenant_a, person)
    again = services.erasure_request(org=tenant_a.org, person=person, by=tenant_a.officer)
    confirmed = services.erasure_confirm(org=tenant_a.org, person=person, by=tenant_a.admin)
    assert again.pk == first.pk == confirmed.pk
    assert Erasure.objects.count() == 1
    assert Person.objects.get(pk=person.pk).full_name == "Former member 1"


def test_the_officer_who_asked_cannot_confirm(tenant_a, leaver):
    person = leaver["person"]
    services.erasure_request(org=tenant_a.org, person=person, by=tenant_a.officer)
    with pytest.raises(RuleViolation) as refusal:
        services.erasure_confirm(org=tenant_a.org, person=person, by=tenant_a.officer)
    assert refusal.value.code == "erasure.same_officer"
    assert Person.objects.get(pk=person.pk).full_name == NAME
    assert Erasure.objects.get().status == ErasureStatus.REQUESTED


def test_a_current_member_is_refused_with_the_reason(tenant_a, leaver, client_as):
    person = leaver["person"]
    Membership.objects.filter(person=person).update(status=MembershipStatus.ACTIVE)
    with pytest.raises(RuleViolation) as refusal:
        services.erasure_request(org=tenant_a.org, person=person, by=tenant_a.officer)
    assert refusal.value.code == "erasure.current_seat"
    assert tenant_a.panel.name in refusal.value.messages[0]
    url = reverse(
        "privacy:erasure_request", kwargs={"org_slug": tenant_a.org.slug, "person_id": person.pk}
    )
    response = client_as(tenant_a.officer).post(url, follow=True)
    assert "They hold a current seat on" in response.content.decode()
    assert not Erasure.objects.exists()


def test_an_open_claim_is_refused_with_the_reason(tenant_a, leaver):
    person = leaver["person"]
    ExpenseClaim.objects.filter(membership__person=person).update(status="submitted")
    with pytest.raises(RuleViolation) as refusal:
        services.erasure_request(org=tenant_a.org, person=person, by=tenant_a.officer)
    assert refusal.value.code == "erasure.open_claim"


def test_two_officers_erase_through_the_pages(tenant_a, leaver, client):
    person = leaver["person"]
    kwargs = {"org_slug": tenant_a.org.slug, "person_id": person.pk}
    client.force_login(tenant_a.officer)
    client.post(reverse("privacy:erasure_request", kwargs=kwargs))
    page = client.get(reverse("privacy:person_data", kwargs=kwargs)).content.decode()
    assert "another officer must confirm it" in page
    response = client.post(reverse("privacy:erasure_confirm", kwargs=kwargs), follow=True)
    assert "cannot confirm it" in response.content.decode()
    client.force_login(tenant_a.admin)
    response = client.post(reverse("privacy:erasure_confirm", kwargs=kwargs), follow=True)
    assert "Former member 1" in response.content.decode()
    assert Person.objects.get(pk=person.pk).full_name == "Former member 1"


def test_another_organisations_person_is_a_404(tenant_a, tenant_b, leaver, client_as):
    person = leaver["person"]
    for name in ("erasure_request", "erasure_confirm", "erasure_cancel"):
        url = reverse(
            f"privacy:{name}", kwargs={"org_slug": tenant_b.org.slug, "person_id": person.pk}
        )
        assert client_as(tenant_b.officer).post(url).status_code == 404
    assert not Erasure.objects.exists()


def test_a_sign_in_another_organisation_still_uses_is_only_unlinked(tenant_a, tenant_b, leaver):
    user = leaver["user"]
    OrganisationRole.objects.create(user=user, organisation=tenant_b.org, role="member")
    _erase(tenant_a, leaver["person"])
    user.refresh_from_db()
    assert user.is_active and user.email == EMAIL  # still theirs at Bravo Homes
    assert not OrganisationRole.objects.filter(user=user, organisation=tenant_a.org).exists()
    assert Person.objects.get(pk=leaver["person"].pk).user_id is None


def test_an_erased_record_is_never_filled_in_again(tenant_a, leaver, client_as):
    """The officer's contact and notices pages refuse an erased person ("Former member N"),
    and the person's page says the data was erased instead of offering them."""
    from members.services import person_contact_update
    from notices.services import notice_preference_save

    person = leaver["person"]
    _erase(tenant_a, person)
    person.refresh_from_db()
    assert person.erased_on is not None
    with pytest.raises(RuleViolation) as refused:
        person_contact_update(person=person, by=tenant_a.officer, address="1 New Road")
    assert refused.value.code == "person.erased"
    with pytest.raises(RuleViolation) as refused:
        notice_preference_save(person=person, channel="email", digest=False, by=tenant_a.officer)
    assert refused.value.code == "person.erased"
    client = client_as(tenant_a.officer)
    page = client.get(
        reverse("members:person", kwargs={"org_slug": tenant_a.org.slug, "person_id": person.pk})
    ).content.decode()
    contact = reverse(
        "members:person_contact", kwargs={"org_slug": tenant_a.org.slug, "person_id": person.pk}
    )
    assert "Personal data erased on" in page and contact not in page
    response = client.post(
        contact, {"first_name": "Alice", "last_name": "Leaver", "address": "1 New Road"}
    )
    assert response.status_code == 200
    assert "was erased on" in response.content.decode()
    assert Person.objects.get(pk=person.pk).full_name == "Former member 1"
