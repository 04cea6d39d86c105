"""The sample stories read as written: none of the tokenizer's marks are left in them."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
STORIES = ROOT / "data" / "sample" / "stories" / "ecbplus.jsonl"

GARBLED = {
    "split decimal ('2. 5')": re.compile(r"\d\. \d"),
    "split initials ('U. S.')": re.compile(r"\b[A-Z]\. [A-Z]\."),
    "split a.m./p.m.": re.compile(r"\b[ap]\. m\b"),
    "split host name ('TMZ. com')": re.compile(r"\w\. (?:com|org|net|gov|edu)\b", re.I),
    "split dash ('- -')": re.compile(r"- -"),
    "space before punctuation": re.compile(r"\w [,;:?!)](?!\))"),
    "space after an opening bracket": re.compile(r"\( "),
    "tokenizer quotes": re.compile(r"``|''"),
    "spaced slash ('9 / 11')": re.compile(r"\w / \w"),
    "encoding residue": re.compile(r"%%[A-Z]+%%"),
}


def _records() -> list[dict[str, str]]:
    with STORIES.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def _rebuild_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "rebuild_stories", STORIES.parents[1] / "rebuild_stories.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", sorted(GARBLED))
def test_sample_stories_have_no_tokenizer_marks(name: str) -> None:
    pattern = GARBLED[name]
    hits = [
        f"{row['id']}: ...{text[max(0, m.start() - 20) : m.end() + 20]}..."
        for row in _records()
        for text in (row["title"], row["text"])
        for m in pattern.finditer(text)
    ]
    assert not hits, f"{name}: {len(hits)} left, e.g. {hits[:3]}"


def test_sample_stories_keep_their_selection_and_fields() -> None:
    rows = _records()
    assert len(rows) == 499
    assert len({row["id"] for row in rows}) == 499
    assert all(
        set(row) == {"id", "url", "source", "title", "text", "published", "lang"} for row in rows
    )
    assert all(row["text"].strip() and row["title"].strip() for row in rows)


@pytest.mark.parametrize(
    ("tokenized", "written"),
    [
        (
            "A $2. 5 million necklace was stolen at 3 p. m.",
            "A $2.5 million necklace was stolen at 3 p.m.",
        ),
        (
            "The U. S. Geological Survey said so, TMZ. com reports.",
            "The U.S. Geological Survey said so, TMZ.com reports.",
        ),
        (
            "It rose - - easily the biggest - - on 9 / 11.",
            "It rose — easily the biggest — on 9/11.",
        ),
        (
            "He had a. 38-caliber revolver and 50, 000 rounds.",
            "He had a .38-caliber revolver and 50,000 rounds.",
        ),
        ("''We won,\" he said.", '"We won," he said.'),
        (
            "That was vital to the Colts 'success this season.",
            "That was vital to the Colts' success this season.",
        ),
        ("She called it 'a war zone.'", "She called it 'a war zone.'"),
        (
            "See http: / / www. nlm. nih. gov / bio _ 31. html now.",
            "See http://www.nlm.nih.gov/bio_31.html now.",
        ),
        (
            "Lt. Gerry Scherlinck met Earl J. Silbert on Jan. 6 at No. 5.",
            "Lt. Gerry Scherlinck met Earl J. Silbert on Jan. 6 at No. 5.",
        ),
    ],
)
def test_detokenizer_restores_written_text(tokenized: str, written: str) -> None:
    assert _rebuild_script().detokenize(tokenized) == written
