"""The embedded model behind the ``openai`` client: an in-process chat-completions transport.

``LlamaTransport`` is an httpx transport that answers ``POST .../chat/completions``
with llama-cpp-python instead of the network, so the embedded model plugs into
exactly the pipeline a remote endpoint uses. The request's JSON schema (from
``response_format``) becomes a GBNF grammar with no optional whitespace, so the
model can only emit valid, compact JSON of the brief's shape: every token it
does not spend on spaces saves ~0.1 s on this CPU.

The model stays loaded for the life of the transport; llama.cpp keeps the last
prompt's evaluated tokens, so the system prompt shared by every article is
evaluated once per process, not once per article.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from . import model_files
from .config import Settings
from .structured import cache_label, compact_grammar

LOCAL_BASE_URL = "http://127.0.0.1/embedded/v1"  # never dialled: the transport answers in-process


def _schema_of(response_format: dict[str, Any] | None) -> dict[str, Any] | None:
    if not response_format:
        return None
    if response_format.get("type") == "json_schema":
        return response_format.get("json_schema", {}).get("schema")
    if response_format.get("type") == "json_object":
        return response_format.get("schema") or {"type": "object"}
    return None


class LlamaTransport(httpx.BaseTransport):
    """Answers OpenAI chat-completions requests with a local GGUF model, one request at a time."""

    def __init__(self, path: Path, *, n_ctx: int, n_threads: int | None, seed: int = 0):
        self.path = path
        self.n_ctx = n_ctx
        self.n_threads = n_threads or os.cpu_count() or 2
        self.seed = seed
        self._llama: Any = None
        self._grammars: dict[str, Any] = {}
        self._lock = threading.Lock()  # two model runs on two cores are many times slower: serialise
        self.load_seconds: float | None = None
        self.recorded: list[dict[str, Any]] | None = None  # set to a list to keep every request and reply

    def _model(self) -> Any:
        if self._llama is None:
            from llama_cpp import Llama

            started = time.perf_counter()
            self._llama = Llama(model_path=str(self.path), n_ctx=self.n_ctx, n_threads=self.n_threads,
                                n_batch=512, seed=self.seed, verbose=False)
            self.load_seconds = time.perf_counter() - started
        return self._llama

    def load(self) -> None:
        """Load the model now rather than on the first request (benchmarks time articles, not the load)."""
        with self._lock:
            self._model()

    def _grammar(self, schema: dict[str, Any]) -> Any:
        from llama_cpp import LlamaGrammar

        key = json.dumps(schema, sort_keys=True)
        if key not in self._grammars:
            self._grammars[key] = LlamaGrammar.from_string(compact_grammar(schema), verbose=False)
        return self._grammars[key]

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method != "POST" or not request.url.path.endswith("/chat/completions"):
            return httpx.Response(404, json={"error": {"message": f"embedded model: no route {request.url.path}"}})
        body = json.loads(request.content or b"{}")
        schema = _schema_of(body.get("response_format"))
        try:
            with self._lock:
                llama = self._model()
                result = llama.create_chat_completion(
                    messages=body["messages"],
                    temperature=body.get("temperature", 0.0),
                    top_p=body.get("top_p", 1.0),
                    max_tokens=body.get("max_tokens") or body.get("max_completion_tokens"),
                    seed=body.get("seed", self.seed),
                    grammar=self._grammar(schema) if schema else None,
                )
        except (ValueError, RuntimeError, OSError) as exc:
            # 400, not 5xx: a load failure or an over-long prompt will not heal on retry.
            return httpx.Response(400, json={"error": {"message": f"embedded model {self.path.name}: {exc}"}})
        result["model"] = body.get("model", self.path.name)
        if self.recorded is not None:
            self.recorded.append({"request": body, "reply": result})
        return httpx.Response(200, json=result)


class Embedded:
    """The default GGUF model (or ``--model-path``) answering in-process through :class:`LlamaTransport`."""

    name = "local"
    base_url = LOCAL_BASE_URL
    api_key = "embedded"
    timeout = None  # in-process: nothing can hang on a network
    max_transport_retries = 0  # a fault here will not heal on retry
    default_way = "json_schema"  # the transport turns the schema into a grammar
    probes = False
    workers = 1  # two model runs on two cores are many times slower than one after the other
    price = (0.0, 0.0)

    def __init__(self, settings: Settings):
        self.settings = settings
        self.path = model_files.local_model_path(settings.model_path, settings.models_dir)
        self.request_model = settings.model or self.path.stem
        self.context_window = settings.n_ctx

    def identity(self) -> dict[str, Any]:
        # Verifies the file: refuses a missing or corrupt default model before any work.
        digest = model_files.local_model_sha256(self.path, custom=self.settings.model_path is not None)
        way = self.settings.mode if self.settings.mode != "auto" else self.default_way
        return {"backend": self.name, "model": self.path.name, "model_sha256": digest, "n_ctx": self.settings.n_ctx,
                "mode": cache_label(way)}

    def transport(self) -> LlamaTransport:
        return LlamaTransport(self.path, n_ctx=self.settings.n_ctx, n_threads=self.settings.n_threads)
