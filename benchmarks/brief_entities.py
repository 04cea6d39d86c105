"""One name per referent: entity F1, name/type consistency and who's who, before and after.

Run: .venv/bin/python benchmarks/brief_entities.py [--cache DIR] [--no-train]
     (NEWSDESK_CORPUS overrides the corpus path; --cache keeps parsed documents between runs)

Compares three things on the same model output: the model's own entities ("raw"), the entity
rules as they were before this work ("before": newsdesk.enrich.entities and the story merge at
commit BEFORE, read from git), and the rules now ("after"). Rules were chosen on CoNLL train;
CoNLL dev is the report. Prints:
(a) entity-level F1 (exact span and type, PER/ORG/LOC/MISC) on CoNLL train and dev;
(b) within-document consistency on CoNLL dev: of the referents (gold mentions linked by surface:
    same text, or a person's surname) with two or more mentions found, the share given more
    than one canonical name or more than one type;
(c) who's who of the ECB+ events with many articles, as a story brief shows it: entries per
    story and fragments (an entry that is part of another entry's name, ends on a name
    particle, or repeats another's name under a second type);
(d) who's who precision/recall on the hand labels (tests/enrich/labels.jsonl);
and the cost of mentions() per article.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import json
import os
import pickle
import subprocess
import sys
import time
import types
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "enrich"))
os.environ.setdefault("OMP_NUM_THREADS", "1")

from enrich_scoring import _norm, labelled_text, load_labels, split_of  # noqa: E402
from entity_scoring import CORPUS, documents, f1, mention_spans, raw_spans  # noqa: E402

from newsdesk.enrich import entities, who  # noqa: E402
from newsdesk.enrich.analysis import Analysis, analyze_many  # noqa: E402
from newsdesk.models import Cite, WhoEntry  # noqa: E402

BEFORE = "c47d305"  # the entity rules and story merge this work started from
WIDE_STORY = 8  # ECB+ events with at least this many articles count as many-article stories
PARTICLES = {"von", "der", "de", "van", "da", "di", "du", "del", "la", "le", "bin", "al"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="keep parsed documents here between runs")
    parser.add_argument("--no-train", action="store_true", help="skip CoNLL train (slow)")
    args = parser.parse_args()
    if not (CORPUS / "nlp" / "entities" / "conll2003_dev.txt").exists():
        print("## entities\n\n(corpus not found: set NEWSDESK_CORPUS)\n")
        return 1
    before = _before()
    print("## entities: one name per referent\n")
    print("Command: `.venv/bin/python benchmarks/brief_entities.py`\n")
    rules = {"before": before.mentions, "after": entities.mentions}
    splits = ("dev",) if args.no_train else ("train", "dev")
    conll = {s: _parsed(f"conll_{s}", documents(s), args.cache) for s in splits}
    _f1_table(conll, rules)
    _consistency(conll["dev"], rules)
    _stories(args.cache, before)
    _labels(args.cache, before)
    _cost(conll["dev"][1], before.mentions)
    return 0


def _before() -> types.SimpleNamespace:
    """entities.mentions, who.who_entries and story.merge_who as they were at BEFORE."""

    def module(path: str, name: str) -> types.ModuleType:
        source = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{BEFORE}:{path}"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        spec = importlib.util.spec_from_loader(name, loader=None)
        assert spec is not None
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        exec(compile(source, path, "exec"), mod.__dict__)
        return mod

    old_entities = module("src/newsdesk/enrich/entities.py", "before_entities")
    old_who = module("src/newsdesk/enrich/who.py", "before_who")
    story_source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{BEFORE}:src/newsdesk/enrich/story.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    wanted = {"merge_who", "_fold_middle_names", "_fold_surnames", "_with_ids"}
    tree = ast.parse(story_source)
    tree.body = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in wanted]
    space: dict[str, Any] = {"WhoEntry": WhoEntry, "Cite": Cite, "Sequence": Sequence}
    space["Member"] = object
    exec(compile(ast.fix_missing_locations(tree), "story.py", "exec"), space)

    def merge_who(articles: Sequence[tuple[int, Sequence[WhoEntry]]]) -> tuple[WhoEntry, ...]:
        members = [
            types.SimpleNamespace(article_id=i, brief=types.SimpleNamespace(who=w))
            for i, w in articles
        ]
        return space["merge_who"](members)

    return types.SimpleNamespace(
        mentions=old_entities.mentions, who_entries=old_who.who_entries, merge_who=merge_who
    )


def _parsed(
    name: str, items: Sequence[Any], cache: Path | None
) -> tuple[list[Any], list[Analysis]]:
    path = cache / f"{name}.pkl" if cache else None
    if path is not None and path.exists():
        with path.open("rb") as f:
            return pickle.load(f)
    texts = [(getattr(d, "text", None) or d["text"], None, "en") for d in items]
    done = (list(items), list(analyze_many(texts)))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as f:
            pickle.dump(done, f)
    return done


def _f1_table(conll: dict[str, tuple[list[Any], list[Analysis]]], rules: dict[str, Any]) -> None:
    print("### (a) Entity F1 on CoNLL-2003 (exact span and type)\n")
    print("Rules chosen on train, reported on dev. raw = the model's own entities.\n")
    print("| split | rules | P | R | F1 | PER | ORG | LOC | MISC |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for split, (docs, analyses) in conll.items():
        fns: dict[str, Callable[[Analysis], set[Any]]] = {"raw": raw_spans}
        for label, find in rules.items():
            fns[label] = lambda a, find=find: mention_spans(a, find)
        for label, fn in fns.items():
            pairs = [(d.gold, fn(a)) for d, a in zip(docs, analyses, strict=True)]
            p, r, f = f1(pairs)
            per = [
                f1(
                    [
                        (frozenset(x for x in g if x[2] == k), {x for x in s if x[2] == k})
                        for g, s in pairs
                    ]
                )[2]
                for k in ("PER", "ORG", "LOC", "MISC")
            ]
            cells = " | ".join(f"{v:.1f}" for v in (p, r, f, *per))
            print(f"| {split} | {label} | {cells} |")
    print()


def _consistency(dev: tuple[list[Any], list[Analysis]], rules: dict[str, Any]) -> None:
    print("### (b) One name and one type per referent, within a document (CoNLL dev)\n")
    print("| rules | referents (2+ mentions found) | more than one name | more than one type |")
    print("|---|---:|---:|---:|")
    docs, analyses = dev

    def raw(a: Analysis) -> dict[tuple[int, int], tuple[str, str]]:
        return {(e.start, e.end): (e.text.casefold(), e.label) for e in a.entities}

    def ruled(
        find: Callable[[Analysis], list[Any]],
    ) -> Callable[[Analysis], dict[tuple[int, int], tuple[str, str]]]:
        def spans(a: Analysis) -> dict[tuple[int, int], tuple[str, str]]:
            out = {}
            for m in find(a):
                start = getattr(m, "start", -1)
                if start < 0:
                    start, end = a.entities[m.entity].start, a.entities[m.entity].end
                else:
                    end = m.end
                if m.type in ("PERSON", "ORG", "PLACE", "NORP", "EVENT", "MISC"):
                    out[(start, end)] = (m.canonical.casefold(), m.type)
            return out

        return spans

    for label, fn in {"raw": raw, **{k: ruled(v) for k, v in rules.items()}}.items():
        total = names = kinds = 0
        for doc, a in zip(docs, analyses, strict=True):
            got = fn(a)
            for spans in _referents(doc).values():
                found = [got[s] for s in spans if s in got]
                if len(found) < 2:
                    continue
                total += 1
                names += len({n for n, _ in found}) > 1
                kinds += len({t for _, t in found}) > 1
        print(f"| {label} | {total} | {_pct(names, total)} | {_pct(kinds, total)} |")
    print()


def _referents(doc: Any) -> dict[str, list[tuple[int, int]]]:
    """Gold mentions grouped by surface: the same text, or a person's surname."""
    groups: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for start, end, kind in doc.gold:
        text = doc.text[start:end].casefold()
        key = f"PER:{text.split()[-1]}" if kind == "PER" else f"{kind}:{text}"
        groups[key].append((start, end))
    return groups


