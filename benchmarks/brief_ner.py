"""Names, the recognizer: CoNLL-2003 entity F1, modern-news agreement and speed, sm vs ours.

The baseline is en_core_web_sm's own `ner`; ours is the same architecture fine-tuned on the
CoNLL-2003 train file (benchmarks/train_ner.py), shipped in src/newsdesk/nlp/data/ner/. Both
are scored entity-level (exact span and type, PER / LOC / ORG / MISC) on the tenth of the train
documents held out to choose the epoch ("dev") and on the CoNLL-2003 dev file, eng.testa, read
once for the report ("test"). On modern English news (the fundus gold bodies), which has no
entity gold here, the two are compared with each other, and the whole spaCy pipeline is timed
with either recognizer in the same run. Usage:

    .venv/bin/python benchmarks/brief_ner.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "nlp"))

import conll_evalset as conll  # noqa: E402
from train_ner import HELD_OUT_EVERY  # noqa: E402

WORDS = 600
NUMERIC = ("DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY")


def news_texts() -> list[str]:
    """Up to 600 words of each English fundus gold body of at least 200 words."""
    index = conll.CORPUS / "pages" / "index.jsonl"
    out = []
    for line in index.read_text(encoding="utf-8").splitlines():
        meta = json.loads(line)
        if meta["source_dataset"] != "flairNLP/fundus" or meta["lang"] != "en":
            continue
        gold = json.loads((conll.CORPUS / "pages" / meta["expected"]).read_text("utf-8"))
        words = (gold.get("body_text") or "").split(" ")
        if len(words) >= 200:
            out.append(" ".join(words[:WORDS]))
    return out


def row(name: str, s: conll.Score) -> str:
    return f"| {name} | {100 * s.precision:.1f} | {100 * s.recall:.1f} | **{100 * s.f1:.1f}** |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="timing rounds, best kept")
    args = parser.parse_args()
    if not conll.available():
        sys.exit(f"brief_ner: no CoNLL-2003 files under {conll.ENTITIES} (set NEWSDESK_CORPUS)")
    from newsdesk.nlp import spacy_model

    ours = spacy_model.load("en")
    shipped = spacy_model.RECOGNIZERS.pop("en")  # the same pipeline with sm's own recognizer
    try:
        sm = spacy_model.load.__wrapped__("en")
    finally:
        spacy_model.RECOGNIZERS["en"] = shipped
    pipelines = {"en_core_web_sm ner (baseline)": sm, "newsdesk ner (ours)": ours}

    train = conll.read(conll.TRAIN)
    held = conll.sentences(
        d for i, d in enumerate(train) if i % HELD_OUT_EVERY == HELD_OUT_EVERY - 1
    )
    dev = conll.sentences(conll.read(conll.DEV))
    print("## Names: the entity recognizer\n")
    print(
        "CoNLL-2003, entity level (exact span and type; PER / LOC / ORG / MISC; spaCy labels "
        "mapped PERSON->PER, GPE/LOC/FAC->LOC, ORG->ORG, NORP/EVENT/PRODUCT/WORK_OF_ART/LAW/"
        "LANGUAGE/MISC->MISC, numeric and date labels dropped). dev: the tenth of the train "
        f"documents held out to choose the epoch ({len(held)} sentences); test: eng.testa, "
        f"the CoNLL dev file ({len(dev)} sentences).\n"
    )
    kinds: dict[str, dict[str, conll.Score]] = {}
    for split, items in (("dev (held-out train)", held), ("test (eng.testa)", dev)):
        print(f"| {split} | P | R | F1 |\n|---|---|---|---|")
        for name, nlp in pipelines.items():
            pairs = conll.recognize(nlp, items)
            print(row(name, conll.score(pairs)))
            if split.startswith("test"):
                kinds[name] = conll.by_type(pairs)
        print()
    print("F1 by type on test:\n")
    print("| recognizer | PER | LOC | ORG | MISC |\n|---|---|---|---|---|")
    for name, scores in kinds.items():
        cells = " | ".join(f"{100 * s.f1:.1f}" for s in scores.values())
        print(f"| {name} | {cells} |")

    texts = news_texts()
    parsed = {name: list(nlp.pipe(texts, batch_size=16)) for name, nlp in pipelines.items()}
    counts = {name: Counter(e.label_ for d in ds for e in d.ents) for name, ds in parsed.items()}
    print(
        f"\nModern English news: {len(texts)} fundus gold bodies (up to {WORDS} words), "
        "entities found per article:\n"
    )
    labels = ("PERSON", "ORG", "GPE", "LOC", "NORP", "MISC", *NUMERIC)
    print("| recognizer | " + " | ".join(labels) + " |\n|---|" + "---|" * len(labels))
    for name, count in counts.items():
        cells = " | ".join(f"{count[label] / len(texts):.1f}" for label in labels)
        print(f"| {name} | {cells} |")
    print("\nAgreement with sm's spans of the same label (ours against sm as reference):\n")
    print("| label | sm spans | ours | both | ours found of sm's |\n|---|---|---|---|---|")
    base, mine = parsed.values()
    for label in ("PERSON", "ORG", "GPE", "DATE", "CARDINAL", "MONEY", "PERCENT"):
        a = {(i, e.start, e.end) for i, d in enumerate(base) for e in d.ents if e.label_ == label}
        b = {(i, e.start, e.end) for i, d in enumerate(mine) for e in d.ents if e.label_ == label}
        share = len(a & b) / len(a) if a else 0.0
        print(f"| {label} | {len(a)} | {len(b)} | {len(a & b)} | {100 * share:.0f}% |")

    wall = dict.fromkeys(pipelines, float("inf"))
    cpu = dict.fromkeys(pipelines, float("inf"))
    for _ in range(args.rounds):  # interleaved, best of rounds: the machine may be shared
        for name, nlp in pipelines.items():
            started, used = time.perf_counter(), time.process_time()
            for _doc in nlp.pipe(texts, batch_size=16):
                pass
            wall[name] = min(wall[name], time.perf_counter() - started)
            cpu[name] = min(cpu[name], time.process_time() - used)
    words = sum(len(t.split()) for t in texts)
    print(
        f"\nSpeed: the whole spaCy pipeline on the same {len(texts)} texts ({words} words), "
        f"best of {args.rounds} interleaved rounds, one process; CPU time is the steadier "
        "figure on a busy machine:\n"
    )
    print("| recognizer | CPU ms per article | ratio | wall ms per article | ratio |")
    print("|---|---|---|---|---|")
    cpu0, wall0 = next(iter(cpu.values())), next(iter(wall.values()))
    for name in pipelines:
        n = len(texts)
        print(
            f"| {name} | {1000 * cpu[name] / n:.1f} | {cpu[name] / cpu0:.2f} "
            f"| {1000 * wall[name] / n:.1f} | {wall[name] / wall0:.2f} |"
        )
    print("\nCommand: `.venv/bin/python benchmarks/brief_ner.py`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
