"""A million articles on PostgreSQL (issue 10; not a test).

    .venv/bin/python benchmarks/pg_scale.py template
    .venv/bin/python benchmarks/pg_scale.py build --articles 100000 [--url URL] [--jobs 1]

template: the corpus's 982 ECB+ articles (../shared/corpus/stories/ecbplus_articles.jsonl) run
through the real pipeline (newsdesk.app.build + ingestor.run: extraction of the records, dedup,
clustering, enrichment) into a SQLite store, artifacts/bench/pg_template.db (gitignored; delete
it to rebuild). Every brief, vector, tag and story there is computed once.

build: a PostgreSQL store of N canonical articles (default URL
postgresql://postgres@127.0.0.1:5432/newsdesk_bench_1e4 for N = 10^4, _1e5, _1e6; the database
is created with the admin connection when missing). The template's stories are copied round after
round (round r is published r days after round 0, the last round today): copy r of an article
keeps its brief, vector, tags and entities, and its text is varied so that dedup does not fold
it (see vary()). Every row is written through the store's own write paths (BulkRepo,
save_vector, save_tags, save_brief, upsert_story, link_new_articles, insert_article for the
near-duplicates), one transaction per round: a build stopped half-way resumes at the next round.

latency, explain: the app over a built store, page cache off, its vector index kept in
artifacts/bench/vectors-<database>.usearch (NEWSDESK_VECTOR_INDEX, as deploy/newsdesk.env
sets it), built before the servers start when missing; searches are measured once a server
has loaded it (its search page stops saying that matching by meaning is warming up).
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import random
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from bench_serve import uvicorn_process, vector_index_file
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from newsdesk.dedup.minhash import Deduper
from newsdesk.models import Brief, NewArticle, Sighting
from newsdesk.store import Repo, Store, StoryRow
from newsdesk.store.schema import articles

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
ECB = CORPUS / "stories" / "ecbplus_articles.jsonl"
CACHE = ROOT / "artifacts" / "bench"
TEMPLATE = CACHE / "pg_template.db"
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
NAMES = {
    10_000: "newsdesk_bench_1e4",
    100_000: "newsdesk_bench_1e5",
    1_000_000: "newsdesk_bench_1e6",
}
ROUNDS_PER_BATCH = 4  # rounds written in one transaction (a build resumes batch by batch)
DUPLICATE_EVERY = 20  # one article in 20 also gets a near-duplicate from another publisher


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- the template: the corpus through the real pipeline, once --------------------------------------


def template_db() -> Path:
    if TEMPLATE.exists():
        return TEMPLATE
    from newsdesk.app import build
    from newsdesk.config import Settings
    from newsdesk.pipeline import collect

    CACHE.mkdir(parents=True, exist_ok=True)
    partial = CACHE / "pg_template.partial.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    start = time.perf_counter()
    with build(Settings(db=str(partial), workers=2)) as app:
        batch = collect([ECB], datetime.now(UTC))
        report = app.ingestor.run(batch.jobs, size=len(batch.jobs))
        log(f"template: {len(report.new_ids)} articles, {len(report.failures)} failures")
    log(f"template built in {time.perf_counter() - start:.0f} s")
    partial.rename(TEMPLATE)
    return TEMPLATE


@dataclass(frozen=True, slots=True)
class TArticle:
    """One enriched canonical article of the template, with what its copies reuse."""

    id: int
    title: str
    text: str
    source: str
    byline: str | None
    lang: str | None
    site_name: str | None
    image: str | None
    brief: Brief
    vector: np.ndarray
    model: str
    tags: list[str]
    entities: list[tuple[str, str]]
    similarity: float
    shared: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class TStory:
    id: int
    title: str
    centroid: np.ndarray | None
    entities: dict[str, float]
    brief: Brief | None
    members: list[TArticle] = field(default_factory=list)


def load_template() -> list[TStory]:
    """The template's stories with their enriched members, read through the store."""
    with (
        Store.open(f"sqlite:///{template_db()}") as store,
        store.transaction(readonly=True) as repo,
    ):
        ids = repo.all_canonical_ids()
        heads = {a.id: a for a in repo.get_articles(ids)}
        briefs = repo.article_briefs(ids)
        vectors = repo.get_vectors(ids)
        links = repo.story_links(ids)
        query = text("SELECT article_id, model FROM article_vectors")
        models = {int(row[0]): str(row[1]) for row in repo._conn.execute(query)}
        hosts = sorted({a.source for a in heads.values() if "." in a.source})
        stories = repo.active_stories(None)
        story_briefs = repo.story_briefs([s.id for s in stories])
        found: list[TStory] = []
        for story in sorted(stories, key=lambda s: s.id):
            members: list[TArticle] = []
            for i in repo.story_member_ids(story.id):
                a = heads.get(i)
                if a is None or i not in briefs or i not in vectors or i not in links:
                    continue
                tags, entities = repo.tags_of(i)
                link = links[i]
                source = a.source if "." in a.source else hosts[i % len(hosts)]
                members.append(
                    TArticle(
                        id=i, title=a.title, text=a.text, source=source, byline=a.byline,
                        lang=a.lang, site_name=a.site_name, image=a.image, brief=briefs[i],
                        vector=vectors[i], model=str(models[i]), tags=tags, entities=entities,
                        similarity=link.similarity, shared=link.shared_entities,
                        reason=link.reason,
                    )
                )  # fmt: skip
            if members:
                centroid = story.centroid if isinstance(story.centroid, np.ndarray) else None
                found.append(
                    TStory(
                        story.id, story.title, centroid, dict(story.entities),
                        story_briefs.get(story.id), members,
                    )
                )  # fmt: skip
    return found


