"""The store's batch reads and writes say what the one-at-a-time calls say, on both databases."""

from __future__ import annotations

from newsdesk.store import Store
from support.synthetic import build_stories


def test_batch_reads_agree_with_single_reads(store: Store) -> None:
    with store.transaction() as repo:
        built = build_stories(repo, 2, 4)
        lone = repo.insert_articles([])  # nothing to write is no statement and no id
        assert lone == []
        every = [*built.article_ids, *built.duplicate_ids]
        links = repo.story_links(every)
        for article_id in every:
            single = repo.story_link(article_id)
            assert single is not None and links[article_id] == single
        ids = built.story_ids
        assert repo.story_sizes(ids) == {s: len(repo.story_member_ids(s)) for s in ids}
        assert repo.story_breadths(ids) == {s: repo.story_breadth(s) for s in ids}
        assert repo.get_stories(ids) == {s: repo.get_story(s) for s in ids}
        assert repo.story_briefs(ids) == {s: repo.get_brief(story_id=s) for s in ids}
        assert repo.article_briefs(built.article_ids) == {
            a: repo.get_brief(article_id=a) for a in built.article_ids
        }
        teasers = repo.article_teasers(built.article_ids)
        for article_id in built.article_ids:
            brief = repo.get_brief(article_id=article_id)
            assert brief is not None and teasers[article_id] == brief.teaser()
        story = ids[0]
        members = repo.story_member_ids(story)
        page = repo.story_coverage(story, limit=3, offset=1)
        assert [c.id for c in page] == members[1:4]
        newest = repo.story_coverage(story, limit=10, newest_first=True)
        dated = [c.published for c in newest if c.published is not None]
        assert dated == sorted(dated, reverse=True) and {c.id for c in newest} == set(members)
        points = repo.story_points(story)
        dated_members = [a for a in repo.story_members(story) if a.published is not None]
        assert len(points) >= len(dated_members) + 1  # and the wire copy seen elsewhere
        assert repo.search("bridge", limit=50)  # bulk-written text is indexed


def test_stats_count_merged_copies_once(store: Store) -> None:
    with store.transaction() as repo:
        build_stories(repo, 2, 3, article_briefs=False)
        stats = repo.stats()
    # Per story: 3 articles, a near-duplicate (own row) and an exact copy (a sighting only).
    assert (stats.articles, stats.duplicates, stats.near_duplicates) == (6, 4, 2)
    assert stats.sightings == stats.articles + stats.duplicates
