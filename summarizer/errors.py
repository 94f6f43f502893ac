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
