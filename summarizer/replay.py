"""The model's raw replies on disk, keyed by the exact request: the step after "call model".

``ReplayTransport`` wraps whichever httpx transport a backend uses (the
in-process llama.cpp transport or a real HTTP one). A chat-completions request
whose exact body (messages, response format, generation settings, model) was
answered before is answered from disk without touching the model; any other is
passed on and its successful reply stored. Briefs are derived from replies by
code, so a change to the code after the model re-derives every brief from
these files in seconds, with no model call and no hand-bumped version.

Entries are ``<dir>/<key[:2]>/<key>.json`` holding the request and the reply;
writes are atomic (temporary file and rename), an unreadable entry is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

import httpx


def request_key(body: dict[str, Any], identity: dict[str, Any]) -> str:
    """A stable hash of the request body and the model's identity (file sha256 or endpoint and name)."""
    canonical = json.dumps({"request": body, "model": identity}, sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def messages_key(body: dict[str, Any]) -> str:
    """A hash of a request's messages alone: what recorded replies are matched by in tests, whatever
    server, model name or response-format spelling answers them."""
    return hashlib.sha256(json.dumps(body.get("messages", []), sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class ReplyStore:
    """Raw replies on disk (one JSON file per request key)."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            entry = json.loads(self._path(key).read_bytes())
            reply = entry["reply"]
            return reply if isinstance(reply, dict) else None
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing, partial or corrupt: a miss, rewritten by the next put

    def put(self, key: str, request: dict[str, Any], reply: dict[str, Any]) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{key[:8]}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"request": request, "reply": reply}, fh, ensure_ascii=False)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def entries(self) -> list[Path]:
        return sorted(self.directory.glob("??/*.json")) if self.directory.is_dir() else []


class ReplyNotStored(BaseException):
    """A request the reply store cannot answer, met where no model may be asked (a re-deriving worker
    process: only the main process loads the model). A BaseException, like KeyboardInterrupt, so that no
    layer between the transport and the caller (the openai client, instructor's re-asks, tenacity, the
    steps) takes it for a failed request and carries on."""


class StoredOnly(httpx.BaseTransport):
    """The model's place for a process that may only read stored replies."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        raise ReplyNotStored(str(request.url))


class ReplayTransport(httpx.BaseTransport):
    """Answers a chat-completions request from the reply store when it can, else asks ``inner``."""

    def __init__(self, inner: httpx.BaseTransport, store: ReplyStore, identity: dict[str, Any], *,
                 read: bool = True):
        self.inner = inner
        self.store = store
        self.identity = identity
        self.read = read  # False: always ask the model (--refresh), still store what it says
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method != "POST" or not request.url.path.endswith("/chat/completions"):
            return self.inner.handle_request(request)
        request.read()
        try:
            body = json.loads(request.content or b"{}")
        except ValueError:
            return self.inner.handle_request(request)
        key = request_key(body, self.identity)
        cached = self.store.get(key) if self.read else None
        if cached is not None:
            with self._lock:
                self.hits += 1
            return httpx.Response(200, json=cached, request=request)
        with self._lock:
            self.misses += 1
        response = self.inner.handle_request(request)
        if response.status_code == 200:
            response.read()
            try:
                reply = json.loads(response.content)
            except ValueError:
                return response
            if isinstance(reply, dict) and reply.get("choices"):
                self.store.put(key, body, reply)
        return response

    def close(self) -> None:
        self.inner.close()
