"""The article's language: py3langid on the text, with the page's <html lang> as a hint."""

from __future__ import annotations

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

_SAMPLE = 1000  # characters: a confident guess already, and the cost grows with length
_HINT_PLAUSIBLE = 0.05  # the page's claim stands unless the text makes it unlikely
_MIN_CONFIDENCE = 0.5  # without a hint, a weaker guess is no answer


@cache
def _identifier() -> LanguageIdentifier:
    # Loading the model takes ~0.1 s: once per process, and it is read-only afterwards.
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, hint: str | None = None) -> str | None:
    """An ISO 639-1 code for the text, preferring hint when the text allows it; None if unsure."""
    sample = text[:_SAMPLE]
    if not sample.strip():
        return hint
    ranking = _identifier().rank(sample)
    best, confidence = ranking[0]
    if hint and (hint == best or dict(ranking).get(hint, 0.0) >= _HINT_PLAUSIBLE):
        return hint
    return best if confidence >= _MIN_CONFIDENCE else None
