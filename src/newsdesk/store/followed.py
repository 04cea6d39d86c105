"""Stories that match what a reader follows or mutes, and those stories ranked like the front page.

A key is (kind, value) of personal_tables.FOLLOW_KINDS, matched on what the store indexes: a
person, organization or place on article_entities.name, a tag on article_tags.tag, a source on
articles.source (near-duplicates count: a copy is coverage), a section on stories.section or
stories.nation. A search is not matched here: full-text search is SearchRepo's, and the read
model (newsdesk.read.for_you) turns a query's hits into stories itself.

A story matches a key when any of its articles does. Each key contributes the stories of its
PER_KEY latest articles (latest stories for a section), read from the (key, article_id) indexes:
a followed "United States" is named by tens of thousands of articles, and what a reader follows
is wanted for what is new.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import (
    Select,
    bindparam,
    func,
    nulls_last,
    or_,
    select,
    union,
)

from newsdesk.dates import utcnow
from newsdesk.store.schema import (
    article_entities,
    article_tags,
    articles,
    stories,
    story_articles,
)
from newsdesk.store.stories import (
    FRESH_BONUS,
    RANKED_COLUMNS,
    StoryRepo,
    StorySummary,
    summary_of,
)
from newsdesk.store.timestamps import UTCDateTime

ENTITY_KINDS = frozenset({"person", "organization", "place"})
MATCHED_KINDS = ENTITY_KINDS | {"tag", "section", "source"}  # all but "search"
PER_KEY = 200  # latest articles (or stories, for a section) read per followed key
MAX_KEYS = 200  # keys asked about at once; a reader following more sees the first ones
MAX_RANKED = 5000  # candidate stories ranked at once


def tag_names(tag: str) -> list[str]:
    """The spellings a tag is stored under ("#Ukraine" or "Ukraine"), as the tag page reads."""
    bare = tag.strip().lstrip("#")
    return ["#" + bare, bare]


class FollowedStoryRepo(StoryRepo):
    def stories_matching(
        self, keys: Iterable[tuple[str, str]], *, per_key: int = PER_KEY
    ) -> set[int]:
        """Current ids of the stories of each key's per_key latest articles (section: latest
        stories); keys of kind "search" or unknown kinds are ignored."""
        parts = [_key_stories(kind, value, per_key) for kind, value in _usable(keys)]
        if not parts:
            return set()
        found = union(*parts).subquery("found")
        return set(self._conn.execute(select(found.c.story_id)).scalars())

    def stories_matching_among(
        self, keys: Iterable[tuple[str, str]], story_ids: Sequence[int]
    ) -> set[int]:
        """Which of these current story ids match any key (for mutes): one query per kind.

        Each query looks the keys up for the stories' own articles only, named by a subquery
        (the index on story_articles.story_id): joined instead, SQLite starts from the key and
        walks every article of a common tag (17 ms for "#Tag0" on one page of stories at
        100,000 articles, against 0.6 ms; benchmarks/for_you_scale.py)."""
        ids = list(dict.fromkeys(story_ids))[:MAX_RANKED]
        usable = _usable(keys)
        if not ids or not usable:
            return set()
        entities = [v for k, v in usable if k in ENTITY_KINDS]
        tags = [name for k, v in usable if k == "tag" for name in tag_names(v)]
        sources = [v for k, v in usable if k == "source"]
        sections = [v for k, v in usable if k == "section"]
        members = select(story_articles.c.article_id).where(story_articles.c.story_id.in_(ids))
        matched: list[Select[int]] = []
        if entities:
            key = article_entities.c
            matched.append(
                select(key.article_id).where(key.name.in_(entities), key.article_id.in_(members))
            )
        if tags:
            matched.append(
                select(article_tags.c.article_id).where(
                    article_tags.c.tag.in_(tags), article_tags.c.article_id.in_(members)
                )
            )
        if sources:
            matched.append(
                select(articles.c.id).where(
                    articles.c.source.in_(sources), articles.c.id.in_(members)
                )
            )
        found: set[int] = set()
        for query in matched:
            story = select(story_articles.c.story_id).where(story_articles.c.article_id.in_(query))
            found.update(self._conn.execute(story.distinct()).scalars())
        if sources:  # a near-duplicate of a member, by a muted source (copies are few)
            copies = select(articles.c.duplicate_of, articles.c.source).where(
                articles.c.duplicate_of.in_(members)
            )
            copied = [
                row.duplicate_of for row in self._conn.execute(copies) if row.source in sources
            ]
            found.update(self._stories_of_members(copied))
        if sections:
            query = select(stories.c.id).where(
                stories.c.id.in_(ids),
                or_(stories.c.section.in_(sections), stories.c.nation.in_(sections)),
            )
            found.update(self._conn.execute(query).scalars())
        return found

    def _stories_of_members(self, article_ids: list[int]) -> set[int]:
        """The stories these (canonical, linked) articles are members of."""
        if not article_ids:
            return set()
        query = select(story_articles.c.story_id).where(
            story_articles.c.article_id.in_(list(dict.fromkeys(article_ids)))
        )
        return set(self._conn.execute(query.distinct()).scalars())

    def rank_stories(
        self,
        story_ids: Iterable[int],
        *,
        limit: int = 20,
        offset: int = 0,
        now: datetime | None = None,
        since: datetime | None = None,
    ) -> list[StorySummary]:
        """These current story ids ranked as list_stories ranks the front page (distinct
        publishers + the freshness bonus), [offset, offset + limit); since keeps the stories
        whose latest dated coverage is at or after it."""
        ids = list(dict.fromkeys(story_ids))[:MAX_RANKED]
        if not ids or limit <= 0:
            return []
        ranked_at = now or utcnow()
        last = stories.c.dated_last
        # list_stories' score: its stale rows score their breadth, which this is for them too
        # (the bonus is 0 past FRESH_DAYS and for undated coverage).
        score = stories.c.sources + FRESH_BONUS * self._freshness(last, ranked_at)
        query = select(*RANKED_COLUMNS, score.label("score")).where(stories.c.id.in_(ids))
        if since is not None:
            query = query.where(last >= bindparam("since", since, UTCDateTime))
        query = (
            query.order_by(
                score.desc(), stories.c.sources.desc(), nulls_last(last.desc()), stories.c.id
            )
            .limit(limit)
            .offset(max(0, offset))
        )
        return [summary_of(row) for row in self._conn.execute(query)]


def _usable(keys: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    wanted = dict.fromkeys((k, v.strip()) for k, v in keys if k in MATCHED_KINDS and v.strip())
    return list(wanted)[:MAX_KEYS]


def _key_stories(kind: str, value: str, per_key: int) -> Select[int]:
    """story_id of the key's per_key latest articles (section: its latest stories)."""
    if kind == "section":
        latest = (
            select(stories.c.id.label("story_id"))
            .where(or_(stories.c.section == value, stories.c.nation == value))
            .order_by(nulls_last(stories.c.dated_last.desc()), stories.c.id.desc())
            .limit(per_key)
            .subquery()
        )
        return select(latest.c.story_id)
    if kind == "source":
        # A copy's story is its canonical's: articles_by_source reads canonical ids too.
        canonical = func.coalesce(articles.c.duplicate_of, articles.c.id)
        recent = (
            select(canonical.label("article_id"))
            .where(articles.c.source == value)
            .order_by(articles.c.id.desc())
            .limit(per_key)
            .subquery()
        )
    elif kind == "tag":
        # One index range per spelling ("#Ukraine", "Ukraine"): an IN over both sorted all
        # the postings of a common tag.
        spellings = [
            select(article_tags.c.article_id)
            .where(article_tags.c.tag == name)
            .order_by(article_tags.c.article_id.desc())
            .limit(per_key)
            .subquery()
            for name in tag_names(value)
        ]
        recent = union(*(select(sub.c.article_id) for sub in spellings)).subquery()
    else:
        recent = (
            select(article_entities.c.article_id)
            .where(article_entities.c.name == value)
            .order_by(article_entities.c.article_id.desc())
            .limit(per_key)
            .subquery()
        )
    return select(story_articles.c.story_id).join(
        recent, recent.c.article_id == story_articles.c.article_id
    )
