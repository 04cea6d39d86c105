"""Thumbnails on disk, in one folder under a size cap: the oldest written go first.

Files are written whole under a temporary name and renamed, so a reader (another thread, or
another server process sharing the folder) never sees half a file. Each process keeps a
running total of what it wrote since it last counted the folder, and counts again (scanning it,
then deleting oldest first) only once that total could pass the cap.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

from newsdesk.config import Settings


def cache_dir_for(settings: Settings) -> Path:
    """settings.image_cache_dir, or a folder beside the SQLite file (or the working folder)."""
    if settings.image_cache_dir:
        return Path(settings.image_cache_dir).expanduser()
    if "://" in settings.db:
        return Path("newsdesk-images")
    db = Path(settings.db).expanduser()
    return db.with_name(db.name + "-images")


class ImageCache:
    """Files by name in one folder, at most max_bytes of them (a little more between counts)."""

    def __init__(self, folder: Path, max_bytes: int) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._total: int | None = None  # bytes in the folder as last counted, plus writes since

    def path(self, name: str) -> Path:
        return self.folder / name

    def read(self, name: str) -> bytes | None:
        """The file's bytes, or None when it is not (or no longer) there."""
        try:
            return self.path(name).read_bytes()
        except FileNotFoundError:
            return None

    def write(self, name: str, data: bytes) -> None:
        """Keep data under name (replacing any), then evict if the folder may be over its cap."""
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".part-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, self.path(name))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        with self._lock:
            if self._total is not None:
                self._total += len(data)
            if self._total is None or self._total > self.max_bytes:
                self._total = self._evict()

    def _evict(self) -> int:
        """Delete the oldest files until the folder is under its cap; the bytes left."""
        files: list[tuple[float, int, Path]] = []
        with os.scandir(self.folder) as entries:
            for entry in entries:
                if not entry.is_file() or entry.name.startswith(".part-"):
                    continue
                try:
                    info = entry.stat()
                except FileNotFoundError:  # another process evicted it
                    continue
                files.append((info.st_mtime, info.st_size, Path(entry.path)))
        total = sum(size for _mtime, size, _path in files)
        for _mtime, size, path in sorted(files):
            if total <= self.max_bytes:
                break
            path.unlink(missing_ok=True)
            total -= size
        return total
