"""Extraction quality on the corpus pages: newsdesk against bare trafilatura, same pages, same run.

Metrics (each a mean of per-page scores; the snippet metrics count snippets, not pages):
  body_f1  token F1 of the text against fundus `body_text` (tokens: lower-cased words of the
           NFC-normalized text; CJK characters count one by one)
  with     share of trafilatura-corpus `with` snippets found in the title and text
  without  share of trafilatura-corpus `without` snippets absent from the title and text
  title    exact match after whitespace normalization
  date     same calendar date as the gold, read in the gold's own offset (null gold skipped)
  authors  F1 of the sets of normalized names (fundus: an empty gold list counts, and is only
           matched by no authors; trafilatura corpus: pages without gold authors skipped)
Pages split deterministically by a hash of their id into "dev" (tune here) and "test" (report).
"""

from __future__ import annotations

import hashlib
import re
import time as clock
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import dateutil.parser
import trafilatura

from newsdesk.errors import ExtractionError
from newsdesk.extract import extract_article

METRICS = ("body_f1", "with", "without", "title", "date", "authors")
SYSTEMS = ("trafilatura", "newsdesk")
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")
_SPACE = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")  # soft hyphens, zero-width


@dataclass(frozen=True, slots=True)
class Page:
    id: str
    lang: str
    url: str | None
    raw: bytes
    expected: dict[str, Any]
    full_gold: bool

    @property
    def split(self) -> str:
        return "dev" if _hash(self.id) % 2 == 0 else "test"


@dataclass(frozen=True, slots=True)
class Prediction:
    title: str | None = None
    text: str = ""
    authors: tuple[str, ...] = ()
    published: datetime | date | None = None


@dataclass(slots=True)
class Tally:
    """Sums of hits and counts per metric, so that groups add up."""

    hits: Counter[str] = field(default_factory=Counter)
    counts: Counter[str] = field(default_factory=Counter)
    pages: int = 0

    def add(self, scores: dict[str, tuple[float, int]]) -> None:
        self.pages += 1
        for metric, (hit, count) in scores.items():
            self.hits[metric] += hit
            self.counts[metric] += count

    def mean(self, metric: str) -> float | None:
        count = self.counts[metric]
        return self.hits[metric] / count if count else None


def pages_from(rows: Iterable[tuple[dict[str, Any], bytes, dict[str, Any]]]) -> list[Page]:
    """Pages from support.corpus.iter_pages rows."""
    return [
        Page(
            id=meta["id"],
            lang=meta.get("lang") or "und",
            url=meta.get("url"),
            raw=raw,
            expected=expected,
            full_gold=meta.get("gold") == "full",
        )
        for meta, raw, expected in rows
    ]


