"""Throughput against a loopback OpenAI-compatible server with a fixed reply latency.

    .venv/bin/python bench/concurrency.py [--articles 200] [--latency 0.3]

For concurrency 1, 8 and 32: wall time, articles per second, and the ratio to the
ideal (articles x latency / concurrency). Then a fully cached rerun of the same
articles through the real CLI in a fresh process (start-up included).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.articles import collect  # noqa: E402
from summarizer.config import Settings  # noqa: E402
from summarizer.pipeline import BriefRunner  # noqa: E402
from tests.openai_stub import ScriptedServer  # noqa: E402
from tests.test_scale import synthetic_articles, synthetic_responder  # noqa: E402


def _serve(latency: float, queue: multiprocessing.Queue) -> None:
    """The loopback server in its own process, as a real endpoint would be: it must not share our GIL."""
    server = ScriptedServer(responder=synthetic_responder(delay=latency)).start()
    queue.put(server.url)
    while True:
        time.sleep(3600)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--concurrency", type=int, nargs="*", default=[1, 8, 32])
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="summarizer-bench-"))
    folder = synthetic_articles(work / "articles", args.articles)
    items = collect([str(folder)])
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    server = context.Process(target=_serve, args=(args.latency, queue), daemon=True)
    server.start()
    url = queue.get(timeout=30)
    try:
        # Warm up once (imports, first connection) so each timed run measures throughput only.
        warm = Settings(backend="openai", base_url=url, api_key="bench", cache_dir=work / "cache-warm")
        list(BriefRunner(warm).run(collect([str(synthetic_articles(work / "warm", 1))])))
        for concurrency in args.concurrency:
            settings = Settings(backend="openai", base_url=url, api_key="bench", model="gpt-4o-mini",
                                cache_dir=work / f"cache-{concurrency}", concurrency=concurrency)
            runner = BriefRunner(settings)
            started = time.perf_counter()
            outcomes = list(runner.run(items))
            wall = time.perf_counter() - started
            ideal = args.articles * args.latency / concurrency
            failed = sum(not o.ok for o in outcomes)
            print(f"concurrency {concurrency:2d}: {wall:6.2f} s, {args.articles / wall:6.1f} articles/s, "
                  f"{ideal / wall:5.1%} of ideal ({ideal:.2f} s); {runner.ledger.calls} calls; failed {failed}",
                  flush=True)
        env = {**os.environ, "OPENAI_BASE_URL": url, "OPENAI_API_KEY": "bench",
               "SUMMARIZER_MODEL": "gpt-4o-mini", "SUMMARIZER_CACHE_DIR": str(work / "cache-32")}
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "summarizer", "brief", str(folder), "-f", "jsonl"],
                              env=env, capture_output=True, text=True)
        wall = time.perf_counter() - started
        lines = proc.stdout.count("\n")
        print(f"cached rerun of {args.articles} through the CLI (new process): {wall:.2f} s, "
              f"{args.articles / wall:.0f} articles/s, {lines} briefs, exit {proc.returncode}; "
              f"{proc.stderr.strip().splitlines()[-1]}")
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
