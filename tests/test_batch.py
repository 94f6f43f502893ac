"""The Batch API flow against a loopback server with files and batches endpoints."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer import batch
from summarizer.cache import BriefCache
from summarizer.cli import app
from summarizer.config import Settings
from summarizer.errors import ConfigError

from .conftest import SEEDS
from .openai_stub import ScriptedServer


def _settings(server: ScriptedServer, tmp_path: Path, prompt: str = "brief@v1") -> Settings:
    return Settings(backend="openai", base_url=server.url, api_key="k", model="gpt-4o-mini", prompt=prompt,
                    cache_dir=tmp_path / "cache", max_transport_retries=0)


def test_batch_round_trip_fills_the_cache_interactive_runs_use(server: ScriptedServer, tmp_path: Path):
    env = {"OPENAI_BASE_URL": server.url, "OPENAI_API_KEY": "k", "SUMMARIZER_CACHE_DIR": str(tmp_path / "cache")}
    state = tmp_path / "state"
    run = CliRunner()
    submitted = run.invoke(app, ["batch", "submit", str(SEEDS), "--state", str(state)], env=env)
    assert submitted.exit_code == 0, submitted.output
    assert "batch-1: in_progress, 5 article(s)" in submitted.stdout

    early = run.invoke(app, ["batch", "collect", "--state", str(state)], env=env)
    assert early.exit_code == 2 and "not completed; try again later" in early.stderr

    collected = run.invoke(app, ["batch", "collect", "--state", str(state)], env=env)
    assert collected.exit_code == 0, collected.output
    assert "collected 5 of 5" in collected.stderr
    assert len(BriefCache(tmp_path / "cache").entries()) == 5
    assert [c for c in server.calls if c.endswith("/content")] == ["GET /v1/files/file-out-batch-1/content"]

    chat_requests = len(server.requests)
    interactive = run.invoke(app, ["brief", str(SEEDS), "--prompt", "brief@v1", "-f", "jsonl"], env=env)
    assert interactive.exit_code == 0 and "5 from cache" in interactive.stderr
    assert len(server.requests) == chat_requests  # nothing asked again


def test_interrupted_submit_resumes_without_uploading_twice(server: ScriptedServer, tmp_path: Path):
    settings, state = _settings(server, tmp_path), tmp_path / "state"
    server.fail_next["POST /v1/batches"] = 500  # the process dies between upload and create
    with pytest.raises(Exception):
        batch.submit([str(SEEDS)], settings, state, log=lambda _m: None)
    assert batch.BatchState.load(state).input_file_id == "file-1"
    resumed = batch.submit([str(SEEDS)], settings, state, log=lambda _m: None)
    assert resumed.batch_id == "batch-1"
    assert server.calls.count("POST /v1/files") == 1


def test_collect_grounds_each_reply_and_drops_an_invented_person_with_a_warning(server: ScriptedServer,
                                                                              tmp_path: Path):
    settings, state = _settings(server, tmp_path), tmp_path / "state"
    invented = {"json": {"summary": "x", "meetings": [{"participants": [{"name": "Nobody Atall"}]}]}}
    server.enqueue(invented)  # the first article's reply
    server.enqueue({"json": "not a brief at all"})  # the second's: cannot be validated, so it fails
    batch.submit([str(SEEDS)], settings, state, log=lambda _m: None)
    batch.status(settings, state)
    done = batch.collect_results(settings, state, log=lambda _m: None)
    assert len(done.collected) == 4 and list(done.failed) == ["001_c0d5be32047a8333"]
    cache = BriefCache(settings.cache_dir)
    [brief] = [b for b in (cache.get(p.stem) for p in cache.entries()) if b.article_id == "000_53c3ff3e3e7fd5e7"]
    assert brief.meetings == [] and any("Nobody Atall" in w for w in brief.warnings)
    again = batch.collect_results(settings, state, log=lambda _m: None)  # idempotent
    assert len(again.collected) == 4


def test_a_prompt_with_follow_ups_is_refused(server: ScriptedServer, tmp_path: Path):
    with pytest.raises(ConfigError, match="follow-up questions"):
        batch.submit([str(SEEDS)], _settings(server, tmp_path, prompt="brief@v3"), tmp_path / "s")


@pytest.mark.parametrize("mode", ["grammar", "json_object_schema", "guided_json"])
def test_a_server_specific_mode_is_refused_not_sent_as_json_schema(server: ScriptedServer, tmp_path: Path, mode: str):
    settings = _settings(server, tmp_path)
    settings.mode = mode
    with pytest.raises(ConfigError, match=f"support --mode tools or json_schema, not {mode}"):
        batch.submit([str(SEEDS)], settings, tmp_path / "s")
    assert not server.calls  # nothing uploaded


def test_a_saved_page_in_a_batch_is_collected_from_its_text_not_its_html(server: ScriptedServer, tmp_path: Path):
    """collect grounds replies in the text the request carried; a page's HTML is not that text."""
    settings, state = _settings(server, tmp_path), tmp_path / "state"
    page = Path(__file__).parent / "pages" / "000_53c3ff3e3e7fd5e7.html"
    batch.submit([str(page)], settings, state, log=lambda _m: None)
    batch.status(settings, state)
    done = batch.collect_results(settings, state, log=lambda _m: None)
    assert done.collected == ["000_53c3ff3e3e7fd5e7"] and not done.failed
    cache = BriefCache(settings.cache_dir)
    [brief] = [cache.get(p.stem) for p in cache.entries()]
    assert [p.name for p in brief.meetings[0].participants] == ["Mohammadreza Aref", "Adylbek Kasymaliev"]
    text = (SEEDS / "000_53c3ff3e3e7fd5e7.txt").read_text(encoding="utf-8")  # what the page's text is
    spans = [(a.evidence, a.evidence_span) for m in brief.meetings for a in m.agreed_areas if a.evidence]
    assert spans and all(span and text[span[0]:span[1]] == quote for quote, span in spans)  # offsets in the text
