"""The image proxy: /img/<article_id>/<width> serves an article's lead image from this site.

A reader's browser never asks a publisher's host for anything (the CSP says img-src 'self').
The first request for an image fetches the original through the Fetcher (the SSRF guard on
every hop, image_max_bytes, a total deadline), makes every thumbnail width at once
(web/thumbs) and keeps them on disk (web/image_cache). The verdict is stored
(store/images): a failed image is answered at once with a neutral placeholder, cards leave it
out, and it is not fetched again for RETRY_FAILED. Fetches run on a few threads of their own,
one fetch per image however many readers ask for it at once, so the pages' worker threads
never wait on a publisher's host.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import anyio.to_thread
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from newsdesk.config import Settings
from newsdesk.dates import utcnow
from newsdesk.errors import FetchError, FetchTimeoutError, NewsdeskError
from newsdesk.fetch.fetcher import Fetcher
from newsdesk.fetch.guard import AddressPolicy
from newsdesk.read.pictures import WIDTHS
from newsdesk.serialize import aware
from newsdesk.store import Store
from newsdesk.store.images import ImageSource
from newsdesk.web.deps import in_store
from newsdesk.web.image_cache import ImageCache, cache_dir_for
from newsdesk.web.thumbs import MEDIA_TYPE, ImageRejected, make_thumbnails

log = logging.getLogger(__name__)
router = APIRouter()

RETRY_FAILED = timedelta(days=1)  # a failed image is not fetched again before this
FETCH_SECONDS = 15.0  # the whole fetch of one original, redirects included
IMAGE_HOST_DELAY = 0.2  # seconds between two images from one host (pages: per_host_delay)
# A host that could not be reached (name, connection, deadline) is not asked again for this
# long: its other pictures fail at once (a page of pictures from a host that is down, or an
# offline demo, costs one wait, not one per picture).
HOST_DOWN_SECONDS = 300.0
FETCHERS = 2  # threads fetching originals: each holds one Fetcher (they are not thread-safe)
VERSION = "1"  # part of every file name and ETag: bump when thumbnails are made differently
# What the proxy accepts from a server (the bytes are checked again by web/thumbs).
IMAGE_TYPES = frozenset({"image/jpeg", "image/jpg", "image/png", "image/webp", "image/gif"})
KEEP = "public, max-age=2592000"  # 30 days: the name of a thumbnail changes with its source URL
PLACEHOLDER_KEEP = "public, max-age=300"
# A neutral 16:9 box, for a failed image on a page rendered before the failure was known.
PLACEHOLDER = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="16" height="9" viewBox="0 0 16 9">'
    b'<rect width="16" height="9" fill="#e8e8e4"/></svg>'
)


@dataclass(frozen=True, slots=True)
class Outcome:
    """How making an image's thumbnails went: ok, or why not in one line."""

    ok: bool
    reason: str | None = None


# Errors that say the host itself cannot be reached, not that one URL is bad.
_HOST_FAULTS = (FetchError, FetchTimeoutError)


def file_name(url: str, width: int) -> str:
    """The thumbnail's file name: a digest of its source URL, the width, and VERSION."""
    digest = hashlib.sha256(url.encode()).hexdigest()[:32]
    return f"{digest}-{width}-v{VERSION}.webp"


