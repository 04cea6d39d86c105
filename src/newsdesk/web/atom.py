"""Atom 1.0 feeds out: the front page, a tag, a story and a search, built with lxml.

Every text goes into an element as text (lxml escapes it); ids are urn: URIs; links point to the
HTML pages of this site.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from lxml import etree

from newsdesk import read
from newsdesk.dates import utcnow
from newsdesk.humanize import count
from newsdesk.models import StoredArticle
from newsdesk.store import Repo, StorySummary
from newsdesk.web.deps import RankingDep, RepoDep

ATOM_NS = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"
ENTRIES = 30
SUMMARY_CHARS = 400
# Characters XML 1.0 cannot carry at all (lxml refuses them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

router = APIRouter(tags=["feeds"])


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    title: str
    link: str
    updated: datetime
    summary: str
    author: str | None = None
    published: datetime | None = None


def clean(text: str | None) -> str:
    return _NOT_XML.sub("", text or "")


def stamp(value: datetime) -> str:
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _text(parent: etree._Element, tag: str, text: str, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
    el.text = clean(text)
    return el


def _link(parent: etree._Element, href: str, rel: str = "alternate", kind: str = "") -> None:
    attrs = {"rel": rel, "href": href}
    if kind:
        attrs["type"] = kind
    etree.SubElement(parent, f"{{{ATOM_NS}}}link", attrs)


def render(
    request: Request, feed_id: str, title: str, page: str, entries: Iterable[Entry]
) -> Response:
    """The Atom document: feed metadata, then one <entry> per item."""
    items = list(entries)
    feed = etree.Element(f"{{{ATOM_NS}}}feed", nsmap={None: ATOM_NS})
    _text(feed, "id", feed_id)
    _text(feed, "title", title, type="text")
    updated = max((e.updated for e in items), default=utcnow())
    _text(feed, "updated", stamp(updated))
    author = etree.SubElement(feed, f"{{{ATOM_NS}}}author")
    _text(author, "name", "newsdesk")
    _link(feed, str(request.url), rel="self", kind=MEDIA_TYPE)
    _link(feed, absolute(request, page), kind="text/html")
    _text(feed, "generator", "newsdesk")
    for item in items:
        entry = etree.SubElement(feed, f"{{{ATOM_NS}}}entry")
        _text(entry, "id", item.id)
        _text(entry, "title", item.title, type="text")
        _text(entry, "updated", stamp(item.updated))
        if item.published is not None:
            _text(entry, "published", stamp(item.published))
        if item.author:
            by = etree.SubElement(entry, f"{{{ATOM_NS}}}author")
            _text(by, "name", item.author)
        _link(entry, absolute(request, item.link), kind="text/html")
        _text(entry, "summary", item.summary, type="text")
    body = etree.tostring(feed, xml_declaration=True, encoding="utf-8")
    # Validators for conditional GETs (the app's conditional middleware answers 304): weak,
    # since the bytes sent may be compressed.
    validators = {
        "ETag": f'W/"{hashlib.sha256(body).hexdigest()[:32]}"',
        "Last-Modified": format_datetime(_utc(updated), usegmt=True),
    }
    return Response(body, media_type=MEDIA_TYPE, headers=validators)


def _utc(value: datetime) -> datetime:
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).replace(microsecond=0)


def absolute(request: Request, path: str) -> str:
    return str(request.base_url).rstrip("/") + path


def _short(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= SUMMARY_CHARS:
        return flat
    return flat[: SUMMARY_CHARS - 1].rsplit(" ", 1)[0] + "…"


def article_entries(repo: Repo, found: Sequence[StoredArticle]) -> list[Entry]:
    """Entries for articles, their briefs' teasers read in one query."""
    teasers = repo.article_teasers([a.id for a in found])
    return [_article_entry(a, teasers[a.id].lead if a.id in teasers else "") for a in found]


def _article_entry(a: StoredArticle, lead: str) -> Entry:
    # Atom requires <updated>, the entry's last change: the page's declared change, else its
    # publication, else when it was stored. <published> only when the article is dated.
    when = a.modified or a.published or a.created_at
    return Entry(
        id=f"urn:newsdesk:article:{a.id}",
        title=a.title,
        link=f"/article/{a.id}",
        updated=when,
        summary=lead or _short(a.text),
        author=a.source,
        published=a.published,
    )


@router.get("/feeds/front.atom", summary="The front page's top stories as Atom")
def front(request: Request, repo: RepoDep, ranking: RankingDep) -> Response:
    rows = ranking.page(repo, limit=ENTRIES)
    entries = story_entries(repo, rows)
    return render(request, "urn:newsdesk:front", "newsdesk: top stories", "/", entries)


def story_entries(repo: Repo, rows: Sequence[StorySummary]) -> list[Entry]:
    """Entries for ranked stories (the front page, a section), their cards read at once."""
    changed = {s.id: s.changed_at for s in rows}
    return [
        Entry(
            id=f"urn:newsdesk:story:{card.id}",
            title=card.title,
            link=f"/story/{card.id}",
            # Atom requires <updated>: an undated story gives the time it last changed here.
            updated=card.last_seen or changed[card.id] or utcnow(),
            summary=card.summary
            or f"{count(card.sources, 'source')}, {count(card.articles, 'article')}",
            published=card.first_seen,
        )
        for card in read.story_cards(repo, rows)
    ]


@router.get("/feeds/tag/{tag}.atom", summary="The newest articles with a tag, as Atom")
def tag_feed(tag: str, request: Request, repo: RepoDep) -> Response:
    name = tag.lstrip("#")
    rows = repo.list_articles(tag=name, limit=ENTRIES)
    entries = article_entries(repo, repo.get_articles([r.id for r in rows]))
    return render(
        request,
        f"urn:newsdesk:tag:{quote(name, safe='')}",
        f"newsdesk: #{name}",
        f"/tag/{quote(name, safe='')}",
        entries,
    )


@router.get("/feeds/story/{story_id}.atom", summary="A story's coverage, newest first, as Atom")
def story_feed(story_id: int, request: Request, repo: RepoDep) -> Response:
    current = repo.resolve_story_id(story_id)
    row = repo.get_story(current)
    newest = repo.story_coverage(current, limit=ENTRIES, newest_first=True)
    entries = article_entries(repo, repo.get_articles([c.id for c in newest]))
    return render(request, f"urn:newsdesk:story:{current}", row.title, f"/story/{current}", entries)


@router.get("/feeds/search.atom", summary="The best matches of a search, as Atom")
def search_feed(
    request: Request,
    repo: RepoDep,
    q: Annotated[str, Query(min_length=1, max_length=500)],
) -> Response:
    hits = repo.search(q, limit=ENTRIES)
    found = article_entries(repo, repo.get_articles([h.article_id for h in hits]))
    by_id = {e.id: e for e in found}
    entries = []
    for h in hits:
        entry = by_id.get(f"urn:newsdesk:article:{h.article_id}")
        if entry is None:
            continue
        snippet = h.snippet.replace("[", "").replace("]", "")
        entries.append(
            Entry(
                entry.id,
                entry.title,
                entry.link,
                entry.updated,
                snippet or entry.summary,
                entry.author,
                entry.published,
            )
        )
    page = "/search?" + urlencode({"q": q})
    return render(
        request, f"urn:newsdesk:search:{quote(q, safe='')}", f"newsdesk: {q}", page, entries
    )
