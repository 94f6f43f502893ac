"""Re-score every labelled set from the stored replies, as after a change to code after the model.

    .venv/bin/python bench/rescore.py [--prompt brief@v4]

Every brief is re-derived (the brief cache is bypassed: neither read nor written) from the model's
raw replies in the reply store; prints the seconds it took, how many requests the store answered and
how many it could not (those would need the model: this script refuses to load it and counts them).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

started = time.perf_counter()

import httpx  # noqa: E402

from summarizer.cache import BriefCache  # noqa: E402
from summarizer.config import load_settings  # noqa: E402
from summarizer.evaluate import discover_sets, run_model  # noqa: E402
from summarizer.local_llm import LlamaTransport  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompt", default=None)
    args = parser.parse_args()
    BriefCache.get = lambda self, key: None  # every brief is re-derived from the stored replies
    BriefCache.put = lambda self, key, brief: None
    refused = []

    def no_model(self, request):  # the reply store must answer everything: never load the model
        refused.append(request.url.path)
        return httpx.Response(400, json={"error": {"message": "not in the reply store"}})

    LlamaTransport.handle_request = no_model
    settings = load_settings(prompt=args.prompt)
    rows = []
    for labelled_set in discover_sets(ROOT / "evals"):
        labelled = labelled_set.load()
        t0 = time.perf_counter()
        run = run_model(settings, labelled)
        rows.append((labelled_set.name, len(labelled), run.report.fields()["overall"], len(run.errors),
                     time.perf_counter() - t0))
    total = time.perf_counter() - started
    for name, n, overall, errors, secs in rows:
        print(f"{name}: {n} articles, overall {overall:.3f}, {errors} failed, {secs:.2f} s")
    print(f"total {total:.2f} s for {sum(r[1] for r in rows)} articles (imports included); "
          f"requests the store could not answer: {len(refused)}")


if __name__ == "__main__":
    main()
