"""Which model a configuration selects, and its identity for the cache key, without importing
the model clients: a run served from the cache never pays for importing openai or llama.cpp."""

from __future__ import annotations

from typing import Any

from . import model_files
from .config import DEFAULT_REMOTE_MODEL, Settings

# instructor's Mode values, by the names the configuration uses
MODE_VALUES = {"tools": "tool_call", "json_schema": "json_schema_mode", "json": "json_mode",
               "md_json": "markdown_json_mode"}


def mode_value(settings: Settings) -> str:
    if settings.mode != "auto":
        return MODE_VALUES[settings.mode]
    if settings.resolved_backend == "local":
        return MODE_VALUES["json_schema"]  # our in-process transport turns the schema into a grammar
    if settings.base_url is None:
        return MODE_VALUES["tools"]  # OpenAI itself: function calling is its most robust structured mode
    # Ollama, vLLM and recent llama.cpp servers (and OpenAI) accept OpenAI's json_schema response_format.
    return MODE_VALUES["json_schema"]


def identity(settings: Settings) -> dict[str, Any]:
    """What, besides article and prompt, decides a brief: part of every cache key."""
    mode = mode_value(settings)
    if settings.resolved_backend == "local":
        path = model_files.local_model_path(settings.model_path, settings.models_dir)
        digest = model_files.local_model_sha256(path, custom=settings.model_path is not None)
        return {"backend": "local", "model": path.name, "model_sha256": digest, "n_ctx": settings.n_ctx,
                "mode": mode}
    return {"backend": "openai", "base_url": settings.base_url, "model": settings.model or DEFAULT_REMOTE_MODEL,
            "mode": mode}
