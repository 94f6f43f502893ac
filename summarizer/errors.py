"""Specific exceptions, each with a message a person can act on."""

from __future__ import annotations


def describe_validation(exc: Exception, limit: int = 3) -> str:
    """A pydantic ValidationError as one line: 'meetings.0.format: Input should be ...; ...'."""
    errors = getattr(exc, "errors", None)
    if not callable(errors):
        return " ".join(str(exc).split())
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'reply'}: {e['msg']}" for e in errors()[:limit])


class SummarizerError(Exception):
    """Base class for every error this package raises on purpose."""


class ConfigError(SummarizerError):
    """The configuration (env, config file, flags) is incomplete or contradictory."""

    stops_run = True  # every article would fail the same way


class ArticleError(SummarizerError):
    """An input article cannot be read or used (missing, empty, binary, not UTF-8)."""


class PromptError(SummarizerError):
    """A prompt file is missing or malformed, or a prompt reference is unknown."""


class ModelFileError(SummarizerError):
    """The embedded model's weights are missing, incomplete or fail verification."""


class BackendError(SummarizerError):
    """The model endpoint failed after retries (transport faults, refusals)."""

    def __init__(self, message: str, attempts: list | None = None):
        super().__init__(message)
        self.attempts = attempts or []  # usage of the calls that did answer, for the cost ledger


class ExtractionError(SummarizerError):
    """The model's replies never became a valid, grounded brief within the re-ask budget."""

    def __init__(self, message: str, attempts: list | None = None):
        super().__init__(message)
        self.attempts = attempts or []


class ArticleTooLongError(ArticleError):
    """The article does not fit the model's context window."""


class GoldError(SummarizerError):
    """A hand-labelled gold file is invalid."""


class EvalSetError(SummarizerError):
    """An evaluation set asked for does not exist, or there is none to score."""


class PredictionsError(SummarizerError):
    """A predictions folder to score is missing, or holds no brief for a set's articles."""


# What can go wrong between us and the model, one class each (llm.py maps transport errors to them in one table).
class EndpointUnreachableError(BackendError):
    """Nothing answers at the configured address: every article would fail the same way, so the run stops."""

    stops_run = True


class EndpointTimeoutError(BackendError):
    """The server accepted the request but did not answer within --timeout."""


class ConnectionDroppedError(BackendError):
    """The server closed the connection without a reply (crashed, restarted, or a proxy gave up)."""


class RequestRejectedError(BackendError):
    """The server refused the request itself (a 4xx, or a 5xx naming a parameter): retrying cannot help."""

    def __init__(self, message: str, attempts: list | None = None, *, names_format: bool = False):
        super().__init__(message, attempts)
        self.names_format = names_format  # the refusal is about the structured-output way: another may work


class AuthError(RequestRejectedError):
    """The server refused our credentials (HTTP 401/403)."""


class RateLimitedError(BackendError):
    """HTTP 429 persisted through every retry."""


class ServerFaultError(BackendError):
    """The server failed (5xx) on every retry."""
