"""Celery tasks of the panels layer. Thin and safe to run twice."""

from celery import shared_task

FORGET_TOKENS_TASK = "panels.forget_old_form_tokens"


@shared_task(name=FORGET_TOKENS_TASK, acks_late=True, ignore_result=True)
def panels_forget_old_form_tokens() -> int:
    """Daily: delete forms' one-time tokens older than a day (panels.idempotency)."""
    from panels.idempotency import forget_old_tokens

    return forget_old_tokens()