# -- variation: copy r of an article, different enough that dedup keeps it apart ------------------

_SYLLABLES = [
    "ka", "lo", "mi", "ra", "ten", "vor", "sel", "dun", "bri", "tas", "mol", "ne", "pa", "gor",
    "fi", "lan", "quo", "zer", "hal", "wen", "tri", "su", "dov", "ex", "mar", "pel", "ost", "cu",
    "bel", "nar",
]  # fmt: skip
_NAME = re.compile(r"\b(?:[A-Z][a-z]+|\d+)\b")  # a capitalized word or a number
_LONG = re.compile(r"\b[a-z]{5,}\b")  # a lower-case word of five letters or more
_SENTENCE = re.compile(r"\n+|(?<=[.!?])\s+")
KEEP_SENTENCE = 0.7  # each sentence after the first is kept with this chance
SWAP_WORD = 4  # one long lower-case word in SWAP_WORD is swapped for an invented one


def _hash(*parts: object) -> int:
    key = "|".join(str(p) for p in parts).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "little")


def invented(h: int, syllables: int = 3) -> str:
    """A pronounceable word from a hash: 27,000 three-syllable ones, 810,000 of four."""
    parts = []
    for _ in range(syllables):
        parts.append(_SYLLABLES[h % len(_SYLLABLES)])
        h //= len(_SYLLABLES)
    return "".join(parts)


def _swap(r: int, words: re.Match[str]) -> str:
    return _swapped(r, words.group(0))


