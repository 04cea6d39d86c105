"""Local files and folders -> jobs: HTML pages, feed files, JSONL articles, OPML, text pages."""

from __future__ import annotations

import gzip
import logging
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from newsdesk.errors import NewsdeskError, SourceError
from newsdesk.extract import parse_text_page
from newsdesk.models import FeedRef
from newsdesk.pipeline.prepare import Failed, ItemJob, Job, PageJob
from newsdesk.pipeline.unpack import unpack
from newsdesk.sources import parse_feed, parse_opml, read_jsonl, scan_paths, sniff

log = logging.getLogger("newsdesk.ingest")

MAX_FILE_BYTES = 200 * 1024 * 1024  # the default of the max_file_bytes setting
_CHUNK = 1024 * 1024
_STORE_SIBLINGS = ("", "-wal", "-shm", "-journal")  # SQLite's file and its journals


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


WARNING = "warning: "


@dataclass(slots=True)
class LocalBatch:
    """What a set of paths holds: article jobs, subscriptions, and what could not be read."""

    jobs: list[Job] = field(default_factory=list)
    feeds: list[FeedRef] = field(default_factory=list)
    failures: list[Failed] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # "path: what was dropped", items kept
    files: int = 0


def collect(
    paths: Iterable[Path],
    now: datetime,
    *,
    max_bytes: int = MAX_FILE_BYTES,
    store_files: Iterable[Path] = (),
) -> LocalBatch:
    """Read every file under paths into jobs; a bad file is reported, never fatal.

    No file reads past `max_bytes`; a path that is, or holds, one of `store_files` (the store
    itself) refuses the whole run: ingesting the store into itself only grows it.
    """
    batch = LocalBatch()
    for path in scan_paths(paths, refuse=store_files):
        batch.files += 1
        started = time.perf_counter()
        try:
            batch.jobs.extend(_jobs_for(path, batch, now, max_bytes))
        except NewsdeskError as exc:
            batch.failures.append(Failed(label=str(path), error=str(exc)))
            log.warning("%s", exc, extra={"stage": "read", "url": str(path), "outcome": "error"})
        else:
            log.debug(
                "read %s",
                path,
                extra={"stage": "read", "url": str(path), "outcome": "ok",
                       "duration": round(time.perf_counter() - started, 3)},
            )  # fmt: skip
    return batch


def sqlite_files(db_url: str) -> tuple[Path, ...]:
    """The SQLite store's file and its journal siblings (none for other databases or memory)."""
    scheme, sep, rest = db_url.partition(":///")
    if not sep or not scheme.startswith("sqlite"):
        return ()
    name = rest.split("?", 1)[0]
    if not name or name == ":memory:":
        return ()
    base = Path(name)
    return tuple(base.with_name(base.name + suffix) for suffix in _STORE_SIBLINGS)


def read_stream(stream: Readable, label: str, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """At most `max_bytes` from a stream (stdin, a device, a pipe); SourceError past that."""
    data = bytearray()
    try:
        while len(data) <= max_bytes:
            chunk = stream.read(min(_CHUNK, max_bytes + 1 - len(data)))
            if not chunk:
                break
            data += chunk
    except OSError as exc:
        raise SourceError(f"file: {label}: cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise SourceError(
            f"file: {label}: more than {max_bytes} bytes, the max_file_bytes limit "
            "(NEWSDESK_MAX_FILE_BYTES)"
        )
    return bytes(data)


def read_file(path: Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes, gunzipped when it ends in .gz; never reads more than `max_bytes`
    (a size on disk can lie: /dev/zero, a pipe or a growing file say 0)."""
    try:
        with path.open("rb") as raw:
            if path.suffix != ".gz":
                return read_stream(raw, str(path), max_bytes)
            with gzip.GzipFile(fileobj=raw) as gz:
                # The cap holds for what comes out: a small .gz can unpack to gigabytes.
                return read_stream(gz, f"{path} (decompressed)", max_bytes)
    except (OSError, EOFError, zlib.error) as exc:
        why = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise SourceError(f"file: {path}: cannot read: {why}") from None


def _jobs_for(path: Path, batch: LocalBatch, now: datetime, max_bytes: int) -> Iterator[Job]:
    # A compressed file is told by its bytes, whatever its name; a binary one is refused.
    data = unpack(read_file(path, max_bytes), str(path), max_bytes)
    name = path.name.removesuffix(".gz")
    kind = sniff(data, name=name)
    origin = path.resolve().as_uri()
    if kind == "feed":
        parsed = parse_feed(data, url=None)
        batch.warnings.extend(f"{path}: {warning}" for warning in parsed.warnings)
        for i, item in enumerate(parsed.items):
            yield ItemJob(item, seen_at=now, ref=f"{origin}#{item.external_id or i}")
    elif kind == "opml":
        result = parse_opml(data)
        batch.feeds.extend(result.feeds)
        batch.failures.extend(Failed(label=str(path), error=e) for e in result.errors)
    elif kind == "jsonl":
        items, errors = read_jsonl(data, origin=origin)
        for error in errors:
            # read_jsonl marks a field it dropped (the line itself kept) "warning: ...".
            if error.startswith(WARNING):
                batch.warnings.append(f"{path}: {error.removeprefix(WARNING)}")
            else:
                batch.failures.append(Failed(label=str(path), error=error))
        for i, item in enumerate(items):
            yield ItemJob(item, seen_at=now, ref=f"{origin}#{item.external_id or i}")
    elif kind == "html":
        yield PageJob(content=data, url=None, seen_at=now, ref=origin)
    else:
        text = data.decode("utf-8", errors="replace")
        for i, item in enumerate(parse_text_page(text, now=now, origin=origin)):
            yield ItemJob(item, seen_at=now, ref=f"{origin}#{i}")
