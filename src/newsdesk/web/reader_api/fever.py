"""The Fever API (version 3), for Reeder, FeedMe, Unread, Fiery Feeds and the like.

One endpoint, /fever/?api (also /fever/api/fever.php, where apps written for FreshRSS look),
POST with api_key = md5("name:app password"). Every answer says api_version 3 and auth 0 or 1
(with HTTP 200, as the protocol wants). Groups are the kinds of follows, feeds the follows, items
the canonical articles they reach (ids are article ids, so since_id and max_id page by id).
Favicons and links (Fever's hot list) are empty: newsdesk has neither.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from newsdesk.dates import utcnow
from newsdesk.store import Repo
from newsdesk.store.follows import Follow
from newsdesk.store.reader_items import ReaderItem
from newsdesk.store.users import User
from newsdesk.web.personal_marks import PERSONAL_WRITE
from newsdesk.web.reader_api import credentials
from newsdesk.web.reader_api.common import (
    Params,
    client_address,
    first,
    in_transaction,
    number,
    params_of,
)
from newsdesk.web.reader_api.items import (
    FOLDERS,
    feeds_of,
    group_id,
    item_html,
    page_of,
    parse_item_id,
)

# A reader's own writes (marks): the anonymous page cache stays (PERSONAL_WRITE).
router = APIRouter(include_in_schema=False, dependencies=[PERSONAL_WRITE])

API_VERSION = 3
ITEMS = 50  # the protocol's page
UNREAD_IDS = 10_000  # unread_item_ids lists at most the newest this many


def _ids(params: Params, key: str) -> list[int]:
    found = []
    for part in first(params, key).split(",")[:ITEMS]:
        value = parse_item_id(part) if part.strip().isdigit() else None
        if value is not None:
            found.append(value)
    return found


def _groups(feeds: list[Follow]) -> dict[str, Any]:
    kinds = list(dict.fromkeys(f.kind for f in feeds))
    return {
        "groups": [{"id": group_id(k), "title": FOLDERS[k]} for k in kinds],
        "feeds_groups": [
            {
                "group_id": group_id(k),
                "feed_ids": ",".join(str(f.id) for f in feeds if f.kind == k),
            }
            for k in kinds
        ],
    }


def _feed(feed: Follow, base: str) -> dict[str, Any]:
    page = base + page_of(feed)
    return {
        "id": feed.id,
        "favicon_id": 0,
        "title": feed.label,
        "url": page,
        "site_url": page,
        "is_spark": 0,
        "last_updated_on_time": int(feed.created_at.timestamp()),
    }


def _item(item: ReaderItem, base: str) -> dict[str, Any]:
    return {
        "id": item.id,
        "feed_id": item.feed_id or 0,
        "title": item.title,
        "author": item.byline or item.source,
        "html": item_html(item.text),
        "url": item.url or f"{base}/article/{item.id}",
        "is_saved": int(item.starred),
        "is_read": int(item.read),
        "created_on_time": int((item.published or item.created_at).timestamp()),
    }


def _items(
    repo: Repo, user: User, feeds: list[Follow], params: Params, base: str
) -> dict[str, Any]:
    if "with_ids" in params:
        ids = _ids(params, "with_ids")
    else:
        since, most = number(params, "since_id"), number(params, "max_id")
        found = repo.reader_item_ids(
            user.id,
            feeds,
            after_id=since if since is not None else most,
            oldest_first=since is not None,
            limit=ITEMS,
        )
        ids = [i for i, _ in found]
    return {
        "items": [_item(i, base) for i in repo.reader_items(user.id, feeds, ids)],
        "total_items": repo.reader_item_count(feeds),
    }


def _id_list(found: list[tuple[int, datetime]]) -> str:
    return ",".join(str(i) for i, _ in found)


def _mark(repo: Repo, user: User, feeds: list[Follow], params: Params) -> None:
    what, state, target = first(params, "mark"), first(params, "as"), number(params, "id")
    if target is None:
        return
    now = utcnow()
    if what == "item":
        ids = [item.id for item in repo.reader_items(user.id, [], [target])]
        if state == "read":
            repo.mark_articles_read(user.id, ids, now)
        elif state == "unread":
            repo.mark_articles_unread(user.id, ids)
        elif state == "saved":
            for item_id in ids:
                repo.save_item(user.id, "article", item_id, now)
        elif state == "unsaved":
            for item_id in ids:
                repo.unsave_item(user.id, "article", item_id)
        return
    if state != "read":
        return
    before = number(params, "before", largest=253_402_300_799)  # the end of year 9999
    cutoff = datetime.fromtimestamp(before, UTC) if before and before > 0 else None
    if what == "feed":
        chosen = [f for f in feeds if f.id == target]
    elif what == "group":
        chosen = feeds if target == 0 else [f for f in feeds if group_id(f.kind) == target]
    else:
        return
    if chosen:
        repo.mark_reached_read(user.id, chosen, cutoff, now)


def _answer(repo: Repo, user: User, params: Params, base: str) -> dict[str, Any]:
    feeds = feeds_of(repo, user.id)
    body: dict[str, Any] = {}
    if "mark" in params:
        _mark(repo, user, feeds, params)
        params = {**params, "unread_item_ids": [""], "saved_item_ids": [""]}
    if "groups" in params:
        body.update(_groups(feeds))
    if "feeds" in params:
        body["feeds"] = [_feed(f, base) for f in feeds]
        body["feeds_groups"] = _groups(feeds)["feeds_groups"]
    if "favicons" in params:
        body["favicons"] = []
    if "links" in params:
        body["links"] = []
    if "items" in params:
        body.update(_items(repo, user, feeds, params, base))
    if "unread_item_ids" in params:
        unread = repo.reader_item_ids(user.id, feeds, unread_only=True, limit=UNREAD_IDS)
        body["unread_item_ids"] = _id_list(unread)
    if "saved_item_ids" in params:
        saved = repo.reader_item_ids(user.id, None, starred_only=True, limit=UNREAD_IDS)
        body["saved_item_ids"] = _id_list(saved)
    return body


@router.api_route("/fever/", methods=["GET", "POST"])
@router.api_route("/fever/api/fever.php", methods=["GET", "POST"])
async def fever(request: Request) -> Response:
    params = await params_of(request)
    address, base = client_address(request), str(request.base_url).rstrip("/")
    api_key = first(params, "api_key")

    def run(repo: Repo) -> dict[str, Any]:
        now = utcnow()
        head: dict[str, Any] = {"api_version": API_VERSION, "auth": 0}
        user = credentials.fever_login(repo, api_key, address, now) if api_key else None
        if user is None:
            return head
        head.update(auth=1, last_refreshed_on_time=int(now.timestamp()))
        return {**head, **_answer(repo, user, params, base)}

    body = await in_transaction(request, run, write=True)
    return JSONResponse(body, headers={"Cache-Control": "private, no-store"})
