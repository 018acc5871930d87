import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "panelhub.settings.production")

app = Celery("panelhub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# Every task's writes carry the task's name in the history (panelhub/history.py).
@task_prerun.connect
def _history_context_open(task_id=None, task=None, **kwargs):
    from panelhub.history import task_context_enter

    task_context_enter(task_id, task.name)


@task_postrun.connect
def _history_context_close(task_id=None, **kwargs):
    from panelhub.history import task_context_exit

    task_context_exit(task_id)
