"""Which quoted spans are someone's words: a small logistic model over what stands around them.

Every span in quotation marks within a paragraph is a candidate. Many are not speech: titles
("The Art of the Deal"), nicknames, scare quotes ("a so-called “reform”"). Many short or
lower-case ones are: 'called the KKK “abhorrent”', 'said he would “carpet bomb them”'. The
model weighs what tells them apart (length, capitals, a verb of saying before or after, a
naming verb governing the span, first-person words, what precedes it) and was fitted on
PolNeAR's train split by `benchmarks/brief_quotes.py --fit` (src/newsdesk/nlp/data/
quote_model.json); its threshold keeps precision on the train split where the rules it
replaced had it.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from newsdesk.enrich.analysis import Analysis
from newsdesk.enrich.speakers import CUE_VERBS, NAMING_VERBS

# Within one paragraph (a blank line ends it): an unclosed quotation mark at a paragraph's end
# continues in the next paragraph, which opens its own quotation marks.
_CURLY = r"“((?:[^”\n]|\n(?![ \t]*\n)){3,1500}?)(?:[”\"]|(?=\n[ \t]*\n)|\Z)"
_STRAIGHT = r"\"((?:[^\"”\n]|\n(?![ \t]*\n)){3,1500})[\"”]"
_SINGLE = r"(?<![\w’'])['‘]([^'’\n]{3,600})['’](?!\w)"
_QUOTE = re.compile(f"{_CURLY}|{_STRAIGHT}|{_SINGLE}")
_OPENS_BEFORE = "‘'[("  # ”Fear. / ”[W]e: a closing mark typed for an opening one
_CLOSES_AFTER = ".,?!…’_"  # here,“ said: an opening mark typed for a closing one
_CLOSES_BEFORE = ".,;:!?)"
_SMALL_WORDS = {"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with", "by"}
_CUE_REACH = 6  # words between a cue and the quote it brings ("said Cruz “says...”")
_FIRST_PERSON = {
    "i", "me", "my", "mine", "we", "our", "ours", "us", "you", "your", "i'm", "i’m", "we're",
    "we’re", "i've", "i’ve", "i'll", "i’ll", "we'll", "we’ll", "you're", "you’re",
}  # fmt: skip
_FUNCTION_WORDS = {
    "is", "are", "was", "were", "will", "would", "can", "do", "don’t", "don't", "have", "has",
    "had", "be", "should", "could", "not", "it’s", "it's", "that’s", "that's", "there", "this",
}  # fmt: skip
_SAID = CUE_VERBS | NAMING_VERBS | {"according"}

FEATURES = (
    "bias",
    "log_words",
    "under_4_words",
    "one_word",
    "lower_start",
    "title_case",
    "cue_before",
    "cue_after",
    "named_by",
    "governed_by_saying",
    "saying_above",
    "paragraph_start",
    "first_person",
    "ends_in_punctuation",
    "after_that_or_as",
    "after_colon",
    "single_marks",
    "straight_marks",
    "lower_x_cue_before",
    "lower_x_governed",
    "lower_x_first_person",
    "lower_x_ends_in_punctuation",
    "title_x_cued",
    "lower_8_words",
    "sentence_has_saying",
    "sentence_has_named_subject",
    "lower_x_sentence_saying",
    "short_x_sentence_saying",
    "after_determiner",
    "after_adjective",
    "after_verb",
    "after_preposition",
    "after_that",
    "before_noun",
    "function_word",
    "lower_x_function_word",
    "words_2_3",
    "words_4_5",
    "words_6_7",
    "lower_x_saying_above",
    "lower_x_sentence_saying_x_determiner",
    "function_words_3",
    "sentence_goes_on",
    "lower_x_sentence_goes_on",
    "title_x_no_punctuation",
    "verb_right_after",
    "lower_x_no_saying",
    "title_x_no_saying",
)


@dataclass(frozen=True, slots=True)
class Model:
    """Feature weights and the score from which a span counts as speech."""

    weights: tuple[float, ...]
    threshold: float


@cache
def default_model() -> Model:
    """The shipped model (newsdesk/nlp/data/quote_model.json)."""
    raw = json.loads(
        resources.files("newsdesk.nlp").joinpath("data/quote_model.json").read_text("utf-8")
    )
    if tuple(raw["features"]) != FEATURES:
        raise ValueError("quote_model.json: its features do not match quote_finder.FEATURES")
    return Model(tuple(float(w) for w in raw["weights"]), float(raw["threshold"]))


@lru_cache(maxsize=8)
def marks(text: str) -> str:
    """The text with curly quotation marks typed the wrong way round set right, by where they
    stand (same length, so offsets hold): ”Fear. ...” opens, “... here,“ said X closes."""
    if "”" not in text and "“" not in text:
        return text
    chars: list[str] | None = None
    for mark, wanted in (("”", "“"), ("“", "”")):
        at = text.find(mark)
        while at >= 0:
            before = text[at - 1] if at > 0 else " "
            after = text[at + 1] if at + 1 < len(text) else " "
            if mark == "”":
                turned = before.isspace() and (after.isalnum() or after in _OPENS_BEFORE)
            else:
                turned = (before.isalnum() or before in _CLOSES_AFTER) and (
                    after.isspace() or after in _CLOSES_BEFORE
                )
            if turned:
                chars = chars if chars is not None else list(text)
                chars[at] = wanted
            at = text.find(mark, at + 1)
    return "".join(chars) if chars is not None else text


def quoted(text: str) -> list[tuple[int, int]]:
    """(start, end) of every span in quotation marks, speech or not."""
    return [(m.start(), m.end()) for m in _QUOTE.finditer(marks(text))]


def candidates(analysis: Analysis) -> list[tuple[int, int, str, list[float]]]:
    """(start, end, inner text, FEATURES row) of every span in quotation marks."""
    text = marks(analysis.text)
    starts = [t.idx for t in analysis.tokens]
    out: list[tuple[int, int, str, list[float]]] = []
    for m in _QUOTE.finditer(text):
        g = next(i for i in (1, 2, 3) if m.group(i) is not None)
        inner = " ".join(m.group(g).split()).strip(" ,")
        out.append((m.start(), m.end(), inner, features(analysis, starts, m, g, inner)))
    return out


def find(analysis: Analysis, model: Model | None = None) -> list[tuple[int, int, str]]:
    """(start, end, text) of each quoted span that reads as speech, “A,” she said, “B.” as one."""
    model = model or default_model()
    found = [
        (start, end, inner)
        for start, end, inner, row in candidates(analysis)
        if not narrative(row) and score(model, row) >= model.threshold
    ]
    return _merge_split(analysis.text, found)


_TITLE, _NOT_SAID, _UNCUED_TITLE, _GOES_ON = (
    FEATURES.index(f)
    for f in ("title_case", "lower_x_no_saying", "title_x_no_saying", "sentence_goes_on")
)


def narrative(row: list[float]) -> bool:
    """Never speech, whatever the model says: a lower-case span inside a sentence that goes on
    after it with no verb of saying ('The plan to “keep the details under wraps” drew
    criticism'), a title with no verb of saying right after it ('She wrote “The Art of the
    Deal” in 2015')."""
    return bool(row[_NOT_SAID] and row[_GOES_ON]) or bool(row[_TITLE] and row[_UNCUED_TITLE])


def score(model: Model, row: list[float]) -> float:
    z = sum(w * x for w, x in zip(model.weights, row, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def features(
    analysis: Analysis, starts: list[int], m: re.Match[str], group: int, inner: str
) -> list[float]:
    """One row of FEATURES for the quoted span m."""
    start, end = m.start(), m.end()
    text, toks = analysis.text, analysis.tokens
    words = inner.split()
    n = len(words)
    low = inner[:1].islower()
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    title = all(w[:1].isupper() or not w[:1].isalpha() for w in content)
    cue_before = _after_cue(text, start)
    cue_after = _before_cue(text, end)
    direct, reached = _governors(analysis, starts, start, end)
    named = bool(reached & NAMING_VERBS)
    governed = bool(direct & (CUE_VERBS | NAMING_VERBS))
    above = _said_above(analysis, starts, start, end)
    line = text[text.rfind("\n", 0, start) + 1 : start]
    para = not line.strip()
    bare = [w.lower().strip(".,!?;:”“\"'’‘…") for w in words]
    first = any(w in _FIRST_PERSON for w in bare)
    function = sum(w in _FUNCTION_WORDS for w in bare)
    punct = inner.rstrip("”\"'’ ")[-1:] in (".", "?", "!", ",")
    before = line.rstrip()
    first_tok = bisect_right(starts, start - 1)
    after_tok = bisect_right(starts, end - 1)
    says = name_subject = False
    sent = toks[first_tok].sent if first_tok < len(toks) else -1
    if sent >= 0:
        s = analysis.sentences[sent]
        for j in range(s.tok_start, s.tok_end):
            if start <= toks[j].idx < end:
                continue
            says = says or toks[j].text.lower() in _SAID
            name_subject = name_subject or (
                toks[j].ent >= 0
                and analysis.entities[toks[j].ent].label in ("PERSON", "ORG")
                and toks[j].dep in ("nsubj", "nsubjpass", "compound")
            )
    prev = toks[first_tok - 1] if first_tok > 0 else None
    prev_pos = prev.pos if prev is not None else ""
    nxt = toks[after_tok] if after_tok < len(toks) else None
    next_pos = nxt.pos if nxt is not None and nxt.idx - end < 2 else ""
    goes_on = sent >= 0 and bool(
        text[end : max(end, analysis.sentences[sent].end)].strip(" .,;!?”\"'’\n")
    )
    row = (
        1.0,
        math.log(max(1, n)),
        n < 4,
        n < 2,
        low,
        title,
        cue_before,
        cue_after,
        named,
        governed,
        above,
        para,
        first,
        punct,
        before.lower().endswith(("that", " as")),
        before.endswith(":"),
        group == 3,
        group == 2,
        low and cue_before,
        low and (governed or named),
        low and first,
        low and punct,
        title and (cue_before or cue_after),
        n >= 8 and low,
        says,
        name_subject,
        low and says,
        n < 4 and says,
        prev_pos == "DET",
        prev_pos == "ADJ",
        prev_pos in ("VERB", "AUX"),
        prev_pos == "ADP",
        prev_pos == "SCONJ" or (prev is not None and prev.text.lower() == "that"),
        next_pos in ("NOUN", "PROPN"),
        function > 0,
        low and function > 0,
        2 <= n < 4,
        4 <= n < 6,
        6 <= n < 8,
        low and above,
        low and says and prev_pos == "DET",
        min(function, 3),
        goes_on,
        low and goes_on,
        title and not punct,
        next_pos in ("VERB", "AUX") and not punct,
        low and not (says or above or cue_before or cue_after),
        title and not cue_after,
    )
    return [float(x) for x in row]


def _said_above(analysis: Analysis, starts: list[int], start: int, end: int) -> bool:
    """Whether a verb of saying governs the quote further up its clause ("saying only that
    the panel last week “gained access to ...”")."""
    toks = analysis.tokens
    inside = range(bisect_right(starts, start - 1), bisect_right(starts, end - 1))
    said = CUE_VERBS | NAMING_VERBS
    for i in inside:
        h, steps = toks[i].head, 0
        while h not in inside and steps < 10:
            if toks[h].text.lower() in said:
                return True
            if toks[h].head == h:
                break
            h, steps = toks[h].head, steps + 1
    return False


def _governors(
    analysis: Analysis, starts: list[int], start: int, end: int
) -> tuple[set[str], set[str]]:
    """The words governing a quote that ends the writer's sentence (none if the sentence goes
    on), and those with the words governing them through an object, preposition or
    determiner ('called the KKK “abhorrent”', 'described it as “a lesser set of ...”')."""
    toks = analysis.tokens
    first = bisect_right(starts, start - 1)
    inside = range(first, bisect_right(starts, end - 1))
    if not inside or toks[first].sent < 0:
        return set(), set()
    sent = analysis.sentences[toks[first].sent]
    if analysis.text[end : max(end, sent.end)].strip(" .,;!?”\"'’\n"):
        return set(), set()  # the writer's sentence goes on after the quote
    heads = {toks[i].head for i in inside if toks[i].head not in inside}
    reached = heads | {
        toks[h].head
        for h in heads
        if toks[h].dep in ("prep", "dobj", "pobj", "det", "attr", "oprd", "amod", "compound")
    }
    return {toks[h].text.lower() for h in heads}, {toks[h].text.lower() for h in reached}


def _after_cue(text: str, start: int) -> bool:
    """Whether the words just before a quote introduce speech ("said that", ":")."""
    before = text[max(0, start - 80) : start].rstrip()
    if before.endswith((":", ",")):
        return True
    clause = re.split(r"[.!?;”\"]\s", before)[-1]
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", clause)[-_CUE_REACH:]]
    return any(w in CUE_VERBS for w in words)


def _before_cue(text: str, end: int) -> bool:
    """Whether a cue follows the quote closely: “...,” said X / “...,” X told reporters."""
    if text[max(0, end - 4) : end].rstrip("”\"'’ ")[-1:] not in (",", "?", "!", "."):
        return False
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", text[end : end + 80])[:6]]
    return any(w in CUE_VERBS for w in words)


def _merge_split(text: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """“A,” she said, “B.” is one quote: A and B joined."""
    out: list[tuple[int, int, str]] = []
    for start, end, inner in found:
        if out:
            p_start, p_end, p_inner = out[-1]
            between = text[p_end:start]
            if (
                "\n" not in between
                and len(between.split()) <= 6
                and between.strip().endswith(",")
                and text[p_start:p_end].rstrip("”\"'’ ").endswith(",")
            ):
                out[-1] = (p_start, end, f"{p_inner} … {inner}")
                continue
        out.append((start, end, inner))
    return out
