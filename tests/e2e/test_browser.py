"""The web app in a real browser: reading, accounts, comments, CSRF, XSS and the CSP.

Every page visited is saved as a full-page PNG under artifacts/screenshots/, and every test
fails on a Content-Security-Policy violation or an uncaught script error on any of its pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from support.browser import XSS, XSS_LINK, Site

pytestmark = pytest.mark.e2e

TIMEOUT_MS = 10_000
# Every anchor whose href (as the browser resolved it) would run script.
JS_LINKS = """() => Array.from(document.querySelectorAll('a[href]'))
    .map(a => a.getAttribute('href'))
    .filter(h => /^\\s*javascript:/i.test(h))"""


class Tab:
    """One browser context and page; records console errors and saves screenshots."""

    def __init__(self, browser: Any, site: Site, shots: Path, name: str) -> None:
        self.site = site
        self.shots = shots
        self.name = name
        self.count = 0
        self.context = browser.new_context(base_url=site.base_url)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.page.on(
            "console",
            lambda msg: (
                self.console_errors.append(f"{msg.text} at {msg.location}")
                if msg.type == "error"
                else None
            ),
        )
        self.page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))

    def shot(self, label: str) -> None:
        self.count += 1
        path = self.shots / f"{self.name}-{self.count:02d}-{label}.png"
        self.page.screenshot(path=str(path), full_page=True)

    def visit(self, url: str, label: str) -> None:
        response = self.page.goto(url)
        assert response is not None and response.ok, f"{url}: {response and response.status}"
        self.shot(label)

    def login(self, name: str, password: str) -> None:
        self.visit("/login", "login")
        self.page.fill("#login-name", name)
        self.page.fill("#login-password", password)
        with self.page.expect_navigation():
            self.page.click("form[action='/login'] button[type=submit]")
        assert self.page.inner_text(".account .who") == name
        self.shot("logged-in")

    def csp_violations(self) -> list[str]:
        return [e for e in self.console_errors if "Content Security Policy" in e]

    def xss_ran(self) -> bool:
        return bool(self.page.evaluate("() => typeof window.__xss !== 'undefined'"))


@pytest.fixture
def tab(browser: Any, site: Site, shots: Path, request: pytest.FixtureRequest) -> Iterator[Tab]:
    name = request.node.name.removeprefix("test_")
    for old in shots.glob(f"{name}-*.png"):
        old.unlink()
    opened = Tab(browser, site, shots, name)
    try:
        yield opened
    finally:
        opened.context.close()
    assert opened.csp_violations() == [], opened.csp_violations()
    assert opened.page_errors == [], opened.page_errors


def _first_article(tab: Tab) -> int:
    """Front page, first story, its first article: the article's id."""
    tab.visit("/", "home")
    with tab.page.expect_navigation():
        tab.page.click("ol.stories li.card h2 a")
    assert re.search(r"/story/\d+$", tab.page.url), tab.page.url
    tab.shot("story")
    with tab.page.expect_navigation():
        tab.page.locator("main .source-group li > a[href^='/article/']:not(.cite)").first.click()
    match = re.search(r"/article/(\d+)$", tab.page.url)
    assert match, tab.page.url
    tab.shot("article")
    return int(match.group(1))


def test_front_page_story_article_related(tab: Tab) -> None:
    article_id = _first_article(tab)
    assert tab.page.inner_text("main h1")
    items = tab.page.locator("aside ul.related > li")
    assert items.count() > 0, "the article has no related list"
    hrefs, titles, pairs = [], [], []
    for i in range(items.count()):
        item = items.nth(i)
        link = item.locator("a").first
        hrefs.append(link.get_attribute("href"))
        title = " ".join(link.inner_text().split()).casefold()
        source = item.locator(".meta").inner_text().split(" · ")[0].strip().casefold()
        titles.append(title)
        pairs.append((title, source))
    assert f"/article/{article_id}" not in hrefs, "the article is related to itself"
    own_title = " ".join(tab.page.inner_text("main h1").split()).casefold()
    assert own_title not in titles, "the article's own title is in its related list"
    assert len(set(hrefs)) == len(hrefs), f"repeated links: {hrefs}"
    assert len(set(titles)) == len(titles), f"repeated titles: {titles}"
    assert len(set(pairs)) == len(pairs), f"repeated title/source: {pairs}"


