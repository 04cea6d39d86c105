"""What a feed-reader app's sync costs at 100,000 articles (not a test).

    .venv/bin/python benchmarks/reader_api_scale.py [--n 100000] [--db PATH] [--repeat 5]

The store is for_you_scale.py's (built once; --db keeps it): n articles from 200 sources
(Zipf-like), 3 of 2,000 entities and 3 of 500 tags each, stories in 8 sections. A reader follows
5 feeds: the biggest source, a small one, a tag, a section and an entity. Then times (median of
--repeat runs, each in its own read transaction) what apps ask on every sync: the reading list's
newest ids, its unread ids (Google Reader `xt=read`), one small source's newest ids, the
starred ids, the unread counts, one page of 50 items with their contents, Fever's
unread_item_ids (up to 10,000); then mark-all-as-read once, and the unread ids and counts again
once everything is read.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from newsdesk.dates import utcnow
from newsdesk.store import Repo, Store
from newsdesk.store.reader_items import MAX_IDS

FOLLOWS = (
    ("source", "Source 0"),
    ("source", "Source 40"),
    ("tag", "#Tag5"),
    ("section", "Politics"),
    ("person", "Entity 30"),
)


def _store_builder() -> Callable[[Path, int], None]:
    path = Path(__file__).with_name("for_you_scale.py")
    spec = importlib.util.spec_from_file_location("for_you_scale", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    build: Callable[[Path, int], None] = module.build
    return build


def timed(store: Store, label: str, work: Callable[[Repo], object], repeat: int) -> None:
    spent, answer = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        with store.transaction(readonly=True) as repo:
            answer = work(repo)
        spent.append((time.perf_counter() - start) * 1000)
    print(f"{label:<44} {statistics.median(spent):8.1f} ms   ({answer})")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    db = args.db or Path(tempfile.mkdtemp()) / "reader-scale.db"
    if not db.exists():
        _store_builder()(db, args.n)
    with Store.open(f"sqlite:///{db}") as store:
        with store.transaction() as repo:
            name = f"reader-{int(time.time())}"
            user = repo.create_user(name, "-", "member", utcnow())
            for kind, value in FOLLOWS:
                repo.follow(user.id, kind, value, value, utcnow())
            feeds = repo.follows_of(user.id, muted=False)
        uid, r = user.id, args.repeat
        with store.transaction(readonly=True) as repo:
            page = [i for i, _ in repo.reader_item_ids(uid, feeds, limit=50)]
        timed(store, "items the feeds reach", lambda repo: repo.reader_item_count(feeds), r)
        timed(store, "newest 50 ids", lambda repo: len(repo.reader_item_ids(uid, feeds)), r)
        unread = {"unread_only": True, "limit": 50}
        timed(
            store,
            "newest 50 unread ids",
            lambda repo: len(repo.reader_item_ids(uid, feeds, **unread)),
            r,
        )
        small = [f for f in feeds if f.value == "Source 40"]
        timed(
            store,
            "a small source's newest 50 ids",
            lambda repo: len(repo.reader_item_ids(uid, small)),
            r,
        )
        timed(store, "starred ids", lambda repo: len(repo.reader_item_ids(uid, None)), r)
        timed(store, "unread counts", lambda repo: repo.reader_unread_counts(uid, feeds)[1][0], r)
        timed(
            store,
            "50 items with contents",
            lambda repo: len(repo.reader_items(uid, feeds, page)),
            r,
        )
        fever = {"unread_only": True, "limit": MAX_IDS}
        timed(
            store,
            "unread ids, up to 10,000 (Fever)",
            lambda repo: len(repo.reader_item_ids(uid, feeds, **fever)),
            r,
        )
        start = time.perf_counter()
        with store.transaction() as repo:
            marked = repo.mark_reached_read(uid, feeds, None, utcnow())
        print(
            f"{'mark-all-as-read':<44} {(time.perf_counter() - start) * 1000:8.1f} ms   ({marked})"
        )
        timed(
            store,
            "newest 50 unread ids, all read",
            lambda repo: len(repo.reader_item_ids(uid, feeds, **unread)),
            r,
        )
        timed(
            store,
            "unread counts, all read",
            lambda repo: repo.reader_unread_counts(uid, feeds)[1][0],
            r,
        )


if __name__ == "__main__":
    main()
