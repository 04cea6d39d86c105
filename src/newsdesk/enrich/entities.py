"""Named-entity mentions, one entity per referent: one canonical name and one type each.

The model's spans are cleaned (titles, "the", possessives) and mended (a name cut at its
particle, "Ursula von der" + "Leyen"; a dateline's capitals, "LA" + "CROSSE"); then linked
within the article (a surname or "Von der Leyen" joins the full name, an acronym or a nickname
in parentheses joins the name it follows); and each entity takes the type its mentions, the
titles before them and the gazetteer support together. (Over 400 lines: the steps share one
record of a mention and one pass; the gazetteer and datelines live in their own modules.)
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from newsdesk.enrich import places
from newsdesk.enrich.analysis import Analysis, Entity
from newsdesk.enrich.dateline import dateline
from newsdesk.enrich.first_names import first_name_gender

TYPE_OF = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
KEPT = {
    **TYPE_OF, "NORP": "NORP", "EVENT": "EVENT", "MISC": "MISC", "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC", "LAW": "MISC", "LANGUAGE": "MISC",
}  # fmt: skip
# Honorifics and titles a model sometimes folds into a PERSON span; they are roles, not names.
_TITLES = {
    "mr", "mrs", "ms", "dr", "sir", "dame", "lord", "president", "prime", "minister", "senator",
    "sen", "rep", "gov", "governor", "judge", "gen", "general", "col", "capt", "officer", "mayor",
    "chancellor", "secretary", "king", "queen", "prince", "princess", "pope", "coach", "chief",
}  # fmt: skip
_TITLES |= {"ceo", "gm", "chairman", "chairwoman", "professor", "prof", "rev", "sheriff", "lt"}
_TITLES |= {"sgt", "det", "cpl", "commissioner"}
_TITLES |= {"coroner", "trooper", "deputy", "detective", "sergeant", "lieutenant", "captain"}
_TITLES |= {"inspector", "constable", "prosecutor"}
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
# Ranks a model leaves at the end of an organisation: "Oregon State Police Lt".
_TRAILING_ROLES = {"lt", "sgt", "capt", "det", "cpl", "officer", "sheriff", "spokesman"}
_TRAILING_ROLES |= {"spokeswoman", "commissioner", "chief", "ceo", "chairman", "director"}
# Parts of speech that never start a person's name: "Having Jackman", "American Hasim Rahman".
_NOT_NAME = {"VERB", "AUX", "ADV", "ADJ", "ADP", "SCONJ", "CCONJ", "PRON", "DET", "INTJ", "PART"}
TRIM_PERSON = False  # off: the news-trained recognizer rarely folds such words in
# Before a name, these say it is a person whatever the model called it.
_PERSON_CUES = {
    "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "sen", "rep", "gov", "lt", "sgt", "gen",
    "col", "capt", "president", "senator", "governor", "judge", "mayor", "minister",
}  # fmt: skip
# A one-word "organisation" right before these is half of a title: "Defence Minister".
_ROLE_NOUNS = {"minister", "secretary", "minister's", "secretary's"}
# Government portfolios: alone, "Defence" or "Interior" is a brief, not an organisation.
_PORTFOLIOS = {"defence", "defense", "interior", "finance", "justice", "foreign", "health"}
_PORTFOLIOS |= {"education", "energy", "transport", "agriculture", "trade"}  # not "Labour", a party
_PARTICLES = {"von", "der", "den", "de", "van", "da", "di", "du", "del", "della", "la", "le"}
_PARTICLES |= {"bin", "al", "el", "ibn", "ter", "ten", "dos", "das"}
# Rule switches, each chosen on CoNLL train for the recognizer newsdesk ships (figures in
# docs/brief_quality.md, from benchmarks/brief_entities.py). The gazetteer overrides of the
# model's ORG helped the small general model and hurt the news-trained one, which gets teams
# named for their city ("COLORADO", "SAN FRANCISCO") right: off.
ORG_TO_PLACE: frozenset[str] = frozenset()  # place kinds that overrule the model's ORG
ORG_CITY_TO_PLACE = False  # a known city of two words or more overrules the model's ORG
STRIP_CAPITAL_THE = False  # "The Oval" keeps its "The"; a lower-case "the" always goes
DIGITS_IN_MISC = True  # "Windows 95", "CAC-40" are names
MAX_WORDS = 10  # "Organisation for Security and Co-operation in Europe"
SPLIT_SHARE = 0.34  # a surface typed two ways, each at least this share: two referents
LONE_PERSON_UNSURE = False  # a lone surname without a title is UNSURE, however often said
LONE_PERSON_MIN = 2  # ... else it is a person from this many mentions (once: UNSURE)
UNSURE = "UNSURE"  # a mention kept for offsets but left out of who's who and entity names
_ABBREVIATIONS = {"inc", "corp", "co", "ltd", "jr", "sr", "bros", "st", "mt", "ft", "dept"}
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
# A nickname in quotes inside a name: Lindsay "LiLo" Lohan, Dwayne “The Rock” Johnson.
_NICKNAME = re.compile(
    r"\b([A-Z][a-z][\w'-]*) "
    r"(?:\"([A-Z][^\"\n]{0,20}?)\"|“([A-Z][^”\n]{0,20}?)”) "
    r"([A-Z][\w'-]*[a-z])\b"
)
# The rest of a hyphenated given name the model's span stops short of: "Park Geun" + "-hye".
_HYPHENATED = re.compile(r"-[^\W\d_]{1,4}(?![\w-])")
# Short words hyphenated onto a name that make an adjective of it ("Gore-era", "Kim-led").
_NAME_ADJECTIVES = {"era", "led", "run", "like", "type", "born", "made", "free", "wide", "ish"}
_ALIAS_GAP = re.compile(r"\s*[(\[“\"‘]\s*|\s*,\s+(?:also |better |widely )?known as\s+")


@dataclass(frozen=True, slots=True)
class Mention:
    entity: int  # index into Analysis.entities (the first, when the mention mends several)
    text: str  # the cleaned surface form
    type: str  # PERSON, ORG, PLACE, NORP, EVENT, MISC, or UNSURE
    canonical: str
    start: int = -1  # character offsets of the cleaned surface in Analysis.text
    end: int = -1


def clean(text: str, label: str) -> str:
    """Surface form without a leading "the", a possessive, edge punctuation or line breaks."""
    text = " ".join(text.split())
    text = _POSSESSIVE.sub("", text)
    if text.startswith("the ") or (STRIP_CAPITAL_THE and text.startswith("The ")):
        text = text[4:]
    text = _EDGE.sub(_keep_period, text)
    if label == "PERSON":
        words = text.split()
        while len(words) > 1 and words[0].lower().rstrip(".") in _TITLES:
            words = words[1:]
        while len(words) > 1 and words[-1] in _PARTICLES:  # "Ursula von der" cut short
            words = words[:-1]
        text = " ".join(words)
    return text


def _keep_period(edge: re.Match[str]) -> str:
    """ "U.S.", "Calif.", "Inc.": a period that ends an abbreviation is part of the name;
    the one after "Umerov." ends the sentence."""
    at, text = edge.start(), edge.string
    if edge.group()[0] != "." or at == 0 or not text[at - 1].isalpha():
        return ""
    last = text[:at].split()[-1] if text[:at].split() else ""
    if "." in last or last.lower() in _ABBREVIATIONS or f"{last}." in places.AP_STATES:
        return "."
    return ""


def plausible(text: str, label: str) -> bool:
    """False for spans a small model mislabels: lower-case words, numbers, stray fragments."""
    if len(text) < 2 or not any(c.isupper() for c in text):
        return False
    if any(c.isdigit() for c in text) and not (DIGITS_IN_MISC and KEPT.get(label) == "MISC"):
        return False  # "Windows 95" is a name, "2,000 Russian" is not
    words = text.split()
    if len(words) > MAX_WORDS:
        return False
    if label == "PERSON":
        return all(w[0].isupper() or w.lower() in _PARTICLES for w in words) and not (
            text.isupper() and len(text) > 3
        )
    return words[0][0].isupper() or words[0][0].isdigit()


@dataclass(frozen=True, slots=True)
class _Raw:
    entity: int
    text: str
    label: str  # the model's label mapped to our type
    start: int
    end: int
    cue: bool  # a title before it says "person"
    fixed: bool = False  # read from the text's structure (a dateline): its type stands


def mentions(analysis: Analysis) -> list[Mention]:
    """Every kept PERSON/ORG/PLACE/NORP/EVENT/MISC mention with its canonical name and type."""
    raw, nicknames = _mended(analysis)
    canon = _canonical_names(raw, {**_aliases(analysis, raw), **nicknames})
    types = _types(raw, canon)
    named = _place_names(types, Counter(canon[r.text] for r in raw))
    both = _two_referents(raw)
    return [
        Mention(
            r.entity,
            r.text,
            r.label if r.fixed or r.label in both.get(canon[r.text], ()) else types[canon[r.text]],
            named[canon[r.text]],
            r.start,
            r.end,
        )
        for r in raw
    ]


def _two_referents(raw: list[_Raw]) -> dict[str, set[str]]:
    """Surfaces the model gives two types in about equal measure ("NEW YORK" the city in the
    dateline, the team in the table): two referents, each mention keeping its own type."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    cued = set()
    for r in raw:
        votes[r.text.casefold()][r.label] += 1
        if r.cue:
            cued.add(r.text.casefold())
    out = {}
    for text, v in votes.items():
        total = sum(v.values())
        strong = {t for t, n in v.items() if n >= 2 and n >= SPLIT_SHARE * total}
        if len(strong) > 1 and text not in cued:
            out[text] = strong
    return out


