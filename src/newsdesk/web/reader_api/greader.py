"""The Google Reader API, in the dialect FreshRSS and Miniflux serve, for NetNewsWire, Reeder,
FeedMe, Read You, newsboat and the like. The server URL is the site's root.

Log in: POST /accounts/ClientLogin with Email (the user name) and Passwd (an app password);
the answer's Auth=... goes in every later request as `Authorization: GoogleLogin auth=...`.
Streams: `feed/<id>` (one follow), `user/-/label/<Folder>` (the follows of one kind),
`user/-/state/com.google/reading-list` (everything followed), `.../starred` (saved articles).
JSON under /reader/api/0/, and each stream as Atom under /reader/atom/ (the older form some
apps read). Writes answer "OK". Errors are plain text; nothing here uses cookies or CSRF
tokens (the Authorization header cannot be sent by another site's form).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from newsdesk.dates import utcnow
from newsdesk.store import Repo
from newsdesk.store.follows import Follow
from newsdesk.store.reader_items import ITEMS, MAX_IDS, MAX_ITEMS, ReaderItem
from newsdesk.store.users import User
from newsdesk.web.personal_marks import PERSONAL_WRITE
from newsdesk.web.reader_api import atom_streams, credentials
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
    item_html,
    kind_of_folder,
    long_item_id,
    page_of,
    parse_item_id,
)
from newsdesk.web.reader_api.subscribe import subscribe

# A reader's own writes (marks, follows): the anonymous page cache stays (PERSONAL_WRITE).
router = APIRouter(include_in_schema=False, dependencies=[PERSONAL_WRITE])

API = "/reader/api/0"
STATE = "user/-/state/com.google/"
READING_LIST, STARRED, READ = STATE + "reading-list", STATE + "starred", STATE + "read"
_STATE = re.compile(r"^user/[^/]*/state/com\.google/(.+)$")
_LABEL = re.compile(r"^user/[^/]*/label/(.+)$")
_FEED = re.compile(r"^feed/(\d+)$")
UNAUTHORIZED = "Unauthorized: log in with ClientLogin and an app password."


@dataclass(frozen=True, slots=True)
class Stream:
    id: str
    title: str
    feeds: list[Follow] | None  # None: not limited to what is followed (starred)
    starred: bool = False
    read: bool = False  # only the items read


def resolve(stream_id: str, feeds: list[Follow]) -> Stream | None:
    """The stream an app names, or None when there is no such stream for this reader."""
    state = _STATE.match(stream_id)
    if state:
        if state.group(1) == "starred":
            return Stream(STARRED, "Saved", None, starred=True)
        if state.group(1) == "reading-list":
            return Stream(READING_LIST, "Reading list", feeds)
        if state.group(1) == "read":
            return Stream(READ, "Read", feeds, read=True)
        return None
    label = _LABEL.match(stream_id)
    if label:
        kind = kind_of_folder(label.group(1))
        if kind is None:
            return None
        return Stream(f"user/-/label/{FOLDERS[kind]}", FOLDERS[kind], _of_kind(feeds, kind))
    feed = _FEED.match(stream_id)
    if feed:
        found = [f for f in feeds if f.id == int(feed.group(1))]
        return Stream(stream_id, found[0].label, found) if found else None
    return None


def _of_kind(feeds: list[Follow], kind: str) -> list[Follow]:
    return [f for f in feeds if f.kind == kind]


def usec(when: datetime) -> str:
    return str(int(when.timestamp() * 1_000_000))


def _seconds(when: datetime | None) -> int:
    return int(when.timestamp()) if when is not None else 0


def _time_param(params: Params, key: str) -> datetime | None:
    """A time an app sends: seconds, or (mark-all-as-read's ts) micro- or milliseconds."""
    value = number(params, key, largest=10**18)
    if value is None or value <= 0:
        return None
    if value > 10**14:
        value //= 1_000_000
    elif value > 10**11:
        value //= 1_000
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        return None


# -- answers ----------------------------------------------------------------------------------


def _json(body: dict[str, Any]) -> JSONResponse:
    return JSONResponse(body, headers={"Cache-Control": "private, no-store"})


def _text(body: str, status: int = 200) -> PlainTextResponse:
    return PlainTextResponse(body, status, headers={"Cache-Control": "private, no-store"})


def _auth_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, rest = header.partition(" ")
    if scheme.lower() != "googlelogin":
        return ""
    key, _, value = rest.strip().partition("=")
    return value.strip() if key.strip().lower() == "auth" else ""


Work = Callable[[Repo, User, Params], Response]


async def _answer(request: Request, work: Work, *, write: bool = False) -> Response:
    params = await params_of(request)
    token = _auth_token(request)

    def run(repo: Repo) -> Response:
        user = credentials.token_user(repo, token) if token else None
        if user is None:
            return _text(UNAUTHORIZED, 401)
        return work(repo, user, params)

    return await in_transaction(request, run, write=write)


# -- logging in -------------------------------------------------------------------------------


@router.post("/accounts/ClientLogin")  # POST only: a password in a URL ends up in logs
async def client_login(request: Request) -> Response:
    params = await params_of(request)
    name, password = first(params, "Email").strip(), first(params, "Passwd")
    address = client_address(request)

    def run(repo: Repo) -> Response:
        found = credentials.client_login(repo, name, password, address, utcnow())
        if isinstance(found, str):
            status = 429 if "Too many" in found else 401
            return _text(f"Error=BadAuthentication\nInfo={found}\n", status)
        return _text(f"SID={password}\nLSID=null\nAuth={password}\n")

    return await in_transaction(request, run, write=True)


@router.get(API + "/token")
async def token(request: Request) -> Response:
    # The write token apps fetch before each write; the Authorization header is what protects
    # writes, so any T is accepted and this one only has to be there.
    return await _answer(request, lambda repo, user, params: _text(f"newsdesk{user.id}"))


@router.get(API + "/user-info")
async def user_info(request: Request) -> Response:
    def work(repo: Repo, user: User, params: Params) -> Response:
        return _json(
            {
                "userId": str(user.id),
                "userName": user.name,
                "userProfileId": str(user.id),
                "userEmail": "",
            }
        )

    return await _answer(request, work)


# -- subscriptions and folders ----------------------------------------------------------------


def _subscription(feed: Follow, base: str) -> dict[str, Any]:
    folder = FOLDERS[feed.kind]
    page = base + page_of(feed)
    return {
        "id": f"feed/{feed.id}",
        "title": feed.label,
        "categories": [{"id": f"user/-/label/{folder}", "label": folder}],
        "url": page,
        "htmlUrl": page,
        "iconUrl": "",
        "sortid": f"{feed.id:08X}",
        "firstitemmsec": "0",
    }


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get(API + "/subscription/list")
async def subscription_list(request: Request) -> Response:
    base = _base(request)

    def work(repo: Repo, user: User, params: Params) -> Response:
        feeds = feeds_of(repo, user.id)
        return _json({"subscriptions": [_subscription(f, base) for f in feeds]})

    return await _answer(request, work)


@router.post(API + "/subscription/edit")
async def subscription_edit(request: Request) -> Response:
    def work(repo: Repo, user: User, params: Params) -> Response:
        action, streams = first(params, "ac", "edit"), params.get("s", [])
        if action == "subscribe":
            for stream_id in streams:
                made = subscribe(repo, user, stream_id, first(params, "t"), utcnow())
                if isinstance(made, str):
                    return _text(made, 400)
            return _text("OK")
        feeds = {f"feed/{f.id}": f for f in feeds_of(repo, user.id)}
        for stream_id in streams:
            feed = feeds.get(stream_id)
            if feed is None:
                return _text(f"No such subscription: {stream_id}", 404)
            if action == "unsubscribe":
                repo.unfollow(user.id, feed.kind, feed.value)
            elif action == "edit" and first(params, "t").strip():
                title = " ".join(first(params, "t").split())[:200]
                repo.follow(user.id, feed.kind, feed.value, title, feed.created_at)
            # Folders are the kinds of follows: moving a feed to another folder changes nothing.
        return _text("OK")

    return await _answer(request, work, write=True)


@router.post(API + "/subscription/quickadd")
async def quickadd(request: Request) -> Response:
    def work(repo: Repo, user: User, params: Params) -> Response:
        wanted = first(params, "quickadd").strip()
        made = subscribe(repo, user, wanted, "", utcnow())
        if isinstance(made, str):
            return _json({"numResults": 0, "query": wanted, "error": made})
        return _json(
            {
                "numResults": 1,
                "query": wanted,
                "streamId": f"feed/{made.id}",
                "streamName": made.label,
            }
        )

    return await _answer(request, work, write=True)


@router.get(API + "/tag/list")
async def tag_list(request: Request) -> Response:
    def work(repo: Repo, user: User, params: Params) -> Response:
        kinds = dict.fromkeys(f.kind for f in feeds_of(repo, user.id))
        tags: list[dict[str, Any]] = [{"id": STARRED}]
        tags += [{"id": f"user/-/label/{FOLDERS[k]}", "type": "folder"} for k in kinds]
        return _json({"tags": tags})

    return await _answer(request, work)


@router.get(API + "/unread-count")
async def unread_count(request: Request) -> Response:
    def work(repo: Repo, user: User, params: Params) -> Response:
        feeds = feeds_of(repo, user.id)
        per_feed, (total, newest) = repo.reader_unread_counts(user.id, feeds)
        counts: list[dict[str, Any]] = []
        folders: dict[str, tuple[int, datetime | None]] = {}
        for feed in feeds:
            n, last = per_feed.get(feed.id, (0, None))
            counts.append(_count(f"feed/{feed.id}", n, last))
            was, when = folders.get(feed.kind, (0, None))
            folders[feed.kind] = (was + n, max(filter(None, (when, last)), default=None))
        for kind, (n, last) in folders.items():
            counts.append(_count(f"user/-/label/{FOLDERS[kind]}", n, last))
        counts.append(_count(READING_LIST, total, newest))
        return _json({"max": total, "unreadcounts": counts})

    return await _answer(request, work)


def _count(stream_id: str, n: int, newest: datetime | None) -> dict[str, Any]:
    return {
        "id": stream_id,
        "count": n,
        "newestItemTimestampUsec": usec(newest) if newest else "0",
    }


# -- items ------------------------------------------------------------------------------------


def _wanted(params: Params, stream: Stream) -> dict[str, Any]:
    """The filters of a stream request: n, c (continuation), xt, it, ot, nt, r=o."""
    excluded, included = params.get("xt", []), params.get("it", [])
    n = number(params, "n") or ITEMS
    return {
        "unread_only": any(_STATE.match(x) and x.endswith("/read") for x in excluded),
        "read_only": stream.read,
        "starred_only": stream.starred
        or any(_STATE.match(x) and x.endswith("/starred") for x in included),
        "newer_than": _time_param(params, "ot"),
        "older_than": _time_param(params, "nt"),
        "after_id": number(params, "c"),
        "oldest_first": first(params, "r") == "o",
        "limit": max(1, min(n, MAX_ITEMS)),
    }


def _page(
    repo: Repo, user: User, stream: Stream, params: Params
) -> tuple[list[tuple[int, datetime]], str | None]:
    wanted = _wanted(params, stream)
    limit = wanted.pop("limit")
    found = repo.reader_item_ids(user.id, stream.feeds, **wanted, limit=limit + 1)
    more = str(found[limit - 1][0]) if len(found) > limit else None
    return found[:limit], more


def _stream_of(repo: Repo, user: User, stream_id: str) -> tuple[Stream | None, list[Follow]]:
    feeds = feeds_of(repo, user.id)
    return resolve(stream_id or READING_LIST, feeds), feeds


@router.get(API + "/stream/items/ids")
async def item_ids(request: Request) -> Response:
    def work(repo: Repo, user: User, params: Params) -> Response:
        stream, _ = _stream_of(repo, user, first(params, "s"))
        if stream is None:
            return _text("No such stream.", 404)
        found, more = _page(repo, user, stream, params)
        refs = [{"id": str(i), "directStreamIds": [], "timestampUsec": usec(at)} for i, at in found]
        body: dict[str, Any] = {"itemRefs": refs}
        if more:
            body["continuation"] = more
        return _json(body)

    return await _answer(request, work)


def item_json(item: ReaderItem, feeds: dict[int, Follow], base: str) -> dict[str, Any]:
    """One item as Google Reader gave it: sanitized HTML, the canonical URL as the link, the
    publisher as the origin (its stream the follow that brought it)."""
    feed = feeds.get(item.feed_id) if item.feed_id is not None else None
    categories = [READING_LIST]
    if feed is not None:
        categories.append(f"user/-/label/{FOLDERS[feed.kind]}")
    categories += [READ] if item.read else [STATE + "fresh"]
    if item.starred:
        categories.append(STARRED)
    link = item.url or f"{base}/article/{item.id}"
    published = _seconds(item.published or item.created_at)
    return {
        "id": long_item_id(item.id),
        "crawlTimeMsec": str(int(item.created_at.timestamp() * 1000)),
        "timestampUsec": usec(item.created_at),
        "published": published,
        "updated": published,
        "title": item.title,
        "author": item.byline or "",
        "canonical": [{"href": link}],
        "alternate": [{"href": link, "type": "text/html"}],
        "summary": {"direction": "ltr", "content": item_html(item.text)},
        "categories": categories,
        "origin": {
            "streamId": f"feed/{feed.id}" if feed else STARRED,
            "title": item.source,
            "htmlUrl": f"{base}/source/{quote(item.source, safe='')}",
        },
    }


def _contents(
    repo: Repo, user: User, ids: Sequence[int], stream: Stream, base: str
) -> dict[str, Any]:
    feeds = feeds_of(repo, user.id)
    items = repo.reader_items(user.id, feeds, ids)
    by_id = {f.id: f for f in feeds}
    return {
        "id": stream.id,
        "title": stream.title,
        "updated": int(utcnow().timestamp()),
        "items": [item_json(item, by_id, base) for item in items],
    }


@router.api_route(API + "/stream/items/contents", methods=["GET", "POST"])
async def item_contents(request: Request) -> Response:
    base = _base(request)

    def work(repo: Repo, user: User, params: Params) -> Response:
        ids = [i for i in (parse_item_id(v) for v in params.get("i", [])) if i is not None]
        reading = Stream(READING_LIST, "Reading list", None)
        return _json(_contents(repo, user, ids, reading, base))

    return await _answer(request, work)


async def _stream_contents(request: Request, stream_id: str) -> Response:
    base = _base(request)

    def work(repo: Repo, user: User, params: Params) -> Response:
        stream, _ = _stream_of(repo, user, stream_id or first(params, "s"))
        if stream is None:
            return _text("No such stream.", 404)
        found, more = _page(repo, user, stream, params)
        body = _contents(repo, user, [i for i, _ in found], stream, base)
        if more:
            body["continuation"] = more
        return _json(body)

    return await _answer(request, work)


@router.get(API + "/stream/contents")
async def stream_contents_param(request: Request) -> Response:
    return await _stream_contents(request, "")


@router.get(API + "/stream/contents/{stream_id:path}")
async def stream_contents(request: Request, stream_id: str) -> Response:
    return await _stream_contents(request, stream_id)


@router.get("/reader/atom/{stream_id:path}")
async def stream_atom(request: Request, stream_id: str) -> Response:
    base = _base(request)

    def work(repo: Repo, user: User, params: Params) -> Response:
        stream, feeds = _stream_of(repo, user, stream_id)
        if stream is None:
            return _text("No such stream.", 404)
        found, more = _page(repo, user, stream, params)
        items = repo.reader_items(user.id, feeds, [i for i, _ in found])
        body = atom_streams.document(stream.id, stream.title, items, base, more)
        return Response(
            body, media_type=atom_streams.MEDIA_TYPE, headers={"Cache-Control": "private, no-store"}
        )

    return await _answer(request, work)


# -- marking ----------------------------------------------------------------------------------


@router.post(API + "/edit-tag")
async def edit_tag(request: Request) -> Response:
    def work(repo: Repo, user: User, params: Params) -> Response:
        ids = [i for i in (parse_item_id(v) for v in params.get("i", [])) if i is not None]
        ids = [item.id for item in repo.reader_items(user.id, [], ids)]  # canonical ones only
        now = utcnow()
        for tag in params.get("a", []):
            if tag.endswith("/state/com.google/read"):
                repo.mark_articles_read(user.id, ids, now)
            elif tag.endswith("/state/com.google/starred"):
                for item_id in ids:
                    repo.save_item(user.id, "article", item_id, now)
        for tag in params.get("r", []):
            if tag.endswith("/state/com.google/read"):
                repo.mark_articles_unread(user.id, ids)
            elif tag.endswith("/state/com.google/starred"):
                for item_id in ids:
                    repo.unsave_item(user.id, "article", item_id)
        # Other tags (user labels, kept-unread, broadcast) have no meaning here: ignored.
        return _text("OK")

    return await _answer(request, work, write=True)


@router.post(API + "/mark-all-as-read")
async def mark_all_as_read(request: Request) -> Response:
    def work(repo: Repo, user: User, params: Params) -> Response:
        stream, _ = _stream_of(repo, user, first(params, "s"))
        if stream is None:
            return _text("No such stream.", 404)
        before, now = _time_param(params, "ts"), utcnow()
        if stream.feeds is None:  # starred: the saved items
            found = repo.reader_item_ids(
                user.id, None, starred_only=True, older_than=before, limit=MAX_IDS
            )
            repo.mark_articles_read(user.id, [i for i, _ in found], now)
        else:
            repo.mark_reached_read(user.id, stream.feeds, before, now)
        return _text("OK")

    return await _answer(request, work, write=True)
