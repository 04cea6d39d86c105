"""What one reader keeps: follows and mutes, saved items, read state, app passwords, digests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.store import Store
from support.store import ArticleFactory

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def test_follow_mute_and_unfollow(store: Store) -> None:
    with store.transaction() as repo:
        ada = repo.create_user("ada", "hash", "member", NOW)
        repo.follow(ada.id, "person", "Ursula von der Leyen", "Ursula von der Leyen", NOW)
        repo.follow(ada.id, "tag", "climate", "#Climate", NOW)
        repo.follow(ada.id, "source", "3", "AP News", NOW, muted=True)
        with pytest.raises(ValueError):
            repo.follow(ada.id, "planet", "Mars", "Mars", NOW)
    with store.transaction() as repo:
        assert [f.value for f in repo.follows_of(ada.id, muted=False)] == [
            "Ursula von der Leyen",
            "climate",
        ]
        assert [f.label for f in repo.follows_of(ada.id, muted=True)] == ["AP News"]
        # following what was muted unmutes it: one row per reader, kind and value
        again = repo.follow(ada.id, "source", "3", "AP News", NOW)
        assert not again.muted and len(repo.follows_of(ada.id)) == 3
        assert repo.unfollow(ada.id, "tag", "climate")
        assert not repo.unfollow(ada.id, "tag", "climate")
        assert repo.follow_of(ada.id, "tag", "climate") is None


def test_saved_and_read_state(store: Store, make_article: ArticleFactory) -> None:
    with store.transaction() as repo:
        ada = repo.create_user("ada", "hash", "member", NOW)
        first = repo.insert_article(make_article(title="One", sig=1))
        second = repo.insert_article(make_article(title="Two", sig=2))
        repo.save_item(ada.id, "article", first, NOW)
        repo.save_item(ada.id, "article", first, NOW + timedelta(hours=1))
        repo.save_item(ada.id, "story", 7, NOW + timedelta(hours=2))
        repo.mark_articles_read(ada.id, [first, first, second], NOW)
        repo.mark_articles_unread(ada.id, [second])
        repo.mark_story_read(ada.id, 7, 4, NOW)
        repo.mark_story_read(ada.id, 7, 6, NOW + timedelta(hours=3))
    with store.transaction() as repo:
        assert repo.saved_of(ada.id) == [
            ("story", 7, NOW + timedelta(hours=2)),
            ("article", first, NOW),
        ]
        repo.unsave_item(ada.id, "story", 7)
        assert not repo.is_saved(ada.id, "story", 7) and repo.is_saved(ada.id, "article", first)
        assert repo.read_article_ids(ada.id, [first, second]) == {first}
        assert repo.story_reads_of(ada.id, [7, 8]) == {7: (NOW + timedelta(hours=3), 6)}


def test_app_passwords_and_digests(store: Store) -> None:
    with store.transaction() as repo:
        ada = repo.create_user("ada", "hash", "member", NOW)
        made = repo.create_app_password(ada.id, "phone", "a" * 64, "b" * 64, NOW)
        repo.set_digest(
            ada.id, frequency="daily", email="ada@example.org", feed_token_hash="c" * 64
        )
        with pytest.raises(ValueError):
            repo.set_digest(ada.id, frequency="hourly")
    with store.transaction() as repo:
        assert repo.app_password_by_hash("a" * 64) == made
        assert repo.app_password_by_hash("b" * 64) == made
        assert repo.app_password_by_hash("d" * 64) is None
        repo.touch_app_password(made.id, NOW)
        assert repo.app_passwords_of(ada.id)[0].last_used_at == NOW
        settings = repo.digest_settings(ada.id)
        assert settings.frequency == "daily" and settings.email == "ada@example.org"
        assert repo.digest_by_token("feed_token_hash", "c" * 64) == settings
        assert [d.user_id for d in repo.digests_due("daily", NOW)] == [ada.id]
        repo.set_digest(ada.id, last_sent_at=NOW)
        assert repo.digests_due("daily", NOW) == []
        assert repo.delete_app_password(ada.id, made.id)
        assert repo.digest_settings(999).frequency == "off"