def _place_names(types: dict[str, str], counts: Counter[str]) -> dict[str, str]:
    """Names of one place ("U.S.", "United States") take the article's usual one; capitals
    ("LA CROSSE") take the gazetteer's spelling. Other names stay as they are."""
    named = {name: name for name in types}
    same: dict[places.Place, list[str]] = defaultdict(list)
    for name, kind in types.items():
        place = places.lookup(name) if kind == "PLACE" else None
        if place is not None:
            same[place].append(name)
        if kind == "PLACE" and name.isupper() and len(name) > 3:
            named[name] = places.proper_case(name)
    for names in same.values():
        usual = max(names, key=lambda n: (counts[n], not n.isupper(), len(n), n))
        for name in names:
            named[name] = named[usual]
    return named


def _mended(analysis: Analysis) -> tuple[list[_Raw], dict[str, str]]:
    """The model's spans, cleaned, with names cut at a particle mended, a dateline read and a
    nickname inside a name taken out (with the nicknames found: "LiLo" -> "Lindsay Lohan")."""
    text, ents, toks = analysis.text, analysis.entities, analysis.tokens
    out: list[_Raw] = []
    whole: list[tuple[int, int]] = []  # read here as a whole: the model's pieces are dropped
    nicknames: dict[str, str] = {}

    def take(start: int, end: int, through: int, name: str, label: str) -> bool:
        first = next((i for i, e in enumerate(ents) if e.end > start), None)
        if first is None or ents[first].start >= through:
            return False
        whole.append((start, through))
        out.append(_Raw(first, name, label, start, end, label == "PERSON", label == "PLACE"))
        return True

    line = dateline(text)
    if line is not None:
        take(line.start, line.end, line.through, line.name, "PLACE")
    for nick in _NICKNAME.finditer(text):
        full = f"{nick.group(1)} {nick.group(4)}"
        person = any(
            e.label == "PERSON" and e.start < nick.end() and e.end > nick.start() for e in ents
        )  # Watch "The Voice" Tonight is no name
        if person and take(nick.start(), nick.end(), nick.end(), full, "PERSON"):
            nicknames[clean(nick.group(2) or nick.group(3), "ORG")] = full
    skip_to = -1
    for i, ent in enumerate(ents):
        if ent.label not in KEPT or ent.start < skip_to:
            continue
        if any(ent.start < through and ent.end > start for start, through in whole):
            continue
        start, end, tok_end, label = ent.start, ent.end, ent.tok_end, ent.label
        start, end = _trimmed(analysis, ent)
        # "Ursula von der" + "Leyen": a name that ends on a particle goes on to the next name.
        while tok_end < len(toks) and toks[tok_end - 1].text.lower() in _PARTICLES:
            nxt = toks[tok_end]
            if not nxt.text[:1].isupper() or nxt.idx > end + 1:
                break
            stop = ents[nxt.ent].tok_end if nxt.ent >= 0 else tok_end + 1
            if nxt.ent >= 0 and ents[nxt.ent].label == "PERSON":
                label = "PERSON"
            end = toks[stop - 1].idx + len(toks[stop - 1].text)
            tok_end, skip_to = stop, end
        rest = _HYPHENATED.match(text, end) if label == "PERSON" else None
        if rest is not None and _given_name_rest(text[start:end], rest.group()[1:]):
            end = rest.end()  # "Park Geun" + "-hye", "Ban Ki" + "-moon": one name
            while tok_end < len(toks) and toks[tok_end].idx < end:
                tok_end += 1
        lead, surface = _cleaned(text[start:end], label)
        if not surface or not plausible(surface, label):
            continue
        if _role_word(analysis, ent, tok_end, surface):
            continue
        begin = start + lead
        out.append(
            _Raw(i, surface, KEPT[label], begin, begin + _raw_len(text, begin, surface),
                 _person_cue(analysis, ent))
        )  # fmt: skip
    return sorted(out, key=lambda r: r.start), nicknames


