"""Endpoints through the real CLI and the scripted server on 127.0.0.1: how servers that refuse a
structured-output way, refuse a request, drop, hang or are absent are handled and reported."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer import shapes, structured
from summarizer.cli import app

from .conftest import SEEDS, seed_responder
from .openai_stub import ScriptedServer

runner = CliRunner()
SEED_004 = str(SEEDS / "004_9d4b908a07068cec.txt")
SEED_000 = str(SEEDS / "000_53c3ff3e3e7fd5e7.txt")
# What llama-cpp-python's server (0.3.x) answers a json_schema response_format with: a 500 whose body is
# its request-validation error.
LLAMA_CPP_REFUSAL = {"status": 500, "body": {"error": {"message": "1 validation error for "
                     "CreateChatCompletionRequest\nresponse_format.type\n  Input should be 'text' or 'json_object'"}}}


def _grammars() -> dict[str, str]:
    """The compact grammar of each draft shape, by the shape's name (what the `grammar` way must send)."""
    return {shape.__name__: structured.compact_grammar(shape.model_json_schema())
            for shape in (shapes.FullDraft, shapes.CompactDraft, shapes.MeetingsDraft, shapes.InvitationsDraft)}


def llama_cpp_like(grammar: str = "honoured") -> Any:
    """A server that refuses OpenAI's json_schema but honours llama.cpp's json_object with a schema, and
    the `grammar` field: "honoured" (compact replies, as llama.cpp decodes under it), "ignored" (replies
    written freely, indented), or "absent" (a llama.cpp build without it: answers 400)."""
    answer = seed_responder()
    by_grammar = {text: name for name, text in _grammars().items()}

    def as_if(name: str, body: dict[str, Any]) -> dict[str, Any]:  # as the conftest responder would answer
        return answer({**body, "response_format": {"type": "json_schema", "json_schema": {"name": name}}})

    def respond(body: dict[str, Any]) -> dict[str, Any]:
        fmt = body.get("response_format") or {}
        if fmt.get("type") == "json_schema":
            return LLAMA_CPP_REFUSAL
        if "grammar" in body:
            assert not fmt, "llama-cpp-python would build its own grammar from response_format"
            if grammar == "absent":
                return {"status": 400, "body": {"error": {"message": "unknown field: grammar"}}}
            reply = as_if(by_grammar[body["grammar"]], body)  # KeyError: not a draft's compact grammar
            indent = None if grammar == "honoured" else 2
            return {"content": json.dumps(reply["json"], separators=(",", ":") if indent is None else None,
                                          indent=indent)}
        if fmt.get("type") == "json_object" and "schema" in fmt:
            return as_if(fmt["schema"]["title"], body)
        return answer(body)

    return respond


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"OPENAI_API_KEY": "test", "SUMMARIZER_CACHE_DIR": str(tmp_path / "cache"), "SUMMARIZER_MODEL": "stub"}


def invoke(args: list[str], env: dict[str, str]):
    return runner.invoke(app, args, env=env)


def test_auto_falls_back_to_the_compact_grammar_on_llama_cpp_and_remembers_it(env, tmp_path: Path):
    with ScriptedServer(responder=llama_cpp_like()) as srv:
        env["OPENAI_BASE_URL"] = srv.url
        result = invoke(["brief", SEED_004, "-f", "json"], env)
        assert result.exit_code == 0, result.output
        brief = json.loads(result.stdout)
        assert [p["name"] for p in brief["meetings"][0]["participants"]]
        assert brief["provenance"]["settings"]["mode"] == "grammar"
        assert srv.requests[0]["response_format"]["type"] == "json_schema"  # one probe, refused once
        assert all("grammar" in r and "response_format" not in r for r in srv.requests[1:])
        assert all(r["repeat_penalty"] == 1.0 for r in srv.requests[1:])  # sampled as in-process, not llama.cpp's 1.1
        # constrained by the server: the schema is not written into the prompt
        assert all("properties" not in json.dumps(r["messages"]) for r in srv.requests)
        assert result.stderr.count("--mode auto") == 1 and "refused json_schema; using grammar" in result.stderr
        memory = json.loads((tmp_path / "cache" / "endpoints.json").read_text())
        assert memory[f"{srv.url} stub"]["mode"] == "grammar"

        sent = len(srv.requests)
        again = invoke(["brief", SEED_000, "-f", "json"], env)  # a later run skips the probing
        assert again.exit_code == 0, again.output
        assert all("grammar" in r for r in srv.requests[sent:])
        assert "as remembered in" in again.stderr
        quiet = invoke(["brief", SEED_000, "-q", "--refresh"], env)  # -q: the notice too is left out
        assert quiet.exit_code == 0 and quiet.stderr == "", quiet.stderr


