"""Re-score every labelled set from the stored replies, as after a change to code after the model.

    .venv/bin/python bench/rescore.py [--prompt brief@v4]

Every brief is re-derived from the model's raw replies in the reply store (the briefs go to an empty
temporary cache beside a link to the store), as `summarizer eval` does it: on every core, in worker
processes with no model (`SUMMARIZER_REPLAY_PROCESSES=1` for one process). Prints the seconds it took and
how many requests the store could not answer (those would need the model: this script refuses to load
it and counts them).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

started = time.perf_counter()

import httpx  # noqa: E402

from summarizer.cache import REPLIES  # noqa: E402
from summarizer.config import load_settings  # noqa: E402
from summarizer.evaluate import discover_sets, from_outcomes  # noqa: E402
from summarizer.local_llm import LlamaTransport  # noqa: E402
from summarizer.pipeline import BriefRunner, replay_processes  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompt", default=None)
    args = parser.parse_args()
    refused = []

    def no_model(self, request):  # the reply store must answer everything: never load the model
        refused.append(request.url.path)
        return httpx.Response(400, json={"error": {"message": "not in the reply store"}})

    LlamaTransport.handle_request = no_model
    store = load_settings(prompt=args.prompt).replies_dir
    if not store.is_dir():
        sys.exit(f"{store}: no stored replies to re-derive from (set SUMMARIZER_CACHE_DIR to a filled cache)")
    with tempfile.TemporaryDirectory(prefix="rescore-") as empty:
        (Path(empty) / REPLIES).symlink_to(store.resolve(), target_is_directory=True)
        os.environ["SUMMARIZER_CACHE_DIR"] = empty  # no brief from an earlier run: every one is re-derived
        settings = load_settings(prompt=args.prompt)
        if settings.replay_processes is None:
            settings = settings.with_overrides(replay_processes=replay_processes())  # as the command line does
        rows = []
        with BriefRunner(settings) as runner:  # one for every set, as `summarizer eval` has
            for labelled_set in discover_sets(ROOT / "evals"):
                labelled = labelled_set.load()
                t0 = time.perf_counter()
                run = from_outcomes(runner.label, labelled, list(runner.run([i.article for i in labelled])))
                rows.append((labelled_set.name, len(labelled), run.report.fields()["overall"], len(run.errors),
                             time.perf_counter() - t0))
    total = time.perf_counter() - started
    for name, n, overall, errors, secs in rows:
        print(f"{name}: {n} articles, overall {overall:.3f}, {errors} failed, {secs:.2f} s")
    print(f"total {total:.2f} s for {sum(r[1] for r in rows)} articles (imports included); "
          f"requests the store could not answer: {len(refused)} (in the main process; a worker leaves such an "
          f"article to it)")


if __name__ == "__main__":
    main()
