"""The plain dataclasses that flow between the stages. No I/O lives here.

sources -> Item / ParsedFeed / FeedRef
fetch   -> Fetched
extract -> Extracted
dedup   -> Fingerprint
store   -> StoredArticle, Sighting, SearchHit, SourceRecord
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Status(StrEnum):
    """What ingest did with one item (IngestReport counts by it; the values are its JSON keys'
    source and the words the CLI prints)."""

    NEW = "new"  # stored as a new canonical article
    DUPLICATE = "duplicate"  # same URL or text as a stored article: kept as a sighting of it
    NEAR_DUPLICATE = "near-duplicate"  # nearly the same text: its own row, linked to the canonical
    UNCHANGED = "unchanged"  # seen before at this very place: nothing to do
    FAILED = "failed"  # could not be read or stored: see the report's failures


@dataclass(frozen=True, slots=True)
class Fetched:
    """One HTTP response, read under the fetcher's caps."""

    url: str  # the URL asked for
    final_url: str  # after redirects
    status: int
    content: bytes  # decoded from gzip/deflate/brotli, never over the byte cap
    content_type: str  # media type without parameters, lower case ("" when absent)
    charset: str | None  # from the Content-Type header, if any
    etag: str | None
    last_modified: str | None
    fetched_at: datetime  # timezone-aware UTC
    not_modified: bool = False  # a 304 answer to a conditional GET: content is empty


@dataclass(frozen=True, slots=True)
class Item:
    """One candidate article as a source gives it, before extraction.

    A feed entry has `summary` (sanitized HTML) and maybe `html` (full content:encoded);
    a page has `html`; a JSONL record or a plain-text page has `text`.
    """

    url: str | None
    source: str  # the publisher's name as shown to readers ("CNN", a feed's title)
    title: str | None = None
    html: str | None = None
    text: str | None = None
    summary: str | None = None
    published: datetime | None = None  # timezone-aware, or None
    lang: str | None = None
    byline: str | None = None
    external_id: str | None = None
    source_url: str | None = None  # the feed or page this item came from
    image: str | None = None
    # "31 minutes ago" on a captured page, resolved against the page's own capture time.
    published_approx: bool = False


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed after parsing: its own metadata, its items, and what was wrong with it."""

    format: str  # "rss20", "rss10", "rss09x", "atom10", "atom03", "json10", "json11", ...
    title: str | None
    site_url: str | None
    items: tuple[Item, ...]
    warnings: tuple[str, ...] = ()  # recoverable problems, one readable line each


@dataclass(frozen=True, slots=True)
class FeedRef:
    """A subscription: one outline of an OPML list, or a discovered feed."""

    xml_url: str
    title: str | None = None
    html_url: str | None = None
    category: str | None = None


@dataclass(frozen=True, slots=True)
class OpmlResult:
    feeds: tuple[FeedRef, ...]
    errors: tuple[str, ...] = ()  # outlines or parts that could not be read


@dataclass(frozen=True, slots=True)
class Extracted:
    """The clean article, as the extract stage returns it."""

    title: str
    text: str  # paragraphs separated by a blank line
    url: str | None = None
    canonical_url: str | None = None
    byline: str | None = None
    published: datetime | None = None  # timezone-aware, or None
    lang: str | None = None
    site_name: str | None = None
    image: str | None = None
    description: str | None = None
    html: str | None = None  # main content HTML, sanitized with an allowlist
    image_alt: str | None = None  # the page's words for its lead image
    modified: datetime | None = None  # the page's declared last change, only when after published


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What dedup needs to recognise an article again."""

    content_hash: str  # hex digest of the normalized text
    signature: bytes  # MinHash hash values, packed uint32 little-endian
    band_keys: tuple[bytes, ...]  # one LSH bucket key per band


@dataclass(frozen=True, slots=True)
class Sighting:
    """One place an article was published: kept for the canonical and for every duplicate."""

    source: str
    url: str | None
    title: str | None
    seen_at: datetime
    published: datetime | None = None
    # A stable identity of the place it was seen: the canonical URL when there is one,
    # otherwise "<origin>#<position>" (a card on an aggregator page). Unique per article.
    ref: str | None = None


@dataclass(frozen=True, slots=True)
class NewArticle:
    """An article ready to be stored: extracted, canonicalized, fingerprinted."""

    source: str
    title: str
    text: str
    fingerprint: Fingerprint
    url: str | None = None
    canonical_url: str | None = None
    byline: str | None = None
    published: datetime | None = None
    lang: str | None = None
    external_id: str | None = None
    site_name: str | None = None
    image: str | None = None
    seen_at: datetime | None = None
    modified: datetime | None = None
    published_approx: bool = False
    image_alt: str | None = None