@pytest.mark.parametrize("grammar", ["ignored", "absent"])
def test_a_server_without_the_grammar_field_gets_json_object_with_a_schema(env, tmp_path: Path, grammar: str):
    with ScriptedServer(responder=llama_cpp_like(grammar)) as srv:
        env["OPENAI_BASE_URL"] = srv.url
        result = invoke(["brief", SEED_004, "-f", "json"], env)
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["provenance"]["settings"]["mode"] == "json_object_schema"
        assert "refused json_schema, grammar; using json_object_schema" in result.stderr
        kinds = ["grammar" if "grammar" in r else r["response_format"]["type"] for r in srv.requests]
        assert kinds[:3] == ["json_schema", "grammar", "json_object"]
        assert kinds.count("grammar") == 1 and kinds[3:] == ["json_object"] * (len(kinds) - 3)
        memory = json.loads((tmp_path / "cache" / "endpoints.json").read_text())
        assert memory[f"{srv.url} stub"] == {**memory[f"{srv.url} stub"], "mode": "json_object_schema",
                                             "refused": ["json_schema", "grammar"]}


def test_explicit_mode_refused_is_sent_once_and_says_what_to_change(env):
    with ScriptedServer(responder=llama_cpp_like()) as srv:
        env["OPENAI_BASE_URL"] = srv.url
        result = invoke(["brief", SEED_004, "--mode", "json_schema"], env)
        assert result.exit_code == 1
        assert len(srv.requests) == 1
        line = result.stderr.strip().splitlines()[0]
        assert "HTTP 500, sent once, not retried" in line and "--mode" in line
        assert "retries" not in line


def test_http_400_is_sent_once_and_names_the_settings(env):
    with ScriptedServer() as srv:
        env["OPENAI_BASE_URL"] = srv.url
        srv.enqueue({"status": 400, "body": {"error": {"message": "model 'stub' not loaded"}}})
        result = invoke(["brief", SEED_004, "--mode", "json_schema"], env)
        assert result.exit_code == 1
        assert len(srv.requests) == 1
        assert "HTTP 400, sent once, not retried" in result.stderr and "model 'stub' not loaded" in result.stderr
        assert "after 4 retries" not in result.stderr and "--model" in result.stderr


def test_other_4xx_are_not_retried_but_429_is(env):
    with ScriptedServer(responder=seed_responder()) as srv:
        env["OPENAI_BASE_URL"] = srv.url
        srv.enqueue({"status": 422})
        assert invoke(["brief", SEED_004, "--mode", "json_schema"], env).exit_code == 1
        assert len(srv.requests) == 1
        srv.enqueue({"status": 429, "headers": {"Retry-After": "0"}})
        assert invoke(["brief", SEED_004, "--mode", "json_schema"], env).exit_code == 0
        assert len(srv.requests) >= 3


