"""What each source says that the others don't, plus the TF-IDF sentence vectors the story uses.

A sentence is an angle of its source when no sentence of another source is close to it (TF-IDF
cosine) and it brings something the others lack: a named entity, a figure, or content words.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from spacy.lang.en.stop_words import STOP_WORDS

from newsdesk.models import Brief, Cite, Line, SourceAngle

if TYPE_CHECKING:
    from newsdesk.enrich.story import Member

Matrix = npt.NDArray[np.float64]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
NOVEL_MAX_SIMILARITY = 0.22  # cosine to the closest other-source sentence; paraphrases sit > 0.3
MIN_WORDS = 8  # shorter sentences are captions, bylines or fragments
MAX_ANGLES = 3
NAMED = {"PERSON", "ORG", "PLACE", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART"}


def stem(word: str) -> str:
    """A crude suffix stripper: "died", "dies", "die" -> "di"; "charges", "charged" -> "charg"."""
    if len(word) > 4 and not word[0].isdigit():
        for suffix in ("ing", "ed", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
                word = word[: -len(suffix)]
                break
    return word[:-1] if len(word) > 3 and word.endswith("e") else word


def terms(text: str) -> list[str]:
    """Lower-cased, stemmed content words; stop words out."""
    out = []
    for word in _WORD.findall(text.lower()):
        word = word.replace("’", "'").removesuffix("'s")
        if word in STOP_WORDS or len(word) < 2:
            continue
        out.append(stem(word))
    return out


@dataclass(frozen=True)
class SentenceRef:
    """One sentence of a story member."""

    article_id: int
    sentence: int
    source: str
    text: str


def story_sentences(members: Sequence[Member]) -> list[SentenceRef]:
    return [
        SentenceRef(m.article_id, i, m.source, text)
        for m in members
        if m.brief.available
        for i, text in enumerate(m.brief.sentences)
    ]


def tfidf(texts: Sequence[str]) -> tuple[Matrix, dict[str, float]]:
    """Unit rows of sublinear TF-IDF over texts (idf from texts), and the idf of each term."""
    bags = [Counter(terms(t)) for t in texts]
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    n = len(texts)
    idf = {t: math.log((1 + n) / (1 + d)) + 1.0 for t, d in df.items()}
    index = {t: i for i, t in enumerate(idf)}
    matrix = np.zeros((n, len(index)), dtype=np.float64)
    for row, bag in enumerate(bags):
        for term, count in bag.items():
            matrix[row, index[term]] = (1.0 + math.log(count)) * idf[term]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix /= np.where(norms == 0, 1.0, norms)
    return matrix, idf


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
    similarity = matrix @ matrix.T
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
