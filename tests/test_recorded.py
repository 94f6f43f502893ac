"""Regression gate: the embedded model's recorded replies for every labelled set, replayed through a
loopback server, must still score at least what they scored when recorded (bench/record.py exports
them from the reply store after `summarizer eval` ran every set on the embedded model).

Replies are matched by the exact messages that asked for them; a request the recording never saw (a
follow-up question that code now asks and did not then) is answered "none", so a change that needs
a new model answer shows up as a lower score, not as a crash.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.replay import messages_key

from .conftest import ROOT
from .openai_stub import ScriptedServer

RECORDED = Path(__file__).parent / "recorded"
PROMPT = "brief@v4"
# Overall per set with the current code on the recorded replies (printed by `make eval`); a change that
# lowers one by more than the tolerance fails here.
RECORDED_OVERALL = {"seeds": 0.946, "dev": 0.768, "test": 0.581}
TOLERANCE = 0.005
_EMPTY = {"MeetingsDraft": {"meetings": []}, "InvitationsDraft": {"invitations": []}}


def replay_responder(recorded: dict[str, dict[str, str]], unseen: list[str]):
    replies = {key: content for article in recorded.values() for key, content in article.items()}

    def respond(body):
        key = messages_key(body)
        if key in replies:
            return {"content": replies[key]}
        unseen.append(key)
        return {"json": _EMPTY[body["response_format"]["json_schema"]["name"]]}

    return respond


@pytest.mark.parametrize("name", sorted(RECORDED_OVERALL))
def test_recorded_replies_still_score_as_recorded(tmp_path: Path, name: str):
    recorded = json.loads((RECORDED / PROMPT / f"{name}.json").read_text(encoding="utf-8"))
    assert set(recorded) == {p.stem for p in (ROOT / "evals" / name / "gold").glob("*.json")}, \
        "the set changed: re-record with bench/record.py"
    floor = RECORDED_OVERALL[name] - TOLERANCE
    unseen: list[str] = []
    with ScriptedServer(responder=replay_responder(recorded, unseen)) as srv:
        env = {"OPENAI_BASE_URL": srv.url, "OPENAI_API_KEY": "k", "SUMMARIZER_CACHE_DIR": str(tmp_path / "c")}
        result = CliRunner().invoke(app, ["eval", "--prompt", PROMPT, "--set", name, "--runs", str(tmp_path / "runs"),
                                          "--min-score", str(floor)], env=env)
    assert result.exit_code == 0, result.output + f"\n{len(unseen)} request(s) not recorded"
    [run] = list((tmp_path / "runs").iterdir())
    [result] = json.loads((run / "results.json").read_text())
    assert result["fields"]["overall"] >= floor
    assert result["errors"] == {}  # no article fails when the model replied


def test_compare_shows_both_prompts_and_the_change(server: ScriptedServer, tmp_path: Path):
    env = {"OPENAI_BASE_URL": server.url, "OPENAI_API_KEY": "k", "SUMMARIZER_CACHE_DIR": str(tmp_path / "c")}
    result = CliRunner().invoke(app, ["eval", "--compare", "brief@v2", "brief@v3", "--diff", "--set", "seeds",
                                      "--runs", str(tmp_path / "runs")], env=env)
    assert result.exit_code == 0, result.output
    title, _, header = result.stdout.splitlines()[:3]
    assert title == "## seeds (5 articles)"
    assert "brief@v2" in header and "brief@v3" in header and "change" in header
    assert "Differences from gold, brief@v3" in result.stdout
    [run] = list((tmp_path / "runs").iterdir())
    assert {p.name for p in run.iterdir()} == {"results.json", "report.md", "report.html", "report-2.html"}
