"""Web latency at 100,000 articles (issue 4; not a test).

    .venv/bin/python benchmarks/web_latency.py [--backend sqlite|postgresql|both] [--n 100000]
        [--workers 1] [--duration 10] [--connections 50] [--warmup 5]
        [--pattern readers|uniform] [--cache on|off] [--prewarm] [--only front story ...]

How the store is built (cached under artifacts/bench/, gitignored; delete it to rebuild):

1. Template (once, ~1 min): a SQLite store built by the real pipeline (newsdesk.app.build +
   ingestor.run, as tests/web/conftest.py does) from the first 300 ECB+ records of
   data/sample/stories/ecbplus.jsonl and every fundus page in data/sample/pages: real extraction,
   dedup, clustering and enrichment (briefs, tags, entities, vectors).
2. Replication (SQLAlchemy Core executemany in chunks of 5,000, no pipeline): article i copies
   canonical template article i % T (T = template size) with a new id i + 1, the title
   "<template title> · <round>" (round = i // T), a URL under bench<round % 97>.example, the
   source "<template source> <round % 50>" (up to 50x the template's sources), one sighting (its
   own source and URL), the template article's brief JSON, tags, entities and vector. Articles
   are cut into consecutive stories of 1-20 members (uniform, numpy seed 7); a story's id is its
   first article's, its title that article's title, its centroid that article's vector, its brief
   a template story brief (round-robin), and its members share a random publication day within
   the year before 2025-06-01 (members a few hours apart). Full text: SQLite fills articles_fts
   with one INSERT ... SELECT; PostgreSQL fills search_vector with one UPDATE (same expressions
   as store/dialect.py).
3. SQLite: the file artifacts/bench/web-<n>.db is reused on later runs. PostgreSQL: a fresh
   schema bench_<hex> in 127.0.0.1:5432/test, filled the same way, dropped at the end (with
   --keep-pg: the schema bench_web_<n>, filled once and reused).

Serving and load: a fresh uvicorn per endpoint (log: artifacts/bench/uvicorn.log; workers
given by --workers) on 127.0.0.1:<free port> through create_app (a --factory entry point
below); --cache off sets NEWSDESK_PAGE_CACHE_SECONDS=0. Then wrk -t2 -c<connections> for
--warmup seconds (not measured) and for --duration seconds (measured), --latency --timeout 10s,
with a Lua script choosing each request's URL:
- readers: the 1,000 top stories in front-page order; the story of rank i is read with weight
  1/i (Zipf), an article page is a uniformly chosen member of a story drawn the same way;
- uniform: any of those 1,000 stories, any of the n article ids (an archive crawl: nearly
  every request is a page no one asked for before).
Front page: pages 1-5; search: 8 words x pages 1-3; API stories: offsets 0-80.
--prewarm (readers only): before the load, every URL the traffic can ask for is requested once
(4 at a time), as on a server that has been up a while; with one worker its page cache then
holds them all (each worker keeps its own). Prints a markdown table: p50, p99 (ms),
requests/s, non-2xx/3xx count.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from bench_serve import uvicorn_process, vector_index_file
from fastapi import FastAPI
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from newsdesk.config import Settings
from newsdesk.store import Store
from newsdesk.store.ann import index_path
from newsdesk.store.schema import (
    article_entities,
    article_tags,
    article_vectors,
    articles,
    briefs,
    sightings,
    stories,
    story_articles,
)

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "artifacts" / "bench"
ECB = ROOT / "data" / "sample" / "stories" / "ecbplus.jsonl"
PAGES = ROOT / "data" / "sample" / "pages"
PG_URL = os.environ.get("NEWSDESK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
NOW = datetime(2025, 6, 1, tzinfo=UTC)
CHUNK = 5_000
WORDS = ["police", "government", "earthquake", "election", "fire", "court", "shooting", "oil"]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- 1. the template store, built by the real pipeline --------------------------------------------


def template_db() -> Path:
    path = CACHE / "template.db"
    if path.exists():
        return path
    from newsdesk.app import build
    from newsdesk.pipeline import collect

    CACHE.mkdir(parents=True, exist_ok=True)
    ecb = CACHE / "ecb300.jsonl"
    lines = ECB.read_text(encoding="utf-8").splitlines()[:300]
    ecb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    partial = CACHE / "template.partial.db"
    partial.unlink(missing_ok=True)
    start = time.perf_counter()
    with build(Settings(db=str(partial), workers=2)) as app:
        batch = collect([ecb, PAGES], NOW)
        report = app.ingestor.run(batch.jobs, size=len(batch.jobs))
        log(f"template: {len(report.new_ids)} articles, {len(report.failures)} failures")
    log(f"template built in {time.perf_counter() - start:.0f} s")
    partial.rename(path)
    return path


def _template_rows() -> dict[str, Any]:
    engine = create_engine(f"sqlite:///{template_db()}", poolclass=NullPool)
    with engine.connect() as conn:
        arts = conn.execute(
            select(articles).where(articles.c.duplicate_of.is_(None)).order_by(articles.c.id)
        ).all()
        ids = {a.id for a in arts}
        art_briefs = {
            r.article_id: (r.json, r.version)
            for r in conn.execute(select(briefs).where(briefs.c.kind == "article"))
        }
        story_briefs = [
            (r.json, r.version)
            for r in conn.execute(
                select(briefs).where(briefs.c.kind == "story").order_by(briefs.c.id)
            )
        ]
        tags: dict[int, list[str]] = {}
        for r in conn.execute(select(article_tags)):
            tags.setdefault(r.article_id, []).append(r.tag)
        ents: dict[int, list[tuple[str, str]]] = {}
        for r in conn.execute(select(article_entities)):
            ents.setdefault(r.article_id, []).append((r.name, r.type))
        vecs = {r.article_id: (r.model, r.vector) for r in conn.execute(select(article_vectors))}
    engine.dispose()
    arts = [a for a in arts if a.id in vecs]
    assert arts and story_briefs, "template store holds no enriched articles"
    return {
        "articles": arts,
        "ids": ids,
        "briefs": art_briefs,
        "story_briefs": story_briefs,
        "tags": tags,
        "entities": ents,
        "vectors": vecs,
    }


# -- 2. replication -------------------------------------------------------------------------------


def fill(url: str, n: int) -> None:
    """Fill the (empty, migrated) store at url with n replicated articles and their stories."""
    tpl = _template_rows()
    tarts = tpl["articles"]
    rng = np.random.default_rng(7)
    sizes: list[int] = []
    while sum(sizes) < n:
        sizes.append(int(rng.integers(1, 21)))
    sizes[-1] -= sum(sizes) - n
    created = NOW
    with Store.open(url) as store, store.engine.begin() as conn:
        start = time.perf_counter()
        rows: dict[str, list[dict[str, Any]]] = {}
        first = 1
        for s, size in enumerate(sizes):
            day = NOW - timedelta(minutes=int(rng.integers(0, 365 * 24 * 60)))
            story_id = first
            member_dates = []
            for i in range(first - 1, first - 1 + size):
                t = tarts[i % len(tarts)]
                rnd = i // len(tarts)
                aid = i + 1
                published = day + timedelta(minutes=int(rng.integers(0, 6 * 60)))
                member_dates.append(published)
                source = f"{t.source} {rnd % 50}"
                link = f"https://bench{rnd % 97}.example/{aid}/{t.id}"
                title = f"{t.title} · {rnd}"
                rows.setdefault("articles", []).append(
                    {
                        "id": aid, "source": source, "url": link, "canonical_url": link,
                        "title": title, "byline": t.byline, "published": published,
                        "lang": t.lang, "text": t.text, "external_id": None,
                        "site_name": t.site_name, "image": t.image, "created_at": created,
                        "duplicate_of": None, "content_hash": uuid.uuid4().hex,
                    }
                )  # fmt: skip
                rows.setdefault("sightings", []).append(
                    {
                        "article_id": aid, "ref": link, "source": source, "url": link,
                        "title": title, "published": published, "seen_at": created,
                    }
                )  # fmt: skip
                model, vector = tpl["vectors"][t.id]
                rows.setdefault("article_vectors", []).append(
                    {"article_id": aid, "model": model, "vector": vector}
                )
                if t.id in tpl["briefs"]:
                    body, version = tpl["briefs"][t.id]
                    rows.setdefault("briefs", []).append(
                        {
                            "article_id": aid, "story_id": None, "kind": "article",
                            "json": body, "version": version, "created_at": created,
                        }
                    )  # fmt: skip
                for tag in tpl["tags"].get(t.id, []):
                    rows.setdefault("article_tags", []).append({"article_id": aid, "tag": tag})
                for name, kind in tpl["entities"].get(t.id, []):
                    rows.setdefault("article_entities", []).append(
                        {"article_id": aid, "name": name, "type": kind}
                    )
                rows.setdefault("story_articles", []).append(
                    {
                        "article_id": aid, "story_id": story_id, "similarity": 0.8,
                        "shared_entities": "[]", "reason": "bench", "pinned": False,
                        "added_at": created,
                    }
                )  # fmt: skip
            lead = tarts[(first - 1) % len(tarts)]
            rows.setdefault("stories", []).append(
                {
                    "id": story_id, "title": rows["articles"][-size]["title"],
                    "centroid": tpl["vectors"][lead.id][1], "size": size,
                    "entities": json.dumps({}), "first_seen": min(member_dates),
                    "last_seen": max(member_dates), "updated_at": created,
                }
            )  # fmt: skip
            body, version = tpl["story_briefs"][s % len(tpl["story_briefs"])]
            rows.setdefault("story_briefs", []).append(
                {
                    "article_id": None, "story_id": story_id, "kind": "story", "json": body,
                    "version": version, "created_at": created,
                }
            )  # fmt: skip
            first += size
            if len(rows["articles"]) >= CHUNK or first > n:
                _flush(conn, rows)
                rows = {}
                log(f"{first - 1} / {n} articles")
        if store.dialect == "sqlite":
            conn.execute(
                text(
                    "INSERT INTO articles_fts(rowid, title, text)"
                    " SELECT id, title, text FROM articles"
                )
            )
        else:
            conn.execute(
                text(
                    "UPDATE articles SET search_vector ="
                    " setweight(to_tsvector('simple', title), 'A')"
                    " || setweight(to_tsvector('simple', left(text, 100000)), 'B')"
                )
            )
        log(f"filled {n} articles, {len(sizes)} stories in {time.perf_counter() - start:.0f} s")
    if url.startswith("postgresql"):
        with create_engine(url, poolclass=NullPool).connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))


def _flush(conn: Any, rows: dict[str, list[dict[str, Any]]]) -> None:
    order = [
        ("articles", articles), ("sightings", sightings), ("article_vectors", article_vectors),
        ("stories", stories), ("story_articles", story_articles), ("briefs", briefs),
        ("story_briefs", briefs), ("article_tags", article_tags),
        ("article_entities", article_entities),
    ]  # fmt: skip
    for key, table in order:
        if rows.get(key):
            conn.execute(table.insert(), rows[key])


def sqlite_store(n: int) -> str:
    path = CACHE / f"web-{n}.db"
    if not path.exists():
        partial = CACHE / f"web-{n}.partial.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(partial) + suffix).unlink(missing_ok=True)
        fill(f"sqlite:///{partial}", n)
        partial.rename(path)
    url = f"sqlite:///{path}"
    beside = index_path(url)  # where the app looks for it
    assert beside is not None
    vector_index_file(url, beside)
    return url


@contextmanager
def pg_store(n: int, keep: bool) -> Iterator[str]:
    """A schema filled for this run and dropped after it; with keep, the schema bench_web_<n>
    is filled once, kept, and reused by later runs (DROP SCHEMA bench_web_<n> CASCADE)."""
    schema = f"bench_web_{n}" if keep else f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, poolclass=NullPool)
    with admin.begin() as conn:
        ready = (
            keep
            and conn.execute(
                text("SELECT to_regclass(:t) IS NOT NULL"), {"t": f"{schema}.bench_ready"}
            ).scalar()
        )
        if not ready:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    rendered = url.render_as_string(hide_password=False)
    try:
        if not ready:
            fill(rendered, n)
            with admin.begin() as conn:
                conn.execute(text(f"CREATE TABLE {schema}.bench_ready (n integer)"))
        yield rendered
    finally:
        if not keep:
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


# -- 3. serving and load --------------------------------------------------------------------------


def asgi() -> FastAPI:
    """uvicorn --factory entry point: the app over NEWSDESK_DB, no polling."""
    from newsdesk.web.app import create_app

    return create_app(Settings.from_env())


LUA = """
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
local kind = "%(kind)s"
local readers = %(readers)s
local stories = {%(stories)s}
local members = {%(members)s}
local cumulative = {%(cumulative)s}
local words = {%(words)s}
local n = %(n)d
-- readers: story i (front-page rank) is read with probability proportional to 1 / i
local function popular()
  local x, lo, hi = math.random() * cumulative[#cumulative], 1, #cumulative
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cumulative[mid] < x then lo = mid + 1 else hi = mid end
  end
  return lo
end
local function story()
  if readers then return stories[popular()] end
  return stories[math.random(#stories)]
end
local function article()
  if readers then
    local m = members[popular()]
    return m[math.random(#m)]
  end
  return math.random(1, n)
end
request = function()
  local path
  if kind == "front" then
    path = "/?page=" .. math.random(1, 5)
  elseif kind == "story" then
    path = "/story/" .. story()
  elseif kind == "article" then
    path = "/article/" .. article()
  elseif kind == "search" then
    path = "/search?q=" .. words[math.random(#words)] .. "&page=" .. math.random(1, 3)
  elseif kind == "api_stories" then
    path = "/api/v1/stories?offset=" .. (20 * math.random(0, 4))
  else
    path = "/api/v1/articles/" .. article()
  end
  return wrk.format("GET", path)
end
"""
ENDPOINTS = [
    ("front", "front page /?page=1..5"),
    ("story", "story /story/ID"),
    ("article", "article /article/ID"),
    ("search", "search /search?q=WORD"),
    ("api_stories", "API /api/v1/stories"),
    ("api_article", "API /api/v1/articles/ID"),
]


@contextmanager
def serving(url: str, workers: int, cache: bool) -> Iterator[int]:
    path = os.pathsep.join(filter(None, [str(ROOT / "benchmarks"), os.environ.get("PYTHONPATH")]))
    env = dict(os.environ, NEWSDESK_DB=url, PYTHONPATH=path)
    if not cache:
        env["NEWSDESK_PAGE_CACHE_SECONDS"] = "0"
    with uvicorn_process("web_latency:asgi", env, workers, log=CACHE / "uvicorn.log") as port:
        yield port


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def write_script(kind: str, pattern: str, stories: list[tuple[int, list[int]]], n: int) -> Path:
    script = CACHE / f"wrk-{kind}-{pattern}.lua"
    weights = np.cumsum([1.0 / rank for rank in range(1, len(stories) + 1)])
    script.write_text(
        LUA
        % {
            "kind": kind,
            "readers": "true" if pattern == "readers" else "false",
            "stories": ",".join(str(sid) for sid, _ in stories),
            "members": ",".join("{" + ",".join(map(str, ids)) + "}" for _, ids in stories),
            "cumulative": ",".join(f"{w:.6f}" for w in weights),
            "words": ",".join(f'"{w}"' for w in WORDS),
            "n": n,
        },
        encoding="utf-8",
    )
    return script


def wrk(port: int, script: Path, seconds: int, connections: int) -> str:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency"]
    cmd += ["-s", str(script), f"http://127.0.0.1:{port}"]
    return subprocess.run(cmd, capture_output=True, text=True).stdout


def load(port: int, script: Path, args: argparse.Namespace) -> dict:
    if args.warmup:
        wrk(port, script, args.warmup, args.connections)
    out = wrk(port, script, args.duration, args.connections)
    p50 = re.search(r"\s50%\s+(\S+)", out)
    p99 = re.search(r"\s99%\s+(\S+)", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "p50": _ms(p50.group(1)) if p50 else float("nan"),
        "p99": _ms(p99.group(1)) if p99 else float("nan"),
        "rps": float(rps.group(1)) if rps else 0.0,
        "bad": int(bad.group(1)) if bad else 0,
        "errors": errors.group(1) if errors else "",
    }


def universe(kind: str, stories: list[tuple[int, list[int]]]) -> list[str]:
    """Every URL the readers' traffic of kind can ask for."""
    if kind == "front":
        return [f"/?page={p}" for p in range(1, 6)]
    if kind == "story":
        return [f"/story/{sid}" for sid, _ in stories]
    if kind == "search":
        return [f"/search?q={w}&page={p}" for w in WORDS for p in range(1, 4)]
    if kind == "api_stories":
        return [f"/api/v1/stories?offset={20 * k}" for k in range(5)]
    prefix = "/article/" if kind == "article" else "/api/v1/articles/"
    return [f"{prefix}{aid}" for _, ids in stories for aid in ids]


def prewarm(port: int, paths: list[str]) -> float:
    """Ask for every path once (4 at a time); the seconds it took."""
    start = time.perf_counter()
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:

        def fetch(path: str) -> int:
            return client.get(path).status_code

        with ThreadPoolExecutor(4) as pool:
            bad = sum(1 for status in pool.map(fetch, paths) if status >= 400)
    if bad:
        log(f"prewarm: {bad} of {len(paths)} answers were errors")
    return time.perf_counter() - start


def run_backend(url: str, label: str, n: int, args: argparse.Namespace) -> list[str]:
    """The 1,000 top stories (front-page order) with their canonical members."""
    with Store.open(url) as store, store.transaction(readonly=True) as repo:
        top = [s.id for s in repo.list_stories(limit=1000)]
        stories = [(sid, [a.id for a in repo.story_members(sid)]) for sid in top]
    if args.pattern == "uniform":
        random.Random(3).shuffle(stories)
    lines = []
    for kind, name in ENDPOINTS:
        if args.only and kind not in args.only:
            continue
        script = write_script(kind, args.pattern, stories, n)
        pages = f"cache {args.cache}"
        with serving(url, args.workers, args.cache == "on") as port:  # fresh per endpoint
            if args.prewarm:
                paths = universe(kind, stories)
                took = prewarm(port, paths)
                log(f"prewarmed {len(paths)} {kind} pages in {took:.0f} s")
                pages = f"cache on, {len(paths):,} prewarmed"
            result = load(port, script, args)
        line = (
            f"| {label} | {args.pattern} | {pages} | {args.workers} | {name}"
            f" | {result['p50']:.1f} | {result['p99']:.1f} | {result['rps']:.0f}"
            f" | {result['bad']} {result['errors']} |"
        )
        log(line)
        lines.append(line)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--only", nargs="*", help="endpoint kinds: front story article ...")
    parser.add_argument(
        "--pattern",
        choices=["readers", "uniform"],
        default="readers",
        help="readers: story of front-page rank i read with weight 1/i (articles: a member of"
        " such a story); uniform: any of the 1,000 stories, any of the n articles",
    )
    parser.add_argument("--cache", choices=["on", "off"], default="on", help="the page cache")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of load before measuring")
    parser.add_argument(
        "--prewarm",
        action="store_true",
        help="readers traffic: first ask for every page it can ask for, once (a server that has"
        " been up a while)",
    )
    parser.add_argument(
        "--keep-pg", action="store_true", help="fill schema bench_web_<n> once and keep it"
    )
    args = parser.parse_args()
    if args.prewarm and (args.pattern != "readers" or args.cache != "on"):
        parser.error("--prewarm goes with --pattern readers and --cache on")
    lines = [
        "| store | traffic | pages | workers | endpoint | p50 ms | p99 ms | req/s | non-2xx |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    if args.backend in ("sqlite", "both"):
        lines += run_backend(sqlite_store(args.n), "SQLite", args.n, args)
    if args.backend in ("postgresql", "both"):
        with pg_store(args.n, args.keep_pg) as url:
            lines += run_backend(url, "PostgreSQL", args.n, args)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
