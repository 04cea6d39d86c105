"""The desk's judgement, measured: every part of the brief against its yardstick.

Each part is its own script beside this one (benchmarks/brief_<part>.py), runnable alone; this
runs them in turn and prints their Markdown sections, the figures in docs/brief_quality.md.
Choices are made on the dev split of each data set and reported on the test split.

    .venv/bin/python benchmarks/brief_quality.py [--part summaries --part quotes ...]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PARTS = (
    "summaries",
    "ner",
    "entities",
    "quotes",
    "hashtags",
    "figures",
    "dates",
    "stories",
    "publishers",
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", action="append", choices=PARTS, help="default: every part")
    args = parser.parse_args()
    failed = 0
    for part in args.part or PARTS:
        script = HERE / f"brief_{part}.py"
        if not script.exists():
            print(f"## {part}\n\n(no benchmark yet: {script.name})\n")
            continue
        started = time.perf_counter()
        done = subprocess.run([sys.executable, str(script)], check=False)
        took = time.perf_counter() - started
        print(f"\n({script.name}: exit {done.returncode}, {took:.0f} s)\n", flush=True)
        failed += done.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
