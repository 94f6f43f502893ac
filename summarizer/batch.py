"""Batch jobs for large corpora through the OpenAI Batch API: submit, status, collect.

Every step records its result in ``<state>/batch.json`` before the next begins, so an
interrupted run resumes where it stopped: the requests file is written once, uploaded
once, the batch created once, the output downloaded once, and each brief written to
the same cache interactive runs use (same key), validated and grounded the same way.
Batch requests are single calls, so a prompt with follow-up questions is refused.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import endpoint, prompts, shapes
from .articles import Article, collect
from .cache import BriefCache
from .config import DEFAULT_REMOTE_MODEL, Settings
from .errors import ConfigError, SummarizerError, describe_validation
from .extract import cache_key, grounding_context, render_messages, to_brief
from .schema import SCHEMA_VERSION, Provenance, Usage

STATE_FILE = "batch.json"


class BatchError(SummarizerError):
    """The batch cannot go on as asked (not finished yet, no state, a failed batch)."""


@dataclass
class BatchState:
    prompt: str
    model: str
    base_url: str | None
    mode: str
    articles: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> {source, key, text}
    input_file_id: str | None = None
    batch_id: str | None = None
    status: str = "prepared"
    output_file_id: str | None = None
    collected: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".batch.", suffix=".tmp")
        with os.fdopen(fd, "w") as fh:
            json.dump(asdict(self), fh, indent=1)
        os.replace(tmp, folder / STATE_FILE)  # atomic: a kill never leaves half a state

    @classmethod
    def load(cls, folder: Path) -> BatchState:
        path = folder / STATE_FILE
        if not path.is_file():
            raise BatchError(f"{path}: no batch here; start one with `summarizer batch submit`")
        return cls(**json.loads(path.read_text()))


def _client(settings: Settings) -> Any:
    import openai

    return openai.OpenAI(api_key=settings.api_key or "not-needed", base_url=settings.base_url,
                         timeout=settings.timeout, max_retries=settings.max_transport_retries)


def _request(article: Article, prompt: prompts.Prompt, settings: Settings, mode: str) -> dict[str, Any]:
    shape = shapes.get(prompt.shape)
    model = shape.response_model
    body: dict[str, Any] = {"model": settings.model or DEFAULT_REMOTE_MODEL,
                            "messages": render_messages(prompt, article),
                            **prompt.settings}
    schema = model.model_json_schema()
    if mode == endpoint.MODE_VALUES["tools"]:
        body["tools"] = [{"type": "function", "function": {"name": model.__name__, "parameters": schema}}]
        body["tool_choice"] = {"type": "function", "function": {"name": model.__name__}}
    else:
        body["response_format"] = {"type": "json_schema", "json_schema": {"name": model.__name__, "schema": schema}}
    return {"custom_id": article.id, "method": "POST", "url": "/v1/chat/completions", "body": body}


def submit(paths: list[str], settings: Settings, folder: Path, log: Any = print) -> BatchState:
    """Prepare, upload and create the batch; each step once, even across interruptions."""
    if (folder / STATE_FILE).is_file():
        state = BatchState.load(folder)
        log(f"resuming the batch in {folder} (status {state.status})")
    else:
        if settings.resolved_backend != "openai":
            raise ConfigError("batch jobs need an OpenAI-compatible endpoint (OPENAI_API_KEY or OPENAI_BASE_URL)")
        prompt = prompts.load(settings.prompt)
        if prompt.follow_ups:
            raise ConfigError(f"{prompt.ref} asks follow-up questions, which a batch cannot; "
                              "use a single-call prompt such as --prompt brief@v1")
        way = endpoint.way_name(settings)
        if way not in ("tools", "json_schema"):  # by name: grammar & co. share json_schema's instructor mode
            raise ConfigError(f"batch jobs support --mode tools or json_schema, not {way}")
        mode = endpoint.MODE_VALUES[way]
        state = BatchState(prompt=prompt.ref, model=settings.model or DEFAULT_REMOTE_MODEL,
                           base_url=settings.base_url, mode=mode)
        cache, ident = BriefCache(settings.cache_dir), endpoint.identity(settings)
        lines = []
        for item in collect(paths):
            if isinstance(item, SummarizerError):
                log(f"error: {item}")
                continue
            key = cache_key(item, prompt, settings, ident)
            if settings.use_cache and cache.get(key) is not None:
                continue  # already briefed: nothing to pay for
            # the text as read: a page's or feed row's text cannot be read back from its source
            state.articles[item.id] = {"source": item.source, "key": key, "text": item.text}
            lines.append(json.dumps(_request(item, prompt, settings, mode), ensure_ascii=False))
        if not lines:
            raise BatchError("nothing to submit: every article is already in the cache (or none could be read)")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "requests.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        state.save(folder)
        log(f"prepared {len(lines)} request(s) in {folder / 'requests.jsonl'}")
    client = _client(settings)
    if state.input_file_id is None:
        with (folder / "requests.jsonl").open("rb") as fh:
            state.input_file_id = client.files.create(file=fh, purpose="batch").id
        state.save(folder)
        log(f"uploaded requests as file {state.input_file_id}")
    if state.batch_id is None:
        batch = client.batches.create(input_file_id=state.input_file_id, endpoint="/v1/chat/completions",
                                      completion_window="24h")
        state.batch_id, state.status = batch.id, batch.status
        state.save(folder)
        log(f"created batch {state.batch_id} ({state.status})")
    return state


def status(settings: Settings, folder: Path) -> tuple[BatchState, dict[str, int]]:
    state = BatchState.load(folder)
    if state.batch_id is None:
        raise BatchError(f"{folder}: the batch was never created; run `summarizer batch submit` again to resume")
    batch = _client(settings).batches.retrieve(state.batch_id)
    state.status, state.output_file_id = batch.status, batch.output_file_id
    state.save(folder)
    counts = batch.request_counts.model_dump() if batch.request_counts else {}
    return state, counts


def collect_results(settings: Settings, folder: Path, log: Any = print) -> BatchState:
    """Download the output once, validate and ground each reply, and write the briefs to the cache."""
    state, _ = status(settings, folder)
    if state.status != "completed":
        raise BatchError(f"batch {state.batch_id} is {state.status}, not completed; try again later")
    output = folder / "output.jsonl"
    if not output.is_file():
        data = _client(settings).files.content(state.output_file_id).read()
        output.write_bytes(data)
    prompt = prompts.load(state.prompt)
    shape = shapes.get(prompt.shape)
    cache = BriefCache(settings.cache_dir)
    for line in output.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        article_id = row["custom_id"]
        if article_id in state.collected or article_id not in state.articles:
            continue
        info = state.articles[article_id]
        try:
            body = (row.get("response") or {}).get("body") or {}
            if row.get("error") or not body.get("choices"):
                raise BatchError(f"the batch returned an error: {row.get('error')}")
            message = body["choices"][0]["message"]
            content = message["tool_calls"][0]["function"]["arguments"] if message.get("tool_calls") \
                else message["content"]
            text = info.get("text") or Path(info["source"]).read_text(encoding="utf-8")  # older state files
            article = Article(article_id, text, info["source"])
            draft = shape.response_model.model_validate_json(content, context=grounding_context(article))
            brief = to_brief(shape, draft, article, {})
        except (SummarizerError, ValidationError, OSError, KeyError, ValueError) as exc:
            state.failed[article_id] = f"{info['source']}: {describe_validation(exc, limit=2)}"
            log(f"error: {state.failed[article_id]} (rerun it with `summarizer brief`, which re-asks)")
            continue
        usage = body.get("usage") or {}
        brief.provenance = Provenance(
            prompt=prompt.ref, template_sha256=prompt.sha256, schema_version=SCHEMA_VERSION, model=state.model,
            backend="openai-batch", settings={**prompt.settings, "mode": state.mode, "batch_id": state.batch_id},
            attempts=[Usage(prompt_tokens=usage.get("prompt_tokens", 0),
                            completion_tokens=usage.get("completion_tokens", 0))],
            created=dt.datetime.now(dt.timezone.utc).replace(microsecond=0))
        cache.put(info["key"], brief)
        state.collected.append(article_id)
        state.failed.pop(article_id, None)
        state.save(folder)
    log(f"collected {len(state.collected)} of {len(state.articles)} brief(s) into {settings.cache_dir}"
        + (f"; {len(state.failed)} failed" if state.failed else ""))
    return state
