"""Scoring quotes and speakers on PolNeAR (brat attributions), read from the corpus at run time.

Gold direct quote: a Content span at least half of whose letters lie inside quotation marks.
Annotators: the first annotator (by id) of each article; several annotate a few articles and a
union would count one quote several times. Gold speaker: the Source span's last proper noun
("Clinton campaign manager Robby Mook" -> "Mook"); a pronoun or definite nominal Source ("he",
"the candidate") takes the name of the nearest preceding named Source of the same annotator
whose gender does not disagree, else the nearest preceding PERSON name that agrees; an
indefinite or plural one ("a source", "officials") has no name, and then the right answer is
no speaker. A predicted quote matches a gold one when their character spans overlap by at least
half of the shorter; its speaker is right when the gold name's last word is a word of the
predicted canonical name (or both are None).
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from newsdesk.enrich.analysis import MAX_CHARS, Analysis, Token, analyze_many
from newsdesk.enrich.entities import mentions
from newsdesk.enrich.quotes import QuoteSpan, quote_spans
from newsdesk.enrich.speakers import gender_of_pronoun, genders_in
from support.corpus import CORPUS

POLNEAR = CORPUS / "nlp" / "quotes"
_QUOTED = re.compile(r"“[^”\n]*”?|\"[^\"\n]*\"?")
_TURNED_OPEN = re.compile(r"(?:(?<=^)|(?<=\s))”(?=\w)", re.M)
_TURNED_CLOSE = re.compile(r"(?<=[\w.,?!])“(?=[\s.,;:!?]|$)", re.M)
_LETTER = re.compile(r"\w")
_PRONOUNS = {"he", "she", "him", "her", "they", "we", "i", "it", "his", "hers", "them"}
_INDEFINITE = {"a", "an", "some", "several", "many", "one", "two", "three", "other", "others"}


@dataclass(frozen=True, slots=True)
class GoldQuote:
    start: int
    end: int
    speaker: str | None  # the gold name's head word; None for an unnamed source
    source: str  # the Source span as written
    derived: str | None = None  # for a pronoun or description resolved by hand: the rule's name


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    analysis: Analysis
    gold: tuple[GoldQuote, ...]


@dataclass(frozen=True, slots=True)
class Scores:
    gold: int
    predicted: int
    matched: int  # predicted quotes that match a gold direct quote
    right: int  # gold quotes matched with the right speaker
    baseline_right: int  # gold quotes whose nearest PERSON name is the right speaker

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.right / self.gold if self.gold else 0.0

    @property
    def baseline_accuracy(self) -> float:
        return self.baseline_right / self.gold if self.gold else 0.0


def available() -> bool:
    return (POLNEAR / "polnear_dev" / "text").is_dir()


def names(split: str) -> list[str]:
    """Article names of a split ("train" or "dev"), sorted."""
    return sorted(p.stem for p in (POLNEAR / f"polnear_{split}" / "text").glob("*.txt"))


def load(split: str, wanted: list[str], cache: Path | None = None) -> list[Case]:
    """Cases for the named articles, parsed once (and kept in cache when given)."""
    if cache and cache.exists():
        cached: dict[str, Analysis] = pickle.loads(cache.read_bytes())
    else:
        cached = {}
    todo = [n for n in wanted if n not in cached]
    texts = {n: _text(split, n) for n in wanted}
    for n, a in zip(todo, analyze_many((texts[n], None, "en") for n in todo), strict=True):
        cached[n] = a
    if cache and todo:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(pickle.dumps(cached))
    return [Case(n, cached[n], tuple(gold_quotes(split, n, cached[n]))) for n in wanted]


def _text(split: str, name: str) -> str:
    return (POLNEAR / f"polnear_{split}" / "text" / f"{name}.txt").read_text(encoding="utf-8")


def quoted_mask(text: str) -> list[bool]:
    inside = [False] * len(text)
    # A curly mark typed the wrong way round ("”Fear. ...”", "... here,“ said") still opens or
    # closes by where it stands.
    text = _TURNED_CLOSE.sub("”", _TURNED_OPEN.sub("“", text))
    for m in _QUOTED.finditer(text):
        for i in range(m.start(), m.end()):
            inside[i] = True
    return inside


def _spans(line: str) -> tuple[str, list[tuple[int, int]]]:
    kind, _, offsets = line.partition(" ")
    spans = []
    for part in offsets.split(";"):
        a, b = part.split()[:2]
        spans.append((int(a), int(b)))
    return kind, spans


def _annotation(split: str, name: str) -> Path | None:
    found = sorted((POLNEAR / f"polnear_{split}" / "attributions").glob(f"{name}_*.ann"))
    return found[0] if found else None


def gold_quotes(split: str, name: str, analysis: Analysis) -> Iterator[GoldQuote]:
    """The first annotator's direct quotes with their resolved speakers."""
    path = _annotation(split, name)
    if path is None:
        return
    text = analysis.text
    inside = quoted_mask(text)
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    links: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if line.startswith("T") and len(cols) >= 2:
            spans[cols[0]] = _spans(cols[1])
        elif line.startswith("E") and len(cols) >= 2:
            links.append(
                {
                    k.rstrip("0123456789"): v
                    for k, _, v in (a.partition(":") for a in cols[1].split())
                }
            )
    sources = sorted(
        (spans[e["Source"]][1][0][0], e["Source"]) for e in links if e.get("Source") in spans
    )
    hand = hand_sources(split)
    genders = genders_in(analysis, mentions(analysis))
    for e in links:
        if e.get("Content") not in spans:
            continue
        content = spans[e["Content"]][1]
        start, end = min(a for a, _ in content), max(b for _, b in content)  # any order
        if end > len(text):
            continue  # beyond what the analysis sees
        letters = [i for a, b in content for i in range(a, b) if _LETTER.match(text[i])]
        if not letters or sum(inside[i] for i in letters) < len(letters) / 2:
            continue
        if e.get("Source") not in spans:
            yield GoldQuote(start, end, None, "")
            continue
        s_spans = spans[e["Source"]][1]
        source = " ".join(text[a:b] for a, b in s_spans)
        speaker = _resolve(analysis, s_spans[0][0], source, sources, spans, genders)
        by_hand = hand.get((name, start, end), speaker)
        yield GoldQuote(start, end, by_hand, source, speaker)


