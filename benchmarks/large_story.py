"""A story of 10,000 articles: size and time of its page, API answer and Atom feed (not a test).

    .venv/bin/python benchmarks/large_story.py [--articles 10000] [--repeat 5] [--db PATH]

The store is written with the store's batch writes (store/bulk.py, as tests/support/synthetic.py
does): one story of --articles canonical articles over five publishers, each with a sighting,
plus a near-duplicate, a story brief citing three of them and no article briefs. With --db PATH
an existing file is served as it is (no build), so the same store can be served by an older
checkout: build it once, then run this script with PYTHONPATH pointing at the other tree's src/.

Each URL is fetched in-process (Starlette's TestClient over create_app, page cache off) once to
warm up, then --repeat times; the table gives the median time and the answer's size.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]


def build(db: Path, articles: int) -> int:
    """Write the story into db with the current code; its id."""
    sys.path.insert(0, str(ROOT / "tests"))
    from newsdesk.store import Store
    from support.synthetic import build_stories

    started = time.perf_counter()
    with Store.open(f"sqlite:///{db}") as store, store.transaction() as repo:
        built = build_stories(repo, 1, articles, article_briefs=False)
    print(f"built {articles} articles in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return built.story_ids[0]


def measure(db: Path, story: int, repeat: int) -> None:
    settings = Settings(db=str(db), workers=1, enrich=False, page_cache_seconds=0)
    urls = [
        f"/story/{story}",
        f"/story/{story}?page=2",
        f"/api/v1/stories/{story}",
        f"/feeds/story/{story}.atom",
    ]
    print("| URL | median ms | bytes |\n| --- | ---: | ---: |")
    with TestClient(create_app(settings)) as client:
        for url in urls:
            first = client.get(url)
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                answer = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            status = "" if answer.status_code == 200 else f" ({answer.status_code})"
            median = statistics.median(times)
            print(f"| `{url}`{status} | {median:,.0f} | {len(first.content):,} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--db", type=Path, help="serve this store as it is (no build)")
    parser.add_argument("--story", type=int, default=1, help="the story id in --db")
    parser.add_argument("--build-only", type=Path, help="only write the store to this file")
    args = parser.parse_args()
    if args.build_only:
        print(build(args.build_only, args.articles))
        return
    if args.db:
        measure(args.db, args.story, args.repeat)
        return
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "large-story.db"
        measure(db, build(db, args.articles), args.repeat)


if __name__ == "__main__":
    main()
