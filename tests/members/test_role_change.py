"""Changing a seat's role outside an election: the ToR's voting and non-voting roles, the
seat rules (household and its exemption for co-optees), chair and vice chair only by
election; a history row and an audit row; refusals change nothing."""

import datetime

import pytest
from django.urls import reverse

from members import services
from members.models import ChairPeriod, MembershipEvent, MembershipEventKind, SeatRole
from panels import rules
from panels.errors import RuleViolation
from panels.models import AuditEntry
from tests.panels.terms_factory import seeded

ON = datetime.date(2026, 6, 1)
ORGS = ["helena", "hfh", "ivh", "tht", "stockport"]


def codes(exc):
    return {r.code for r in exc.value.reasons}


# --- The rule (pure) -------------------------------------------------------------------


@pytest.mark.parametrize("slug", ORGS)
def test_rule_chair_and_vice_chair_only_by_election(slug):
    terms = seeded(slug)
    for role in ("chair", "vice_chair"):
        reasons = rules.role_change_refusals(terms=terms, current_role="resident", new_role=role)
        assert [r.code for r in reasons] == ["role.elected_only"]
        assert reasons[0].source.endswith("Chair and vice chair")
    # Leaving the chair for an ordinary seat is not an election matter.
    assert rules.role_change_refusals(terms=terms, current_role="chair", new_role="resident") == []


@pytest.mark.parametrize("slug", ORGS)
def test_rule_member_seats_do_not_become_staff_seats(slug):
    terms = seeded(slug)
    for role in ("officer", "sponsor"):
        reasons = rules.role_change_refusals(terms=terms, current_role="resident", new_role=role)
        assert "role.staff_seat" in {r.code for r in reasons}
    reasons = rules.role_change_refusals(terms=terms, current_role="officer", new_role="resident")
    assert {r.code for r in reasons} == {"role.staff_seat"}


def test_rule_only_the_roles_the_tor_lists_where_it_lists_them():
    hfh = seeded("hfh")  # voting: chair, vice chair, resident; not voting: associate, co-opted
    for role in ("associate", "co_opted"):
        assert rules.role_change_refusals(terms=hfh, current_role="resident", new_role=role) == []
    blank = seeded("hfh")
    blank.non_voting_roles = ["associate"]
    reasons = rules.role_change_refusals(terms=blank, current_role="resident", new_role="co_opted")
    assert [r.code for r in reasons] == ["role.not_provided"]
    assert "no co-opted independent seats" in reasons[0].message
    # Where no list is stated, every member role exists.
    helena = seeded("helena")
    assert (
        rules.role_change_refusals(terms=helena, current_role="resident", new_role="co_opted") == []
    )


def test_rule_ivh_every_member_votes_so_no_associate_seats():
    # IVH 1.11: "Each member shall have one vote on a motion": the ToR lists the voting seats
    # and names no associate or co-opted seats, so a seat cannot become one.
    ivh = seeded("ivh")
    for role in ("associate", "co_opted"):
        reasons = rules.role_change_refusals(terms=ivh, current_role="resident", new_role=role)
        assert [r.code for r in reasons] == ["role.not_provided"]


def test_rule_same_role_is_refused():
    reasons = rules.role_change_refusals(
        terms=seeded("ivh"), current_role="associate", new_role="associate"
    )
    assert [r.code for r in reasons] == ["role.unchanged"]


# --- The service ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("slug", [o for o in ORGS if o != "ivh"])
def test_resident_to_associate_everywhere_with_history_and_audit(make_org, slug):
    org = make_org(slug)
    seat = org.seat(status="active")
    services.membership_change_role(
        membership=seat, role="associate", on=ON, reason="Moved out of the area.", by=org.officer
    )
    seat.refresh_from_db()
    assert seat.role == SeatRole.ASSOCIATE
    event = MembershipEvent.objects.get(membership=seat, kind=MembershipEventKind.ROLE_CHANGED)
    assert event.details["from"] == "resident" and event.details["to"] == "associate"
    assert event.details["voting"] is rules.is_voting_role(org.terms, "associate")
    assert event.reason == "Moved out of the area." and event.by == org.officer
    entry = AuditEntry.objects.get(action="membership.role_changed")
    assert entry.before["role"] == "resident" and entry.after["role"] == "associate"


@pytest.mark.django_db
def test_hfh_associate_does_not_vote_after_the_change(make_org):
    hfh = make_org("hfh")
    seat = hfh.seat()
    services.membership_change_role(membership=seat, role="associate", on=ON, reason="Asked to.")
    event = MembershipEvent.objects.get(kind=MembershipEventKind.ROLE_CHANGED)
    assert event.details["voting"] is False


