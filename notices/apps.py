from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = "Notices, reminders and breaches"
    # The Celery task that sends due notices (notices.tasks.notices_dispatch), set in
    # ready(): services enqueue it through this attribute, so tasks import services and
    # never the reverse.
    dispatch_task = None

    def ready(self) -> None:
        from notices import (  # noqa: F401 - registers the planners and breach detectors
            planners,
            planners_members,
            planners_scrutiny,
        )
        from notices.messages import _email_to_send
        from notices.signals import connect_receivers
        from notices.tasks import notices_dispatch
        from panels.signals import email_to_send

        self.dispatch_task = notices_dispatch
        connect_receivers()
        email_to_send.connect(_email_to_send, dispatch_uid="notices-email-to-send")
