"""The real CLI (typer's runner, and a subprocess for stdin and exit codes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app

from .conftest import SEEDS, json_lines
from .openai_stub import ScriptedServer

runner = CliRunner()


@pytest.fixture
def env(server: ScriptedServer, tmp_path: Path) -> dict[str, str]:
    return {"OPENAI_BASE_URL": server.url, "OPENAI_API_KEY": "test", "SUMMARIZER_CACHE_DIR": str(tmp_path / "cache"),
            "SUMMARIZER_MODEL": "stub-model"}


def invoke(args: list[str], env: dict[str, str], **kw):
    return runner.invoke(app, args, env=env, **kw)


def test_brief_prints_notes_for_a_folder(env, seeds_dir: Path):
    result = invoke(["brief", str(seeds_dir)], env)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.count("\n## ") + out.startswith("## ") == 5
    assert "Mohammadreza Aref — First Vice President, Iran (also: Aref)" in out
    assert "**Where:** Bishkek, Kyrgyzstan" in out
    assert "5 brief(s), 0 from cache (hit rate 0%), 0 failed" in result.stderr


def test_second_run_comes_from_cache(env, seeds_dir: Path, server: ScriptedServer):
    assert invoke(["brief", str(seeds_dir), "-q"], env).exit_code == 0
    sent = len(server.requests)
    result = invoke(["brief", str(seeds_dir)], env)
    assert result.exit_code == 0
    assert "5 from cache" in result.stderr
    assert len(server.requests) == sent


def test_refresh_and_no_cache(env, seeds_dir: Path, server: ScriptedServer):
    one = str(seeds_dir / "000_53c3ff3e3e7fd5e7.txt")
    invoke(["brief", one, "-q"], env)
    sent = len(server.requests)
    invoke(["brief", one, "--refresh", "-q"], env)
    assert len(server.requests) > sent
    sent = len(server.requests)
    invoke(["brief", one, "--no-cache", "-q"], env)
    invoke(["brief", one, "--no-cache", "-q"], env)
    assert len(server.requests) >= sent + 2


def test_json_formats_and_out_dir(env, seeds_dir: Path, tmp_path: Path):
    result = invoke(["brief", str(seeds_dir / "000_53c3ff3e3e7fd5e7.txt"), "-f", "json", "-q"], env)
    assert json.loads(result.stdout)["article_id"] == "000_53c3ff3e3e7fd5e7"
    result = invoke(["brief", str(seeds_dir), "-f", "jsonl", "-q"], env)
    assert [b["article_id"] for b in json_lines(result.stdout)] == sorted(p.stem for p in seeds_dir.glob("*.txt"))
    out = tmp_path / "out"
    result = invoke(["brief", str(seeds_dir / "*.txt"), "-f", "json", "--out", str(out), "-q"], env)
    assert result.exit_code == 0
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(f"{p.stem}.json" for p in seeds_dir.glob("*.txt"))
    assert json.loads((out / "001_c0d5be32047a8333.json").read_text())["published"] == "2021-12-05"


@pytest.mark.parametrize("name, content, message", [
    ("empty.txt", b"  \n", "empty file"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    ("latin1.txt", "Le ministre a rencontr\u00e9 son homologue.".encode("latin-1"), "not UTF-8"),
])
def test_bad_input_is_one_line_and_costs_no_other_article(env, seeds_dir: Path, tmp_path: Path,
                                                           name: str, content: bytes, message: str):
    bad = seeds_dir / name
    bad.write_bytes(content)
    out = tmp_path / "out"
    result = invoke(["brief", str(seeds_dir), "-f", "json", "-o", str(out)], env)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {bad}: {message}" + errors[0].split(message, 1)[1]]
    assert len(list(out.glob("*.json"))) == 5


def test_missing_path_is_reported_and_others_succeed(env, seeds_dir: Path):
    result = invoke(["brief", str(seeds_dir / "nope.txt"), str(seeds_dir / "000_53c3ff3e3e7fd5e7.txt"), "-f", "jsonl"], env)
    assert result.exit_code == 1
    assert f"error: {seeds_dir / 'nope.txt'}: no such file" in result.stderr
    assert len(json_lines(result.stdout)) == 1


def test_stdin_and_exit_status_in_a_subprocess(env, tmp_path: Path):
    text = (SEEDS / "004_9d4b908a07068cec.txt").read_bytes()
    proc = subprocess.run([sys.executable, "-m", "summarizer", "brief", "-", "-f", "json"], input=text,
                          capture_output=True, env={**os.environ, **env}, timeout=120)
    assert proc.returncode == 0, proc.stderr
    brief = json.loads(proc.stdout)
    assert brief["article_id"] == "stdin"
    assert [p["name"] for p in brief["meetings"][0]["participants"]] == ["Ali Bagheri", "Adel Tursanev"]


def test_briefs_missing_after_a_code_change_are_rederived_in_worker_processes(env, tmp_path: Path,
                                                                               server: ScriptedServer):
    folder = tmp_path / "articles"
    folder.mkdir()
    for copy in ("a", "b"):  # ten articles: enough to start the workers
        for seed in sorted(SEEDS.glob("*.txt")):
            (folder / f"{copy}_{seed.name}").write_bytes(seed.read_bytes())
    command = [sys.executable, "-m", "summarizer", "brief", str(folder), "-f", "json", "-o", str(tmp_path / "out")]
    run = {**os.environ, **env, "SUMMARIZER_REPLAY_PROCESSES": ""}  # the command line's default: one per core
    first = subprocess.run(command, capture_output=True, text=True, env=run, timeout=300)
    assert first.returncode == 0, first.stderr
    briefs = [p for p in (tmp_path / "cache").glob("??/*.json")]
    assert len(briefs) == 10
    for entry in briefs:
        entry.unlink()  # as after a change to the code after the model
    sent = len(server.requests)
    again = subprocess.run(command, capture_output=True, text=True, env={**run, "SUMMARIZER_REPLAY_PROCESSES": "2"},
                           timeout=300)
    assert again.returncode == 0, again.stderr
    assert again.stderr.count("from stored replies") == 10 and len(server.requests) == sent
    assert "Traceback" not in again.stderr


def test_prompts_lists_versions(env):
    result = invoke(["prompts"], env)
    assert result.exit_code == 0
    for ref in ("brief@v1", "brief@v2", "brief@v3", "brief@v4"):
        assert ref in result.stdout


def test_unknown_prompt_is_a_usage_error(env, seeds_dir: Path):
    result = invoke(["brief", str(seeds_dir), "--prompt", "brief@v99"], env)
    assert result.exit_code == 2
    assert "no prompt brief@v99" in result.stderr and "brief@v1" in result.stderr


def test_cache_stats_and_clear(env, seeds_dir: Path):
    invoke(["brief", str(seeds_dir), "-q"], env)
    stats = invoke(["cache", "stats"], env)
    assert "entries: 5" in stats.stdout and "replies: 0" not in stats.stdout
    cleared = invoke(["cache", "clear"], env)
    assert "removed 5 cached brief(s) and" in cleared.stdout
    after = invoke(["cache", "stats"], env).stdout
    assert "entries: 0" in after and "replies: 0" in after


def test_help_teaches(env):
    result = invoke(["brief", "--help"], env)
    assert result.exit_code == 0
    for words in ("--format", "--out", "--prompt", "--refresh", "--no-cache", "stdin"):
        assert words in result.stdout
