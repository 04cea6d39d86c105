"""The Google Reader API request by request (httpx, as the apps send them): logging in and its
throttle, streams and their filters and paging, both item id forms, marks, subscribing, and
what is never allowed (no cookie login, no fetch of a URL an app gives, no shared caching)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import httpx
import pytest

from support.reader_apps import (
    PASSWORD,
    ReaderSite,
    assert_inert,
    client_login,
    follow,
    new_app_password,
    register,
)

API = "/reader/api/0"
READING_LIST = "user/-/state/com.google/reading-list"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
FERRY = "https://harbour-times.example/ferry"
FISH = "https://harbour-times.example/fish"
HOSTILE = "https://harbour-times.example/hostile"
VINEYARD = "https://valley-post.example/news/vineyard"
READERS = itertools.count(1)  # each test's reader is new: no test sees another's marks


@pytest.fixture
def reader(reader_site: ReaderSite) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    """(the app, the browser) of a new reader following Harbour Times and Valley Post."""
    name = f"gr-{next(READERS)}"
    with register(reader_site, name) as web:
        password = new_app_password(web, "NetNewsWire")
        follow(reader_site, name, "source", "Harbour Times", "Harbour Times")
        follow(reader_site, name, "source", "Valley Post", "Valley Post")
        with client_login(reader_site, name, password) as app:
            yield app, web


def _ids(answer: httpx.Response) -> list[int]:
    assert answer.status_code == 200, answer.text
    return [int(ref["id"]) for ref in answer.json()["itemRefs"]]


def test_subscriptions_folders_and_user(reader: tuple[httpx.Client, httpx.Client]) -> None:
    app, _ = reader
    subs = app.get(API + "/subscription/list", params={"output": "json"}).json()["subscriptions"]
    assert [(s["title"], s["categories"][0]["label"]) for s in subs] == [
        ("Harbour Times", "Sources"),
        ("Valley Post", "Sources"),
    ]
    assert subs[0]["id"].startswith("feed/") and subs[0]["htmlUrl"].endswith(
        "/source/Harbour%20Times"
    )
    tags = [t["id"] for t in app.get(API + "/tag/list").json()["tags"]]
    assert tags == [STARRED, "user/-/label/Sources"]
    assert app.get(API + "/user-info").json()["userName"].startswith("gr-")
    assert app.get(API + "/token").status_code == 200


def test_streams_filters_paging_and_id_forms(
    reader_site: ReaderSite, reader: tuple[httpx.Client, httpx.Client]
) -> None:
    app, _ = reader
    ids = reader_site.ids
    everything = sorted({ids[FERRY], ids[FISH], ids[HOSTILE], ids[VINEYARD]}, reverse=True)
    assert (
        _ids(app.get(API + "/stream/items/ids", params={"s": READING_LIST, "n": 50})) == everything
    )
    # Paging: n and the continuation, newest first, then oldest first (r=o).
    first = app.get(API + "/stream/items/ids", params={"s": READING_LIST, "n": 3}).json()
    rest = app.get(
        API + "/stream/items/ids", params={"s": READING_LIST, "n": 3, "c": first["continuation"]}
    ).json()
    assert [int(r["id"]) for r in first["itemRefs"] + rest["itemRefs"]] == everything
    assert "continuation" not in rest
    oldest = app.get(API + "/stream/items/ids", params={"s": READING_LIST, "r": "o", "n": 2}).json()
    assert [int(r["id"]) for r in oldest["itemRefs"]] == sorted(everything)[:2]
    # ot: only what was stored after a time (all of it was stored today).
    assert (
        _ids(app.get(API + "/stream/items/ids", params={"s": READING_LIST, "ot": 4102444800})) == []
    )
    # Contents by id, in the long form and the short one; the other id form answers the same.
    long_id = f"tag:google.com,2005:reader/item/{ids[FERRY]:016x}"
    got = app.post(API + "/stream/items/contents", data={"i": [long_id, str(ids[FISH])]}).json()
    assert [item["id"] for item in got["items"]] == [
        long_id,
        f"tag:google.com,2005:reader/item/{ids[FISH]:016x}",
    ]
    ferry = got["items"][0]
    assert ferry["canonical"][0]["href"] == FERRY and ferry["alternate"][0]["href"] == FERRY
    assert ferry["origin"]["title"] == "Harbour Times" and ferry["origin"]["streamId"].startswith(
        "feed/"
    )
    assert ferry["origin"]["htmlUrl"].endswith("/source/Harbour%20Times")
    assert ferry["published"] == 1748764800  # 2025-06-01T08:00Z, the article's own time
    assert "Port Elling" in ferry["summary"]["content"]
    # One feed's stream, and one folder's: the ferry story (the copy of it reached through
    # Valley Post included) is one item.
    subs = app.get(API + "/subscription/list").json()["subscriptions"]
    valley = next(s["id"] for s in subs if s["title"] == "Valley Post")
    stream = app.get(f"{API}/stream/contents/{valley}").json()
    assert sorted(int(i["id"].rsplit("/", 1)[1], 16) for i in stream["items"]) == sorted(
        [ids[FERRY], ids[VINEYARD]]
    )
    folder = app.get(f"{API}/stream/contents/user/-/label/Sources", params={"n": 50}).json()
    assert len(folder["items"]) == len(everything)


def test_hostile_article_content_is_inert(
    reader_site: ReaderSite, reader: tuple[httpx.Client, httpx.Client]
) -> None:
    app, _ = reader
    got = app.get(API + "/stream/items/contents", params={"i": reader_site.ids[HOSTILE]}).json()
    item = got["items"][0]
    assert_inert(item["summary"]["content"])
    assert "<script" not in item["title"]
    atom = app.get("/reader/atom/user/-/state/com.google/reading-list")
    assert atom.headers["content-type"].startswith("application/atom+xml")
    assert "<script" not in atom.text  # escaped inside <content type="html">


def test_marks_unread_counts_and_mark_all_as_read(
    reader_site: ReaderSite, reader: tuple[httpx.Client, httpx.Client]
) -> None:
    app, web = reader
    ids = reader_site.ids
    unread = {"s": READING_LIST, "xt": READ, "n": 50}
    assert app.post(API + "/edit-tag", data={"i": str(ids[FISH]), "a": READ}).text == "OK"
    long_id = f"tag:google.com,2005:reader/item/{ids[VINEYARD]:016x}"
    assert app.post(API + "/edit-tag", data={"i": long_id, "a": STARRED}).text == "OK"
    assert ids[FISH] not in _ids(app.get(API + "/stream/items/ids", params=unread))
    assert _ids(app.get(API + "/stream/items/ids", params={"s": READ})) == [ids[FISH]]
    assert _ids(app.get(API + "/stream/items/ids", params={"s": STARRED})) == [ids[VINEYARD]]
    assert "Valley vineyards expect a record harvest" in web.get("/saved").text
    counts = {c["id"]: c["count"] for c in app.get(API + "/unread-count").json()["unreadcounts"]}
    assert counts[READING_LIST] == 3 and counts["user/-/label/Sources"] == 3 + 1  # ferry twice
    # Unread again, unstarred again.
    app.post(API + "/edit-tag", data={"i": str(ids[FISH]), "r": READ})
    app.post(API + "/edit-tag", data={"i": long_id, "r": STARRED})
    assert ids[FISH] in _ids(app.get(API + "/stream/items/ids", params=unread))
    assert "Valley vineyards" not in web.get("/saved").text
    # mark-all-as-read with ts: only what was stored before it (nothing, with a time long ago).
    assert (
        app.post(API + "/mark-all-as-read", data={"s": READING_LIST, "ts": "946684800000000"}).text
        == "OK"
    )
    assert len(_ids(app.get(API + "/stream/items/ids", params=unread))) == 4
    assert app.post(API + "/mark-all-as-read", data={"s": READING_LIST}).text == "OK"
    assert _ids(app.get(API + "/stream/items/ids", params=unread)) == []
    counts = {c["id"]: c["count"] for c in app.get(API + "/unread-count").json()["unreadcounts"]}
    assert counts[READING_LIST] == 0


def test_subscribing_follows_known_sources_and_never_fetches(
    reader_site: ReaderSite, reader: tuple[httpx.Client, httpx.Client]
) -> None:
    app, _ = reader
    unknown = "http://127.0.0.1:9/feed.xml"  # nothing listens there: a fetch would show
    refused = app.post(API + "/subscription/edit", data={"ac": "subscribe", "s": f"feed/{unknown}"})
    assert refused.status_code == 400 and "does not gather" in refused.text
    missing = app.post(
        API + "/subscription/edit", data={"ac": "subscribe", "s": "feed/Nobody Weekly"}
    )
    assert missing.status_code == 400
    added = app.post(API + "/subscription/quickadd", data={"quickadd": "Harbour Times"}).json()
    assert added["numResults"] == 1  # already followed: the same feed
    subs = app.get(API + "/subscription/list").json()["subscriptions"]
    assert [s["title"] for s in subs] == ["Harbour Times", "Valley Post"]
    valley = next(s["id"] for s in subs if s["title"] == "Valley Post")
    renamed = app.post(
        API + "/subscription/edit", data={"ac": "edit", "s": valley, "t": "The Valley"}
    )
    assert renamed.text == "OK"
    gone = app.post(API + "/subscription/edit", data={"ac": "unsubscribe", "s": valley})
    assert gone.text == "OK"
    subs = app.get(API + "/subscription/list").json()["subscriptions"]
    assert [s["title"] for s in subs] == ["Harbour Times"]
    again = app.post(
        API + "/subscription/edit", data={"ac": "subscribe", "s": "feed/Valley Post", "t": "Valley"}
    )
    assert again.text == "OK"
    assert [s["title"] for s in app.get(API + "/subscription/list").json()["subscriptions"]] == [
        "Harbour Times",
        "Valley",
    ]


def test_no_cookie_login_no_shared_cache_and_another_reader_sees_nothing(
    reader_site: ReaderSite, reader: tuple[httpx.Client, httpx.Client]
) -> None:
    app, web = reader
    # The session cookie of a logged-in browser is no credential here.
    assert web.get(API + "/subscription/list").status_code == 401
    assert web.post(API + "/edit-tag", data={"i": "1", "a": READ}).status_code == 401
    answer = app.get(API + "/subscription/list")
    assert answer.headers["cache-control"] == "private, no-store"
    # Another reader with an app password of their own has their own (empty) lists.
    with register(reader_site, "gr-other") as other_web:
        password = new_app_password(other_web, "Reeder")
        with client_login(reader_site, "gr-other", password) as other:
            assert other.get(API + "/subscription/list").json()["subscriptions"] == []
            assert _ids(other.get(API + "/stream/items/ids", params={"s": STARRED})) == []


def test_client_login_refuses_account_passwords_and_locks_after_failures(
    reader_site: ReaderSite,
) -> None:
    with register(reader_site, "gr-neighbour"):
        pass
    with register(reader_site, "gr-locked") as web:
        password = new_app_password(web, "FeedMe")
    with httpx.Client(base_url=reader_site.base_url, timeout=10.0) as app:
        # The account password is not an app password.
        account = app.post("/accounts/ClientLogin", data={"Email": "gr-locked", "Passwd": PASSWORD})
        assert account.status_code == 401 and "Error=BadAuthentication" in account.text
        # Someone else's name with this app password: refused too.
        assert (
            app.post(
                "/accounts/ClientLogin", data={"Email": "gr-neighbour", "Passwd": password}
            ).status_code
            == 401
        )
        for _ in range(4):
            app.post("/accounts/ClientLogin", data={"Email": "gr-locked", "Passwd": "guess-1234"})
        locked = app.post("/accounts/ClientLogin", data={"Email": "gr-locked", "Passwd": password})
        assert locked.status_code == 429 and "Too many failed logins" in locked.text
        assert app.get(API + "/subscription/list").status_code == 401


def test_a_deleted_app_password_logs_its_app_out(reader_site: ReaderSite) -> None:
    with register(reader_site, "gr-revoked") as web:
        password = new_app_password(web, "Read You")
        with client_login(reader_site, "gr-revoked", password) as app:
            assert app.get(API + "/subscription/list").status_code == 200
            page = web.get("/account/apps").text
            form = page.split('action="/account/apps/', 1)[1]
            password_id = form.split("/", 1)[0]
            token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            deleted = web.post(f"/account/apps/{password_id}/delete", data={"csrf_token": token})
            assert deleted.status_code == 303
            assert app.get(API + "/subscription/list").status_code == 401


ODD_VALUES = ["", "abc", "-1", "0", "99999999999999999999999999", "1e9", "9" * 400, "\x00", "%ff"]


def test_odd_parameters_never_fail_the_server(reader: tuple[httpx.Client, httpx.Client]) -> None:
    app, _ = reader
    for value in ODD_VALUES:
        for key in ("n", "c", "ot", "nt", "r", "xt", "s"):
            answer = app.get(API + "/stream/items/ids", params={"s": READING_LIST, key: value})
            assert answer.status_code in (200, 404), (key, value, answer.text)
        for path, data in (
            ("/stream/items/contents", {"i": value}),
            ("/edit-tag", {"i": value, "a": READ}),
            ("/mark-all-as-read", {"s": READING_LIST, "ts": value}),
            ("/subscription/edit", {"ac": "subscribe", "s": value}),
        ):
            answer = app.post(API + path, data=data)
            assert answer.status_code in (200, 400, 404), (path, value, answer.text)
        long_form = app.get(
            API + "/stream/items/contents",
            params={"i": f"tag:google.com,2005:reader/item/{value}"},
        )
        assert long_form.status_code == 200 and long_form.json()["items"] == []
    app.post(API + "/edit-tag", data={"i": "tag:google.com,2005:reader/item/ffffffffffffffff"})


def test_app_writes_leave_the_anonymous_page_cache(
    reader_site: ReaderSite, reader: tuple[httpx.Client, httpx.Client]
) -> None:
    app, _ = reader
    with httpx.Client(base_url=reader_site.base_url, timeout=10.0) as anonymous:
        anonymous.get("/")
        assert anonymous.get("/").headers["x-page-cache"] == "hit"
        assert app.post(API + "/edit-tag", data={"i": "1", "a": READ}).text == "OK"
        assert app.post(API + "/mark-all-as-read", data={"s": READING_LIST}).text == "OK"
        assert anonymous.get("/").headers["x-page-cache"] == "hit"
        # ClientLogin takes no password in a URL.
        assert (
            anonymous.get("/accounts/ClientLogin", params={"Email": "x", "Passwd": "y"}).status_code
            == 405
        )
