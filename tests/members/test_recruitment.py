import datetime

import pytest

from members import services
from members.models import Application, ApplicationStatus, Person
from panels import rules
from panels.errors import RuleViolation

D = datetime.date
ON = D(2026, 5, 1)


def codes(exc) -> set[str]:
    return {r.code for r in exc.value.reasons}


@pytest.mark.django_db
def test_selection_panel_rule(make_org):
    hfh, helena = make_org("hfh"), make_org("helena")
    assert rules.selection_panel_refusals(terms=hfh.terms, panel_members=1)[0].code == (
        "recruitment.selection_panel_too_small"
    )
    assert rules.selection_panel_refusals(terms=hfh.terms, panel_members=2) == []
    assert rules.selection_panel_refusals(terms=helena.terms, panel_members=0) == []


@pytest.mark.django_db
def test_hfh_recruitment_path_needs_two_members_on_the_selection_panel(make_org):
    hfh = make_org("hfh")
    members = [hfh.seat() for _ in range(2)]
    vacancy = services.vacancy_create(
        panel=hfh.panel, title="Resident lead", opens_on=D(2026, 4, 1), closes_on=D(2026, 5, 31)
    )
    application = services.application_enter(
        panel=hfh.panel, person=hfh.person(), submitted_on=ON, vacancy=vacancy, by=hfh.officer
    )
    services.application_record_step(application=application, kind="observer", held_on=ON)
    services.application_record_step(
        application=application, kind="informal_interview", held_on=D(2026, 5, 5)
    )
    with pytest.raises(RuleViolation) as exc:
        services.application_record_step(
            application=application,
            kind="selection",
            held_on=D(2026, 5, 10),
            panel_members=members[:1],
        )
    assert codes(exc) == {"recruitment.selection_panel_too_small"}
    with pytest.raises(RuleViolation) as exc:
        services.application_decide(
            application=application, selected=True, reasons="Good", on=D(2026, 5, 11)
        )
    assert codes(exc) == {"recruitment.selection_panel_too_small"}
    services.application_record_step(
        application=application, kind="selection", held_on=D(2026, 5, 10), panel_members=members
    )
    services.application_decide(
        application=application, selected=True, reasons="Strong", on=D(2026, 5, 11), by=hfh.officer
    )
    seat = services.membership_appoint(
        panel=hfh.panel,
        person=application.person,
        starts_on=D(2026, 6, 1),
        application=application,
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPOINTED and application.membership == seat


@pytest.mark.django_db
def test_closed_vacancy_refused(make_org):
    tht = make_org("tht")
    vacancy = services.vacancy_create(
        panel=tht.panel, title="Member", opens_on=D(2026, 1, 1), closes_on=D(2026, 2, 1)
    )
    with pytest.raises(RuleViolation) as exc:
        services.application_enter(
            panel=tht.panel, person=tht.person(), submitted_on=ON, vacancy=vacancy
        )
    assert codes(exc) == {"recruitment.vacancy_closed"}


@pytest.mark.django_db
def test_hfh_override_only_for_a_co_opted_seat_with_a_reason(make_org):
    hfh = make_org("hfh")
    hfh.seat(hfh.person(household_reference="HOUSE-9"))
    partner = hfh.person(household_reference="HOUSE-9")
    with pytest.raises(RuleViolation) as exc:
        services.application_enter(
            panel=hfh.panel, person=partner, submitted_on=ON, override_reason="Skills"
        )
    assert codes(exc) == {"eligibility.no_same_household", "recruitment.override_not_allowed"}
    with pytest.raises(RuleViolation) as exc:
        services.application_enter(
            panel=hfh.panel, person=partner, submitted_on=ON, seat_role="co_opted"
        )
    assert codes(exc) == {"recruitment.override_reason_required"}
    application = services.application_enter(
        panel=hfh.panel,
        person=partner,
        submitted_on=ON,
        seat_role="co_opted",
        override_reason="Qualified surveyor recruited for skills",
        by=hfh.officer,
    )
    assert application.override_by == hfh.officer
    assert application.eligibility_reasons[0]["code"] == "eligibility.no_same_household"


@pytest.mark.django_db
def test_public_application_creates_person_and_self_declarations(make_org):
    tht = make_org("tht")
    application = services.application_submit_public(
        panel=tht.panel,
        person_details={
            "first_name": "Pat",
            "last_name": "Lee",
            "email": "pat@example.org",
            "tenure_type": "tenant",
        },
        declared=set(),
        statement="I care about repairs.",
        submitted_on=ON,
    )
    assert application.channel == Application.Channel.PUBLIC
    assert Person.objects.filter(email="pat@example.org").count() == 1
    with pytest.raises(RuleViolation) as exc:
        services.application_submit_public(
            panel=tht.panel,
            person_details={"first_name": "Sam", "last_name": "Lee", "tenure_type": "shared_owner"},
            declared={"employee", "on_other_board"},
            submitted_on=ON,
        )
    assert codes(exc) == {
        "application.no_contact",
        "eligibility.eligible_tenure",
        "eligibility.not_employee",
        "eligibility.not_on_other_board",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("contact", "code", "field"),
    [
        ({}, "application.no_contact", "email"),
        ({"phone": "0161 000 0000"}, "application.channel_email", "email"),
        (
            {"email": "a@example.org", "preferred_channel": "post"},
            "application.channel_post",
            "address",
        ),
    ],
)
def test_an_application_needs_a_way_to_reach_the_applicant(make_org, contact, code, field):
    tht = make_org("tht")
    details = {"first_name": "Sam", "last_name": "Lee", "tenure_type": "tenant"}
    details.setdefault("preferred_channel", "email")
    details.update(contact)
    with pytest.raises(RuleViolation) as exc:
        services.application_submit_public(
            panel=tht.panel, person_details=details, declared=set(), submitted_on=ON
        )
    assert codes(exc) == {code}
    assert exc.value.reasons[0].field == field
    assert not Person.objects.exists()