HAND = Path(__file__).with_name("polnear_dev_sources.tsv")


@cache
def hand_sources(split: str) -> dict[tuple[str, int, int], str | None]:
    """(article, content start, content end) -> speaker for the pronoun and description sources
    of a split resolved by hand (dev only): the rule below for them takes the annotator's last
    named source, often another person ("Ryan also did not exude confidence when Tapper asked
    ... “...,” he said" gives Tapper)."""
    if split != "dev" or not HAND.exists():
        return {}
    out: dict[tuple[str, int, int], str | None] = {}
    for line in HAND.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, start, end, _, speaker = line.split("\t")
        out[(name, int(start), int(end))] = None if speaker == "-" else speaker
    return out


def _proper_head(analysis: Analysis, start: int, end: int) -> str | None:
    """The name word heading the span: its syntactic head if a proper noun, else the last proper
    noun among the head's compounds, appositions and possessors ("the paper's board" -> None)."""
    toks = analysis.tokens
    inside = [i for i, t in enumerate(toks) if start <= t.idx < end]
    if not inside or _described(analysis, inside):
        return None
    heads = [i for i in inside if toks[i].head not in inside or toks[i].head == i]
    # A broken parse can give the span two heads ("Trump" as an object, "Manafort" as the
    # subject of "Trump senior adviser Paul Manafort conceded"): the subject is the source.
    head = next((i for i in heads if toks[i].dep in ("nsubj", "nsubjpass")), heads[0])
    person = _person_word(analysis, inside)
    if _proper(toks[head]) and not _title(toks[head].text):
        word = _word(analysis.text, toks[head].idx)
        if person is None or (
            toks[head].ent >= 0
            and analysis.entities[toks[head].ent].label == "PERSON"
            and not _attributive(analysis, toks[head].ent, inside)
        ):
            return word
        return person  # "Trump adviser Jason Miller" parsed with "Trump" as head: Miller
    if person is not None:
        return person
    near = [
        i
        for i in inside
        if toks[i].head == head
        and toks[i].dep in ("compound", "appos", "poss")
        and _proper(toks[i])
        and not _title(toks[i].text)
    ]
    if not near:
        return None
    last = max(near)
    while toks[last].dep == "compound" and last + 1 in inside and _proper(toks[last + 1]):
        last += 1
    return _word(analysis.text, toks[last].idx)


