"""Related articles: other coverage of the story, then related stories; never a duplicate.

Reads the store only (the web and the CLI call it); ranking mixes relevance and freshness.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from newsdesk.humanize import time_ago
from newsdesk.models import Brief
from newsdesk.store import ArticleHead, Repo
from newsdesk.store.page_reads import HeadWithVector, RelatedStart

FRESHNESS_DAYS = 7.0  # a related story this many days older than the article counts half
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Related:
    article_id: int
    title: str
    source: str
    url: str | None
    published: datetime | None
    when: str  # "31 minutes ago"
    kind: str  # "coverage" (same story) or "related" (another story)
    story_id: int | None
    score: float


def related_articles(
    repo: Repo,
    article_id: int,
    now: datetime,
    limit: int = 8,
    *,
    brief: Brief | None = None,
    coverage: bool = True,
) -> list[Related]:
    """Coverage of the article's story (one per source, best first), then related stories.

    brief: the canonical article's brief when the caller has it already (else it is read).
    coverage=False leaves the story's own coverage out and never reads it (a story page lists
    it already, and a story may hold thousands of articles)."""
    # NotFoundError when there is no such article; the brief's keys read along when not given.
    start = repo.related_start(article_id, brief_keys=brief is None)
    article, story_id, own = start.canonical.head, start.canonical.story_id, start.canonical.vector
    seen_titles = {_key(article.title)}
    seen_sources = {article.source}
    out: list[Related] = []
    members: list[HeadWithVector] = []
    if coverage and story_id is not None:
        members = repo.members_with_vectors(story_id)
    scored = sorted(
        ((_cosine(own, m.vector), m.head) for m in members if m.head.id != article.id),
        key=lambda pair: (-pair[0], pair[1].id),
    )
    for score, member in scored:
        if member.source in seen_sources or _key(member.title) in seen_titles:
            continue
        seen_sources.add(member.source)
        seen_titles.add(_key(member.title))
        out.append(_related(member, now, "coverage", story_id, score))
    if brief is None:
        tags, names = list(start.tags), list(start.names)
    else:
        tags, names = list(brief.hashtags), [w.name for w in brief.who]
    out.extend(_other_stories(repo, start, tags, names, now, seen_titles, limit))
    return out[:limit]


def _other_stories(
    repo: Repo,
    start: RelatedStart,
    tags: list[str],
    names: list[str],
    now: datetime,
    seen_titles: set[str],
    limit: int,
) -> list[Related]:
    article, story_id, own = start.canonical.head, start.canonical.story_id, start.canonical.vector
    # One statement: each candidate with its head, story and vector (it was five).
    candidates = repo.related_candidates_with_heads(start, tags=tags, entities=names, limit=50)
    ranked: list[tuple[float, ArticleHead, int | None]] = []
    for other, overlap in candidates:
        if story_id is not None and other.story_id == story_id:
            continue
        relevance = _cosine(own, other.vector) + 0.1 * min(overlap, 5)
        fresh = _freshness(other.head.published, article.published)
        ranked.append((relevance * fresh, other.head, other.story_id))
    ranked.sort(key=lambda t: (-t[0], t[1].id))
    out: list[Related] = []
    stories_seen: set[int] = set()
    for score, other_head, other_story in ranked:
        if other_story is not None and other_story in stories_seen:
            continue  # one article per related story
        if _key(other_head.title) in seen_titles:
            continue
        if other_story is not None:
            stories_seen.add(other_story)
        seen_titles.add(_key(other_head.title))
        out.append(_related(other_head, now, "related", other_story, score))
        if len(out) >= limit:
            break
    return out


def _related(a: ArticleHead, now: datetime, kind: str, story: int | None, score: float) -> Related:
    # time_ago says "undated" for an undated article: the time it was stored is no date.
    return Related(
        a.id, a.title, a.source, a.url, a.published, time_ago(a.published, now), kind, story, score
    )


def _cosine(a: np.ndarray | None, b: np.ndarray | None) -> float:
    if a is None or b is None:
        return 0.0
    return float(np.dot(a, b))


def _freshness(other: datetime | None, reference: datetime | None) -> float:
    if other is None or reference is None:
        return 0.75
    days = abs((reference - other).total_seconds()) / 86400
    return 1.0 / (1.0 + days / FRESHNESS_DAYS)


def _key(title: str) -> str:
    return " ".join(_WORDS.findall(title.casefold()))