def subset(pages: list[Page], share: int, of: int) -> list[Page]:
    """A fixed deterministic subset: pages whose id hashes into share out of of buckets."""
    return [p for p in pages if (_hash(p.id) // 2) % of < share]


def predict_newsdesk(page: Page) -> Prediction:
    try:
        article = extract_article(page.raw, page.url)
    except ExtractionError:
        return Prediction()
    authors = tuple(article.byline.split(", ")) if article.byline else ()
    return Prediction(article.title, article.text, authors, article.published)


def predict_trafilatura(page: Page) -> Prediction:
    doc = trafilatura.bare_extraction(page.raw, url=page.url, with_metadata=True)
    if doc is None or isinstance(doc, dict):
        return Prediction()
    authors = tuple(a.strip() for a in (doc.author or "").split(";") if a.strip())
    day = date.fromisoformat(doc.date) if doc.date else None
    return Prediction(doc.title, doc.text or "", authors, day)


PREDICTORS: dict[str, Callable[[Page], Prediction]] = {
    "trafilatura": predict_trafilatura,
    "newsdesk": predict_newsdesk,
}


def score(page: Page, pred: Prediction) -> dict[str, tuple[float, int]]:
    """Per-metric (hits, count) for one page; metrics without gold are left out."""
    gold = page.expected
    out: dict[str, tuple[float, int]] = {}
    if page.full_gold:
        out["body_f1"] = (token_f1(pred.text, gold.get("body_text") or ""), 1)
    else:
        # The article as a reader sees it: newsdesk moves a leading headline into the title.
        text = _norm(f"{pred.title or ''}\n\n{pred.text}")
        must = [s for s in gold.get("with") or [] if s]
        must_not = [s for s in gold.get("without") or [] if s]
        if must:
            out["with"] = (sum(_norm(s) in text for s in must), len(must))
        if must_not:
            out["without"] = (sum(_norm(s) not in text for s in must_not), len(must_not))
    if gold.get("title"):
        out["title"] = (float(_norm(pred.title or "") == _norm(gold["title"])), 1)
    gold_date = parse_gold_date(gold.get("publishing_date"))
    if gold_date is not None:
        out["date"] = (float(same_day(pred.published, gold_date)), 1)
    gold_authors = gold.get("authors") or []
    if page.full_gold or gold_authors:
        out["authors"] = (set_f1(_names(pred.authors), _names(gold_authors)), 1)
    return out


def token_f1(text: str, gold: str) -> float:
    got, want = Counter(_tokens(text)), Counter(_tokens(gold))
    if not got or not want:
        return float(got == want)
    overlap = sum((got & want).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def set_f1(got: set[str], want: set[str]) -> float:
    if not got and not want:
        return 1.0
    overlap = len(got & want)
    if not overlap:
        return 0.0
    precision, recall = overlap / len(got), overlap / len(want)
    return 2 * precision * recall / (precision + recall)


def parse_gold_date(value: str | None) -> datetime | None:
    """The gold date, or None when absent or invalid (a few gold dates read "2022-25-10")."""
    if not value:
        return None
    try:
        return dateutil.parser.parse(value.strip())
    except (ValueError, OverflowError):
        return None


def same_day(pred: datetime | date | None, want: datetime) -> bool:
    """Pred falls on the gold's calendar day, read in the gold's offset.

    A gold without offset (the trafilatura corpus gives days only) is a local day in an unknown
    zone: a timestamp matches when it falls on that day somewhere between UTC-12 and UTC+14.
    A prediction without time (a date, or newsdesk's midnight-UTC stand-in) must match the day.
    """
    if pred is None:
        return False
    if not isinstance(pred, datetime):
        return pred == want.date()
    if want.tzinfo is not None and pred.tzinfo is not None:
        return pred.astimezone(want.tzinfo).date() == want.date()
    if pred.tzinfo is None or (pred.utcoffset() == timedelta(0) and pred.time() == time(0)):
        return pred.date() == want.date()
    start = datetime.combine(want.date(), time(0), tzinfo=UTC) - timedelta(hours=14)
    return start <= pred < start + timedelta(hours=24 + 14 + 12)


def run(pages: list[Page], systems: Iterable[str] = SYSTEMS) -> dict[str, Any]:
    """Scores of each system on each page, and each system's extraction time in seconds."""
    scores: dict[str, dict[str, dict[str, tuple[float, int]]]] = {}
    seconds: dict[str, float] = {}
    for system in systems:
        predict = PREDICTORS[system]
        started = clock.perf_counter()
        predictions = {page.id: predict(page) for page in pages}
        seconds[system] = clock.perf_counter() - started
        scores[system] = {page.id: score(page, predictions[page.id]) for page in pages}
    return {"scores": scores, "seconds": seconds}


def tally(
    pages: list[Page], scores: dict[str, dict[str, tuple[float, int]]], group: Callable[[Page], str]
) -> dict[str, Tally]:
    """One Tally per group name, plus "all"."""
    groups: dict[str, Tally] = {}
    for page in pages:
        for name in (group(page), "all"):
            groups.setdefault(name, Tally()).add(scores[page.id])
    return groups


def markdown_table(pages: list[Page], result: dict[str, Any], min_pages: int = 8) -> str:
    """Side-by-side table per language and overall: "trafilatura / newsdesk" in each cell."""
    counts = Counter(p.lang for p in pages)

    def lang_group(page: Page) -> str:
        return page.lang if counts[page.lang] >= min_pages else "other"

    per_system = {s: tally(pages, result["scores"][s], lang_group) for s in result["scores"]}
    names = sorted(per_system["newsdesk"], key=lambda n: (n == "all", n == "other", n))
    header = "| lang | pages | " + " | ".join(METRICS) + " |"
    lines = [header, "|" + "---|" * (len(METRICS) + 2)]
    for name in names:
        cells = []
        for metric in METRICS:
            values = [per_system[s][name].mean(metric) for s in ("trafilatura", "newsdesk")]
            cells.append(" / ".join("–" if v is None else f"{v:.3f}" for v in values))
        label = f"**{name}**" if name == "all" else name
        lines.append(
            f"| {label} | {per_system['newsdesk'][name].pages} | " + " | ".join(cells) + " |"
        )
    return "\n".join(lines)


def overall(pages: list[Page], result: dict[str, Any]) -> dict[str, dict[str, float | None]]:
    """system -> metric -> mean over all pages."""
    return {
        system: {m: tally(pages, scores, lambda p: "all")["all"].mean(m) for m in METRICS}
        for system, scores in result["scores"].items()
    }


def _hash(page_id: str) -> int:
    return int.from_bytes(hashlib.sha256(page_id.encode()).digest()[:4], "big")


def _norm(text: str) -> str:
    # NFC: "ä" written as a + combining diaeresis is the same text (Unicode canonical equivalence).
    return _SPACE.sub(" ", _INVISIBLE.sub("", unicodedata.normalize("NFC", text))).strip()


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFC", text).lower())


def _names(names: Iterable[str]) -> set[str]:
    return {_norm(n).casefold() for n in names if _norm(n)}
