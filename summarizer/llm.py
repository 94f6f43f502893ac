"""Calling the model: one instructor client over the ``openai`` client, for every backend.

A backend (see :mod:`summarizer.backend`) hands over an httpx transport: the network for a server,
llama.cpp in-process for the embedded model. Prompts, validation, re-asking, grounding, caching and
provenance are one code path, and this module imports no backend.

Two kinds of retry, deliberately separate:
- transport faults (timeouts, dropped connections, 408, 429, 5xx) are retried per HTTP call by
  tenacity, with exponential backoff or the server's Retry-After. A refusal (any other 4xx, or a 5xx
  naming the structured-output parameter) is sent once: retrying cannot change the answer;
- validation failures are re-asked to the model by instructor, with the validator's message, at
  most ``max_reasks`` times.

With ``--mode auto`` on a server, a refused structured-output way falls back along
``structured.AUTO_CHAIN``; the way that worked is remembered per endpoint in the cache folder.
"""

from __future__ import annotations

import copy
import functools
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx
import instructor
import openai
from instructor import Mode
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from pydantic import BaseModel, ValidationError
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential, wait_random

from . import grounding, replay
from .config import Settings
from .errors import (AuthError, BackendError, ConfigError, ConnectionDroppedError, EndpointTimeoutError,
                     EndpointUnreachableError, ExtractionError, RateLimitedError, RequestRejectedError,
                     ServerFaultError, SummarizerError, describe_validation)
from .schema import Usage
from .structured import WAYS, Memory, chain, is_compact_json

if TYPE_CHECKING:
    from .backend import Backend

MAX_RETRY_AFTER = 60.0  # seconds; a longer Retry-After is capped rather than obeyed blindly


def open_transport(backend: Backend, settings: Settings, *,
                   stored_only: bool = False) -> tuple[httpx.BaseTransport, httpx.BaseTransport]:
    """The one place a backend's transport is made and wrapped before the openai client gets it:
    (the backend's own transport, what the client sends through). Raw replies are kept on disk keyed by
    the exact request (see :mod:`summarizer.replay`), unless caching is off. ``stored_only``: no model
    behind the store; a request it cannot answer raises :class:`replay.ReplyNotStored`."""
    inner = replay.StoredOnly() if stored_only else backend.transport()
    if not settings.use_cache:
        return inner, inner
    store = replay.ReplyStore(settings.replies_dir)
    return inner, replay.ReplayTransport(inner, store, backend.identity(), read=not settings.refresh)


# ---- transport errors -> our exception classes, in one table ---------------------------------------

# The httpx error under openai's APIConnectionError / APITimeoutError, first match wins.
_TRANSPORT_ERRORS: tuple[tuple[tuple[type[BaseException], ...], type[SummarizerError], str], ...] = (
    ((httpx.UnsupportedProtocol, httpx.InvalidURL, httpx.LocalProtocolError), ConfigError,
     "{where}: not a usable endpoint address ({cause}); check OPENAI_BASE_URL / --base-url"),
    ((httpx.ConnectError, httpx.ConnectTimeout), EndpointUnreachableError,
     "{where}: cannot connect ({cause}); is the server running at this address? (OPENAI_BASE_URL / --base-url)"),
    ((httpx.TimeoutException,), EndpointTimeoutError,
     "{where}: no reply within --timeout {timeout}s ({tries}); raise --timeout or check the server"),
    ((httpx.TransportError,), ConnectionDroppedError,
     "{where}: the server closed the connection without replying ({tries}); see the server's log"),
)
# HTTP statuses; other 4xx are RequestRejectedError, other 5xx ServerFaultError (see _classify).
_STATUS_ERRORS: dict[int, tuple[type[BackendError], str]] = {
    400: (RequestRejectedError, "{where}: the server rejected the request (HTTP 400, {tries}): {detail}; {fix}"),
    401: (AuthError, "{where}: authentication failed (HTTP 401, {tries}); check OPENAI_API_KEY"),
    403: (AuthError, "{where}: access denied (HTTP 403, {tries}): {detail}; check OPENAI_API_KEY and --model"),
    404: (RequestRejectedError, "{where}: not found (HTTP 404, {tries}): {detail}; check OPENAI_BASE_URL "
                                "(usually ending in /v1) and --model"),
    408: (EndpointTimeoutError, "{where}: the server timed out (HTTP 408, {tries}); raise --timeout or retry later"),
    413: (RequestRejectedError, "{where}: request too large (HTTP 413, {tries}); shorten the article or use a "
                                "model with a longer context"),
    429: (RateLimitedError, "{where}: rate limited (HTTP 429, {tries}); lower --concurrency or retry later"),
}
_RETRIED = (EndpointTimeoutError, ConnectionDroppedError, RateLimitedError, ServerFaultError)
_FORMAT_WORDS = ("response_format", "json_schema", "guided_json", "grammar")


