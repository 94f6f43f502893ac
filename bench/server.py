"""Seconds per article: the embedded model in-process vs the same GGUF behind llama-cpp-python's server.

    .venv/bin/python bench/server.py [--prompt brief@v4] [--articles seeds/]

Both runs are cold (empty caches), one after the other (never at once: two model processes on two
cores are many times slower), with the same settings (n_ctx 4096, 2 threads, default prompt). The
server run uses default settings, so --mode auto's probing is part of its first article. Prints each
article's seconds both ways, the ratio, prompt/output tokens, and whether the participants agree.
Needs the `server` extra (make test installs it).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer import backend, llm  # noqa: E402
from summarizer.articles import collect  # noqa: E402
from summarizer.config import load_settings  # noqa: E402
from summarizer.pipeline import BriefRunner, Outcome  # noqa: E402
from tests.llama_server import llama_server  # noqa: E402

THREADS = 2


def run(settings, articles: str, label: str) -> tuple[dict[str, Outcome], float]:
    started = time.perf_counter()
    model = llm.connect(backend.select(settings), settings)
    if hasattr(model.transport, "load"):
        model.transport.load()  # the server loads before it answers: time articles, not the load, both ways
    runner = BriefRunner(settings, model=model)
    out: dict[str, Outcome] = {}
    for item in collect([articles]):
        outcome = runner.brief(item)
        out[item.id] = outcome
        tokens = outcome.brief.provenance.usage if outcome.brief and outcome.brief.provenance else None
        print(f"  {label:10} {item.id}: {outcome.seconds:6.1f} s  prompt {tokens.prompt_tokens if tokens else 0:5d}  "
              f"output {tokens.completion_tokens if tokens else 0:4d}  {outcome.error or ''}", flush=True)
    total = time.perf_counter() - started
    print(f"  {label}: mode {model.way}, total {total:.1f} s incl. connect/load", flush=True)
    return out, total


def participants(outcome: Outcome) -> list[list[str]]:
    if outcome.brief is None:
        return []
    return sorted(sorted(p.name for p in m.participants) for m in outcome.brief.meetings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompt", default=None)
    parser.add_argument("--articles", default=str(ROOT / "seeds"))
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        local = load_settings(prompt=args.prompt, cache_dir=Path(tmp) / "local", backend="local",
                              n_threads=THREADS, use_cache=False)
        print(f"in-process ({local.prompt}, n_ctx {local.n_ctx}, {THREADS} threads)", flush=True)
        inproc, _ = run(local, args.articles, "in-process")
        gc.collect()  # let the in-process model go before the server loads its own copy

        model_path = backend.select(local).path  # the same GGUF file
        with llama_server(model_path, n_ctx=local.n_ctx, n_threads=THREADS, log=Path(tmp) / "server.log") as url:
            remote = load_settings(prompt=args.prompt, cache_dir=Path(tmp) / "server", backend="openai",
                                   base_url=url, model=model_path.stem, use_cache=False, timeout=600.0)
            print(f"llama-cpp-python server at {url} (default settings: --mode auto)", flush=True)
            served, _ = run(remote, args.articles, "server")

    print("\narticle                   in-process   server   ratio   same participants")
    ratios = []
    for article_id, here in inproc.items():
        there = served[article_id]
        ratio = there.seconds / here.seconds if here.seconds else float("nan")
        ratios.append(ratio)
        print(f"{article_id:25} {here.seconds:8.1f} s {there.seconds:7.1f} s {ratio:6.2f}   "
              f"{participants(here) == participants(there)}")
    a = [o.seconds for o in inproc.values()]
    b = [o.seconds for o in served.values()]
    print(f"median s/article: in-process {statistics.median(a):.1f}, server {statistics.median(b):.1f}; "
          f"mean {statistics.mean(a):.1f} vs {statistics.mean(b):.1f}; total ratio {sum(b) / sum(a):.2f}")


if __name__ == "__main__":
    main()
