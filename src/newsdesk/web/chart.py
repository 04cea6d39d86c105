"""The coverage chart: articles over time, one row per source, drawn as inline SVG (no JS)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from markupsafe import Markup, escape

from newsdesk.humanize import count
from newsdesk.serialize import aware

WIDTH, ROW, LABEL, PAD = 640, 24, 150, 12
MAX_ROWS = 10
BIN = 6  # px: dots nearer than this on a row are one dot (r=5, they overlap anyway)
PALETTE = ("#1f5fa8", "#b4441c", "#2f7d32", "#7b3fa0", "#a86b00", "#00707a", "#9c2a56")


def coverage_chart(dated: Iterable[tuple[str, datetime]]) -> Markup:
    """An SVG dot plot of (source, published) points (repo.story_points: every dated article
    and sighting); empty when there are none. Dots closer than BIN px on a row are drawn as one
    that says how many it stands for, so the chart stays small for a story of any size."""
    points: dict[str, list[datetime]] = defaultdict(list)
    for source, published in dated:
        when = aware(published)  # undated coverage has no place on a time axis
        if when is not None:
            points[source].append(when)
    if not points:
        return Markup("")
    rows = sorted(points.items(), key=lambda kv: (-len(kv[1]), kv[0].casefold()))
    if len(rows) > MAX_ROWS:
        rest = [t for _, times in rows[MAX_ROWS - 1 :] for t in times]
        rows = [*rows[: MAX_ROWS - 1], (count(len(rows) - MAX_ROWS + 1, "more source"), rest)]
    everything = [t for _, times in rows for t in times]
    start, end = min(everything), max(everything)
    if end - start < timedelta(hours=1):
        start, end = start - timedelta(minutes=30), end + timedelta(minutes=30)
    span = (end - start).total_seconds()
    plot = WIDTH - LABEL - 2 * PAD
    height = ROW * len(rows) + 2 * PAD + 16
    out = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-label="Articles over time by source" xmlns="http://www.w3.org/2000/svg">',
        "<title>Articles over time by source</title>",
    ]
    for n, (source, times) in enumerate(rows):
        y = PAD + n * ROW + ROW // 2
        color = PALETTE[n % len(PALETTE)]
        out.append(
            f'<text x="{LABEL - 8}" y="{y + 4}" text-anchor="end" font-size="12" '
            f'fill="#333">{escape(_short(source))}</text>'
        )
        out.append(f'<line x1="{LABEL}" x2="{WIDTH - PAD}" y1="{y}" y2="{y}" stroke="#ddd" />')
        bins: dict[int, list[tuple[float, datetime]]] = defaultdict(list)
        for when in sorted(times):
            x = LABEL + PAD + plot * (when - start).total_seconds() / span
            bins[int(x // BIN)].append((x, when))
        for dots in bins.values():
            x = sum(d[0] for d in dots) / len(dots)
            label = dots[0][1].strftime("%Y-%m-%d %H:%M")
            if len(dots) > 1:
                label = f"{count(len(dots), 'article')}, {label} to "
                label += dots[-1][1].strftime("%Y-%m-%d %H:%M")
            out.append(
                f'<circle cx="{x:.1f}" cy="{y}" r="5" fill="{color}" fill-opacity="0.8">'
                f"<title>{escape(source)}: {escape(label)}</title></circle>"
            )
    axis = height - 8
    out.append(_axis_label(LABEL + PAD, axis, start, "start"))
    out.append(_axis_label(WIDTH - PAD, axis, end, "end"))
    out.append("</svg>")
    return Markup("".join(out))


def _axis_label(x: int, y: int, when: datetime, anchor: str) -> str:
    label = escape(when.strftime("%d %b %Y %H:%M UTC"))
    return f'<text x="{x}" y="{y}" text-anchor="{anchor}" font-size="11" fill="#555">{label}</text>'


def _short(source: str, limit: int = 22) -> str:
    return source if len(source) <= limit else source[: limit - 1] + "…"
