"""The seam between the pipeline and whatever answers chat completions, as httpx has for transports.

A backend says who it is (for the cache key), hands over an httpx transport the
``openai`` client sends through, and states the few facts the pipeline needs:
default structured-output way, context window, workers, price. Two implementations:
:class:`summarizer.local_llm.Embedded` (the GGUF model in-process) and
:class:`summarizer.endpoint.Endpoint` (any OpenAI-compatible server). The model
client (:mod:`summarizer.llm`) and its retries import neither.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from .config import Settings

if TYPE_CHECKING:
    import httpx


class Backend(Protocol):
    name: str  # "local" or "openai": recorded in provenance
    base_url: str | None  # what the openai client addresses (None: OpenAI itself)
    api_key: str
    request_model: str  # the model name sent in each request
    timeout: float | None  # seconds per request; None: no limit (in-process)
    max_transport_retries: int  # retries of transient transport faults
    default_way: str  # structured-output way for --mode auto when nothing is remembered (see structured.py)
    probes: bool  # --mode auto may fall back along structured.AUTO_CHAIN when a way is refused
    context_window: int | None  # tokens; None: unknown, the server will say
    workers: int  # articles in flight
    price: tuple[float, float] | None  # USD per 1M (input, output) tokens; None: unknown

    def identity(self) -> dict[str, Any]:
        """What, besides article and prompt, decides a brief: part of every cache key."""
        ...

    def transport(self) -> httpx.BaseTransport:
        """A new transport for the openai client (made once per connection; see llm.open_transport)."""
        ...


def select(settings: Settings) -> Backend:
    """The backend a configuration selects; cheap (no model load, no request, no openai import)."""
    if settings.resolved_backend == "local":
        from .local_llm import Embedded

        return Embedded(settings)
    from .endpoint import Endpoint

    return Endpoint(settings)
