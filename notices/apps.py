from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = "Notices, reminders and breaches"

    def ready(self) -> None:
        from notices import (  # noqa: F401 - registers the planners
            planners,
            planners_members,
            planners_scrutiny,
        )
        from notices.signals import connect_receivers

        connect_receivers()
