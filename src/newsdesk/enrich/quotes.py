"""Direct quotes and who said them: attribution verbs, named subjects, pronouns, continuations."""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdesk.enrich.analysis import Analysis
from newsdesk.enrich.entities import Mention
from newsdesk.models import Cite, Quote

_QUOTE = re.compile(
    r"“([^”]{3,1500})”|\"((?:[^\"\n]|\n(?!\s*\n)){3,1500})\"|(?<![\w’'])'([^'\n]{3,600})'(?!\w)"
)
_MIN_WORDS = 3
SPEECH_VERBS = {
    "said", "says", "say", "told", "tells", "added", "adds", "wrote", "writes", "continued",
    "continues", "insisted", "insists", "stated", "states", "explained", "explains", "noted",
    "notes", "asked", "asks", "argued", "argues", "claimed", "claims", "declared", "warned",
    "warns", "replied", "announced", "stressed", "emphasised", "emphasized", "confirmed",
    "recalled", "admitted", "suggested", "posted", "tweeted", "according", "commented",
    "concluded", "acknowledged", "remarked", "responded", "urged", "vowed", "predicted",
}  # fmt: skip
_PRONOUNS = {"he", "she", "him", "her"}
_SPEAKERS = ("PERSON", "ORG")


@dataclass(frozen=True, slots=True)
class _Found:
    text: str
    start: int
    end: int
    sents: tuple[int, ...]


def quotes(analysis: Analysis, found: list[Mention]) -> tuple[Quote, ...]:
    """Each direct quote of three words or more, with its speaker's canonical name or None."""
    by_entity = {m.entity: m for m in found if m.type in _SPEAKERS}
    persons = sorted(
        (analysis.entities[m.entity].start, m.canonical) for m in found if m.type == "PERSON"
    )
    out: list[Quote] = []
    last: tuple[int, str | None] = (-10, None)  # sentence and speaker of the previous quote
    for q in _find(analysis):
        speaker = _attributed(analysis, q, by_entity, persons)
        if speaker is None and _quote_only(analysis, q) and q.sents[0] - last[0] <= 2:
            speaker = last[1]  # a quote-only sentence continues the previous speaker
        out.append(Quote(q.text, speaker, tuple(Cite(s) for s in q.sents)))
        last = (q.sents[-1], speaker)
    return tuple(out)


def _find(analysis: Analysis) -> list[_Found]:
    found = []
    starts = [s.start for s in analysis.sentences]
    for m in _QUOTE.finditer(analysis.text):
        g = 1 if m.group(1) is not None else 2 if m.group(2) is not None else 3
        text = " ".join(m.group(g).split()).strip()
        if len(text.split()) < _MIN_WORDS:
            continue
        sents = tuple(
            i for i, s in enumerate(analysis.sentences) if s.start < m.end() and s.end > m.start()
        )
        if not sents:
            sents = (max(0, _bisect(starts, m.start())),)
        found.append(_Found(text.rstrip(",").strip(), m.start(), m.end(), sents))
    return found


def _bisect(starts: list[int], pos: int) -> int:
    lo, hi = 0, len(starts)
    while lo < hi:
        mid = (lo + hi) // 2
        if starts[mid] <= pos:
            lo = mid + 1
        else:
            hi = mid
    return lo - 1


def _quote_only(analysis: Analysis, q: _Found) -> bool:
    s = analysis.sentences[q.sents[0]]
    outside = analysis.text[s.start : q.start] + analysis.text[q.end : s.end]
    return len(outside.split()) <= 1


def _attributed(
    analysis: Analysis,
    q: _Found,
    by_entity: dict[int, Mention],
    persons: list[tuple[int, str]],
) -> str | None:
    toks = analysis.tokens
    s0, s1 = analysis.sentences[q.sents[0]], analysis.sentences[q.sents[-1]]
    outside = [i for i in range(s0.tok_start, s1.tok_end) if not q.start <= toks[i].idx < q.end]
    for v in outside:
        if toks[v].text.lower() not in SPEECH_VERBS:
            continue
        if toks[v].text.lower() == "according":
            args = [i for i in outside if i > v and toks[i].ent >= 0][:1]
        else:
            args = [
                i for i in outside if toks[i].head == v and toks[i].dep in ("nsubj", "nsubjpass")
            ]
        for a in args:
            name = _name_near(analysis, a, by_entity, outside)
            if name:
                return name
            if toks[a].text.lower() in _PRONOUNS:
                return _recent_person(persons, q.start)
    # No parse link: a speech verb beside a named person or organisation still attributes.
    for i in outside:
        if toks[i].ent in by_entity and any(
            toks[j].text.lower() in SPEECH_VERBS for j in outside if abs(j - i) <= 3
        ):
            return by_entity[toks[i].ent].canonical
    return None


def _name_near(
    analysis: Analysis, tok: int, by_entity: dict[int, Mention], outside: list[int]
) -> str | None:
    """The named speaker at tok or inside its noun phrase ("spokesman Heorhii Tykhyi")."""
    toks = analysis.tokens
    if toks[tok].ent in by_entity:
        return by_entity[toks[tok].ent].canonical
    for i in outside:
        if toks[i].head == tok and toks[i].ent in by_entity and toks[i].dep in (
            "compound", "appos", "poss", "nmod",
        ):  # fmt: skip
            return by_entity[toks[i].ent].canonical
    return None


def _recent_person(persons: list[tuple[int, str]], before: int) -> str | None:
    best = None
    for start, name in persons:
        if start >= before:
            break
        best = name
    return best
