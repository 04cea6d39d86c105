"""What a story page, an article page and related articles read, in a few statements.

Those pages asked the store about thirty small questions each (the story row, its alias, its
size, dates, breadth and brief one by one; an article's canonical, story link, head, vector,
brief; each related candidate's head, story and vector), and most of a request was the Python
around the statements, not the SQL: building, compiling and reading one costs a fraction of a
millisecond, the indexed lookup far less. The same answers are read here joined, each statement
built once with bind parameters (building a statement per call cost more than running it).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import (
    BindParameter,
    Select,
    bindparam,
    case,
    func,
    literal_column,
    null,
    nulls_last,
    select,
    union_all,
)

from newsdesk.errors import NotFoundError
from newsdesk.models import Brief, Sighting, StoredArticle
from newsdesk.store.articles import ArticleHead, ArticleRepo, _article
from newsdesk.store.brief_codec import decode_brief
from newsdesk.store.dialect import StoreDialect
from newsdesk.store.images import PictureRef, picture_shown
from newsdesk.store.schema import (
    article_entities,
    article_tags,
    article_vectors,
    articles,
    briefs,
    image_checks,
    sightings,
    stories,
    story_aliases,
    story_articles,
)
from newsdesk.store.tags import MAX_KEYS, SHORTLIST, _clean, candidates_query
from newsdesk.store.vectors import bytes_vector


@dataclass(frozen=True, slots=True)
class StoryHead:
    """A story (id or alias followed) as its page heads it: what the ranking keeps on its row
    (distinct publishers, earliest and latest dated coverage), its canonical article count
    and its brief (None: none yet)."""

    id: int
    title: str
    section: str | None
    nation: str | None
    articles: int
    sources: int
    first_seen: datetime | None
    last_seen: datetime | None
    brief: Brief | None


@dataclass(frozen=True, slots=True)
class ArticlePageRow:
    """An article with what its page shows beside it: its canonical (duplicate_of), its story
    (its own link, else its canonical's), the canonical's brief, its picture, and the
    canonical's tags and (name, type) entities, each sorted (as TagRepo.tags_of)."""

    article: StoredArticle
    duplicate_of: int | None
    story_id: int | None
    brief: Brief | None
    picture: PictureRef | None
    tags: list[str]
    entities: list[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class HeadWithVector:
    """An article head with its story (current id; None: in none) and its vector, if any."""

    head: ArticleHead
    story_id: int | None
    vector: np.ndarray | None


@dataclass(frozen=True, slots=True)
class RelatedStart:
    """Where related articles start from: the canonical of the article asked about, its
    story, its vector, and the ids a candidate must not be (it and its own canonical); with
    brief_keys, the hashtags and the names of the who's who of the canonical's brief (empty
    when it has none), what related candidates are looked up by."""

    canonical: HeadWithVector
    excluded: tuple[int, ...]
    tags: tuple[str, ...] = ()
    names: tuple[str, ...] = ()


_HEAD_COLUMNS = ("id", "title", "source", "url", "published", "created_at")  # ArticleHead's
_HEAD_WIDTH = len(_HEAD_COLUMNS)


def _head(row: Any) -> ArticleHead:
    """The head of a row whose first columns are _HEAD_COLUMNS, in order (a page reads dozens:
    by position, not by name)."""
    return ArticleHead(*row[:_HEAD_WIDTH])


def _brief(text: str | None) -> Brief | None:
    return None if text is None else decode_brief(text)


def _brief_keys(text: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A stored brief's hashtags and who's who names, read off its JSON (decoding the whole
    brief into its dataclasses for two lists cost more than the query); a brief that does not
    read so is decoded, which says what is wrong with it."""
    if text is None:
        return (), ()
    try:
        data = json.loads(text)
        tags = data.get("hashtags", [])
        names = [who["name"] for who in data.get("who", [])]
        if all(isinstance(v, str) for v in (*tags, *names)):
            return tuple(tags), tuple(names)
    except (ValueError, TypeError, KeyError, AttributeError):
        pass
    brief = decode_brief(text)
    return tuple(brief.hashtags), tuple(w.name for w in brief.who)


def _vector(data: bytes | None) -> np.ndarray | None:
    return None if data is None else bytes_vector(data)


class PageReadRepo(ArticleRepo):
    def story_head(self, story_id: int) -> StoryHead:
        """The story with this id or alias, in one statement; NotFoundError when none."""
        row = self._conn.execute(_story_head_query(), {"story_id": story_id}).first()
        if row is None:
            raise NotFoundError(f"store: no story with id {story_id}")
        return StoryHead(
            id=row.id,
            title=row.title,
            section=row.section,
            nation=row.nation,
            articles=int(row.canonical),
            sources=int(row.sources or 0),
            first_seen=row.dated_first,
            last_seen=row.dated_last,
            brief=_brief(row.brief_json),
        )

    def story_picture(self, story_id: int) -> PictureRef | None:
        """ImageRepo.story_pictures for one story (current id), by a statement built once:
        among its articles with a usable image, one the proxy has served first, then the
        earliest stored."""
        row = self._conn.execute(_story_picture_query(), {"story_id": story_id}).first()
        return None if row is None else PictureRef(row.id, row.image_alt)

    def article_page_row(self, article_id: int) -> ArticlePageRow:
        """The article with its sightings, its canonical's brief, tags and entities, its story
        and its picture, in two statements; NotFoundError when there is none."""
        row = self._conn.execute(_article_page_query(), {"article_id": article_id}).first()
        if row is None:
            raise NotFoundError(f"store: no article with id {article_id}")
        seen: list[Sighting] = []
        tags: list[str] = []
        entities: list[tuple[str, str]] = []
        for kind, key, source, url, title, published, seen_at, _ in self._conn.execute(
            _filed_under_query(), {"article_id": article_id}
        ):
            if kind == _SEEN:
                seen.append(Sighting(source, url, title, seen_at, published=published, ref=key))
            elif kind == _TAG:
                tags.append(key)
            else:
                entities.append((key, source))
        shown = row.image is not None and (row.image_ok is None or bool(row.image_ok))
        return ArticlePageRow(
            article=_article(row, seen),
            duplicate_of=row.duplicate_of,
            story_id=row.link_own if row.link_own is not None else row.link_canonical,
            brief=_brief(row.brief_json),
            picture=PictureRef(row.id, row.image_alt) if shown else None,
            tags=tags,
            entities=entities,
        )

    def related_start(self, article_id: int, *, brief_keys: bool = False) -> RelatedStart:
        """The canonical of the article (itself, or what it duplicates) with its story and
        vector (and with brief_keys, its brief's hashtags and names), in one statement;
        NotFoundError when there is no such article."""
        query = _related_start_query(brief_keys)
        row = self._conn.execute(query, {"article_id": article_id}).first()
        if row is None:
            raise NotFoundError(f"store: no article with id {article_id}")
        head = _head(row)
        story_id = row.story_id
        if row.canonical_of is not None:  # a chain of duplicates: its story through the link
            story_id = self.story_link_of(head.id)
        excluded = (head.id,) if row.canonical_of is None else (head.id, row.canonical_of)
        tags, names = _brief_keys(row.brief_json) if brief_keys else ((), ())
        return RelatedStart(
            HeadWithVector(head, story_id, _vector(row.vector)), excluded, tags, names
        )

    def story_link_of(self, article_id: int) -> int | None:
        """The story of the article's link, else of its canonical's (as StoryLinkRepo.story_of)."""
        canonical = self.duplicate_of(article_id)
        holders = [article_id] if canonical is None else [article_id, canonical]
        query = select(story_articles.c.article_id, story_articles.c.story_id).where(
            story_articles.c.article_id.in_(holders)
        )
        found = {row.article_id: row.story_id for row in self._conn.execute(query)}
        return next((found[h] for h in holders if h in found), None)

    def members_with_vectors(self, story_id: int) -> list[HeadWithVector]:
        """The canonical articles of a story (current id) with their vectors, one statement."""
        rows = self._conn.execute(_members_query(), {"story_id": story_id})
        return [HeadWithVector(_head(row), story_id, _vector(row.vector)) for row in rows]

    def related_candidates_with_heads(
        self,
        start: RelatedStart,
        *,
        tags: Sequence[str],
        entities: Sequence[str],
        limit: int = 50,
    ) -> list[tuple[HeadWithVector, int]]:
        """TagRepo.related_candidates for the start's canonical, each with its head, story
        and vector: (candidate, shared tags + names), in one statement."""
        tags, names = _clean(tags)[:MAX_KEYS], _clean(entities)[:MAX_KEYS]
        if not (tags or names) or limit <= 0:
            return []
        params: dict[str, object] = {"article_id": start.canonical.head.id, "limit": limit}
        params["shortlist"] = SHORTLIST * limit
        params["excluded"] = start.excluded[0]
        params["excluded_too"] = start.excluded[-1]
        params.update(self._dialect.key_params("tags", tags, MAX_KEYS))
        params.update(self._dialect.key_params("names", names, MAX_KEYS))
        rows = self._conn.execute(_candidates_with_heads_query(self._dialect), params)
        return [
            (HeadWithVector(_head(row), row.story_id, _vector(row.vector)), int(row.overlap))
            for row in rows
        ]


@functools.cache
def _story_head_query() -> Select[Any]:
    wanted: BindParameter[int] = bindparam("story_id")
    alias_of = (
        select(story_aliases.c.story_id).where(story_aliases.c.old_id == wanted).scalar_subquery()
    )
    canonical = (
        select(func.count())
        .select_from(story_articles.join(articles, articles.c.id == story_articles.c.article_id))
        .where(story_articles.c.story_id == stories.c.id, articles.c.duplicate_of.is_(None))
        .scalar_subquery()
    )
    return (
        select(
            stories.c.id,
            stories.c.title,
            stories.c.section,
            stories.c.nation,
            stories.c.sources,
            stories.c.dated_first,
            stories.c.dated_last,
            canonical.label("canonical"),
            briefs.c.json.label("brief_json"),
        )
        .select_from(stories.outerjoin(briefs, briefs.c.story_id == stories.c.id))
        .where(stories.c.id == func.coalesce(alias_of, wanted))
    )


@functools.cache
def _story_picture_query() -> Select[Any]:
    served_first = case((image_checks.c.ok.is_(None), 1), else_=0)
    joined = story_articles.join(articles, articles.c.id == story_articles.c.article_id).outerjoin(
        image_checks, image_checks.c.article_id == articles.c.id
    )
    return (
        select(articles.c.id, articles.c.image_alt)
        .select_from(joined)
        .where(story_articles.c.story_id == bindparam("story_id"), picture_shown())
        .order_by(served_first, articles.c.id)
        .limit(1)
    )


_SEEN, _TAG, _ENTITY = "1", "2", "3"  # the kinds of _filed_under_query's rows, in its order


@functools.cache
def _filed_under_query() -> Select[Any]:
    """An article's sightings (by seen_at, id), then its canonical's tags (sorted) and entities
    (by name, type), as rows (kind, key, source, url, title, published, seen_at, id) in one
    statement (three statements were three round trips and most of an API answer's Python).
    A tag row holds the tag in key; an entity row its name in key and its type in source."""
    wanted: BindParameter[int] = bindparam("article_id")
    canonical = (
        select(func.coalesce(articles.c.duplicate_of, articles.c.id))
        .where(articles.c.id == wanted)
        .scalar_subquery()
    )
    seen = select(
        literal_column(f"'{_SEEN}'").label("kind"),
        sightings.c.ref.label("key"),
        sightings.c.source,
        sightings.c.url,
        sightings.c.title,
        sightings.c.published,
        sightings.c.seen_at,
        sightings.c.id,
    ).where(sightings.c.article_id == wanted)
    blanks = [null()] * 6  # an entity's type fills the first
    tagged = select(literal_column(f"'{_TAG}'"), article_tags.c.tag, *blanks)
    named = select(
        literal_column(f"'{_ENTITY}'"), article_entities.c.name, article_entities.c.type
    ).add_columns(*blanks[1:])
    tagged = tagged.where(article_tags.c.article_id == canonical)
    named = named.where(article_entities.c.article_id == canonical)
    both = union_all(seen, tagged, named).subquery()
    return select(both).order_by(both.c.kind, both.c.seen_at, both.c.id, both.c.key, both.c.source)


@functools.cache
def _article_page_query() -> Select[Any]:
    own = story_articles.alias("own_link")
    canonical = story_articles.alias("canonical_link")
    holder = func.coalesce(articles.c.duplicate_of, articles.c.id)
    joined = (
        articles.outerjoin(briefs, briefs.c.article_id == holder)
        .outerjoin(own, own.c.article_id == articles.c.id)
        .outerjoin(canonical, canonical.c.article_id == articles.c.duplicate_of)
        .outerjoin(image_checks, image_checks.c.article_id == articles.c.id)
    )
    return (
        select(
            articles,
            briefs.c.json.label("brief_json"),
            own.c.story_id.label("link_own"),
            canonical.c.story_id.label("link_canonical"),
            image_checks.c.ok.label("image_ok"),
        )
        .select_from(joined)
        .where(articles.c.id == bindparam("article_id"))
    )


@functools.cache
def _related_start_query(with_brief: bool) -> Select[Any]:
    asked = articles.alias("asked")
    head = articles
    joined = (
        asked.join(head, head.c.id == func.coalesce(asked.c.duplicate_of, asked.c.id))
        .outerjoin(story_articles, story_articles.c.article_id == head.c.id)
        .outerjoin(article_vectors, article_vectors.c.article_id == head.c.id)
    )
    if with_brief:
        joined = joined.outerjoin(briefs, briefs.c.article_id == head.c.id)
    return (
        select(
            *(head.c[name] for name in _HEAD_COLUMNS),
            head.c.duplicate_of.label("canonical_of"),
            story_articles.c.story_id,
            article_vectors.c.vector,
            *([briefs.c.json.label("brief_json")] if with_brief else []),
        )
        .select_from(joined)
        .where(asked.c.id == bindparam("article_id"))
    )


@functools.cache
def _members_query() -> Select[Any]:
    joined = story_articles.join(articles, articles.c.id == story_articles.c.article_id).outerjoin(
        article_vectors, article_vectors.c.article_id == articles.c.id
    )
    return (
        select(*(articles.c[name] for name in _HEAD_COLUMNS), article_vectors.c.vector)
        .select_from(joined)
        .where(
            story_articles.c.story_id == bindparam("story_id"), articles.c.duplicate_of.is_(None)
        )
    )


@functools.cache
def _candidates_with_heads_query(dialect: StoreDialect) -> Select[Any]:
    found = candidates_query(dialect).subquery("found")
    joined = (
        found.join(articles, articles.c.id == found.c.article_id)
        .outerjoin(story_articles, story_articles.c.article_id == found.c.article_id)
        .outerjoin(article_vectors, article_vectors.c.article_id == found.c.article_id)
    )
    return (
        select(
            *(articles.c[name] for name in _HEAD_COLUMNS),
            found.c.overlap,
            story_articles.c.story_id,
            article_vectors.c.vector,
        )
        .select_from(joined)
        # The candidates' own order (a join need not keep a subquery's).
        .order_by(found.c.overlap.desc(), nulls_last(articles.c.published.desc()), articles.c.id)
    )


__all__ = [
    "ArticlePageRow",
    "HeadWithVector",
    "PageReadRepo",
    "RelatedStart",
    "StoryHead",
]
