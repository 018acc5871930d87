from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Membership"

    def ready(self) -> None:
        from members.receivers import link_person_on_invitation_accepted
        from panels.signals import invitation_accepted

        invitation_accepted.connect(
            link_person_on_invitation_accepted, dispatch_uid="members-link-person"
        )
