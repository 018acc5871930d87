"""Seed-time meeting papers that read like real ones: a performance summary with a bar chart
and a policy draft, several A4 pages each, drawn by WeasyPrint from each organisation's own
figures (meetings.demo passes them in). Nothing here says "demo"."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from html import escape

from django.core.files.base import ContentFile
from weasyprint import HTML

STYLE = """
@page { size: A4; margin: 20mm 18mm; @bottom-center { content: "Page " counter(page)
  " of " counter(pages); font-size: 8pt; color: #555; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.45; color: #1b1b1b; }
h1 { font-size: 18pt; color: #1f4e79; margin: 0 0 2mm; }
h2 { font-size: 12.5pt; color: #1f4e79; margin: 7mm 0 2mm; break-after: avoid; }
.meta { color: #444; margin-bottom: 6mm; }
table { border-collapse: collapse; width: 100%; margin: 3mm 0; font-size: 9pt; }
th, td { border-bottom: 0.5pt solid #c8ced6; padding: 1.5mm; text-align: left; }
th { background: #eef3f8; }
.newpage { break-before: page; }
"""


@dataclass(frozen=True)
class Figure:
    name: str
    unit: str
    target: float
    values: tuple[float, ...]  # oldest first, one per quarter
    labels: tuple[str, ...]


def _bar_chart(figure: Figure) -> str:
    """A plain SVG bar chart: one bar per quarter, the target as a dashed line, labelled."""
    width, height, left, bottom = 440, 190, 46, 28
    top_value = max((*figure.values, figure.target)) * 1.2 or 1
    step = (width - left - 10) / len(figure.values)

    def y(value: float) -> float:
        return height - bottom - (value / top_value) * (height - bottom - 12)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}">']
    for tick in range(5):
        value = top_value * tick / 4
        parts.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            'stroke="#d0d7de" stroke-width="0.6"/>'
            f'<text x="{left - 4}" y="{y(value) + 3:.1f}" font-size="8" text-anchor="end">'
            f"{value:.0f}{escape(figure.unit if figure.unit == '%' else '')}</text>"
        )
    for index, (value, label) in enumerate(zip(figure.values, figure.labels, strict=True)):
        x = left + index * step + step * 0.18
        parts.append(
            f'<rect x="{x:.1f}" y="{y(value):.1f}" width="{step * 0.64:.1f}" '
            f'height="{height - bottom - y(value):.1f}" fill="#1f4e79"/>'
            f'<text x="{x + step * 0.32:.1f}" y="{y(value) - 3:.1f}" font-size="8" '
            f'text-anchor="middle">{value:g}</text>'
            f'<text x="{x + step * 0.32:.1f}" y="{height - bottom + 12}" font-size="8" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    parts.append(
        f'<line x1="{left}" x2="{width - 10}" y1="{y(figure.target):.1f}" '
        f'y2="{y(figure.target):.1f}" stroke="#8a1c1c" stroke-dasharray="5,3"/>'
        f'<text x="{width - 12}" y="{y(figure.target) - 4:.1f}" font-size="8" fill="#8a1c1c" '
        f'text-anchor="end">Target {figure.target:g}{escape(figure.unit)}</text></svg>'
    )
    return "".join(parts)


def _pdf(title: str, body: str) -> bytes:
    html = (
        f'<html lang="en-GB"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{STYLE}</style></head><body>{body}</body></html>"
    )
    return HTML(string=html).write_pdf()


def performance_summary(
    *, organisation: str, panel: str, meeting_on: datetime.date, homes: int, figures: list[Figure]
) -> ContentFile:
    """A performance summary: headline table, one chart per measure, commentary."""
    rows = "".join(
        f"<tr><td>{escape(f.name)}</td><td>{f.values[-1]:g}{escape(f.unit)}</td>"
        f"<td>{f.target:g}{escape(f.unit)}</td><td>{f.values[-2]:g}{escape(f.unit)}</td></tr>"
        for f in figures
    )
    charts = "".join(
        f'<h2 class="{"newpage" if i % 2 == 0 else ""}">{escape(f.name)}</h2>'
        f"<p>Results for the last {len(f.values)} quarters against the target of "
        f"{f.target:g}{escape(f.unit)}.</p>{_bar_chart(f)}"
        f"<p>The latest result is {f.values[-1]:g}{escape(f.unit)}, "
        f"{'up' if f.values[-1] > f.values[-2] else 'down'} from {f.values[-2]:g} the quarter "
        "before. The service lead will explain the change at the meeting and take questions "
        "from the panel.</p>"
        for i, f in enumerate(figures)
    )
    body = (
        f"<h1>Performance summary</h1><p class='meta'>{escape(organisation)} · {escape(panel)}"
        f" · results to {escape(figures[0].labels[-1]) if figures else ''}"
        f" · prepared {meeting_on:%B %Y} · {homes:,} homes</p>"
        "<h2>Headlines</h2><table><thead><tr><th>Measure</th><th>Latest</th><th>Target</th>"
        f"<th>Quarter before</th></tr></thead><tbody>{rows}</tbody></table>"
        "<h2>What the panel is asked to do</h2><p>Note the results, question the service leads "
        "on the measures below target, and agree whether any should become the subject of a "
        "scrutiny review.</p>" + charts
    )
    return ContentFile(_pdf("Performance summary", body), name="performance-summary.pdf")


def policy_draft(*, organisation: str, title: str, owner: str, sections: list[str]) -> ContentFile:
    """A draft policy for the panel's comments: purpose, scope and numbered sections."""
    numbered = "".join(
        f"<h2 class='{'newpage' if n == 3 else ''}'>{n}. {escape(heading)}</h2>"
        f"<p>{n}.1 {escape(organisation)} will set out clearly what residents can expect under "
        f"this heading, how to ask for it, and how long each step will take.</p>"
        f"<p>{n}.2 Staff will record each request and the outcome, so the panel can check "
        "through its quarterly performance report that the policy is being followed.</p>"
        f"<p>{n}.3 Where the policy is not followed, the resident may complain through the "
        "complaints policy and, after that, to the Housing Ombudsman.</p>"
        for n, heading in enumerate(sections, start=1)
    )
    body = (
        f"<h1>{escape(title)}</h1><p class='meta'>{escape(organisation)} · draft for the panel's "
        f"comments · policy owner: {escape(owner)}</p><h2>Purpose</h2><p>This draft sets out "
        "how we will meet our commitments to residents. The panel is asked whether it is clear, "
        "fair and workable, and what should change before it goes to the Board.</p>"
        "<h2>Scope</h2><p>It applies to every tenant and leaseholder, and to contractors working "
        "on our behalf.</p>" + numbered + "<h2>Review</h2><p>This policy will be reviewed "
        "every three years, or sooner if the law or the regulator's standards change.</p>"
    )
    return ContentFile(_pdf(title, body), name="policy-draft.pdf")
