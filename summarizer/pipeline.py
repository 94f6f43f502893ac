"""Many articles to briefs: read, look up the cache, extract what is missing, keep going on errors.

The model is connected lazily: a run served entirely from the cache loads no
model and sends no request. Briefs that the stored replies can re-derive (after a
change to the code after the model) are re-derived first, on every core, in
worker processes that have no model; only the main process asks the model.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, as_completed, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from . import backend as backends
from . import enrich, prompts, replay
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
    rederived: bool = False  # derived from stored replies alone, in a worker process

    @property
    def ok(self) -> bool:
        return self.brief is not None


ProgressHook = Callable[[str, "Outcome | None"], None]  # (event, outcome): "start" / "done"


class BriefRunner:
    """Extraction with caching, for one configuration. Reusable across calls (the model stays loaded)."""

    def __init__(self, settings: Settings, *, model: ModelClient | None = None, quiet: bool = False,
                 stored_only: bool = False):
        self.settings = settings
        self.quiet = quiet  # no notices on stderr (the way --mode auto chose)
        self.stored_only = stored_only  # a re-deriving worker: no model, see replay.StoredOnly
        self._pool: ProcessPoolExecutor | None = None  # the re-deriving workers, kept for the next run()
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

                self._model = llm.connect(self.backend, self.settings, notice=(lambda line: None) if self.quiet else None,
                                          stored_only=self.stored_only)
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

        done: dict[int, Outcome] = self._rederive(items, event)
        pending: dict[Future, int] = {}
        queue = deque((i, item) for i, item in enumerate(items) if i not in done)
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
        while next_out in done:  # every article was re-derived before the loop
            yield done.pop(next_out)
            next_out += 1

    def _rederive(self, items: list[Article | ArticleError], event: Callable[[str, Outcome], None]) -> dict[int, Outcome]:
        """The briefs the reply store can re-derive with no model call, by index: worked out in
        ``replay_processes`` worker processes (re-deriving is pure CPU: threads would share one core). The
        workers are spawned: like any multiprocessing user, a calling script needs ``if __name__ == "__main__":``.
        The command line sets one per core (:func:`replay_processes`); the library default (None) is none.
        An article that needs the model is left for the main loop; so is everything when the pool breaks."""
        processes = self.settings.replay_processes or 1
        if (processes < 2 or self.stored_only or not self.settings.use_cache or self.settings.refresh
                or self.settings.max_tokens_total is not None or self.settings.max_cost is not None):
            return {}
        # Existence only: the main loop reads the cached briefs; a corrupt one is re-derived there.
        todo = [(i, item) for i, item in enumerate(items) if isinstance(item, Article)
                and not self.cache.has(cache_key(item, self.prompt, self.settings, self.identity))]
        if (len(todo) < _MIN_REDERIVED and self._pool is None) or not todo or not self.settings.replies_dir.is_dir():
            return {}  # a few articles: starting the workers would cost more than it saves, unless they run
        found: dict[int, Outcome] = {}
        pool = self._replay_pool(min(processes, len(todo)))
        futures = {pool.submit(_rederive_one, item): (index, item) for index, item in todo}
        try:
            for future in as_completed(futures):
                outcome = future.result()
                if outcome is None:
                    continue  # needs the model: the main loop asks it
                index, item = futures[future]
                outcome.rederived = True
                found[index] = outcome
                self.ledger.record(item.id, outcome.attempts, cached=False, failed=outcome.error is not None)
                event("start", outcome)
                event("done", outcome)
        except BrokenProcessPool:
            self._pool = None  # a worker died (out of memory, killed): what is left runs here, one by one
        finally:
            for future in futures:
                future.cancel()  # after Ctrl-C or an error: nothing queued is started
        return found

    def _replay_pool(self, processes: int) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn, not fork: the caller may run threads (the progress display), and a forked lock stays locked.
            self._pool = ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_start_worker, initargs=(self.settings,))
        return self._pool

    def close(self) -> None:
        """Stop the re-deriving worker processes, if any ran. Left to the interpreter's exit, Python 3.11's
        pool can race its own shutdown and print a traceback: callers close the runner (``with``)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> BriefRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# Re-deriving in worker processes pays ~2 s of imports per process: worth it from a few articles on, and more
# than four processes would mostly wait on the disk.
_MIN_REDERIVED = 8
_MAX_REPLAY_PROCESSES = 4
_worker: BriefRunner | None = None


def replay_processes() -> int:
    """One re-deriving worker process per core this process may use, up to four."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(cores, _MAX_REPLAY_PROCESSES)


def _start_worker(settings: Settings) -> None:
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's: it cancels what is queued
    _worker = BriefRunner(settings, quiet=True, stored_only=True)


def _rederive_one(article: Article) -> Outcome | None:
    """The article's outcome from stored replies alone, or None when it needs the model."""
    assert _worker is not None, "worker not started"
    try:
        return _worker.brief(article)
    except replay.ReplyNotStored:
        return None


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
    with BriefRunner(settings) as runner:
        return list(runner.run(collect(paths, stdin=stdin), on_event=on_event))
