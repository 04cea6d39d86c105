"""The sentences of a story and their words: content terms and TF-IDF vectors.

Shared by the story's summary (story), its angles and its timeline, so none of them imports
another for them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from spacy.lang.en.stop_words import STOP_WORDS

from newsdesk.enrich.member import Member

Matrix = npt.NDArray[np.float64]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


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
