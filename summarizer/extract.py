"""One article to one brief: render the prompt, call the model, validate and ground, record provenance."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import grounding, prompts, shapes
from .articles import Article
from .cache import make_key
from .config import Settings
from .errors import ArticleTooLongError, BackendError, ExtractionError
from .schema import AREA_DESCRIPTIONS, SCHEMA_VERSION, Brief, Provenance

if TYPE_CHECKING:
    from .llm import ModelClient

# Part of every cache key: bump it when code after the model (grounding, enrichment, shapes) changes
# what a brief holds, so cached briefs made by older code are not served as current.
PIPELINE_VERSION = "3"
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
        "pipeline_version": PIPELINE_VERSION,
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
    """What a reply is validated against: the article without instruction-like sentences, so facts
    may not come from injected orders."""
    return {"article": grounding.without_injections(article.text),
            "sentence_count": len(grounding.split_sentences(article.text))}


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
        window = self.settings.n_ctx if self.model.backend == "local" else self.settings.context_tokens
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
        grounds = context["article"]
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
                answer = self.model.call(turn, follow_up.response_model, context={"article": grounds},
                                         generation=self.generation)
            except (BackendError, ExtractionError) as exc:
                exc.attempts = attempts + exc.attempts  # the ledger counts the earlier calls too
                raise
            answers[follow_up.name] = answer.draft
            attempts += answer.attempts
            turn.append({"role": "assistant", "content": answer.draft.model_dump_json()})
        try:
            brief = shape.to_brief(result.draft, article.id, grounds, answers)
        except ValueError as exc:  # pragma: no cover - drafts are validated before this point
            raise ExtractionError(f"{article.source}: cannot assemble brief: {exc}", attempts) from exc
        brief.provenance = Provenance(
            prompt=self.prompt.ref, template_sha256=self.prompt.sha256, schema_version=SCHEMA_VERSION,
            model=self.model.request_model, model_sha256=self.model.identity.get("model_sha256"),
            backend=self.model.backend,
            settings={**self.generation, "mode": self.model.mode.value, "max_reasks": self.settings.max_reasks},
            attempts=attempts, seconds=round(time.perf_counter() - started, 2),
            created=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
        )
        return brief
