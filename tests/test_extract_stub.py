"""The pipeline against a real HTTP server on 127.0.0.1 replying from a script."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from summarizer.articles import collect
from summarizer.config import Settings
from summarizer.errors import EndpointUnreachableError
from summarizer.pipeline import BriefRunner, brief_paths

from .conftest import SEEDS, load_gold, reply_for
from .openai_stub import ScriptedServer

SEED_000 = "000_53c3ff3e3e7fd5e7"


def _one(settings: Settings, article_id: str = SEED_000):
    outcomes = brief_paths([str(SEEDS / f"{article_id}.txt")], settings)
    assert len(outcomes) == 1
    return outcomes[0]


def _good(article_id: str = SEED_000, shape: str = "MeetingsDraft") -> dict:
    brief, text = load_gold()[article_id]
    return {"json": reply_for(shape, brief, text)}


def _last_user_message(body: dict) -> str:
    return [m for m in body["messages"] if m["role"] == "user"][-1]["content"]


def test_five_seeds_become_valid_briefs_and_a_rerun_sends_no_request(server: ScriptedServer, settings: Settings):
    outcomes = brief_paths([str(SEEDS)], settings)
    assert [o.article_id for o in outcomes] == sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert all(o.ok and not o.cached for o in outcomes), [o.error for o in outcomes]
    by_id = {o.article_id: o.brief for o in outcomes}
    assert [p.name for p in by_id[SEED_000].meetings[0].participants] == ["Mohammadreza Aref", "Adylbek Kasymaliev"]
    assert len(by_id["003_11c7e9bf875a1b04"].meetings) == 3
    sent = len(server.requests)
    assert sent >= 5

    again = brief_paths([str(SEEDS)], settings)
    assert all(o.cached for o in again)
    assert len(server.requests) == sent  # nothing went to the server
    assert [o.brief for o in again] == [o.brief for o in outcomes]


def test_provenance_records_prompt_model_and_usage_of_every_attempt(server: ScriptedServer, settings: Settings):
    server.enqueue({"content": "{not json", "usage": {"prompt_tokens": 11, "completion_tokens": 3}},
                   {**_good(), "usage": {"prompt_tokens": 13, "completion_tokens": 7}},
                   {"json": {"invitations": []}, "usage": {"prompt_tokens": 17, "completion_tokens": 2}})
    brief = _one(settings).brief
    prov = brief.provenance
    assert prov.prompt == "brief@v4" and len(prov.template_sha256) == 64
    assert prov.model == "stub-model" and prov.backend == "openai" and prov.schema_version == "1"
    assert [(a.prompt_tokens, a.completion_tokens) for a in prov.attempts] == [(11, 3), (13, 7), (17, 2)]
    assert prov.usage.total_tokens == sum(u["total_tokens"] for u in server.usage_log)


def test_malformed_json_is_reasked_and_fixed(server: ScriptedServer, settings: Settings):
    server.enqueue({"content": "{\"meetings\": [ {oops"}, _good())
    outcome = _one(settings)
    assert outcome.ok, outcome.error
    assert len(outcome.brief.meetings) == 1
    reask = _last_user_message(server.requests[1])
    assert "fix" in reask.lower() or "error" in reask.lower()


def test_schema_violation_is_reasked_with_the_validator_message(server: ScriptedServer, settings: Settings):
    bad = _good()["json"]
    bad["meetings"][0]["format"] = "carrier pigeon"
    server.enqueue({"json": bad}, _good())
    outcome = _one(settings)
    assert outcome.ok, outcome.error
    assert "format" in _last_user_message(server.requests[1])


def test_an_invented_participant_is_dropped_with_a_warning_and_the_meeting_kept(server: ScriptedServer,
                                                                              settings: Settings):
    bad = _good()["json"]
    kept = bad["meetings"][0]["people"][0]["name"]
    bad["meetings"][0]["people"][1]["name"] = "Boris Inventedov"
    server.enqueue({"json": bad})
    outcome = _one(settings)
    assert outcome.ok, outcome.error
    assert not any("not named" in _last_user_message(r) for r in server.requests)  # repaired, not re-asked
    names = {p.name for m in outcome.brief.meetings for p in m.participants}
    assert "Boris Inventedov" not in names and kept in names
    assert any("Boris Inventedov" in w and "dropped" in w for w in outcome.brief.warnings)


def test_a_paraphrased_quote_is_dropped_with_a_warning_not_reasked(server: ScriptedServer, settings: Settings):
    settings.prompt = "brief@v1"
    bad = _good(shape="FullDraft")["json"]
    _paraphrase(bad)
    server.enqueue({"json": bad})
    outcome = _one(settings)
    assert outcome.ok, outcome.error and len(server.requests) == 1
    quotes = [a.evidence for m in outcome.brief.meetings for a in m.agreed_areas]
    assert "Aref wants much deeper economic links with Kyrgyzstan" not in quotes
    assert any("not found in the article" in w for w in outcome.brief.warnings)


def _paraphrase(reply: dict) -> None:
    reply["meetings"][0]["agreed_areas"][0]["evidence"] = "Aref wants much deeper economic links with Kyrgyzstan"


def _unknown_area(reply: dict) -> None:
    reply["meetings"][0]["areas"][0]["area"] = "space_exploration"


@pytest.mark.parametrize("prompt, shape, spoil, message", [
    ("brief@v2", "CompactDraft", _unknown_area, "space_exploration"),  # only what the model can fix
])
def test_rejected_reply_is_reasked_with_the_validator_message(server: ScriptedServer, settings: Settings,
                                                              prompt, shape, spoil, message):
    settings.prompt = prompt
    good = _good(shape=shape)
    bad = json.loads(json.dumps(good["json"]))
    spoil(bad)
    server.enqueue({"json": bad}, good)
    outcome = _one(settings)
    assert outcome.ok, outcome.error
    assert message in _last_user_message(server.requests[1])


def test_evidence_is_stored_verbatim_with_its_span(server: ScriptedServer, settings: Settings):
    settings.prompt = "brief@v1"
    outcome = _one(settings)
    text = (SEEDS / f"{SEED_000}.txt").read_text()
    areas = outcome.brief.meetings[0].agreed_areas
    assert areas and all(text[a.evidence_span[0]:a.evidence_span[1]] == a.evidence for a in areas)


def test_reasks_are_bounded_and_failure_is_one_clear_line(server: ScriptedServer, settings: Settings):
    settings.max_reasks = 1
    server.enqueue({"content": "nope"}, {"content": "still nope"})
    outcome = _one(settings)
    assert not outcome.ok
    assert len(server.requests) == 2
    assert outcome.error.startswith(str(SEEDS / f"{SEED_000}.txt"))
    assert "after 2 attempt" in outcome.error and "\n" not in outcome.error


def test_429_with_retry_after_is_waited_out(server: ScriptedServer, settings: Settings):
    server.enqueue({"status": 429, "headers": {"Retry-After": "1"}}, _good())
    started = time.perf_counter()
    outcome = _one(settings)
    assert outcome.ok, outcome.error
    assert time.perf_counter() - started >= 1.0  # the server's hint, not a 0.5 s backoff


def test_server_errors_are_retried(server: ScriptedServer, settings: Settings):
    server.enqueue({"status": 500}, {"status": 503}, _good())
    outcome = _one(settings)
    assert outcome.ok, outcome.error
    assert len(server.requests) >= 3


def test_slow_reply_past_the_timeout_is_retried(server: ScriptedServer, settings: Settings):
    settings.timeout = 0.5
    server.enqueue({**_good(), "delay": 1.5}, _good())
    outcome = _one(settings)
    assert outcome.ok, outcome.error
    assert len(server.requests) >= 2


def test_persistent_fault_fails_one_article_and_the_others_still_succeed(server: ScriptedServer, settings: Settings):
    settings.max_transport_retries = 1
    server.enqueue({"status": 500}, {"status": 500})  # the first article's request and its retry
    outcomes = brief_paths([str(SEEDS)], settings)
    assert not outcomes[0].ok and "HTTP 500" in outcomes[0].error
    assert all(o.ok for o in outcomes[1:])


def test_server_gone_stops_the_run_at_once_with_one_error(tmp_path: Path):
    with ScriptedServer() as srv:
        url = srv.url
    settings = Settings(backend="openai", base_url=url, api_key="k", cache_dir=tmp_path / "c", timeout=1,
                        max_transport_retries=4)
    started = time.perf_counter()
    with pytest.raises(EndpointUnreachableError, match="cannot connect .*is the server running"):
        brief_paths([str(SEEDS)], settings)
    assert time.perf_counter() - started < 2  # no backoff for an address nobody has answered from


def test_article_with_no_meeting_gets_a_valid_empty_brief(server: ScriptedServer, settings: Settings, tmp_path: Path):
    path = tmp_path / "weather.txt"
    path.write_text("Heavy rain is expected across the region on Tuesday, forecasters said.\n")
    outcome = brief_paths([str(path)], settings)[0]
    assert outcome.ok and outcome.brief.meetings == []
    assert "no meeting" in outcome.brief.summary


def test_too_long_article_is_refused_clearly_and_others_proceed(server: ScriptedServer, settings: Settings,
                                                                 tmp_path: Path):
    settings.context_tokens = 3000
    long = tmp_path / "long.txt"
    long.write_text("The ministers met again. " * 2000)
    items = collect([str(long), str(SEEDS / f"{SEED_000}.txt")])
    outcomes = list(BriefRunner(settings).run(items))
    assert not outcomes[0].ok and "too long for the model's context" in outcomes[0].error
    assert outcomes[0].error.startswith(str(long))
    assert outcomes[1].ok
    assert all("The ministers met again" not in json.dumps(r) for r in server.requests)


@pytest.mark.parametrize("mode, key", [("tools", "tools"), ("json_schema", "response_format"), ("json", "response_format")])
def test_each_instructor_mode_round_trips(server: ScriptedServer, settings: Settings, mode: str, key: str):
    settings.mode = mode
    outcome = _one(settings)
    assert outcome.ok, outcome.error
    assert key in server.requests[0]
    assert outcome.brief.meetings[0].venue.city == "Bishkek"


def test_article_text_reaches_the_model_verbatim(server: ScriptedServer, settings: Settings, tmp_path: Path):
    """Braces in an article are text, not a template: {{ 7*7 }} stays {{ 7*7 }}."""
    article = tmp_path / "braces.txt"
    text = "Minister Ana Soto met Minister Rui Costa in Lisbon.\n  They noted {{ 7*7 }} and {# a remark #} twice.\n"
    article.write_text(text, encoding="utf-8")
    outcome = brief_paths([str(article)], settings)[0]
    assert outcome.ok, outcome.error
    sent = server.requests[0]["messages"][-1]["content"]
    assert "{{ 7*7 }}" in sent and "{# a remark #}" in sent and "  They noted" in sent


def test_v4_asks_about_a_meeting_the_first_answer_missed(server: ScriptedServer, settings: Settings, tmp_path: Path):
    article = tmp_path / "tour.txt"
    article.write_text(
        "NAIROBI (Agency) - Japanese Foreign Minister Hiro Tanaka met Kenyan President Amani Otieno on Monday.\n"
        "They agreed to expand trade.\n"
        "Later, Tanaka held talks with Ugandan Prime Minister Grace Akello on energy cooperation.\n"
        "The Nairobi News Agency said the visit lasts three days.\n", encoding="utf-8")

    def meeting(*people):
        return {"people": [{"name": n, "title": t, "country": c} for n, t, c in people], "city": "Nairobi",
                "country": "Kenya", "occasion": None, "date": None, "format": "in_person"}

    tanaka = ("Hiro Tanaka", "Foreign Minister", "Japan")
    server.enqueue({"json": {"meetings": [meeting(tanaka, ("Amani Otieno", "President", "Kenya"))]}},
                   {"json": {"meetings": [meeting(tanaka, ("Grace Akello", "Prime Minister", "Uganda"))]}})
    outcome = brief_paths([str(article)], settings)[0]
    assert outcome.ok, outcome.error
    question = server.requests[1]["messages"][-1]["content"]
    assert "not in your list yet" in question and "Grace Akello" in question
    assert "News Agency" not in question  # an agency is not an official
    assert [[p.name for p in m.participants] for m in outcome.brief.meetings] == \
        [["Hiro Tanaka", "Amani Otieno"], ["Hiro Tanaka", "Grace Akello"]]
    assert {a.area.value for a in outcome.brief.meetings[1].agreed_areas} == {"energy"}
