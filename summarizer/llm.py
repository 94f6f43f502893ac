"""Calling the model: one instructor client over the ``openai`` client, for every backend.

A remote endpoint (OpenAI, Ollama, vLLM, a llama.cpp server) is reached over
HTTP. The embedded model is reached through the same ``openai`` client with an
in-process transport (see :mod:`summarizer.local_llm`), so prompts, validation,
re-asking, grounding, caching and provenance are one code path.

Two kinds of retry, deliberately separate:
- transport faults (timeouts, connection errors, 429, 5xx) are retried per HTTP
  call by tenacity, with exponential backoff or the server's Retry-After;
- validation failures are re-asked to the model by instructor, with the
  validator's message, at most ``max_reasks`` times.
"""

from __future__ import annotations

import copy
import functools
import threading
from dataclasses import dataclass, field
from typing import Any

import httpx
import instructor
import openai
from instructor import Mode
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from pydantic import BaseModel, ValidationError
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential, wait_random

from . import endpoint, grounding, replay
from .config import DEFAULT_REMOTE_MODEL, Settings
from .errors import BackendError, ExtractionError, describe_validation
from .schema import Usage

MAX_RETRY_AFTER = 60.0  # seconds; a longer Retry-After is capped rather than obeyed blindly


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, (openai.APITimeoutError, openai.APIConnectionError)):
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in (408, 409, 429) or exc.status_code >= 500
    return False


def retry_after_seconds(exc: BaseException | None) -> float | None:
    """The server's Retry-After (seconds or retry-after-ms), if the error carries one."""
    response = getattr(exc, "response", None)
    if response is None:
        return None
    headers = response.headers
    try:
        if "retry-after-ms" in headers:
            return float(headers["retry-after-ms"]) / 1000
        if "retry-after" in headers:
            return float(headers["retry-after"])
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff
    return None


class _RetryWait:
    def __init__(self) -> None:
        self._backoff = wait_exponential(multiplier=0.5, max=20) + wait_random(0, 0.5)  # same in tenacity 8 and 9

    def __call__(self, state: Any) -> float:
        hinted = retry_after_seconds(state.outcome.exception() if state.outcome else None)
        if hinted is not None:
            return min(max(hinted, 0.0), MAX_RETRY_AFTER)
        return self._backoff(state)


def _with_transport_retries(create: Any, attempts: int) -> Any:
    retrying = Retrying(stop=stop_after_attempt(attempts + 1), wait=_RetryWait(),
                        retry=retry_if_exception(_is_transient), reraise=True)
    return retrying.wraps(create)


@functools.cache
def _instructor_model(model: type[BaseModel]) -> type[BaseModel]:
    """``model`` as an instructor OpenAISchema, made once per class with its JSON schema generated once.

    Otherwise instructor wraps the model in a new class on every call and pydantic regenerates its
    schema each time: a third of a request's CPU, which caps throughput at high concurrency."""
    schema = model.model_json_schema()

    class Prepared(model, instructor.OpenAISchema):  # type: ignore[misc, valid-type]
        @classmethod
        def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
            return copy.deepcopy(schema) if not (args or kwargs) else super().model_json_schema(*args, **kwargs)

    Prepared.__name__, Prepared.__qualname__, Prepared.__doc__ = model.__name__, model.__qualname__, model.__doc__
    return Prepared


@dataclass
class CallResult:
    draft: BaseModel
    attempts: list[Usage]


