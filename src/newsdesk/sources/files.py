"""Local paths -> the files under them, in a stable order, bounded in count and depth."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from newsdesk.errors import SourceError

MAX_FILES = 100_000
MAX_DEPTH = 32


def _walk(folder: Path, depth: int) -> Iterator[Path]:
    if depth > MAX_DEPTH:
        raise SourceError(f"file: {folder}: folders nested deeper than {MAX_DEPTH} levels")
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        raise SourceError(f"file: {folder}: cannot list the folder ({exc.strerror})") from exc
    for entry in entries:
        if entry.name.startswith("."):
            continue  # hidden files and folders (.git, .DS_Store) are never content
        if entry.is_dir():
            if not entry.is_symlink():  # a linked folder can loop back on itself
                yield from _walk(entry, depth + 1)
        elif entry.is_file():
            yield entry


def scan_paths(paths: Iterable[Path], *, refuse: Iterable[Path] = ()) -> Iterator[Path]:
    """Every file given, and every non-hidden file under each folder given (sorted, recursive).

    A path that is one of `refuse`, or a folder holding one (at any depth), is refused whole
    (SourceError) before anything is read: the store must never be ingested into itself.
    """
    paths = list(paths)
    guarded = [_resolved(p) for p in refuse]
    for path in paths:
        if not path.exists():
            raise SourceError(f"file: {path}: no such file or folder")
        _refuse_store(path, guarded)
    count = 0
    for path in paths:
        found = _walk(path, 0) if path.is_dir() else iter([path])
        for file in found:
            count += 1
            if count > MAX_FILES:
                raise SourceError(f"file: more than {MAX_FILES} files under the given paths")
            yield file


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def _refuse_store(path: Path, guarded: list[Path]) -> None:
    here = _resolved(path)
    shown = str(path) or "."
    for store in guarded:
        if here == store:
            raise SourceError(f"file: {shown}: this is the store itself; it is never ingested")
        if path.is_dir() and store.is_relative_to(here):
            raise SourceError(
                f"file: {shown}: this folder holds the store ({store.name}); "
                "name the files or subfolders to ingest instead"
            )
