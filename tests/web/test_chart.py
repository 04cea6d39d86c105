"""The coverage chart's SVG: drawn unscaled (no viewBox) so a phone shows its labels at their
size; dots placed for any width; long or hostile source names cut and escaped."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

from newsdesk.web.chart import LABEL, LABEL_CHARS, PAD, coverage_chart

SVG = "{http://www.w3.org/2000/svg}"
T0 = datetime(2025, 6, 2, 8, 0, tzinfo=UTC)


def _svg(points: list[tuple[str, datetime]]) -> ElementTree.Element:
    return ElementTree.fromstring(str(coverage_chart(points)))


def test_no_viewbox_and_every_label_at_least_12_px() -> None:
    svg = _svg([("AP", T0), ("Reuters", T0 + timedelta(hours=5)), ("BBC", T0 + timedelta(days=2))])
    assert "viewBox" not in svg.attrib  # a viewBox would scale the text down on a phone
    assert svg.get("width") == "100%" and int(svg.get("height", "0")) > 0
    texts = svg.findall(f"{SVG}text")
    assert len(texts) == 5  # three sources, the first and the last time
    assert all(float(t.get("font-size", "0")) >= 12 for t in texts)


def test_dots_span_the_axis_at_any_width() -> None:
    """At fraction f of the time span a dot's x is LABEL + PAD + f * (width - LABEL - 2 PAD)."""
    svg = _svg([("AP", T0), ("AP", T0 + timedelta(hours=10)), ("AP", T0 + timedelta(hours=5))])
    placed = []
    for dot in svg.findall(f"{SVG}circle"):
        share = float(dot.get("cx", "").rstrip("%")) / 100
        match = re.fullmatch(r"translate\(([-\d.]+) 0\)", dot.get("transform", ""))
        assert match
        placed.append((share, float(match.group(1))))
    assert [round(s, 2) for s, _ in placed] == [0.0, 0.5, 1.0]
    for width in (358, 640, 816):
        xs = [share * width + back for share, back in placed]
        assert abs(xs[0] - (LABEL + PAD)) < 0.1
        assert abs(xs[-1] - (width - PAD)) < 0.1


def test_long_and_hostile_names_are_cut_and_escaped() -> None:
    name = "<script>alert(1)</script> The Extremely Long Daily Chronicle"
    html = str(coverage_chart([(name, T0)]))
    assert "<script>" not in html
    label = _svg([(name, T0)]).find(f"{SVG}text")
    assert label is not None and label.text is not None
    assert len(label.text) == LABEL_CHARS and label.text.endswith("…")


def test_no_dated_points_no_chart() -> None:
    assert str(coverage_chart([])) == ""
