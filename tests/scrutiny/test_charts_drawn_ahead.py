"""Charts drawn ahead of the first reader (issue 20): recording or importing results has a
worker draw the panel's charts into the shared cache once the change commits; a broker
that is away only leaves them to the first reader, never loses the result; the
draw_charts command does every panel or the organisations named, and refuses an unknown
one by name."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from scrutiny import charts, services
from scrutiny.models import MeasureResult
from scrutiny.selectors import measure_rows

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 30)


def _shared_keys(tenant):
    rows = measure_rows(org=tenant.org, panel=tenant.panel)
    return [
        charts.SHARED_PREFIX
        + charts.chart_key(
            points=[charts.SeriesPoint(p.label, float(p.value)) for p in row.state.points],
            target=float(row.measure.target),
            unit=row.measure.unit,
        )
        for row in rows
    ]


def test_recording_a_result_draws_the_chart_once_it_commits(
    tenant_a, make_measure, counted_draws, django_capture_on_commit_callbacks
):
    measure = make_measure()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.result_record(
            measure=measure,
            period_start=datetime.date(2026, 7, 1),
            value=D("70"),
            by=None,
            today=TODAY,
        )
    assert len(callbacks) == 1 and len(counted_draws) == 1
    (key,) = _shared_keys(tenant_a)
    assert cache.get(key).startswith("data:image/svg+xml;base64,")
    # The reader's dashboard takes it from the shared cache (another process: empty dict).
    charts._CACHE.clear()
    assert len(charts.measure_charts(measure_rows(org=tenant_a.org, panel=tenant_a.panel))) == 1
    assert len(counted_draws) == 1


def test_importing_results_draws_the_panels_charts(
    tenant_a, make_measure, counted_draws, django_capture_on_commit_callbacks
):
    measure = make_measure()
    csv_text = f"measure,period,value\n{measure.name},2026 Q2,71\n{measure.name},2026 Q3,72\n"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.results_import(panel=tenant_a.panel, csv_text=csv_text, by=None, today=TODAY)
    assert MeasureResult.objects.filter(measure=measure).count() == 2
    assert len(callbacks) == 1 and len(counted_draws) == 1
    assert all(cache.get(key) for key in _shared_keys(tenant_a))


def test_a_broker_away_keeps_the_result_and_leaves_the_chart_to_its_reader(
    tenant_a, make_measure, counted_draws, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    from celery import current_app

    task = current_app.tasks[services.measures.DRAW_CHARTS_TASK]

    def refused(*args, **kwargs):
        raise ConnectionRefusedError("broker away")

    monkeypatch.setattr(task, "apply_async", refused)
    measure = make_measure()
    with django_capture_on_commit_callbacks(execute=True):
        services.result_record(
            measure=measure,
            period_start=datetime.date(2026, 7, 1),
            value=D("70"),
            by=None,
            today=TODAY,
        )
    assert MeasureResult.objects.filter(measure=measure).count() == 1
    assert "could not enqueue drawing the charts" in caplog.text
    assert counted_draws == []
    assert len(charts.measure_charts(measure_rows(org=tenant_a.org, panel=tenant_a.panel))) == 1
    assert len(counted_draws) == 1


def test_the_draw_charts_command(tenant_a, tenant_b, make_measure, counted_draws, capsys):
    measure = make_measure()
    MeasureResult.objects.create(
        organisation=tenant_a.org,
        measure=measure,
        period_start=datetime.date(2026, 7, 1),
        value=D("70"),
    )
    call_command("draw_charts", "--org", tenant_a.org.slug)
    assert "1 chart(s) of" in capsys.readouterr().out
    assert all(cache.get(key) for key in _shared_keys(tenant_a))
    call_command("draw_charts")
    assert len(counted_draws) == 1  # already drawn: taken from the cache
    with pytest.raises(CommandError, match="--org: no organisation nowhere"):
        call_command("draw_charts", "--org", "nowhere")
