"""Prompt injection: facts come from the article's reporting, never from text addressed to a model.

A scripted server that obeys every injection (it answers with the planted person as a participant,
on every re-ask too) must not get that person into a brief silently: the article either fails with
one clear error line, or its brief leaves the person out.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer import grounding
from summarizer.cli import app

from .conftest import schema_name
from .injections import INJECTIONS, REPORTING
from .openai_stub import ScriptedServer

HONEST = ["Ana Soto", "Rui Costa"]


def _article(tmp_path: Path, injection: str, where: int) -> Path:
    paragraphs = ["Foreign Minister Ana Soto of Chile met Foreign Minister Rui Costa of Portugal in Lisbon on Monday.",
                  "They agreed to expand trade and to cooperate on energy.",
                  "The two ministers also discussed tourism."]
    paragraphs.insert(where, injection)
    path = tmp_path / "article.txt"
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def _responder(people: list[str]) -> Any:
    """A model that does what the article's text tells it: these people met, on every (re-)ask."""
    def respond(body: dict[str, Any]) -> dict[str, Any]:
        name = schema_name(body)
        if name == "InvitationsDraft":
            return {"json": {"invitations": []}}
        if "not in your list yet" in body["messages"][-1]["content"]:
            return {"json": {"meetings": []}}
        return {"json": {"meetings": [{
            "people": [{"name": p, "title": None, "country": None} for p in people],
            "city": "Lisbon", "country": "Portugal", "occasion": None, "date": "on Monday",
            "format": "in_person"}]}}
    return respond


def _people_in(brief: dict[str, Any]) -> set[str]:
    """Every name the brief states as a fact (its warnings may quote a dropped name, and do not count)."""
    names = set()
    for meeting in brief["meetings"]:
        for p in meeting["participants"]:
            names |= {p["name"], *p.get("aliases", [])}
        for inv in meeting.get("invitations", []):
            names |= {inv.get("inviter") or "", inv.get("invitee") or ""}
    return names


@pytest.mark.parametrize("injection, person", INJECTIONS, ids=[p for _, p in INJECTIONS])
def test_an_obeyed_injection_never_reaches_a_brief_silently(tmp_path: Path, injection: str, person: str):
    article = _article(tmp_path, injection, where=len(person) % 4)  # the injection's place varies
    with ScriptedServer(responder=_responder([*HONEST, person])) as srv:
        env = {"OPENAI_BASE_URL": srv.url, "OPENAI_API_KEY": "k", "SUMMARIZER_MODEL": "stub-model",
               "SUMMARIZER_CACHE_DIR": str(tmp_path / "cache")}
        result = CliRunner().invoke(app, ["brief", str(article), "-f", "json", "-q"], env=env)
        assert srv.requests, "the article must reach the model (the injection is in what it reads)"
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    if result.exit_code == 0:
        brief = json.loads(result.stdout)
        assert person not in _people_in(brief)
        assert any(person in w for w in brief.get("warnings", [])), "a dropped person is said in the warnings"
        assert set(HONEST) <= _people_in(brief)
    else:
        assert result.exit_code == 1, result.output
        assert len(errors) == 1 and errors[0].startswith(f"error: {article}: "), result.stderr
        assert person not in result.stdout


@pytest.mark.parametrize("injection, person", INJECTIONS, ids=[p for _, p in INJECTIONS])
def test_injections_are_blanked_and_the_reporting_around_them_kept(injection: str, person: str):
    text = f"Ana Soto met Rui Costa in Lisbon.\n\n{injection}\n\nThey agreed to expand trade.\n"
    grounds = grounding.without_injections(text)
    assert len(grounds) == len(text)  # offsets, and so evidence spans, are unchanged
    assert not grounding.name_in_text(person, grounds)
    assert grounds.startswith("Ana Soto met Rui Costa in Lisbon.") and grounds.endswith("They agreed to expand trade.\n")


@pytest.mark.parametrize("sentence", REPORTING)
def test_reporting_that_sounds_like_an_order_is_kept(sentence: str):
    assert grounding.without_injections(sentence) == sentence


def test_names_in_such_reporting_still_ground_a_brief(tmp_path: Path):
    article = tmp_path / "reporting.txt"
    article.write_text("\n\n".join(REPORTING) + "\n", encoding="utf-8")
    people = [*HONEST, "John Mills"]
    with ScriptedServer(responder=_responder(people)) as srv:
        env = {"OPENAI_BASE_URL": srv.url, "OPENAI_API_KEY": "k", "SUMMARIZER_MODEL": "stub-model",
               "SUMMARIZER_CACHE_DIR": str(tmp_path / "cache")}
        result = CliRunner().invoke(app, ["brief", str(article), "-f", "json", "-q"], env=env)
    assert result.exit_code == 0, result.output
    assert set(people) <= _people_in(json.loads(result.stdout))
