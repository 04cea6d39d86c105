"""Full enrichment speed: articles/s on the local runner, and how the time splits.

Full enrichment is what ingest does after dedup for each new article: one spaCy pass, the
brief (summary, key points, who's who, quotes, figures, hashtags), one embedding, story
placement and storing it all (SQLite). The two models are then timed alone on the same texts
in the same run, in the same batches (one process each), so "everything else" is the remainder.

Every share is CPU time (the workers' and the main process's), so a run on a busy machine still
splits the time right; wall-clock articles/s needs the two cores free. The ratio printed is the
run's CPU time to that of the model calls it makes (spaCy once, the embedder once per article).
Usage:

    .venv/bin/python benchmarks/enrich_speed.py [--articles N] [--workers W] [--profile DIR]

--profile DIR leaves main.pstats (the run's main process: placement, store, story briefs) and
worker.pstats (the same articles' enrich_many jobs, run in-process) there.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("NEWSDESK_CORPUS", ROOT.parent / "shared" / "corpus"))
WORDS = 600


def articles(n: int) -> list[tuple[str, str]]:
    """(title, ~600-word text) from the English fundus gold bodies, then ECB+ stories."""
    out: list[tuple[str, str]] = []
    index = CORPUS / "pages" / "index.jsonl"
    for line in index.read_text(encoding="utf-8").splitlines():
        meta = json.loads(line)
        if meta["source_dataset"] != "flairNLP/fundus" or meta["lang"] != "en":
            continue
        gold = json.loads((CORPUS / "pages" / meta["expected"]).read_text(encoding="utf-8"))
        words = gold["body_text"].split(" ")
        if len(words) >= WORDS:
            out.append((gold["title"], " ".join(words[:WORDS])))
    while len(out) < n:  # repeat with a marker so dedup and stories see distinct articles
        out += [(f"{t} ({len(out)})", x) for t, x in out[: n - len(out)]]
    return out[:n]


def children_cpu() -> float:
    """CPU seconds of the child processes that have exited and been waited for."""
    times = os.times()
    return times.children_user + times.children_system


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=120)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--profile", type=Path, help="leave main.pstats and worker.pstats here")
    args = parser.parse_args()

    from newsdesk.cluster import article_text_for_embedding
    from newsdesk.models import Fingerprint, NewArticle
    from newsdesk.nlp.embedder import default_embedder
    from newsdesk.nlp.spacy_model import load
    from newsdesk.pipeline import LocalRunner, StoryDesk
    from newsdesk.pipeline.enrich import ENRICH_BATCH, EnrichJob, enrich_many
    from newsdesk.store import Store

    items = articles(args.articles)
    now = datetime.now(UTC)
    load_average = os.getloadavg()[0]
    profiler = cProfile.Profile() if args.profile else None
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(f"sqlite:///{tmp}/bench.db")
        with store.transaction() as repo:
            ids = [
                repo.insert_article(
                    NewArticle(
                        source=f"source {i % 7}",
                        title=title,
                        text=text,
                        fingerprint=Fingerprint(f"h{i}", b"", ()),
                        published=now,
                        lang="en",
                    )
                )
                for i, (title, text) in enumerate(items)
            ]
        runner = LocalRunner(args.workers)
        desk = StoryDesk(store, runner)
        # A small run stays in-process: the models load here, and the workers the timed run
        # starts inherit them (as a server's workers, started once, keep theirs).
        warm = args.workers * 2
        desk.run(ids[:warm])
        children = children_cpu()
        main_cpu = time.process_time()
        started = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        stories, failures = desk.run(ids[warm:])
        if profiler is not None:
            profiler.disable()
        total = time.perf_counter() - started
        main_cpu = time.process_time() - main_cpu
        runner.close()  # the workers exit and are waited for: their CPU time is now known
        worker_cpu = children_cpu() - children
        store.close()
        items = items[warm:]

    # The models alone, called as the run calls them: spaCy over each job's texts at once
    # (analysis.py runs each component's pipe() on them), the embedder once per job.
    batches = [items[i : i + ENRICH_BATCH] for i in range(0, len(items), ENRICH_BATCH)]
    nlp = load("en")
    list(nlp.pipe([x for _, x in items[:ENRICH_BATCH]]))
    started = time.process_time()
    for batch in batches:
        list(nlp.pipe([x for _, x in batch], batch_size=ENRICH_BATCH))
    spacy_s = time.process_time() - started
    embedder = default_embedder()
    embedder.embed(["warm up"])
    started = time.process_time()
    for batch in batches:
        embedder.embed([article_text_for_embedding(t, x) for t, x in batch])
    embed_s = time.process_time() - started

    if args.profile is not None and profiler is not None:
        args.profile.mkdir(parents=True, exist_ok=True)
        profiler.dump_stats(args.profile / "main.pstats")
        jobs = [EnrichJob(i, t, x, "en", now) for i, (t, x) in enumerate(items)]
        profiler = cProfile.Profile()
        profiler.enable()
        for i in range(0, len(jobs), ENRICH_BATCH):
            enrich_many(jobs[i : i + ENRICH_BATCH])
        profiler.disable()
        profiler.dump_stats(args.profile / "worker.pstats")

    n = len(items)
    cpu = main_cpu + worker_cpu
    models = spacy_s + embed_s
    other = max(cpu - models, 0.0)
    print(f"articles: {n} of {WORDS} words, {args.workers} worker processes, {stories} stories")
    print(
        f"full enrichment: {total:.2f} s wall, {n / total:.1f} articles/s (target >= 12), "
        f"load average {load_average:.1f} at the start"
    )
    print(
        f"CPU time: {cpu / n * 1000:.1f} ms per article, "
        f"{n * args.workers / cpu:.1f} articles/s on {args.workers} free cores"
    )
    print("per article, CPU time:")
    print(f"  spaCy alone      {spacy_s / n * 1000:6.1f} ms  ({spacy_s / cpu:.0%})")
    print(f"  embedder alone   {embed_s / n * 1000:6.1f} ms  ({embed_s / cpu:.0%})")
    print(f"  everything else  {other / n * 1000:6.1f} ms  ({other / cpu:.0%}, target < 20%)")
    main_ms = main_cpu / n * 1000
    print(f"    of it the main process (placement, store, story briefs) {main_ms:.1f} ms")
    print(f"run to model calls: {cpu / models:.2f}x the CPU time of spaCy and the embedder alone")
    print(f"failures: {len(failures)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