@pytest.mark.django_db
def test_household_exemption_for_co_optees_at_hfh(make_org):
    """HFH: one member per household, but co-optees are exempt. A co-optee from a member's
    household may not become a resident member; the other way round is allowed."""
    hfh = make_org("hfh")
    hfh.seat(hfh.person(household_reference="HH-1"))
    co_optee = hfh.seat(hfh.person(household_reference="HH-1"), role="co_opted")
    with pytest.raises(RuleViolation) as exc:
        services.membership_change_role(
            membership=co_optee, role="resident", on=ON, reason="Wants to vote."
        )
    assert codes(exc) == {"membership.same_household"}
    co_optee.refresh_from_db()
    assert co_optee.role == "co_opted"
    assert not MembershipEvent.objects.exists() and not AuditEntry.objects.exists()

    resident = hfh.seat(hfh.person(household_reference="HH-2"))
    services.membership_change_role(
        membership=resident, role="co_opted", on=ON, reason="Now an independent."
    )
    resident.refresh_from_db()
    assert resident.role == "co_opted"


@pytest.mark.django_db
def test_stockport_household_rule_has_no_co_optee_exemption(make_org):
    stockport = make_org("stockport")
    stockport.seat(stockport.person(household_reference="HH-9"))
    other = stockport.seat(stockport.person(household_reference="HH-9"), role="co_opted")
    with pytest.raises(RuleViolation) as exc:
        services.membership_change_role(
            membership=other, role="associate", on=ON, reason="Role review."
        )
    assert "membership.same_household" in codes(exc)


@pytest.mark.django_db
def test_tht_leaseholder_cap_applies_to_the_new_role(make_org):
    """THT: at most two leaseholders. A third leaseholder already sitting as a staff-like
    exception cannot be moved into a member seat past the cap (tested with a sponsor)."""
    tht = make_org("tht")
    for _ in range(2):
        tht.seat(tht.person(tenure_type="leaseholder"))
    third = tht.seat(tht.person(tenure_type="leaseholder"), role="sponsor")
    with pytest.raises(RuleViolation) as exc:
        services.membership_change_role(membership=third, role="resident", on=ON, reason="x")
    assert {"membership.tenure_cap", "role.staff_seat"} <= codes(exc)


@pytest.mark.django_db
def test_every_refusal_at_once_and_nothing_changes(make_org):
    ivh = make_org("ivh")
    seat = ivh.seat()
    with pytest.raises(RuleViolation) as exc:
        services.membership_change_role(membership=seat, role="chair", on=ON, reason="")
    assert {"role.elected_only", "role.reason_required"} <= codes(exc)
    with pytest.raises(RuleViolation) as exc:
        services.membership_change_role(membership=seat, role="resident", on=ON, reason="x")
    assert codes(exc) == {"role.unchanged"}
    seat.refresh_from_db()
    assert seat.role == "resident"
    assert not MembershipEvent.objects.exists() and not ChairPeriod.objects.exists()


@pytest.mark.django_db
def test_leaving_the_chair_closes_the_chair_period(make_org):
    hfh = make_org("hfh")
    chair = hfh.seat(role="chair")
    ChairPeriod.objects.create(
        organisation=hfh.org, membership=chair, role="chair", starts_on=chair.starts_on
    )
    services.membership_change_role(membership=chair, role="resident", on=ON, reason="Resigned.")
    assert ChairPeriod.objects.get().ends_on is not None


@pytest.mark.django_db
def test_an_election_still_moves_the_old_chair_to_resident(make_org):
    hfh = make_org("hfh")
    old = hfh.seat(role="chair")
    new = hfh.seat()
    services.chair_election_record(panel=hfh.panel, role="chair", held_on=ON, elected=new)
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.role == "resident" and new.role == "chair"


# --- The page ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_role_change_page(make_org, client_as):
    hfh = make_org("hfh")
    seat = hfh.seat()
    page = reverse("members:role_change", kwargs={"org_slug": "hfh", "membership_id": seat.pk})
    assert client_as(hfh.member_user).get(page).status_code == 403
    client = client_as(hfh.officer)
    shown = client.get(page).content.decode()
    assert "Not voting: Associate member, Co-opted independent" in shown
    person = reverse("members:person", kwargs={"org_slug": "hfh", "person_id": seat.person_id})
    assert page in client.get(person).content.decode()

    refused = client.post(page, {"role": "sponsor", "on": ON.isoformat(), "reason": "Typed"})
    body = refused.content.decode()
    assert refused.status_code == 200 and "attend as staff" in body and "Typed" in body
    seat.refresh_from_db()
    assert seat.role == "resident"

    done = client.post(page, {"role": "associate", "on": ON.isoformat(), "reason": "Moved."})
    assert done.status_code == 302
    seat.refresh_from_db()
    assert seat.role == "associate"
