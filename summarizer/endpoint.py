"""Any OpenAI-compatible server as a backend (OpenAI, Ollama, vLLM, llama.cpp servers), and the
configuration-level helpers the cache and batch jobs use without importing the model clients: a run
served from the cache never pays for importing openai or llama.cpp."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import structured
from .backend import select
from .config import DEFAULT_REMOTE_MODEL, Settings
from .errors import ConfigError

if TYPE_CHECKING:
    import httpx

# instructor's Mode values, by the names the configuration uses
MODE_VALUES = {name: way.instructor_mode for name, way in structured.WAYS.items()}


def _checked_url(url: str | None) -> str | None:
    """A base URL httpx can dial, or a ConfigError naming the setting (not 'is the server running?')."""
    if url is None:
        return None
    import httpx

    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise ConfigError(f"OPENAI_BASE_URL / --base-url {url!r} is not a valid URL: {exc}") from exc
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ConfigError(f"OPENAI_BASE_URL / --base-url {url!r} is not an http(s) URL with a host, "
                          "e.g. http://127.0.0.1:8080/v1")
    return url


class Endpoint:
    """An OpenAI-compatible server reached over HTTP."""

    name = "openai"

    def __init__(self, settings: Settings):
        self.settings = settings
        self.base_url = _checked_url(settings.base_url)
        self.api_key = settings.api_key or "not-needed"  # local servers want no key; the client wants one
        self.request_model = settings.model or DEFAULT_REMOTE_MODEL
        self.timeout = settings.timeout
        self.max_transport_retries = settings.max_transport_retries
        # OpenAI itself: function calling is its most robust structured mode. Servers: OpenAI's json_schema
        # response_format first (Ollama >= 0.5, vLLM, llama-server), falling back when refused.
        self.default_way = "tools" if self.base_url is None else "json_schema"
        self.probes = settings.mode == "auto" and self.base_url is not None
        if settings.mode == "grammar" and not structured.grammar_available():
            raise ConfigError("--mode grammar: the grammar is made with llama-cpp-python, which is not installed "
                              "(pip install 'summarizer[local]'), or use --mode json_object_schema")
        self.context_window = settings.context_tokens
        self.workers = settings.concurrency
        from .ledger import price_of

        self.price = price_of(self.request_model, self.name, settings.prices)

    def identity(self) -> dict[str, Any]:
        # "auto" stays "auto" whatever way the probing settles on, so a remembered way keeps cache keys stable.
        mode = self.settings.mode
        if mode == "auto" and not self.probes:
            mode = self.default_way
        mode = structured.cache_label(mode) if mode != "auto" else mode
        return {"backend": self.name, "base_url": self.base_url, "model": self.request_model, "mode": mode}

    def transport(self) -> httpx.BaseTransport:
        import httpx

        return httpx.HTTPTransport()


def way_name(settings: Settings) -> str:
    """The structured-output way the settings ask for, before any probing."""
    return settings.mode if settings.mode != "auto" else select(settings).default_way


def identity(settings: Settings) -> dict[str, Any]:
    """What, besides article and prompt, decides a brief: part of every cache key."""
    return select(settings).identity()
