"""Search quality and speed: recall@10 of full-text, semantic and hybrid search on natural
paraphrases, and the latency of a search at 10^5 articles with the ANN index and exact numpy.

Run:
  .venv/bin/python benchmarks/search_quality.py             # quality (about 2 minutes)
  .venv/bin/python benchmarks/search_quality.py --latency   # speed at 10^5 (about 10 minutes)

Quality. The store (SQLite, real FTS5 index, real ANN index) holds the corpus's 982 ECB+
articles, 86 events reported by many outlets, and 1,000 CNN/DM articles as distractors, each
with its MiniLM vector as the pipeline computes it (title, then lead). A query is the headline
of one ECB+ article; its targets are the other articles of the same event: different outlets
tell the same event in their own words, so each headline is a natural paraphrase of the
others' content. The query's own article is left out of its results. recall@10: the share of
a query's targets among its first 10 results (out of at most 10). Dev: the events of odd ECB+
topics; test: even topics. The similarity floor (MIN_SIMILARITY) and the fusion constant
(RRF_K) are chosen on dev, then test is read once.

Speed. 100,000 articles: the texts of the 1,982 corpus articles, each stored about 50 times,
with vectors made from the real ones as benchmarks/ann_libraries.py makes them (a real vector,
a quarter of another and noise), so that neighbours are not exact copies. Queries: 300 ECB+
headlines, embedded beforehand (embedding a query costs about 5 ms more, measured apart).
Times are of SearchRepo.search_stories in one read transaction, as the web page calls it.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from newsdesk.models import Fingerprint, NewArticle
from newsdesk.pipeline.enrich import EMBEDDING_MODEL
from newsdesk.store import Store, ann, search
from newsdesk.store.schema import article_vectors
from newsdesk.store.vectors import vector_bytes

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ann_libraries import CORPUS, mixtures, real_vectors

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "artifacts" / "bench"
K = 10
START = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Doc:
    key: str
    title: str
    text: str
    event: str | None  # ECB+ event; None for a distractor
    topic: int | None


@dataclass(frozen=True)
class Query:
    doc: int  # index of its article in the corpus
    text: str
    targets: frozenset[int]
    topic: int


def corpus() -> list[Doc]:
    """The ECB+ articles, then the CNN/DM ones (first sentence as title), in the order of
    ann_libraries.corpus_texts, so that real_vectors() rows match."""
    docs = []
    with (CORPUS / "stories" / "ecbplus_articles.jsonl").open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            topic = int(row["topic_id"].removeprefix("ecb"))
            docs.append(Doc(row["id"], row["title"], row["text"], row["event_id"], topic))
    with (CORPUS / "nlp" / "summaries" / "cnndm_validation_1000.jsonl").open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            words = row["article"].split()
            docs.append(Doc(row["id"], " ".join(words[:12]), row["article"], None, None))
    return docs


def queries(docs: list[Doc]) -> list[Query]:
    by_event: dict[str, set[int]] = {}
    for i, d in enumerate(docs):
        if d.event is not None:
            by_event.setdefault(d.event, set()).add(i)
    out, seen = [], set()
    for i, d in enumerate(docs):
        if d.event is None or d.topic is None or d.title.casefold() in seen:
            continue
        seen.add(d.title.casefold())
        targets = frozenset(by_event[d.event] - {i})
        if targets:
            out.append(Query(i, d.title, targets, d.topic))
    return out


def build_store(path: Path, docs: list[Doc], vectors: np.ndarray, copies: int = 1) -> list[int]:
    """A SQLite store of docs (copies times each, the vectors given row by row); the ids."""
    path.unlink(missing_ok=True)
    for extra in (path.with_name(path.name + "-vectors.usearch"),):
        extra.unlink(missing_ok=True)
    ids: list[int] = []
    n = len(docs) * copies
    with Store.open(f"sqlite:///{path}") as store:
        for start in range(0, n, 2_000):
            rows = range(start, min(n, start + 2_000))
            new = [
                NewArticle(
                    source=f"Source {i % 97}",
                    title=docs[i % len(docs)].title,
                    text=docs[i % len(docs)].text,
                    fingerprint=Fingerprint(f"h{i}", b"", ()),
                    published=START + timedelta(minutes=5 * i),
                    lang="en",
                )
                for i in rows
            ]
            with store.transaction() as repo:
                got = repo.insert_articles(new)
            with store.engine.begin() as conn:
                conn.execute(
                    article_vectors.insert(),
                    [
                        {
                            "article_id": a,
                            "model": EMBEDDING_MODEL,
                            "vector": vector_bytes(vectors[i]),
                        }
                        for a, i in zip(got, rows, strict=True)
                    ],
                )
            ids += got
    return ids


def embed(texts: list[str], cache: Path) -> np.ndarray:
    if cache.exists():
        cached = np.load(cache)
        if len(cached) == len(texts):
            return cached
    from newsdesk.nlp.embedder import MiniLMEmbedder

    vectors = MiniLMEmbedder(threads=2).embed(texts)
    np.save(cache, vectors)
    return vectors


def recall_at_k(found: list[int], targets: frozenset[int]) -> float:
    return len(set(found[:K]) & targets) / min(K, len(targets))


def evaluate(
    store: Store,
    index: ann.VectorIndex,
    qs: list[Query],
    qv: np.ndarray,
    ids: list[int],
    mode: search.Mode,
) -> float:
    back = {a: i for i, a in enumerate(ids)}
    scores = []
    with store.transaction(readonly=True) as repo:
        for q, v in zip(qs, qv, strict=True):
            hits = repo.search_stories(q.text, vector=v, index=index, mode=mode, limit=K + 1)
            found = [back[h.hit.article_id] for h in hits if back[h.hit.article_id] != q.doc]
            scores.append(recall_at_k(found, q.targets))
    return float(np.mean(scores))


def quality() -> None:
    docs = corpus()
    vectors = real_vectors()
    assert len(vectors) == len(docs)
    path = BENCH / "search_quality.db"
    ids = build_store(path, docs, vectors)
    qs = queries(docs)
    qv = embed([q.text for q in qs], BENCH / "search_quality_queries.npy")
    dev = [i for i, q in enumerate(qs) if q.topic % 2 == 1]
    test = [i for i, q in enumerate(qs) if q.topic % 2 == 0]
    print(f"{len(docs)} articles, {len(qs)} queries: dev {len(dev)}, test {len(test)}")
    with Store.open(f"sqlite:///{path}") as store:
        index = ann.VectorIndex(ann.index_path(f"sqlite:///{path}"), EMBEDDING_MODEL)

        def run(split: list[int], mode: search.Mode) -> float:
            return evaluate(store, index, [qs[i] for i in split], qv[split], ids, mode)

        print("\ndev: the similarity floor (semantic and hybrid recall@10)")
        print("| MIN_SIMILARITY | semantic | hybrid |\n| --- | --- | --- |")
        floors = {}
        for floor in (0.0, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5):
            search.MIN_SIMILARITY = floor
            floors[floor] = (run(dev, "semantic"), run(dev, "hybrid"))
            print(f"| {floor} | {floors[floor][0]:.3f} | {floors[floor][1]:.3f} |", flush=True)
        best = max(h for _, h in floors.values())
        # the highest floor that keeps hybrid recall within 1% of its best: noise cut for free
        search.MIN_SIMILARITY = max(f for f, (_, h) in floors.items() if h >= 0.99 * best)
        print(f"chosen MIN_SIMILARITY = {search.MIN_SIMILARITY}")
        print("\ndev: the fusion constant (hybrid recall@10)")
        print("| RRF_K | hybrid |\n| --- | --- |")
        fusions = {}
        for k in (1, 10, 30, 60, 100):
            search.RRF_K = k
            fusions[k] = run(dev, "hybrid")
            print(f"| {k} | {fusions[k]:.3f} |", flush=True)
        search.RRF_K = max(fusions, key=lambda k: (fusions[k], k == 60))
        print(f"chosen RRF_K = {search.RRF_K}")
        print("\nrecall@10 (share of the same event's other articles in the first 10)")
        print("| split | queries | full text (baseline) | semantic | hybrid |")
        print("| --- | --- | --- | --- | --- |")
        for name, split in (("dev", dev), ("test", test)):
            row = [run(split, m) for m in ("text", "semantic", "hybrid")]
            print(f"| {name} | {len(split)} | " + " | ".join(f"{r:.3f}" for r in row) + " |")


def latency(n: int, probes: int) -> None:
    docs = corpus()
    real = real_vectors()
    path = BENCH / f"search_latency_{n}.db"
    copies = -(-n // len(docs))
    if not path.exists():
        started = time.perf_counter()
        build_store(path, docs, mixtures(real, len(docs) * copies, seed=3), copies)
        took = time.perf_counter() - started
        print(f"built a store of {len(docs) * copies} articles in {took:.0f} s")
    qs = queries(docs)[:probes]
    qv = embed([q.text for q in qs], BENCH / f"search_latency_queries_{probes}.npy")
    url = f"sqlite:///{path}"
    print("| search | p50 | p99 | mean |\n| --- | --- | --- | --- |")

    def timed(name: str, index: ann.VectorIndex | None, mode: search.Mode) -> None:
        with Store.open(url) as store:
            with store.transaction(readonly=True) as repo:  # warm: load or build the index
                started = time.perf_counter()
                repo.search_stories("warm up", vector=qv[0], index=index, mode=mode)
                if index is not None and index.kind:
                    print(
                        f"({name}: index ready in {time.perf_counter() - started:.1f} s,"
                        f" {len(index)} vectors)",
                        flush=True,
                    )
            times = []
            for q, v in zip(qs, qv, strict=True):
                with store.transaction(readonly=True) as repo:
                    t = time.perf_counter()
                    repo.search_stories(q.text, vector=v, index=index, mode=mode)
                    times.append((time.perf_counter() - t) * 1000)
        ms = np.array(times)
        print(
            f"| {name} | {np.percentile(ms, 50):.1f} ms | {np.percentile(ms, 99):.1f} ms |"
            f" {ms.mean():.1f} ms |",
            flush=True,
        )

    file = ann.index_path(url)
    timed("full text only (mode=text)", None, "text")
    timed("hybrid, ANN index (usearch)", ann.VectorIndex(file, EMBEDDING_MODEL), "hybrid")
    timed("semantic only, ANN index", ann.VectorIndex(file, EMBEDDING_MODEL), "semantic")
    exact: Callable[[bytes | None], object] = _no_library
    ann._Usearch = exact  # type: ignore[assignment,misc]  # the fallback: every vector, numpy
    timed("hybrid, exact numpy", ann.VectorIndex(None, EMBEDDING_MODEL), "hybrid")
    timed("semantic only, exact numpy", ann.VectorIndex(None, EMBEDDING_MODEL), "semantic")
    from newsdesk.nlp.embedder import MiniLMEmbedder

    embedder = MiniLMEmbedder()
    times = []
    for q in qs[:100]:
        t = time.perf_counter()
        embedder.embed([q.text])
        times.append((time.perf_counter() - t) * 1000)
    print(
        f"| embedding the query (one thread) | {np.percentile(times, 50):.1f} ms |"
        f" {np.percentile(times, 99):.1f} ms | {np.mean(times):.1f} ms |"
    )


def _no_library(data: bytes | None = None) -> object:
    raise ImportError("exact numpy asked for")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--latency", action="store_true", help="speed at --n articles")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--probes", type=int, default=300)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    BENCH.mkdir(parents=True, exist_ok=True)
    if args.latency:
        latency(args.n, args.probes)
    else:
        quality()


if __name__ == "__main__":
    main()
