"""Ways of asking a server for structured output, the order ``--mode auto`` tries them in, and the
per-endpoint memory of which one worked.

Every way but ``json`` and ``md_json`` has the server constrain decoding to the schema, so the
schema is not repeated in the prompt (instructor's JSON_SCHEMA mode sends it only in the request's
``response_format``); the server-specific spellings are rewrites of that one request.

``grammar`` sends llama.cpp servers the very grammar the embedded model decodes with (no optional
whitespace), so a llama.cpp server and the in-process model decode the same tokens; the servers' own
schema grammars allow whitespace, which a small model spends tokens on and which changes what follows.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Kwargs = dict[str, Any]


def compact_grammar(schema: dict[str, Any]) -> str:
    """GBNF for ``schema`` (llama.cpp's own converter) that admits no whitespace between JSON tokens."""
    return _compact_grammar(json.dumps(schema))  # key order kept: it is the order of decoding


@functools.lru_cache(maxsize=16)
def _compact_grammar(schema_json: str) -> str:
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    gbnf = json_schema_to_gbnf(schema_json)
    return "\n".join(('space ::= ""' if line.startswith("space ::=") else line) for line in gbnf.splitlines())


def grammar_available() -> bool:
    """The grammar is made with llama-cpp-python's converter: without it (a client-only install) the
    ``grammar`` way is left out of the auto chain."""
    try:
        import llama_cpp.llama_grammar  # noqa: F401
    except (ImportError, OSError):  # not installed, or its native library will not load
        return False
    return True


def is_compact_json(text: str) -> bool:
    """True when ``text`` has no whitespace outside JSON strings: what a reply decoded under
    :func:`compact_grammar` looks like. A server that ignored the grammar decodes freely, and a model
    writing freely indents, wraps or fences its JSON."""
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char.isspace():
            return False
    return text.startswith("{") and not in_string


def _with_extra_body(kwargs: Kwargs, **fields: Any) -> Kwargs:
    """The request with ``fields`` added to the body fields the openai client sends as they are."""
    return {**kwargs, "extra_body": {**(kwargs.get("extra_body") or {}), **fields}}


def _grammar(kwargs: Kwargs) -> Kwargs:
    """llama.cpp servers: the compact grammar in the request's ``grammar`` field, no response_format
    (llama-cpp-python would build its own grammar from a json_object response_format instead)."""
    schema = kwargs["response_format"]["json_schema"]["schema"]
    rest = {k: v for k, v in kwargs.items() if k != "response_format"}
    return _with_extra_body(rest, **_LLAMA_CPP_SAMPLING, grammar=compact_grammar(schema))


# llama.cpp servers sample with a repetition penalty by default (llama-cpp-python's server: 1.1), which
# the OpenAI API and the in-process model (1.0) do not: ask for none, so a reply does not depend on where
# the model runs. Both llama.cpp ways send it.
_LLAMA_CPP_SAMPLING = {"repeat_penalty": 1.0}


def _json_object_schema(kwargs: Kwargs) -> Kwargs:
    """llama.cpp servers (llama-cpp-python's, and llama-server before json_schema support)."""
    schema = kwargs["response_format"]["json_schema"]["schema"]
    return _with_extra_body({**kwargs, "response_format": {"type": "json_object", "schema": schema}},
                            **_LLAMA_CPP_SAMPLING)


def _guided_json(kwargs: Kwargs) -> Kwargs:
    """vLLM's own parameter (older vLLM releases refuse OpenAI's json_schema response_format)."""
    schema = kwargs["response_format"]["json_schema"]["schema"]
    rest = {k: v for k, v in kwargs.items() if k != "response_format"}
    return _with_extra_body(rest, guided_json=schema)


@dataclass(frozen=True)
class Way:
    name: str  # as in --mode
    instructor_mode: str  # instructor.Mode value
    constrained: bool  # the server constrains decoding to the schema
    rewrite: Callable[[Kwargs], Kwargs] | None = None  # from instructor's request to this server's spelling


WAYS = {w.name: w for w in (
    Way("tools", "tool_call", True),
    Way("json_schema", "json_schema_mode", True),
    Way("grammar", "json_schema_mode", True, _grammar),
    Way("json_object_schema", "json_schema_mode", True, _json_object_schema),
    Way("guided_json", "json_schema_mode", True, _guided_json),
    Way("json", "json_mode", False),  # schema written into the prompt; decoding unconstrained
    Way("md_json", "markdown_json_mode", False),
)}
# What --mode auto tries on a server, in order: constrained ways first, plain JSON mode last. A server
# reaches ``grammar`` only after refusing json_schema; its first reply must then be compact (see
# is_compact_json), or the way counts as refused.
AUTO_CHAIN = ("json_schema", "grammar", "json_object_schema", "json")


def cache_label(way: str) -> str:
    """How a way appears in cache keys: instructor's value for the ways that predate this table (so
    existing cache entries stay valid), the way's own name for the rest (they share instructor's mode)."""
    return WAYS[way].instructor_mode if way in ("tools", "json_schema", "json", "md_json") else way


def chain(first: str) -> list[str]:
    """``first`` (the default or remembered way), then the rest of the auto chain (without ``grammar``
    when this install cannot make one)."""
    rest = [w for w in AUTO_CHAIN if w != first and (w != "grammar" or grammar_available())]
    return [first, *rest]


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