def _trimmed(analysis: Analysis, ent: Entity) -> tuple[int, int]:
    """Character span of ent without a leading word that is no name ("Having Jackman",
    "American Hasim Rahman") in a person, or a trailing rank ("Oregon State Police Lt")."""
    toks = analysis.tokens
    first, last = ent.tok_start, ent.tok_end - 1
    if ent.label == "PERSON" and TRIM_PERSON:
        while first < last and toks[first].pos in _NOT_NAME:
            first += 1
    elif ent.label != "PERSON":
        while first < last and toks[last].text.lower().rstrip(".") in _TRAILING_ROLES:
            last -= 1
    if (first, last) == (ent.tok_start, ent.tok_end - 1):
        return ent.start, ent.end
    return toks[first].idx, toks[last].idx + len(toks[last].text)


def _cleaned(span: str, label: str) -> tuple[int, str]:
    """(offset of the cleaned surface in span, cleaned surface)."""
    surface = clean(span, label)
    if not surface:
        return 0, ""
    first = surface.split()[0]
    at = span.find(first)
    return max(at, 0), surface


def _raw_len(text: str, begin: int, surface: str) -> int:
    """Length in text of surface starting at begin, whitespace runs counting as in the text."""
    i, j = begin, 0
    while j < len(surface) and i < len(text):
        if surface[j] == " ":
            while i < len(text) and text[i].isspace():
                i += 1
            j += 1
            continue
        i, j = i + 1, j + 1
    return i - begin