def _detail(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        body = body.get("error", body)
        body = body.get("message", body) if isinstance(body, dict) else body
    return _first_line(str(body if body is not None else exc.message))


def _classify(exc: BaseException) -> tuple[type[SummarizerError], str, bool]:
    """(exception class, message template, refusal names the structured-output way)."""
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        names_format = any(w in str(exc.body or exc.message).lower() for w in _FORMAT_WORDS)
        if status in _STATUS_ERRORS:
            cls, template = _STATUS_ERRORS[status]
            return cls, template, status == 400  # a 400 may be the way: --mode auto tries the next
        if 400 <= status < 500:
            return RequestRejectedError, "{where}: the server rejected the request (HTTP {status}, {tries}): " \
                                         "{detail}; {fix}", True
        if names_format:  # e.g. llama-cpp-python's server answers an unknown response_format with a 500
            return RequestRejectedError, "{where}: the server cannot serve --mode {way} (HTTP {status}, {tries}): " \
                                         "{detail}; {fix}", True
        return ServerFaultError, "{where}: server error (HTTP {status}, {tries}): {detail}", False
    cause = exc.__cause__ or exc
    for kinds, cls, template in _TRANSPORT_ERRORS:
        if isinstance(cause, kinds):
            return cls, template, False
    if isinstance(exc, openai.APITimeoutError):
        return EndpointTimeoutError, _TRANSPORT_ERRORS[2][2], False
    return ConnectionDroppedError, "{where}: {cause} ({tries})", False


def _tries(exc: BaseException) -> str:
    n = getattr(exc, "summarizer_tries", 1)
    return "sent once, not retried" if n == 1 else f"tried {n} times"


class _RetryWait:
    def __init__(self) -> None:
        self._backoff = wait_exponential(multiplier=0.5, max=20) + wait_random(0, 0.5)  # same in tenacity 8 and 9

    def __call__(self, state: Any) -> float:
        hinted = retry_after_seconds(state.outcome.exception() if state.outcome else None)
        if hinted is not None:
            return min(max(hinted, 0.0), MAX_RETRY_AFTER)
        return self._backoff(state)


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


def _sending(create: Callable[..., Any], retries: int, retried: Callable[[BaseException], bool]) -> Callable[..., Any]:
    """``create`` with transport retries; each error carries how many times its request was sent."""
    def send(*args: Any, **kwargs: Any) -> Any:
        for attempt in Retrying(stop=stop_after_attempt(retries + 1), wait=_RetryWait(),
                                retry=retry_if_exception(retried), reraise=True):
            with attempt:
                try:
                    return create(*args, **kwargs)
                except openai.APIError as exc:
                    exc.summarizer_tries = attempt.retry_state.attempt_number  # type: ignore[attr-defined]
                    raise
        raise AssertionError("unreachable")  # pragma: no cover - tenacity returns or reraises
    return send


def _rewriting(create: Callable[..., Any], rewrite: Callable[[dict[str, Any]], dict[str, Any]]) -> Callable[..., Any]:
    def send(*args: Any, **kwargs: Any) -> Any:
        return create(*args, **(rewrite(kwargs) if "response_format" in kwargs else kwargs))
    return send


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


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class ModelClient:
    """A ready-to-call model over one backend, with the structured-output way it settled on."""

    backend: Backend
    settings: Settings
    openai_client: openai.OpenAI
    transport: httpx.BaseTransport  # the backend's own (the embedded model's LlamaTransport, ...), unwrapped
    notice: Callable[[str], None] = _stderr  # one line when --mode auto settles on a way
    reached: bool = False  # the endpoint has answered at least once in this process
    _local: threading.local = field(default_factory=threading.local)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.identity = self.backend.identity()
        self.request_model = self.backend.request_model
        self._memory = Memory(self.settings.cache_dir / "endpoints.json")
        self._memory_key = f"{self.backend.base_url} {self.request_model}"
        self._remembered = self._memory.get(self._memory_key) if self.backend.probes else None
        first = self.settings.mode if self.settings.mode != "auto" else (self._remembered or self.backend.default_way)
        self._ways = chain(first) if self.backend.probes else [first]
        self._tried = list(self._ways)
        self._refused: list[str] = []
        self._settled = False
        self._clients: dict[str, instructor.Instructor] = {}

    @property
    def way(self) -> str:
        return self._ways[0]

    @property
    def mode(self) -> Mode:
        return Mode(WAYS[self.way].instructor_mode)

    @property
    def where(self) -> str:
        return self.backend.base_url or "the OpenAI API"

    def _on_response(self, response: Any) -> None:
        """Each reply's text (for _honoured) and usage (for the ledger), re-asks included."""
        choices = getattr(response, "choices", None) or []
        self._local.content = getattr(getattr(choices[0], "message", None), "content", None) if choices else None
        attempts = getattr(self._local, "attempts", None)
        usage = getattr(response, "usage", None)
        if attempts is not None:
            attempts.append(Usage(prompt_tokens=getattr(usage, "prompt_tokens", 0) or 0,
                                  completion_tokens=getattr(usage, "completion_tokens", 0) or 0))

    def _retried(self, exc: BaseException) -> bool:
        if isinstance(exc, openai.APIStatusError):
            self.reached = True
        cls = _classify(exc)[0]
        # Nothing listening: retrying costs seconds per article for nothing, unless the server answered
        # earlier in this run (then it may be restarting).
        return issubclass(cls, _RETRIED) or (cls is EndpointUnreachableError and self.reached)

    def _instructor(self, way: str) -> instructor.Instructor:
        with self._lock:
            if way not in self._clients:
                spec = WAYS[way]
                create = self.openai_client.chat.completions.create
                if spec.rewrite:
                    create = _rewriting(create, spec.rewrite)
                create = _sending(create, self.backend.max_transport_retries, self._retried)
                mode = Mode(spec.instructor_mode)
                client = instructor.Instructor(client=self.openai_client,
                                               create=instructor.patch(create=create, mode=mode), mode=mode)
                client.on("completion:response", self._on_response)  # every attempt
                self._clients[way] = client
            return self._clients[way]

    def _error(self, exc: BaseException, way: str, attempts: list[Usage]) -> SummarizerError:
        cls, template, names_format = _classify(exc)
        if self.backend.probes:
            fix = f"tried --mode {', '.join(self._tried)}; check --model, or the server's log"
        else:
            fix = f"check --mode (now {way}; --mode auto tries the ways this server accepts) and --model"
        message = template.format(
            where=self.where, tries=_tries(exc), timeout=f"{self.backend.timeout:g}" if self.backend.timeout else "-",
            cause=_first_line(str(exc.__cause__ or exc)), status=getattr(exc, "status_code", ""), way=way, fix=fix,
            detail=_detail(exc) if isinstance(exc, openai.APIStatusError) else "")
        if issubclass(cls, RequestRejectedError):
            return cls(message, attempts, names_format=names_format)
        if issubclass(cls, BackendError):
            return cls(message, attempts)
        return cls(message)

    def _fall_back(self, way: str) -> bool:
        """After ``way`` was refused: move to the next way of the auto chain; False when none is left."""
        if not self.backend.probes:
            return False
        with self._lock:
            if self._ways[0] != way:
                return True  # another thread already moved on
            if len(self._ways) == 1:
                return False
            self._refused.append(way)
            self._ways.pop(0)
            return True

    def _honoured(self, way: str) -> bool:
        """While probing, a ``grammar`` reply must be compact: a server that ignores the field (it is
        not OpenAI's) decodes freely, and that way then counts as refused."""
        if way != "grammar" or not self.backend.probes or self._settled or way == self._remembered:
            return True
        return is_compact_json(getattr(self._local, "content", None) or "")

    def _settle(self, way: str) -> None:
        """Say once which way --mode auto uses, and remember it for this endpoint."""
        with self._lock:
            if self._settled or not self.backend.probes:
                return
            self._settled = True
        if way == self._remembered and not self._refused:
            self.notice(f"--mode auto: using {way} for {self.where}, as remembered in {self._memory.path}")
            return
        self._memory.put(self._memory_key, way, self._refused)
        refused = f" refused {', '.join(self._refused)};" if self._refused else ""
        loose = "" if WAYS[way].constrained else " (decoding not constrained: the schema goes into the prompt)"
        self.notice(f"--mode auto: {self.where}{refused} using {way}{loose}; remembered in {self._memory.path}")

    def call(self, messages: list[dict[str, str]], response_model: type[BaseModel],
             context: dict[str, Any], generation: dict[str, Any]) -> CallResult:
        self._local.attempts = attempts = []
        try:
            while True:
                way = self.way
                try:
                    draft = self._create(way, messages, response_model, context, generation, attempts)
                except RequestRejectedError as exc:
                    if exc.names_format and self._fall_back(way):
                        continue
                    raise
                if not self._honoured(way) and self._fall_back(way):
                    continue
                self._settle(way)
                return CallResult(draft=draft, attempts=attempts)
        finally:
            self._local.attempts = None

    def _create(self, way: str, messages: list[dict[str, str]], response_model: type[BaseModel],
                context: dict[str, Any], generation: dict[str, Any], attempts: list[Usage]) -> BaseModel:
        try:
            with grounding.grounded_in(context):  # not instructor's `context`: see grounding._GROUNDS
                return self._instructor(way).chat.completions.create(
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
                raise self._error(cause, way, attempts) from cause
            raise ExtractionError(_describe_invalid(exc), attempts) from exc
        except openai.APIError as exc:
            raise self._error(exc, way, attempts) from exc


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


def connect(backend: Backend, settings: Settings, notice: Callable[[str], None] | None = None, *,
            stored_only: bool = False) -> ModelClient:
    """A ModelClient over ``backend`` (see :func:`summarizer.backend.select`); ``notice`` gets the one
    line --mode auto says (stderr by default); ``stored_only``: see :func:`open_transport`."""
    transport, sent_through = open_transport(backend, settings, stored_only=stored_only)
    # httpx (not openai 3's httpx2): backends' transports and the error table above are httpx's.
    http_client = httpx.Client(transport=sent_through, timeout=backend.timeout)
    client = openai.OpenAI(api_key=backend.api_key, base_url=backend.base_url, timeout=backend.timeout,
                           max_retries=0, http_client=http_client)
    return ModelClient(backend=backend, settings=settings, openai_client=client, transport=transport,
                       notice=notice or _stderr)
