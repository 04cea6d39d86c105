"""Hashtags: the top entities and YAKE keyphrases as CamelCase tags, deduplicated."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

import yake
from spacy.lang.en.stop_words import STOP_WORDS

from newsdesk.models import WhoEntry

MIN_TAGS, MAX_TAGS = 3, 8
MAX_ENTITY_TAGS = 4
KEYPHRASE_CHARS = 1_000  # YAKE reads the title and the opening: the topic is stated there; its
# cost grows with length (27 ms at 3,000 characters, 12 at 1,500, 8 at 1,000)
_SPLIT = re.compile(r"[^\w]+")


@cache
def _extractor() -> yake.KeywordExtractor:
    return yake.KeywordExtractor(lan="en", n=3, top=15, dedupLim=0.7)


def tag(phrase: str) -> str:
    """ "prisoner exchange" -> "#PrisonerExchange"; "EU" stays "#EU"."""
    words = [w for w in _SPLIT.split(phrase) if w]
    return "#" + "".join(w if w[0].isupper() else w[0].upper() + w[1:] for w in words)


def keyphrases(title: str | None, text: str) -> list[str]:
    """YAKE's 1-3 word keyphrases of the title and the opening of the text, best first."""
    source = ((title or "") + ".\n" + text[:KEYPHRASE_CHARS]).strip()
    if not source:
        return []
    return [k for k, _ in _extractor().extract_keywords(source)]


def hashtags(
    who: tuple[WhoEntry, ...], phrases: list[str], mentions: Counter[str]
) -> tuple[str, ...]:
    """3-8 tags: entities first (by mentions), then keyphrases; no near-duplicates or stop words."""
    picked: list[str] = []
    keys: list[str] = []
    by_mentions = sorted(who, key=lambda w: -w.mentions)  # who lists people first
    ents = [w.name for w in by_mentions if w.mentions >= 2][:MAX_ENTITY_TAGS]
    name_words = {w.lower() for e in who for w in e.name.split()}
    for name in ents + [p for p in phrases if _good(p)]:
        t = tag(name)
        key = t[1:].lower()
        if len(t) < 3 or any(_near(key, k) for k in keys):
            continue
        if name not in ents and any(
            _near(w, n) for w in name.lower().split() for n in name_words
        ):  # a keyphrase that is part of a name ("Minister Rustem") repeats an entity
            continue
        picked.append(t)
        keys.append(key)
        if len(picked) >= MAX_TAGS:
            break
    for name, _ in mentions.most_common():  # a short text: fall back to any entity
        if len(picked) >= MIN_TAGS:
            break
        t = tag(name)
        if not any(_near(t[1:].lower(), k) for k in keys):
            picked.append(t)
            keys.append(t[1:].lower())
    return tuple(picked)


def _good(phrase: str) -> bool:
    words = phrase.lower().split()
    return (
        0 < len(words) <= 3
        and words[0] not in STOP_WORDS
        and words[-1] not in STOP_WORDS
        and not any(c.isdigit() for c in phrase)
        and all(len(w) > 2 for w in words)
    )


def _near(a: str, b: str) -> bool:
    """Same tag up to a suffix ("russia"/"russian") or one contained in the other."""
    if a in b or b in a:
        return True
    n = min(len(a), len(b))
    return n >= 4 and a[: n - 1] == b[: n - 1] and abs(len(a) - len(b)) <= 3
