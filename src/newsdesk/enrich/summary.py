"""Extractive summary and key points: a learned sentence score, picked under a word budget.

Each sentence gets cheap features (position, length, TF-IDF centrality, overlap with the lead and
the title, name and number density, quotation, attribution); a linear model fitted on
human-highlighted news to the sentences a greedy ROUGE oracle picks from each article
(benchmarks/brief_summaries.py --fit) scores them. The summary takes the best sentences until a
word budget is spent, skipping near-repeats, and reads in text order. Page furniture is never
chosen, nor a sentence that leans on its predecessor unless right after it
(newsdesk.enrich.lead_rules); a dateline is cut from the front.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt
from spacy.lang.en.stop_words import STOP_WORDS

from newsdesk.enrich.analysis import Analysis
from newsdesk.enrich.lead_rules import dependent, furniture, strip_dateline
from newsdesk.models import Cite, Line

Matrix = npt.NDArray[np.float64]

_MIN_WORDS = 6  # shorter sentences are subheadings or fragments, never summary candidates
_END = re.compile(r"[.!?…]['\"”’)]?$|[\"”]$")
_WORD = re.compile(r"[a-z][a-z'-]+")
_QUOTE_OPEN = re.compile(r"^[\"“”‘'«„]")
_QUOTED = re.compile(r"[\"“][^\"”]{10,}[\"”]")
_SAYS = frozenset(
    f"{stem}{end}"
    for stem, ends in (
        ("sa", ("y", "ys", "id", "ying")),
        ("t", ("ell", "ells", "old", "elling")),
        ("add", ("", "s", "ed", "ing")),
        ("stat", ("e", "es", "ed", "ing")),
        ("announc", ("e", "es", "ed", "ing")),
        ("claim", ("", "s", "ed", "ing")),
        ("accord", ("ing",)),
    )
    for end in ends
)
_NAMES = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT"})
_NUMBERS = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"})
_CONNECTIVE = re.compile(
    r"^(?:meanwhile|in addition|additionally|however|also|moreover|furthermore|but|and|so|still|"
    r"separately|besides|further|nevertheless|nonetheless|in turn|at the same time|instead|"
    r"on the other hand|as a result|in contrast|by contrast|for its part|for their part)\b,?\s+",
    re.IGNORECASE,
)

FEATURES = (
    "bias",
    "first",
    "second",
    "third",
    "fourth",
    "early",  # fifth to eighth
    "relative",  # rank / number of candidates
    "decay",  # exp(-0.3 rank)
    "log_words",
    "words_sq",  # (words / 30) ** 2: very long sentences cost F1
    "centrality",
    "lead_overlap",  # TF-IDF cosine to the first candidate
    "title",
    "names",  # named-entity tokens per word
    "numbers",
    "quote_share",
    "quote_led",
    "question",
    "attribution",  # a say/tell verb
    "proper_share",  # proper-noun tokens per word
    "paren",
    # Interactions: what matters in the lead is not what matters further down.
    "first_x_log_words",
    "decay_x_centrality",
    "decay_x_names",
    "decay_x_attribution",
    "decay_x_quote_share",
)


@dataclass(frozen=True, slots=True)
class Model:
    """Feature weights and the picking parameters, chosen on the dev split."""

    weights: tuple[float, ...]
    budget: int  # words the summary may take; the last sentence may cross it
    overshoot: float  # a further sentence is added only within budget * overshoot words
    redundancy: float  # TF-IDF cosine to a chosen sentence above which a sentence is skipped
    max_lines: int = 4


@cache
def default_model() -> Model:
    """The shipped model (newsdesk/nlp/data/summary_model.json)."""
    raw = json.loads(
        resources.files("newsdesk.nlp").joinpath("data/summary_model.json").read_text("utf-8")
    )
    if tuple(raw["features"]) != FEATURES:
        raise ValueError("summary_model.json: its features do not match summary.FEATURES")
    return Model(
        tuple(float(w) for w in raw["weights"]),
        int(raw["budget"]),
        float(raw["overshoot"]),
        float(raw["redundancy"]),
        int(raw.get("max_lines", 4)),
    )


def candidates(analysis: Analysis) -> list[int]:
    """Sentences that can be summarised: long enough, ending like a sentence, not furniture."""
    return [
        i
        for i, s in enumerate(analysis.sentences)
        if len(s.text.split()) >= _MIN_WORDS and _END.search(s.text) and not furniture(s.text)
    ]


def features(analysis: Analysis, cands: list[int]) -> tuple[Matrix, Matrix]:
    """(one row of FEATURES per candidate, the candidates' TF-IDF cosine matrix)."""
    x, title = _tfidf(analysis, cands)
    sim = x @ x.T
    n = len(cands)
    central = sim.sum(axis=1) - 1.0
    central = central / central.max() if n and central.max() > 0 else central
    rank = np.arange(n, dtype=float)
    out = np.zeros((n, len(FEATURES)))
    out[:, 0] = 1.0
    for k in range(4):
        out[:, 1 + k] = rank == k
    out[:, 5] = (rank >= 4) & (rank < 8)
    out[:, 6] = rank / max(1, n)
    out[:, 7] = np.exp(-0.3 * rank)
    out[:, 10] = central
    out[:, 11] = sim[:, 0] if n else 0.0
    out[:, 12] = x @ title if title is not None else 0.0
    toks = analysis.tokens
    ents = analysis.entities
    for r, i in enumerate(cands):
        s = analysis.sentences[i]
        text = s.text
        span = toks[s.tok_start : s.tok_end]
        words = max(1, sum(1 for t in span if t.pos not in ("PUNCT", "SPACE")))
        out[r, 8] = np.log(words)
        out[r, 9] = (words / 30.0) ** 2
        named = sum(1 for t in span if t.ent >= 0 and ents[t.ent].label in _NAMES)
        numbers = sum(1 for t in span if t.ent >= 0 and ents[t.ent].label in _NUMBERS)
        out[r, 13] = named / words
        out[r, 14] = numbers / words
        inside = sum(len(m.group(0)) for m in _QUOTED.finditer(text))
        out[r, 15] = inside / max(1, len(text))
        out[r, 16] = bool(_QUOTE_OPEN.match(text))
        out[r, 17] = text.rstrip("\"”’' ").endswith("?")
        out[r, 18] = any(t.pos == "VERB" and t.text.lower() in _SAYS for t in span)
        out[r, 19] = sum(1 for t in span if t.pos == "PROPN") / words
        out[r, 20] = "(" in text
    out[:, 21] = out[:, 1] * out[:, 8]
    out[:, 22] = out[:, 7] * out[:, 10]
    out[:, 23] = out[:, 7] * out[:, 13]
    out[:, 24] = out[:, 7] * out[:, 18]
    out[:, 25] = out[:, 7] * out[:, 15]
    return out, sim


def scores(analysis: Analysis, cands: list[int], model: Model | None = None) -> Matrix:
    """The model's score of each candidate (higher: closer to what an editor highlights)."""
    model = model or default_model()
    x, _ = features(analysis, cands)
    scored: Matrix = x @ np.asarray(model.weights)
    return scored


STANDALONE, NEVER = -2, -1  # Prepared.leans_on: reads alone; leans on a sentence not offered


def pick(
    score: Matrix, sim: Matrix, lengths: list[int], leans_on: list[int], model: Model
) -> list[int]:
    """Positions (into score) of the summary: best first while words last, no near-repeats.

    A sentence that leans on its predecessor is taken only right after it (leans_on[j] chosen).
    """
    chosen: list[int] = []
    used = 0
    order = [int(j) for j in np.argsort(-score, kind="stable")]
    while used < model.budget and len(chosen) < model.max_lines:
        for j in order:
            if j in chosen or leans_on[j] == NEVER:
                continue
            if leans_on[j] != STANDALONE and leans_on[j] not in chosen:
                continue
            if any(sim[j, c] > model.redundancy for c in chosen):
                continue
            if chosen and used + lengths[j] > model.budget * model.overshoot:
                continue
            chosen.append(j)
            used += lengths[j]
            break
        else:
            break
    return sorted(chosen)


@dataclass(frozen=True)
class Prepared:
    """An article's candidates with what picking needs; the same for any Model."""

    cands: list[int]
    x: Matrix  # FEATURES per candidate
    sim: Matrix  # TF-IDF cosine between candidates
    lengths: list[int]  # words, dateline cut
    leans_on: list[int]  # STANDALONE, NEVER, or the position of the candidate it follows


def prepare(analysis: Analysis) -> Prepared:
    cands = candidates(analysis)
    x, sim = features(analysis, cands)
    texts = [analysis.sentences[i].text for i in cands]
    position = {i: j for j, i in enumerate(cands)}
    leans_on = [
        STANDALONE if not dependent(t) else position.get(i - 1, NEVER)
        for i, t in zip(cands, texts, strict=True)
    ]
    return Prepared(cands, x, sim, [len(strip_dateline(t).split()) for t in texts], leans_on)


def summary_and_points(
    analysis: Analysis, model: Model | None = None, prepared: Prepared | None = None
) -> tuple[tuple[Line, ...], tuple[Line, ...]]:
    """(summary lines in text order, up to 6 key points in text order, connectives trimmed)."""
    model = model or default_model()
    p = prepared or prepare(analysis)
    if not p.cands:
        return (), ()
    score = p.x @ np.asarray(model.weights)
    sents = analysis.sentences
    chosen = pick(score, p.sim, p.lengths, p.leans_on, model)
    summary = tuple(
        Line(strip_dateline(sents[p.cands[j]].text), (Cite(p.cands[j]),)) for j in chosen
    )
    rest = [
        int(j)
        for j in np.argsort(-score, kind="stable")
        if j not in chosen and not dependent(trim_connective(sents[p.cands[j]].text))
    ]
    n_points = min(6, max(3, len(rest) // 3), len(rest))
    points: list[int] = []
    for j in rest:
        if len(points) == n_points:
            break
        if all(p.sim[j, c] <= model.redundancy for c in [*chosen, *points]):
            points.append(j)
    key_points = tuple(
        Line(trim_connective(strip_dateline(sents[p.cands[j]].text)), (Cite(p.cands[j]),))
        for j in sorted(points)
    )
    return summary, key_points


def trim_connective(text: str) -> str:
    """The sentence without a leading connective ("Meanwhile, "), capitalised again."""
    out = _CONNECTIVE.sub("", text, count=1)
    if out == text or not out:
        return text
    return out[0].upper() + out[1:]


def _terms(words: list[str]) -> list[str]:
    return [w for w in words if w not in STOP_WORDS and len(w) > 2]


def _tfidf(analysis: Analysis, cands: list[int]) -> tuple[Matrix, Matrix | None]:
    """Unit TF-IDF rows of the candidate sentences, and the title's vector in the same space."""
    vocab: dict[str, int] = {}
    rows: list[list[int]] = []
    toks = analysis.tokens
    for i in cands:
        s = analysis.sentences[i]
        if s.tok_end > s.tok_start:
            raw = [t.text.lower() for t in toks[s.tok_start : s.tok_end] if t.text.isalpha()]
        else:
            raw = _WORD.findall(s.text.lower())
        rows.append([vocab.setdefault(w, len(vocab)) for w in _terms(raw)])
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


def _unit(x: Matrix) -> Matrix:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms > 0, norms, 1.0)
