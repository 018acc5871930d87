from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Membership"

    def ready(self) -> None:
        from members.receivers import link_person_on_invitation_accepted
        from members.selectors.seats import seat_panel_ids
        from panels.permissions import register_seat_panels
        from panels.signals import invitation_accepted

        invitation_accepted.connect(
            link_person_on_invitation_accepted, dispatch_uid="members-link-person"
        )
        # "Own panel" in the permission matrix: the panels where a user holds a seat.
        register_seat_panels(seat_panel_ids)
