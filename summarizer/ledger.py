"""The cost ledger: tokens of every attempt (re-asks and follow-ups included), per article and per
run, priced per model, with the cache hit rate and a budget that stops new work when reached."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from .schema import Usage

# USD per million tokens (input, output), as published by OpenAI; override or extend with
# `[prices]` in the config file, e.g. "my-model" = [0.5, 1.5]. The embedded model costs nothing.
PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "o4-mini": (1.10, 4.40),
}


def price_of(model: str, backend: str, extra: dict[str, list[float]] | None = None) -> tuple[float, float] | None:
    if backend == "local":
        return (0.0, 0.0)
    table = {**PRICES, **{k: (float(v[0]), float(v[1])) for k, v in (extra or {}).items()}}
    return table.get(model)


@dataclass
class Ledger:
    price: tuple[float, float] | None  # None: unknown, cost not computed
    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0
    articles: int = 0
    cached: int = 0
    failed: int = 0
    skipped: int = 0
    per_article: dict[str, Usage] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, article_id: str | None, attempts: list[Usage], *, cached: bool, failed: bool) -> None:
        with self._lock:
            self.articles += 1
            self.cached += cached
            self.failed += failed
            self.calls += len(attempts)
            usage = Usage(prompt_tokens=sum(a.prompt_tokens for a in attempts),
                          completion_tokens=sum(a.completion_tokens for a in attempts))
            self.prompt_tokens += usage.prompt_tokens
            self.completion_tokens += usage.completion_tokens
            if article_id is not None:
                self.per_article[article_id] = usage

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def cost(self) -> float | None:
        if self.price is None:
            return None
        return (self.prompt_tokens * self.price[0] + self.completion_tokens * self.price[1]) / 1_000_000

    @property
    def hit_rate(self) -> float:
        return self.cached / self.articles if self.articles else 0.0

    def exhausted(self, max_tokens: int | None, max_cost: float | None) -> str | None:
        """Why no new article may start, or None."""
        if max_tokens is not None and self.total_tokens >= max_tokens:
            return f"token budget of {max_tokens:,} reached ({self.total_tokens:,} spent)"
        if max_cost is not None and self.cost is not None and self.cost >= max_cost:
            return f"cost budget of ${max_cost:g} reached (${self.cost:.4f} spent)"
        return None

    def summary(self, seconds: float) -> str:
        done = self.articles - self.failed
        cost = "cost unknown (no price for this model)" if self.cost is None else f"${self.cost:.4f}"
        skipped = f", {self.skipped} not started (budget)" if self.skipped else ""
        return (f"{done} brief(s), {self.cached} from cache (hit rate {self.hit_rate:.0%}), {self.failed} failed"
                f"{skipped}; {self.prompt_tokens:,} prompt + {self.completion_tokens:,} output tokens "
                f"over {self.calls} call(s), {cost}; {seconds:.1f}s")
