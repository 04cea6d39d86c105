"""The brief of a story: one summary across its sources, built from its articles' briefs.

Summary and key points are multi-document extractive: sentences ranked by TF-IDF centrality to
the story (each article weighs the same) and by how many sources confirm them, then picked with
an MMR redundancy penalty so two sources saying one thing give one line citing both.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy.sparse import csr_matrix

from newsdesk.enrich.angles import angles
from newsdesk.enrich.figures import figure_value_key, singular
from newsdesk.enrich.hashtags import near
from newsdesk.enrich.member import Member
from newsdesk.enrich.sentences import SentenceRef, cosines, row_mean, story_sentences, tfidf
from newsdesk.enrich.timeline import timeline
from newsdesk.enrich.who import story_who
from newsdesk.models import Brief, Cite, Figure, Line, Quote, WhoEntry

SAME_FACT = 0.45  # TF-IDF cosine above which two sentences state the same fact (cited together)
NEAR_DUPLICATE = 0.6  # a candidate this close to a picked line is never picked
MMR_LAMBDA = 0.7
# Weight of the other sources that state a sentence's fact (x log1p of their count); chosen on
# ECB+ dev events by cross-source support of the summary (benchmarks/brief_summaries.py).
AGREEMENT = 2.0
MIN_WORDS, MAX_WORDS = 6, 70  # outside: fragments, captions, or run-on lists
MAX_CITES = 6
SUMMARY_LINES, KEY_POINTS = 3, 5
MAX_HASHTAGS = 8


def story_brief(members: Sequence[Member]) -> Brief:
    """The story's brief; every line cites (article_id, sentence) pairs; sentences stays ()."""
    langs = Counter(m.brief.lang for m in members if m.brief.lang)
    lang = langs.most_common(1)[0][0] if langs else None
    summary, key_points = _summary(members)
    return Brief(
        lang=lang,
        available=any(m.brief.available for m in members),
        summary=summary,
        key_points=key_points,
        who=merge_who(members),
        quotes=merge_quotes(members),
        figures=merge_figures(members),
        hashtags=story_hashtags(members),
        timeline=timeline(members),
        angles=angles(members),
    )


def _summary(members: Sequence[Member]) -> tuple[tuple[Line, ...], tuple[Line, ...]]:
    sentences = story_sentences(members)
    if not sentences:
        return (), ()
    matrix, _ = tfidf([s.text for s in sentences])
    similarity = cosines(matrix)
    scores = _scores(members, sentences, matrix, similarity)
    picked: list[int] = []
    order = np.argsort(-scores, kind="stable")
    top = float(scores[order[0]]) or 1.0
    while len(picked) < SUMMARY_LINES + KEY_POINTS:
        best, best_value = -1, -math.inf
        for i in order:
            if scores[i] <= 0:
                break
            redundancy = max((float(similarity[i, j]) for j in picked), default=0.0)
            if redundancy >= NEAR_DUPLICATE:
                continue
            value = MMR_LAMBDA * float(scores[i]) / top - (1 - MMR_LAMBDA) * redundancy
            if value > best_value:
                best, best_value = int(i), value
        if best < 0:
            break
        picked.append(best)
    lines = [_line(i, sentences, similarity) for i in picked]
    # The summary reads in story order: earlier articles and sentences first.
    rank = {i: (sentences[i].article_id, sentences[i].sentence) for i in picked}
    summary_order = sorted(picked[:SUMMARY_LINES], key=lambda i: rank[i])
    summary = [lines[picked.index(i)] for i in summary_order]
    return tuple(summary), tuple(lines[SUMMARY_LINES:])


