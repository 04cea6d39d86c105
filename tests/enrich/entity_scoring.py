"""CoNLL-2003 documents as text with gold entity spans, for scoring newsdesk's entities.

Each document is its sentences' tokens joined by spaces, one sentence a line, so the pipeline
runs on it as on any text and gold spans are character offsets into it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from newsdesk.enrich.analysis import Analysis
from newsdesk.enrich.entities import mentions
from nlp import conll_evalset as conll

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("NEWSDESK_CORPUS") or ROOT.parent / "shared" / "corpus")
CONLL = CORPUS / "nlp" / "entities"
# spaCy labels (raw model) and newsdesk types (mentions) mapped to CoNLL's four types.
RAW_TO_CONLL = conll.COARSE
TYPE_TO_CONLL = {"PERSON": "PER", "ORG": "ORG", "PLACE": "LOC", "NORP": "MISC", "EVENT": "MISC"}
TYPE_TO_CONLL["MISC"] = "MISC"

Span = tuple[int, int, str]


@dataclass(frozen=True)
class Document:
    text: str
    gold: frozenset[Span]


def documents(name: str) -> list[Document]:
    """The documents of conll2003_<name>.txt (train or dev)."""
    return [_as_text(doc) for doc in conll.read(CONLL / f"conll2003_{name}.txt")]


def _as_text(doc: conll.Document) -> Document:
    """One sentence a line, tokens joined by spaces; token spans become character spans."""
    lines: list[str] = []
    gold: set[Span] = set()
    offset = 0
    for sentence in doc.sentences:
        starts: list[int] = []
        for word in sentence.words:
            starts.append(offset)
            offset += len(word) + 1
        for first, stop, kind in sentence.spans:
            gold.add((starts[first], starts[stop - 1] + len(sentence.words[stop - 1]), kind))
        lines.append(" ".join(sentence.words))
    return Document("\n".join(lines), frozenset(gold))


def raw_spans(analysis: Analysis) -> set[Span]:
    """The model's own entities, mapped."""
    return {
        (e.start, e.end, RAW_TO_CONLL[e.label])
        for e in analysis.entities
        if e.label in RAW_TO_CONLL
    }


def mention_spans(analysis: Analysis, find: Callable[[Analysis], list] = mentions) -> set[Span]:
    """newsdesk's mentions (model plus rules), mapped; UNSURE mentions count as not found."""
    out = set()
    for m in find(analysis):
        kind = TYPE_TO_CONLL.get(m.type)
        if kind is None:
            continue
        start = getattr(m, "start", None)
        end = getattr(m, "end", None)
        if start is None:
            ent = analysis.entities[m.entity]
            start, end = ent.start, ent.end
        out.add((start, end, kind))
    return out


def f1(pairs: list[tuple[frozenset[Span], set[Span]]]) -> tuple[float, float, float]:
    """Entity-level precision, recall and F1 (exact span and type), in percent."""
    got = conll.score(pairs)
    return 100 * got.precision, 100 * got.recall, 100 * got.f1
