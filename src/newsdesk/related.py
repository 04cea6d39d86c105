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
    canonical = repo.duplicate_of(article_id) or article_id
    article = repo.article_heads([canonical])[0]  # duplicate_of raised if there is none
    story_id = repo.story_of(canonical)
    seen_titles = {_key(article.title)}
    seen_sources = {article.source}
    out: list[Related] = []
    members = []
    if coverage and story_id is not None:
        members = repo.article_heads(repo.story_member_ids(story_id))
    vectors = repo.get_vectors([m.id for m in members] + [canonical])
    own = vectors.get(canonical)
    scored = sorted(
        ((_cosine(own, vectors.get(m.id)), m) for m in members if m.id != canonical),
        key=lambda pair: (-pair[0], pair[1].id),
    )
    for score, member in scored:
        if member.source in seen_sources or _key(member.title) in seen_titles:
            continue
        seen_sources.add(member.source)
        seen_titles.add(_key(member.title))
        out.append(_related(member, now, "coverage", story_id, score))
    if brief is None:
        brief = repo.get_brief(article_id=canonical)
    out.extend(_other_stories(repo, article, brief, story_id, own, now, seen_titles, limit))
    return out[:limit]


def _other_stories(
    repo: Repo,
    article: ArticleHead,
    brief: Brief | None,
    story_id: int | None,
    own: np.ndarray | None,
    now: datetime,
    seen_titles: set[str],
    limit: int,
) -> list[Related]:
    tags = list(brief.hashtags) if brief else []
    names = [w.name for w in brief.who] if brief else []
    candidates = repo.related_candidates(article.id, tags=tags, entities=names, limit=50)
    ids = [cid for cid, _ in candidates]
    vectors = repo.get_vectors(ids)
    # Two batched reads, not two queries per candidate (N+1: ~100 ms a page at 100k articles).
    story_ids = repo.stories_of(ids)
    others = {a.id: a for a in repo.article_heads(ids)}
    ranked: list[tuple[float, ArticleHead, int | None]] = []
    for cid, overlap in candidates:
        other_story = story_ids.get(cid)
        if story_id is not None and other_story == story_id:
            continue
        other = others[cid]
        relevance = _cosine(own, vectors.get(cid)) + 0.1 * min(overlap, 5)
        ranked.append(
            (relevance * _freshness(other.published, article.published), other, other_story)
        )
    ranked.sort(key=lambda t: (-t[0], t[1].id))
    out: list[Related] = []
    stories_seen: set[int] = set()
    for score, other, other_story in ranked:
        if other_story is not None and other_story in stories_seen:
            continue  # one article per related story
        if _key(other.title) in seen_titles:
            continue
        if other_story is not None:
            stories_seen.add(other_story)
        seen_titles.add(_key(other.title))
        out.append(_related(other, now, "related", other_story, score))
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
