"""The article summary against Lead-3 on news with human highlights (CNN / Daily Mail).

Run: .venv/bin/python benchmarks/brief_summaries.py [--fit] [--cache FILE]
  --fit    refit the sentence model on the dev split and write newsdesk/nlp/data/summary_model.json
  --cache  keep the parsed articles in FILE (a pickle) between runs
Prints a Markdown section: ROUGE-1/2/L F1 (rouge-score, stemming on) and words per summary for
Lead-3 (the first three of newsdesk's own sentences), the lead cut to the same word budget, and
newsdesk, on the dev split (where the weights and budget are chosen) and the test split; how
often each system picks furniture or a sentence that leans on its predecessor; and the story
summary's cross-source support on ECB+.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import pickle
import sys
import time
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402
from rouge_score import rouge_scorer  # noqa: E402

from newsdesk.enrich.analysis import Analysis, analyze_many  # noqa: E402
from newsdesk.enrich.lead_rules import dependent, furniture  # noqa: E402
from newsdesk.enrich.member import Member  # noqa: E402
from newsdesk.enrich.sentences import terms  # noqa: E402
from newsdesk.enrich.story import story_brief  # noqa: E402
from newsdesk.enrich.summary import (  # noqa: E402
    FEATURES,
    Model,
    Prepared,
    default_model,
    prepare,
    summary_and_points,
)
from newsdesk.models import Brief  # noqa: E402

CORPUS = Path(os.environ.get("NEWSDESK_CORPUS") or ROOT.parent / "shared" / "corpus")
DATA = CORPUS / "nlp" / "summaries" / "cnndm_validation_1000.jsonl"
MODEL = ROOT / "src" / "newsdesk" / "nlp" / "data" / "summary_model.json"
SCORER = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
GRID = {
    "budget": (35, 40, 45, 50, 55),
    "overshoot": (1.0, 1.2, 1.4),
    "redundancy": (0.3, 0.5),
}
RIDGE = 1.0


def split_of(key: str) -> str:
    """The dev/test split the tests use: parity of the id's SHA-1 first byte."""
    return "dev" if hashlib.sha1(key.encode()).digest()[0] % 2 == 0 else "test"


def load(cache: Path | None) -> list[tuple[str, list[str], Analysis]]:
    """(id, highlights, Analysis) for each article, parsed once (and kept in cache if given)."""
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    parsed: dict[str, Analysis] = {}
    if cache and cache.exists():
        parsed = pickle.loads(cache.read_bytes())
    todo = [r for r in rows if r["id"] not in parsed]
    if todo:
        items = ((r["article"], None, "en") for r in todo)
        for r, a in zip(todo, analyze_many(items), strict=True):
            parsed[r["id"]] = a
        if cache:
            cache.write_bytes(pickle.dumps(parsed))
    return [(r["id"], r["highlights"], parsed[r["id"]]) for r in rows]


def rouge(reference: str, summary: str) -> tuple[float, float, float]:
    s = SCORER.score(reference, summary)
    return s["rouge1"].fmeasure, s["rouge2"].fmeasure, s["rougeL"].fmeasure


def lead3(a: Analysis) -> str:
    return " ".join(s.text for s in a.sentences[:3])


def lead_budget(a: Analysis, budget: int) -> str:
    """The first sentences until the budget is spent (the last one may cross it)."""
    out: list[str] = []
    used = 0
    for s in a.sentences:
        if used >= budget:
            break
        out.append(s.text)
        used += len(s.text.split())
    return " ".join(out)


def ours(a: Analysis, model: Model | None = None, prepared: Prepared | None = None) -> str:
    return " ".join(line.text for line in summary_and_points(a, model, prepared)[0])


def table(rows: Sequence[tuple[str, list[str], Analysis]], model: Model) -> list[str]:
    systems = {
        "Lead-3": lead3,
        f"lead cut to {model.budget} words": lambda a: lead_budget(a, model.budget),
        "newsdesk": lambda a: ours(a, model),
    }
    out = []
    for name, system in systems.items():
        scores, words = [], []
        for _, highlights, a in rows:
            text = system(a)
            scores.append(rouge("\n".join(highlights), text))
            words.append(len(text.split()))
        r = np.mean(scores, axis=0) * 100
        out.append(f"| {name} | {r[0]:.2f} | {r[1]:.2f} | {r[2]:.2f} | {np.mean(words):.1f} |")
    return out


