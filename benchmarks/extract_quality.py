"""Print extraction quality, newsdesk against bare trafilatura, per language, on dev and test.

Usage: .venv/bin/python benchmarks/extract_quality.py > docs/extract_quality.md
"""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

# The metric code lives with the tests (tests/extract/quality.py) so that CI and this report agree.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from extract.quality import markdown_table, pages_from, run
from support.corpus import iter_pages


def main() -> None:
    pages = pages_from(iter_pages())
    if not pages:
        sys.exit("extract_quality: the corpus pages are not beside the repo")
    result = run(pages)
    print("# Extraction quality: newsdesk against bare trafilatura\n")
    print(
        f"{len(pages)} corpus pages (`../shared/corpus/pages`), both systems on the same pages in "
        "the same run. Each cell is **trafilatura / newsdesk**. Metric definitions are in "
        "`tests/extract/quality.py`; options were chosen on *dev* only, *test* is the report.\n"
    )
    for split in ("dev", "test"):
        part = [p for p in pages if p.split == split]
        sub = {
            "scores": {s: {p.id: v[p.id] for p in part} for s, v in result["scores"].items()},
        }
        print(f"## {split} ({len(part)} pages)\n")
        print(markdown_table(part, sub))
        print()
    seconds = result["seconds"]
    overhead = seconds["newsdesk"] / seconds["trafilatura"] - 1
    print("## Time\n")
    print(
        f"Extraction of all {len(pages)} pages, one process, {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} CPUs: trafilatura "
        f"{seconds['trafilatura']:.1f} s, newsdesk {seconds['newsdesk']:.1f} s "
        f"({overhead:+.0%}; newsdesk includes charset decoding, metadata, language id and "
        "HTML sanitizing)."
    )


if __name__ == "__main__":
    main()