def _person_cue(analysis: Analysis, ent: Entity) -> bool:
    """ "Mr. Trump", "President Trump" or a title the model folded into the span."""
    first = analysis.tokens[ent.tok_start].text.lower().rstrip(".")
    if first in _PERSON_CUES and ent.tok_end - ent.tok_start > 1:
        return True
    before = ent.tok_start - 1
    return before >= 0 and analysis.tokens[before].text.lower().rstrip(".") in _PERSON_CUES


def _role_word(analysis: Analysis, ent: Entity, tok_end: int, surface: str) -> bool:
    """ "Defence" in "Defence Minister", or alone: a one-word ORG that names a portfolio or
    only qualifies a title is no organisation ("the Defence Ministry" is one, as a whole)."""
    if ent.label != "ORG" or " " in surface:
        return False
    after = analysis.tokens[tok_end].text.lower() if tok_end < len(analysis.tokens) else ""
    return after in _ROLE_NOUNS or (
        surface.lower() in _PORTFOLIOS and after not in ("ministry", "department")
    )


def _aliases(analysis: Analysis, raw: list[_Raw]) -> dict[str, str]:
    """ "Lindsay Lohan (LiLo)", "Lindsay Lohan, known as LiLo": the short form -> the name."""
    found: dict[str, str] = {}
    text = analysis.text
    for a, b in itertools.pairwise(raw):
        if a.label not in ("PERSON", "ORG") or len(b.text) >= len(a.text):
            continue
        if b.label not in ("ORG", "PERSON") or places.lookup(b.text) is not None:
            continue  # "Derek Ryan (Ireland)" gives a country, not a nickname
        gap = text[a.end : b.start]
        closed = text[b.end : b.end + 1] in (")", "]", "”", '"', "’") or "known" in gap
        if closed and _ALIAS_GAP.fullmatch(gap) and b.text not in a.text.split():
            found.setdefault(b.text, a.text)
    return found


