"""A Fever app that none of us wrote (the freshrss-api package from PyPI, written for FreshRSS's
Fever endpoint) logs in with an app password, lists feeds and groups, reads the unread items,
marks one read and saves another; the web shows the save."""

from __future__ import annotations

import httpx
import pytest
from freshrss_api import FreshRSSAPI
from freshrss_api.utils.errors import AuthenticationError

from support.reader_apps import (
    ReaderSite,
    assert_inert,
    follow,
    new_app_password,
    register,
)

FERRY = "https://harbour-times.example/ferry"
COPY = "https://valley-post.example/news/ferry-terminal"
FISH = "https://harbour-times.example/fish"
HOSTILE = "https://harbour-times.example/hostile"
VINEYARD = "https://valley-post.example/news/vineyard"


def test_a_fever_app_reads_marks_and_saves(reader_site: ReaderSite) -> None:
    with register(reader_site, "fever-reader") as web:
        _read_mark_and_save(reader_site, web)


def _read_mark_and_save(reader_site: ReaderSite, web: httpx.Client) -> None:
    password = new_app_password(web, "Reeder on my phone")
    follow(reader_site, "fever-reader", "source", "Harbour Times", "Harbour Times")
    follow(reader_site, "fever-reader", "person", "Anna Lindqvist", "Anna Lindqvist")
    follow(reader_site, "fever-reader", "source", "Valley Post", "Valley Post")
    ids = reader_site.ids

    # The client logs in on construction (it checks auth=1) and adds /api/fever.php itself.
    app = FreshRSSAPI(
        host=reader_site.base_url + "/fever", username="fever-reader", password=password
    )

    feeds = app.get_feeds()
    assert feeds["auth"] == 1 and feeds["api_version"] == 3
    assert sorted(f["title"] for f in feeds["feeds"]) == [
        "Anna Lindqvist",
        "Harbour Times",
        "Valley Post",
    ]
    groups = {g["title"] for g in app.get_groups()["groups"]}
    assert groups == {"Sources", "People"}

    unread = app.get_unreads()
    unread_ids = [item.id for item in unread]
    # The ferry story reached three ways (its publisher, its copy's publisher, the mayor it
    # names) is one item; the near copy is not an item of its own.
    assert ids[COPY] == ids[FERRY]
    assert unread_ids.count(ids[FERRY]) == 1
    assert set(unread_ids) == {ids[FERRY], ids[FISH], ids[VINEYARD], ids[HOSTILE]}
    hostile = next(item for item in unread if item.id == ids[HOSTILE])
    assert_inert(hostile.html)
    assert "&lt;script&gt;" in hostile.html  # the article's text, shown as text
    ferry = next(item for item in unread if item.id == ids[FERRY])
    assert ferry.url == FERRY and not ferry.is_read and not ferry.is_saved

    app.set_mark("read", ids[FERRY])
    app.set_mark("saved", ids[FISH])
    assert ids[FERRY] not in {item.id for item in app.get_unreads()}
    assert [item.id for item in app.get_saved()] == [ids[FISH]]
    again = app.get_items_from_ids([ids[FERRY], ids[FISH]])
    assert [(i.is_read, i.is_saved) for i in again] == [(True, False), (False, True)]

    # The web: the saved article is on the reader's saved page.
    saved = web.get("/saved")
    assert saved.status_code == 200
    assert "Fishing quotas cut for the northern fleet" in saved.text

    app.set_mark("unsaved", ids[FISH])
    assert app.get_saved() == []


def test_a_wrong_password_is_refused(reader_site: ReaderSite) -> None:
    with register(reader_site, "fever-stranger"), pytest.raises(AuthenticationError):
        FreshRSSAPI(
            host=reader_site.base_url + "/fever",
            username="fever-stranger",
            password="not-an-app-password",
        )
