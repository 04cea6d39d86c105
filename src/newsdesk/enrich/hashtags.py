"""Hashtags: the article's main people, organisations and places by their canonical names, and
its subjects from a fixed vocabulary of news topics (newsdesk.enrich.topics).

Nothing else becomes a tag: no phrase of the headline, no bare common word. A name is left out
when the article itself writes its words in lower case ("Exchange", "Run"), when it is a month
or a weekday, or when it is too short to read. Ties break by position, never by hash order, so
the same article gets the same tags on every run.
"""

from __future__ import annotations

import re
from collections import Counter

from spacy.lang.en.stop_words import STOP_WORDS

from newsdesk.enrich.topics import BROAD, topic_hits, words
from newsdesk.models import WhoEntry

MIN_TAGS, MAX_TAGS = 3, 8
MAX_ENTITY_TAGS = 5
MAX_TOPIC_TAGS = 3
LEAD_CHARS = 1_500  # the opening of the text, where news states its subject
# A topic is the article's subject when its triggers score at least this much: a trigger in the
# title counts TITLE_WEIGHT, one in the opening LEAD_WEIGHT, one further down 1 (chosen on the dev
# split of the hand labels; benchmarks/brief_hashtags.py).
MIN_TOPIC_SCORE = 5
MIN_FALLBACK_SCORE = 3  # a weaker topic still beats a name mentioned once, for a short text
TITLE_WEIGHT, LEAD_WEIGHT = 3, 2
_SPLIT = re.compile(r"[^\w]+")
_APOSTROPHE = re.compile(r"['’]")
_CALENDAR = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "today", "yesterday", "tomorrow", "tonight", "morning", "evening",
    "week", "weekend", "month", "year",
}  # fmt: skip


def tag(phrase: str) -> str:
    """ "prisoner exchange" -> "#PrisonerExchange"; "EU" -> "#EU"; "Macy's" -> "#Macys"."""
    parts = [w for w in _SPLIT.split(_APOSTROPHE.sub("", phrase)) if w]
    if len(parts) > 1:  # "PETER Capaldi": a shouted word of a name, not an acronym
        parts = [w.capitalize() if w.isupper() and len(w) >= 5 else w for w in parts]
    return "#" + "".join(w if w[0].isupper() else w[0].upper() + w[1:] for w in parts)


def topics(title: str | None, text: str) -> list[tuple[str, int]]:
    """Every topic of the vocabulary the article touches, with its score, best first. A title
    counts only for topics its text names too ("Hunger Games" in a headline is no famine); a
    broad topic (BROAD) scores half."""
    body: Counter[str] = Counter()
    for weight, part in ((LEAD_WEIGHT, text[:LEAD_CHARS]), (1, text[LEAD_CHARS:])):
        for topic, n in topic_hits(part).items():
            body[topic] += weight * n
    for topic, n in topic_hits(title or "").items():
        if body[topic]:
            body[topic] += TITLE_WEIGHT * n
    score = {t: s // 2 if t in BROAD else s for t, s in body.items() if s}
    return sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))


def hashtags(
    who: tuple[WhoEntry, ...], title: str | None, text: str, mentions: Counter[str]
) -> tuple[str, ...]:
    """3-8 tags: names mentioned twice or in the title, then topics, then any other name."""
    lower = {w for w in re.findall(r"\b[a-z][a-z'’-]+\b", text)}
    title_words = set(words(title or ""))
    in_title = [
        w
        for w in who
        if title_words and set(words(w.name)) <= title_words and _readable(w.name, lower)
    ]
    ranked = sorted(who, key=lambda w: -w.mentions)  # stable: who's own order breaks ties
    main = [w for w in ranked if w.mentions >= 2 and _readable(w.name, lower)]
    names = list(dict.fromkeys(w.name for w in [*in_title, *main]))[:MAX_ENTITY_TAGS]
    scored = _distinct_topics(topics(title, text))
    subjects = [tag(t) for t, s in scored if s >= MIN_TOPIC_SCORE][:MAX_TOPIC_TAGS]
    picked: list[str] = []
    for t in [tag(n) for n in names[:2]] + subjects + [tag(n) for n in names[2:]]:
        _add(picked, t)
    # A short text: fall back to weaker topics, then to names mentioned once.
    weaker = [tag(t) for t, s in scored if s >= MIN_FALLBACK_SCORE]
    rest = [n for n, _ in mentions.most_common() if _readable(n, lower)]
    named = [tag(n) for n in [w.name for w in ranked if _readable(w.name, lower)] + rest]
    for t in weaker + named:
        if len(picked) >= MIN_TAGS:
            break
        _add(picked, t)
    return tuple(picked[:MAX_TAGS])


def _distinct_topics(scored: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """A topic that repeats a better one (#Fire after #Wildfires) is left out before names are
    added, so a name that contains it (#PalmerFire) cannot let the weaker one in."""
    kept: list[tuple[str, int]] = []
    for t, s in scored:
        if not any(near(t.casefold(), k.casefold()) for k, _ in kept):
            kept.append((t, s))
    return kept


def _add(picked: list[str], t: str) -> None:
    key = t[1:].casefold()
    if len(key) >= 2 and not any(near(key, p[1:].casefold()) for p in picked):
        picked.append(t)


def _readable(name: str, lower: set[str]) -> bool:
    """A name a reader would follow: not a common word the text writes in lower case, not a
    date word, not a lone letter or number."""
    ws = [w for w in _SPLIT.split(_APOSTROPHE.sub("", name)) if w]
    if not ws or len("".join(ws)) < 2 or any(w.isdigit() for w in ws):
        return False
    folded = [w.lower() for w in ws]
    if all(w in _CALENDAR or w in STOP_WORDS for w in folded):
        return False
    if len(ws) == 1:
        return folded[0] not in lower
    return not all(w in lower or w in STOP_WORDS for w in folded)


def near(a: str, b: str) -> bool:
    """Same tag up to a suffix ("russia"/"russian") or one contained in the other ("lohan" in
    "lindsaylohan"; only from four letters, so "us" is not inside "russia")."""
    n = min(len(a), len(b))
    if n >= 4 and (a in b or b in a):
        return True
    return n >= 4 and a[: n - 1] == b[: n - 1] and abs(len(a) - len(b)) <= 3
