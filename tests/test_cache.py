"""The real disk cache: atomic writes, corrupt entries, concurrent writers, what the key covers."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from summarizer import extract, grounding
from summarizer.cache import BriefCache, make_key
from summarizer.config import Settings
from summarizer.pipeline import brief_paths
from summarizer.replay import ReplyStore
from summarizer.schema import Brief

from .conftest import SEEDS, load_gold
from .openai_stub import ScriptedServer


def _brief() -> Brief:
    return load_gold()["000_53c3ff3e3e7fd5e7"][0]


def test_put_then_get_round_trips(tmp_path: Path):
    cache = BriefCache(tmp_path)
    key = make_key({"a": 1})
    path = cache.put(key, _brief())
    assert path.parent.name == key[:2]
    assert cache.get(key) == _brief()
    assert not list(tmp_path.rglob("*.tmp"))  # no temporary file left behind


def test_corrupt_or_partial_entry_is_ignored_and_rewritten(server: ScriptedServer, settings: Settings):
    one = str(SEEDS / "000_53c3ff3e3e7fd5e7.txt")
    brief_paths([one], settings)
    [entry] = BriefCache(settings.cache_dir).entries()
    good = entry.read_text()
    entry.write_text(good[: len(good) // 2])  # a write cut short by a crash (outside our atomic path)
    sent = len(server.requests)
    outcome = brief_paths([one], settings)[0]
    assert outcome.ok and not outcome.cached
    assert len(server.requests) == sent  # re-derived from the stored replies, no model call
    # the entry holds the brief of the text; where the text came from is set per input, after the cache
    assert Brief.model_validate_json(entry.read_text()) == outcome.brief.model_copy(update={"source": None})
    assert outcome.brief.source == one
    assert BriefCache(settings.cache_dir).stats().corrupt == 0

    for reply in ReplyStore(settings.replies_dir).entries():  # a corrupt reply is asked again
        reply.write_text(reply.read_text()[:10])
    entry.unlink()
    assert brief_paths([one], settings)[0].ok and len(server.requests) > sent


def test_a_change_after_the_model_rederives_briefs_from_stored_replies(server: ScriptedServer,
                                                                      settings: Settings,
                                                                      monkeypatch: pytest.MonkeyPatch):
    one = str(SEEDS / "000_53c3ff3e3e7fd5e7.txt")
    first = brief_paths([one], settings)[0]
    sent = len(server.requests)
    monkeypatch.setattr(extract, "code_fingerprint", lambda: "changed code")
    again = brief_paths([one], settings)[0]
    assert again.ok and not again.cached and len(server.requests) == sent
    assert again.brief.meetings == first.brief.meetings
    refreshed = brief_paths([one], settings.with_overrides(refresh=True))[0]  # --refresh asks the model again
    assert refreshed.ok and len(server.requests) > sent


def test_stored_replies_rederive_in_worker_processes_and_the_model_is_asked_only_here(
        server: ScriptedServer, settings: Settings, tmp_path: Path):
    folder = tmp_path / "articles"
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for copy in ("a", "b"):  # ten articles: enough to start the worker processes
        for seed in seeds:
            (folder / f"{copy}_{seed.name}").write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    parallel = settings.with_overrides(replay_processes=2)
    first = brief_paths([str(folder)], parallel)  # no stored replies yet: all asked here, one by one
    assert all(o.ok and not o.rederived for o in first)
    for entry in BriefCache(settings.cache_dir).entries():
        entry.unlink()  # as after a change to the code after the model
    # One article's replies are gone: its two copies need the model, which only this process may ask.
    marker = grounding.split_sentences(seeds[1].read_text(encoding="utf-8"))[2].text
    for reply in ReplyStore(settings.replies_dir).entries():
        if marker in reply.read_text(encoding="utf-8"):
            reply.unlink()
    sent = len(server.requests)
    again = brief_paths([str(folder)], parallel)
    assert [o.source for o in again] == [o.source for o in first]  # input order kept
    assert [o.brief.meetings for o in again] == [o.brief.meetings for o in first]
    assert [o.rederived for o in again] == [not o.source.endswith(seeds[1].name) for o in again]
    asked = server.requests[sent:]
    assert asked and all(marker in str(body["messages"]) for body in asked)
    # The workers stop with the run, not at the interpreter's exit (where Python 3.11's pool can race itself).
    assert multiprocessing.active_children() == []


def _hammer(directory: str, key: str, rounds: int) -> None:
    cache = BriefCache(Path(directory))
    brief = _brief()
    for i in range(rounds):
        cache.put(key, brief.model_copy(update={"summary": f"writer {i}"}))
        assert cache.get(key) is not None  # a reader never sees half an entry


def test_two_processes_sharing_one_cache_do_not_corrupt_it(tmp_path: Path):
    key = make_key({"shared": True})
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_hammer, args=(str(tmp_path), key, 60)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    assert BriefCache(tmp_path).get(key) is not None
    assert BriefCache(tmp_path).stats().corrupt == 0


def test_key_changes_with_prompt_model_and_settings(server: ScriptedServer, settings: Settings):
    one = str(SEEDS / "000_53c3ff3e3e7fd5e7.txt")
    brief_paths([one], settings)
    for change, asks in (({"prompt": "brief@v2"}, True), ({"model": "other-model"}, True), ({"max_reasks": 0}, False)):
        sent = len(server.requests)
        outcome = brief_paths([one], settings.with_overrides(**change))[0]
        assert outcome.ok and not outcome.cached, change
        assert (len(server.requests) > sent) == asks, change  # the same request is answered from stored replies
    assert len(BriefCache(settings.cache_dir).entries()) == 4


def test_clear_removes_entries_only(tmp_path: Path):
    cache = BriefCache(tmp_path)
    (tmp_path / "keep.txt").write_text("not ours")
    cache.put(make_key({"x": 1}), _brief())
    replies = ReplyStore(tmp_path / "replies")
    replies.put(make_key({"r": 1}), {"messages": []}, {"choices": []})
    (tmp_path / "replies" / "notes.txt").write_text("not ours either")
    assert cache.clear() == (1, 1)
    assert cache.entries() == [] and replies.entries() == []
    assert (tmp_path / "keep.txt").exists() and (tmp_path / "replies" / "notes.txt").exists()
