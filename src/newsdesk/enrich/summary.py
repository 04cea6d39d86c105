"""Extractive summary and key points: TF-IDF centrality, title overlap, position prior, MMR.

Quote-led sentences and questions are penalised: an editor's lead states, it does not quote or ask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from spacy.lang.en.stop_words import STOP_WORDS

from newsdesk.enrich.analysis import Analysis
from newsdesk.models import Cite, Line

_MIN_WORDS = 6  # shorter sentences are subheadings or fragments, never summary candidates
_END = re.compile(r"[.!?…]['\"”’)]?$|[\"”]$")
_WORD = re.compile(r"[a-z][a-z'-]+")
_QUOTE_OPEN = re.compile(r"^[\"“”‘'«„]")
_QUOTED = re.compile(r"[\"“][^\"”]{10,}[\"”]")
_CONNECTIVE = re.compile(
    r"^(?:meanwhile|in addition|additionally|however|also|moreover|furthermore|but|and|so|still|"
    r"separately|besides|further|nevertheless|nonetheless|in turn|at the same time|instead|"
    r"on the other hand|as a result|in contrast|by contrast|for its part|for their part)\b,?\s+",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Weights:
    """Ranking parameters, chosen on the dev split (benchmarks/enrich_quality.py)."""

    centrality: float = 0.25
    title: float = 2.0
    position: float = 0.5
    decay: float = 0.3  # position prior exp(-decay * rank among candidates)
    redundancy: float = 0.3  # MMR: score - redundancy * max similarity to the chosen
    quote: float = 0.3  # penalty: the sentence opens with a quote or is mostly quotation
    question: float = 0.3  # penalty: the sentence is a question


DEFAULT = Weights()


def candidates(analysis: Analysis) -> list[int]:
    """Sentences that can be summarised: long enough, ending like a sentence."""
    return [
        i
        for i, s in enumerate(analysis.sentences)
        if len(s.text.split()) >= _MIN_WORDS and _END.search(s.text)
    ]


def ranked(analysis: Analysis, weights: Weights = DEFAULT) -> list[int]:
    """Candidate sentence indices in MMR order, best first."""
    cands = candidates(analysis)
    if not cands:
        return []
    x, title = _tfidf(analysis, cands)
    sim = x @ x.T
    central = sim.sum(axis=1) - 1.0
    central = central / central.max() if central.max() > 0 else central
    title_sim = x @ title if title is not None else np.zeros(len(cands))
    pos = np.exp(-weights.decay * np.arange(len(cands)))
    texts = [analysis.sentences[i].text for i in cands]
    quoted = np.array([_quote_led(t) for t in texts], dtype=float)
    asks = np.array([t.rstrip("\"”’' ").endswith("?") for t in texts], dtype=float)
    score = (
        weights.centrality * central
        + weights.title * title_sim
        + weights.position * pos
        - weights.quote * quoted
        - weights.question * asks
    )
    order: list[int] = []
    best_sim = np.zeros(len(cands))
    left = np.ones(len(cands), dtype=bool)
    for _ in range(len(cands)):
        mmr = np.where(left, score - weights.redundancy * best_sim, -np.inf)
        j = int(np.argmax(mmr))
        order.append(j)
        left[j] = False
        best_sim = np.maximum(best_sim, sim[j])
    return [cands[j] for j in order]


def _quote_led(text: str) -> bool:
    """The sentence opens with a quotation mark or is more than half quotation."""
    inside = sum(len(m.group(0)) for m in _QUOTED.finditer(text))
    return bool(_QUOTE_OPEN.match(text)) or inside > 0.5 * len(text)


def summary_size(n_candidates: int) -> int:
    """3 sentences (as many as Lead-3; 4 scored lower on dev), 2 when only 2 can be summarised."""
    return min(3, max(2, n_candidates))


def summary_and_points(
    analysis: Analysis, weights: Weights = DEFAULT
) -> tuple[tuple[Line, ...], tuple[Line, ...]]:
    """(2-3 summary lines in text order, up to 6 key points trimmed of leading connectives)."""
    order = ranked(analysis, weights)
    k = min(summary_size(len(order)), len(order))
    chosen = sorted(order[:k])
    rest = order[k:]
    n_points = min(6, max(3, len(rest) // 3), len(rest))
    points = sorted(rest[:n_points])
    sents = analysis.sentences
    summary = tuple(Line(sents[i].text, (Cite(i),)) for i in chosen)
    key_points = tuple(Line(trim_connective(sents[i].text), (Cite(i),)) for i in points)
    return summary, key_points


def trim_connective(text: str) -> str:
    """The sentence without a leading connective ("Meanwhile, "), capitalised again."""
    out = _CONNECTIVE.sub("", text, count=1)
    if out == text or not out:
        return text
    return out[0].upper() + out[1:]


def _terms(words: list[str]) -> list[str]:
    return [w for w in words if w not in STOP_WORDS and len(w) > 2]


def _tfidf(
    analysis: Analysis, cands: list[int]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64] | None]:
    """Unit TF-IDF rows of the candidate sentences, and the title's vector in the same space."""
    vocab: dict[str, int] = {}
    rows: list[list[int]] = []
    toks = analysis.tokens
    for i in cands:
        s = analysis.sentences[i]
        words = _terms([t.text.lower() for t in toks[s.tok_start : s.tok_end] if t.text.isalpha()])
        rows.append([vocab.setdefault(w, len(vocab)) for w in words])
    x = np.zeros((len(cands), max(1, len(vocab))))
    for r, ids in enumerate(rows):
        np.add.at(x[r], ids, 1.0)
    idf = np.log((1 + len(cands)) / (1 + (x > 0).sum(axis=0))) + 1.0
    x = _unit(np.log1p(x) * idf)
    title = None
    if analysis.title:
        ids = [vocab[w] for w in _terms(_WORD.findall(analysis.title.lower())) if w in vocab]
        if ids:
            t = np.zeros((1, x.shape[1]))
            np.add.at(t[0], ids, 1.0)
            title = _unit(np.log1p(t) * idf)[0]
    return x, title


def _unit(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms > 0, norms, 1.0)