def _who_of(
    analysis: Analysis, find: Callable[[Analysis], list[Any]], entries: Callable[..., Any]
) -> tuple[WhoEntry, ...]:
    return entries(analysis, find(analysis)) if analysis.available else ()


def _stories(cache: Path | None, before: types.SimpleNamespace) -> None:
    path = CORPUS / "stories" / "ecbplus_articles.jsonl"
    with path.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    rows, analyses = _parsed("ecbplus", rows, cache)
    events: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        events[row["event_id"]].append(i)
    wide = {e: ids for e, ids in sorted(events.items()) if len(ids) >= WIDE_STORY}
    print(f"### (c) Who's who of a story: {len(wide)} ECB+ events with {WIDE_STORY}+ articles\n")
    print(
        "| rules | entries per story (mean) | max | fragments per story (mean) "
        "| stories with a fragment |"
    )
    print("|---|---:|---:|---:|---:|")
    for label, find, entries, merge in (
        ("before", before.mentions, before.who_entries, before.merge_who),
        ("after", entities.mentions, who.who_entries, who.story_who),
    ):
        sizes, frags = [], []
        for ids in wide.values():
            merged = merge([(i, _who_of(analyses[i], find, entries)) for i in ids])
            sizes.append(len(merged))
            frags.append(len(_fragments(merged)))
        n = len(sizes)
        print(
            f"| {label} | {sum(sizes) / n:.1f} | {max(sizes)} | {sum(frags) / n:.1f} | "
            f"{sum(f > 0 for f in frags)} of {n} |"
        )
    print()


