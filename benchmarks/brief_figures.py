"""Key figures (issue 8, point 5): value, unit and what they count once each.

Run: .venv/bin/python benchmarks/brief_figures.py [--cache FILE]   (NEWSDESK_CORPUS overrides
the corpus path; --cache keeps the parsed ECB+ articles in FILE between runs)

Prints a Markdown section: figure precision and recall against the hand labels
(tests/enrich/labels.jsonl, dev and test), and over the story figures of the 86 ECB+ events
(articles grouped by their gold event, merged as a story brief merges them) the counts of doubled
units ("70% %"), values repeated in their own phrase ("26 26 people"), the same value and unit
twice in one story, dates, years or clock times given as figures, and bare numbers. The script
uses only figures() and merge_figures(), so the same command measures an older tree.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import pickle
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "enrich"))
os.environ.setdefault("OMP_NUM_THREADS", "1")

from enrich_scoring import CORPUS, labelled_text, load_labels, score_labels  # noqa: E402

from newsdesk.enrich import analyze  # noqa: E402
from newsdesk.enrich.analysis import Analysis, analyze_many  # noqa: E402
from newsdesk.enrich.figures import figures  # noqa: E402
from newsdesk.enrich.member import Member  # noqa: E402
from newsdesk.enrich.story import merge_figures  # noqa: E402
from newsdesk.models import Brief, Figure  # noqa: E402

_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
           "sep", "sept", "oct", "nov", "dec"}  # fmt: skip
_YEAR = re.compile(r"(?:1[5-9]|20)\d\d")
_CLOCK = re.compile(r"\d:\d\d|^[ap]\.?\s?m\b", re.IGNORECASE)


def article_figures(analysis: Analysis) -> tuple[Figure, ...]:
    """figures() as the article brief calls it (headings and page furniture left out)."""
    headings = {i for i, s in enumerate(analysis.sentences) if len(s.text.split()) < 4}
    return figures(analysis, headings)


def _key(f: Figure) -> tuple[str, str]:
    value = re.sub(r"\s*(?:per ?cent|percent)\b", "%", f.value.casefold()).replace(",", "")
    unit = " ".join((f.unit or "").casefold().split())
    return " ".join(value.split()), unit[:-1] if unit.endswith("s") else unit


def problems(story: tuple[Figure, ...]) -> dict[str, int]:
    out = dict.fromkeys(("doubled unit", "value in its phrase", "repeat", "date/time", "bare"), 0)
    seen: set[tuple[str, str]] = set()
    for f in story:
        shown = f"{f.value} {f.unit or ''}".casefold().split()
        unit = (f.unit or "").casefold().strip()
        if any(a == b for a, b in itertools.pairwise(shown)) or (
            unit and unit in f.value.casefold()
        ):
            out["doubled unit"] += 1
        if re.search(rf"(?<![\w.,]){re.escape(f.value)}(?![\w])", f.what):
            out["value in its phrase"] += 1
        key = _key(f)
        out["repeat"] += key in seen
        seen.add(key)
        word = (f.what.split() or [""])[0].strip(".,")
        first = "" if word.isupper() else word.casefold()  # "APR" is a rate, "Apr." a month
        if (
            (_YEAR.fullmatch(f.value.strip()) and not unit)
            or _CLOCK.search(f.value)
            or _CLOCK.search(unit)
            or unit in _MONTHS
            or first in _MONTHS
            or unit.endswith(" ago")
            or first == "ago"
        ):
            out["date/time"] += 1
        what = f.what.replace(f.value, "")
        out["bare"] += not f.unit and not re.search(r"[A-Za-z]{2}", what)
    return out


def labels() -> None:
    rows = load_labels()
    print("### Hand labels (tests/enrich/labels.jsonl): figure values\n")
    print("| split | articles | precision | recall | tp | fp | fn |\n|---|---|---|---|---|---|---|")
    for split in ("dev", "test"):
        pairs = []
        for row in (r for r in rows if r["split"] == split):
            title, text = labelled_text(row)
            analysis = analyze(text, title=title or None, lang="en")
            pairs.append((row, Brief(lang="en", figures=article_figures(analysis))))
        s = score_labels(pairs).figures
        print(f"| {split} | {len(pairs)} | {s.precision:.3f} | {s.recall:.3f} | {s.tp} | {s.fp} "
              f"| {s.fn} |")  # fmt: skip


def stories(cache: Path | None) -> None:
    with (CORPUS / "stories" / "ecbplus_articles.jsonl").open(encoding="utf-8") as lines:
        arts = [json.loads(line) for line in lines]
    if cache is not None and cache.exists():
        analyses = pickle.loads(cache.read_bytes())
    else:
        items = ((a["text"], a["title"] or None, "en") for a in arts)
        analyses = {a["id"]: an for a, an in zip(arts, analyze_many(items), strict=True)}
        if cache is not None:
            cache.write_bytes(pickle.dumps(analyses))
    events: dict[str, list[Member]] = defaultdict(list)
    per_article = 0
    for n, a in enumerate(arts):
        figs = article_figures(analyses[a["id"]])
        per_article += len(figs)
        brief = Brief(lang="en", figures=figs)
        events[a["event_id"]].append(Member(n, a["source"] or "", a["title"] or "", None, brief))
    totals: dict[str, int] = defaultdict(int)
    count = 0
    for members in events.values():
        merged = merge_figures(members)
        count += len(merged)
        for k, v in problems(merged).items():
            totals[k] += v
    print(f"\n### Story figures of the ECB+ events ({len(events)} stories, {len(arts)} articles, "
          f"{per_article} article figures)\n")  # fmt: skip
    print("| story figures | " + " | ".join(totals) + " |")
    print("|---|" + "---|" * len(totals))
    print(f"| {count} | " + " | ".join(str(v) for v in totals.values()) + " |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="keep the parsed ECB+ articles in this file")
    args = parser.parse_args()
    print("## Key figures\n")
    print("Command: `.venv/bin/python benchmarks/brief_figures.py`\n")
    labels()
    stories(args.cache)
    return 0


if __name__ == "__main__":
    sys.exit(main())
