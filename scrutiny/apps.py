from django.apps import AppConfig


class ScrutinyConfig(AppConfig):
    name = "scrutiny"
    verbose_name = "Scrutiny and performance"

    def ready(self) -> None:
        # Registers scrutiny.draw_charts with Celery (services enqueue it by name).
        from scrutiny import tasks  # noqa: F401
