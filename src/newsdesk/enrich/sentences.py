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
from scipy.sparse import csr_matrix
from spacy.lang.en.stop_words import STOP_WORDS

from newsdesk.enrich.member import Member

Matrix = npt.NDArray[np.float64]

# What a story's brief reads: the first MAX_PER_ARTICLE sentences of each article (news puts
# the event first), at least MIN_PER_ARTICLE, and MAX_SENTENCES in all, articles in story order.
# Past that a story's brief cost memory by the square of its sentences (a dense sentence x
# sentence similarity) and by sentences x vocabulary before that (7.4 GiB for one large file).
# On ECB+ the caps shorten 16 of 86 stories (articles of up to 92 sentences) and leave the
# story summary's cross-source support of benchmarks/brief_summaries.py exactly as it was.
MAX_PER_ARTICLE = 60
MIN_PER_ARTICLE = 3
MAX_SENTENCES = 1500

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
    """The sentences the story's brief reads, bounded (see MAX_SENTENCES)."""
    live = [m for m in members if m.brief.available]
    share = MAX_SENTENCES // max(len(live), 1)
    quota = max(MIN_PER_ARTICLE, min(MAX_PER_ARTICLE, share))
    picked = [
        SentenceRef(m.article_id, i, m.source, text)
        for m in live
        for i, text in enumerate(m.brief.sentences[:quota])
    ]
    return picked[:MAX_SENTENCES]


def tfidf(texts: Sequence[str]) -> tuple[csr_matrix, dict[str, float]]:
    """Unit rows of sublinear TF-IDF over texts (idf from texts), and the idf of each term.

    Sparse (a row holds the sentence's own terms only): dense, the matrix grew with sentences
    x vocabulary."""
    bags = [Counter(terms(t)) for t in texts]
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    n = len(texts)
    idf = {t: math.log((1 + n) / (1 + d)) + 1.0 for t, d in df.items()}
    index = {t: i for i, t in enumerate(idf)}
    indptr: list[int] = [0]
    columns: list[int] = []
    values: list[float] = []
    for bag in bags:
        weights = [(index[t], (1.0 + math.log(count)) * idf[t]) for t, count in bag.items()]
        norm = math.sqrt(sum(w * w for _, w in weights)) or 1.0
        columns.extend(c for c, _ in weights)
        values.extend(w / norm for _, w in weights)
        indptr.append(len(columns))
    matrix = csr_matrix(
        (np.array(values, dtype=np.float64), np.array(columns, dtype=np.int64), indptr),
        shape=(n, len(index)),
    )
    return matrix, idf


def cosines(matrix: csr_matrix) -> Matrix:
    """Sentence x sentence cosine of unit rows, dense (story_sentences bounds its size)."""
    return np.asarray((matrix @ matrix.T).toarray(), dtype=np.float64)


def row_mean(matrix: csr_matrix, rows: npt.NDArray[np.bool_]) -> Matrix:
    """The mean of the selected rows, as a dense vector."""
    return np.asarray(matrix[rows].mean(axis=0), dtype=np.float64).ravel()
