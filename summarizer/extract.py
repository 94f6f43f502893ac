"""One article to one brief: render the prompt, call the model, validate and ground, record provenance."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import grounding, prompts, shapes, steps
from .articles import Article
from .cache import make_key
from .config import Settings
from .errors import ArticleTooLongError, BackendError, ExtractionError
from .schema import AREA_DESCRIPTIONS, SCHEMA_VERSION, Brief, Provenance

if TYPE_CHECKING:
    from .llm import ModelClient


@functools.cache
def code_fingerprint() -> str:
    """A hash of the package's code and vocabulary files: part of every brief's cache key, so a brief
    made by older code is never served as current. The raw replies (:mod:`summarizer.replay`) do not
    depend on it, so a change after the model re-derives every brief without a model call."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.suffix in (".py", ".json", ".toml", ".j2")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
CHARS_PER_TOKEN = 3.0  # conservative for English news text; real tokenisers give ~4
RESERVED_OUTPUT_TOKENS = 700


def cache_key(article: Article, prompt: prompts.Prompt, settings: Settings, identity: dict[str, Any]) -> str:
    """Everything that decides a brief: the article, the prompt and its template, the schema, the model."""
    return make_key({
        "article_sha256": article.sha256,
        "article_id": article.id,
        "prompt": prompt.ref,
        "template_sha256": prompt.sha256,
        "schema_version": SCHEMA_VERSION,
        "code": code_fingerprint(),
        "model": identity,
        "generation": dict(prompt.settings),
        "max_reasks": settings.max_reasks,
    })


def render_messages(prompt: prompts.Prompt, article: Article) -> list[dict[str, str]]:
    """The prompt's messages for one article (interactive runs and batch requests alike)."""
    return prompt.render(article=article.text, article_id=article.id,
                         sentences=grounding.split_sentences(article.text),
                         areas=[(area.value, text) for area, text in AREA_DESCRIPTIONS.items()])


def grounding_context(article: Article) -> dict[str, Any]:
    """What a reply is validated against while the model can still fix it: only its form (sentence
    numbers that exist). Names and quotes are repaired or dropped by the steps afterwards, item by item,
    so one bad name never costs the article."""
    return {"sentence_count": len(grounding.split_sentences(article.text))}


def to_brief(shape: shapes.Shape, draft: Any, article: Article, answers: dict[str, Any]) -> Brief:
    """Assemble the reply and run the extraction steps, grounded in the article without text addressed
    to a model (facts may not come from injected orders)."""
    context = steps.Context(text=article.text, grounds=grounding.without_injections(article.text),
                            answers=answers, areas_from_model=shape.response_model is not shapes.MeetingsDraft)
    return steps.run(shape.assemble(draft, article.id, article.text, answers), context)


@dataclass
class Extractor:
    model: ModelClient
    prompt: prompts.Prompt
    settings: Settings

    @property
    def generation(self) -> dict[str, Any]:
        return dict(self.prompt.settings)

    def _check_length(self, article: Article, messages: list[dict[str, str]]) -> None:
        """Refuse, before any call, an article the model cannot read whole (we do not silently truncate)."""
        window = self.model.backend.context_window
        if window is None:
            return  # a remote window we were not told: the server will say
        estimate = int(sum(len(m["content"]) for m in messages) / CHARS_PER_TOKEN)
        budget = window - RESERVED_OUTPUT_TOKENS
        if estimate > budget:
            raise ArticleTooLongError(
                f"{article.source}: too long for the model's context (about {estimate:,} prompt tokens, "
                f"{budget:,} available in a {window:,}-token window); split the article, or use a model "
                "with a longer context (n_ctx for the embedded model)")

    def extract(self, article: Article) -> Brief:
        shape = shapes.get(self.prompt.shape)
        messages = render_messages(self.prompt, article)
        self._check_length(article, messages)
        started = time.perf_counter()
        context = grounding_context(article)
        result = self.model.call(messages, shape.response_model, context=context, generation=self.generation)
        attempts = list(result.attempts)
        answers: dict[str, Any] = {}
        turn = [*messages, {"role": "assistant", "content": result.draft.model_dump_json()}]
        for ask in shape.follow_ups:  # later questions in the same conversation (its prefix is reused)
            follow_up = ask(result.draft, article.text, answers)
            if follow_up is None or follow_up.name not in self.prompt.follow_ups:
                continue
            turn.append(self.prompt.render_follow_up(follow_up.name, **follow_up.variables))
            try:
                answer = self.model.call(turn, follow_up.response_model, context=context,
                                         generation=self.generation)
            except (BackendError, ExtractionError) as exc:
                exc.attempts = attempts + exc.attempts  # the ledger counts the earlier calls too
                raise
            answers[follow_up.name] = answer.draft
            attempts += answer.attempts
            turn.append({"role": "assistant", "content": answer.draft.model_dump_json()})
        try:
            brief = to_brief(shape, result.draft, article, answers)
        except ValueError as exc:  # pragma: no cover - drafts are validated before this point
            raise ExtractionError(f"{article.source}: cannot assemble brief: {exc}", attempts) from exc
        brief.provenance = Provenance(
            prompt=self.prompt.ref, template_sha256=self.prompt.sha256, schema_version=SCHEMA_VERSION,
            model=self.model.request_model, model_sha256=self.model.identity.get("model_sha256"),
            backend=self.model.backend.name,
            settings={**self.generation, "mode": self.model.way, "max_reasks": self.settings.max_reasks},
            steps=steps.names(),
            attempts=attempts, seconds=round(time.perf_counter() - started, 2),
            created=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
        )
        return brief
