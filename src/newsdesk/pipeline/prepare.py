"""The store-free half of ingest: extract, canonicalize and fingerprint one job.

It runs in worker processes, so everything here is pure and picklable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from newsdesk.errors import ExtractionError, NewsdeskError
from newsdesk.models import Item, NewArticle, Sighting
from newsdesk.publishers import publisher_name
from newsdesk.sanitize import html_to_text, normalize_space, one_line

# The extractor and MinHash load in the processes that prepare jobs, on first use: the
# composition root imports this module for every command, most of which never prepare a page.
if TYPE_CHECKING:
    from newsdesk.dedup import Deduper

TITLE_FROM_TEXT_CHARS = 140
MIN_WORDS_FOR_LANGUAGE = 8  # fewer words than this: trust the declared language


@dataclass(frozen=True, slots=True)
class PageJob:
    """A whole HTML page to extract."""

    content: bytes | str
    url: str | None
    seen_at: datetime
    source: str | None = None  # a claimed name (a feed's title); see newsdesk.publishers
    ref: str | None = None  # identity when the page has no URL (a local file)
    charset: str | None = None


@dataclass(frozen=True, slots=True)
class ItemJob:
    """An item that already carries its text (feed entry, JSONL record, text-page card)."""

    item: Item
    seen_at: datetime
    ref: str | None = None  # identity when the item has no URL: "<origin>#<position>"


Job = PageJob | ItemJob


@dataclass(frozen=True, slots=True)
class Prepared:
    article: NewArticle
    sighting: Sighting


@dataclass(frozen=True, slots=True)
class Failed:
    label: str  # what failed: a URL, file or ref
    error: str  # one line


@dataclass(frozen=True, slots=True)
class Preparer:
    """Turns jobs into Prepared articles; picklable, builds its Deduper lazily per process."""

    threshold: float = 0.35
    num_perm: int = 128
    shingle_size: int = 3

    def deduper(self) -> Deduper:
        return _deduper(self.threshold, self.num_perm, self.shingle_size)

    def __call__(self, job: Job) -> Prepared | Failed:
        try:
            if isinstance(job, PageJob):
                return self._page(job)
            return self._item(job)
        except NewsdeskError as exc:
            return Failed(label=job_label(job), error=str(exc))

    def _page(self, job: PageJob) -> Prepared:
        from newsdesk.dedup import canonicalize_url
        from newsdesk.extract import extract_article
        from newsdesk.sources.links import safe_url

        content = job.content
        if isinstance(content, bytes) and job.charset:
            content = content.decode(job.charset, errors="replace")
        ext = extract_article(content, job.url)
        url = job.url or ext.url
        canonical = canonicalize_url(url, canonical=ext.canonical_url) if url else None
        # A local file has no URL: its own canonical link says where it was published.
        named = url or ext.canonical_url
        source = publisher_name(named, (ext.site_name, job.source), title=ext.title) or "unknown"
        image = safe_url(ext.image)  # the one URL gate, as a feed item's image passed it
        article = NewArticle(
            source=source,
            title=ext.title,
            text=ext.text,
            fingerprint=self.deduper().fingerprint(ext.text, ext.title),
            url=url,
            canonical_url=canonical,
            byline=ext.byline,
            published=ext.published,
            lang=ext.lang,
            site_name=ext.site_name,
            image=image,
            image_alt=ext.image_alt if image else None,
            seen_at=job.seen_at,
            modified=ext.modified,
        )
        return Prepared(article, _sighting(article, job.ref, job.seen_at))

    def _item(self, job: ItemJob) -> Prepared:
        from newsdesk.dedup import canonicalize_url

        item = job.item
        text = _item_text(item)
        title = one_line(item.title) or _title_from(text)
        if not text and not title:
            raise ExtractionError(f"extract: {job_label(job)}: the item has neither title nor text")
        text = text or title or ""
        canonical = canonicalize_url(item.url) if item.url else None
        article = NewArticle(
            source=publisher_name(item.url, (item.source,), title=title) or "unknown",
            title=title or "",
            text=text,
            fingerprint=self.deduper().fingerprint(text, title),
            url=item.url,
            canonical_url=canonical,
            byline=item.byline,
            published=item.published,
            lang=_language(text, item.lang),
            external_id=item.external_id,
            image=item.image,
            seen_at=job.seen_at,
            published_approx=item.published_approx and item.published is not None,
        )
        return Prepared(article, _sighting(article, job.ref, job.seen_at))


_DEDUPERS: dict[tuple[float, int, int], Deduper] = {}


def _deduper(threshold: float, num_perm: int, shingle_size: int) -> Deduper:
    # One Deduper per process and parameter set: its permutations cost more than a job.
    from newsdesk.dedup import Deduper

    key = (threshold, num_perm, shingle_size)
    if key not in _DEDUPERS:
        _DEDUPERS[key] = Deduper(threshold=threshold, num_perm=num_perm, shingle_size=shingle_size)
    return _DEDUPERS[key]


def job_label(job: Job) -> str:
    if isinstance(job, PageJob):
        return job.url or job.ref or "page"
    return job.item.url or job.ref or (job.item.title or "item")[:80]


def _item_text(item: Item) -> str:
    if item.text:
        return normalize_space(item.text)
    if item.html:
        return html_to_text(item.html)
    if item.summary:
        return html_to_text(item.summary)
    return ""


def _language(text: str, declared: str | None) -> str | None:
    # Feeds declare regional tags ("en-us") or nothing; the text decides, the claim is a hint.
    from newsdesk.extract import detect_language

    hint = declared.split("-")[0].lower() if declared else None
    if len(text.split()) < MIN_WORDS_FOR_LANGUAGE:
        return hint
    return detect_language(text, hint)


def _title_from(text: str) -> str | None:
    first = text.split("\n", 1)[0].strip()
    if not first:
        return None
    if len(first) <= TITLE_FROM_TEXT_CHARS:
        return first
    return first[:TITLE_FROM_TEXT_CHARS].rsplit(" ", 1)[0] + "…"


def _sighting(article: NewArticle, fallback_ref: str | None, seen_at: datetime) -> Sighting:
    # A URL seen again from the same source is the same sighting; from another source, a new one.
    if article.canonical_url:
        ref = f"{article.source}|{article.canonical_url}"
    else:
        ref = fallback_ref or f"{article.source}|{article.title}"
    return Sighting(
        source=article.source,
        url=article.url,
        title=article.title,
        seen_at=seen_at,
        published=article.published,
        ref=ref,
    )