def _described(analysis: Analysis, inside: list[int]) -> bool:
    """A definite description whose only proper nouns are places or nationalities: "the
    Florida senator", "the New Jersey governor", "the Texan" describe a person, not name one."""
    toks = analysis.tokens
    if toks[inside[0]].text.lower() not in ("the", "this", "that"):
        return False
    proper = [i for i in inside if _proper(toks[i])]
    return bool(proper) and all(
        toks[i].ent >= 0 and analysis.entities[toks[i].ent].label in ("GPE", "NORP", "LOC")
        for i in proper
    )


# Titles and suffixes that head a name in a parse but are not the name ("Sen.", "III").
_TITLES = {
    "mr", "mrs", "ms", "dr", "sen", "sens", "rep", "reps", "gov", "lt", "gen", "capt", "col",
    "sgt", "speaker", "president", "senator", "jr", "sr", "ii", "iii", "iv", "rev", "prof",
}  # fmt: skip


def _title(word: str) -> bool:
    return word.lower().strip(".,") in _TITLES


def _person_word(analysis: Analysis, inside: list[int]) -> str | None:
    """The last word (titles and suffixes aside) of the first PERSON name in the span that
    names the source itself: not a possessor or a modifier ("Trump adviser Jason Miller",
    "Rubio's aide Rich Beeson" -> Miller, Beeson), nor inside a clause or phrase hanging on
    the source ("a Clinton confidant who heads ...")."""
    toks = analysis.tokens
    span = set(inside)
    for e in sorted({toks[i].ent for i in inside if toks[i].ent >= 0}):
        ent = analysis.entities[e]
        if ent.label != "PERSON" or analysis.text[ent.end : ent.end + 2] in ("'s", "’s"):
            continue
        rng = range(ent.tok_start, ent.tok_end)
        root = next((i for i in rng if toks[i].head not in rng), ent.tok_start)
        if toks[root].dep in ("compound", "poss", "nmod", "amod"):
            continue
        path, i = [], root
        while toks[i].head in span and toks[i].head != i and len(path) < 12:
            path.append(toks[i].dep)
            i = toks[i].head
        if any(d in ("relcl", "acl", "pobj", "prep", "advcl", "ccomp") for d in path):
            continue
        words = [toks[j] for j in rng if toks[j].text[:1].isupper() and not _title(toks[j].text)]
        if words:
            return _word(analysis.text, words[-1].idx)
    return None


def _attributive(analysis: Analysis, ent: int, inside: list[int]) -> bool:
    """Whether a name modifies a common noun that a later name follows: "Trump senior adviser
    Paul Manafort" (the parse may make "Trump" the head)."""
    toks = analysis.tokens
    after = analysis.entities[ent].tok_end
    if after not in inside or not toks[after].text[:1].islower():
        return False
    return any(
        toks[i].ent >= 0 and toks[i].ent != ent and analysis.entities[toks[i].ent].label == "PERSON"
        for i in inside
        if i > after
    )


def _proper(tok: Token) -> bool:
    return tok.tag in ("NNP", "NNPS") and tok.text[:1].isupper()


def _word(text: str, at: int) -> str:
    """The whole hyphenated word at a character offset, without a possessive."""
    m = re.match(r"[\w.-]+(?:['’]\w+)?", text[at:])  # "O'Malley" whole
    word = m.group(0) if m else text[at : at + 1]
    return re.sub(r"(?:’s|'s)$", "", word).rstrip(".-")


