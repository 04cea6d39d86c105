"""A story card has one builder: the cards of a listing (read.story_cards over ranked rows) and
the cards of stories named by id (read.story_cards_for) are the same cards."""

from __future__ import annotations

from pathlib import Path

from newsdesk import read
from newsdesk.store import Store
from support.synthetic import build_stories


def test_cards_by_id_are_the_cards_of_the_listing(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'news.db'}") as store:
        with store.transaction() as repo:
            built = build_stories(repo, 3, 6)
        with store.transaction(readonly=True) as repo:
            listed = read.story_cards(repo, repo.list_stories(limit=10))
            wanted = [built.story_ids[2], 10_000, built.story_ids[0], built.story_ids[2]]
            named = read.story_cards_for(repo, wanted)
    by_id = {card.id: card for card in listed}
    assert [c.id for c in named] == [built.story_ids[2], built.story_ids[0]]  # order kept
    assert named == [by_id[c.id] for c in named]
    assert all(c.publishers and c.summary and c.first_seen for c in named)
