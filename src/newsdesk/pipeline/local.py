"""Local files and folders -> jobs: HTML pages, feed files, JSONL articles, OPML, text pages."""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from newsdesk.errors import NewsdeskError, SourceError
from newsdesk.extract import parse_text_page
from newsdesk.models import FeedRef
from newsdesk.pipeline.prepare import Failed, ItemJob, Job, PageJob
from newsdesk.sources import parse_feed, parse_opml, read_jsonl, scan_paths, sniff

MAX_FILE_BYTES = 200 * 1024 * 1024  # a local file larger than this is refused, not read


@dataclass(slots=True)
class LocalBatch:
    """What a set of paths holds: article jobs, subscriptions, and what could not be read."""

    jobs: list[Job] = field(default_factory=list)
    feeds: list[FeedRef] = field(default_factory=list)
    failures: list[Failed] = field(default_factory=list)
    files: int = 0


def collect(paths: Iterable[Path], now: datetime) -> LocalBatch:
    """Read every file under paths into jobs; a bad file is reported, never fatal."""
    batch = LocalBatch()
    for path in scan_paths(paths):
        batch.files += 1
        try:
            batch.jobs.extend(_jobs_for(path, batch, now))
        except NewsdeskError as exc:
            batch.failures.append(Failed(label=str(path), error=str(exc)))
    return batch


def read_file(path: Path) -> bytes:
    """The file's bytes, gunzipped when it ends in .gz; refuses huge files."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SourceError(f"file: {path}: {size} bytes is over the {MAX_FILE_BYTES} byte limit")
        data = path.read_bytes()
        if path.suffix == ".gz":
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
                data = gz.read(MAX_FILE_BYTES + 1)
    except (OSError, EOFError) as exc:
        why = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise SourceError(f"file: {path}: cannot read: {why}") from None
    if len(data) > MAX_FILE_BYTES:
        raise SourceError(f"file: {path}: decompresses to over {MAX_FILE_BYTES} bytes")
    return data


def _jobs_for(path: Path, batch: LocalBatch, now: datetime) -> Iterator[Job]:
    data = read_file(path)
    name = path.name.removesuffix(".gz")
    kind = sniff(data, name=name)
    origin = path.resolve().as_uri()
    if kind == "feed":
        parsed = parse_feed(data, url=None)
        for warning in parsed.warnings:
            batch.failures.append(Failed(label=str(path), error=f"warning: {warning}"))
        for i, item in enumerate(parsed.items):
            yield ItemJob(item, seen_at=now, ref=f"{origin}#{item.external_id or i}")
    elif kind == "opml":
        result = parse_opml(data)
        batch.feeds.extend(result.feeds)
        batch.failures.extend(Failed(label=str(path), error=e) for e in result.errors)
    elif kind == "jsonl":
        items, errors = read_jsonl(data, origin=origin)
        batch.failures.extend(Failed(label=str(path), error=e) for e in errors)
        for i, item in enumerate(items):
            yield ItemJob(item, seen_at=now, ref=f"{origin}#{item.external_id or i}")
    elif kind == "html":
        yield PageJob(content=data, url=None, seen_at=now, ref=origin)
    else:
        text = data.decode("utf-8", errors="replace")
        for i, item in enumerate(parse_text_page(text, now=now, origin=origin)):
            yield ItemJob(item, seen_at=now, ref=f"{origin}#{i}")
