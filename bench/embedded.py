"""Benchmark the embedded model on the seeds: seconds per article, prompt/output tokens, peak memory.

    .venv/bin/python bench/embedded.py [--prompt brief@v3] [--record tests/recorded/brief@v3]

Runs cold (no cache), one process, articles in order; the model loads once and keeps
the shared system prompt evaluated between articles. With --record, every raw model
reply is saved so tests can replay it through a loopback server.
"""

from __future__ import annotations

import argparse
import json
import resource
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
from summarizer.evaluate import from_outcomes, load_gold  # noqa: E402
from summarizer.pipeline import BriefRunner  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompt", default=None)
    parser.add_argument("--articles", default=str(ROOT / "seeds"))
    parser.add_argument("--record", type=Path, default=None, help="save raw replies here (one JSON per article)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as cache:
        settings = load_settings(prompt=args.prompt, cache_dir=Path(cache), backend="local")
        started = time.perf_counter()
        model = llm.connect(backend.select(settings), settings)
        runner = BriefRunner(settings, model=model)
        print(f"prompt {settings.prompt}, model {model.request_model}, backend {model.backend.name}")
        rows, outcomes = [], []
        for item in collect([args.articles]):
            if model.transport is not None:
                model.transport.recorded = []
            t0 = time.perf_counter()
            outcome = runner.brief(item)
            seconds = time.perf_counter() - t0
            outcomes.append(outcome)
            attempts = outcome.brief.provenance.attempts if outcome.brief else []
            rows.append((item.id, seconds, sum(a.prompt_tokens for a in attempts),
                         sum(a.completion_tokens for a in attempts), len(attempts), outcome.error))
            print(f"{item.id}: {seconds:6.1f} s  prompt {rows[-1][2]:5d}  output {rows[-1][3]:4d}  "
                  f"calls {rows[-1][4]}  {outcome.error or ''}", flush=True)
            if args.record and model.transport is not None:
                args.record.mkdir(parents=True, exist_ok=True)
                replies = [r["reply"]["choices"][0]["message"]["content"] for r in model.transport.recorded]
                (args.record / f"{item.id}.json").write_text(json.dumps(replies, indent=1, ensure_ascii=False) + "\n")
        total = time.perf_counter() - started
        secs = [r[1] for r in rows]
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        load = getattr(model.transport, "load_seconds", None)
        print(f"median {statistics.median(secs):.1f} s/article, mean {statistics.mean(secs):.1f}, "
              f"max {max(secs):.1f}; total {total:.1f} s incl. model load {load or 0:.1f} s; "
              f"prompt tokens {sum(r[2] for r in rows)}, output tokens {sum(r[3] for r in rows)}; "
              f"peak RSS {peak_mb:.0f} MB")
        gold_dir = ROOT / "evals" / "seeds" / "gold"
        if Path(args.articles).resolve() == (ROOT / "seeds").resolve() and gold_dir.is_dir():
            run = from_outcomes(runner.label, load_gold(gold_dir, Path(args.articles)), outcomes)
            fields = run.report.fields()
            print("scores: " + ", ".join(f"{k} {fields[k]:.3f}" for k in
                                         ("participants_f1", "venue_city_accuracy", "areas_f1", "invitations_f1",
                                          "meeting_count_accuracy", "grounding_rate", "overall")))


if __name__ == "__main__":
    main()