@functools.lru_cache(maxsize=200_000)
def _swapped(r: int, w: str) -> str:
    h = _hash(r, w)
    if w.isdigit():
        return str(h % 10 ** len(w))
    if w[0].isupper():
        return invented(h).capitalize()  # a name: every copy has its own cast
    return w if h % SWAP_WORD else invented(h // SWAP_WORD, 4)


def _vary_sentence(r: int, sentence: str) -> str:
    """Names and numbers swapped, and one long word in SWAP_WORD; the first word kept."""
    first, _, tail = sentence.partition(" ")
    if not tail:
        return sentence
    tail = _LONG.sub(lambda m: _swap(r, m), _NAME.sub(lambda m: _swap(r, m), tail))
    return f"{first} {tail}"


def vary(r: int, article: TArticle) -> tuple[str, str]:
    """(title, text) of copy r: the lead first, then a deterministic 70% of the other
    sentences in a shuffled order, every sentence with its names, numbers and a quarter of its
    long words swapped per copy. Copies of one article score well under dedup's threshold
    (0 of 855 pairs folded on the ECB+ articles)."""
    sentences = [s for s in _SENTENCE.split(article.text) if s.strip()]
    rng = random.Random(_hash("order", r, article.id))
    rest = [s for s in sentences[1:] if rng.random() < KEEP_SENTENCE]
    rng.shuffle(rest)
    body = "\n".join(_vary_sentence(r, s) for s in sentences[:1] + rest)
    return _vary_sentence(r, article.title), body


# -- the build ------------------------------------------------------------------------------------


def bench_url(n: int) -> str:
    name = NAMES.get(n, f"newsdesk_bench_{n}")
    return make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def vacuum(url: str) -> None:
    """VACUUM (ANALYZE) the built store, as autovacuum would in the hours after a bulk load:
    index-only scans need the visibility map it sets (a count of 10,001 stories read their
    heap rows without it, 158 ms at 10^6; 2.6 ms after it)."""
    started = time.perf_counter()
    engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM (ANALYZE)"))
    engine.dispose()
    log(f"vacuumed in {time.perf_counter() - started:.0f} s")


def vector_file(url: str) -> Path:
    """Where the benchmarks keep the vector index of the store at url (as a deployment does)."""
    return CACHE / f"vectors-{make_url(url).database}.usearch"


def create_database(url: str) -> None:
    name = make_url(url).database
    admin = create_engine(ADMIN_URL, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        ).first()
        if exists is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
            log(f"created database {name}")
    admin.dispose()


@dataclass
class Round:
    """Copy r of the template's stories (the first `limit` articles of them)."""

    r: int
    day: datetime
    stories: list[TStory]
    limit: int


def _ref(r: int, article: TArticle) -> str:
    return f"bench-{r}-{article.id}"


def job_day_after(article: NewArticle) -> datetime:
    assert article.seen_at is not None
    return article.seen_at


def write_rounds(repo: Repo, deduper: Deduper, group: list[Round]) -> int:
    """Write rounds through the store in one transaction; the canonical articles written.

    Several rounds a batch: each template brief is then encoded once per batch."""
    plan: list[tuple[Round, TStory, list[TArticle], datetime]] = []
    for job in group:
        left = job.limit
        for story in job.stories:
            if left <= 0:
                break
            members = story.members[:left]
            left -= len(members)
            start = job.day + timedelta(minutes=_hash("at", job.r, story.id) % (20 * 60))
            plan.append((job, story, members, start))
    new: list[NewArticle] = []
    copies: list[tuple[TArticle, NewArticle]] = []
    for job, _, members, start in plan:
        for k, a in enumerate(members):
            title, body = vary(job.r, a)
            url = f"https://{a.source}/{job.r}/{a.id}"
            article = NewArticle(
                source=a.source, title=title, text=body, fingerprint=deduper.fingerprint(body),
                url=url, canonical_url=url, byline=a.byline,
                published=start + timedelta(minutes=17 * k), lang=a.lang,
                external_id=_ref(job.r, a), site_name=a.site_name, image=a.image,
                seen_at=job.day + timedelta(days=1),
            )  # fmt: skip
            new.append(article)
            copies.append((a, article))
    ids = repo.insert_articles(new)
    repo.add_sightings(
        [
            (i, Sighting(n.source, n.url, n.title, job_day_after(n), n.published, n.url))
            for i, (_, n) in zip(ids, copies, strict=True)
        ]
    )
    pairs = list(zip(ids, copies, strict=True))
    done = [(i, a.brief, a.vector, a.tags, a.entities) for i, (a, _) in pairs]
    repo.add_enrichments(done, copies[0][0].model)
    at = 0
    for _, story, members, _ in plan:
        member_ids = ids[at : at + len(members)]
        dates = [n.published for _, n in copies[at : at + len(members)] if n.published]
        at += len(members)
        story_id = member_ids[0]
        repo.upsert_story(
            StoryRow(
                id=story_id, title=copies[at - len(members)][1].title, centroid=story.centroid,
                size=len(members), entities=story.entities, first_seen=min(dates),
                last_seen=max(dates),
            )
        )  # fmt: skip
        lead = members[-1]  # the one that joined last: its link's reason and shared names
        similarity = sum(a.similarity for a in members) / len(members)
        repo.link_new_articles(
            story_id, member_ids, similarity=similarity, shared_entities=lead.shared,
            reason=lead.reason,
        )  # fmt: skip
        if story.brief is not None:
            repo.save_brief(story.brief, story_id=story_id)
    for i, (a, n) in zip(ids, copies, strict=True):
        r = int((n.external_id or "").split("-")[1])
        if _hash("dup", r, a.id) % DUPLICATE_EVERY:
            continue
        # A near-duplicate: the same copy cut short, from another publisher, as ingest stores it.
        host = f"wire{_hash('wire', r, a.id) % 40}.example"
        url = f"https://{host}/{r}/{a.id}"
        cut = "\n".join(n.text.split("\n")[:-1]) or n.text
        dup = NewArticle(
            source=host, title=n.title, text=cut, fingerprint=deduper.fingerprint(cut), url=url,
            canonical_url=url, published=n.published, lang=n.lang, seen_at=n.seen_at,
        )  # fmt: skip
        repo.insert_article(dup, duplicate_of=i)
        assert n.seen_at is not None
        repo.add_sighting(i, Sighting(host, url, n.title, n.seen_at, n.published, url))
    return len(new)


def rounds_for(n: int, stories: list[TStory], anchor: datetime) -> list[Round]:
    per_round = sum(len(s.members) for s in stories)
    count = -(-n // per_round)
    return [
        Round(r, anchor - timedelta(days=count - 1 - r), stories, min(per_round, n - r * per_round))
        for r in range(count)
    ]


def round_done(repo: Repo, job: Round) -> bool:
    first = job.stories[0].members[0]
    query = select(articles.c.id).where(articles.c.external_id == _ref(job.r, first))
    return repo._conn.execute(query.limit(1)).first() is not None


def build(n: int, url: str, anchor: datetime, jobs: int, part: int) -> None:
    """Write every batch of rounds of this part (of jobs) that is not in the store yet."""
    stories = load_template()
    deduper = Deduper()
    todo = rounds_for(n, stories, anchor)
    started = time.perf_counter()
    written = 0
    mine = [job for job in todo if (job.r // ROUNDS_PER_BATCH) % jobs == part]
    with Store.open(url) as store:
        for at in range(0, len(mine), ROUNDS_PER_BATCH):
            group = mine[at : at + ROUNDS_PER_BATCH]
            with store.transaction() as repo:
                if round_done(repo, group[0]):
                    continue
                written += write_rounds(repo, deduper, group)
            if at // ROUNDS_PER_BATCH < 4 or at % (10 * ROUNDS_PER_BATCH) == 0:
                # Fresh statistics while the tables grow from nothing (autovacuum lags a bulk
                # load): without them the planner takes the new tables for small ones.
                with store.engine.connect() as conn:
                    conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
            rate = written / (time.perf_counter() - started)
            last = group[-1].r + 1
            log(f"[{part}] rounds to {last}/{len(todo)}: {written} articles, {rate:.0f}/s")


def report(url: str, n: int, seconds: float | None) -> dict[str, Any]:
    """Row counts and disk of the store at url (after ANALYZE)."""
    engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        query = text(
            "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c"
            " JOIN pg_namespace s ON s.oid = c.relnamespace"
            " WHERE s.nspname = 'public' AND c.relkind = 'r'"
        )
        sizes = {str(row[0]): int(row[1]) for row in conn.execute(query)}
        canonical = conn.execute(
            select(func.count()).select_from(articles).where(articles.c.duplicate_of.is_(None))
        ).scalar_one()
        total = conn.execute(select(func.count()).select_from(articles)).scalar_one()
        stories = conn.execute(text("SELECT count(*) FROM stories")).scalar_one()
        database = conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
    engine.dispose()
    tables = sum(sizes.values())
    result = {
        "articles": n, "canonical": canonical, "rows": total, "stories": stories,
        "build_s": seconds, "table_bytes": tables, "database_bytes": database,
        "bytes_per_article": round(tables / max(total, 1)),
        "biggest": sorted(sizes.items(), key=lambda kv: -kv[1])[:8],
    }  # fmt: skip
    print(json.dumps(result, indent=1))
    return result


# -- single-request latency and the plans of every query the pages run ---------------------------

BIG_TABLES = (
    "articles", "sightings", "fingerprints", "lsh_buckets", "article_vectors", "stories",
    "briefs", "story_articles", "article_tags", "article_entities",
)  # fmt: skip


def asgi() -> Any:
    """uvicorn --factory entry point: the app over NEWSDESK_DB, no polling."""
    from newsdesk.config import Settings
    from newsdesk.web.app import create_app

    return create_app(Settings.from_env())


def search_words(url: str, count: int = 20) -> tuple[list[str], list[str]]:
    """count common words (each in 5-30% of the newest 2,000 articles) and count rare ones
    (invented words that 1-20 canonical articles carry), as the search pages are asked for."""
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        top = conn.execute(text("SELECT max(id) FROM articles")).scalar_one()
        common = list(
            conn.execute(
                text(
                    "SELECT word FROM ts_stat($$SELECT search_vector FROM articles"
                    f" WHERE id > {int(top) - 2000}$$) WHERE length(word) > 4"
                    " AND word ~ '^[a-z]+$' AND ndoc BETWEEN 100 AND 600"
                    " ORDER BY ndoc DESC, word LIMIT :n"
                ),
                {"n": count},
            ).scalars()
        )
        rare: list[str] = []
        for h in range(1, 20_000):
            word = invented(h * 7919, 4)
            n = conn.execute(
                text(
                    "SELECT count(*) FROM articles WHERE duplicate_of IS NULL"
                    " AND search_vector @@ plainto_tsquery('simple', :w)"
                ),
                {"w": word},
            ).scalar_one()
            if 1 <= n <= 20:
                rare.append(word)
                if len(rare) == count:
                    break
    engine.dispose()
    return common, rare


def sample_paths(url: str, count: int) -> dict[str, list[str]]:
    """count request paths for each page kind: random stories and articles of the archive."""
    rng = random.Random(11)
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        low, high = conn.execute(
            text("SELECT min(id), max(id) FROM articles WHERE duplicate_of IS NULL")
        ).one()
        story_low, story_high = conn.execute(text("SELECT min(id), max(id) FROM stories")).one()
        article_ids = [
            conn.execute(
                text(
                    "SELECT id FROM articles WHERE id >= :x AND duplicate_of IS NULL"
                    " ORDER BY id LIMIT 1"
                ),
                {"x": rng.randint(low, high)},
            ).scalar_one()
            for _ in range(count)
        ]
        story_ids = [
            conn.execute(
                text("SELECT id FROM stories WHERE id >= :x ORDER BY id LIMIT 1"),
                {"x": rng.randint(story_low, story_high)},
            ).scalar_one()
            for _ in range(count)
        ]
    engine.dispose()
    common, rare = search_words(url)
    return {
        "front": [f"/?page={1 + k % 5}" for k in range(count)],
        "story": [f"/story/{i}" for i in story_ids],
        "article": [f"/article/{i}" for i in article_ids],
        # Distinct URLs where the pages allow: the app keeps derived values (search hits, lists)
        # a few seconds per URL, and a repeated URL would measure that, not the store.
        # Pages 1-9 of each word: every answer ranks within the newest SEARCH_WINDOW matches.
        "search_common": [
            f"/search?q={common[k % len(common)]}&page={1 + k // len(common) % 9}"
            for k in range(count)
        ],
        "search_rare": [
            f"/search?q={rare[k % len(rare)]}&page={1 + k // len(rare) % 9}" for k in range(count)
        ],
        "api_stories": [f"/api/v1/stories?offset={20 * (k * 7 % 50)}" for k in range(count)],
        "api_articles": [f"/api/v1/articles?offset={20 * (k * 7 % 50)}" for k in range(count)],
        "api_article": [f"/api/v1/articles/{i}" for i in article_ids],
    }


def latency(urls: dict[str, str], count: int) -> dict[str, dict[str, tuple[float, float]]]:
    """p50 and p99 (ms) of count sequential requests per page kind and store, page cache off,
    one uvicorn worker per store, one client: the stores take turns request by request, so a
    machine shared with other work slows them alike and their ratios hold."""
    import contextlib
    import os

    import httpx

    paths = {label: sample_paths(url, count) for label, url in urls.items()}
    for url in urls.values():
        vector_index_file(url, vector_file(url))
    ports: dict[str, int] = {}
    results: dict[str, dict[str, tuple[float, float]]] = {label: {} for label in urls}
    with contextlib.ExitStack() as stack:
        for label, url in urls.items():
            env = dict(
                os.environ,
                NEWSDESK_DB=url,
                NEWSDESK_PAGE_CACHE_SECONDS="0",
                # The vector index as a deployment keeps it (deploy/newsdesk.env): a file.
                NEWSDESK_VECTOR_INDEX=str(vector_file(url)),
                PYTHONPATH=os.pathsep.join(
                    filter(None, [str(ROOT / "benchmarks"), os.environ.get("PYTHONPATH")])
                ),
            )
            ports[label] = stack.enter_context(uvicorn_process("pg_scale:asgi", env, start_s=120))
        clients: dict[str, httpx.Client] = {}
        for label, port in ports.items():
            base = f"http://127.0.0.1:{port}"
            clients[label] = stack.enter_context(httpx.Client(base_url=base, timeout=60))
        for label, client in clients.items():
            vector_index_ready(label, client, paths[label]["search_common"][0])
        kinds = next(iter(paths.values())).keys()
        for kind in kinds:
            took = take_turns(clients, {label: paths[label][kind][:count] for label in clients})
            for label, values in took.items():
                p50, p99 = np.percentile(values, [50, 99])
                results[label][kind] = (float(p50), float(p99))
                log(f"{label:6} {kind:14} p50 {p50:7.1f} ms  p99 {p99:7.1f} ms ({count} requests)")
    return results


def take_turns(
    clients: dict[str, Any], paths: dict[str, list[str]], *, rotate: bool = False, warm: int = 10
) -> dict[str, list[float]]:
    """ms of each client's requests for its paths (HTTP clients by label), after its first
    `warm` paths asked once unmeasured (code paths, connections): request i of every client
    before request i + 1 of any, in the clients' order, or with rotate the one that goes first
    alternating from request to request. An answer other than 200 raises."""
    for label, client in clients.items():
        for path in paths[label][:warm]:
            client.get(path)
    took: dict[str, list[float]] = {label: [] for label in clients}
    order = list(clients)
    for i in range(max(len(p) for p in paths.values())):
        for label in order[::-1] if rotate and i % 2 else order:
            path = paths[label][i]
            start = time.perf_counter()
            answer = clients[label].get(path)
            took[label].append((time.perf_counter() - start) * 1000)
            if answer.status_code != 200:
                raise RuntimeError(f"{label} {path}: HTTP {answer.status_code}")
    return took


def vector_index_ready(label: str, client: Any, path: str, limit_s: float = 1800) -> None:
    """Search until the server has its vector index (its page stops saying "warming up"),
    so that the searches measured have both sides; logs how long that took."""
    start = time.perf_counter()
    while "still warming up" in client.get(path).text:
        if time.perf_counter() - start > limit_s:
            raise RuntimeError(f"{label}: the vector index was not ready after {limit_s:.0f} s")
        time.sleep(1)
    log(f"{label:6} vector index ready after {time.perf_counter() - start:.1f} s")


def explain(url: str, out: Path) -> list[str]:
    """Run one request of each page kind in a fresh app, capture every SQL statement it sends,
    and EXPLAIN (ANALYZE, BUFFERS) each; the plans go to out, and the statements whose plan
    reads a big table without an index are returned."""
    import os

    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from starlette.testclient import TestClient

    os.environ["NEWSDESK_DB"] = url
    os.environ["NEWSDESK_PAGE_CACHE_SECONDS"] = "0"
    vector_index_file(url, vector_file(url))
    os.environ["NEWSDESK_VECTOR_INDEX"] = str(vector_file(url))
    paths = {kind: urls[0] for kind, urls in sample_paths(url, 1).items()}
    with TestClient(asgi()) as client:  # the search pages' statements with both sides
        vector_index_ready("explain", client, paths["search_common"])
    seen: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, params))

    captured: dict[str, list[tuple[str, Any]]] = {}
    for kind, path in paths.items():
        # A fresh app per page: nothing derived is kept yet (the ranking, lists, hits), so
        # every query the page needs is sent.
        with TestClient(asgi()) as client:
            seen.clear()
            event.listen(Engine, "before_cursor_execute", capture)
            try:
                answer = client.get(path)
            finally:
                event.remove(Engine, "before_cursor_execute", capture)
            assert answer.status_code == 200, (path, answer.status_code)
            captured[kind] = list(seen)
    bad: list[str] = []
    lines: list[str] = []
    import psycopg

    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        for kind, statements in captured.items():
            lines.append(f"=== {kind} {paths[kind]}: {len(statements)} queries")
            total = 0.0
            for statement, params in statements:
                plan = [
                    row[0]
                    for row in conn.execute(
                        "EXPLAIN (ANALYZE, BUFFERS) " + statement, params or None
                    )
                ]
                ms = float(plan[-1].split(":")[1].split()[0])
                total += ms
                lines += ["", " ".join(statement.split())[:600], *plan]
                scans = [
                    line.strip()
                    for line in plan
                    if "Seq Scan on" in line and any(f" on {t} " in line + " " for t in BIG_TABLES)
                ]
                if scans:
                    bad.append(f"{kind}: {' '.join(statement.split())[:200]} -> {scans}")
            lines.append(f"=== {kind}: SQL execution {total:.2f} ms in all")
            log(f"{kind:14} {len(statements):3} queries, SQL execution {total:6.2f} ms")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return bad


# -- story placement cost ------------------------------------------------------------------------


def placement(url: str, count: int) -> dict[str, float]:
    """Cost of placing count new articles in the store's stories as the pipeline does
    (StoryDesk: index loaded from the store, then per article the brief, vector and tags saved,
    place() against the live stories, join or start, link), all rolled back at the end."""
    from newsdesk.pipeline.enrich import Enriched, EnrichJob, StoryDesk
    from newsdesk.pipeline.runner import LocalRunner

    stories = load_template()
    deduper = Deduper()
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    with Store.open(url) as store:
        desk = StoryDesk(store, LocalRunner(1))
        start = time.perf_counter()
        desk.load()
        load_s = time.perf_counter() - start
        live = sum(len(index) for index in desk._indexes.values())
        with store.engine.connect() as conn:
            tx = conn.begin()
            repo = Repo(conn, store._dialect)
            group = [Round(900_000 + k, today, stories, len(stories)) for k in range(1)]
            new: list[tuple[TArticle, NewArticle]] = []
            for story in stories:
                for a in story.members:
                    if len(new) < count:
                        title, body = vary(group[0].r, a)
                        fp = deduper.fingerprint(body)
                        new.append((a, NewArticle(a.source, title, body, fp, published=today)))
            ids = repo.insert_articles([n for _, n in new])
            done = [
                Enriched(
                    EnrichJob(i, n.title, n.text, n.lang, n.published),
                    a.brief,
                    a.vector,
                    frozenset(name for name, _ in a.entities),
                )
                for i, (a, n) in zip(ids, new, strict=True)
            ]
            took = []
            for item in done:
                begin = time.perf_counter()
                desk._place(repo, item)
                took.append((time.perf_counter() - begin) * 1000)
            tx.rollback()
    result = {
        "load_s": round(load_s, 2),
        "live_stories": live,
        "ms_per_article_p50": round(float(np.percentile(took, 50)), 2),
        "ms_per_article_mean": round(float(np.mean(took)), 2),
        "ms_per_article_p99": round(float(np.percentile(took, 99)), 2),
    }
    print(json.dumps(result))
    return result


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("template", help="build the template store from the corpus")
    b = sub.add_parser("build", help="build (or finish) a PostgreSQL store of N articles")
    b.add_argument("--articles", type=int, required=True)
    b.add_argument("--url", help="default: .../newsdesk_bench_1e4 (1e5, 1e6) by --articles")
    b.add_argument("--jobs", type=int, default=1, help="writer processes")
    b.add_argument("--now", help="the last round's day (YYYY-MM-DD), default today (UTC)")
    b.add_argument("--part", type=int, default=None, help=argparse.SUPPRESS)
    r = sub.add_parser("report", help="row counts and disk of a built store")
    r.add_argument("--articles", type=int, required=True)
    r.add_argument("--url")
    lat = sub.add_parser("latency", help="single-request p50/p99 per page, page cache off")
    lat.add_argument("--articles", type=int, nargs="+", required=True, help="one or more stores")
    lat.add_argument("--requests", type=int, default=200)
    ex = sub.add_parser("explain", help="EXPLAIN ANALYZE every query the pages run")
    ex.add_argument("--articles", type=int, required=True)
    ex.add_argument("--url")
    pl = sub.add_parser("place", help="story placement cost per article (rolled back)")
    pl.add_argument("--articles", type=int, required=True)
    pl.add_argument("--url")
    pl.add_argument("--count", type=int, default=300)
    args = parser.parse_args(argv)
    if args.command == "place":
        placement(args.url or bench_url(args.articles), args.count)
    elif args.command == "latency":
        found = latency(
            {f"1e{len(str(n)) - 1}": bench_url(n) for n in args.articles}, args.requests
        )
        print("| page | " + " | ".join(f"{label} p50 / p99 ms" for label in found) + " |")
        print("|---" * (len(found) + 1) + "|")
        for kind in next(iter(found.values())):
            cells = [f"{r[kind][0]:.1f} / {r[kind][1]:.1f}" for r in found.values()]
            print(f"| {kind} | " + " | ".join(cells) + " |")
    elif args.command == "explain":
        out = CACHE / f"pg_explain_{args.articles}.txt"
        for line in explain(args.url or bench_url(args.articles), out):
            print("NO INDEX:", line)
        log(f"plans in {out}")
    elif args.command == "template":
        template_db()
    elif args.command == "build":
        url = args.url or bench_url(args.articles)
        day = datetime.fromisoformat(args.now) if args.now else datetime.now(UTC)
        anchor = day.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=UTC)
        if args.part is not None:
            build(args.articles, url, anchor, args.jobs, args.part)
            return
        create_database(url)
        Store.open(url).close()  # migrate once, before the writers start
        template_db()
        started = time.perf_counter()
        if args.jobs == 1:
            build(args.articles, url, anchor, 1, 0)
        else:
            import subprocess

            base = [sys.executable, __file__, "build", "--articles", str(args.articles)]
            base += ["--url", url, "--jobs", str(args.jobs), "--now", anchor.date().isoformat()]
            procs = [subprocess.Popen([*base, "--part", str(p)]) for p in range(args.jobs)]
            if any(p.wait() for p in procs):
                raise SystemExit("a writer failed: run the same command again to finish")
        seconds = time.perf_counter() - started
        log(f"built {args.articles} articles in {seconds:.0f} s")
        vacuum(url)
        report(url, args.articles, round(seconds, 1))
    elif args.command == "report":
        report(args.url or bench_url(args.articles), args.articles, None)


if __name__ == "__main__":
    main(sys.argv[1:])