def _scores(
    members: Sequence[Member],
    sentences: list[SentenceRef],
    matrix: csr_matrix,
    similarity: np.ndarray,
) -> np.ndarray:
    ids = np.array([s.article_id for s in sentences])
    # The story's centroid: the mean of article centroids, so a long article does not dominate.
    centroids = [
        row_mean(matrix, ids == m.article_id) for m in members if (ids == m.article_id).any()
    ]
    centroid = np.mean(centroids, axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    centrality = np.asarray(matrix @ centroid, dtype=np.float64)
    summarized = {
        (m.article_id, c.sentence) for m in members for line in m.brief.summary for c in line.cites
    }
    sources = np.array([s.source for s in sentences])
    scores = np.zeros(len(sentences))
    for i, s in enumerate(sentences):
        words = len(s.text.split())
        if words < MIN_WORDS or words > MAX_WORDS:
            continue
        confirming = len(set(sources[(similarity[i] >= SAME_FACT) & (sources != s.source)]))
        score = float(centrality[i]) * (1.0 + AGREEMENT * math.log1p(confirming))
        score *= 1.0 + 0.3 / (1 + s.sentence)  # news leads carry the event
        if (s.article_id, s.sentence) in summarized:
            score *= 1.2
        scores[i] = score
    return scores


def _line(i: int, sentences: list[SentenceRef], similarity: np.ndarray) -> Line:
    """The sentence, citing itself and the same fact in other articles (closest first)."""
    same = [
        j
        for j in np.argsort(-similarity[i], kind="stable")
        if j != i
        and similarity[i, j] >= SAME_FACT
        and sentences[j].article_id != sentences[i].article_id
    ]
    cites = [Cite(sentences[i].sentence, sentences[i].article_id)]
    seen = {sentences[i].article_id}
    for j in same:
        if sentences[j].article_id not in seen and len(cites) < MAX_CITES:
            cites.append(Cite(sentences[j].sentence, sentences[j].article_id))
            seen.add(sentences[j].article_id)
    return Line(text=sentences[i].text, cites=tuple(cites))


def _with_ids(cites: Sequence[Cite], article_id: int) -> list[Cite]:
    return [Cite(c.sentence, article_id) for c in cites]


def merge_who(members: Sequence[Member]) -> tuple[WhoEntry, ...]:
    """Members' who's who, one entry per referent (see newsdesk.enrich.who.story_who)."""
    return story_who([(m.article_id, m.brief.who) for m in members])


def _quote_key(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def merge_quotes(members: Sequence[Member]) -> tuple[Quote, ...]:
    """One Quote per distinct quote text (a quote inside a longer one joins it), citing all."""
    found: list[tuple[str, Quote]] = []
    for m in members:
        for q in m.brief.quotes:
            key, cites = _quote_key(q.text), tuple(_with_ids(q.cites, m.article_id))
            if not key:
                continue
            for n, (other_key, other) in enumerate(found):
                if key in other_key or other_key in key:
                    longer = q.text if len(key) > len(other_key) else other.text
                    found[n] = (
                        max(key, other_key, key=len),
                        Quote(
                            longer,
                            other.speaker or q.speaker,
                            other.cites + tuple(c for c in cites if c not in other.cites),
                        ),
                    )
                    break
            else:
                found.append((key, Quote(q.text, q.speaker, cites)))
    return tuple(q for _, q in found)


def merge_figures(members: Sequence[Member]) -> tuple[Figure, ...]:
    """One figure per value and unit across the story ("90 days" and "90-day" are one), citing
    every article that gives it; the first wording is kept, most-cited first."""
    merged: dict[tuple[str, str], Figure] = {}
    for m in members:
        for f in m.brief.figures:
            key = (figure_value_key(f.value), singular(f.unit))
            cites = tuple(_with_ids(f.cites, m.article_id))
            old = merged.get(key)
            merged[key] = (
                Figure(f.value, f.unit, f.what, cites)
                if old is None
                else Figure(
                    old.value,
                    old.unit,
                    old.what or f.what,
                    old.cites + tuple(c for c in cites if c not in old.cites),
                )
            )
    return tuple(sorted(merged.values(), key=lambda f: -len({c.article_id for c in f.cites})))


def _distinct(tags: list[str]) -> list[str]:
    """Drop a tag that is part of a better-ranked one or contains it (#Lohan, #LindsayLohan)."""
    kept: list[str] = []
    for tag in tags:
        if not any(near(tag.lstrip("#"), k.lstrip("#")) for k in kept):
            kept.append(tag)
    return kept


def story_hashtags(members: Sequence[Member]) -> tuple[str, ...]:
    """3-8 of the members' hashtags, most articles first, so the story's tags agree."""
    counts: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for m in members:
        for tag in dict.fromkeys(t.casefold() for t in m.brief.hashtags):
            counts[tag] += 1
        for t in m.brief.hashtags:
            spelling.setdefault(t.casefold(), t)
    ranked = _distinct([t for t, _ in counts.most_common()])  # ties keep first-seen order
    shared = [t for t in ranked if counts[t] >= 2]
    chosen = shared[:MAX_HASHTAGS] if len(shared) >= 3 else ranked[:3]
    return tuple(spelling[t] for t in chosen)
