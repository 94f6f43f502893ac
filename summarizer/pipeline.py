"""Many articles to briefs: read, look up the cache, extract what is missing, keep going on errors.

The model is connected lazily: a run served entirely from the cache loads no
model and sends no request.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from . import endpoint, prompts
from .articles import Article, collect
from .cache import BriefCache
from .config import Settings
from .errors import ArticleError, SummarizerError
from .extract import Extractor, cache_key
from .schema import Brief

if TYPE_CHECKING:
    from .llm import ModelClient


@dataclass
class Outcome:
    source: str
    article_id: str | None
    brief: Brief | None = None
    error: str | None = None
    cached: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.brief is not None


ProgressHook = Callable[[str, "Outcome | None"], None]  # (event, outcome): "start" / "done"


class BriefRunner:
    """Extraction with caching, for one configuration. Reusable across calls (the model stays loaded)."""

    def __init__(self, settings: Settings, *, model: ModelClient | None = None):
        self.settings = settings
        self.prompt = prompts.load(settings.prompt)
        self.cache = BriefCache(settings.cache_dir)
        self._model = model
        self._identity: dict | None = model.identity if model else None

    @property
    def label(self) -> str:
        """'brief@v3 on <model>' for reports."""
        model = self._model.request_model if self._model else (self.settings.model or self.settings.resolved_backend)
        return f"{self.prompt.ref} on {model}"

    @property
    def extractor(self) -> Extractor:
        if self._model is None:
            from . import llm  # the model clients load only when a brief is not in the cache

            self._model = llm.connect(self.settings)
        return Extractor(self._model, self.prompt, self.settings)

    @property
    def identity(self) -> dict:
        if self._identity is None:
            self._identity = endpoint.identity(self.settings)
        return self._identity

    def brief(self, article: Article) -> Outcome:
        started = time.perf_counter()
        outcome = Outcome(source=article.source, article_id=article.id)
        try:
            key = cache_key(article, self.prompt, self.settings, self.identity)
            use_cache = self.settings.use_cache
            if use_cache and not self.settings.refresh:
                cached = self.cache.get(key)
                if cached is not None:
                    outcome.brief, outcome.cached = cached, True
            if outcome.brief is None:
                outcome.brief = self.extractor.extract(article)
                if use_cache:
                    self.cache.put(key, outcome.brief)
        except SummarizerError as exc:
            outcome.error = _with_source(str(exc), article.source)
        outcome.seconds = time.perf_counter() - started
        return outcome

    def run(self, items: list[Article | ArticleError], on_event: ProgressHook | None = None) -> Iterator[Outcome]:
        for item in items:
            if isinstance(item, ArticleError):
                outcome = Outcome(source=str(item).split(":", 1)[0], article_id=None, error=str(item))
            else:
                if on_event:
                    on_event("start", Outcome(source=item.source, article_id=item.id))
                outcome = self.brief(item)
            if on_event:
                on_event("done", outcome)
            yield outcome


def _with_source(message: str, source: str) -> str:
    return message if message.startswith(source) else f"{source}: {message}"


def brief_paths(paths: list[str], settings: Settings, *, stdin: TextIO | None = None,
                on_event: ProgressHook | None = None) -> list[Outcome]:
    """Library entry point: briefs for files, folders, globs or '-' (stdin)."""
    runner = BriefRunner(settings)
    return list(runner.run(collect(paths, stdin=stdin), on_event=on_event))