def _canonical_names(raw: list[_Raw], aliases: dict[str, str]) -> dict[str, str]:
    """Surface -> canonical: short names join the longer name they end or start, an acronym
    joins its expansion, a nickname its name, and case variants ("LOHAN") their usual spelling."""
    counts = Counter(r.text for r in raw)
    spelling = _spellings(counts)
    person_votes: Counter[str] = Counter()
    for r in raw:
        person_votes[r.text] += 1 if r.label == "PERSON" or r.cue else -1
    # A full name is a person's when its own mentions say so, or when its surname alone is
    # called a person ("Donald Trump" tagged ORG beside "Mr. Trump").
    surnames = {t.lower() for t in counts if " " not in t and person_votes[t] > 0}
    persons = {
        t
        for t in counts
        if len(t.split()) > 1
        and not t.isupper()
        and (
            person_votes[t] > 0
            or (t.split()[-1].lower() in surnames and places.lookup(t) is None)
            or (person_votes[t] == 0 and _first_and_last(t))
        )
    }
    by_key: dict[str, list[str]] = defaultdict(list)
    for full in sorted(persons):  # a set: iterate in a fixed order so ties break the same way
        words = full.lower().split()
        if len(words) > 2 and words[-1].rstrip(".") in _SUFFIXES:
            words = words[:-1]  # "Comeaux" is the surname of "Arcade Joseph Comeaux Jr."
        for k in range(1, len(words)):
            by_key[" ".join(words[k:])].append(full)  # "von der leyen", "leyen"
        by_key[words[0]].append(full)
    longer_orgs = [r.text for r in raw if r.label in ("ORG", "PLACE") and len(r.text.split()) > 1]
    canon: dict[str, str] = {}
    for text in counts:
        key = text.lower()
        fulls = sorted({spelling[f.lower()] for f in by_key.get(key, [])} - {spelling[key]})
        if fulls and (text not in persons or len(fulls) == 1):  # "Sanchez Vicario" too
            canon[text] = max(fulls, key=lambda f: (counts[f], len(f), f))
            continue
        if text in aliases:
            canon[text] = spelling[aliases[text].lower()]
            continue
        if text.isupper() and 2 <= len(text) <= 5:
            for full in longer_orgs:
                initials = "".join(w[0] for w in full.split() if w[0].isupper())
                if initials == text and text not in full.split():
                    canon[text] = spelling[full.lower()]
                    break
        canon.setdefault(text, spelling[key])
    # A name that joined a longer one which itself joined another follows it ("LiLo" -> "Lohan"
    # -> "Lindsay Lohan"); two steps at most.
    return {t: canon.get(canon.get(c, c), canon.get(c, c)) for t, c in canon.items()}


