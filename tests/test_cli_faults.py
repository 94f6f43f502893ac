"""Faults found by probing the real CLI as a hostile but fair user (issue 11): each one clear line,
the right exit status, nothing lost."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app

from .conftest import GOLD, SEEDS
from .openai_stub import ScriptedServer

runner = CliRunner()
ONE = "000_53c3ff3e3e7fd5e7"


@pytest.fixture
def env(server: ScriptedServer, tmp_path: Path) -> dict[str, str]:
    return {"OPENAI_BASE_URL": server.url, "OPENAI_API_KEY": "test", "SUMMARIZER_CACHE_DIR": str(tmp_path / "cache"),
            "SUMMARIZER_MODEL": "stub-model"}


def invoke(args: list[str], env: dict[str, str] | None = None):
    return runner.invoke(app, args, env=env)


def errors_of(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


def one_clear_line(result, code: int = 2) -> str:
    assert result.exit_code == code, (result.output, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)  # not a traceback
    assert "Traceback" not in result.output
    lines = errors_of(result)
    assert len(lines) == 1, result.stderr
    return lines[0]


# 1 ------------------------------------------------------------------ cache clear


def test_cache_clear_refuses_a_folder_that_is_not_a_cache(tmp_path: Path):
    project = tmp_path / "project"
    for name, text in {"js/app.js": "x", "go/main.go": "package main", "ab/notes.json": "{}"}.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    line = one_clear_line(invoke(["cache", "clear", "--cache-dir", str(project)]))
    assert "not a summarizer cache" in line and "nothing deleted" in line
    assert sorted(p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()) == [
        "ab/notes.json", "go/main.go", "js/app.js"]


def test_cache_clear_deletes_only_its_own_entries(env, tmp_path: Path):
    assert invoke(["brief", str(SEEDS / f"{ONE}.txt"), "-q"], env).exit_code == 0
    cache = Path(env["SUMMARIZER_CACHE_DIR"])
    entry = next(cache.glob("??/*.json"))
    foreign = [entry.parent / "mine.txt", cache / "js" / "app.json"]
    for path in foreign:
        path.parent.mkdir(exist_ok=True)
        path.write_text("keep me")
    result = invoke(["cache", "clear"], env)
    assert result.exit_code == 0 and "removed 1 cached brief(s)" in result.stdout
    assert not entry.exists()
    assert all(p.read_text() == "keep me" for p in foreign)


# 2 ------------------------------------------------------------------ --max-cost


def test_max_cost_for_an_unpriced_model_is_refused_before_any_request(env, server: ScriptedServer, tmp_path: Path):
    env = {**env, "SUMMARIZER_MODEL": "gpt-4o-mini-2024-07-18"}
    line = one_clear_line(invoke(["brief", str(SEEDS), "--max-cost", "0.01"], env))
    assert "gpt-4o-mini-2024-07-18" in line and "[prices]" in line
    assert server.requests == []
    config = tmp_path / "config.toml"
    config.write_text('[prices]\n"gpt-4o-mini-2024-07-18" = [0.15, 0.60]\n')
    result = invoke(["brief", str(SEEDS / f"{ONE}.txt"), "--max-cost", "1"], {**env, "SUMMARIZER_CONFIG": str(config)})
    assert result.exit_code == 0, result.output
    assert "$0.0" in result.stderr  # priced, so the budget can work


# 4 ------------------------------------------------------------------ report kept on failure


def test_a_failed_report_leaves_the_previous_one_whole(env, tmp_path: Path):
    out = tmp_path / "report"
    assert invoke(["report", str(SEEDS), "-o", str(out), "-q"], env).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert b"Bishkek" in before["report.md"]
    result = invoke(["report", str(tmp_path / "gone.txt"), "-o", str(out), "-q"], env)
    assert result.exit_code == 1
    assert f"{tmp_path / 'gone.txt'}: no such file" in result.stderr
    assert "report not written" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []  # no staging left


# 5 ------------------------------------------------------------------ tracebacks


def test_unwritable_cache_folder_is_one_line_before_any_request(env, server: ScriptedServer, tmp_path: Path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    line = one_clear_line(invoke(["brief", str(SEEDS)], {**env, "SUMMARIZER_CACHE_DIR": str(blocker / "cache")}))
    assert f"cache folder {blocker / 'cache'}: cannot write" in line and "--no-cache" in line
    assert server.requests == []


@pytest.mark.parametrize("command", ["brief", "report"])
def test_out_that_is_a_file_is_one_line_before_any_request(env, server: ScriptedServer, tmp_path: Path, command: str):
    target = tmp_path / "out"
    target.write_text("precious")
    line = one_clear_line(invoke([command, str(SEEDS), "-o", str(target)], env))
    assert f"--out {target}: is a file" in line
    assert target.read_text() == "precious" and server.requests == []


def test_eval_predictions_that_is_a_file(tmp_path: Path):
    line = one_clear_line(invoke(["eval", "--predictions", str(GOLD / f"{ONE}.json"), "--runs", str(tmp_path)]))
    assert "is a file" in line


def test_non_number_in_the_environment(env):
    line = one_clear_line(invoke(["brief", str(SEEDS)], {**env, "SUMMARIZER_CONTEXT_TOKENS": "lots"}))
    assert "SUMMARIZER_CONTEXT_TOKENS = 'lots'" in line and "integer" in line


def test_non_number_in_the_config_file(env, server: ScriptedServer, tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text('timeout = "soon"\n')
    line = one_clear_line(invoke(["brief", str(SEEDS)], {**env, "SUMMARIZER_CONFIG": str(config)}))
    assert f"{config}: timeout = 'soon'" in line and "number" in line
    assert "is the server running" not in line and server.requests == []


# 6 ------------------------------------------------------------------ eval --predictions


def test_eval_predictions_on_a_missing_folder_fails(tmp_path: Path):
    line = one_clear_line(invoke(["eval", "--predictions", str(tmp_path / "nope"), "--runs", str(tmp_path)]))
    assert "no such predictions folder" in line


def test_eval_predictions_missing_for_some_articles_fails_without_min_score(tmp_path: Path):
    partial = tmp_path / "pred"
    partial.mkdir()
    shutil.copy(GOLD / f"{ONE}.json", partial)
    result = invoke(["eval", "--predictions", str(partial), "--set", "seeds", "--runs", str(tmp_path / "runs")])
    assert result.exit_code == 1, result.output
    assert len(errors_of(result)) == len(list(GOLD.glob("*.json"))) - 1
    assert all("no prediction" in line for line in errors_of(result))


# 7 ------------------------------------------------------------------ each error once


@pytest.mark.parametrize("args", [[], ["-q"]])
def test_each_error_is_printed_once(env, tmp_path: Path, args: list[str]):
    result = invoke(["brief", str(tmp_path / "missing.txt"), *args], env)
    assert result.exit_code == 1
    assert errors_of(result) == [f"error: {tmp_path / 'missing.txt'}: no such file"]
    result = invoke(["brief", str(tmp_path / "missing.txt"), str(SEEDS / f"{ONE}.txt"), *args], env)
    assert errors_of(result) == [f"error: {tmp_path / 'missing.txt'}: no such file"]


# 8 ------------------------------------------------------------------ file words


def test_utf16_with_a_bom_is_read(env, tmp_path: Path):
    article = tmp_path / f"{ONE}.txt"
    article.write_bytes((SEEDS / f"{ONE}.txt").read_text(encoding="utf-8").encode("utf-16"))
    result = invoke(["brief", str(article), "-f", "json", "-q"], env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["meetings"][0]["venue"]["city"] == "Bishkek"


def test_utf16_without_a_bom_is_named(env, tmp_path: Path):
    article = tmp_path / "a.txt"
    article.write_bytes("Ana Soto met Rui Costa.".encode("utf-16-le"))
    line = one_clear_line(invoke(["brief", str(article)], env), code=1)
    assert "UTF-16" in line and "binary" not in line and "iconv -f utf-16le" in line


@pytest.mark.parametrize("content", [b"\xef\xbb\xbf", "\ufeff".encode("utf-16"), "\u00a0 \u00a0\n\u200b".encode(),
                                     b"\xef\xbb\xbf\xc2\xa0\n"])
def test_a_file_of_only_a_bom_or_invisible_spaces_is_empty(env, server: ScriptedServer, tmp_path: Path,
                                                           content: bytes):
    article = tmp_path / "blank.txt"
    article.write_bytes(content)
    line = one_clear_line(invoke(["brief", str(article)], env), code=1)
    assert line.startswith(f"error: {article}: empty file")
    assert server.requests == []


# 10 ----------------------------------------------------------------- report takes brief folders and globs


def test_report_takes_the_folder_and_a_quoted_glob_of_brief_files(env, tmp_path: Path):
    briefs = tmp_path / "briefs"
    assert invoke(["brief", str(SEEDS), "-f", "json", "-o", str(briefs), "-q"], env).exit_code == 0
    for spec in (str(briefs), str(briefs / "*.json")):
        out = tmp_path / f"report-{len(spec)}"
        result = invoke(["report", spec, "-o", str(out)], {})  # no endpoint: briefs need no model
        assert result.exit_code == 0, result.output
        assert "from 5 brief(s)" in result.stdout
        assert "Bishkek" in (out / "report.md").read_text()


# 11 ----------------------------------------------------------------- --version


def test_version():
    from importlib.metadata import version

    result = invoke(["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"summarizer {version('summarizer')}"