def labelled(
    rows: Sequence[tuple[str, list[str], Analysis]],
) -> tuple[list[Prepared], np.ndarray, np.ndarray]:
    """Each article prepared; feature rows of every candidate and its label: 1 for the (up to
    three) sentences a greedy oracle picks to maximise ROUGE-1 + ROUGE-2 against the highlights."""
    prepared, xs, ys = [], [], []
    for _, highlights, a in rows:
        p = prepare(a)
        prepared.append(p)
        if not p.cands:
            continue
        ref = "\n".join(highlights)
        chosen: list[int] = []
        best = 0.0
        for _ in range(3):
            add = None
            for j in range(len(p.cands)):
                if j in chosen:
                    continue
                text = " ".join(a.sentences[p.cands[k]].text for k in sorted([*chosen, j]))
                value = sum(rouge(ref, text)[:2])
                if value > best:
                    best, add = value, j
            if add is None:
                break
            chosen.append(add)
        y = np.zeros(len(p.cands))
        y[chosen] = 1.0
        ys.append(y)
        xs.append(p.x)
    return prepared, np.vstack(xs), np.concatenate(ys)


def fit(dev: Sequence[tuple[str, list[str], Analysis]]) -> Model:
    """Ridge regression on dev sentences, then the picking parameters by dev ROUGE-1 + ROUGE-2,
    at no more words than Lead-3."""
    prepared, x, y = labelled(dev)
    mu, sd = x.mean(axis=0), x.std(axis=0)
    mu[0], sd[0] = 0.0, 1.0
    sd[sd == 0] = 1.0
    z = (x - mu) / sd
    w = np.linalg.solve(z.T @ z + RIDGE * np.eye(z.shape[1]), z.T @ y)
    weights = w / sd
    weights[0] = w[0] - float(weights[1:] @ mu[1:])
    lead_words = np.mean([len(lead3(a).split()) for _, _, a in dev])
    best, best_model = -1.0, None
    for budget, overshoot, redundancy in itertools.product(*GRID.values()):
        model = Model(tuple(float(v) for v in weights), budget, overshoot, redundancy)
        texts = [ours(a, model, p) for (_, _, a), p in zip(dev, prepared, strict=True)]
        r = np.mean(
            [rouge("\n".join(h), t)[:2] for (_, h, _), t in zip(dev, texts, strict=True)], axis=0
        )
        words = np.mean([len(t.split()) for t in texts])
        print(
            f"  budget {budget} overshoot {overshoot} redundancy {redundancy}: "
            f"R1 {r[0] * 100:.2f} R2 {r[1] * 100:.2f} words {words:.1f}",
            file=sys.stderr,
        )
        if r.sum() > best and words <= lead_words:
            best, best_model = float(r.sum()), model
    assert best_model is not None
    return best_model


