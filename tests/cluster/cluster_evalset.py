"""ECB+ stories as a clustering set: features (MiniLM vector, spaCy entities), online run, scores.

Shared by tests/cluster/test_cluster_quality.py, benchmarks/cluster_quality.py and
benchmarks/brief_stories.py. The split is the usual ECB+ one, with the topics it leaves out
(26-35) added to development: parameters are chosen on topics 1-35 ("dev"), reported on the
test topics 36-45 ("test").
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np

from newsdesk.cluster import StoryIndex, article_text_for_embedding, bcubed, event_details
from newsdesk.nlp import spacy_model
from newsdesk.nlp.embedder import MiniLMEmbedder
from newsdesk.pipeline.enrich import REGROUP_AFTER

ENTITY_LABELS = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "PLACE",
    "EVENT": "EVENT",
}
ARTICLES = Path("stories") / "ecbplus_articles.jsonl"
REGROUP_EVERY = REGROUP_AFTER  # articles between two regroup() calls, as in the pipeline


@dataclass(frozen=True)
class Doc:
    """One ECB+ article with what the cluster stage sees and its gold labels."""

    id: str
    event: str
    topic: str
    when: datetime | None
    text: str  # title + lead, the embedded text
    vector: np.ndarray
    entities: frozenset[str]


@dataclass(frozen=True)
class Result:
    precision: float
    recall: float
    f1: float
    hard_negative_rate: float  # same-topic, different-event pairs put in one story
    stories: int
    merges: int


def corpus_available(corpus: Path) -> bool:
    return (corpus / ARTICLES).exists()


def topic_number(topic: str) -> int:
    return int(topic.removeprefix("ecb"))


TEST_TOPICS = tuple(f"ecb{n}" for n in range(36, 46))


def split_of(topic: str) -> str:
    return "test" if topic in TEST_TOPICS else "dev"


def load_rows(corpus: Path, topics: Iterable[str] | None = None) -> list[dict[str, Any]]:
    wanted = set(topics) if topics is not None else None
    with (corpus / ARTICLES).open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    return [r for r in rows if wanted is None or r["topic_id"] in wanted]


def canonical_entities(doc: Any) -> frozenset[str]:
    """PERSON/ORG/PLACE/EVENT names as spaCy writes them, less a leading 'the' and a trailing 's."""
    names = set()
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        name = ent.text.strip()
        name = name.removeprefix("the ").removeprefix("The ")
        name = name.removesuffix("'s").removesuffix("’s").strip()
        if len(name) > 1:
            names.add(name)
    return frozenset(names)


def featurize(rows: Sequence[dict[str, Any]], embedder: MiniLMEmbedder) -> list[Doc]:
    """One embedding of title + lead and one NER pass over title + body per article; the
    entities are the names plus the lead's event details, as the pipeline gives them."""
    texts = [article_text_for_embedding(r["title"] or "", r["text"] or "") for r in rows]
    vectors = embedder.embed(texts)
    nlp = spacy_model.load("en")
    full = [f"{r['title'] or ''}\n{r['text'] or ''}" for r in rows]
    docs = []
    with nlp.select_pipes(enable=["tok2vec", "ner"]):  # entities only: the rest costs time
        parsed_all = list(nlp.pipe(full))
    for row, text, vector, parsed in zip(rows, texts, vectors, parsed_all, strict=True):
        when = None
        if row.get("published"):
            when = datetime.fromisoformat(row["published"]).replace(tzinfo=UTC)
        docs.append(
            Doc(
                row["id"],
                row["event_id"],
                row["topic_id"],
                when,
                text,
                vector,
                canonical_entities(parsed) | event_details(row["title"] or "", row["text"] or ""),
            )
        )
    return docs


def arrival_order(docs: Iterable[Doc]) -> list[Doc]:
    """Dated articles by date then id, then the undated ones by id: deterministic."""
    dated = sorted((d for d in docs if d.when is not None), key=lambda d: (d.when, d.id))
    undated = sorted((d for d in docs if d.when is None), key=lambda d: d.id)
    return dated + undated


def cluster_online(
    docs: Iterable[Doc], index: StoryIndex, batch: int = REGROUP_EVERY
) -> tuple[dict[str, str], int]:
    """(article id -> story id, merges done), placing articles one by one as the pipeline does,
    with a regroup() after every `batch` articles and at the end, as the pipeline does after
    each batch it places."""
    story_of: dict[str, int] = {}
    merged_into: dict[int, int] = {}
    next_id = 1
    merges = 0
    ordered = arrival_order(docs)
    for n, doc in enumerate(ordered, start=1):
        placed = index.place(doc.vector, doc.entities, doc.when)
        if placed.story_id is None:
            index.start(next_id, doc.vector, doc.entities, doc.when)
            story_of[doc.id] = next_id
            next_id += 1
        else:
            index.join(placed.story_id, doc.vector, doc.entities, doc.when)
            story_of[doc.id] = placed.story_id
            if placed.merge_with:
                group = (placed.story_id, *placed.merge_with)
                keep = min(group)
                for gone in group:
                    if gone != keep:
                        index.merge(keep, gone)
                        merged_into[gone] = keep
                        merges += 1
        if n % batch == 0 or n == len(ordered):
            for keep, gone in index.regroup():
                merged_into[gone] = keep
                merges += 1
    return {a: str(_final(s, merged_into)) for a, s in story_of.items()}, merges


def score(docs: Sequence[Doc], index: StoryIndex) -> Result:
    predicted, merges = cluster_online(docs, index)
    gold = {d.id: d.event for d in docs}
    p, r, f1 = bcubed(gold, predicted)
    return Result(
        p, r, f1, hard_negative_rate(docs, predicted), len(set(predicted.values())), merges
    )


def hard_negative_rate(docs: Sequence[Doc], predicted: dict[str, str]) -> float:
    """Share of same-topic, different-event article pairs that ended in one story."""
    together = total = 0
    by_topic: dict[str, list[Doc]] = {}
    for d in docs:
        by_topic.setdefault(d.topic, []).append(d)
    for members in by_topic.values():
        for a, b in combinations(members, 2):
            if a.event != b.event:
                total += 1
                together += predicted[a.id] == predicted[b.id]
    return together / total if total else 0.0


def _final(story: int, merged_into: dict[int, int]) -> int:
    while story in merged_into:
        story = merged_into[story]
    return story
