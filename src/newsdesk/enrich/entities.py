"""Named-entity mentions merged to canonical names, with general filters for model mistakes."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from newsdesk.enrich.analysis import Analysis

TYPE_OF = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
KEPT = {**TYPE_OF, "NORP": "NORP", "EVENT": "EVENT"}
# Honorifics and titles a model sometimes folds into a PERSON span; they are roles, not names.
_TITLES = {
    "mr", "mrs", "ms", "dr", "sir", "dame", "lord", "president", "prime", "minister", "senator",
    "sen", "rep", "gov", "governor", "judge", "gen", "general", "col", "capt", "officer", "mayor",
    "chancellor", "secretary", "king", "queen", "prince", "princess", "pope", "coach", "chief",
}  # fmt: skip
UNSURE = "UNSURE"  # a mention kept for offsets but left out of who's who and entity names
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


@dataclass(frozen=True, slots=True)
class Mention:
    entity: int  # index into Analysis.entities
    text: str  # the cleaned surface form
    type: str  # PERSON, ORG, PLACE, NORP, EVENT
    canonical: str


def clean(text: str, label: str) -> str:
    """Surface form without a leading "the", a possessive, edge punctuation or line breaks."""
    text = " ".join(text.split())
    text = _POSSESSIVE.sub("", text)
    if text.lower().startswith("the "):
        text = text[4:]
    text = _EDGE.sub("", text)
    if label == "PERSON":
        words = text.split()
        while len(words) > 1 and words[0].lower().rstrip(".") in _TITLES:
            words = words[1:]
        text = " ".join(words)
    return text


def plausible(text: str, label: str) -> bool:
    """False for spans a small model mislabels: lower-case words, numbers, stray fragments."""
    if len(text) < 2 or not any(c.isupper() for c in text) or any(c.isdigit() for c in text):
        return False
    words = text.split()
    if len(words) > 6:
        return False
    if label == "PERSON":
        return (
            all(
                w[0].isupper() or w.lower() in {"von", "der", "de", "van", "da", "bin", "al"}
                for w in words
            )
            and not text.isupper()
        )
    return words[0][0].isupper() or words[0][0].isdigit()


def mentions(analysis: Analysis) -> list[Mention]:
    """Every kept PERSON/ORG/PLACE/NORP/EVENT mention with its canonical name."""
    raw: list[tuple[int, str, str]] = []
    for i, ent in enumerate(analysis.entities):
        if ent.label not in KEPT:
            continue
        text = clean(ent.text, ent.label)
        if plausible(text, ent.label):
            raw.append((i, text, KEPT[ent.label]))
    canon = _canonical_names(raw)
    types = _types(raw, canon)
    return [Mention(i, text, types[canon[text]], canon[text]) for i, text, _ in raw]


def _canonical_names(raw: list[tuple[int, str, str]]) -> dict[str, str]:
    """Surface form -> canonical: a short name that ends or starts a longer PERSON name joins it."""
    counts = Counter(text for _, text, _ in raw)
    persons = {text for _, text, t in raw if t == "PERSON" and len(text.split()) > 1}
    by_key: dict[str, list[str]] = defaultdict(list)
    for full in sorted(persons):  # a set: iterate in a fixed order so ties break the same way
        words = full.lower().split()
        for k in range(1, len(words)):
            by_key[" ".join(words[k:])].append(full)  # "von der leyen", "leyen"
        by_key[words[0]].append(full)
    longer_orgs = [t for _, t, ty in raw if ty in ("ORG", "PLACE") and len(t.split()) > 1]
    canon: dict[str, str] = {}
    for text in counts:
        key = text.lower()
        fulls = [f for f in by_key.get(key, []) if f != text]
        if fulls and text not in persons:
            canon[text] = max(fulls, key=lambda f: (counts[f], len(f), f))
            continue
        if text.isupper() and 2 <= len(text) <= 5:
            for full in longer_orgs:
                initials = "".join(w[0] for w in full.split() if w[0].isupper())
                if initials == text and text not in full.split():
                    canon[text] = full
                    break
        canon.setdefault(text, text)
    return canon


def _types(raw: list[tuple[int, str, str]], canon: dict[str, str]) -> dict[str, str]:
    """Canonical name -> its majority type (a person's surname tagged ORG stays a person)."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for _, text, ty in raw:
        votes[canon[text]][ty] += 2 if text == canon[text] else 1
    types = {}
    for name, v in votes.items():
        best = v.most_common(1)[0][0]
        if best == "PERSON" and " " not in name:
            # News introduces people by full name: a lone capitalised word the model calls a
            # person, never seen with a first name, is more often a place or an organisation.
            others = [t for t, _ in v.most_common() if t != "PERSON"]
            best = others[0] if others else UNSURE
        types[name] = best
    return types
