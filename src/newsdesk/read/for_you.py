"""What one reader follows, as stories: the /for-you page, the digests, and the mutes that hide
stories from that reader's front and section pages.

A story is followed when it matches any of the reader's follows (store/followed.py says what
matches what; a saved search matches the stories of its best SEARCH_HITS articles) and none of
their mutes, and followed stories are ranked as the front page ranks (repo.rank_stories, the
score of repo.list_stories).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from newsdesk.read.shapes import StoryCard
from newsdesk.read.stories import story_cards

if TYPE_CHECKING:  # hints only: the CLI imports read models before it opens a store
    from newsdesk.store import Repo, StorySummary
    from newsdesk.store.follows import Follow

SEARCH_HITS = 100  # articles of a saved search whose stories count as matching it
MAX_PAGE = 100

Keys = list[tuple[str, str]]


def followed_stories(
    repo: Repo,
    user_id: int,
    *,
    limit: int = 30,
    since: datetime | None = None,
    offset: int = 0,
    now: datetime | None = None,
) -> list[StoryCard]:
    """The stories matching the reader's follows minus their mutes, best first as on the front
    page, [offset, offset + limit); since keeps those whose latest dated coverage is at or
    after it (the stories that moved). Empty when the reader follows nothing."""
    rows = followed_summaries(repo, user_id, limit=limit, since=since, offset=offset, now=now)
    return story_cards(repo, rows)


def followed_summaries(
    repo: Repo,
    user_id: int,
    *,
    limit: int = 30,
    since: datetime | None = None,
    offset: int = 0,
    now: datetime | None = None,
) -> list[StorySummary]:
    """followed_stories as ranked rows, before their cards are read."""
    follows, mutes = split_follows(repo.follows_of(user_id))
    if not follows or limit <= 0:
        return []
    found = repo.stories_matching(follows)
    found |= _searched(repo, _queries(follows), since=since)
    limit, offset = max(1, min(limit, MAX_PAGE)), max(0, offset)
    if not mutes:
        return repo.rank_stories(found, limit=limit, offset=offset, now=now, since=since)
    # Ranked once; mutes are checked on the best rows only, one page deeper than asked and
    # twice as deep while they leave too few: checking every match cost half the page at
    # 100,000 articles (benchmarks/for_you_scale.py).
    rows = repo.rank_stories(found, limit=len(found), now=now, since=since)
    kept: list[StorySummary] = []
    start, depth = 0, offset + 2 * limit
    while len(kept) < offset + limit and start < len(rows):  # depth doubles: a few rounds
        batch = rows[start:depth]
        hidden = muted_among(repo, mutes, [row.id for row in batch])
        kept += [row for row in batch if row.id not in hidden]
        start, depth = depth, depth * 2
    return kept[offset : offset + limit]


Row = TypeVar("Row", "StorySummary", StoryCard)


def without_muted(repo: Repo, user_id: int, rows: Sequence[Row]) -> list[Row]:
    """rows (ranked stories or cards) less those the reader muted, in their order; rows as
    they are, after one query, when the reader mutes nothing."""
    _, mutes = split_follows(repo.follows_of(user_id))
    hidden = muted_among(repo, mutes, [row.id for row in rows])
    return [row for row in rows if row.id not in hidden]


def muted_among(repo: Repo, mutes: Keys, story_ids: Sequence[int]) -> set[int]:
    """Which of these current story ids match any of the muted keys."""
    if not mutes or not story_ids:
        return set()
    hidden = repo.stories_matching_among(mutes, story_ids)
    return hidden | (_searched(repo, _queries(mutes)) & set(story_ids))


def split_follows(rows: Iterable[Follow]) -> tuple[Keys, Keys]:
    """(followed keys, muted keys) of a reader's follow rows, each (kind, value)."""
    follows: Keys = []
    mutes: Keys = []
    for row in rows:
        (mutes if row.muted else follows).append((row.kind, row.value))
    return follows, mutes


def _queries(keys: Keys) -> list[str]:
    return [value for kind, value in keys if kind == "search"]


def _searched(repo: Repo, queries: list[str], *, since: datetime | None = None) -> set[int]:
    """The stories of the best SEARCH_HITS articles of each query (published since, if given)."""
    articles: list[int] = []
    for query in queries:
        articles += [hit.article_id for hit in repo.search(query, since=since, limit=SEARCH_HITS)]
    return set(repo.stories_of(articles).values()) if articles else set()
