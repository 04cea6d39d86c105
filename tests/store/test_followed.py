"""Followed stories (SQLite and PostgreSQL): what a reader follows, as stories ranked like the
front page, minus what they mute; since keeps the stories that moved."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.read.for_you import followed_stories, followed_summaries, without_muted
from newsdesk.store import Store, StoryRow
from support.store import ArticleFactory

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def _story(
    store: Store,
    make_article: ArticleFactory,
    name: str,
    publishers: list[str],
    *,
    published: datetime = NOW,
    text: str = "Some text.",
    tags: tuple[str, ...] = (),
    people: tuple[str, ...] = (),
    section: str | None = None,
) -> int:
    """A story of one article per publisher, each tagged and naming the people given."""
    with store.transaction() as repo:
        ids = [
            repo.insert_article(
                make_article(f"{name} by {p}", text, source=p, published=published, lang="en")
            )
            for p in publishers
        ]
        repo.upsert_story(StoryRow(id=ids[0], title=name, size=len(ids)))
        for article_id in ids:
            repo.link_article(article_id, ids[0], similarity=1.0, shared_entities=(), reason="t")
            repo.save_tags(article_id, tags, [(p, "PERSON") for p in people])
        if section:
            repo.set_story_section(ids[0], section, None)
    return ids[0]


def test_followed_stories_match_rank_like_the_front_page_and_leave_out_mutes(
    store: Store, make_article: ArticleFactory
) -> None:
    lovelace = _story(store, make_article, "Engine", ["AP", "BBC", "NPR"], people=("Ada Lovelace",))
    climate = _story(store, make_article, "Floods", ["AP", "DW"], tags=("#Climate",))
    match = _story(store, make_article, "Cup final", ["Muted Daily"], section="Sports")
    lava = _story(
        store,
        make_article,
        "Eruption",
        ["Reuters"],
        text="The volcano erupted at dawn.",
        published=NOW - timedelta(days=5),
    )
    _story(store, make_article, "Unfollowed", ["AP", "BBC", "DW", "NPR", "Reuters"])
    with store.transaction() as repo:
        ada = repo.create_user("ada", "hash", "member", NOW).id
        bob = repo.create_user("bob", "hash", "member", NOW).id
        repo.follow(ada, "person", "Ada Lovelace", "Ada Lovelace", NOW)
        repo.follow(ada, "tag", "Climate", "#Climate", NOW)
        repo.follow(ada, "section", "Sports", "Sports", NOW)
        repo.follow(ada, "search", "volcano", "volcano", NOW)
        repo.follow(ada, "source", "Muted Daily", "Muted Daily", NOW, muted=True)
    with store.transaction(readonly=True) as repo:
        front = [s.id for s in repo.list_stories(limit=20, now=NOW)]
        wanted = [i for i in front if i in (lovelace, climate, lava)]
        cards = followed_stories(repo, ada, now=NOW)
        assert [c.id for c in cards] == wanted
        assert cards[0].title == "Engine" and cards[0].publishers  # the front page's cards
        # since: only the stories whose coverage moved since then
        recent = followed_summaries(repo, ada, since=NOW - timedelta(days=1), now=NOW)
        assert [s.id for s in recent] == [i for i in wanted if i != lava]
        assert [s.id for s in followed_summaries(repo, ada, limit=1, offset=1, now=NOW)] == [
            wanted[1]
        ]
        # the mute hides the muted source's story from the front page for ada only
        rows = repo.list_stories(limit=20, now=NOW)
        assert [s.id for s in without_muted(repo, ada, rows)] == [i for i in front if i != match]
        assert [s.id for s in without_muted(repo, bob, rows)] == front
        assert followed_stories(repo, bob) == []
    with store.transaction() as repo:
        repo.follow(ada, "source", "Muted Daily", "Muted Daily", NOW)  # unmuted: followed
        repo.follow(ada, "search", "volcano", "volcano", NOW, muted=True)
        repo.follow(ada, "person", "Ada Lovelace", "Ada Lovelace", NOW, muted=True)
    with store.transaction(readonly=True) as repo:
        assert [c.id for c in followed_stories(repo, ada, now=NOW)] == [
            i for i in front if i in (climate, match)
        ]


def test_a_muted_source_hides_a_story_it_copied_and_tags_match_either_spelling(
    store: Store, make_article: ArticleFactory
) -> None:
    floods = _story(store, make_article, "Floods", ["AP", "DW"], tags=("Climate",))
    with store.transaction() as repo:
        canonical = repo.get_story(floods).id
        repo.insert_article(
            make_article("Floods (copied)", source="Copycat", sig=9), duplicate_of=canonical
        )
        ada = repo.create_user("ada", "hash", "member", NOW).id
        repo.follow(ada, "tag", "#Climate", "#Climate", NOW)
    with store.transaction(readonly=True) as repo:
        assert [c.id for c in followed_stories(repo, ada, now=NOW)] == [floods]
        assert repo.stories_matching_among([("source", "Copycat")], [floods]) == {floods}
        assert repo.stories_matching_among([("source", "AP")], [floods]) == {floods}
        assert repo.stories_matching_among([("source", "Reuters")], [floods]) == set()


def test_a_saved_story_stays_saved_through_a_merge(
    store: Store, make_article: ArticleFactory
) -> None:
    keep = _story(store, make_article, "Floods", ["AP", "DW"])
    gone = _story(store, make_article, "Flooding", ["BBC"])
    with store.transaction() as repo:
        ada = repo.create_user("ada", "hash", "member", NOW).id
        repo.save_item(ada, "story", gone, NOW)
        repo.merge_stories(keep, gone)
    with store.transaction() as repo:
        assert repo.saved_among(ada, "story", [keep]) == {keep}
        assert repo.is_saved(ada, "story", keep) and repo.is_saved(ada, "story", gone)
        repo.unsave_item(ada, "story", keep)
        assert repo.saved_of(ada) == [] and repo.saved_among(ada, "story", [keep]) == set()


def test_a_story_read_before_a_merge_is_read_with_what_joined_it_new(
    store: Store, make_article: ArticleFactory
) -> None:
    keep = _story(store, make_article, "Floods", ["AP", "DW"])
    gone = _story(store, make_article, "Flooding", ["BBC"])
    with store.transaction() as repo:
        ada = repo.create_user("ada", "hash", "member", NOW).id
        repo.mark_story_read(ada, gone, 1, NOW)
        repo.merge_stories(keep, gone)
    with store.transaction(readonly=True) as repo:
        assert repo.story_reads_of(ada, [keep]) == {keep: (NOW, 1)}
