"""Who's who: people, organisations and places ranked by mentions, with roles from the text."""

from __future__ import annotations

from collections import defaultdict

from newsdesk.enrich.analysis import Analysis, Entity
from newsdesk.enrich.entities import Mention
from newsdesk.models import Cite, WhoEntry

WHO_TYPES = ("PERSON", "ORG", "PLACE")
MAX_WHO = {"PERSON": 15, "ORG": 10, "PLACE": 10}
_ROLE_DEPS = {"compound", "amod", "nmod", "npadvmod", "poss", "case", "punct"}
_MAX_ROLE_WORDS = 12


def who_entries(analysis: Analysis, found: list[Mention]) -> tuple[WhoEntry, ...]:
    """One entry per canonical PERSON/ORG/PLACE name, most mentioned first."""
    groups: dict[str, list[Mention]] = defaultdict(list)
    for m in found:
        if m.type in WHO_TYPES:
            groups[m.canonical].append(m)
    entries = []
    for name, ms in groups.items():
        sents = sorted({analysis.entities[m.entity].sent for m in ms} - {-1})
        role = None
        if ms[0].type == "PERSON":
            role = next(
                (r for m in ms if (r := role_of(analysis, analysis.entities[m.entity]))), None
            )
        cites = tuple(Cite(s) for s in sents[:5])
        entries.append(WhoEntry(name, ms[0].type, role, len(ms), cites))
    first = {m.canonical: analysis.entities[m.entity].start for m in reversed(found)}
    entries.sort(key=lambda e: (-e.mentions, first[e.name]))
    # Each kind gets its own room: a war story names a dozen places, and they must not crowd
    # out the people who speak in it. People first, then organisations, then places.
    kept: list[WhoEntry] = []
    for kind in ("PERSON", "ORG", "PLACE"):
        kept.extend([e for e in entries if e.type == kind][: MAX_WHO[kind]])
    return tuple(kept)


def role_of(analysis: Analysis, ent: Entity) -> str:
    """A title before the name ("Defence Minister X") or an appositive ("X, the head of Y")."""
    return _title_before(analysis, ent) or _appositive(analysis, ent)


def _title_before(analysis: Analysis, ent: Entity) -> str:
    toks = analysis.tokens
    inside = range(ent.tok_start, ent.tok_end)
    i = ent.tok_start - 1
    while i >= 0 and toks[i].sent == ent.sent and toks[i].dep in _ROLE_DEPS:
        if toks[i].head not in inside and not (i < toks[i].head < ent.tok_start):
            break
        i -= 1
    words = toks[i + 1 : ent.tok_start]
    while words and (words[0].dep in ("punct", "case", "poss") or words[0].pos == "DET"):
        words = words[1:]
    if (
        not any(w.pos == "NOUN" or (w.pos == "PROPN" and w.ent < 0) for w in words)
        or len(words) > _MAX_ROLE_WORDS
    ):
        return ""
    return _span(analysis, words[0].idx, words[-1].idx + len(words[-1].text))


def _appositive(analysis: Analysis, ent: Entity) -> str:
    toks = analysis.tokens
    inside = set(range(ent.tok_start, ent.tok_end))
    root = next((i for i in inside if toks[i].head not in inside or toks[i].head == i), None)
    if root is None:
        return ""
    sent = analysis.sentences[ent.sent] if ent.sent >= 0 else None
    if sent is None:
        return ""
    span = range(sent.tok_start, sent.tok_end)
    children = [i for i in span if toks[i].head == root and toks[i].dep == "appos"]
    if children:
        return _subtree_text(analysis, children[0], span)
    if toks[root].dep == "appos" and toks[toks[root].head].pos == "NOUN":
        words = [i for i in _subtree(analysis, toks[root].head, span) if i < ent.tok_start]
        return _clip(analysis, words)
    return ""


def _subtree(analysis: Analysis, root: int, span: range) -> list[int]:
    toks = analysis.tokens
    out = {root}
    for i in span:  # heads form a tree inside the sentence: walk up from each token
        j, steps = i, 0
        while j not in out and toks[j].head != j and steps < 50:
            j, steps = toks[j].head, steps + 1
        if j in out:
            out.add(i)
    return sorted(out)


def _subtree_text(analysis: Analysis, root: int, span: range) -> str:
    words = _subtree(analysis, root, span)
    words = words[: words.index(root) + 1] + [
        i for i in words[words.index(root) + 1 :] if i - root <= _MAX_ROLE_WORDS
    ]
    return _clip(analysis, words)


def _clip(analysis: Analysis, words: list[int]) -> str:
    toks = analysis.tokens
    while words and (toks[words[0]].pos in ("DET", "PUNCT")):
        words = words[1:]
    while words and toks[words[-1]].pos == "PUNCT":
        words = words[:-1]
    if not words or len(words) > _MAX_ROLE_WORDS:
        return ""
    return _span(analysis, toks[words[0]].idx, toks[words[-1]].idx + len(toks[words[-1]].text))


def _span(analysis: Analysis, start: int, end: int) -> str:
    return " ".join(analysis.text[start:end].split())
