"""The real embedded model on the CPU (slow: about a minute). Runs in CI through `make test`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.config import Settings

from .conftest import SEEDS

MODELS_DIR = Settings().models_dir  # read before the tests isolate XDG folders
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (MODELS_DIR / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf").is_file(),
                       reason="embedded model not fetched (make model)"),
]


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SUMMARIZER_MODELS_DIR": str(MODELS_DIR), "SUMMARIZER_CACHE_DIR": str(tmp_path / "cache")}
    return subprocess.run([sys.executable, "-m", "summarizer", *args], capture_output=True, text=True,
                          env=env, timeout=900)


def test_embedded_model_extracts_participants_and_venue(tmp_path: Path):
    proc = _run(["brief", str(SEEDS / "000_53c3ff3e3e7fd5e7.txt"), "-f", "json"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    brief = json.loads(proc.stdout)
    meeting = brief["meetings"][0]
    surnames = {p["name"].split()[-1] for p in meeting["participants"]}
    assert {"Aref", "Kasymaliev"} <= surnames
    assert meeting["venue"]["city"] == "Bishkek"
    assert "Aref" in next(p for p in meeting["participants"] if p["name"].endswith("Aref"))["aliases"]
    prov = brief["provenance"]
    assert prov["backend"] == "local"
    assert prov["model_sha256"] == "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
    assert prov["attempts"] and prov["attempts"][0]["completion_tokens"] > 0

    again = _run(["brief", str(SEEDS / "000_53c3ff3e3e7fd5e7.txt"), "-f", "json"], tmp_path)
    assert again.returncode == 0 and "1 from cache" in again.stderr
    assert json.loads(again.stdout) == brief


def test_embedded_model_handles_a_phone_call_with_an_invitation(tmp_path: Path):
    article = tmp_path / "call.txt"
    article.write_text(
        "Canada and Mexico leaders discuss energy by phone\n"
        "OTTAWA (Agency) - Canadian Prime Minister Claire Dubois held a telephone conversation with Mexican "
        "President Luis Ortega on Monday.\n"
        "The two leaders agreed to expand cooperation in clean energy and cross-border trade.\n"
        "Dubois invited Ortega to visit Ottawa for the North American Leaders' Summit in June.\n", encoding="utf-8")
    proc = _run(["brief", str(article), "-f", "json"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    brief = json.loads(proc.stdout)
    people = {p["name"] for m in brief["meetings"] for p in m["participants"]}
    assert {"Claire Dubois", "Luis Ortega"} <= people
    areas = {a["area"] for m in brief["meetings"] for a in m["agreed_areas"]}
    assert {"energy", "trade"} <= areas
