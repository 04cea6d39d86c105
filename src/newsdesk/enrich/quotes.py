"""Direct quotes and who said them: the parse's cue verb and its subject, pronouns, continuations.

A quote is a span in quotation marks that reads as speech (quote_finder decides: not a title, a
nickname or a scare quote woven into the writer's own sentence). Its speaker
is the subject of the verb that governs it or stands beside it ("said Mr. X", "X, the ...,
said"), a pronoun resolved to the last named person of its gender, "according to X", the
speaker named before a colon, or, for a quote standing alone, the previous quote's speaker.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass

from newsdesk.enrich.analysis import Analysis, Token
from newsdesk.enrich.entities import UNSURE, Mention
from newsdesk.enrich.quote_finder import find, quoted
from newsdesk.enrich.speakers import (
    ACCORDING,
    CUE_VERBS,
    PERSONAL,
    PLURAL,
    gender_of_pronoun,
    genders_in,
    resolve_pronoun,
)
from newsdesk.models import Cite, Quote

_CLOSING = ("”", '"', "'", "’")
_SPEAKERS = ("PERSON", "ORG")
_SUBJECT = ("nsubj", "nsubjpass")
_SHARED_SUBJECT = ("advcl", "xcomp", "conj")  # participles and coordinated verbs share a subject
_NAME_DEPS = ("compound", "appos", "poss", "nmod")
_DEFINITE = {"the", "this", "that", "his", "her", "their"}
_CONTINUE_SENTS = 3
LAYOUT_RULES = ("_inverted_after", "_name_colon", "_signature_after", "_bare_said_before")
_SIGNATURE = re.compile(r"[^\S\n]*(?:\n[^\S\n]*\n?)?[^\S\n]*[-–—―][^\S\n]*([^\n]{2,60})(?:\n|\Z)")
_SIGNED = re.compile(r"(?:[A-Z][\w’'.-]*\s+){0,4}[A-Z][\w’'-]+")  # a signature: capitalised words
MAIN_BONUS = 5  # a main-clause subject this many sentences further back still wins
_TITLES = {
    "speaker", "rep", "sen", "gov", "capt", "lt", "gen", "col", "sgt", "adm", "maj", "cmdr",
    "president", "senator", "governor", "mayor", "secretary", "chairman", "chairwoman", "judge",
}  # fmt: skip
_HONORIFICS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "sen",
    "rep",
    "gov",
    "president",
    "senator",
}  # a quote alone in its sentence continues a quote this close before it


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """A quote found in the text, with its character span and speaker."""

    text: str
    start: int
    end: int
    sents: tuple[int, ...]
    speaker: str | None


def quotes(analysis: Analysis, found: list[Mention]) -> tuple[Quote, ...]:
    """Each direct quote, with its speaker's canonical name or None."""
    return tuple(
        Quote(q.text, q.speaker, tuple(Cite(s) for s in q.sents))
        for q in quote_spans(analysis, found)
    )


def quote_spans(analysis: Analysis, found: list[Mention]) -> list[QuoteSpan]:
    """The quotes of quotes() with their character spans."""
    if not analysis.tokens:
        return []
    ctx = _Context(analysis, found)
    out: list[QuoteSpan] = []
    last: tuple[int, str | None] = (-10, None)  # sentence and speaker of the previous quote
    unclosed = -1  # where the previous quote ran to its paragraph's end without a closing mark
    for start, end, text in find(analysis):
        sents = _sentences(analysis, start, end)
        speaker = ctx.attributed(start, end, sents)
        if speaker is None and (
            (ctx.alone(start, end, sents) and sents[0] - last[0] <= _CONTINUE_SENTS)
            or (unclosed >= 0 and not analysis.text[unclosed:start].strip())  # next paragraph
        ):
            speaker = last[1]
        out.append(QuoteSpan(text, start, end, sents, speaker))
        if speaker:
            ctx.spoke(end, speaker)
        last = (sents[-1], speaker)
        unclosed = end if analysis.text[end - 1 : end] not in _CLOSING else -1
    return out


def _sentences(analysis: Analysis, start: int, end: int) -> tuple[int, ...]:
    sents = tuple(i for i, s in enumerate(analysis.sentences) if s.start < end and s.end > start)
    if sents:
        return sents
    before = [i for i, s in enumerate(analysis.sentences) if s.start <= start]
    return (before[-1] if before else 0,)


