"""Who a quote's speaker is: cue verbs, gender evidence, and pronouns resolved to named people."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from newsdesk.enrich.analysis import Analysis
from newsdesk.enrich.entities import Mention
from newsdesk.enrich.first_names import first_name_gender

# Verbs and phrases that introduce speech: the cues PolNeAR's annotators tied to direct quotes in
# its train split (two uses or more), verbs of saying only; any verb the parse shows governing a
# quote also attributes it, so the list need not be complete.
CUE_VERBS = frozenset({
    "said", "says", "say", "saying", "told", "tells", "tell", "telling", "wrote", "writes",
    "writing", "written", "added", "adds", "adding", "tweeted", "tweets", "tweeting", "posted",
    "continued", "continues", "asked", "asks", "asking", "responded", "responds", "replied",
    "replies", "stated", "states", "stating", "explained", "explains", "explaining", "declared",
    "declares", "declaring", "argued", "argues", "arguing", "concluded", "concludes", "reported",
    "reports", "reporting", "noted", "notes", "noting", "warned", "warns", "warning", "read",
    "reads", "chanted", "chants", "chanting", "pledged", "pledging", "insisted", "insists",
    "insisting", "admitted", "suggested", "remarked", "remarking", "quoted", "shouted", "yelled",
    "yelling", "assured", "assures", "vowed", "recalled", "recalls", "joked", "jokes",
    "interjected", "answered", "exclaimed", "lamented", "quipped", "mused", "asserted", "conceded",
    "wondered", "testified", "elaborated", "emphasized", "emphasised", "stressed", "proclaimed",
    "promised", "promises", "acknowledged", "urged", "claimed", "claims", "predicted", "repeated",
    "announced", "announces", "confirmed", "commented", "observed", "countered", "retorted",
    "whispered", "screamed", "cried",
})  # fmt: skip
# Verbs that put words in someone's mouth as a name for something: 'called him “a loser”'.
NAMING_VERBS = frozenset({
    "call", "calls", "called", "calling", "describe", "describes", "described", "describing",
    "dubbed", "dubbing", "labeled", "labelled", "labeling", "termed",
})  # fmt: skip
ACCORDING = "according"
_HONORIFIC = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "sir": "m", "madam": "f"}
_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m"} | {
    "she": "f",
    "her": "f",
    "hers": "f",
    "herself": "f",
}
PERSONAL = frozenset({"he", "she", "him", "her"})
PLURAL = frozenset({"they", "we", "them", "us"})


def gender_of_pronoun(word: str) -> str | None:
    """'m' or 'f' for a third-person singular pronoun, else None."""
    return _PRONOUN_GENDER.get(word.lower())


def genders_in(analysis: Analysis, found: list[Mention]) -> dict[str, str]:
    """Gender by name word (each word of a canonical PERSON name): honorifics, then pronouns.

    An honorific before a mention ("Mrs. Clinton") settles it; otherwise the pronouns in the
    sentences where that person is the only one named vote, and a clear majority decides.
    """
    toks = analysis.tokens
    by_sent: dict[int, set[str]] = defaultdict(set)
    settled: dict[str, str] = {}
    for m in found:
        if m.type != "PERSON":
            continue
        ent = analysis.entities[m.entity]
        by_sent[ent.sent].add(m.canonical)
        before = toks[ent.tok_start - 1].text if ent.tok_start > 0 else ""
        first = toks[ent.tok_start].text
        for word in (before, first):
            g = _HONORIFIC.get(word.lower().rstrip("."))
            if g:
                settled.setdefault(m.canonical, g)
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for sent, names in by_sent.items():
        if len(names) != 1 or sent < 0:
            continue
        (name,) = names
        s = analysis.sentences[sent]
        for t in toks[s.tok_start : s.tok_end]:
            g = _PRONOUN_GENDER.get(t.text.lower())
            if g:
                votes[name][g] += 1
    out: dict[str, str] = {}
    for name, count in votes.items():
        (g, n), *rest = [*count.most_common(), ("", 0)]
        if n >= 1 and n >= 2 * rest[0][1]:
            out[name] = g
    for name in {m.canonical for m in found if m.type == "PERSON"}:
        g = first_name_gender(name)
        if g:
            out[name] = g  # a census first name outweighs pronouns near the name
    out.update(settled)
    by_word: dict[str, set[str]] = defaultdict(set)
    for name, g in out.items():
        for word in name.split():
            by_word[word].add(g)
    # A word two people of different genders share ("Clinton") says nothing on its own.
    return {word: next(iter(gs)) for word, gs in by_word.items() if len(gs) == 1} | out


def resolve_pronoun(
    pronoun: str,
    before: int,
    persons: list[tuple[int, str]],
    genders: dict[str, str],
    skip: Sequence[tuple[int, int]] = (),
) -> str | None:
    """The most recent named person before `before` whose gender does not disagree, or None.

    A plural pronoun ("they") never names one person. Names inside quotes are skipped: the
    people a speaker talks about are rarely the speaker.
    """
    want = gender_of_pronoun(pronoun)
    if want is None:
        return None
    for start, name in reversed(persons):
        if start >= before or any(a <= start < b for a, b in skip):
            continue
        if genders.get(name, want) == want:
            return name
    return None
