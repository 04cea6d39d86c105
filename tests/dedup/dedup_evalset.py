"""A deterministic near-duplicate evaluation set built from the shared corpus.

Originals: ECB+ stories (one sentence per line) and the body text of the fundus pages
(paragraphs). Positives: realistic syndication edits of one original (boilerplate, a new
headline line, trimmed ending, an added note, copy-edits, quote/whitespace changes,
combinations, and copies that keep only the lead 30-70%, re-wrapped and re-headlined).
Negatives: two write-ups of the same ECB+ event by different outlets that share no verbatim
sentence, two events of the same ECB+ topic, and random pairs. Same-event pairs
that do share verbatim sentences are copies or versions of one wire story: neither clean
positives nor negatives, so they are kept apart as `gray` pairs and reported on their own.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from newsdesk.dedup import normalize_text

MIN_ORIGINAL_WORDS = 50  # an "article": shorter texts are teasers, matched by exact hash only
SEED = 20240601

TOP_LINES = (
    "This article originally appeared on {site}.",
    "Sign up for our morning newsletter to get the day's top stories in your inbox.",
    "Advertisement",
    "Listen to this article · 4 min",
    "By The Associated Press",
)
BOTTOM_LINES = (
    "Copyright 2024 The Associated Press. All rights reserved. This material may not be "
    "published, broadcast, rewritten or redistributed.",
    "This article originally appeared on {site}.",
    "Sign up for our newsletter to get the best of {site} delivered to your inbox every morning.",
    "Follow us on Facebook and Twitter for the latest updates.",
    "Reporting by our staff; editing by the news desk.",
    "Related: more coverage from {site}",
)
NOTES = (
    "Editor's note: This story has been updated with additional information.",
    "Correction: An earlier version of this article misstated a date. It has been corrected.",
    "This is a developing story and will be updated as more information becomes available.",
    "Read more: our full coverage of the story is available on our website.",
)
SITES = ("The Daily Ledger", "Metro Wire", "newsdaily.example", "The Courier")
FILLER = ("reportedly", "also", "however", "said", "officials", "new", "local", "on Monday")


@dataclass(frozen=True, slots=True)
class Doc:
    id: str
    text: str
    event: str  # ECB+ event id, or the doc id for fundus pages
    topic: str
    split: str  # "dev" or "test"


@dataclass(frozen=True, slots=True)
class Pair:
    a: str  # doc id of the original / first article
    b_text: str  # the variant's (or second article's) text
    b_id: str | None  # second doc id for negatives and gray pairs, None for a variant
    kind: str
    label: bool | None  # None: gray (same wire story), reported apart
    split: str


def load_docs(corpus: Path) -> list[Doc]:
    """ECB+ stories and fundus body texts of at least MIN_ORIGINAL_WORDS words."""
    docs: list[Doc] = []
    stories = corpus / "stories" / "ecbplus_articles.jsonl"
    for line in stories.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        topic_number = int(row["topic_id"].removeprefix("ecb"))
        split = "dev" if topic_number % 2 else "test"  # by topic: a pair never spans splits
        docs.append(Doc(row["id"], row["text"], row["event_id"], row["topic_id"], split))
    index = corpus / "pages" / "index.jsonl"
    for line in index.read_text(encoding="utf-8").splitlines():
        meta = json.loads(line)
        if meta["source_dataset"] != "flairNLP/fundus":
            continue
        expected = json.loads((corpus / "pages" / meta["expected"]).read_text(encoding="utf-8"))
        body = expected.get("body_text") or ""
        split = "dev" if hashlib.sha1(meta["id"].encode()).digest()[0] % 2 else "test"
        docs.append(Doc(meta["id"], body, meta["id"], meta["id"], split))
    return [d for d in docs if len(d.text.split()) >= MIN_ORIGINAL_WORDS]


def _units(text: str) -> tuple[list[str], str]:
    if "\n\n" in text:
        return [p for p in text.split("\n\n") if p.strip()], "\n\n"
    return [s for s in text.split("\n") if s.strip()], "\n"


def _boilerplate(text: str, rng: random.Random) -> str:
    site = rng.choice(SITES)
    top = rng.choice(TOP_LINES).format(site=site)
    bottom = [b.format(site=site) for b in rng.sample(BOTTOM_LINES, rng.randint(1, 2))]
    return "\n\n".join([top, text, *bottom])


def _headline(text: str, rng: random.Random) -> str:
    words = text.split()[: rng.randint(5, 9)]
    return " ".join([rng.choice(("UPDATE:", "WATCH:", "Breaking:", "")), *words]).strip() + (
        "\n\n" + text
    )


def _trim(text: str, rng: random.Random) -> str:
    units, sep = _units(text)
    cut = min(rng.randint(1, 2), max(len(units) - 3, 0))
    return sep.join(units[: len(units) - cut]) if cut else text


def _note(text: str, rng: random.Random) -> str:
    units, sep = _units(text)
    units.insert(rng.choice((0, len(units) // 2, len(units))), rng.choice(NOTES))
    return sep.join(units)


def _copyedit(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    for _ in range(min(max(2, len(words) // 80), 8)):
        i = rng.randrange(len(words))
        action = rng.random()
        if action < 0.4:
            words[i] = rng.choice(FILLER)
        elif action < 0.7 and len(words) > 10:
            del words[i]
        else:
            words.insert(i, rng.choice(FILLER))
    return " ".join(words)


def _restyle(text: str, rng: random.Random) -> str:
    out = text.replace('"', "“", 1).replace('"', "”", 1).replace("'", "’")
    out = out.replace(" - ", " — ").replace(". ", ".  ")
    return out.replace("\n", "\n\n") if rng.random() < 0.5 else "  " + out + "\n"


def _lead(text: str, rng: random.Random) -> str:
    """A copy that keeps only the lead: the first 30-70% of the words, ended at a sentence or
    paragraph break when one is near, else mid-sentence (a teaser cut)."""
    words = text.split(" ")
    keep = max(int(len(words) * rng.uniform(0.3, 0.7)), 1)
    cut = " ".join(words[:keep])
    end = max(cut.rfind("\n"), cut.rfind(". "))
    return cut[: end + 1].rstrip() if end > len(cut) // 2 else cut


def _rewrap(text: str, rng: random.Random) -> str:
    """Other line breaks, spacing and quotes: one line per paragraph, or hard-wrapped lines."""
    out = text.replace('"', "“", 1).replace('"', "”", 1).replace("'", "’")
    if rng.random() < 0.5:
        return " ".join(out.split())
    words, lines, line = out.split(), [], []
    for word in words:
        line.append(word)
        if sum(len(w) + 1 for w in line) > rng.randint(60, 80):
            lines.append(" ".join(line))
            line = []
    return "\n".join([*lines, " ".join(line)])


def _lead_copy(text: str, rng: random.Random) -> str:
    """The syndicated lead: truncated, re-wrapped and under a new headline line."""
    return _headline(_rewrap(_lead(text, rng), rng), rng)


def _syndicated(text: str, rng: random.Random) -> str:
    """The common real case: a partner's boilerplate, a trimmed end and a few copy-edits."""
    return _restyle(_boilerplate(_copyedit(_trim(text, rng), rng), rng), rng)


