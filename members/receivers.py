"""Receivers of signals from panels (the layer below)."""

from django_scopes import scopes_disabled

from members.models import Person


def link_person_on_invitation_accepted(sender, invitation, user, **kwargs) -> None:
    """An appointee who accepts their invitation is linked to their person record, so their
    seat, meetings and papers show when they sign in (members.services.
    membership_invite_appointee put the person's id in the invitation)."""
    person_id = (invitation.context or {}).get("person_id")
    if not person_id:
        return
    with scopes_disabled():
        person = Person.objects.filter(pk=person_id, organisation=invitation.organisation).first()
        if person is None or person.user_id:
            return
        if Person.objects.filter(organisation=invitation.organisation, user=user).exists():
            return  # the account already stands for another person of this organisation
        person.user = user
        person.save(update_fields=["user"])
