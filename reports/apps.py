from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Board reports"
    # The Celery task that builds a requested report (reports.tasks.report_generate), set in
    # ready(): report_request enqueues through it, so tasks import services and never the
    # reverse.
    generate_task = None

    def ready(self) -> None:
        from reports.tasks import report_generate

        self.generate_task = report_generate
