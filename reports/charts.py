"""Charts for reports: SVG drawn by matplotlib, embedded as data: URIs.

The SVG is made deterministic (fixed hash salt, no date metadata) so the same data
gives the same bytes.
"""

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # no display; must precede pyplot
import matplotlib.pyplot as plt  # noqa: E402

PRIMARY = "#1f4e79"
TARGET = "#c62828"
GRID = "#d0d7de"


@dataclass(frozen=True)
class SeriesPoint:
    label: str
    value: float | None


def _svg_data_uri(figure) -> str:
    buffer = io.StringIO()
    with plt.rc_context({"svg.hashsalt": "panelhub", "svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(figure)
    encoded = base64.b64encode(buffer.getvalue().encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"


def measure_trend_chart(
    *, title: str, points: Sequence[SeriesPoint], target: float | None, unit: str = ""
) -> str | None:
    """A small line chart of a measure's recent results against its target."""
    values = [p for p in points if p.value is not None]
    if not values:
        return None
    figure, axes = plt.subplots(figsize=(4.2, 1.9), dpi=100)
    labels = [p.label for p in points]
    axes.plot(
        labels,
        [p.value for p in points],
        marker="o",
        color=PRIMARY,
        linewidth=1.8,
        markersize=3.5,
        label="Result",
    )
    if target is not None:
        axes.axhline(target, color=TARGET, linestyle="--", linewidth=1, label="Target")
    axes.set_title(title, fontsize=8, loc="left")
    axes.tick_params(labelsize=6)
    axes.grid(axis="y", color=GRID, linewidth=0.5)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if unit:
        axes.set_ylabel(unit, fontsize=6)
    axes.legend(fontsize=6, frameon=False, loc="best")
    return _svg_data_uri(figure)


def bar_chart(*, title: str, labels: Sequence[str], values: Sequence[float], unit: str = "") -> str:
    """A horizontal bar chart (e.g. attendance per meeting)."""
    figure, axes = plt.subplots(figsize=(5.5, max(1.2, 0.32 * len(labels) + 0.6)), dpi=100)
    axes.barh(list(labels), list(values), color=PRIMARY)
    axes.invert_yaxis()
    axes.set_title(title, fontsize=8, loc="left")
    axes.tick_params(labelsize=6)
    if unit:
        axes.set_xlabel(unit, fontsize=6)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return _svg_data_uri(figure)
