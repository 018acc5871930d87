from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The site layer: pages that gather from several apps (the start page, an
    organisation's landing page with the officer's at-a-glance, /healthz). It may import
    every app; no app imports it. It also connects what a lower app reads from a higher one
    (members' attendance facts from meetings) when the apps are ready."""

    name = "home"
    verbose_name = "Start page and health"

    def ready(self):
        from meetings import selectors as meeting_selectors
        from members import ports

        ports.connect_meeting_registers(
            ports.MeetingRegisters(
                held_meetings=meeting_selectors.held_meetings_of_panels,
                present_pairs=meeting_selectors.present_pairs,
                present_membership_ids=meeting_selectors.present_membership_ids,
                is_held=meeting_selectors.meeting_is_held,
                meeting_by_id=meeting_selectors.access_meeting_by_id,
            )
        )
