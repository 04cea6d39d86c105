"""A story with one huge article keeps its brief within a memory bound (sparse TF-IDF, capped
sentences); the bound, not the time, is what is checked."""

from __future__ import annotations

import random
import tracemalloc
from datetime import UTC, datetime

from newsdesk.enrich.member import Member
from newsdesk.enrich.sentences import MAX_SENTENCES, story_sentences
from newsdesk.enrich.story import story_brief
from newsdesk.models import Brief, Cite, Line

PEAK_MB = 64  # the dense matrices of before asked for gigabytes on inputs like this one


def sentences(count: int, seed: int) -> tuple[str, ...]:
    """Sentences over a vocabulary as wide as a large file's (tens of thousands of words)."""
    rng = random.Random(seed)
    words = [f"w{rng.randrange(60_000):05d}x" for _ in range(count * 12)]
    return tuple(
        "Officials said " + " ".join(words[i * 12 : i * 12 + 12]) + "." for i in range(count)
    )


def member(article_id: int, source: str, text: tuple[str, ...]) -> Member:
    brief = Brief(
        lang="en",
        sentences=text,
        summary=(Line(text[0], (Cite(0, article_id),)),),
    )
    return Member(
        article_id, source, f"Title {article_id}", datetime(2025, 1, 1, tzinfo=UTC), brief
    )


def test_one_huge_article_stays_within_a_memory_bound() -> None:
    huge = member(1, "Wire", sentences(30_000, seed=1))
    others = [member(i, f"Paper {i}", sentences(40, seed=i)) for i in range(2, 6)]
    tracemalloc.start()
    try:
        made = story_brief([huge, *others])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert made.summary  # a brief was written
    assert peak < PEAK_MB * 2**20, f"peak {peak / 2**20:.0f} MiB"


def test_the_sentences_read_are_capped_per_article_and_in_all() -> None:
    many = [member(i, f"S{i}", sentences(80, seed=i)) for i in range(1, 1001)]
    read = story_sentences(many)
    assert len(read) == MAX_SENTENCES
    assert max(r.sentence for r in read) < 3  # a thousand articles: each gives its lead
    two = story_sentences(many[:2])
    assert len(two) == 2 * 60  # a short story: each article's first 60 sentences