@dataclass(frozen=True, slots=True)
class _Event:
    """A mention a later pronoun may stand for (name None: a "he"/"she" subject to resolve)."""

    at: int
    sent: int
    role: int  # 3 a quote's speaker, 2 main-clause subject, 1 other subject, 0 other mention
    name: str | None
    surface: str


class _Context:
    """What attribution needs from one article: names by entity, people in order, genders."""

    def __init__(self, analysis: Analysis, found: list[Mention]) -> None:
        self.analysis = analysis
        self.toks: tuple[Token, ...] = analysis.tokens
        self.by_entity = {m.entity: m for m in found if m.type in _SPEAKERS}
        self.unsure = {
            m.entity
            for m in found
            if m.type not in _SPEAKERS and analysis.entities[m.entity].label in ("PERSON", "ORG")
        } | {m.entity for m in found if m.type == UNSURE}
        self.persons = sorted(
            (analysis.entities[m.entity].start, m.canonical)
            for m in found
            if m.type == "PERSON"
            or (m.type == UNSURE and analysis.entities[m.entity].label == "PERSON")
        )
        self.genders = genders_in(analysis, found)
        self.person_names = {name for _, name in self.persons}
        self.quoted = quoted(analysis.text)
        self._starts = [a for a, _ in self.quoted]
        self._tok_starts = [t.idx for t in self.toks]
        self.last_names: dict[str, set[str]] = defaultdict(set)
        for _, name in self.persons:
            self.last_names[name.split()[-1]].add(name)
        # Who a later "he" or "she" may stand for, in text order: named people (subject of a
        # clause or not), "he"/"she" subjects outside quotes (each resolved once, when needed,
        # then standing for its person: "Murphy ... He thinks ... “...,” he said"), and the
        # speakers of earlier quotes (added by spoke()).
        self.events: list[_Event] = []
        for m in found:
            ent = analysis.entities[m.entity]
            if (m.type == "PERSON" or (m.type == UNSURE and ent.label == "PERSON")) and not (
                0 <= ent.tok_start < len(self.toks) and self.inside(self.toks[ent.tok_start])
            ):  # the people a speaker talks about are rarely the speaker
                role = self._role(range(ent.tok_start, ent.tok_end))
                self.events.append(_Event(ent.start, ent.sent, role, m.canonical, m.text))
        for i, t in enumerate(self.toks):
            if (
                t.dep in _SUBJECT
                and t.ent < 0
                and t.tag == "NNP"
                and t.text[:1].isupper()
                and t.text.isalpha()
                and t.sent >= 0
                and (
                    self.analysis.sentences[t.sent].tok_start != i
                    or t.text in self.last_names  # "Fallon fired back:", Brian Fallon named before
                )
                and not self.inside(t)
            ):
                # A surname subject the recogniser missed ("Podesta reiterated ...").
                name = self._proper_name(i)
                self.events.append(_Event(t.idx, t.sent, self._role(range(i, i + 1)), name, t.text))
            if t.text.lower() in ("he", "she") and t.dep in _SUBJECT and not self.inside(t):
                self.events.append(
                    _Event(t.idx, t.sent, self._role(range(i, i + 1)), None, t.text.lower())
                )
        self.events.sort(key=lambda e: e.at)
        self._chain: dict[int, str | None] = {}

    def _role(self, span: range) -> int:
        """2: subject of the sentence's main verb; 1: subject of another clause; 0: neither."""
        toks = self.toks
        for i in span:
            if toks[i].head in span or toks[i].dep not in _SUBJECT:
                continue
            verb = toks[i].head
            while toks[verb].dep == "conj" and toks[verb].head != verb:
                verb = toks[verb].head
            return 2 if toks[verb].dep == "ROOT" else 1
        return 0

    def _resolve(self, word: str, before: int) -> str | None:
        """The person a "he"/"she" before `before` stands for: sentence by sentence backwards,
        the main-clause subject (or an earlier quote's speaker) first, then another clause's
        subject, then, if no sentence has one, the most recent person named; gender must not
        disagree. Names inside quotes are skipped."""
        want = gender_of_pronoun(word)
        best: dict[int, tuple[int, int, str]] = {}  # sentence -> (role, at, name)
        for e in self.events:
            if e.at >= before:
                break
            if e.name is None:
                if want is not None and gender_of_pronoun(e.surface) != want:
                    continue
                name = self._chained(e.at, e.surface)
            else:
                name = self._agreeing(e.name, e.surface, want)
            if name is None or (want is not None and self.genders.get(name, want) != want):
                continue
            key = (e.role, e.at, name)
            if e.sent not in best or key >= best[e.sent]:
                best[e.sent] = key
        subjects = [(s, key) for s, key in best.items() if key[0] >= 1]
        if subjects:
            last = max(s for s, _ in subjects)
            pick = max(
                subjects, key=lambda sk: (MAIN_BONUS * (sk[1][0] >= 2) - (last - sk[0]), sk[0])
            )
            return pick[1][2]
        return resolve_pronoun(word, before, self.persons, self.genders, self.quoted)

    def _agreeing(self, name: str, surface: str, want: str | None) -> str:
        """A bare surname the recogniser tied to the wrong person ("Murphy" -> "Anne Marie
        Murphy" where Chris Murphy is meant): the person of that surname who agrees."""
        if want is None or self.genders.get(name, want) == want or " " in surface.strip():
            return name
        others = [
            n for n in self.last_names.get(surface.strip(), ()) if self.genders.get(n, want) == want
        ]
        return others[0] if len(others) == 1 else name

    def _chained(self, at: int, word: str) -> str | None:
        if at not in self._chain:
            self._chain[at] = None  # no cycles: a pronoun never stands for itself
            self._chain[at] = self._resolve(word, at)
        return self._chain[at]

    def spoke(self, at: int, speaker: str) -> None:
        """A quote's speaker is the likeliest "he" or "she" of the quotes after it."""
        sent = self.toks[bisect_right(self._tok_starts, at) - 1].sent if self.toks else -1
        self.events.append(_Event(at, sent, 3, speaker, speaker))
        self.events.sort(key=lambda e: e.at)

    def inside(self, tok: Token) -> bool:
        at = bisect_right(self._starts, tok.idx) - 1
        return at >= 0 and tok.idx < self.quoted[at][1]

    def outside(self, start: int, end: int, sents: tuple[int, ...]) -> list[int]:
        s0, s1 = self.analysis.sentences[sents[0]], self.analysis.sentences[sents[-1]]
        return [
            i
            for i in range(s0.tok_start, s1.tok_end)
            if not self.inside(self.toks[i])  # the quote itself, or another one
        ]

    def alone(self, start: int, end: int, sents: tuple[int, ...]) -> bool:
        """Whether the quote's sentences hold nothing but quotes."""
        return sum(self.toks[i].pos != "PUNCT" for i in self.outside(start, end, sents)) <= 1

    def attributed(self, start: int, end: int, sents: tuple[int, ...]) -> str | None:
        toks = self.toks
        outside = self.outside(start, end, sents)
        within = [
            i
            for i in range(
                self.analysis.sentences[sents[0]].tok_start,
                self.analysis.sentences[sents[-1]].tok_end,
            )
            if start <= toks[i].idx < end and self.inside(toks[i])
        ]
        for v in self._cues(outside, within):
            if toks[v].text.lower() == ACCORDING:
                name = self._according(v, outside)
            else:
                name = self._subject(v, outside, start)
            if name is not None:
                if name or toks[v].text.lower() in CUE_VERBS:
                    return name or None  # "they said", "a source told": nobody named
                break  # another verb's subject names nobody: the layout may still name one
        name = self._beside_cue(outside)
        if name is None:
            name = self._colon_before(sents[0], start)
        if name is None:
            name = self._split_after(sents[-1], end)
        for rule in LAYOUT_RULES:
            if name is None:
                name = getattr(self, rule)(start, end, sents)
        return name

    def _tok_at(self, at: int) -> int:
        """Index of the first token starting at or after character `at`."""
        return bisect_right(self._tok_starts, at - 1)

    def _named(self, i: int) -> tuple[str, int] | None:
        """(canonical name, token after it) for a named person or organisation at token i."""
        toks = self.toks
        if i >= len(toks):
            return None
        if toks[i].ent in self.by_entity:
            ent = self.analysis.entities[toks[i].ent]
            return self.by_entity[toks[i].ent].canonical, ent.tok_end
        if self._bare_name(i) and toks[i].tag in ("NNP", "NNPS"):
            j = i
            while j + 1 < len(toks) and toks[j + 1].tag == "NNP" and toks[j + 1].text[:1].isupper():
                j += 1
            return self._proper_name(j), j + 1
        return None

    def _inverted_after(self, start: int, end: int, sents: tuple[int, ...]) -> str | None:
        """“...,” Trump barked / “...,” said former Gov. Ed Rendell, ...: the attribution right
        after a quote that ends on a comma, question or exclamation mark."""
        text, toks = self.analysis.text, self.toks
        if text[max(0, end - 3) : end].rstrip("”\"'’ ")[-1:] not in (",", "?", "!"):
            return None
        i = self._tok_at(end)
        while i < len(toks) and toks[i].pos == "PUNCT" and toks[i].idx - end < 3:
            i += 1
        if i >= len(toks) or toks[i].idx - end > 3:
            return None
        named = self._named(i)
        if named is not None:
            j = named[1]
            while j < len(toks) and toks[j].pos in ("PUNCT", "ADV", "NUM"):
                j += 1  # "Ramos, 58, told": the name's own commas and age
            if j < len(toks) and toks[j].pos == "VERB" and toks[j].tag in ("VBD", "VBZ"):
                return named[0]
            return None
        if toks[i].text.lower() not in CUE_VERBS and not (
            toks[i].pos == "VERB" and toks[i].tag in ("VBD", "VBZ")
        ):
            return None  # “...,” mused Blaze co-host Stu Burguiere
        person = org = proper = None
        for k in range(i + 1, min(len(toks), i + 16)):
            if toks[k].text in (",", ".", ";", "“", '"'):
                break
            if toks[k].ent in self.by_entity:
                m = self.by_entity[toks[k].ent]
                if m.type == "PERSON":
                    person = m.canonical
                elif org is None:
                    org = m.canonical
            elif proper is None and toks[k].tag == "NNP" and self._bare_name(k):
                proper = self._named(k)
        return person or org or (proper[0] if proper else None)

    def _name_colon(self, start: int, end: int, sents: tuple[int, ...]) -> str | None:
        """Digests and transcripts: "Pollsters agree - Carl Bialik: “...”"."""
        before = self.analysis.text[max(0, start - 60) : start].rstrip()
        if not before.endswith(":"):
            return None
        colon = self._tok_at(start) - 1
        while colon > 0 and self.toks[colon].text != ":" and start - self.toks[colon].idx < 8:
            colon -= 1
        if colon <= 0 or self.toks[colon].text != ":":
            return None
        named = self._named(colon - 1)
        return named[0] if named else None

    def _signature_after(self, start: int, end: int, sents: tuple[int, ...]) -> str | None:
        """A quote signed on its own line or after it: “...”\n\n- Bernie Sanders., “...” ― Name."""
        m = _SIGNATURE.match(self.analysis.text, end)
        if not m or len(m.group(1).split()) > 6:
            return None
        i = self._tok_at(m.start(1))
        named = self._named(i)
        if named:
            return named[0]
        # A name the recogniser did not type: the signature's capitalised words, if that is all
        # the line says ("― Christina N Luis Olidem").
        signed = _SIGNED.fullmatch(m.group(1).strip().rstrip("."))
        return signed.group(0) if signed else None

    def _bare_said_before(self, start: int, end: int, sents: tuple[int, ...]) -> str | None:
        """“Sam Lau ... said in a statement. “...”": a sentence whose verb of saying has no
        content of its own, right before a quote that opens its sentence."""
        sentences = self.analysis.sentences
        first = sents[0]
        if first == 0 or start - sentences[first].start > 2:
            return None
        s = sentences[first - 1]
        span = range(s.tok_start, s.tok_end)
        if any(self.inside(self.toks[i]) for i in span) or start - s.end > 3:
            return None
        toks = self.toks
        for v in (i for i in span if toks[i].dep == "ROOT" and toks[i].text.lower() in CUE_VERBS):
            if any(toks[c].head == v and toks[c].dep in ("ccomp", "dobj", "xcomp") for c in span):
                return None
            return self._subject(v, list(span), s.start) or None
        return None

    def _split_after(self, sent: int, end: int) -> str | None:
        """“...?” Clinton remarked: the parser ended the sentence inside the quote."""
        sentences = self.analysis.sentences
        if sent + 1 >= len(sentences) or sentences[sent].end > end + 2:
            return None
        nxt = sentences[sent + 1]
        if nxt.start - end > 3 or self.analysis.text[nxt.start] in "“\"'‘":
            return None
        head = [i for i in range(nxt.tok_start, min(nxt.tok_end, nxt.tok_start + 8))]
        for v in (i for i in head if self.toks[i].text.lower() in CUE_VERBS):
            name = self._subject(v, head, nxt.start)
            if name:
                return name
        return None

    def _cues(self, outside: list[int], within: list[int]) -> list[int]:
        """Candidate cue verbs: governing the quote or governed by it, listed cues first."""
        toks = self.toks
        inner = set(within)
        linked = {toks[i].head for i in within if toks[i].head not in inner}
        linked |= {i for i in outside if toks[i].head in inner}
        listed = [i for i in outside if toks[i].text.lower() in CUE_VERBS]
        parsed = [i for i in sorted(linked) if toks[i].pos in ("VERB", "AUX") and i not in listed]
        according = [i for i in outside if toks[i].text.lower() == ACCORDING]
        return sorted(listed, key=lambda i: (i not in linked, i)) + parsed + according

    def _subject(
        self, verb: int, outside: list[int], quote_start: int, depth: int = 0
    ) -> str | None:
        """The verb's named subject; "" when the subject is there but names nobody."""
        toks = self.toks
        subjects = [i for i in outside if toks[i].head == verb and toks[i].dep in _SUBJECT]
        named = [n for n in (self._name_at(a, outside) for a in subjects) if n]
        if named:
            # "said Army Capt. Christian Pardo", parsed with two subjects: the person.
            return next((n for n in named if n in self.person_names), named[0])
        for a in subjects:
            word = toks[a].text.lower()
            if word in ("who", "that") and toks[verb].dep == "relcl":
                # "Lynch, who told Congress: “...”": the person the clause is about.
                return self._name_at(toks[verb].head, outside) or ""
            if word in PERSONAL:
                return self._resolve(word, quote_start) or ""
            if word in PLURAL:
                return ""
            if toks[a].pos == "NOUN" and self._definite(a):
                return self._nominal(quote_start)
            return ""
        head = toks[verb].head
        if toks[verb].dep in _SHARED_SUBJECT and head != verb and head in outside and depth < 3:
            # "..., calling him “a loser”", "... and added, “...”": the subject of the verb
            # this one hangs on.
            return self._subject(head, outside, quote_start, depth + 1)
        return None

    def _nominal(self, before: int) -> str:
        """ "The senator said": the most recent subject person, of either gender."""
        return self._resolve("", before) or ""

    def _definite(self, noun: int) -> bool:
        return any(
            t.head == noun and t.dep in ("det", "poss") and t.text.lower() in _DEFINITE
            for t in self.toks[max(0, noun - 4) : noun]
        )

    def _name_at(self, tok: int, outside: list[int]) -> str | None:
        """The named speaker at tok or in its own phrase ("spokesman Heorhii Tykhyi", "X's aide,
        Y"): a name in apposition or compound first, a person before an organisation, a possessor
        last; a name only linked by a preposition ("an aide to X") is not the speaker."""
        toks = self.toks
        if toks[tok].text.lower().rstrip(".") in _TITLES:
            # "Speaker of the House Rep. Paul Ryan said": the person the title belongs to.
            near = [
                i
                for i in outside
                if abs(i - tok) <= 8
                and toks[i].ent in self.by_entity
                and self.by_entity[toks[i].ent].type == "PERSON"
                and (
                    toks[i].head == tok
                    or toks[toks[i].head].head == tok
                    or toks[toks[toks[i].head].head].head == tok
                )
            ]
            if near:
                return self.by_entity[toks[min(near, key=lambda i: abs(i - tok))].ent].canonical
        if toks[tok].ent in self.by_entity:
            return self.by_entity[toks[tok].ent].canonical
        if self._looks_proper(tok):
            return self._proper_name(tok)
        if toks[tok].ent in self.unsure:  # a bare surname the recogniser could not type
            return self._proper_name(tok)
        phrase = [i for i in outside if toks[i].head == tok and toks[i].dep in _NAME_DEPS]
        phrase += [i for i in outside if toks[i].head in phrase and toks[i].dep in _NAME_DEPS]
        # Not a party-and-state tag: "Rep. Paul Ryan (R-WI)".
        phrase = [i for i in phrase if not (i > 0 and toks[i - 1].text in ("(", "-"))]
        named = [i for i in phrase if toks[i].ent in self.by_entity]
        if not named:
            proper = [i for i in phrase if toks[i].dep == "appos" and self._looks_proper(i)]
            return self._proper_name(proper[0]) if proper else None
        best = min(
            named,
            key=lambda i: (
                toks[i].dep == "poss",
                self.by_entity[toks[i].ent].type != "PERSON",
                abs(i - tok),
            ),
        )
        return self.by_entity[toks[best].ent].canonical

    def _looks_proper(self, tok: int) -> bool:
        """A name the recogniser missed: a proper noun, or a capitalised noun mid-sentence."""
        t = self.toks[tok]
        if t.ent >= 0 or not t.text[:1].isupper() or not t.text.isalpha():
            return False
        starts = t.sent >= 0 and self.analysis.sentences[t.sent].tok_start == tok
        return t.tag in ("NNP", "NNPS") or (t.tag == "NN" and not starts)

    def _proper_name(self, tok: int) -> str:
        """A proper-noun subject the recogniser missed: a known full name, or as written."""
        word = self.toks[tok].text
        for _, name in self.persons:
            if name.split()[-1] == word:
                return name
        first = tok
        while (
            first > 0
            and self.toks[first - 1].dep == "compound"
            and self.toks[first - 1].tag == "NNP"
        ):
            first -= 1
        return " ".join(t.text for t in self.toks[first : tok + 1]).lstrip("-–—―")

    def _according(self, v: int, outside: list[int]) -> str | None:
        after = [i for i in outside if i > v and self.toks[i].ent in self.by_entity][:1]
        for i in after:
            if i - v <= 6:
                return self.by_entity[self.toks[i].ent].canonical
        return None

    def _beside_cue(self, outside: list[int]) -> str | None:
        """No parse link: a cue verb beside a named person or organisation still attributes."""
        toks = self.toks
        for i in outside:
            if toks[i].ent in self.by_entity and any(
                toks[j].text.lower() in CUE_VERBS for j in outside if abs(j - i) <= 3
            ):
                return self.by_entity[toks[i].ent].canonical
        kept = set(outside)
        for v in (i for i in outside if toks[i].text.lower() in CUE_VERBS):
            after = v + 1
            while after in kept and toks[after].text.lower().rstrip(".") in _HONORIFICS:
                after += 1
            for j in (after, v - 1):  # "said Skelly", "Skelly said": a name the parse missed
                if j in kept and self._bare_name(j):
                    return self._proper_name(j)
        return None

    def _bare_name(self, tok: int) -> bool:
        t = self.toks[tok]
        if not t.text[:1].isupper() or not t.text.isalpha() or t.text.isupper():
            return False
        if t.ent >= 0:
            return self.analysis.entities[t.ent].label in ("PERSON", "ORG")
        starts = t.sent >= 0 and self.analysis.sentences[t.sent].tok_start == tok
        return t.tag in ("NNP", "NNPS") or not starts

    def _colon_before(self, sent: int, start: int) -> str | None:
        """A quote after "X said:" (ending the previous sentence) is X's."""
        if sent == 0 or not self.analysis.sentences[sent - 1].text.rstrip().endswith(":"):
            return None
        s = self.analysis.sentences[sent - 1]
        outside = [i for i in range(s.tok_start, s.tok_end) if not self.inside(self.toks[i])]
        for v in (i for i in outside if self.toks[i].text.lower() in CUE_VERBS):
            name = self._subject(v, outside, s.start)
            if name:
                return name
        name = self._beside_cue(outside)
        if name is None:
            # "Trump issued the following statement:" - the named subject of the main verb, if
            # a person ("Dubai experienced a tremor:" is no attribution).
            roots = [i for i in outside if self.toks[i].dep == "ROOT"]
            for v in roots:
                name = self._subject(v, outside, s.start) or None
                if name not in self.person_names:
                    name = None
        return name