def _resolve(
    analysis: Analysis,
    at: int,
    source: str,
    sources: list[tuple[int, str]],
    spans: dict[str, tuple[str, list[tuple[int, int]]]],
    genders: dict[str, str],
) -> str | None:
    head = _proper_head(analysis, at, at + len(source))
    if head:
        return head
    words = source.lower().split()
    if not words or words[0] in _INDEFINITE or (words[-1].endswith("s") and words[0] != "the"):
        return None
    if len(words) == 1 and words[0] in _PRONOUNS and gender_of_pronoun(words[0]) is None:
        return None  # I, we, they, it: not one named third person
    want = gender_of_pronoun(words[-1])
    for pos, tid in reversed(sources):
        if pos >= at:
            continue
        a, b = spans[tid][1][0]
        name = _proper_head(analysis, a, b)
        if want and _not_person(analysis, a, b):
            continue  # "he" is not The New York Times
        if name and (want is None or genders.get(name, want) == want):
            return name
    for ent in reversed(analysis.entities):
        if ent.start < at and ent.label == "PERSON":
            last = ent.text.split()[-1]
            if want is None or genders.get(last, want) == want:
                return last
    return None


def _not_person(analysis: Analysis, start: int, end: int) -> bool:
    labels = {e.label for e in analysis.entities if start <= e.start < end}
    return bool(labels) and "PERSON" not in labels


def right_speaker(predicted: str | None, gold: str | None) -> bool:
    """gold "A|B": a name the article spells two ways, either is right."""
    if predicted is None or gold is None:
        return predicted is None and gold is None
    words = {w.lower().strip(".,’'") for w in re.split(r"[\s-]+", predicted.replace("’s", ""))}
    return any(g.lower().strip(".,’'").split("-")[-1] in words for g in gold.split("|"))


def overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    inter = min(a1, b1) - max(a0, b0)
    return inter > 0 and inter >= 0.5 * min(a1 - a0, b1 - b0)


def nearest_person(analysis: Analysis, start: int, end: int) -> str | None:
    """The baseline: the PERSON mention with the smallest character distance to the span."""
    best: tuple[int, str] | None = None
    for m in mentions(analysis):
        if m.type != "PERSON":
            continue
        ent = analysis.entities[m.entity]
        if start <= ent.start < end:
            continue  # a name inside the quote is not its speaker
        dist = start - ent.end if ent.end <= start else ent.start - end
        if best is None or dist < best[0]:
            best = (dist, m.canonical)
    return best[1] if best else None


def score(
    cases: list[Case], derived: bool = False
) -> tuple[Scores, list[tuple[str, GoldQuote, QuoteSpan | None]]]:
    """Scores over cases, and each gold quote with the prediction it matched (for reading).
    derived: score pronoun and description sources by the rule's name even where a hand
    resolution exists (the figures before the hand resolutions)."""
    gold = predicted = matched = right = base = 0
    pairs: list[tuple[str, GoldQuote, QuoteSpan | None]] = []
    for case in cases:
        found = mentions(case.analysis)
        pred = quote_spans(case.analysis, found)
        predicted += len(pred)
        matched += sum(
            any(overlaps(p.start, p.end, g.start, g.end) for g in case.gold) for p in pred
        )
        for g in case.gold:
            if derived:
                g = GoldQuote(g.start, g.end, g.derived, g.source, g.derived)
            gold += 1
            hit = next((p for p in pred if overlaps(p.start, p.end, g.start, g.end)), None)
            right += hit is not None and right_speaker(hit.speaker, g.speaker)
            base += right_speaker(nearest_person(case.analysis, g.start, g.end), g.speaker)
            pairs.append((case.name, g, hit))
    return Scores(gold, predicted, matched, right, base), pairs


__all__ = ["MAX_CHARS", "Case", "GoldQuote", "Scores", "available", "load", "names", "score"]