def _fragments(entries: Sequence[WhoEntry]) -> list[str]:
    """Entries that are a piece of a person's name ("Leyen", "Lohan" beside "Lindsay Lohan"),
    the start or end of another name of their own type ("Academy" beside "Academy Awards"),
    end on a name particle ("Ursula von der"), or repeat a name under a second type."""
    names = [w.name.casefold().split() for w in entries]
    kinds = Counter(w.name.casefold() for w in entries)
    out = []
    for w, words in zip(entries, names, strict=True):
        n = len(words)
        part = any(
            len(other) > n
            and (
                (o.type == "PERSON" and any(other[i : i + n] == words for i in range(len(other))))
                or (o.type == w.type and words in (other[:n], other[-n:]))
            )
            for o, other in zip(entries, names, strict=True)
        )
        if part or words[-1] in PARTICLES or kinds[w.name.casefold()] > 1:
            out.append(w.name)
    return out


def _labels(cache: Path | None, before: types.SimpleNamespace) -> None:
    rows = load_labels()
    if not rows:
        return
    texts = []
    for row in rows:
        title, text = labelled_text(row)
        texts.append({"text": text, "title": title})
    _, analyses = _parsed("labels", texts, cache)
    print("### (d) Who's who against the hand labels (tests/enrich/labels.jsonl)\n")
    print("| split | rules | PERSON P | PERSON R | ORG P | ORG R | PLACE P | PLACE R |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for split in ("dev", "test"):
        for label, find, entries in (
            ("before", before.mentions, before.who_entries),
            ("after", entities.mentions, who.who_entries),
        ):
            tally = {t: [0, 0, 0] for t in ("PERSON", "ORG", "PLACE")}
            for row, a in zip(rows, analyses, strict=True):
                if row.get("split", split_of(row["id"])) != split:
                    continue
                got_who = _who_of(a, find, entries)
                for t, c in tally.items():
                    gold = {_norm(n) for n in row["labels"]["who"].get(t, [])}
                    got = {_norm(w.name) for w in got_who if w.type == t}
                    c[0] += len(gold & got)
                    c[1] += len(got - gold)
                    c[2] += len(gold - got)
            cells = []
            for tp, fp, fn in tally.values():
                cells += [_pct(tp, tp + fp), _pct(tp, tp + fn)]
            print(f"| {split} | {label} | {' | '.join(cells)} |")
    print()


def _cost(analyses: list[Analysis], before: Callable[[Analysis], list[Any]]) -> None:
    entities.mentions(analyses[0])  # the gazetteer is built once, at first use
    took = {}
    for label, find in (("before", before), ("after", entities.mentions)):
        started = time.perf_counter()
        for a in analyses:
            find(a)
        took[label] = 1000 * (time.perf_counter() - started) / len(analyses)
    words = sum(len(a.text.split()) for a in analyses) / len(analyses)
    print(
        f"Cost per CoNLL dev document ({words:.0f} words on average): mentions() "
        f"{took['after']:.2f} ms, before {took['before']:.2f} ms; the gazetteer is built "
        "once, at first use.\n"
    )


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


if __name__ == "__main__":
    sys.exit(main())
