"""Ways of asking a server for structured output, the order ``--mode auto`` tries them in, and the
per-endpoint memory of which one worked.

Every way but ``json`` and ``md_json`` has the server constrain decoding to the schema, so the
schema is not repeated in the prompt (instructor's JSON_SCHEMA mode sends it only in the request's
``response_format``); the server-specific spellings are rewrites of that one request.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Kwargs = dict[str, Any]


def _json_object_schema(kwargs: Kwargs) -> Kwargs:
    """llama.cpp servers (llama-cpp-python's, and llama-server before json_schema support)."""
    schema = kwargs["response_format"]["json_schema"]["schema"]
    return {**kwargs, "response_format": {"type": "json_object", "schema": schema}}


def _guided_json(kwargs: Kwargs) -> Kwargs:
    """vLLM's own parameter (older vLLM releases refuse OpenAI's json_schema response_format)."""
    schema = kwargs["response_format"]["json_schema"]["schema"]
    rest = {k: v for k, v in kwargs.items() if k != "response_format"}
    return {**rest, "extra_body": {**(kwargs.get("extra_body") or {}), "guided_json": schema}}


@dataclass(frozen=True)
class Way:
    name: str  # as in --mode
    instructor_mode: str  # instructor.Mode value
    constrained: bool  # the server constrains decoding to the schema
    rewrite: Callable[[Kwargs], Kwargs] | None = None  # from instructor's request to this server's spelling


WAYS = {w.name: w for w in (
    Way("tools", "tool_call", True),
    Way("json_schema", "json_schema_mode", True),
    Way("json_object_schema", "json_schema_mode", True, _json_object_schema),
    Way("guided_json", "json_schema_mode", True, _guided_json),
    Way("json", "json_mode", False),  # schema written into the prompt; decoding unconstrained
    Way("md_json", "markdown_json_mode", False),
)}
# What --mode auto tries on a server, in order: constrained ways first, plain JSON mode last.
AUTO_CHAIN = ("json_schema", "json_object_schema", "json")


def cache_label(way: str) -> str:
    """How a way appears in cache keys: instructor's value for the ways that predate this table (so
    existing cache entries stay valid), the way's own name for the rest (they share instructor's mode)."""
    return WAYS[way].instructor_mode if way in ("tools", "json_schema", "json", "md_json") else way


def chain(first: str) -> list[str]:
    """``first`` (the default or remembered way), then the rest of the auto chain."""
    return [first, *(w for w in AUTO_CHAIN if w != first)]


class Memory:
    """Which way worked for which endpoint and model, kept as one small JSON file in the cache folder."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        try:
            entry = json.loads(self.path.read_text(encoding="utf-8")).get(key) or {}
        except (OSError, ValueError, AttributeError):
            return None  # no memory yet, or unreadable: probe again
        way = entry.get("mode") if isinstance(entry, dict) else None
        return way if way in WAYS else None

    def put(self, key: str, way: str, refused: list[str]) -> None:
        with self._lock:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                data = data if isinstance(data, dict) else {}
            except (OSError, ValueError):
                data = {}
            data[key] = {"mode": way, "refused": refused,
                         "at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()}
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".endpoints-", suffix=".tmp")
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(data, fh, indent=1, sort_keys=True)
                os.replace(tmp, self.path)  # atomic: two processes never see half a file
            except OSError:
                pass  # memory is an optimisation: the next run probes again
