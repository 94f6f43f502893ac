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
import openai
from instructor import Mode

from . import model_files
from .config import Settings

LOCAL_BASE_URL = "http://127.0.0.1/embedded/v1"  # never dialled: the transport answers in-process


def compact_grammar(schema: dict[str, Any]) -> str:
    """GBNF for ``schema`` that admits no whitespace between JSON tokens."""
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    gbnf = json_schema_to_gbnf(json.dumps(schema))
    lines = [('space ::= ""' if line.startswith("space ::=") else line) for line in gbnf.splitlines()]
    return "\n".join(lines)


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


def connect(settings: Settings, mode: Mode) -> Any:
    from .endpoint import identity
    from .llm import ModelClient, _instructor, replaying

    ident = identity(settings)  # refuses a missing or corrupt default model up front
    path = model_files.local_model_path(settings.model_path, settings.models_dir)
    transport = LlamaTransport(path, n_ctx=settings.n_ctx, n_threads=settings.n_threads)
    client = openai.OpenAI(api_key="embedded", base_url=LOCAL_BASE_URL, max_retries=0,
                           timeout=None,
                           http_client=httpx.Client(transport=replaying(transport, settings, ident), timeout=None))
    name = settings.model or path.stem
    return ModelClient(
        client=_instructor(client, mode, 0), request_model=name, backend="local", mode=mode, settings=settings,
        identity=ident, transport=transport,
    )