VARIANTS = {
    "boilerplate": _boilerplate,
    "headline": _headline,
    "trimmed": _trim,
    "note": _note,
    "copyedit": _copyedit,
    "restyle": _restyle,
    "syndicated": _syndicated,
    "lead": _lead,
    "lead_copy": _lead_copy,
}


def _sentences(text: str) -> set[str]:
    return {normalize_text(s) for s in text.split("\n") if len(s.split()) >= 6}


def build_pairs(docs: list[Doc], seed: int = SEED) -> list[Pair]:
    """All positives, negatives and gray pairs, the same on every run for the same docs."""
    rng = random.Random(seed)
    pairs: list[Pair] = []
    for doc in docs:
        for kind, make in VARIANTS.items():
            pairs.append(Pair(doc.id, make(doc.text, rng), None, kind, True, doc.split))
    ecb = [d for d in docs if d.id.startswith("ecbplus-")]
    sentences = {d.id: _sentences(d.text) for d in ecb}
    by_event: dict[str, list[Doc]] = defaultdict(list)
    by_topic: dict[str, list[Doc]] = defaultdict(list)
    for d in ecb:
        by_event[d.event].append(d)
        by_topic[d.topic].append(d)
    for group in by_event.values():
        for x, y in itertools.combinations(group, 2):
            shared = bool(sentences[x.id] & sentences[y.id])
            kind, label = ("same_wire_story", None) if shared else ("same_event", False)
            pairs.append(Pair(x.id, y.text, y.id, kind, label, x.split))
    for group in by_topic.values():
        events = sorted({d.event for d in group})
        if len(events) < 2:
            continue
        left = [d for d in group if d.event == events[0]]
        right = [d for d in group if d.event != events[0]]
        for x, y in rng.sample(
            list(itertools.product(left, right)), min(30, len(left) * len(right))
        ):
            pairs.append(Pair(x.id, y.text, y.id, "same_topic", False, x.split))
    for split in ("dev", "test"):
        pool = [d for d in docs if d.split == split]
        for _ in range(len(pool)):
            x, y = rng.sample(pool, 2)
            if x.topic != y.topic:
                pairs.append(Pair(x.id, y.text, y.id, "random", False, split))
    return pairs


def corpus_available(corpus: Path) -> bool:
    """Whether the stories and pages of the shared corpus are present."""
    return (corpus / "stories" / "ecbplus_articles.jsonl").exists() and (
        corpus / "pages" / "index.jsonl"
    ).exists()
