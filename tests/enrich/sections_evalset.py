"""Labelled news for the section classifier, read from the corpus (nothing copied here).

Three kinds of label, each said in `how`:
- "ecb-topic": ECB+ articles; each of its 43 topics (one kind of event) labelled by hand here,
  from the topic's titles; every article of a topic carries its topic's label.
- "cnn-hand": CNN/DM articles (summaries/cnndm_validation_1000.jsonl) labelled by hand here from
  their opening lines; only articles with a clear desk are labelled, opinion pieces are left out.
- "publisher": English pages in pages/ whose publisher files them under a section: the URL path
  ("/sport/", "/politics/") or the page's own topics or categories; the label is theirs, not ours.
Split: even ECB+ topics, even CNN indices and pages with an even position are development
(choosing the method and thresholds); the rest is the test set, reported once.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("NEWSDESK_CORPUS", ROOT / ".." / "shared" / "corpus")).resolve()

ECB_TOPICS = {
    1: "Entertainment", 2: "Entertainment", 3: "World", 4: "Entertainment", 5: "Sports",
    6: "Entertainment", 7: "Sports", 8: "World", 9: "Politics", 10: "Sports", 11: "Politics",
    12: "World", 13: "World", 14: "World", 16: "World", 18: "World", 19: "World", 20: "World",
    21: "World", 22: "World", 23: "World", 24: "World", 25: "Sports", 26: "World",
    27: "Technology", 28: "Politics", 29: "Sports", 30: "Technology", 31: "Sports", 32: "World",
    33: "World", 34: "Politics", 35: "Sports", 36: "World", 37: "World", 38: "World",
    39: "Entertainment", 40: "Technology", 41: "World", 42: "Technology", 43: "Business",
    44: "Business", 45: "World",
}  # fmt: skip
_CNN = {
    "World": (4, 8, 11, 13, 18, 20, 21, 22, 23, 26, 27, 30, 31, 32, 34, 37, 38, 41, 49, 50, 53,
              61, 74, 78, 81, 87, 88, 89, 91, 97, 103, 113, 115, 125, 143, 144, 146, 153, 174,
              185, 202, 205, 225, 226, 247, 255, 263, 265, 266, 294, 296, 434, 506, 507, 509,
              513, 519),
    "Politics": (43, 47, 64, 72, 80, 83, 106, 110, 117, 127, 129, 162, 187, 221, 234, 290, 303,
                 392, 431, 432, 439, 474, 494, 514),
    "Business": (284, 285),
    "Technology": (39, 515),
    "Science": (157, 166, 204, 258, 259, 262, 271, 286, 304),
    "Health": (0, 65, 147, 149, 239, 257, 277, 299, 411),
    "Sports": (1, 2, 3, 9, 19, 29, 51, 52, 66, 69, 70, 71, 92, 95, 99, 102, 135, 137, 145, 172,
               192, 200, 223, 235, 237, 251, 275, 293, 389, 407, 422),
    "Entertainment": (7, 15, 40, 56, 57, 73, 82, 96, 101, 105, 107, 111, 112, 116, 120, 121,
                      128, 140, 142, 150, 152, 155, 179, 180, 181, 190, 209, 215, 230, 243, 252,
                      270, 278, 418, 445, 455, 459, 470, 489),
}  # fmt: skip
CNN_LABELS = {i: section for section, ids in _CNN.items() for i in ids}
# a publisher's section word (URL path segment, topic or category) -> our section
PUBLISHER_WORDS = {
    "world": "World", "world-news": "World", "world news": "World", "international": "World",
    "politics": "Politics", "federal-politics": "Politics", "us politics": "Politics",
    "business": "Business", "economy": "Business", "yourmoney": "Business", "markets": "Business",
    "money": "Business", "personal finance": "Business",
    "technology": "Technology", "tech": "Technology", "software": "Technology",
    "computing": "Technology", "storage": "Technology", "programming": "Technology",
    "science": "Science", "space": "Science", "environment": "Science", "astronomy": "Science",
    "health": "Health", "nutrition": "Health", "weight loss": "Health",
    "sport": "Sports", "sports": "Sports", "football": "Sports", "tennis": "Sports",
    "music": "Entertainment", "entertainment": "Entertainment", "film": "Entertainment",
    "cinema": "Entertainment", "showbiz": "Entertainment", "celebrity style": "Entertainment",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Labelled:
    id: str
    title: str
    text: str
    section: str
    how: str  # ecb-topic, cnn-hand or publisher
    split: str  # dev or test


def corpus_available() -> bool:
    return (CORPUS / "stories" / "ecbplus_articles.jsonl").exists()


def load() -> list[Labelled]:
    """Every labelled article, development and test."""
    return [*_ecb(), *_cnn(), *_pages()]


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _ecb() -> list[Labelled]:
    out = []
    for line in _lines(CORPUS / "stories" / "ecbplus_articles.jsonl"):
        row = json.loads(line)
        topic = int(row["topic_id"].removeprefix("ecb"))
        split = "dev" if topic % 2 == 0 else "test"
        text = row["text"]
        title = row["title"] or text.split("\n", 1)[0]
        out.append(Labelled(row["id"], title, text, ECB_TOPICS[topic], "ecb-topic", split))
    return out


def _cnn() -> list[Labelled]:
    out = []
    path = CORPUS / "nlp" / "summaries" / "cnndm_validation_1000.jsonl"
    for i, line in enumerate(_lines(path)):
        if i in CNN_LABELS:
            text = json.loads(line)["article"]
            split = "dev" if i % 2 == 0 else "test"
            out.append(Labelled(f"cnndm-{i}", "", text, CNN_LABELS[i], "cnn-hand", split))
    return out


def publisher_section(url: str, topics: list[str]) -> str | None:
    """The section a publisher files a page under, from its URL path, else its topics."""
    for segment in [s for s in urlparse(url).path.lower().split("/") if s][:2]:
        if segment in PUBLISHER_WORDS:
            return PUBLISHER_WORDS[segment]
    for topic in topics:
        if topic.casefold() in PUBLISHER_WORDS:
            return PUBLISHER_WORDS[topic.casefold()]
    return None


def _pages() -> list[Labelled]:
    out = []
    pages = CORPUS / "pages"
    n = 0
    for line in _lines(pages / "index.jsonl"):
        meta = json.loads(line)
        if meta["lang"] != "en":
            continue
        expected = json.loads((pages / meta["expected"]).read_text(encoding="utf-8"))
        topics = expected.get("topics") or expected.get("categories") or []
        section = publisher_section(meta["url"], [str(t) for t in topics])
        text = expected.get("body_text") or " ".join(expected.get("with") or [])
        if section is None or not text:
            continue
        split = "dev" if n % 2 == 0 else "test"
        n += 1
        title = meta.get("title") or expected.get("title") or ""
        out.append(Labelled(meta["id"], title, text, section, "publisher", split))
    return out