def test_register_logout_login(tab: Tab) -> None:
    page = tab.page
    tab.visit("/register", "register")
    page.fill("#reg-name", "new.reader")
    page.fill("#reg-password", "a long enough password")
    page.fill("#reg-confirm", "a long enough password")
    with page.expect_navigation():
        page.click("form[action='/register'] button[type=submit]")
    assert page.inner_text(".account .who") == "new.reader"
    tab.shot("registered")
    with page.expect_navigation():
        page.click(".account form[action='/logout'] button")
    assert page.locator(".account .who").count() == 0
    assert page.locator(".account a[href='/login']").is_visible()
    tab.shot("logged-out")
    tab.login("new.reader", "a long enough password")


def test_comment_and_nested_reply(tab: Tab, site: Site) -> None:
    tab.login(site.user, site.password)
    article_id = _first_article(tab)
    page = tab.page
    page.fill("#comment-body", "A first comment from the browser.")
    page.click("form.comment-form button[type=submit]")
    comment = page.locator("#comments li.comment", has_text="A first comment from the browser.")
    comment.first.wait_for()
    comment_id = comment.first.get_attribute("id")
    assert comment_id and comment_id.startswith("comment-")
    page.locator(f"#{comment_id} > article details summary", has_text="Reply").click()
    page.fill(f"#reply-{comment_id.removeprefix('comment-')}", "And a reply to it.")
    page.locator(f"#{comment_id} > article button", has_text="Post reply").click()
    reply = page.locator(f"#{comment_id} > ol.replies > li.comment", has_text="And a reply to it.")
    reply.wait_for()
    tab.shot("commented")
    # Both survive a reload (the htmx swap was not the only place they lived).
    tab.visit(f"/article/{article_id}", "reloaded")
    assert page.locator(f"#{comment_id}").is_visible()
    assert "And a reply" in page.locator(f"#{comment_id} ol.replies li.comment").inner_text()


def test_oversized_comment_is_explained(tab: Tab, site: Site) -> None:
    tab.login(site.user, site.password)
    _first_article(tab)
    page = tab.page
    # The textarea's maxlength stops a person; the server must still explain to a script.
    page.locator("#comment-body").evaluate("el => el.removeAttribute('maxlength')")
    page.fill("#comment-body", "x" * 5001)
    page.click("form.comment-form button[type=submit]")
    error = page.locator("#comments .error")
    error.wait_for()
    assert "5,001 characters" in error.inner_text()
    assert "limit is 5,000" in error.inner_text()
    tab.shot("oversized")
    assert page.locator("#comments li.comment", has_text="xxxxxxxxxx").count() == 0


def test_post_without_csrf_token_is_refused(tab: Tab, site: Site) -> None:
    tab.login(site.user, site.password)
    tab.visit(f"/article/{site.hostile_id}", "article")
    url = f"{site.base_url}/comments/article/{site.hostile_id}"
    refused = tab.page.request.post(url, form={"body": "no token", "next": "/"})
    assert refused.status == 403, refused.status
    logout = tab.page.request.post(f"{site.base_url}/logout", form={})
    assert logout.status == 403, logout.status
    tab.visit(f"/article/{site.hostile_id}", "after")
    assert tab.page.locator("#comments li.comment", has_text="no token").count() == 0
    assert tab.page.inner_text(".account .who") == site.user


def test_hostile_content_never_runs(tab: Tab, site: Site) -> None:
    tab.login(site.user, site.password)
    page = tab.page
    tab.visit(f"/article/{site.hostile_id}", "hostile-article")
    body = f"Look: {XSS} [a link]({XSS_LINK}) <{XSS_LINK}> {XSS_LINK}"
    page.fill("#comment-body", body)
    page.click("form.comment-form button[type=submit]")
    page.locator("#comments li.comment", has_text="Look:").wait_for()
    tab.shot("hostile-comment")
    assert "Hostile" in page.inner_text("main h1")
    source = page.locator("main .meta a[href^='/source/']").first.get_attribute("href")
    story = page.locator("main .meta a[href^='/story/']")
    pages = [f"/article/{site.hostile_id}", "/", "/search?q=Hostile", str(source)]
    if story.count():
        pages.append(str(story.first.get_attribute("href")))
    for n, url in enumerate(pages):
        if n:
            tab.visit(url, f"hostile-{n}")
        assert not tab.xss_ran(), f"script ran on {url}"
        assert page.evaluate(JS_LINKS) == [], f"javascript: link on {url}"
        assert page.locator('a[href^="javascript:"]').count() == 0
    assert quote("Evil") in str(source)
