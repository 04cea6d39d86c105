"""CoNLL-2003 English NER: reading the files and scoring a recognizer on them.

Shared by tests/nlp/test_ner.py, benchmarks/brief_ner.py and benchmarks/train_ner.py. The files
are development data read from the shared corpus at run time, never copied into the repository.
Scores are entity-level (exact span and type) over PER / LOC / ORG / MISC, as in the shared task.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("NEWSDESK_CORPUS", ROOT.parent / "shared" / "corpus")).resolve()
ENTITIES = CORPUS / "nlp" / "entities"
TRAIN = ENTITIES / "conll2003_train.txt"
DEV = ENTITIES / "conll2003_dev.txt"

# spaCy (OntoNotes) labels -> CoNLL types; numeric and date labels have no CoNLL type.
COARSE = {
    "PERSON": "PER",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "ORG": "ORG",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
    "MISC": "MISC",
}

Span = tuple[int, int, str]  # token start, token end (exclusive), type


@dataclass(frozen=True)
class Sentence:
    words: tuple[str, ...]
    spans: tuple[Span, ...]  # gold CoNLL spans


@dataclass(frozen=True)
class Document:
    sentences: tuple[Sentence, ...]


def available() -> bool:
    return TRAIN.exists() and DEV.exists()


def read(path: Path) -> list[Document]:
    """The documents of a CoNLL file (IOB1 or IOB2 tags), sentences as words and gold spans."""
    docs: list[Document] = []
    sentences: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []

    def close_sentence() -> None:
        if words:
            sentences.append(Sentence(tuple(words), tuple(spans_of(tags))))
        words.clear()
        tags.clear()

    with path.open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if not parts:
                close_sentence()
            elif parts[0] == "-DOCSTART-":
                close_sentence()
                if sentences:
                    docs.append(Document(tuple(sentences)))
                sentences = []
            else:
                words.append(parts[0])
                tags.append(parts[-1])
    close_sentence()
    if sentences:
        docs.append(Document(tuple(sentences)))
    return docs


def spans_of(tags: Iterable[str]) -> Iterator[Span]:
    """Entity spans from IOB tags: a B- tag or a change of type starts a new entity."""
    start, kind = -1, ""
    i = -1
    for i, tag in enumerate(tags):
        prefix, _, label = tag.partition("-")
        if prefix == "I" and label == kind and start >= 0:
            continue
        if start >= 0:
            yield (start, i, kind)
        start, kind = (i, label) if prefix in ("B", "I") else (-1, "")
    if start >= 0:
        yield (start, i + 1, kind)


def sentences(docs: Iterable[Document]) -> list[Sentence]:
    return [sentence for doc in docs for sentence in doc.sentences]


def predicted(doc: Doc) -> set[Span]:
    """The doc's entities as CoNLL spans; labels without a CoNLL type are left out."""
    return {(ent.start, ent.end, COARSE[ent.label_]) for ent in doc.ents if ent.label_ in COARSE}


@dataclass(frozen=True)
class Score:
    gold: int
    found: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(pairs: Iterable[tuple[set[Span], set[Span]]]) -> Score:
    """Entity-level micro P/R/F1 over (gold, predicted) span sets."""
    gold = found = correct = 0
    for truth, guess in pairs:
        gold += len(truth)
        found += len(guess)
        correct += len(truth & guess)
    return Score(gold, found, correct)


def by_type(pairs: list[tuple[set[Span], set[Span]]]) -> dict[str, Score]:
    kinds = ("PER", "LOC", "ORG", "MISC")
    return {
        kind: score(
            ({s for s in truth if s[2] == kind}, {s for s in guess if s[2] == kind})
            for truth, guess in pairs
        )
        for kind in kinds
    }


def make_docs(nlp: Language, items: Iterable[Sentence]) -> Iterator[Doc]:
    """Pre-tokenized Docs (CoNLL words, spaces between them) so spans align token for token."""
    from spacy.tokens import Doc

    for sentence in items:
        yield Doc(nlp.vocab, words=list(sentence.words))


def recognize(nlp: Language, items: list[Sentence]) -> list[tuple[set[Span], set[Span]]]:
    """(gold, predicted) per sentence, running only the pipeline's entity recognizer."""
    ner = nlp.get_pipe("ner")
    docs = ner.pipe(make_docs(nlp, items), batch_size=256)
    return [
        (set(sentence.spans), predicted(doc)) for sentence, doc in zip(items, docs, strict=True)
    ]
