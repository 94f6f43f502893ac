"""The seeds through a real OpenAI-compatible server (llama-cpp-python's, the embedded GGUF) with
default settings: --mode auto must find the server's way and score as the embedded model does.
Slow (a few minutes on two cores); runs in `make test`, which installs the `server` extra."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.config import Settings

from .conftest import GOLD, SEEDS
from .llama_server import llama_server
from .test_recorded import RECORDED_OVERALL

MODEL = Settings().models_dir / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"  # read before XDG is isolated
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not MODEL.is_file(), reason="embedded model not fetched (make model)"),
]


def test_seeds_through_llama_cpp_server_with_default_settings_score_as_in_process(tmp_path: Path):
    pytest.importorskip("llama_cpp.server.app", reason="the server extra is not installed (make test installs it)")
    with llama_server(MODEL, log=tmp_path / "server.log") as url:
        env = {**os.environ, "OPENAI_BASE_URL": url, "SUMMARIZER_CACHE_DIR": str(tmp_path / "cache"),
               "SUMMARIZER_CONFIG": str(tmp_path / "none.toml")}
        proc = subprocess.run([sys.executable, "-m", "summarizer", "eval", "--gold", str(GOLD), "--articles",
                               str(SEEDS), "--runs", str(tmp_path / "runs")],
                              capture_output=True, text=True, env=env, timeout=1500)
    assert proc.returncode == 0, proc.stderr
    assert "using json_object_schema" in proc.stderr  # llama-cpp-python refuses json_schema: auto fell back
    [run] = list((tmp_path / "runs").iterdir())
    [result] = json.loads((run / "results.json").read_text())
    assert abs(result["fields"]["overall"] - RECORDED_OVERALL["brief@v4"]) <= 0.02, result["fields"]
    memory = json.loads((tmp_path / "cache" / "endpoints.json").read_text())
    assert [entry["mode"] for entry in memory.values()] == ["json_object_schema"]
