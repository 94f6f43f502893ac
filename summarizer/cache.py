"""The disk cache of briefs.

One JSON file per key under ``<dir>/<key[:2]>/<key>.json``. Writes go to a
temporary file in the same folder and are renamed into place (atomic on POSIX),
so readers, a killed process or a second process never see half an entry; an
entry that does not parse or validate is treated as missing and rewritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .schema import Brief


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


class BriefCache:
    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> Brief | None:
        path = self._path(key)
        try:
            return Brief.model_validate_json(path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError, ValidationError):
            return None  # corrupt or partial: ignored here, overwritten by the next put

    def put(self, key: str, brief: Brief) -> Path:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{key[:8]}.", suffix=".tmp")
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
        if not self.directory.is_dir():
            return []
        return sorted(self.directory.glob("??/*.json"))

    def stats(self) -> CacheStats:
        files = self.entries()
        corrupt = 0
        for f in files:
            try:
                Brief.model_validate_json(f.read_bytes())
            except (OSError, ValueError, ValidationError):
                corrupt += 1
        return CacheStats(self.directory, len(files), sum(f.stat().st_size for f in files), corrupt)

    def clear(self) -> int:
        count = len(self.entries())
        if self.directory.is_dir():
            for child in self.directory.iterdir():
                if child.is_dir() and len(child.name) == 2:
                    shutil.rmtree(child, ignore_errors=True)
        return count
