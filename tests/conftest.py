from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from summarizer import grounding
from summarizer.config import Settings
from summarizer.schema import Brief

from .openai_stub import ScriptedServer, user_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
EVALS = ROOT / "evals"
GOLD = EVALS / "seeds" / "gold"


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's endpoint, key, config or cache."""
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL", "SUMMARIZER_BACKEND", "SUMMARIZER_MODE",
                "SUMMARIZER_PROMPT", "SUMMARIZER_CACHE_DIR", "SUMMARIZER_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


def _sentence_of(quote: str | None, text: str) -> int:
    sentences = grounding.split_sentences(text)
    span = grounding.find_quote(quote or "", text)
    start = span[0] if span else 0
    return next((s.number for s in sentences if s.start <= start < s.end), 1)


def reply_for(schema_name: str, brief: Brief, text: str) -> dict[str, Any]:
    """What a perfect model answers, for the response shape the request asks for."""
    meetings = brief.meetings
    if schema_name == "MeetingsDraft":
        return {"meetings": [{
            "people": [{"name": p.name, "title": p.title, "country": p.country} for p in m.participants],
            "city": m.venue.city, "country": m.venue.country, "occasion": m.venue.occasion,
            "date": m.date.text, "format": m.format or "unspecified"} for m in meetings]}
    if schema_name == "InvitationsDraft":
        return {"invitations": [{"inviter": i.inviter, "invitee": i.invitee, "event": i.event, "place": i.place,
                                 "when": i.when} for m in meetings for i in m.invitations]}
    if schema_name == "CompactDraft":
        return {"meetings": [{
            "people": [{"name": p.name, "title": p.title, "country": p.country} for p in m.participants],
            "city": m.venue.city, "country": m.venue.country, "occasion": m.venue.occasion,
            "date": m.date.text, "format": m.format or "unspecified",
            "areas": [{"area": a.area.value, "sentence": _sentence_of(a.evidence, text)} for a in m.agreed_areas],
            "invitations": [{"inviter": i.inviter, "invitee": i.invitee, "event": i.event, "place": i.place,
                             "when": i.when, "sentence": _sentence_of(i.evidence, text)} for i in m.invitations],
        } for m in meetings]}
    if schema_name == "FullDraft":
        return {"summary": brief.summary,
                "meetings": [m.model_dump(mode="json", exclude={"agreed_areas": {"__all__": {"evidence_span"}},
                                                               "invitations": {"__all__": {"evidence_span"}}})
                             for m in meetings]}
    raise AssertionError(f"no scripted reply for {schema_name}")


def schema_name(body: dict[str, Any]) -> str:
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return fmt["json_schema"]["name"]
    if body.get("tools"):
        return body["tools"][0]["function"]["name"]
    sent = json.dumps(body["messages"])  # JSON mode: the schema is written into the system message
    return next(n for n in ("InvitationsDraft", "MeetingsDraft", "CompactDraft", "FullDraft") if n in sent)


def load_gold() -> dict[str, tuple[Brief, str]]:
    out = {}
    for path in sorted(GOLD.glob("*.json")):
        text = (SEEDS / f"{path.stem}.txt").read_text(encoding="utf-8")
        out[path.stem] = (Brief.model_validate_json(path.read_text(encoding="utf-8")), text)
    return out


def seed_responder() -> Any:
    """Answer each request with the gold-derived reply for whichever seed article it carries."""
    gold = {}
    for brief, text in load_gold().values():
        marker = grounding.split_sentences(text)[2].text  # a body sentence identifies the article
        gold[marker] = (brief, text)

    def respond(body: dict[str, Any]) -> dict[str, Any]:
        sent = user_text(body)
        if "not in your list yet" in body["messages"][-1]["content"]:
            return {"json": {"meetings": []}}  # brief@v4's "other meetings?" follow-up: a perfect first answer
        for marker, (brief, text) in gold.items():
            if marker in sent:
                return {"json": reply_for(schema_name(body), brief, text)}
        return {"json": reply_for(schema_name(body), Brief(article_id="none"), "")}

    return respond


@pytest.fixture
def server() -> ScriptedServer:
    with ScriptedServer(responder=seed_responder()) as srv:
        yield srv


@pytest.fixture
def settings(server: ScriptedServer, tmp_path: Path) -> Settings:
    return Settings(backend="openai", base_url=server.url, api_key="test-key", model="stub-model",
                    cache_dir=tmp_path / "cache", timeout=2.0, max_reasks=2, max_transport_retries=3)


@pytest.fixture
def seeds_dir(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)