@dataclass
class ModelClient:
    """A ready-to-call model: instructor client, request model name and identity for the cache key."""

    client: instructor.Instructor
    request_model: str
    backend: str
    mode: Mode
    identity: dict[str, Any]
    settings: Settings
    transport: Any = None  # the in-process transport of the embedded model, else None
    _local: threading.local = field(default_factory=threading.local)

    def __post_init__(self) -> None:
        self.client.on("completion:response", self._record_usage)  # usage of every attempt

    def _record_usage(self, response: Any) -> None:
        attempts = getattr(self._local, "attempts", None)
        usage = getattr(response, "usage", None)
        if attempts is not None:
            attempts.append(Usage(prompt_tokens=getattr(usage, "prompt_tokens", 0) or 0,
                                  completion_tokens=getattr(usage, "completion_tokens", 0) or 0))

    def call(self, messages: list[dict[str, str]], response_model: type[BaseModel],
             context: dict[str, Any], generation: dict[str, Any]) -> CallResult:
        self._local.attempts = attempts = []
        try:
            with grounding.grounded_in(context):  # not instructor's `context`: see grounding._GROUNDS
                draft = self.client.chat.completions.create(
                    model=self.request_model, messages=messages, response_model=_instructor_model(response_model),
                    max_retries=self.settings.max_reasks, strict=False, **generation,
                )
        except IncompleteOutputException as exc:
            raise ExtractionError(
                f"model reply cut off at max_tokens={generation.get('max_tokens')} (is the model looping?)",
                attempts) from exc
        except InstructorRetryException as exc:
            cause = exc.__cause__
            if isinstance(cause, openai.APIError):
                raise BackendError(_describe_api_error(cause, self.settings), attempts) from cause
            raise ExtractionError(_describe_invalid(exc), attempts) from exc
        except openai.APIError as exc:
            raise BackendError(_describe_api_error(exc, self.settings), attempts) from exc
        finally:
            self._local.attempts = None
        return CallResult(draft=draft, attempts=attempts)


def _describe_invalid(exc: Any) -> str:
    """One line: how many attempts, and the last validation errors (not instructor's XML dump)."""
    failed = getattr(exc, "failed_attempts", None) or []
    last = failed[-1].exception if failed else exc.__cause__
    if isinstance(last, ValidationError):
        problems = describe_validation(last)
    else:
        problems = _first_line(str(last or exc))
    return f"model reply invalid after {getattr(exc, 'n_attempts', len(failed)) or len(failed)} attempt(s): {problems}"


def _first_line(text: str) -> str:
    return " ".join(text.strip().split())[:300] or "unknown error"


def _describe_api_error(exc: BaseException, settings: Settings) -> str:
    where = settings.base_url or "the OpenAI API"
    if isinstance(exc, openai.APITimeoutError):
        return f"{where}: request timed out after {settings.timeout:g}s (retried {settings.max_transport_retries}x)"
    if isinstance(exc, openai.APIConnectionError):
        return f"{where}: cannot connect (retried {settings.max_transport_retries}x); is the server running?"
    if isinstance(exc, openai.AuthenticationError):
        return f"{where}: authentication failed (HTTP 401); check OPENAI_API_KEY"
    if isinstance(exc, openai.NotFoundError):
        return f"{where}: not found (HTTP 404); check OPENAI_BASE_URL and the model name"
    if isinstance(exc, openai.APIStatusError):
        return f"{where}: HTTP {exc.status_code} after {settings.max_transport_retries} retries: {_first_line(exc.message)}"
    return f"{where}: {_first_line(str(exc))}"


def _instructor(client: openai.OpenAI, mode: Mode, attempts: int) -> instructor.Instructor:
    create = _with_transport_retries(client.chat.completions.create, attempts)
    return instructor.Instructor(client=client, create=instructor.patch(create=create, mode=mode), mode=mode)


def replaying(inner: httpx.BaseTransport, settings: Settings, identity: dict[str, Any]) -> httpx.BaseTransport:
    """``inner`` behind the store of raw replies (see :mod:`summarizer.replay`), unless caching is off."""
    if not settings.use_cache:
        return inner
    return replay.ReplayTransport(inner, replay.ReplyStore(settings.replies_dir), identity, read=not settings.refresh)


def connect(settings: Settings, *, http_client: httpx.Client | None = None) -> ModelClient:
    """A ModelClient for the configured backend (the embedded model when nothing is configured)."""
    backend = settings.resolved_backend
    mode = Mode(endpoint.mode_value(settings))
    if backend == "local":
        from . import local_llm  # imports llama_cpp lazily: remote users need not build it

        return local_llm.connect(settings, mode)
    if http_client is None:
        transport = replaying(httpx.HTTPTransport(), settings, endpoint.identity(settings))
        http_client = httpx.Client(transport=transport, timeout=settings.timeout)
    client = openai.OpenAI(api_key=settings.api_key or "not-needed", base_url=settings.base_url,
                           timeout=settings.timeout, max_retries=0, http_client=http_client)
    model = settings.model or DEFAULT_REMOTE_MODEL
    return ModelClient(
        client=_instructor(client, mode, settings.max_transport_retries), request_model=model,
        backend="openai", mode=mode, settings=settings, identity=endpoint.identity(settings),
    )
