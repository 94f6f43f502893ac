"""Many articles to briefs: read, look up the cache, extract what is missing, keep going on errors.

The model is connected lazily: a run served entirely from the cache loads no
model and sends no request.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from . import backend as backends
from . import enrich, prompts
from .articles import Article, collect
from .cache import BriefCache
from .config import Settings
from .errors import ArticleError, ConfigError, SummarizerError
from .extract import Extractor, cache_key
from .ledger import Ledger
from .schema import Brief, Usage

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
    attempts: list[Usage] = field(default_factory=list)  # calls made for it in this run
    skipped: bool = False  # not started: the budget was reached

    @property
    def ok(self) -> bool:
        return self.brief is not None


ProgressHook = Callable[[str, "Outcome | None"], None]  # (event, outcome): "start" / "done"


class BriefRunner:
    """Extraction with caching, for one configuration. Reusable across calls (the model stays loaded)."""

    def __init__(self, settings: Settings, *, model: ModelClient | None = None, quiet: bool = False):
        self.settings = settings
        self.quiet = quiet  # no notices on stderr (the way --mode auto chose)
        self.prompt = prompts.load(settings.prompt)
        self.cache = BriefCache(settings.cache_dir)
        if settings.use_cache:
            self.cache.prepare()  # an unwritable cache folder is a configuration error, before any request
        self._model = model
        self._identity: dict | None = model.identity if model else None
        self._connect_lock = threading.Lock()
        self.backend = model.backend if model else backends.select(settings)  # a bad endpoint URL fails here
        self.ledger = Ledger(self.backend.price)
        if settings.max_cost is not None and self.ledger.price is None:
            # A budget that cannot be priced would never stop the run.
            priced_model = self.backend.request_model
            raise ConfigError(
                f"--max-cost needs a price for model {priced_model!r}, which the price table lacks; add it to the "
                f"config file under [prices], e.g. \"{priced_model}\" = [0.15, 0.60] (USD per million input, "
                "output tokens), or use --max-tokens-total")

    @property
    def label(self) -> str:
        """'brief@v3 on <model>' for reports."""
        if self._model is not None:
            return f"{self.prompt.ref} on {self._model.request_model}"
        name = self.settings.model or Path(str(self.identity.get("model"))).stem
        return f"{self.prompt.ref} on {name}"

    @property
    def extractor(self) -> Extractor:
        with self._connect_lock:
            if self._model is None:
                from . import llm  # the model clients load only when a brief is not in the cache

                self._model = llm.connect(self.backend, self.settings, notice=(lambda line: None) if self.quiet else None)
        return Extractor(self._model, self.prompt, self.settings)

    @property
    def identity(self) -> dict:
        if self._identity is None:
            self._identity = self.backend.identity()
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
                outcome.attempts = list(outcome.brief.provenance.attempts) if outcome.brief.provenance else []
                if use_cache:
                    self.cache.put(key, outcome.brief)
            # After the cache, which keys on the text alone: the same text from a file, a page or a
            # feed row is one entry, and each gets its own source and metadata.
            brief = enrich.with_metadata(outcome.brief, article.published, article.title)
            outcome.brief = brief.model_copy(update={"source": article.where})
        except SummarizerError as exc:
            if getattr(exc, "stops_run", False):
                raise  # e.g. nothing listens at the endpoint: every article would fail the same way
            outcome.error = _with_source(str(exc), article.source)
            outcome.attempts = list(getattr(exc, "attempts", []))
        outcome.seconds = time.perf_counter() - started
        self.ledger.record(article.id, outcome.attempts, cached=outcome.cached, failed=outcome.error is not None)
        return outcome

    @property
    def workers(self) -> int:
        return self.backend.workers

    def run(self, items: list[Article | ArticleError], on_event: ProgressHook | None = None) -> Iterator[Outcome]:
        """Outcomes in input order; up to ``workers`` articles in flight; no new article once the
        budget is spent."""
        def event(name: str, outcome: Outcome) -> None:
            if on_event:
                on_event(name, outcome)

        done: dict[int, Outcome] = {}
        pending: dict[Future, int] = {}
        queue = deque(enumerate(items))
        next_out = 0
        # One article in flight (the embedded model): run it here; a worker thread would only add switching.
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="brief") if self.workers > 1 \
                else _InThisThread() as pool:
            while queue or pending:
                while queue and len(pending) < self.workers:
                    index, item = queue.popleft()
                    if isinstance(item, ArticleError):
                        done[index] = Outcome(source=str(item).split(":", 1)[0], article_id=None, error=str(item))
                        self.ledger.record(None, [], cached=False, failed=True)
                        event("done", done[index])
                        continue
                    why = self.ledger.exhausted(self.settings.max_tokens_total, self.settings.max_cost)
                    if why:
                        done[index] = Outcome(source=item.source, article_id=item.id, skipped=True,
                                              error=f"{item.source}: not started: {why}")
                        self.ledger.skipped += 1
                        event("done", done[index])
                        continue
                    event("start", Outcome(source=item.source, article_id=item.id))
                    pending[pool.submit(self.brief, item)] = index
                if pending:
                    finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in finished:
                        index = pending.pop(future)
                        done[index] = future.result()
                        event("done", done[index])
                while next_out in done:
                    yield done.pop(next_out)
                    next_out += 1


class _InThisThread:
    """An executor for one article at a time: runs it when submitted, in the caller's thread."""

    def __enter__(self) -> _InThisThread:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def submit(self, fn: Callable[..., Outcome], *args: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args))
        except BaseException as exc:  # noqa: BLE001 - re-raised by future.result(), as a worker's would be
            future.set_exception(exc)
        return future


def _with_source(message: str, source: str) -> str:
    return message if message.startswith(source) else f"{source}: {message}"


def brief_paths(paths: list[str], settings: Settings, *, stdin: TextIO | None = None,
                on_event: ProgressHook | None = None) -> list[Outcome]:
    """Library entry point: briefs for files, folders, globs or '-' (stdin)."""
    runner = BriefRunner(settings)
    return list(runner.run(collect(paths, stdin=stdin), on_event=on_event))
