from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Data protection (issue 19): history timelines, subject access exports.

    The highest app below the site layer: it reads every app's rows (an export gathers
    everything held about one person) and no app imports it."""

    name = "privacy"
    verbose_name = "Data protection"
    default_auto_field = "django.db.models.BigAutoField"
    # Set in ready(): services enqueue through it, so tasks import services, not the reverse.
    export_task = None

    def ready(self) -> None:
        from privacy.tasks import privacy_build_export

        self.export_task = privacy_build_export
