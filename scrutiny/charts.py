"""One chart per measure, drawn by matplotlib as SVG, for the Board report (two to a row on
A4) and the scrutiny dashboard (as <img src="data:...">, which the Content Security Policy
allows: no inline script or style on the page).

A trustee can read it: quarters (or months) along the x-axis, the y-axis with ticks and the
unit ("41 per 1,000 homes" puts "per 1,000 homes" on the axis), the target as a labelled
dashed line, the last value labelled. The title (code and full name) is the figure's
caption in HTML, so it wraps and is never cut. The SVG is deterministic (fixed hash salt,
no date), so the same data give the same bytes; drawn charts are cached by their data, in
the process and in the shared cache.
"""

from __future__ import annotations

import base64
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")  # no display; must precede pyplot
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

PRIMARY = "#1f4e79"
TARGET = "#8a1c1c"
GRID = "#d0d7de"
TEXT = "#1b1b1b"
# About 84 mm by 52 mm: two side by side across an A4 page inside 18 mm margins.
WIDTH_IN, HEIGHT_IN = 3.3, 2.05


@dataclass(frozen=True)
class SeriesPoint:
    label: str
    value: float | None


def number_text(value) -> str:
    """41 -> "41", 72.50 -> "72.5", 1234 -> "1,234"."""
    number = Decimal(str(value)).normalize()
    if number == number.to_integral():
        return f"{int(number):,}"
    return f"{number:,f}".rstrip("0").rstrip(".")


def with_unit(value, unit: str) -> str:
    """ "80%" but "41 per 1,000 homes": a word unit is spaced from its number."""
    text = number_text(value)
    if not unit or unit == "%":
        return f"{text}{unit}"
    return f"{text} {unit}"


def _axis_formatter(unit: str):
    if unit == "%":
        return FuncFormatter(lambda v, _pos: f"{number_text(round(v, 2))}%")
    return FuncFormatter(lambda v, _pos: number_text(round(v, 2)))


def _svg(figure) -> str:
    buffer = io.StringIO()
    with plt.rc_context({"svg.hashsalt": "panelhub", "svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(figure)
    return buffer.getvalue()


def measure_chart_svg(
    *, points: Sequence[SeriesPoint], target: float | None, unit: str = ""
) -> str | None:
    """The SVG text of one measure's chart; None when there is no result to draw."""
    values = [p.value for p in points if p.value is not None]
    if not values:
        return None
    figure = plt.figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=100)
    axes = figure.add_axes((0.16 if unit == "%" else 0.14, 0.2, 0.8, 0.68))
    positions = list(range(len(points)))
    series = [p.value for p in points]
    axes.plot(positions, series, color=PRIMARY, linewidth=1.8, marker="o", markersize=3)
    low = min(values + ([target] if target is not None else []))
    high = max(values + ([target] if target is not None else []))
    span = (high - low) or max(abs(high), 1.0)
    axes.set_ylim(max(0.0, low - span * 0.25) if low >= 0 else low - span * 0.25, high + span * 0.3)
    axes.set_xlim(-0.4, len(points) - 0.4 + 0.9)
    if target is not None:
        axes.axhline(target, color=TARGET, linestyle="--", linewidth=1.1)
        axes.annotate(
            f"Target {with_unit(target, unit if unit == '%' else '')}",
            xy=(1.0, target),
            xycoords=("axes fraction", "data"),
            xytext=(0, 2),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=6.5,
            color=TARGET,
        )
    last_index = max(i for i, v in enumerate(series) if v is not None)
    axes.annotate(
        with_unit(series[last_index], unit if unit == "%" else ""),
        xy=(last_index, series[last_index]),
        xytext=(5, 0),
        textcoords="offset points",
        va="center",
        fontsize=7.5,
        fontweight="bold",
        color=PRIMARY,
    )
    axes.set_xticks(positions, [p.label for p in points])
    axes.tick_params(axis="x", labelsize=6, length=2, rotation=0)
    if len(points) > 5:
        for index, label in enumerate(axes.get_xticklabels()):
            label.set_visible(index % 2 == (len(points) - 1) % 2)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=4))
    axes.yaxis.set_major_formatter(_axis_formatter(unit))
    axes.tick_params(axis="y", labelsize=6.5, length=2)
    if unit and unit != "%":
        axes.set_ylabel(unit, fontsize=6.5, color=TEXT)
    axes.grid(axis="y", color=GRID, linewidth=0.5)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_linewidth(0.6)
    return _svg(figure)


# Drawn charts are kept at two levels, both keyed by the chart's data: this process's own
# small dictionary, then the shared cache (Redis in production), so a chart is drawn once
# for every web process and replica (about 28 ms of matplotlib each), not once per process.
# The shared cache fails open (panelhub.cache): while Redis is away charts are drawn again.
_CACHE: dict[str, str | None] = {}
_CACHE_LIMIT = 512
SHARED_PREFIX = "panelhub:chart:v1:"
SHARED_TIMEOUT = 7 * 24 * 3600
_NO_CHART = ""  # in the shared cache: "no result to draw"


def chart_key(*, points: Sequence[SeriesPoint], target: float | None, unit: str = "") -> str:
    return hashlib.sha256(repr((tuple(points), target, unit)).encode()).hexdigest()


def measure_chart_uri(
    *, points: Sequence[SeriesPoint], target: float | None, unit: str = ""
) -> str | None:
    """The chart as a data: URI (for <img src> in the PDF and on the dashboard), or None when
    there is no result to draw; the same data draw the same bytes, so it is cached by them."""
    from django.core.cache import cache

    key = chart_key(points=points, target=target, unit=unit)
    if key in _CACHE:
        return _CACHE[key]
    uri = cache.get(SHARED_PREFIX + key)
    if uri is None:
        svg = measure_chart_svg(points=points, target=target, unit=unit)
        uri = (
            _NO_CHART
            if svg is None
            else "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")
        )
        cache.set(SHARED_PREFIX + key, uri, SHARED_TIMEOUT)
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    _CACHE[key] = uri or None
    return _CACHE[key]


def measure_charts(rows) -> list[dict]:
    """The dashboard's charts for measure rows (``selectors.measure_rows``): each a dict of
    the row, the data: URI and the alternative text; measures with no result are left out.
    Used by the dashboard and by ``scrutiny.draw_charts``, which draws them ahead of the
    first reader when results change."""
    charts = []
    for row in rows:
        measure, state = row.measure, row.state
        uri = measure_chart_uri(
            points=[SeriesPoint(p.label, float(p.value)) for p in state.points],
            target=float(measure.target),
            unit=measure.unit,
        )
        if uri is None:
            continue
        alt = (
            f"{measure}: the last {len(state.points)} results against a target of "
            f"{with_unit(measure.target, measure.unit)}"
        )
        if state.latest:
            alt += f"; latest {with_unit(state.latest.value, measure.unit)} ({state.latest.label})"
        charts.append({"row": row, "uri": uri, "alt": alt})
    return charts
