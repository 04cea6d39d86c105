"""Sources admin: subscribe a feed or add a page, OPML in and out, poll state, poll now.

Admins only: W2's require_admin guards every route.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsdesk.app import App
from newsdesk.dates import utcnow
from newsdesk.errors import NewsdeskError, RobotsDisallowedError, SourceError
from newsdesk.fetch import check_url
from newsdesk.models import FeedRef
from newsdesk.pipeline import PageJob
from newsdesk.sources import discover_feeds, export_opml, parse_opml, sniff
from newsdesk.web.auth import require_admin
from newsdesk.web.deps import AppDep, templates

MAX_OPML = 2 * 1024 * 1024


router = APIRouter(prefix="/admin/sources", dependencies=[Depends(require_admin)])


@router.get("", response_class=HTMLResponse)
def sources_admin(request: Request, app: AppDep, message: str = "") -> HTMLResponse:
    with app.store.transaction(readonly=True) as repo:
        sources = repo.list_sources()
    context = {"sources": sources, "message": message[:300], "now": utcnow()}
    return templates.TemplateResponse(request, "admin_sources.html", context)


@router.post("")
def add_source(app: AppDep, url: Annotated[str, Form(max_length=2000)]) -> Response:
    try:
        note = _add(app, url.strip())
    except NewsdeskError as exc:
        note = f"not added: {exc}"
    return _back(note)


@router.post("/import")
def import_opml(app: AppDep, file: Annotated[UploadFile, File()]) -> Response:
    data = file.file.read(MAX_OPML + 1)
    if len(data) > MAX_OPML:
        return _back("not imported: the OPML file is over 2 MB")
    try:
        result = parse_opml(data)
    except NewsdeskError as exc:
        return _back(f"not imported: {exc}")
    added = _subscribe(app, list(result.feeds))
    return _back(f"{len(result.feeds)} feeds read, {added} new, {len(result.errors)} skipped")


@router.get("/export.opml")
def export(app: AppDep) -> Response:
    with app.store.transaction(readonly=True) as repo:
        refs = [
            FeedRef(xml_url=s.url, title=s.title, html_url=s.site_url, category=s.category)
            for s in repo.list_sources()
            if s.kind == "feed"
        ]
    headers = {"Content-Disposition": 'attachment; filename="newsdesk.opml"'}
    return Response(export_opml(refs), media_type="text/x-opml", headers=headers)


@router.post("/{source_id}/poll")
def poll_now(app: AppDep, source_id: int) -> Response:
    with app.store.transaction(readonly=True) as repo:
        source = repo.get_source(source_id)
    result = app.poller.poll(source, utcnow())
    if result.error:
        return _back(f"poll of {source.url} failed: {result.error}")
    return _back(f"polled {source.url}: {result.report.counts['new']} new")


def _back(message: str) -> Response:
    return RedirectResponse("/admin/sources?" + urlencode({"message": message}), status_code=303)


def _add(app: App, target: str) -> str:
    """Like the CLI's add: a feed is subscribed and polled once, a page is ingested."""
    url = check_url(target, app.settings)
    try:
        fetched = app.fetcher.fetch(url)
    except RobotsDisallowedError:
        fetched = app.fetcher.fetch(url, check_robots=False)
        if sniff(fetched.content, name=url, content_type=fetched.content_type) != "feed":
            raise
    kind = sniff(fetched.content, name=url, content_type=fetched.content_type)
    if kind == "feed":
        return _subscribe_and_poll(app, url)
    if kind != "html":
        raise SourceError(f"{url}: neither a feed nor an HTML page ({kind})")
    feeds = discover_feeds(fetched.content, fetched.final_url)
    job = PageJob(content=fetched.content, url=fetched.final_url, seen_at=utcnow())
    report = app.ingestor.run([job], size=1)
    if report.failures and feeds:
        return _subscribe_and_poll(app, feeds[0].xml_url)
    if report.failures:
        raise SourceError(f"{url}: {report.failures[0].error}")
    return f"added the page {url}"


def _subscribe_and_poll(app: App, url: str) -> str:
    with app.store.transaction() as repo:
        source = repo.upsert_source(url, kind="feed")
    result = app.poller.poll(source, utcnow())
    if result.error:
        return f"subscribed to {url}, but the first poll failed: {result.error}"
    return f"subscribed to {url}: {result.report.counts['new']} new articles"


def _subscribe(app: App, feeds: list[FeedRef]) -> int:
    added = 0
    with app.store.transaction() as repo:
        known = {s.url for s in repo.list_sources()}
        for ref in feeds:
            repo.upsert_source(
                ref.xml_url,
                kind="feed",
                title=ref.title,
                site_url=ref.html_url,
                category=ref.category,
            )
            added += ref.xml_url not in known
            known.add(ref.xml_url)
    return added
