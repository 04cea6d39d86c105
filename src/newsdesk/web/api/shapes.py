"""What the API answers: the body of every /api/v1 operation, declared for OpenAPI, and the
bodies built from the read models (newsdesk.read), the same dicts the CLI's --json prints.

A story, an article, their cards and a feed are declared by the read models themselves (the
frozen dataclasses of read/shapes.py: a route's `response_model=read.Story`, or nested in the
list models below), so the schema a client reads and the JSON it gets come from one class. The
other bodies (search hits, tags, entities, related articles, comments, answers) are small dicts
built by serialize and the routes; their models here say what those dicts hold. tests/web/api
checks every body against its declared schema, key for key.

A route declares its model with `response_model=` and returns `shaped(body)`: the body is
already in its JSON shape, dicts and lists that may hold the read models themselves, written by
orjson as read.to_json writes them (fields in order, times as "+00:00", tuples as lists); FastAPI
neither validates it nor converts it again: that would cost more than building it, and would
write UTC as "Z".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

import orjson
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from newsdesk import read
from newsdesk.models import Line

Item = TypeVar("Item")
NEXT = "The URL of the following page; null on the last."


class Page(BaseModel, Generic[Item]):
    """One page of a list that knows its length: {items, limit, offset, total, next}."""

    items: list[Item]
    limit: int
    offset: int
    total: int = Field(description="Items in the whole list, counted up to 10,000.")
    total_exact: bool = Field(
        description="False when the list holds more than total (the count stopped at 10,000)."
    )
    next: str | None = Field(description=NEXT)


class OpenPage(BaseModel, Generic[Item]):
    """One page of a list that does not count itself: {items, limit, offset, next}."""

    items: list[Item]
    limit: int
    offset: int
    next: str | None = Field(description=NEXT)


# -- lists of read models (a story, an article and a feed are declared by read.Story,
# read.Article and read.Feed themselves) ----------------------------------------------------


class StoryList(Page[read.StoryCard]):
    """Top stories, as cards (read.StoryCard)."""


class ArticleList(Page[read.ArticleCard]):
    """Articles, newest first, as cards (read.ArticleCard)."""


class FeedList(BaseModel):
    """Every subscribed feed and page (read.Feed)."""

    items: list[read.Feed]


# -- the other bodies ----------------------------------------------------------------------------


class SearchHit(BaseModel):
    """A matching canonical article (serialize.hit_dict)."""

    id: int
    title: str
    source: str
    published: datetime | None
    lang: str | None
    snippet: str = Field(description="Plain text with the matched words in [ and ].")
    rank: float = Field(description="Higher is better.")


class TagCount(BaseModel):
    tag: str
    articles: int


class TagList(Page[TagCount]):
    """Tags, most used first."""


class EntityCount(BaseModel):
    name: str
    type: str = Field(description="PERSON, ORG, PLACE, ...")
    articles: int


class EntityList(OpenPage[EntityCount]):
    """Named entities, most mentioned first."""


class RelatedArticle(BaseModel):
    """An article related to another (serialize.related_dict)."""

    id: int
    title: str
    source: str
    url: str | None
    published: datetime | None
    when: str = Field(description='When it was published, in words: "3 hours ago".')
    kind: Literal["coverage", "related"] = Field(
        description="coverage: the same story; related: another story."
    )
    story_id: int | None


class RelatedList(BaseModel):
    items: list[RelatedArticle]


class Comment(BaseModel):
    """A comment or a reply; a deleted one keeps its place with no user or body, a hidden one
    keeps its user."""

    id: int
    kind: Literal["article", "story"]
    target_id: int
    parent_id: int | None
    user: str | None
    body: str | None = Field(description="The Markdown as written.")
    html: str | None = Field(description="The Markdown rendered, then allowlist-sanitized.")
    created_at: datetime
    edited_at: datetime | None
    hidden: bool
    deleted: bool


class CommentList(BaseModel):
    """Comments, oldest first."""

    items: list[Comment]


class Answer(BaseModel):
    """An answer from the coverage; each line cites the sentences it came from."""

    question: str
    found: bool = Field(description="False when nothing in the coverage supports an answer.")
    text: str
    lines: list[Line]


# -- bodies --------------------------------------------------------------------------------------


class _Shaped(JSONResponse):
    """A JSON answer written by orjson: dataclasses, datetimes and tuples in C, as read.to_json
    and the JSON encoder would write them (converting in Python, then encoding, was a tenth of
    an API article's time)."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


def shaped(
    body: Any, status_code: int = 200, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """The answer of a route whose body is already in its declared JSON shape: sent as it is
    (a read model in it written as read.to_json writes it)."""
    return _Shaped(body, status_code, headers)
