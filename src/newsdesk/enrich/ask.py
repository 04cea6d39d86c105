"""Ask the coverage a question: the best-supported sentences, with citations, or "not found".

Passages are ranked by BM25 over the question's content words plus a bonus for the names and
numbers of the question they contain. A question is answered only when the best passage covers
enough of the question's idf mass (MIN_SUPPORT, chosen on a dev set of questions). An optional
LLM rewrites the answer from ONLY the selected sentences and must keep their [n] citations.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from newsdesk.enrich.sentences import terms
from newsdesk.errors import NewsdeskError
from newsdesk.models import Cite, Line
from newsdesk.nlp.llm import LLM, cited_numbers, numbered

NOT_FOUND = "not found in the coverage"
# Share of the question's idf mass the best passage must contain. Chosen on the dev questions in
# tests/enrich/test_enrich_ask.py (benchmarks/ask_quality.py prints the sweep).
MIN_SUPPORT = 0.4
K1, B = 1.5, 0.75
NAME_BONUS = 1.5  # per question name or number found in the passage
SECONDARY = 0.6  # further lines need this share of the best line's score
_ASKING = {"happen", "happened", "tell", "name", "according", "report", "reported"}
ANSWER_BONUS = 2.0  # the passage holds the kind of thing asked for (a number, a name, a date)
_NUMBER = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|dozen|hundreds?)\b")
_DATE = re.compile(
    r"\b(?:(?:19|20)\d\d|yesterday|today|monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday|january|february|march|april|may|june|july|august|september|october|november|"
    r"december)\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"\b(?:[A-Z][\w'’.-]*[A-Za-z]|\d[\d,.]*\d|\d)\b")

ANSWER_SYSTEM = (
    "You answer a question about the news from ONLY the numbered sentences you are given. "
    "Add no facts. After each statement put the numbers of the sentences it comes from, in "
    "square brackets, like [1] or [2][3]. Answer in 1 to 3 sentences."
)


@dataclass(frozen=True)
class Passage:
    """One sentence of the coverage, as ask sees it."""

    article_id: int
    sentence: int
    text: str
    source: str
    published: datetime | None


@dataclass(frozen=True)
class Answer:
    question: str
    found: bool
    lines: tuple[Line, ...]
    text: str  # NOT_FOUND when found is False


@dataclass(frozen=True)
class Ranked:
    """A passage's score for a question and the share of the question it supports."""

    index: int
    score: float
    support: float


def question_terms(question: str) -> list[str]:
    return [t for t in dict.fromkeys(terms(question)) if t not in _ASKING]


def question_names(question: str) -> list[str]:
    """Capitalized words after the first, and numbers: the question's names and figures."""
    words = question.split(maxsplit=1)
    rest = words[1] if len(words) > 1 else ""
    return [n for n in dict.fromkeys(_NAME.findall(rest)) if len(n) > 1 or n.isdigit()]


def expected_answer(question: str) -> str | None:
    """What kind of thing the question asks for: "number", "date", "name", or None."""
    q = question.lower()
    if re.match(r"\s*(how (many|much|long|old|far|big|tall)|what (age|percentage|number))\b", q):
        return "number"
    if re.match(r"\s*(when|what (day|date|year|time))\b", q):
        return "date"
    if re.match(r"\s*(who|whom|whose|where|which)\b", q):
        return "name"
    return None


def _holds(kind: str, text: str, question: str) -> bool:
    if kind == "number":
        return bool(_NUMBER.search(text))
    if kind == "date":
        return bool(_DATE.search(text))
    asked = set(question_names(question))
    return any(n not in asked and n[0].isupper() for n in _NAME.findall(text)[1:])


def rank(question: str, passages: Sequence[Passage]) -> list[Ranked]:
    """Every passage that shares a term with the question, best first."""
    wanted = question_terms(question)
    if not wanted or not passages:
        return []
    bags = [Counter(terms(p.text)) for p in passages]
    lengths = [sum(b.values()) for b in bags]
    average = sum(lengths) / len(lengths) or 1.0
    n = len(passages)
    df = Counter(t for bag in bags for t in set(bag) if t in wanted)
    idf = {t: math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5)) for t in wanted}
    mass = sum(idf.values())
    names = question_names(question)
    expects = expected_answer(question)
    ranked = []
    for i, (bag, length) in enumerate(zip(bags, lengths, strict=True)):
        matched = [t for t in wanted if t in bag]
        if not matched:
            continue
        score = sum(
            idf[t] * bag[t] * (K1 + 1) / (bag[t] + K1 * (1 - B + B * length / average))
            for t in matched
        )
        text = passages[i].text
        if expects is not None and _holds(expects, text, question):
            score += ANSWER_BONUS
        score += NAME_BONUS * sum(1 for name in names if re.search(rf"\b{re.escape(name)}\b", text))
        ranked.append(Ranked(i, score, sum(idf[t] for t in matched) / mass))
    return sorted(ranked, key=lambda r: (-r.score, r.index))


def ask(
    question: str, passages: Sequence[Passage], *, llm: LLM | None = None, limit: int = 3
) -> Answer:
    """The best-supported sentences with citations, or found=False and NOT_FOUND."""
    ranked = rank(question, passages)
    if not ranked or ranked[0].support < MIN_SUPPORT:
        return Answer(question=question, found=False, lines=(), text=NOT_FOUND)
    chosen: list[Passage] = []
    for r in ranked:
        if len(chosen) == limit or r.score < SECONDARY * ranked[0].score:
            break
        passage = passages[r.index]
        if r.support >= MIN_SUPPORT and not any(_same(passage.text, c.text) for c in chosen):
            chosen.append(passage)
    lines = tuple(Line(p.text, (Cite(p.sentence, p.article_id),)) for p in chosen)
    extractive = " ".join(f"{line.text} [{n}]" for n, line in enumerate(lines, 1))
    text = extractive if llm is None else _written(llm, question, chosen) or extractive
    return Answer(question=question, found=True, lines=lines, text=text)


def _written(llm: LLM, question: str, chosen: Sequence[Passage]) -> str | None:
    """The LLM's answer when it cites only the given sentences; None means keep the extract."""
    labelled = [
        f"{p.text} ({p.source}{', ' + p.published.date().isoformat() if p.published else ''})"
        for p in chosen
    ]
    user = f"Question: {question}\n\nSentences:\n{numbered(labelled)}"
    try:
        reply = llm.complete(ANSWER_SYSTEM, user)
    except NewsdeskError:  # the endpoint is optional: a failure keeps the extractive answer
        return None
    return reply if cited_numbers(reply, len(chosen)) is not None else None


def _same(a: str, b: str) -> bool:
    x, y = set(terms(a)), set(terms(b))
    return bool(x | y) and len(x & y) / len(x | y) >= 0.7
