"""One name per publisher, measured: corpus pages against their gold names, and the demo data.

1. Corpus pages (../shared/corpus/pages): the share of pages whose publisher name matches the
   gold name (fundus `publisher`, trafilatura `sitename`; compared without case, spaces or
   punctuation), before (the page's og:site_name, else trafilatura's site name, else the host)
   and after (the name ingest gives now). Pages are split by registrable domain, so one outlet
   never sits on both sides: rules and table entries were chosen on dev, figures are for test.
2. The sample data (data/sample, what `make demo` ingests): distinct publisher names per
   registrable domain, before and after (should be 1). With --db, also counted on a built
   store's sightings.

    .venv/bin/python benchmarks/brief_publishers.py [--db demo.db] [--show N]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import sqlite3
import sys
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import trafilatura

from newsdesk.domains import registrable_domain
from newsdesk.extract.charset import decode_html
from newsdesk.extract.pagemeta import read_page_meta
from newsdesk.pipeline.local import collect
from newsdesk.pipeline.prepare import Failed, ItemJob, PageJob, Preparer
from newsdesk.publishers import page_host
from newsdesk.sanitize import one_line

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("NEWSDESK_CORPUS", ROOT.parent / "shared" / "corpus")).resolve()
SAMPLE = ROOT / "data" / "sample"
COMMAND = ".venv/bin/python benchmarks/brief_publishers.py"
LEADING_ARTICLES = {"the", "der", "die", "das", "het", "de", "el", "la", "le", "il", "o"}


@dataclass(frozen=True, slots=True)
class Named:
    page: str
    domain: str
    gold: str | None
    before: str
    after: str


def key(name: str | None) -> str:
    """A name compared without case, accents, spaces or punctuation ("El País" == "ElPais")."""
    plain = unicodedata.normalize("NFKD", name or "").casefold()
    return "".join(c for c in plain if c.isalnum())


def loose_match(name: str | None, gold: str | None) -> bool:
    """key equality, also without a leading article on either side ("TheMirror" == "Mirror")."""
    return bool(_variants(name) & _variants(gold))


def _variants(name: str | None) -> set[str]:
    words = (name or "").split()
    found = {key(name)}
    if len(words) > 1 and words[0].casefold() in LEADING_ARTICLES:
        found.add(key(" ".join(words[1:])))
    camel = re.match(r"(The|Der|Die|Das|Het|De|El|La|Le|Il)(?=[A-Z])", name or "")
    if camel:  # fundus names outlets in CamelCase: "TheMirror"
        found.add(key((name or "")[camel.end() :]))
    return found


def split_of(domain: str) -> str:
    """dev or test, by a stable hash of the registrable domain."""
    return "dev" if hashlib.sha1(domain.encode()).digest()[0] % 2 == 0 else "test"


def legacy_name(html: str, url: str | None, claimed: str | None = None) -> str:
    """The name ingest gave before one function decided it: claim, og:site_name, sitename, host."""
    if claimed:
        return claimed
    from lxml.html import fromstring

    tree = fromstring(html.encode("utf-8"))
    og = one_line(read_page_meta(tree).first("og:site_name"), limit=200)
    if og:
        return og
    sitename = trafilatura.extract_metadata(tree, default_url=url).sitename
    if sitename:
        return one_line(sitename, limit=200) or ""
    host = page_host(url) or ""
    return host.removeprefix("www.") or "unknown"


def corpus_pages() -> Iterator[Named]:
    preparer = Preparer()
    now = datetime.now(UTC)
    pages = CORPUS / "pages"
    for line in (pages / "index.jsonl").open(encoding="utf-8"):
        meta = json.loads(line)
        expected = json.loads((pages / meta["expected"]).read_text(encoding="utf-8"))
        gold = expected.get("publisher") or expected.get("sitename")
        if not gold:
            continue
        html = decode_html(gzip.decompress((pages / meta["html"]).read_bytes()))
        url = meta["url"]
        done = preparer(PageJob(content=html, url=url, seen_at=now))
        after = done.error if isinstance(done, Failed) else done.article.source
        yield Named(meta["id"], registrable_domain(page_host(url) or ""), gold,
                    legacy_name(html, url), after)  # fmt: skip


def sample_names() -> Iterator[Named]:
    preparer = Preparer()
    batch = collect([SAMPLE], datetime.now(UTC))
    for job in batch.jobs:
        done = preparer(job)
        if isinstance(done, Failed):
            continue
        article = done.article
        if isinstance(job, ItemJob):
            url = job.item.url
            before = job.item.source or (page_host(url) or "").removeprefix("www.") or "unknown"
        else:
            assert isinstance(job, PageJob)
            url = article.url or article.canonical_url
            html = job.content if isinstance(job.content, str) else decode_html(job.content)
            before = legacy_name(html, job.url, job.source)
        host = page_host(url)
        if host:
            yield Named(job.ref or "", registrable_domain(host), None, before, article.source)


def match_table(rows: list[Named]) -> list[str]:
    lines = [
        "| split | pages | outlets | host label (trivial) | before | after "
        "| leading article ignored: before | after |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for split in ("dev", "test"):
        part = [r for r in rows if split_of(r.domain) == split]
        if not part:
            continue
        outlets = len({r.domain for r in part})
        trivial = sum(key(r.domain.split(".")[0]) == key(r.gold) for r in part) / len(part)
        before = sum(key(r.before) == key(r.gold) for r in part) / len(part)
        after = sum(key(r.after) == key(r.gold) for r in part) / len(part)
        loose_before = sum(loose_match(r.before, r.gold) for r in part) / len(part)
        loose_after = sum(loose_match(r.after, r.gold) for r in part) / len(part)
        lines.append(
            f"| {split} | {len(part)} | {outlets} | {trivial:.1%} | {before:.1%} | {after:.1%} "
            f"| {loose_before:.1%} | {loose_after:.1%} |"
        )
    return lines


def per_domain_table(rows: list[Named]) -> tuple[list[str], dict[str, set[str]]]:
    before: dict[str, set[str]] = defaultdict(set)
    after: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        before[r.domain].add(r.before)
        after[r.domain].add(r.after)
    lines = [
        "| names | domains | domains with >1 name | names per domain (mean) | most |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, names in (("before", before), ("after", after)):
        many = sum(len(v) > 1 for v in names.values())
        mean = sum(len(v) for v in names.values()) / max(len(names), 1)
        most = max((len(v) for v in names.values()), default=0)
        lines.append(f"| {label} | {len(names)} | {many} | {mean:.2f} | {most} |")
    return lines, after


def store_per_domain(db: Path) -> list[str]:
    names: dict[str, set[str]] = defaultdict(set)
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        for source, url in conn.execute("SELECT source, url FROM sightings WHERE url IS NOT NULL"):
            host = page_host(url)
            if host:
                names[registrable_domain(host)].add(source)
    many = {d: v for d, v in names.items() if len(v) > 1}
    out = [f"Store {db.name}: {len(names)} domains, {len(many)} with more than one name."]
    out += [f"- {d}: {', '.join(sorted(v))}" for d, v in sorted(many.items())[:20]]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a built SQLite store to count as well")
    parser.add_argument("--show", type=int, default=0, help="list N dev pages that miss the gold")
    args = parser.parse_args()
    started = time.perf_counter()
    out = ["## Publishers: one name per outlet", "", f"Command: `{COMMAND}`", ""]
    if (CORPUS / "pages" / "index.jsonl").exists():
        rows = list(corpus_pages())
        out += ["Corpus pages with a gold publisher name (fundus `publisher`, trafilatura",
                "`sitename`), split by registrable domain; match ignores case, spaces,",
                "punctuation and accents. Trivial: the registrable domain's first label",
                "(\"reuters\" for reuters.com). Before: og:site_name, else trafilatura's site",
                "name, else the host. After: newsdesk.publishers, as ingest names pages now.",
                "", *match_table(rows), ""]  # fmt: skip
        misses = [r for r in rows if split_of(r.domain) == "dev" and key(r.after) != key(r.gold)]
        for r in misses[: args.show]:
            print(f"MISS {r.page}: gold={r.gold!r} before={r.before!r} after={r.after!r}",
                  file=sys.stderr)  # fmt: skip
    else:
        out += [f"(corpus pages not found under {CORPUS.name}; skipped)", ""]
    sample = list(sample_names())
    lines, after = per_domain_table(sample)
    out += ["The sample data (`data/sample`, what `make demo` ingests): publisher names",
            "per registrable domain, over every article and card with a URL.",
            "", *lines, ""]  # fmt: skip
    left = {d: v for d, v in after.items() if len(v) > 1}
    out += [f"- still more than one name: {d}: {', '.join(sorted(v))}" for d, v in left.items()]
    if args.db:
        out += ["", *store_per_domain(args.db)]
    out += ["", f"({time.perf_counter() - started:.0f} s)"]
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
