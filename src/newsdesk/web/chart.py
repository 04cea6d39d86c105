"""The coverage chart: articles over time, one row per source, drawn as inline SVG (no JS).

The SVG has no viewBox, so it is never scaled: its text stays at LABEL_PX on a 390-pixel phone as
on a laptop (a 640-unit viewBox squeezed into a phone drew 12-unit labels at 6.7 px). Sources keep a
fixed LABEL-pixel column and the time axis stretches over the rest of the width: a dot at fraction f
of the span sits at `f` per cent of the width, moved back by `f` of the fixed margins (a transform),
which is `LABEL + PAD + f * (width - LABEL - 2 * PAD)` for any width.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from markupsafe import Markup, escape

from newsdesk.humanize import count
from newsdesk.serialize import aware

ROW, LABEL, PAD = 26, 150, 12  # px: row height, source-label column, margins
LABEL_PX, AXIS_PX = 13, 12  # font sizes, drawn as they are (WCAG-legible on a phone)
LABEL_CHARS = 19  # a longer source name is cut with an ellipsis to fit LABEL at LABEL_PX
MAX_ROWS = 10
NOMINAL = 640  # px: the width dots are binned at (the chart is at most this wide on a laptop)
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
    plot = NOMINAL - LABEL - 2 * PAD
    height = ROW * len(rows) + 2 * PAD + 18
    out = [
        f'<svg class="chart" width="100%" height="{height}" role="img" '
        f'aria-label="Articles over time by source" xmlns="http://www.w3.org/2000/svg">',
        "<title>Articles over time by source</title>",
    ]
    for n, (source, times) in enumerate(rows):
        y = PAD + n * ROW + ROW // 2
        color = PALETTE[n % len(PALETTE)]
        out.append(
            f'<text x="{LABEL - 8}" y="{y + 4}" text-anchor="end" font-size="{LABEL_PX}" '
            f'fill="#333">{escape(_short(source))}</text>'
        )
        out.append(
            f'<line x1="{LABEL + 2 * PAD}" x2="100%" y1="{y}" y2="{y}" stroke="#ddd" '
            f'transform="translate(-{PAD} 0)" />'
        )
        bins: dict[int, list[tuple[float, datetime]]] = defaultdict(list)
        for when in sorted(times):
            share = (when - start).total_seconds() / span
            bins[int(plot * share // BIN)].append((share, when))
        for dots in bins.values():
            share = sum(d[0] for d in dots) / len(dots)
            label = dots[0][1].strftime("%Y-%m-%d %H:%M")
            if len(dots) > 1:
                label = f"{count(len(dots), 'article')}, {label} to "
                label += dots[-1][1].strftime("%Y-%m-%d %H:%M")
            out.append(
                f'<circle {_across(share)} cy="{y}" r="5" fill="{color}" fill-opacity="0.8">'
                f"<title>{escape(source)}: {escape(label)}</title></circle>"
            )
    # The first and last times hang from ticks at the ends of the time axis, the first one
    # under the source names: side by side they would overlap on a phone's 180-pixel axis.
    axis, bottom = height - 6, PAD + ROW * len(rows)
    ends = ((f"{LABEL + PAD}", ""), ("100%", f' transform="translate(-{PAD} 0)"'))
    for x, shift in ends:
        out.append(f'<line x1="{x}" x2="{x}" y1="{PAD}" y2="{bottom + 4}" stroke="#aaa"{shift} />')
    out.append(_axis_label(f'x="{LABEL + PAD}"', axis, start, "end"))
    out.append(_axis_label(f'x="100%" transform="translate(-{PAD} 0)"', axis, end, "end"))
    out.append("</svg>")
    return Markup("".join(out))


def _across(share: float) -> str:
    """The x of a dot `share` of the way along the time axis, at any width of the chart."""
    back = LABEL + PAD - share * (LABEL + 2 * PAD)
    return f'cx="{100 * share:.2f}%" transform="translate({back:.1f} 0)"'


def _axis_label(x: str, y: int, when: datetime, anchor: str) -> str:
    label = escape(when.strftime("%d %b %Y %H:%M UTC"))
    return (
        f'<text {x} y="{y}" text-anchor="{anchor}" font-size="{AXIS_PX}" fill="#555">{label}</text>'
    )


def _short(source: str, limit: int = LABEL_CHARS) -> str:
    return source if len(source) <= limit else source[: limit - 1] + "…"
