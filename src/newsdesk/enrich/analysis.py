"""One spaCy pass over an article, kept as plain picklable data (no spaCy objects)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsdesk.nlp import spacy_model

if TYPE_CHECKING:
    from spacy.tokens import Doc

MAX_CHARS = 20_000  # spaCy sees at most this much of a page; the brief is written from it


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int  # character offsets into Analysis.text
    end: int
    tok_start: int  # token offsets into Analysis.tokens
    tok_end: int


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    idx: int  # character offset
    pos: str
    tag: str
    dep: str
    head: int  # token index of the syntactic head (itself for a root)
    sent: int  # index into Analysis.sentences (-1 for whitespace between sentences)
    ent: int  # index into Analysis.entities, -1 outside entities


@dataclass(frozen=True, slots=True)
class Entity:
    text: str
    label: str  # spaCy label: PERSON, ORG, GPE, CARDINAL, ...
    start: int
    end: int
    tok_start: int
    tok_end: int
    sent: int


@dataclass(frozen=True, slots=True)
class Chunk:
    text: str
    start: int
    end: int
    root: int  # token index of the chunk's head noun
    sent: int


@dataclass(frozen=True, slots=True)
class Analysis:
    """What enrich needs from one spaCy pass: sentences, tokens with parse, entities, chunks."""

    lang: str | None
    available: bool
    text: str
    title: str | None = None
    sentences: tuple[Sentence, ...] = ()
    tokens: tuple[Token, ...] = ()
    entities: tuple[Entity, ...] = ()
    chunks: tuple[Chunk, ...] = ()


def analyze(text: str, *, title: str | None = None, lang: str | None = None) -> Analysis:
    """Sentences, entities, noun chunks and parse of text; available=False without a model."""
    return next(analyze_many([(text, title, lang)]))


def analyze_many(items: Iterable[tuple[str, str | None, str | None]]) -> Iterator[Analysis]:
    """analyze() over (text, title, lang) items, parsing texts with a model in batches of
    PIPE_BATCH (each component's pipe(): the networks run on many texts at once)."""
    pending: list[tuple[str, str | None, str | None]] = []
    for item in items:
        pending.append(item)
        if len(pending) >= PIPE_BATCH:
            yield from _analyze_batch(pending)
            pending = []
    yield from _analyze_batch(pending)


PIPE_BATCH = 32


def _analyze_batch(items: list[tuple[str, str | None, str | None]]) -> Iterator[Analysis]:
    parsed: dict[int, Analysis] = {}
    by_lang: dict[str, list[int]] = {}
    for i, (text, title, lang) in enumerate(items):
        if spacy_model.available(lang):
            by_lang.setdefault(lang or "en", []).append(i)
        else:
            text = text[:MAX_CHARS]
            parsed[i] = Analysis(lang, False, text, title, tuple(_plain_sentences(text)))
    for lang, members in by_lang.items():
        nlp = spacy_model.load(lang)
        docs = []
        for i in members:
            doc = nlp.make_doc(items[i][0][:MAX_CHARS])
            _mark_paragraphs(doc)  # before the parser: it keeps preset sentence starts
            docs.append(doc)
        for _, proc in nlp.pipeline:
            pipe = getattr(proc, "pipe", None)  # function components have no pipe()
            docs = list(pipe(docs, batch_size=PIPE_BATCH)) if pipe else [proc(d) for d in docs]
        for i, doc in zip(members, docs, strict=True):
            text, title, item_lang = items[i]
            parsed[i] = _from_doc(doc, text[:MAX_CHARS], title, item_lang)
    return (parsed[i] for i in range(len(items)))


_PLAIN_SPLIT = re.compile(r"\n\s*\n|(?<=[.!?…])[\"”’']?\s+(?=[\"“‘']?[A-ZÄÖÜÀ-Ý])")


def _plain_sentences(text: str) -> Iterator[Sentence]:
    """Sentences without a model: blank lines and end punctuation before a capital."""
    pos = 0
    for m in [*_PLAIN_SPLIT.finditer(text), None]:
        end = m.start() if m else len(text)
        piece = text[pos:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            start = pos + lead
            stop = start + len(piece.strip())
            yield Sentence(text[start:stop], start, stop, 0, 0)
        pos = m.end() if m else len(text)


def _mark_paragraphs(doc: Doc) -> None:
    """A blank line always ends a sentence: the parser keeps preset sentence starts."""
    tokens = list(doc)
    for i, tok in enumerate(tokens[:-1]):
        if tok.is_space and "\n" in tok.text:
            nxt = tokens[i + 1]
            nxt.is_sent_start = True
        elif "\n" in tok.whitespace_:
            tokens[i + 1].is_sent_start = True


def _from_doc(doc: Doc, text: str, title: str | None, lang: str | None) -> Analysis:
    sentences: list[Sentence] = []
    sent_of = [-1] * len(doc)
    for span in doc.sents:
        toks = [t for t in span if not t.is_space]
        if not toks:
            continue
        start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        for t in toks:
            sent_of[t.i] = len(sentences)
        sentences.append(Sentence(text[start:end], start, end, toks[0].i, toks[-1].i + 1))
    ent_of = [-1] * len(sent_of)
    entities: list[Entity] = []
    for e in doc.ents:
        for i in range(e.start, e.end):
            ent_of[i] = len(entities)
        entities.append(
            Entity(e.text, e.label_, e.start_char, e.end_char, e.start, e.end, sent_of[e.start])
        )
    tokens = tuple(
        Token(t.text, t.idx, t.pos_, t.tag_, t.dep_, t.head.i, sent_of[t.i], ent_of[t.i])
        for t in doc
    )
    chunks = tuple(
        Chunk(c.text, c.start_char, c.end_char, c.root.i, sent_of[c.root.i])
        for c in doc.noun_chunks
    )
    return Analysis(lang, True, text, title, tuple(sentences), tokens, tuple(entities), chunks)
