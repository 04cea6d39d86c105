"""The read models: plain frozen dataclasses, the one shape of each noun a reader is shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from newsdesk.models import Brief


@dataclass(frozen=True, slots=True)
class Picture:
    """A lead image as this site serves it (read.pictures): src on cards, large_src on pages;
    alt is "" when the page gave no words for it (the headline beside it says what it is)."""

    article_id: int
    alt: str
    src: str
    width: int
    height: int
    large_src: str
    large_width: int
    large_height: int


@dataclass(frozen=True, slots=True)
class StoryCard:
    """A story on a list (front page, API list, CLI `stories`, an entity's stories).

    articles counts the canonical articles of the story, as its page does; sources counts
    distinct publishers, near-duplicates included (the ranking's breadth), and publishers
    names them, the first to report it first; first_seen and last_seen are its earliest and
    latest dated coverage (None: all undated); section and nation are the story's sections."""

    id: int
    title: str
    summary: str
    articles: int
    sources: int
    hashtags: tuple[str, ...]
    first_seen: datetime | None
    last_seen: datetime | None
    publishers: tuple[str, ...] = ()
    picture: Picture | None = None
    section: str | None = None  # World, Politics, ... (None: not yet classified)
    nation: str | None = None  # the country of its coverage, when most of it is one


@dataclass(frozen=True, slots=True)
class CoverageItem:
    """One canonical article of a story, with why it belongs (the clustering's reason)."""

    id: int
    source: str
    title: str
    url: str | None
    published: datetime | None
    published_approx: bool
    modified: datetime | None
    lang: str | None
    why: str
    similarity: float


@dataclass(frozen=True, slots=True)
class CoveragePage:
    """One page of a story's coverage, oldest first (undated last); next_offset is the offset
    of the following page, None on the last."""

    items: tuple[CoverageItem, ...]
    total: int
    offset: int
    limit: int
    next_offset: int | None


@dataclass(frozen=True, slots=True)
class Story:
    """A story: its brief (made from all its coverage) and one page of that coverage."""

    id: int
    title: str
    articles: int
    sources: int
    first_seen: datetime | None
    last_seen: datetime | None
    brief: Brief | None
    coverage: CoveragePage
    picture: Picture | None = None
    section: str | None = None
    nation: str | None = None


@dataclass(frozen=True, slots=True)
class ArticleCard:
    """An article on a list: no text, no sightings."""

    id: int
    title: str
    source: str
    url: str | None
    published: datetime | None
    published_approx: bool
    modified: datetime | None
    lang: str | None
    picture: Picture | None = None


@dataclass(frozen=True, slots=True)
class Seen:
    """One place an article was published (a sighting)."""

    source: str
    url: str | None
    title: str | None
    published: datetime | None
    seen_at: datetime | None


@dataclass(frozen=True, slots=True)
class Article:
    """An article with everywhere it was seen, its story, tags, entities and brief.

    A near-duplicate keeps its own text and names its canonical in duplicate_of; its story,
    tags, entities and brief are its canonical's."""

    id: int
    external_id: str | None
    url: str | None
    source: str
    title: str
    byline: str | None
    published: datetime | None
    published_approx: bool
    modified: datetime | None
    lang: str | None
    text: str
    duplicate_of: int | None
    story_id: int | None
    sightings: tuple[Seen, ...]
    tags: tuple[str, ...]
    entities: tuple[tuple[str, str], ...]  # (name, type)
    brief: Brief | None
    picture: Picture | None = None


@dataclass(frozen=True, slots=True)
class Feed:
    """A subscribed feed or page with its polling state."""

    id: int
    url: str
    kind: str
    title: str | None
    site_url: str | None
    category: str | None
    last_polled: datetime | None
    next_check: datetime | None
    error_count: int
    last_error: str | None


@dataclass(frozen=True, slots=True)
class Source:
    """A publisher: its canonical articles (one page, newest first) and the feeds named so."""

    name: str
    articles: int
    feeds: tuple[Feed, ...]
    items: tuple[ArticleCard, ...]
    offset: int
    limit: int
    next_offset: int | None
