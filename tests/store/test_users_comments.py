"""Users, sessions, API tokens, login failures and comments, on every backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.errors import NotFoundError
from newsdesk.store import Store
from newsdesk.store.users import NameTakenError
from support.synthetic import build_stories

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def test_users_sessions_and_tokens(store: Store) -> None:
    with store.transaction() as repo:
        ada = repo.create_user("Ada", "hash", "admin", NOW)
        with pytest.raises(NameTakenError):
            repo.create_user("ada", "other", "member", NOW)
        repo.create_session("s" * 64, ada.id, "secret", NOW, NOW + timedelta(days=1))
        repo.create_api_token("t" * 64, ada.id, "cli", NOW)
    with store.transaction() as repo:
        found = repo.user_by_name("ADA")
        assert found is not None and found.id == ada.id and found.is_admin
        session = repo.session_user("s" * 64, NOW)
        assert session is not None and session[0].name == "Ada" and session[1] == "secret"
        assert repo.session_user("s" * 64, NOW + timedelta(days=2)) is None
        assert repo.session_user("x" * 64, NOW) is None
        token_user = repo.token_user("t" * 64)
        assert token_user is not None and token_user.id == ada.id
        repo.delete_session("s" * 64)
        assert repo.session_user("s" * 64, NOW) is None


def test_login_failures_count_in_a_window(store: Store) -> None:
    with store.transaction() as repo:
        for minutes in (30, 10, 5):
            repo.record_login_failure(["user:ada", "ip:1.2.3.4"], NOW - timedelta(minutes=minutes))
        assert repo.login_failures("user:ada", NOW - timedelta(minutes=15)) == 2
        repo.clear_login_failures("user:ada")
        assert repo.login_failures("user:ada", NOW - timedelta(hours=1)) == 0
        assert repo.login_failures("ip:1.2.3.4", NOW - timedelta(hours=1)) == 3


def test_comments_thread_edit_hide_delete(store: Store) -> None:
    with store.transaction() as repo:
        ada = repo.create_user("ada", "hash", "member", NOW)
        built = build_stories(repo, stories=1, per_story=1)  # article 1 in story 1
        assert built.article_ids == built.story_ids == [1]
        with pytest.raises(NotFoundError):  # a comment needs something to be on
            repo.add_comment("article", 999, ada.id, "hi", "<p>hi</p>", NOW)
        first = repo.add_comment("article", 1, ada.id, "hi", "<p>hi</p>", NOW)
        reply = repo.add_comment(
            "article", 1, ada.id, "re", "<p>re</p>", NOW + timedelta(seconds=1), parent_id=first
        )
        repo.add_comment("story", 1, ada.id, "story", "<p>story</p>", NOW)
        with pytest.raises(NotFoundError):
            repo.add_comment("story", 1, ada.id, "x", "x", NOW, parent_id=first)
    with store.transaction() as repo:
        repo.edit_comment(first, "hello", "<p>hello</p>", NOW + timedelta(minutes=1))
        repo.set_comment_hidden(reply, True)
        thread = repo.comments_on("article", 1)
        assert [(c.id, c.parent_id, c.user_name) for c in thread] == [
            (first, None, "ada"),
            (reply, first, "ada"),
        ]
        assert thread[0].body == "hello" and thread[0].edited_at is not None
        assert thread[1].hidden and not thread[0].hidden
        repo.delete_comment(first)
        gone = repo.get_comment(first)
        assert gone.deleted and gone.body == "" and gone.html == ""
        assert repo.comments_since(ada.id, NOW - timedelta(seconds=1)) == 3
        with pytest.raises(NotFoundError):
            repo.get_comment(9999)
