"""Celery tasks: thin wrappers that take ids, re-read the rows and are safe to run twice."""

from celery import shared_task

from scrutiny.services.measures import DRAW_CHARTS_TASK


@shared_task(name=DRAW_CHARTS_TASK, acks_late=True, ignore_result=True)
def scrutiny_draw_charts(panel_id: int) -> int:
    """Draw a panel's measure charts into the shared cache (after its results change), so
    the first person to open the dashboard does not wait for matplotlib. Returns how many
    charts the panel has; a panel deleted meanwhile has none."""
    from django_scopes import scopes_disabled

    from panels.models import Panel
    from scrutiny.charts import measure_charts
    from scrutiny.selectors import measure_rows

    with scopes_disabled():
        panel = Panel.objects.select_related("organisation").filter(pk=panel_id).first()
        if panel is None:
            return 0
        return len(measure_charts(measure_rows(org=panel.organisation, panel=panel)))