def test_unreachable_endpoint_stops_the_run_with_one_message_and_exit_2(env, seeds_dir: Path):
    with ScriptedServer() as srv:
        url = srv.url  # the port is free again once the server stops
    env["OPENAI_BASE_URL"] = url
    started = time.perf_counter()
    result = invoke(["brief", str(seeds_dir)], env)
    assert result.exit_code == 2
    assert time.perf_counter() - started < 3  # not ~10 s of retries per article
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "cannot connect" in lines[0] and "is the server running" in lines[0]


def test_dropped_connection_is_not_called_a_server_that_is_not_running(env, tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text("max_transport_retries = 1\n")
    env["SUMMARIZER_CONFIG"] = str(config)
    with ScriptedServer() as srv:
        env["OPENAI_BASE_URL"] = srv.url
        srv.enqueue({"drop": True}, {"drop": True})
        result = invoke(["brief", SEED_004], env)
    assert result.exit_code == 1
    assert "closed the connection without replying (tried 2 times)" in result.stderr
    assert "is the server running" not in result.stderr


@pytest.mark.parametrize("url", ["127.0.0.1:8080/v1", "ftp://127.0.0.1/v1", "http://"])
def test_a_bad_base_url_is_a_configuration_error(env, url: str):
    env["OPENAI_BASE_URL"] = url
    result = invoke(["brief", SEED_004], env)
    assert result.exit_code == 2
    assert "OPENAI_BASE_URL" in result.stderr and "is the server running" not in result.stderr


def test_timeout_flag_bounds_a_hung_server(env, tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text("max_transport_retries = 1\n")
    env["SUMMARIZER_CONFIG"] = str(config)
    with ScriptedServer() as srv:
        env["OPENAI_BASE_URL"] = srv.url
        srv.enqueue({"delay": 4, "json": {}}, {"delay": 4, "json": {}})
        started = time.perf_counter()
        result = invoke(["brief", SEED_004, "--timeout", "0.5"], env)
        elapsed = time.perf_counter() - started
    assert result.exit_code == 1, result.output
    assert "no reply within --timeout 0.5s (tried 2 times)" in result.stderr
    assert elapsed < 3.5


def test_an_unreadable_memory_file_means_probing_again(env, tmp_path: Path):
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "endpoints.json").write_text("{not json")
    with ScriptedServer(responder=llama_cpp_like()) as srv:
        env["OPENAI_BASE_URL"] = srv.url
        result = invoke(["brief", SEED_004, "-f", "json"], env)
    assert result.exit_code == 0, result.output
    assert "refused json_schema; using grammar" in result.stderr
    assert json.loads((tmp_path / "cache" / "endpoints.json").read_text())[f"{srv.url} stub"]["mode"] == "grammar"


def test_guided_json_sends_vllms_parameter_instead_of_response_format(env):
    answer = seed_responder()

    def vllm_like(body: dict[str, Any]) -> dict[str, Any]:
        assert "response_format" not in body
        name = body["guided_json"]["title"]
        return answer({**body, "response_format": {"type": "json_schema", "json_schema": {"name": name}}})

    with ScriptedServer(responder=vllm_like) as srv:
        env["OPENAI_BASE_URL"] = srv.url
        result = invoke(["brief", SEED_004, "--mode", "guided_json", "-f", "json"], env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["meetings"]
    assert all("properties" not in json.dumps(r["messages"]) for r in srv.requests)


def test_grammar_mode_without_llama_cpp_python_is_one_line_and_exit_2(env, monkeypatch):
    monkeypatch.setattr(structured, "grammar_available", lambda: False)  # a client-only install
    with ScriptedServer(responder=llama_cpp_like()) as srv:
        env["OPENAI_BASE_URL"] = srv.url
        result = invoke(["brief", SEED_004, "--mode", "grammar"], env)
        assert result.exit_code == 2, result.output
        assert "--mode grammar" in result.stderr and "llama-cpp-python" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and not srv.requests
        assert structured.chain("json_schema") == ["json_schema", "json_object_schema", "json"]  # auto skips it
