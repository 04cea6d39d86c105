"""CoNLL-2003 documents as text with gold entity spans, for scoring newsdesk's entities.

Each document is its sentences' tokens joined by spaces, one sentence a line, so the pipeline
runs on it as on any text and gold spans are character offsets into it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from newsdesk.enrich.analysis import Analysis
from newsdesk.enrich.entities import mentions

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("NEWSDESK_CORPUS") or ROOT.parent / "shared" / "corpus")
CONLL = CORPUS / "nlp" / "entities"
# spaCy labels (raw model) and newsdesk types (mentions) mapped to CoNLL's four types.
RAW_TO_CONLL = {
    "PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "NORP": "MISC",
    "EVENT": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC",
    "LANGUAGE": "MISC", "MISC": "MISC",
}  # fmt: skip
TYPE_TO_CONLL = {"PERSON": "PER", "ORG": "ORG", "PLACE": "LOC", "NORP": "MISC", "EVENT": "MISC"}
TYPE_TO_CONLL["MISC"] = "MISC"

Span = tuple[int, int, str]


@dataclass(frozen=True)
class Document:
    text: str
    gold: frozenset[Span]


def documents(name: str) -> list[Document]:
    """The documents of conll2003_<name>.txt (train or dev)."""
    return list(_read(CONLL / f"conll2003_{name}.txt"))


def _read(path: Path) -> Iterator[Document]:
    lines: list[str] = []
    gold: set[Span] = set()
    text = ""
    open_span: tuple[int, str] | None = None
    end = 0

    def close() -> None:
        nonlocal open_span
        if open_span is not None:
            gold.add((open_span[0], end, open_span[1]))
            open_span = None

    for raw in [*path.read_text(encoding="utf-8").splitlines(), "-DOCSTART- -X- -X- O"]:
        parts = raw.split()
        if not parts or parts[0] == "-DOCSTART-":
            close()
            if lines:
                text += " ".join(lines) + "\n"
                lines = []
            if parts and text.strip():
                yield Document(text.rstrip("\n"), frozenset(gold))
                text, gold = "", set()
            continue
        token, tag = parts[0], parts[-1]
        start = len(text) + sum(len(t) + 1 for t in lines)
        if tag == "O" or tag.startswith("B-") or (open_span and open_span[1] != tag[2:]):
            close()
        if tag != "O" and open_span is None:
            open_span = (start, tag[2:])
        lines.append(token)
        end = start + len(token)


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
    tp = sum(len(gold & got) for gold, got in pairs)
    n_got = sum(len(got) for _, got in pairs)
    n_gold = sum(len(gold) for gold, _ in pairs)
    p = tp / n_got if n_got else 0.0
    r = tp / n_gold if n_gold else 0.0
    return 100 * p, 100 * r, 100 * (2 * p * r / (p + r) if p + r else 0.0)
