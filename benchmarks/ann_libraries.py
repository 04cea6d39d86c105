"""Which ANN library for the semantic side of search: usearch, hnswlib and faiss-cpu on 10^5
vectors, each against exact numpy (build time, query time, recall@10, file size).

Run: .venv/bin/python benchmarks/ann_libraries.py [--n 100000] [--queries 1000]
(the libraries not installed in the project are skipped: install them in a scratch venv with
numpy to compare all three; the figures are in docs/search_quality.md).

The vectors: 1,982 real MiniLM embeddings (the 982 ECB+ articles and 1,000 CNN/DM articles of
the corpus, embedded as the pipeline embeds an article, cached in artifacts/bench/) and
synthetic ones made from them, each a real vector plus a quarter of another plus Gaussian
noise, renormalized: clusters of near neighbours around real topics, as news has, rather than
uniform noise (on which every ANN looks worse than on real data). Queries are further such
mixtures, not in the index. Every library runs on one thread, HNSW with M=16,
ef_construction=128, ef_search=64 (faiss: IndexHNSWFlat, inner product on unit vectors).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "artifacts" / "bench" / "search_corpus_vectors.npy"
CORPUS = Path(os.environ.get("NEWSDESK_CORPUS", ROOT / ".." / "shared" / "corpus")).resolve()
DIM = 384
M, EF_ADD, EF_SEARCH, K = 16, 128, 64, 10


def corpus_texts() -> list[str]:
    """The ECB+ and CNN/DM articles as the pipeline embeds an article (title, then lead)."""
    from newsdesk.cluster.text import article_text_for_embedding

    texts = []
    with (CORPUS / "stories" / "ecbplus_articles.jsonl").open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            texts.append(article_text_for_embedding(row["title"], row["text"]))
    path = CORPUS / "nlp" / "summaries" / "cnndm_validation_1000.jsonl"
    with path.open(encoding="utf-8") as f:
        for line in f:
            texts.append(article_text_for_embedding("", json.loads(line)["article"]))
    return texts


def real_vectors() -> np.ndarray:
    """The corpus embeddings, computed once (about 10 s) and cached."""
    if CACHE.exists():
        return np.load(CACHE)
    from newsdesk.nlp.embedder import MiniLMEmbedder

    vectors = MiniLMEmbedder(threads=2).embed(corpus_texts())
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    np.save(CACHE, vectors)
    return vectors


def mixtures(real: np.ndarray, n: int, seed: int) -> np.ndarray:
    """n unit vectors: a real one + 0.25 x another + noise (per-dimension sigma 0.03)."""
    rng = np.random.default_rng(seed)
    a = real[rng.integers(0, len(real), n)]
    b = real[rng.integers(0, len(real), n)]
    out = a + 0.25 * b + rng.normal(0.0, 0.03, (n, real.shape[1])).astype(np.float32)
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    return out.astype(np.float32)


def exact(data: np.ndarray, queries: np.ndarray) -> np.ndarray:
    scores = queries @ data.T
    return np.argsort(-scores, axis=1)[:, :K]


Built = tuple[Callable[[np.ndarray], np.ndarray], int]


def run_usearch(data: np.ndarray, dtype: str) -> Built:
    from usearch.index import Index

    index = Index(
        ndim=DIM,
        metric="cos",
        dtype=dtype,
        connectivity=M,
        expansion_add=EF_ADD,
        expansion_search=EF_SEARCH,
    )
    index.add(np.arange(len(data), dtype=np.uint64), data, threads=1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "i.usearch"
        index.save(str(path))
        size = path.stat().st_size

    def search(q: np.ndarray) -> np.ndarray:
        return np.asarray(index.search(q, K, threads=1).keys, dtype=np.int64)

    return search, size


def run_hnswlib(data: np.ndarray) -> Built:
    import hnswlib

    index = hnswlib.Index(space="ip", dim=DIM)
    index.init_index(max_elements=len(data), ef_construction=EF_ADD, M=M)
    index.set_num_threads(1)
    index.add_items(data, np.arange(len(data)))
    index.set_ef(EF_SEARCH)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "i.hnsw"
        index.save_index(str(path))
        size = path.stat().st_size

    def search(q: np.ndarray) -> np.ndarray:
        labels, _ = index.knn_query(q[None, :], k=K)
        return np.asarray(labels[0], dtype=np.int64)

    return search, size


def run_faiss(data: np.ndarray) -> Built:
    import faiss

    faiss.omp_set_num_threads(1)
    index = faiss.IndexHNSWFlat(DIM, M, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = EF_ADD
    index.add(data)
    index.hnsw.efSearch = EF_SEARCH
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "i.faiss"
        faiss.write_index(index, str(path))
        size = path.stat().st_size

    def search(q: np.ndarray) -> np.ndarray:
        _, labels = index.search(q[None, :], K)
        return np.asarray(labels[0], dtype=np.int64)

    return search, size


def measure(name: str, build: Callable[[], Built], queries: np.ndarray, truth: np.ndarray) -> None:
    start = time.perf_counter()
    search, size = build()
    built = time.perf_counter() - start
    found, times = [], []
    for q in queries:
        t = time.perf_counter()
        found.append(search(q))
        times.append(time.perf_counter() - t)
    recall = np.mean([len(set(f) & set(t)) / K for f, t in zip(found, truth, strict=True)])
    ms = np.array(times) * 1000
    print(
        f"| {name} | {built:.1f} s | {np.percentile(ms, 50):.3f} ms | "
        f"{np.percentile(ms, 99):.3f} ms | {recall:.3f} | {size / 2**20:.0f} MiB |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1_000)
    args = parser.parse_args()
    real = real_vectors()
    data = mixtures(real, args.n, seed=1)
    queries = mixtures(real, args.queries, seed=2)
    truth = exact(data, queries)
    print(f"{args.n} vectors, {args.queries} queries, one thread")
    print("| library | build | query p50 | query p99 | recall@10 | file |")
    print("| --- | --- | --- | --- | --- | --- |")
    times = []
    for q in queries[:200]:
        t = time.perf_counter()
        scores = data @ q
        np.argpartition(-scores, K)[:K]
        times.append((time.perf_counter() - t) * 1000)
    print(
        f"| exact numpy | - | {np.percentile(times, 50):.3f} ms | "
        f"{np.percentile(times, 99):.3f} ms | 1.000 | {data.nbytes / 2**20:.0f} MiB |"
    )
    runs: list[tuple[str, str, Callable[[], Built]]] = [
        ("usearch f32", "usearch", lambda: run_usearch(data, "f32")),
        ("usearch f16", "usearch", lambda: run_usearch(data, "f16")),
        ("usearch i8", "usearch", lambda: run_usearch(data, "i8")),
        ("hnswlib", "hnswlib", lambda: run_hnswlib(data)),
        ("faiss-cpu HNSWFlat", "faiss", lambda: run_faiss(data)),
    ]
    for name, module, build in runs:
        if importlib.util.find_spec(module) is None:
            print(f"| {name} | not installed | | | | |")
            continue
        measure(name, build, queries, truth)


if __name__ == "__main__":
    main()