class ImageProxy:
    """Makes and keeps thumbnails; one per app (create_app), closed with it."""

    def __init__(self, settings: Settings, store: Store, *, policy: AddressPolicy | None = None):
        self.settings = settings.with_(
            max_bytes=settings.image_max_bytes,
            retries=0,  # a reader is waiting: a failed image is tried again after RETRY_FAILED
            total_timeout=min(settings.total_timeout, FETCH_SECONDS),
            # A page's pictures often share one image host, which serves browsers by the dozen.
            per_host_delay=min(settings.per_host_delay, IMAGE_HOST_DELAY),
        )
        self.store = store
        self.policy = policy or AddressPolicy.from_settings(self.settings)
        self.cache = ImageCache(cache_dir_for(settings), settings.image_cache_mb * 1024 * 1024)
        self._pool = ThreadPoolExecutor(FETCHERS, thread_name_prefix="newsdesk-images")
        self._local = threading.local()
        self._fetchers: list[Fetcher] = []
        self._lock = threading.Lock()
        self._running: dict[str, Future[Outcome]] = {}
        self._down: dict[str, tuple[float, str]] = {}  # host -> (until, why), monotonic

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        for fetcher in self._fetchers:
            fetcher.close()

    def thumbnails(self, source: ImageSource) -> Future[Outcome]:
        """Make (or join the making of) the thumbnails of source's image; each article's own
        verdict is recorded, so two articles with one image URL each make theirs."""
        key = f"{source.article_id} {source.url}"
        with self._lock:
            running = self._running.get(key)
            if running is None:
                running = self._pool.submit(self._make, source)
                self._running[key] = running
                running.add_done_callback(lambda _done: self._forget(key))
            return running

    def _forget(self, key: str) -> None:
        with self._lock:
            self._running.pop(key, None)

    def _fetcher(self) -> Fetcher:
        fetcher: Fetcher | None = getattr(self._local, "fetcher", None)
        if fetcher is None:
            fetcher = Fetcher(self.settings, policy=self.policy)
            self._local.fetcher = fetcher
            with self._lock:
                self._fetchers.append(fetcher)
        return fetcher

    def _make(self, source: ImageSource) -> Outcome:
        outcome = self._fetch_and_resize(source)
        if not outcome.ok:
            log.info("image of article %d refused: %s", source.article_id, outcome.reason)
        try:
            with self.store.transaction() as repo:
                repo.record_image_check(source.article_id, outcome.ok, outcome.reason)
        except NewsdeskError as exc:  # a busy store: the verdict is found again next time
            log.warning("image of article %d: verdict not stored (%s)", source.article_id, exc)
        return outcome

    def _fetch_and_resize(self, source: ImageSource) -> Outcome:
        host = urlsplit(source.url).hostname or ""
        with self._lock:
            until, why = self._down.get(host, (0.0, ""))
        if time.monotonic() < until:
            return Outcome(False, f"fetch: {source.url}: {host} did not answer a moment ago: {why}")
        try:
            fetched = self._fetcher().fetch(source.url, budget=FETCH_SECONDS)
        except FetchError as exc:
            if type(exc) in _HOST_FAULTS:
                why = str(exc).removeprefix(f"fetch: {source.url}: ")
                with self._lock:
                    self._down[host] = (time.monotonic() + HOST_DOWN_SECONDS, why)
            return Outcome(False, str(exc))
        if fetched.content_type not in IMAGE_TYPES:
            kind = fetched.content_type or "no Content-Type"
            return Outcome(False, f"not an image the proxy serves ({kind})")
        try:
            thumbnails = make_thumbnails(fetched.content)
        except ImageRejected as exc:
            return Outcome(False, str(exc))
        for thumb in thumbnails:
            self.cache.write(file_name(source.url, thumb.width), thumb.data)
        return Outcome(True)


def proxy_of(request: Request) -> ImageProxy:
    proxy: ImageProxy = request.app.state.images
    return proxy


@router.get("/img/{article_id}/{width}", include_in_schema=False)
async def image(request: Request, article_id: int, width: int) -> Response:
    """The thumbnail, or the placeholder when the image cannot be had; 404 when none."""
    if width not in WIDTHS:
        raise HTTPException(404, f"pictures come {' or '.join(map(str, WIDTHS))} pixels wide")
    proxy = proxy_of(request)
    source = await in_store(request, lambda repo: repo.image_source(article_id))
    if source is None:
        raise HTTPException(404, f"article {article_id} has no picture")
    name = file_name(source.url, width)
    data = await anyio.to_thread.run_sync(proxy.cache.read, name)
    if data is None:
        checked = aware(source.checked_at)
        if source.ok is False and checked is not None and utcnow() - checked < RETRY_FAILED:
            return _placeholder()
        outcome = await asyncio.wrap_future(proxy.thumbnails(source))
        if outcome.ok:
            data = await anyio.to_thread.run_sync(proxy.cache.read, name)
        if data is None:  # failed, or evicted at once by a full cache
            return _placeholder()
    headers = {"Cache-Control": KEEP, "ETag": f'"{name.removesuffix(".webp")}"'}
    return Response(data, media_type=MEDIA_TYPE, headers=headers)


def _placeholder() -> Response:
    headers = {"Cache-Control": PLACEHOLDER_KEEP}
    return Response(PLACEHOLDER, media_type="image/svg+xml", headers=headers)
