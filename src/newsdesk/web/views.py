"""View models: an article's text cut into sentence spans, a brief's short summary."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of article text; sentence is the brief's index when the run is that sentence."""

    text: str
    sentence: int | None = None


def sentence_paragraphs(text: str, sentences: tuple[str, ...]) -> list[list[Piece]]:
    """The text as paragraphs of pieces, each brief sentence found in order by its offsets."""
    pieces: list[Piece] = []
    pos = 0
    for index, sentence in enumerate(sentences):
        start = text.find(sentence, pos) if sentence else -1
        if start < 0:
            continue  # not verbatim in the text (normalized): the sentence keeps no anchor
        if start > pos:
            pieces.append(Piece(text[pos:start]))
        pieces.append(Piece(sentence, index))
        pos = start + len(sentence)
    if pos < len(text):
        pieces.append(Piece(text[pos:]))
    return _paragraphs(pieces)


def _paragraphs(pieces: list[Piece]) -> list[list[Piece]]:
    paragraphs: list[list[Piece]] = [[]]
    for piece in pieces:
        parts = piece.text.split("\n\n")
        for n, part in enumerate(parts):
            if n:
                paragraphs.append([])
            if part.strip() or (part and paragraphs[-1]):
                # The anchor stays on the first part of a sentence that spans paragraphs.
                paragraphs[-1].append(Piece(part, piece.sentence if n == 0 else None))
    return [p for p in paragraphs if any(piece.text.strip() for piece in p)]