def save(model: Model) -> None:
    MODEL.write_text(
        json.dumps(
            {
                "about": "summary sentence model: benchmarks/brief_summaries.py --fit",
                "features": list(FEATURES),
                "weights": [round(v, 6) for v in model.weights],
                "budget": model.budget,
                "overshoot": model.overshoot,
                "redundancy": model.redundancy,
                "max_lines": model.max_lines,
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )


def rule_breaks(rows: Sequence[tuple[str, list[str], Analysis]], model: Model) -> tuple[int, int]:
    """(Lead-3 sentences, newsdesk lines) that are furniture or lean on a predecessor not shown."""
    lead = sum(furniture(s.text) or dependent(s.text) for _, _, a in rows for s in a.sentences[1:3])
    mine = 0
    for _, _, a in rows:
        shown = {line.cites[0].sentence for line in summary_and_points(a, model)[0]}
        for i in shown:
            text = a.sentences[i].text
            mine += furniture(text) or (dependent(text) and i - 1 not in shown)
    return lead, mine


def ecb_events(cache: Path | None) -> dict[str, list[Member]]:
    """ECB+ events with 2+ sources as stories: their articles, each with its own brief summary."""
    path = CORPUS / "stories" / "ecbplus_articles.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    parsed: dict[str, Analysis] = {}
    if cache and cache.exists():
        parsed = pickle.loads(cache.read_bytes())
    todo = [r for r in rows if r["id"] not in parsed]
    if todo:
        items = ((r["text"], None if r["title_is_lead"] else r["title"], "en") for r in todo)
        for r, a in zip(todo, analyze_many(items), strict=True):
            parsed[r["id"]] = a
        if cache:
            cache.write_bytes(pickle.dumps(parsed))
    events: dict[str, list[Member]] = {}
    for k, r in enumerate(rows):
        a = parsed[r["id"]]
        summary, _ = summary_and_points(a)
        # ECB (2008) articles carry no source: each is its own.
        source = r["source"] or r["id"]
        brief = Brief(lang="en", sentences=tuple(s.text for s in a.sentences), summary=summary)
        events.setdefault(r["event_id"], []).append(
            Member(k, source, r["title"] or "", None, brief)
        )
    return {e: m for e, m in events.items() if len({x.source for x in m}) >= 2}


def support(line: str, event: Sequence[Member]) -> int:
    """Sources with a sentence holding at least half the line's content words."""
    words = set(terms(line))
    if not words:
        return 0
    found = set()
    for m in event:
        for s in m.brief.sentences:
            if len(words & set(terms(s))) >= 0.5 * len(words):
                found.add(m.source)
                break
    return len(found)


def story_table(events: dict[str, list[Member]]) -> list[str]:
    systems = {
        "first article's summary": lambda ms: [x.text for x in ms[0].brief.summary],
        "newsdesk story summary": lambda ms: [x.text for x in story_brief(ms).summary],
    }
    out = []
    for split in ("dev", "test"):
        part = [ms for e, ms in events.items() if split_of(e) == split]
        for name, system in systems.items():
            counts = [support(line, ms) for ms in part for line in system(ms)]
            two = np.mean([c >= 2 for c in counts]) * 100
            three = np.mean([c >= 3 for c in counts]) * 100
            out.append(
                f"| {split} ({len(part)}) | {name} | {len(counts)} | {two:.1f} | {three:.1f} "
                f"| {np.mean(counts):.2f} |"
            )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", action="store_true")
    parser.add_argument("--cache", type=Path)
    args = parser.parse_args()
    if not DATA.exists():
        print(f"## summaries\n\n(skipped: {DATA.name} not found)\n")
        return 0
    started = time.perf_counter()
    rows = load(args.cache)
    dev = [r for r in rows if split_of(r[0]) == "dev"]
    test = [r for r in rows if split_of(r[0]) == "test"]
    if args.fit:
        save(fit(dev))
        default_model.cache_clear()
    model = default_model()
    print("## summaries\n")
    print(
        f"CNN / Daily Mail validation sample: {len(rows)} articles with human highlights "
        f"(dev {len(dev)}, test {len(test)}). ROUGE F1 x 100 (rouge-score, stemming on); "
        f"words per summary. Model: {len(FEATURES)} features, budget {model.budget} words, "
        f"overshoot {model.overshoot}, redundancy {model.redundancy}.\n"
    )
    for name, part in (("dev", dev), ("test", test)):
        print(f"{name} split ({len(part)} articles):\n")
        print("| system | ROUGE-1 | ROUGE-2 | ROUGE-L | words |\n|---|---|---|---|---|")
        print("\n".join(table(part, model)) + "\n")
        lead, mine = rule_breaks(part, model)
        print(
            f"{name}: sentences 2-3 of Lead-3 that are furniture or lean on their predecessor: "
            f"{lead}; newsdesk summary lines that are: {mine}\n"
        )
    if (CORPUS / "stories" / "ecbplus_articles.jsonl").exists():
        events = ecb_events(args.cache.with_suffix(".ecb.pickle") if args.cache else None)
        print(
            f"Story summaries on ECB+: {len(events)} events with 2+ sources (each article a "
            "member with its own brief summary). A line is supported by a source when one of "
            "its sentences holds at least half the line's content words.\n"
        )
        print(
            "| split (events) | system | lines | supported by 2+ sources % | by 3+ % "
            "| sources per line |\n|---|---|---|---|---|---|"
        )
        print("\n".join(story_table(events)) + "\n")
    print(f"Command: `.venv/bin/python benchmarks/brief_summaries.py` "
          f"({time.perf_counter() - started:.0f} s)\n")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
