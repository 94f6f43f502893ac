"""Export the model's raw replies for every labelled set from the reply store into tests/recorded.

    .venv/bin/python bench/record.py [--prompt brief@v4] [--replies DIR]

Run it after `summarizer eval` has answered every set with the embedded model (the replies are then in
the store; no model is loaded here). Each file ``tests/recorded/<prompt>/<set>.json`` maps an article id
to its replies, each keyed by the hash of the exact messages that asked for it, so the regression test
(tests/test_recorded.py) can answer the same requests through a loopback server without the model.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer import evaluate, prompts  # noqa: E402
from summarizer.config import load_settings  # noqa: E402
from summarizer.extract import render_messages  # noqa: E402
from summarizer.replay import ReplyStore, messages_key  # noqa: E402


def labelled_sets() -> dict[str, list[evaluate.LabelledArticle]]:
    return {s.name: s.load() for s in evaluate.discover_sets(ROOT / "evals")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompt", default="brief@v4")
    parser.add_argument("--replies", type=Path, default=None, help="reply store (default: the cache's)")
    args = parser.parse_args()
    settings = load_settings(prompt=args.prompt)
    store = ReplyStore(args.replies or settings.replies_dir)
    entries = [json.loads(p.read_bytes()) for p in store.entries()]
    out_dir = ROOT / "tests" / "recorded" / args.prompt
    out_dir.mkdir(parents=True, exist_ok=True)
    prompt = prompts.load(args.prompt)
    for name, labelled in labelled_sets().items():
        recorded: dict[str, dict[str, str]] = {}
        for item in labelled:
            first = render_messages(prompt, item.article)  # this prompt's opening for this article
            replies = {}
            for entry in entries:
                request = entry["request"]
                if request.get("messages", [])[:len(first)] != first:
                    continue
                replies[messages_key(request)] = entry["reply"]["choices"][0]["message"].get("content") or ""
            recorded[item.article.id] = replies
        missing = [a for a, r in recorded.items() if not r]
        (out_dir / f"{name}.json").write_text(json.dumps(recorded, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
        print(f"{name}: {sum(map(len, recorded.values()))} replies for {len(recorded) - len(missing)} of "
              f"{len(recorded)} articles" + (f"; none for {', '.join(missing)}" if missing else ""))


if __name__ == "__main__":
    main()
