"""Horizontal bar charts as inline SVG, drawn on the server (no script, no library).

Each chart is an image for assistive technologies (role="img", <title> and <desc> that
spell every figure); pages print the same figures in a table beside it."""
from __future__ import annotations

from itertools import count

from markupsafe import Markup, escape

BAR_HEIGHT, GAP, LABEL_WIDTH, BAR_WIDTH, VALUE_WIDTH = 22, 8, 230, 300, 50
COLOURS = ("#1f5f8b", "#3b8a3e", "#b5651d", "#7a4e9c", "#a23b3b", "#4d6d6d")
_ids = count(1)


def _shorten(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def bar_chart(title: str, items: list[tuple[str, int]], chart_id: str | None = None) -> Markup:
    """One bar per (label, value); bars are scaled on the largest value."""
    chart_id = chart_id or f"chart-{next(_ids)}"
    largest = max((value for _label, value in items), default=0) or 1
    height = max(len(items), 1) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    desc = "; ".join(f"{label} : {value}" for label, value in items) or "—"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="plan-chart" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             f'aria-labelledby="{chart_id}-title {chart_id}-desc" id="{chart_id}">',
             f'<title id="{chart_id}-title">{escape(title)}</title>',
             f'<desc id="{chart_id}-desc">{escape(desc)}</desc>']
    for index, (label, value) in enumerate(items):
        y = GAP + index * (BAR_HEIGHT + GAP)
        bar = round(BAR_WIDTH * value / largest) if value else 0
        middle = y + BAR_HEIGHT / 2 + 4
        parts.append(
            f'<g class="bar" data-label="{escape(label)}" data-value="{value}">'
            f'<text x="{LABEL_WIDTH - 8}" y="{middle}" text-anchor="end" font-size="12" '
            f'fill="#212529">{escape(_shorten(label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{bar}" height="{BAR_HEIGHT}" '
            f'fill="{COLOURS[index % len(COLOURS)]}"></rect>'
            f'<text x="{LABEL_WIDTH + bar + 6}" y="{middle}" font-size="12" '
            f'fill="#212529">{value}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))
