"""Rebuild data/sample/stories/ecbplus.jsonl from the corpus, with the tokens joined back into text.

ECB+ ships its articles as tokens; the corpus joined them with spaces and glued most punctuation
back, but a token that held a period inside ("2.5", "U.S.", "TMZ.com", "p.m.") was split there
and still reads "2. 5", "U. S.", "TMZ. com", "p. m."; "--" reads "- -", "/" has spaces around
it, and quotes are the tokenizer's `` and ''. The rules below undo what the tokenizer does, not
what any one article says. Each text holds one sentence per line, so a period followed by a
space inside a line is never a sentence end, which keeps them safe.

    .venv/bin/python data/sample/rebuild_stories.py [CORPUS]

The selection is the one the demo has always used: the ECB+ half of the corpus (not the older
ECB documents), articles with text.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "data" / "sample" / "stories" / "ecbplus.jsonl"
FIELDS = ("id", "url", "source", "title", "text", "published", "lang")

# File and host suffixes that end a dotted name the tokenizer split ("TMZ. com", "Mshtml. dll").
_SUFFIXES = r"com|org|net|gov|edu|mil|int|info|biz|tv|ly|io|uk|ca|au|html?|php|aspx?|dll|exe"
_DOTTED_NAME = re.compile(rf"\b[\w-]+(?:\. [\w-]+)*\. (?:{_SUFFIXES})\b", re.IGNORECASE)
_INITIAL = re.compile(r"\b([A-Z])\. (?=[A-Z]\.)")  # "U. S." -> "U.S.", "F. B. I." -> "F.B.I."
_DECIMAL = re.compile(r"(\d)\. (\d)")  # "2. 5" -> "2.5"
_MERIDIEM = re.compile(r"\b([ap])\. m\b\.?")  # "p. m." -> "p.m."
_CALIBRE = re.compile(r"(\S)\. (\d{2,3})(?=[- ]?(?:caliber|calibre|magnum|mm)\b)", re.IGNORECASE)
_THOUSANDS = re.compile(r"(?<![\d,.-])(\d{1,3}), (\d{3})(?!\d)")  # "50, 000" -> "50,000"
_SLASH = re.compile(r"(?<=\S) /(?: /)* (?=\S)")  # "9 / 11", "and / or", "http: / / "
_SCHEME = re.compile(r"\b(https?): //")
_URL_UNDERSCORE = re.compile(r"(?:https?://|www\.)[^\s\"]*(?: _ [^\s\"]+)+")
_UNDERSCORE_DASH = re.compile(r"\s+_\s+")  # wire copy writes a dash as " _ "
_DASHES = re.compile(r"\s*(?:- -|%%MDASSML%%)\s*")  # "- -" and an mdash lost in encoding
_SPACE_BEFORE = re.compile(r" +([,;:?!%)\]]|\.(?!\d))")
_SPACE_AFTER = re.compile(r"([(\[$]) +")
_POSSESSIVE = re.compile(r"\b([A-Z]\w*s) '(?=\w)")  # "Colts 'success" -> "Colts' success"
_CLOSES_LATER = re.compile(r"\S'(?!\w)")
# A quote closed before the speech verb: "There was blood, 'said" -> "blood,' said".
_CLOSE_BEFORE_VERB = re.compile(r"([,.!?]) '(said|says|added|asked|told)\b")
# A double quote between the quoted words and the attribution closes the quote: ', "he said'.
_CLOSE_DOUBLE = re.compile(
    r'([,!?]) ?" ?(he|she|they|we|it|said|says|added|asked|told|according)\b'
)
_CLOSE_AT_END = re.compile(r"([,.!?]) '(?=\s*\"|$)")  # "stop, stop. '" -> "stop, stop.'"


def detokenize(line: str) -> str:
    """One tokenized line as it was written."""
    text = line.replace("``", '"').replace("''", '"')
    text = _DASHES.sub(" — ", text).strip()
    text = _SLASH.sub(lambda m: m.group().replace(" ", ""), text)
    text = _SCHEME.sub(r"\1://", text)
    text = _DOTTED_NAME.sub(lambda m: m.group().replace(". ", "."), text)
    text = _URL_UNDERSCORE.sub(lambda m: m.group().replace(" _ ", "_"), text)
    text = _UNDERSCORE_DASH.sub(" — ", text)
    text = _INITIAL.sub(r"\1.", text)
    text = _DECIMAL.sub(r"\1.\2", text)
    text = _MERIDIEM.sub(r"\1.m.", text)
    text = _CALIBRE.sub(r"\1 .\2", text)
    text = _THOUSANDS.sub(r"\1,\2", text)
    text = _SPACE_BEFORE.sub(r"\1", text)
    text = _SPACE_AFTER.sub(r"\1", text)
    text = _CLOSE_BEFORE_VERB.sub(r"\1' \2", _CLOSE_AT_END.sub(r"\1'", text))
    text = _CLOSE_DOUBLE.sub(r'\1" \2', text)
    text = _possessives(text)
    return re.sub(r"\s{2,}", " ", text).strip()


def _possessives(text: str) -> str:
    # A quote mark glued to the next word that never closes later in the line is a plural
    # possessive that lost its place: "Colts 'success" -> "Colts' success".
    out = []
    last = 0
    for match in _POSSESSIVE.finditer(text):
        if _CLOSES_LATER.search(text, match.end()):
            continue
        out.append(text[last : match.start()])
        out.append(f"{match.group(1)}' ")
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def rebuild(corpus: Path) -> list[dict[str, object]]:
    """The sample records, in corpus order, with title and text detokenized."""
    records = []
    with (corpus / "stories" / "ecbplus_articles.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row["subcorpus"] != "ECB+" or not row["text"].strip():
                continue
            row["title"] = detokenize(row["title"])
            row["text"] = "\n".join(
                fixed for part in row["text"].split("\n") if (fixed := detokenize(part))
            )
            records.append({key: row[key] for key in FIELDS})
    return records


def main(argv: list[str]) -> int:
    default = os.environ.get("NEWSDESK_CORPUS", str(ROOT.parent / "shared" / "corpus"))
    corpus = Path(argv[0] if argv else default)
    records = rebuild(corpus)
    with TARGET.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"wrote {len(records)} articles to {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
