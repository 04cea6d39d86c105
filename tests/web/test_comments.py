"""Comments: post, reply, edit own only, admins hide, XSS inert, size and rate limits, htmx."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from newsdesk.web import comments
from support.synthetic import build_stories

from .accounts_app import add_user, csrf, log_in, running

PAGE = "/articles/7"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[FastAPI]:
    with running(tmp_path / "web.db") as built:
        with built.state.newsdesk.store.transaction() as repo:
            build_stories(repo, stories=1, per_story=7)  # the page's article 7 exists
        for name in ("alice", "bob"):
            add_user(built, name)
        add_user(built, "admin", role="admin")
        yield built


def post(client: TestClient, body: str, **extra: str) -> object:
    data = {"body": body, "next": PAGE, "csrf_token": csrf(client, PAGE), **extra}
    return client.post("/comments/article/7", data=data)


def ids(app: FastAPI) -> list[int]:
    with app.state.newsdesk.store.transaction(readonly=True) as repo:
        return [c.id for c in repo.comments_on("article", 7)]


def test_logged_out_visitors_are_asked_to_log_in(app: FastAPI) -> None:
    client = TestClient(app)
    page = client.get(PAGE).text
    assert "Log in to comment" in page and "<textarea" not in page
    answer = client.post("/comments/article/7", data={"body": "hi", "csrf_token": csrf(client)})
    assert answer.status_code == 401


def test_comment_and_reply_are_threaded(app: FastAPI) -> None:
    alice, bob = log_in(app, "alice"), log_in(app, "bob")
    answer = post(alice, "First **bold** point")
    assert answer.url.path == PAGE  # redirected back
    assert "<strong>bold</strong>" in answer.text
    (first,) = ids(app)
    post(bob, "A reply", parent_id=str(first))
    page = TestClient(app).get(PAGE).text
    nested = re.search(rf'id="comment-{first}".*?<ol class="replies">.*?A reply', page, re.S)
    assert nested, "the reply sits inside its parent"


def test_reply_to_a_comment_elsewhere_is_refused(app: FastAPI) -> None:
    alice = log_in(app, "alice")
    token = csrf(alice, PAGE)
    with app.state.newsdesk.store.transaction(readonly=True) as repo:
        story = repo.story_of(7)
    alice.post(f"/comments/story/{story}", data={"body": "on a story", "csrf_token": token})
    with app.state.newsdesk.store.transaction(readonly=True) as repo:
        (other,) = repo.comments_on("story", story)
    assert post(alice, "cross", parent_id=str(other.id)).status_code == 404


def test_edit_own_but_not_others(app: FastAPI) -> None:
    alice, bob = log_in(app, "alice"), log_in(app, "bob")
    post(alice, "Original")
    (cid,) = ids(app)
    data = {"body": "Changed by bob", "csrf_token": csrf(bob, PAGE)}
    assert bob.post(f"/comments/{cid}/edit", data=data).status_code == 403
    assert bob.post(f"/comments/{cid}/delete", data=data).status_code == 403
    data = {"body": "Fixed *typo*", "next": PAGE, "csrf_token": csrf(alice, PAGE)}
    page = alice.post(f"/comments/{cid}/edit", data=data).text
    assert "<em>typo</em>" in page and "(edited)" in page and "Original" not in page
    alice.post(f"/comments/{cid}/delete", data={"next": PAGE, "csrf_token": csrf(alice, PAGE)})
    assert "typo" not in TestClient(app).get(PAGE).text


def test_admin_hides_and_unhides(app: FastAPI) -> None:
    alice, bob, admin = log_in(app, "alice"), log_in(app, "bob"), log_in(app, "admin")
    post(alice, "Spam spam spam")
    (cid,) = ids(app)
    assert bob.post(f"/comments/{cid}/hide", data={"csrf_token": csrf(bob)}).status_code == 403
    admin.post(f"/comments/{cid}/hide", data={"next": PAGE, "csrf_token": csrf(admin)})
    page = TestClient(app).get(PAGE).text
    assert "Spam spam" not in page and "hidden by a moderator" in page
    assert "Spam spam" in admin.get(PAGE).text  # admins still see it, marked
    admin.post(f"/comments/{cid}/unhide", data={"next": PAGE, "csrf_token": csrf(admin)})
    assert "Spam spam" in TestClient(app).get(PAGE).text


XSS = [
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    '<img src=x onerror="alert(1)">',
    "<a href='javascript:alert(1)'>raw</a>",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](https://example.org/x.png)",
]


def test_xss_payloads_render_inert(app: FastAPI) -> None:
    alice = log_in(app, "alice")
    post(alice, "\n\n".join([*XSS, "[fine](https://example.org/a)"]))
    page = TestClient(app).get(PAGE).text
    body = page.split('class="body">', 1)[1].split("</div>", 1)[0]
    assert "<script" not in body and "<img" not in body
    assert not re.search(r"<[^>]+\son\w+\s*=", body)
    assert 'href="javascript' not in body and 'href="data' not in body
    assert '<a href="https://example.org/a" rel="noopener noreferrer nofollow">fine</a>' in body


def test_render_markdown_is_sanitized() -> None:
    html = comments.render_markdown("<script>x</script> [a](javascript:alert(1)) *ok*")
    assert "<script" not in html and "href=" not in html  # the link stays plain text
    assert "<em>ok</em>" in html


def test_oversized_comment_gets_a_clear_message(app: FastAPI) -> None:
    alice = log_in(app, "alice")
    answer = post(alice, "x" * (comments.MAX_CHARS + 1))
    assert answer.status_code == 422
    assert "the limit is 5,000" in answer.text and 'role="alert"' in answer.text
    assert ids(app) == []
    data = {"body": "y" * 6000, "next": PAGE, "csrf_token": csrf(alice, PAGE)}
    htmx = alice.post("/comments/article/7", data=data, headers={"HX-Request": "true"})
    assert htmx.status_code == 200 and "the limit is 5,000" in htmx.text


def test_rate_limit_per_user(app: FastAPI) -> None:
    alice, bob = log_in(app, "alice"), log_in(app, "bob")
    for i in range(comments.RATE_LIMIT):
        post(alice, f"comment {i}")
    answer = post(alice, "one too many")
    assert answer.status_code == 429 and "comments a minute" in answer.text
    assert "one too many" in answer.text  # the draft is kept
    post(bob, "bob is not limited")
    assert len(ids(app)) == comments.RATE_LIMIT + 1


def test_htmx_gets_the_thread_partial(app: FastAPI) -> None:
    alice = log_in(app, "alice")
    headers = {"HX-Request": "true"}
    data = {"body": "via htmx", "next": PAGE, "csrf_token": csrf(alice, PAGE)}
    answer = alice.post("/comments/article/7", data=data, headers=headers)
    assert answer.status_code == 200
    assert '<section id="comments"' in answer.text and "via htmx" in answer.text
    assert "<html" not in answer.text
    error = alice.post("/comments/article/7", data={**data, "body": " "}, headers=headers)
    assert error.status_code == 200 and "cannot be empty" in error.text
    assert TestClient(app).get("/comments/article/7").text.count("via htmx") == 1


def test_comment_forms_carry_csrf_and_htmx(app: FastAPI) -> None:
    alice = log_in(app, "alice")
    post(alice, "hello")
    page = alice.get(PAGE).text
    forms = re.findall(r"<form.*?</form>", page, re.S)
    assert len(forms) >= 4  # new comment, reply, edit, delete
    for form in forms:
        assert 'name="csrf_token"' in form
    assert 'hx-post="/comments/article/7"' in page


def test_a_comment_on_nothing_is_refused(app: FastAPI) -> None:
    """The form, like the API, refuses a target that does not exist: nothing is stored."""
    alice = log_in(app, "alice")
    data = {"body": "hello", "next": PAGE, "csrf_token": csrf(alice, PAGE)}
    for path in ("/comments/article/999", "/comments/story/999"):
        assert alice.post(path, data=data).status_code == 404
    with app.state.newsdesk.store.transaction(readonly=True) as repo:
        assert repo.comments_on("article", 999) == [] and repo.comments_on("story", 999) == []