@dataclass(frozen=True, slots=True)
class StoredArticle:
    id: int
    source: str
    title: str
    text: str
    url: str | None
    canonical_url: str | None
    byline: str | None
    published: datetime | None
    lang: str | None
    external_id: str | None
    site_name: str | None
    image: str | None
    created_at: datetime  # when the store took it in: never shown as a publication time
    sightings: tuple[Sighting, ...] = field(default=())
    modified: datetime | None = None  # declared by the page, after published
    published_approx: bool = False  # resolved from a relative time against the page's capture


@dataclass(frozen=True, slots=True)
class SearchHit:
    article_id: int
    title: str
    source: str
    published: datetime | None
    lang: str | None
    snippet: str  # plain text with the matched terms wrapped in [ and ]
    rank: float


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """A subscribed source and its polling state."""

    id: int
    url: str
    kind: str  # "feed" or "page"
    title: str | None
    site_url: str | None
    category: str | None
    etag: str | None
    last_modified: str | None
    last_polled: datetime | None
    next_check: datetime | None
    error_count: int
    last_error: str | None


# -- the brief: what enrich writes for an article or a story -----------------------------------


@dataclass(frozen=True, slots=True)
class Cite:
    """A pointer to the sentence a statement came from."""

    sentence: int  # index into the article's Brief.sentences
    article_id: int | None = None  # None inside the brief of one article


@dataclass(frozen=True, slots=True)
class Line:
    """One sentence or bullet of a brief, with the sentences it came from."""

    text: str
    cites: tuple[Cite, ...] = ()


@dataclass(frozen=True, slots=True)
class EntityMention:
    """One mention of a named entity in the article text (character offsets)."""

    text: str
    type: str  # PERSON, ORG, PLACE (GPE/LOC/FAC), NORP, EVENT, DATE, ...
    canonical: str  # the mention merged to one name: "Umerov" -> "Rustem Umerov"
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class WhoEntry:
    """Who's who: one person, organisation or place, with its role when the text gives it."""

    name: str
    type: str  # PERSON, ORG or PLACE
    role: str | None = None
    mentions: int = 1
    cites: tuple[Cite, ...] = ()


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    speaker: str | None  # a named person or organisation; None when it cannot be resolved
    cites: tuple[Cite, ...] = ()


@dataclass(frozen=True, slots=True)
class Figure:
    """A number and what it counts: "1,000" "prisoners of war" "... in each group"."""

    value: str
    unit: str | None
    what: str
    cites: tuple[Cite, ...] = ()


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    when: str  # ISO date (or datetime) the event happened
    text: str
    cites: tuple[Cite, ...] = ()


@dataclass(frozen=True, slots=True)
class SourceAngle:
    """What one source reports that no other source in the story does."""

    source: str
    lines: tuple[Line, ...] = ()


@dataclass(frozen=True, slots=True)
class Teaser:
    """What a list shows of a brief: its lead (first summary lines) and its hashtags."""

    lead: str = ""
    hashtags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Brief:
    """The desk's brief of an article or a story. Every statement cites its sentences."""

    lang: str | None
    available: bool = True  # False when no language model covers lang: see note
    note: str | None = None  # e.g. "not available for de"
    sentences: tuple[str, ...] = ()  # an article brief: the sentences citations index into
    summary: tuple[Line, ...] = ()
    key_points: tuple[Line, ...] = ()
    entities: tuple[EntityMention, ...] = ()
    who: tuple[WhoEntry, ...] = ()
    quotes: tuple[Quote, ...] = ()
    figures: tuple[Figure, ...] = ()
    hashtags: tuple[str, ...] = ()  # CamelCase with "#": "#PrisonerExchange"
    timeline: tuple[TimelineEvent, ...] = ()  # stories
    angles: tuple[SourceAngle, ...] = ()  # stories

    def teaser(self, lines: int = 2) -> Teaser:
        """Its lead (the first summary lines, else key points) and hashtags, as lists show it;
        store.brief_codec.decode_teaser reads the same from the stored JSON."""
        if not self.available:
            return Teaser()
        first = self.summary or self.key_points
        return Teaser(" ".join(line.text for line in first[:lines]), self.hashtags)
