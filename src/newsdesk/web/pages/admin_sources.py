"""Sources admin: subscribe a feed or add a page, OPML in and out, poll state, poll now,
the items held back after failing (per source, and the latest ones) and their retry.

Admins only: W2's require_admin guards every route.
"""

from __future__ import annotations

import logging
from typing import Annotated
from urllib.parse import quote, unquote

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsdesk.app import App
from newsdesk.dates import utcnow
from newsdesk.errors import NewsdeskError, NotFoundError
from newsdesk.humanize import count
from newsdesk.models import FeedRef
from newsdesk.pipeline.subscribe import add_url, subscribe
from newsdesk.sources import export_opml, parse_opml
from newsdesk.web.auth import require_admin
from newsdesk.web.deps import AppDep, templates

MAX_OPML = 2 * 1024 * 1024
log = logging.getLogger("newsdesk.web.sources")


PREFIX = "/admin/sources"
NOTICE_COOKIE = "newsdesk_notice"
MAX_NOTICE = 300
FAILED_SHOWN = 20  # the latest failed items listed; `newsdesk failures` lists them all

router = APIRouter(prefix=PREFIX, dependencies=[Depends(require_admin)])


@router.get("", response_class=HTMLResponse)
def sources_admin(request: Request, app: AppDep) -> HTMLResponse:
    held = app.settings.item_attempts  # an item that failed this often is held back
    with app.store.transaction(readonly=True) as repo:
        sources = repo.list_sources()
        failed = repo.failed_items(limit=FAILED_SHOWN, min_attempts=held)
        failed_by_source = repo.failed_counts_by_source(min_attempts=held)
        failed_total = repo.count_failed_items(min_attempts=held)
    message = unquote(request.cookies.get(NOTICE_COOKIE, ""))[:MAX_NOTICE]
    context = {
        "sources": sources,
        "message": message,
        "now": utcnow(),
        "failed": failed,
        "failed_by_source": failed_by_source,
        "failed_total": failed_total,
        "held": held,
    }
    page = templates.TemplateResponse(request, "admin_sources.html", context)
    if message:
        page.delete_cookie(NOTICE_COOKIE, path=PREFIX)
    return page


@router.post("")
def add_source(app: AppDep, url: Annotated[str, Form(max_length=2000)]) -> Response:
    before = _source_urls(app)
    try:
        note = _add(app, url.strip())
    except NewsdeskError as exc:
        # A feed whose first poll failed stays subscribed; its error says so ("subscribed to").
        note = str(exc) if _source_urls(app) - before else f"not added: {exc}"
    except Exception as exc:  # a bug met on this URL: the admin reads why, the log has the trace
        log.exception("add source %s failed", url, extra={"url": url, "stage": "add"})
        note = f"not added: unexpected {type(exc).__name__}: {exc}"
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
    added = subscribe(app.store, list(result.feeds))
    return _back(
        f"{count(len(result.feeds), 'feed')} read, {added} new, {len(result.errors)} skipped"
    )


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
    try:
        result = app.poller.poll(source, utcnow())  # records the source's own faults itself
    except NewsdeskError as exc:  # the store could not record the poll
        return _back(f"poll of {source.url} failed: {exc}")
    if result.error:
        return _back(f"poll of {source.url} failed: {result.error}")
    return _back(f"polled {source.url}: {result.report.counts['new']} new")


@router.post("/failures/{item_id}/retry")
def retry_failed(app: AppDep, item_id: int) -> Response:
    """Run a failed item again (here, or on a worker when a broker is set); 404 when gone."""
    from newsdesk.distributed.retry import retry_item

    try:
        return _back(retry_item(app, item_id).message)
    except NotFoundError:
        raise
    except NewsdeskError as exc:  # the store or the broker: the record stays for another try
        return _back(f"retry of #{item_id} failed: {exc}")
    except Exception as exc:  # a bug met on this item: the admin reads why, the log has the trace
        log.exception("retry of failed item %d failed", item_id, extra={"stage": "retry"})
        return _back(f"retry of #{item_id} failed: unexpected {type(exc).__name__}: {exc}")


def _source_urls(app: App) -> set[str]:
    with app.store.transaction(readonly=True) as repo:
        return {s.url for s in repo.list_sources()}


def _back(message: str) -> Response:
    """Back to the list, which shows what the action did once. The notice rides in a cookie
    the server set, not in the URL: a link could otherwise put any words on an admin's page."""
    back = RedirectResponse(PREFIX, status_code=303)
    back.set_cookie(
        NOTICE_COOKIE,
        quote(message[:MAX_NOTICE]),
        max_age=60,
        path=PREFIX,
        httponly=True,
        samesite="strict",
    )
    return back


def _add(app: App, target: str) -> str:
    """Like the CLI's add: a feed is subscribed and polled once, a page is ingested."""
    added = add_url(target, fetcher=app.fetcher, ingestor=app.ingestor, poller=app.poller)
    if added.subscribed:
        return (
            f"subscribed to {added.subscribed}: {count(added.report.counts['new'], 'new article')}"
        )
    return f"added the page {target}"
