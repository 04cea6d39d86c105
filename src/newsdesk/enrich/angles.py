"""What each source says that the others don't.

A sentence is an angle of its source when no sentence of another source is close to it (TF-IDF
cosine) and it brings something the others lack: a named entity, a figure, or content words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from newsdesk.enrich.member import Member
from newsdesk.enrich.sentences import Matrix, cosines, story_sentences, terms, tfidf
from newsdesk.models import Brief, Cite, Line, SourceAngle

NOVEL_MAX_SIMILARITY = 0.22  # cosine to the closest other-source sentence; paraphrases sit > 0.3
MIN_WORDS = 8  # shorter sentences are captions, bylines or fragments
MAX_ANGLES = 3
NAMED = {"PERSON", "ORG", "PLACE", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART"}


def sentence_entities(brief: Brief, sentence: str) -> set[str]:
    """Canonical names of the brief's named entities mentioned in this sentence."""
    return {
        e.canonical.casefold()
        for e in brief.entities
        if e.type in NAMED and e.text and e.text in sentence
    }


def sentence_figures(brief: Brief, index: int) -> set[str]:
    return {
        f.value.replace(",", "") for f in brief.figures if any(c.sentence == index for c in f.cites)
    }


def angles(members: Sequence[Member]) -> tuple[SourceAngle, ...]:
    """Per source, 1-3 sentences no other source carries; sources with none are left out."""
    sentences = story_sentences(members)
    sources = sorted({s.source for s in sentences})
    if len(sources) < 2:
        return ()
    matrix, idf = tfidf([s.text for s in sentences])
    briefs = {m.article_id: m.brief for m in members}
    source_of = np.array([s.source for s in sentences])
    entities = [sentence_entities(briefs[s.article_id], s.text) for s in sentences]
    figures = [sentence_figures(briefs[s.article_id], s.sentence) for s in sentences]
    words = [set(terms(s.text)) for s in sentences]
    by_source: dict[str, set[str]] = defaultdict(set)
    for s, ents, figs, ws in zip(sentences, entities, figures, words, strict=True):
        by_source[s.source] |= {f"e:{e}" for e in ents} | {f"f:{f}" for f in figs} | ws
    similarity = cosines(matrix)
    result = []
    for source in sources:
        others = source_of != source
        elsewhere = set().union(*(v for k, v in by_source.items() if k != source))
        scored = []
        for i, s in enumerate(sentences):
            if s.source != source or len(s.text.split()) < MIN_WORDS:
                continue
            if float(similarity[i, others].max()) >= NOVEL_MAX_SIMILARITY:
                continue
            new_entities = {e for e in entities[i] if f"e:{e}" not in elsewhere}
            new_figures = {f for f in figures[i] if f"f:{f}" not in elsewhere}
            new_words = {w for w in words[i] if w not in elsewhere}
            if not (new_entities or new_figures or len(new_words) >= 3):
                continue
            gain = 2.0 * len(new_entities) + 2.0 * len(new_figures)
            gain += sum(idf[w] for w in new_words) / 4.0
            scored.append((gain, i))
        picked = _distinct(sorted(scored, key=lambda x: (-x[0], x[1])), similarity)
        if picked:
            lines = tuple(
                Line(sentences[i].text, (Cite(sentences[i].sentence, sentences[i].article_id),))
                for i in picked
            )
            result.append(SourceAngle(source=source, lines=lines))
    return tuple(result)


def _distinct(scored: list[tuple[float, int]], similarity: Matrix) -> list[int]:
    picked: list[int] = []
    for _, i in scored:
        if all(similarity[i, j] < 0.5 for j in picked):
            picked.append(i)
        if len(picked) == MAX_ANGLES:
            break
    return picked
