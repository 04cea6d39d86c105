"""An article card has one builder: the cards of articles named by id (read.article_cards_for,
e.g. a reader's saved articles) are the cards a listing shows for the same articles."""

from __future__ import annotations

from pathlib import Path

from newsdesk import read
from newsdesk.store import Store
from support.synthetic import build_stories


def test_cards_by_id_are_the_cards_of_the_listing(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'news.db'}") as store:
        with store.transaction() as repo:
            built = build_stories(repo, 2, 5)
        with store.transaction(readonly=True) as repo:
            listed = read.article_cards(repo.list_articles(limit=100))
            wanted = [built.article_ids[3], 10_000, built.article_ids[0], built.article_ids[3]]
            named = read.article_cards_for(repo, wanted)
            assert read.article_cards_for(repo, []) == []
    by_id = {card.id: card for card in listed}
    assert [c.id for c in named] == [built.article_ids[3], built.article_ids[0]]  # order kept
    assert named == [by_id[c.id] for c in named]
    assert all(c.lang == "en" and c.url for c in named)  # the whole card, not a head
