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
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(figure)
    encoded = base64.b64encode(buffer.getvalue().encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"


def measure_trend_chart(
    *, title: str, points: Sequence[SeriesPoint], target: float | None, unit: str = ""
) -> str | None:
    """A small line chart of a measure's recent results against its target.

    Kept deliberately sparse (a line, the target, the first and last labels): a report
    carries one per measure, and every SVG element costs time in the PDF renderer.
    """
    values = [p for p in points if p.value is not None]
    if not values:
        return None
    figure = plt.figure(figsize=(2.4, 1.05), dpi=100)
    axes = figure.add_axes((0.12, 0.2, 0.84, 0.58))
    positions = list(range(len(points)))
    series = [p.value for p in points]
    axes.plot(positions, series, color=PRIMARY, linewidth=1.6)
    axes.plot(positions[-1:], series[-1:], marker="o", color=PRIMARY, markersize=3.5)
    if target is not None:
        axes.axhline(target, color=TARGET, linestyle="--", linewidth=0.9)
    axes.set_xticks([positions[0], positions[-1]], [points[0].label, points[-1].label])
    low = min([v for v in series if v is not None] + ([target] if target is not None else []))
    high = max([v for v in series if v is not None] + ([target] if target is not None else []))
    axes.set_yticks([low, high])
    axes.tick_params(labelsize=6, length=0, pad=2)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.spines["bottom"].set_linewidth(0.5)
    caption = title if target is None else f"{title} (target {target:g}{unit})"
    figure.text(0.02, 0.88, caption[:70], fontsize=6.5)
    return _svg_data_uri(figure)
