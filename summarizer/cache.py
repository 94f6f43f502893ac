"""The disk cache of briefs.

One JSON file per key under ``<dir>/<key[:2]>/<key>.json``. Writes go to a
temporary file in the same folder and are renamed into place (atomic on POSIX),
so readers, a killed process or a second process never see half an entry; an
entry that does not parse or validate is treated as missing and rewritten.

A marker file names the folder as a cache. ``clear`` deletes only files named like
entries (and their leftover temporary files), and refuses a folder that is neither
marked nor made only of entries: ``--cache-dir`` pointed at the wrong folder must
not cost anyone their files.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .errors import ConfigError
from .schema import Brief

MARKER = ".summarizer-cache"
REPLIES = "replies"  # the model's raw replies (summarizer.replay), a folder inside the cache
_MARKER_TEXT = "This folder is a summarizer cache of briefs; `summarizer cache clear` empties it.\n"
_SHARD = re.compile(r"[0-9a-f]{2}")
_ENTRY = re.compile(r"[0-9a-f]{64}\.json")
_TEMP = re.compile(r"\.[0-9a-f]{8}\..+\.tmp")  # put()'s temporary files, left behind by a killed process


def make_key(parts: dict[str, Any]) -> str:
    """A stable hash of everything that decides a brief (article, prompt, schema, model, settings)."""
    canonical = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass
class CacheStats:
    directory: Path
    entries: int
    bytes: int
    corrupt: int
    replies: int = 0


class BriefCache:
    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def has(self, key: str) -> bool:
        """An entry exists for the key (read or not: ``get`` still treats a corrupt one as missing)."""
        return self._path(key).is_file()

    def get(self, key: str) -> Brief | None:
        path = self._path(key)
        try:
            return Brief.model_validate_json(path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError, ValidationError):
            return None  # corrupt or partial: ignored here, overwritten by the next put

    def prepare(self) -> None:
        """Create the folder and its marker, or say in one line why it cannot be written."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            marker = self.directory / MARKER
            if not marker.exists():
                marker.write_text(_MARKER_TEXT, encoding="utf-8")
            probe = tempfile.NamedTemporaryFile(dir=self.directory, prefix=".probe.", delete=True)
            probe.close()
        except OSError as exc:
            raise ConfigError(
                f"cache folder {self.directory}: cannot write ({exc.strerror or exc}); choose another with "
                "--cache-dir or SUMMARIZER_CACHE_DIR, or run with --no-cache") from None

    def put(self, key: str, brief: Brief) -> Path:
        path = self._path(key)
        if not (self.directory / MARKER).exists():
            self.prepare()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{key[:8]}.", suffix=".tmp")
        except OSError as exc:  # the folder became unwritable during the run
            raise ConfigError(f"cache folder {self.directory}: cannot write ({exc.strerror or exc})") from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(brief.model_dump_json(indent=1))
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path

    def entries(self) -> list[Path]:
        return _entries(self.directory)

    def reply_entries(self) -> list[Path]:
        """The model's stored raw replies (see :mod:`summarizer.replay`)."""
        return _entries(self.directory / REPLIES)

    def stats(self) -> CacheStats:
        files = self.entries()
        corrupt = 0
        for f in files:
            try:
                Brief.model_validate_json(f.read_bytes())
            except (OSError, ValueError, ValidationError):
                corrupt += 1
        replies = self.reply_entries()
        return CacheStats(self.directory, len(files), sum(f.stat().st_size for f in [*files, *replies]), corrupt,
                          len(replies))

    def is_cache(self) -> bool:
        """Marked as a cache, or (made before the marker existed) holding nothing but entries."""
        if (self.directory / MARKER).is_file():
            return True
        for child in self.directory.iterdir():
            if child.is_dir() and child.name == REPLIES:
                continue
            if not (child.is_dir() and _SHARD.fullmatch(child.name)):
                return False
            if any(not (_ENTRY.fullmatch(f.name) or _TEMP.fullmatch(f.name)) for f in child.iterdir()):
                return False
        return True

    def clear(self) -> tuple[int, int]:
        """Delete the entries this cache wrote, briefs and stored replies; nothing else. Refuses a folder
        that is not a cache. Returns (briefs, replies) deleted."""
        if not self.directory.is_dir():
            return 0, 0
        if not self.is_cache():
            raise ConfigError(f"{self.directory} is not a summarizer cache (no {MARKER} file, and it holds other "
                              "files); nothing deleted")
        briefs = _clear_entries(self.directory)
        replies = _clear_entries(self.directory / REPLIES)
        if (self.directory / REPLIES).is_dir():
            try:
                (self.directory / REPLIES).rmdir()
            except OSError:
                pass
        return briefs, replies


def _entries(folder: Path) -> list[Path]:
    """Files named like entries (``<2 hex>/<64 hex>.json`` whose name starts with its folder's)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("??/*.json")
                  if _SHARD.fullmatch(p.parent.name) and _ENTRY.fullmatch(p.name) and p.name[:2] == p.parent.name)


def _clear_entries(folder: Path) -> int:
    entries = _entries(folder)
    for path in entries:
        path.unlink(missing_ok=True)
    for shard in folder.iterdir() if folder.is_dir() else ():
        if shard.is_dir() and _SHARD.fullmatch(shard.name):
            for leftover in shard.iterdir():
                if _TEMP.fullmatch(leftover.name):
                    leftover.unlink(missing_ok=True)
            try:
                shard.rmdir()  # only when empty: a file we did not write keeps its folder
            except OSError:
                pass
    return len(entries)