def _spellings(counts: Counter[str]) -> dict[str, str]:
    """Lower-cased surface -> its usual spelling, preferring mixed case to capitals."""
    best: dict[str, str] = {}
    for text, n in sorted(counts.items()):
        key = text.lower()
        old = best.get(key)
        if old is None or (not text.isupper(), n) > (not old.isupper(), counts[old]):
            best[key] = text
    return best


def _types(raw: list[_Raw], canon: dict[str, str]) -> dict[str, str]:
    """Canonical name -> one type from all its mentions, their titles and the gazetteer."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for r in raw:
        name = canon[r.text]
        if r.label in ("PLACE", "ORG") and r.text != name and _surname_of(r.text, name):
            continue  # "DuVernay" a place or a firm beside "Ava DuVernay": the name decides
        votes[name][r.label] += 2 if r.text == name else 1
        if r.cue:
            votes[name]["PERSON"] += 3
    types = {}
    for name, v in votes.items():
        best = v.most_common(1)[0][0]
        if best == "ORG" and v["PERSON"] >= v["ORG"] and _first_and_last(name):
            best = "PERSON"  # a tie on "Ava DuVernay": the first name breaks it
        place = places.lookup(name) if best in ("ORG", "PERSON", "PLACE") else None
        if best in ("PLACE", "ORG", "PERSON") and places.is_club(name):
            best = "ORG"  # "Manchester United", "Real Madrid": a team, not a place
        elif (
            place is not None
            and best == "ORG"
            and (place.kind in ORG_TO_PLACE or (" " in name and ORG_CITY_TO_PLACE))
        ):
            best = "PLACE"
        elif best == "PERSON" and " " not in name:
            # News introduces people by full name: a lone capitalised word the model calls a
            # person, never seen with a first name, is more often a place or an organisation.
            others = [t for t, _ in v.most_common() if t != "PERSON"]
            cued = _cued(raw, canon, name)
            if place is not None and (place.strong or v["PLACE"]) and not cued:
                best = "PLACE"  # "Kiev", "Kherson": a large city, or a town the model also
                # calls a place once, is rarely a person's name
            elif v["PERSON"] > 2 * sum(v[t] for t in others) and (
                cued or (not LONE_PERSON_UNSURE and _count(raw, canon, name) >= LONE_PERSON_MIN)
            ):
                pass  # a surname said again and again, or after "Mr.", is a person's
            else:
                best = others[0] if others else UNSURE
        types[name] = best
    return types


def _count(raw: list[_Raw], canon: dict[str, str], name: str) -> int:
    return sum(canon[r.text] == name for r in raw)


def _cued(raw: list[_Raw], canon: dict[str, str], name: str) -> bool:
    return any(r.cue for r in raw if canon[r.text] == name)


def _first_and_last(name: str) -> bool:
    """A census first name and a capitalised surname ("Ava DuVernay"), no gazetteer place: the
    shape of a person's name when the model's votes on it are split."""
    words = name.split()
    return (
        len(words) == 2
        and words[1][:1].isupper()
        and first_name_gender(name) is not None
        and places.lookup(name) is None
    )


def _surname_of(text: str, name: str) -> bool:
    """Whether one word that is no strong gazetteer place (a town called "Duvernay" is weaker
    evidence than the first name before it) is the last word of a person-shaped name."""
    place = places.lookup(text)
    return (
        " " not in text
        and name.split()[-1] == text
        and _first_and_last(name)
        and (place is None or not place.strong)
    )


def _given_name_rest(span: str, rest: str) -> bool:
    """Whether "-rest" after a person's span ends a hyphenated given name ("Park Geun" + "hye",
    "Kim Jong" + "un"): the span's last word and the rest are short syllables, and the rest is no
    word that makes an adjective of a name ("Gore-era")."""
    words = span.split()
    return len(words) >= 2 and len(words[-1]) <= 4 and rest.lower() not in _NAME_ADJECTIVES
