"""The seeds through a real OpenAI-compatible server (llama-cpp-python's, the embedded GGUF) with
default settings: --mode auto must find the server's way and score as the embedded model does in-process.
Slow (several minutes on two cores: the seeds in-process, then through the server); runs in `make test`,
which installs the `server` extra."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.config import Settings

from .conftest import ROOT
from .llama_server import llama_server

MODELS_DIR = Settings().models_dir  # read before the tests isolate XDG folders
MODEL = MODELS_DIR / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not MODEL.is_file(), reason="embedded model not fetched (make model)"),
]


SEED_004 = ROOT / "seeds" / "004_9d4b908a07068cec.txt"


def _eval_seeds(tmp_path: Path, name: str, **env: str) -> tuple[float, str, list[str]]:
    """Overall score on the seeds set through the real CLI (cold cache), its stderr, and seed 004's
    participants (from the same cache: no second model call)."""
    runs = tmp_path / f"runs-{name}"
    full_env = {**os.environ, "SUMMARIZER_MODELS_DIR": str(MODELS_DIR), "SUMMARIZER_CONFIG": str(tmp_path / "none"),
                "SUMMARIZER_CACHE_DIR": str(tmp_path / f"cache-{name}"), **env}
    proc = subprocess.run([sys.executable, "-m", "summarizer", "eval", "--set", "seeds", "--runs", str(runs)],
                          capture_output=True, text=True, env=full_env, cwd=ROOT, timeout=1500)
    assert proc.returncode == 0, proc.stderr
    [run] = list(runs.iterdir())
    brief = subprocess.run([sys.executable, "-m", "summarizer", "brief", str(SEED_004), "-f", "json", "-q"],
                           capture_output=True, text=True, env=full_env, cwd=ROOT, timeout=300)
    assert brief.returncode == 0, brief.stderr
    people = sorted(p["name"] for m in json.loads(brief.stdout)["meetings"] for p in m["participants"])
    return json.loads((run / "results.json").read_text())[0]["fields"]["overall"], proc.stderr, people


def test_seeds_through_llama_cpp_server_with_default_settings_score_as_in_process(tmp_path: Path):
    pytest.importorskip("llama_cpp.server.app", reason="the server extra is not installed (make test installs it)")
    in_process, _, people = _eval_seeds(tmp_path, "embedded")  # one model process at a time on two cores
    with llama_server(MODEL, log=tmp_path / "server.log") as url:
        served, stderr, served_people = _eval_seeds(tmp_path, "server", OPENAI_BASE_URL=url)
    assert "refused json_schema; using grammar" in stderr  # llama-cpp-python refuses json_schema: auto fell back
    assert served_people == people  # seed 004: the same participants both ways
    # The server decodes under the embedded model's own compact grammar, so both paths score alike.
    assert abs(served - in_process) <= 0.02, (served, in_process)
    memory = json.loads((tmp_path / "cache-server" / "endpoints.json").read_text())
    assert [entry["mode"] for entry in memory.values()] == ["grammar"]
