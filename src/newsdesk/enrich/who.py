"""Who's who: people, organisations and places ranked by mentions, with roles from the text."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from newsdesk.enrich import places
from newsdesk.enrich.analysis import Analysis, Entity
from newsdesk.enrich.entities import Mention
from newsdesk.models import Cite, WhoEntry

WHO_TYPES = ("PERSON", "ORG", "PLACE")
MAX_WHO = {"PERSON": 15, "ORG": 10, "PLACE": 10}
_ROLE_DEPS = {"compound", "amod", "nmod", "npadvmod", "poss", "case", "punct"}
_MAX_ROLE_WORDS = 12


def who_entries(analysis: Analysis, found: list[Mention]) -> tuple[WhoEntry, ...]:
    """One entry per canonical PERSON/ORG/PLACE name, most mentioned first."""
    groups: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for m in found:
        if m.type in WHO_TYPES:
            groups[(m.canonical, m.type)].append(m)
    entries = []
    for (name, _), ms in groups.items():
        sents = sorted({analysis.entities[m.entity].sent for m in ms} - {-1})
        role = None
        if ms[0].type == "PERSON":
            role = next(
                (r for m in ms if (r := role_of(analysis, analysis.entities[m.entity]))), None
            )
        cites = tuple(Cite(s) for s in sents[:5])
        entries.append(WhoEntry(name, ms[0].type, role, len(ms), cites))
    first = {m.canonical: m.start for m in reversed(found)}
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


# A story's who's who: entries named by at least two of its articles (or mentioned this often)
# when it has this many articles, at most this many of each kind.
STORY_SUPPORT, STORY_MIN_MENTIONS, STORY_WIDE = 2, 3, 3
MAX_STORY_WHO = {"PERSON": 12, "ORG": 8, "PLACE": 8}
_PARTICLES = {"von", "der", "den", "de", "van", "da", "di", "du", "del", "la", "le", "bin", "al"}


def story_who(articles: Sequence[tuple[int, Sequence[WhoEntry]]]) -> tuple[WhoEntry, ...]:
    """One entry per referent over a story's articles ((article_id, who) pairs).

    Each name takes the type most of its mentions across articles give it; then a surname, a
    first name, a name cut at its particle, a name without its middle name and an acronym join
    the one fuller name they fit; then entries named by a single article of a wide story drop
    out, and each kind keeps its most mentioned.
    """
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for _, who in articles:
        for w in who:
            votes[w.name.casefold()][w.type] += w.mentions
    merged: dict[str, WhoEntry] = {}
    for article_id, who in articles:
        for w in who:
            key = w.name.casefold()
            kind = votes[key].most_common(1)[0][0]
            cites = tuple(Cite(c.sentence, article_id) for c in w.cites)
            old = merged.get(key)
            merged[key] = (
                WhoEntry(w.name, kind, w.role, w.mentions, cites)
                if old is None
                else _joined(old, WhoEntry(w.name, kind, w.role, w.mentions, cites))
            )
    for fold in (_fold_middle_names, _fold_short_names, _fold_acronyms, _fold_places):
        merged = fold(merged)
    entries = sorted(merged.values(), key=lambda w: (-w.mentions, w.name))
    if len(articles) >= STORY_WIDE:
        entries = [
            w
            for w in entries
            if len({c.article_id for c in w.cites}) >= STORY_SUPPORT
            or w.mentions >= STORY_MIN_MENTIONS
        ]
    kept = {kind: [w for w in entries if w.type == kind][:n] for kind, n in MAX_STORY_WHO.items()}
    return tuple(w for w in entries if w in kept.get(w.type, ()))


def _joined(into: WhoEntry, other: WhoEntry, name: str | None = None) -> WhoEntry:
    return WhoEntry(
        name or into.name,
        into.type,
        into.role or other.role,
        into.mentions + other.mentions,
        into.cites + tuple(c for c in other.cites if c not in into.cites),
    )


def _fold_middle_names(merged: dict[str, WhoEntry]) -> dict[str, WhoEntry]:
    """ "Mark Heller" joins "Mark Jay Heller": same first and last name, one has a middle name."""
    people = [k for k, w in merged.items() if w.type == "PERSON"]
    for key in [k for k in people if len(k.split()) == 2]:
        first, last = key.split()
        fuller = [
            p
            for p in people
            if len(p.split()) > 2 and (p.split()[0], p.split()[-1]) == (first, last)
        ]
        if len(fuller) != 1 or key not in merged or fuller[0] not in merged:
            continue
        short, full = merged.pop(key), merged[fuller[0]]
        keep = short if short.mentions > full.mentions else full  # the usual spelling is the name
        merged[fuller[0]] = _joined(full, short, keep.name)
    return merged


def _fold_short_names(merged: dict[str, WhoEntry]) -> dict[str, WhoEntry]:
    """ "Lohan", "Von der Leyen", "Ursula von der" or "Lindsay" joins the one person it fits;
    an organisation's short name ("Saints", "Kraft") the one organisation it starts or ends."""
    people = sorted((k for k, w in merged.items() if w.type == "PERSON" and " " in k), key=len)
    for key in sorted(merged, key=len):
        entry = merged.get(key)
        if entry is None or (entry.type == "PLACE" and _is_place(entry.name)):
            continue
        words = key.split()
        fuller = [
            p
            for p in people
            if p != key
            and p in merged
            and len(p.split()) > len(words)
            and (
                p.split()[-len(words) :] == words  # a surname, "von der leyen"
                or (len(words) == 1 and p.split()[0] == key)  # a first name
                or (words[-1] in _PARTICLES and p.split()[: len(words)] == words)
            )
        ]
        if len(fuller) != 1 and entry.type == "ORG":
            fuller = [
                k
                for k, w in merged.items()
                if w.type == "ORG"
                and len(k.split()) > len(words)
                and words in (k.split()[: len(words)], k.split()[-len(words) :])
            ]  # "Saints" in "New Orleans Saints", "Kraft" in "Kraft Foods"
        if len(fuller) != 1:
            continue
        merged[fuller[0]] = _joined(merged[fuller[0]], merged.pop(key))
    return merged


def _fold_acronyms(merged: dict[str, WhoEntry]) -> dict[str, WhoEntry]:
    """ "ECB" joins "European Central Bank" when one organisation has those initials."""
    for key, entry in list(merged.items()):
        if not (entry.name.isupper() and 2 <= len(entry.name) <= 5 and entry.type != "PERSON"):
            continue
        fuller = [
            k
            for k, w in merged.items()
            if k != key
            and w.type in ("ORG", "PLACE")
            and len(w.name.split()) > 1
            and "".join(x[0] for x in w.name.split() if x[0].isupper()) == entry.name
        ]
        if len(fuller) == 1:
            merged[fuller[0]] = _joined(merged[fuller[0]], merged.pop(key))
    return merged


def _fold_places(merged: dict[str, WhoEntry]) -> dict[str, WhoEntry]:
    """ "U.S." and "United States", "Kiev" and "Kyiv": one place, under its most used name."""
    same: dict[places.Place, list[str]] = defaultdict(list)
    for key, entry in merged.items():
        place = places.lookup(entry.name) if entry.type == "PLACE" else None
        if place is not None:
            same[place].append(key)
    for keys in same.values():
        if len(keys) < 2:
            continue
        keys.sort(key=lambda k: (-merged[k].mentions, k))
        for key in keys[1:]:
            merged[keys[0]] = _joined(merged[keys[0]], merged.pop(key))
    return merged


def _is_place(name: str) -> bool:
    found = places.lookup(name)
    return found is not None and found.strong
