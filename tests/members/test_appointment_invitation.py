"""Recruitment ends with a member who can sign in (issue 12, item 1): appointing a person
emails them an invitation to the member role with a welcome saying what happens next;
accepting it links their account to their person record."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from members import services
from members.models import Person
from panels.models import Invitation, OrganisationRole, Role

D = datetime.date
PASSWORD = "plum tree lantern 42"  # noqa: S105
pytestmark = pytest.mark.django_db


def _selected_applicant(org):
    application = services.application_enter(
        panel=org.panel, person=org.person(), submitted_on=D(2026, 5, 1), by=org.officer
    )
    services.application_decide(
        application=application, selected=True, reasons="Strong", on=D(2026, 5, 11), by=org.officer
    )
    return application


def test_appointing_an_applicant_sends_an_invitation_and_a_welcome(
    make_org, client, django_capture_on_commit_callbacks
):
    helena = make_org("helena")
    application = _selected_applicant(helena)
    person = application.person
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_appoint(
            panel=helena.panel,
            person=person,
            starts_on=D(2026, 6, 1),
            application=application,
            by=helena.officer,
        )
    invitation = Invitation.objects.get(email=person.email)
    assert invitation.role == Role.MEMBER and invitation.organisation == helena.org
    assert invitation.context["person_id"] == person.pk
    message = mail.outbox[-1]
    assert message.to == [person.email]
    assert "You have been appointed to the HELENA panel as resident member" in message.body
    assert "What happens next" in message.body
    token = re.search(r"/accounts/invitation/([^/\s]+)/", message.body).group(1)

    response = client.post(
        reverse("invitation_accept", kwargs={"token": token}),
        {"password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user is not None and person.user.email == person.email
    assert OrganisationRole.objects.filter(
        user=person.user, organisation=helena.org, role=Role.MEMBER
    ).exists()
    # The new member signs in with the password they chose.
    client.logout()
    signed_in = client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert signed_in.status_code == 302 and client.session["_auth_user_id"] == str(person.user.pk)


def test_a_rolled_back_appointment_sends_nothing(make_org, django_capture_on_commit_callbacks):
    helena = make_org("helena")
    application = _selected_applicant(helena)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.membership_appoint(
            panel=helena.panel,
            person=application.person,
            starts_on=D(2026, 6, 1),
            application=application,
        )
    assert callbacks and not mail.outbox  # sent only on commit


def test_no_invitation_without_an_email_or_for_a_linked_member(
    make_org, django_capture_on_commit_callbacks
):
    helena = make_org("helena")
    no_email = helena.person(email="")
    linked = helena.person(user=helena.member_user)
    with django_capture_on_commit_callbacks(execute=True):
        for person in (no_email, linked):
            services.membership_appoint(panel=helena.panel, person=person, starts_on=D(2026, 6, 1))
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_an_invitation_waiting_is_not_sent_twice(make_org, django_capture_on_commit_callbacks):
    helena = make_org("helena")
    person = helena.person()
    with django_capture_on_commit_callbacks(execute=True):
        seat = services.membership_appoint(
            panel=helena.panel, person=person, starts_on=D(2026, 6, 1)
        )
        assert services.membership_invite_appointee(membership=seat) is None
    assert Invitation.objects.filter(email=person.email).count() == 1
    assert Person.objects.get(pk=person.pk).user is None
