"""Scoring for the article brief: ROUGE, the fundus summary set, and the hand labels."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsdesk.models import Brief
from support.corpus import CORPUS, iter_pages

LABELS = Path(__file__).with_name("labels.jsonl")
_WORD = re.compile(r"[a-z0-9]+")


def split_of(key: str) -> str:
    """A stable dev/test split by the id's hash (half each)."""
    return "dev" if hashlib.sha1(key.encode()).digest()[0] % 2 == 0 else "test"


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def rouge_n(ref: list[str], hyp: list[str], n: int) -> float:
    """ROUGE-N F1 over lower-cased word n-grams."""
    r = Counter(tuple(ref[i : i + n]) for i in range(len(ref) - n + 1))
    h = Counter(tuple(hyp[i : i + n]) for i in range(len(hyp) - n + 1))
    overlap = sum((r & h).values())
    if not overlap:
        return 0.0
    p, rec = overlap / sum(h.values()), overlap / sum(r.values())
    return 2 * p * rec / (p + rec)


def rouge_l(ref: list[str], hyp: list[str]) -> float:
    """ROUGE-L F1 via the longest common subsequence."""
    if not ref or not hyp:
        return 0.0
    prev = [0] * (len(hyp) + 1)
    for a in ref:
        cur = [0]
        for j, b in enumerate(hyp):
            cur.append(prev[j] + 1 if a == b else max(prev[j + 1], cur[j]))
        prev = cur
    lcs = prev[-1]
    if not lcs:
        return 0.0
    p, rec = lcs / len(hyp), lcs / len(ref)
    return 2 * p * rec / (p + rec)


def rouge(ref: str, hyp: str) -> tuple[float, float, float]:
    r, h = words(ref), words(hyp)
    return rouge_n(r, h, 1), rouge_n(r, h, 2), rouge_l(r, h)


@dataclass(frozen=True, slots=True)
class SummaryCase:
    id: str
    title: str
    body: str
    reference: str


def summary_cases() -> list[SummaryCase]:
    """English fundus pages with an editors' lead: (body_text -> summary) pairs."""
    out = []
    for meta, _, expected in iter_pages("flairNLP/fundus"):
        if meta.get("lang") != "en" or not expected.get("summary") or not expected.get("body_text"):
            continue
        ref = " ".join(expected["summary"])
        if len(words(ref)) < 8:
            continue
        out.append(SummaryCase(meta["id"], expected.get("title") or "", expected["body_text"], ref))
    return out


def load_labels() -> list[dict[str, Any]]:
    if not LABELS.exists():
        return []
    with LABELS.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def labelled_text(row: dict[str, Any]) -> tuple[str, str]:
    """(title, text) of a labelled article from its source in the corpus."""
    src = row["source"]
    if src.startswith("ecbplus:"):
        with (CORPUS / "stories" / "ecbplus_articles.jsonl").open(encoding="utf-8") as lines:
            for line in lines:
                art = json.loads(line)
                if art["id"] == src.split(":", 1)[1]:
                    return "", art["text"]
    for meta, _, expected in iter_pages("flairNLP/fundus"):
        if meta["id"] == src.split(":", 1)[1]:
            return expected.get("title") or "", expected["body_text"]
    raise KeyError(src)


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class LabelScores:
    entities: dict[str, Tally]
    quote_recall: Tally
    speaker_right: int
    speaker_total: int
    figures: Tally
    hashtag_good: int
    hashtag_total: int

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_right / self.speaker_total if self.speaker_total else 1.0

    @property
    def hashtag_precision(self) -> float:
        return self.hashtag_good / self.hashtag_total if self.hashtag_total else 1.0


def _norm(text: str) -> str:
    return " ".join(words(text))


def score_labels(pairs: list[tuple[dict[str, Any], Brief]]) -> LabelScores:
    """Who's who by type, quote recall and speaker accuracy, figure values, hashtag precision."""
    ents = {t: Tally() for t in ("PERSON", "ORG", "PLACE")}
    quotes, figures = Tally(), Tally()
    right = total = good = tags = 0
    for row, brief in pairs:
        for t, tally in ents.items():
            gold = {_norm(n) for n in row["labels"]["who"].get(t, [])}
            got = {_norm(w.name) for w in brief.who if w.type == t}
            tally.tp += len(gold & got)
            tally.fp += len(got - gold)
            tally.fn += len(gold - got)
        for q in row["labels"]["quotes"]:
            match = next((x for x in brief.quotes if _norm(q["text"])[:40] in _norm(x.text)), None)
            if match is None:
                quotes.fn += 1
                continue
            quotes.tp += 1
            total += 1
            right += (match.speaker or "") == (q["speaker"] or "")
        gold_values = {_value(v) for v in row["labels"]["figures"]}
        got_values = {_value(f.value) for f in brief.figures}
        figures.tp += len(gold_values & got_values)
        figures.fp += len(got_values - gold_values)
        figures.fn += len(gold_values - got_values)
        ok = {t.lower() for t in row["labels"]["hashtags"]}
        tags += len(brief.hashtags)
        good += sum(t.lower() in ok for t in brief.hashtags)
    return LabelScores(ents, quotes, right, total, figures, good, tags)


def _value(text: str) -> str:
    return re.sub(r"[^\d.%$€£]", "", text).rstrip(".")
