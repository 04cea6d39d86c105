"""What gzip does to the site's answers, and what it costs (issue 9; not a test).

    .venv/bin/python benchmarks/http_compression.py [--rounds 50]

Builds (once, cached under artifacts/bench/http.db, gitignored) the store the web tests use: the
sample aggregator page and 12 ECB+ records through the real pipeline. Renders the front page, the
biggest story, that story's first article, the API's story list and the front Atom feed through
the app (uncompressed), then compresses each body at gzip levels 1, 5 (the app's) and 9: size
and median milliseconds per compression over --rounds rounds. Also prints the static files,
which a browser now fetches once a year per fingerprint instead of revalidating each page.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import time
from pathlib import Path

from starlette.testclient import TestClient

from newsdesk.app import build
from newsdesk.config import Settings
from newsdesk.pipeline import collect
from newsdesk.web.app import GZIP_LEVEL, create_app
from newsdesk.web.static_files import STATIC_DIR

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "sample" / "aggregator-page.txt"
ECB = ROOT / "data" / "sample" / "stories" / "ecbplus.jsonl"
BENCH = ROOT / "artifacts" / "bench"
LEVELS = (1, GZIP_LEVEL, 9)


def _store() -> Settings:
    BENCH.mkdir(parents=True, exist_ok=True)
    settings = Settings(db=str(BENCH / "http.db"), workers=1)
    if (BENCH / "http.db").exists():
        return settings
    rows = ECB.read_text(encoding="utf-8").splitlines()[:12]
    (BENCH / "http-ecb.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    with build(settings) as app:
        from datetime import UTC, datetime

        batch = collect([SEED, BENCH / "http-ecb.jsonl"], datetime(2025, 6, 3, 12, tzinfo=UTC))
        app.ingestor.run(batch.jobs, size=len(batch.jobs))
    return settings


def _median_ms(body: bytes, level: int, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        gzip.compress(body, compresslevel=level)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=50)
    rounds = parser.parse_args().rounds
    app = create_app(_store().with_(page_cache_seconds=0))
    plain = {"Accept-Encoding": "identity"}
    with TestClient(app) as client:
        stories = client.get("/api/v1/stories", headers=plain).json()["items"]
        biggest = max(stories, key=lambda s: s.get("articles", 0))
        story = client.get(f"/api/v1/stories/{biggest['id']}", headers=plain).json()
        first = story["coverage"]["items"][0]["id"]
        paths = ["/", f"/story/{biggest['id']}", f"/article/{first}", "/api/v1/stories"]
        paths.append("/feeds/front.atom")
        bodies = {p: client.get(p, headers=plain).content for p in paths}
    header = "| answer | bytes | " + " | ".join(f"gzip {lv}: bytes, ms" for lv in LEVELS) + " |"
    print(header)
    print("|" + " --- |" * (2 + len(LEVELS)))
    for path, body in bodies.items():
        cells = [
            f"{len(gzip.compress(body, compresslevel=lv)):,}, {_median_ms(body, lv, rounds):.2f}"
            for lv in LEVELS
        ]
        print(f"| {path} | {len(body):,} | " + " | ".join(cells) + " |")
    for path in sorted(STATIC_DIR.iterdir()):
        body = path.read_bytes()
        size = len(gzip.compress(body, compresslevel=GZIP_LEVEL))
        print(f"| /static/{path.name} | {len(body):,} | gzip {GZIP_LEVEL}: {size:,} |")
    print(json.dumps({"rounds": rounds, "levels": LEVELS}))


if __name__ == "__main__":
    main()
