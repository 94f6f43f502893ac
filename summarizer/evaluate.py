"""Prompt evaluations: run (or load) predictions for labelled articles, score them, write the run.

A run folder holds ``results.json`` (every number), ``report.md`` (the tables)
and ``report.html`` (each article's brief beside its gold answer, differences
highlighted, evidence quotes marked in the article text).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape
from pydantic import ValidationError

from . import grounding, scoring
from .articles import Article, read_file
from .config import Settings
from .errors import ArticleError, GoldError, describe_validation
from .pipeline import BriefRunner, Outcome
from .schema import Brief


@dataclass
class LabelledArticle:
    article: Article
    gold: Brief


def load_gold(gold_dir: Path, articles_dir: Path) -> list[LabelledArticle]:
    """Gold briefs with their articles; each gold file is validated and grounded in its article."""
    files = sorted(gold_dir.glob("*.json"))
    if not files:
        raise GoldError(f"{gold_dir}: no gold files (<article_id>.json)")
    out = []
    for path in files:
        source = next((articles_dir / f"{path.stem}{ext}" for ext in (".txt", ".md")
                       if (articles_dir / f"{path.stem}{ext}").is_file()), articles_dir / f"{path.stem}.txt")
        try:
            article = read_file(source)
        except ArticleError as exc:
            raise GoldError(f"{path}: its article cannot be read: {exc}") from None
        try:
            gold = Brief.model_validate_json(path.read_bytes(), context={"article": article.text})
        except ValidationError as exc:
            raise GoldError(f"{path}: invalid gold brief at {describe_validation(exc, limit=1)}") from None
        if gold.article_id != path.stem:
            raise GoldError(f"{path}: article_id {gold.article_id!r} does not match the file name")
        out.append(LabelledArticle(article, gold))
    return out


def load_predictions(pred_dir: Path, labelled: list[LabelledArticle]) -> tuple[dict[str, Brief], dict[str, str]]:
    predictions, errors = {}, {}
    for item in labelled:
        path = pred_dir / f"{item.article.id}.json"
        try:
            predictions[item.article.id] = Brief.model_validate_json(path.read_bytes())
        except FileNotFoundError:
            errors[item.article.id] = f"{path}: no prediction"
        except ValidationError as exc:
            errors[item.article.id] = f"{path}: not a valid brief: {exc.errors()[0]['msg']}"
    return predictions, errors


@dataclass
class EvalRun:
    label: str  # what was evaluated: a prompt@model, or a predictions folder
    labelled: list[LabelledArticle]
    predictions: dict[str, Brief]
    errors: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def report(self) -> scoring.Report:
        return scoring.score([
            (self.predictions.get(i.article.id) or Brief(article_id=i.article.id), i.gold, i.article.text)
            for i in self.labelled
        ])

    def as_dict(self) -> dict[str, Any]:
        return {"label": self.label, **self.report.as_dict(), "errors": self.errors, "seconds": self.seconds}


def from_outcomes(label: str, labelled: list[LabelledArticle], outcomes: list[Outcome]) -> EvalRun:
    run = EvalRun(label, labelled, {})
    for outcome in outcomes:
        if outcome.brief is None:
            run.errors[outcome.article_id] = outcome.error or "failed"
            continue
        run.predictions[outcome.article_id] = outcome.brief
        prov = outcome.brief.provenance
        run.seconds[outcome.article_id] = prov.seconds if prov and prov.seconds is not None else outcome.seconds
    return run


def run_model(settings: Settings, labelled: list[LabelledArticle], on_event: Any = None) -> EvalRun:
    """Library entry point: extract (through the cache) and score."""
    runner = BriefRunner(settings)
    outcomes = list(runner.run([i.article for i in labelled], on_event=on_event))
    return from_outcomes(runner.label, labelled, outcomes)


FIELD_ROWS = [
    ("participants F1", "participants_f1"), ("participants precision", "participants_precision"),
    ("participants recall", "participants_recall"), ("title accuracy", "title_accuracy"),
    ("country accuracy", "country_accuracy"), ("venue city accuracy", "venue_city_accuracy"),
    ("venue country accuracy", "venue_country_accuracy"), ("areas F1", "areas_f1"),
    ("areas precision", "areas_precision"), ("areas recall", "areas_recall"),
    ("invitations F1", "invitations_f1"), ("meeting count accuracy", "meeting_count_accuracy"),
    ("grounding rate", "grounding_rate"), ("overall", "overall"),
]


def markdown(runs: list[EvalRun], with_differences: bool = False) -> str:
    fields = [r.report.fields() for r in runs]
    head = "| field | " + " | ".join(r.label for r in runs) + (" | change |" if len(runs) == 2 else " |")
    lines = [head, "|---" * (len(runs) + 1 + (len(runs) == 2)) + "|"]
    for name, key in FIELD_ROWS:
        cells = [f"{f[key]:.3f}" for f in fields]
        change = [f"{fields[1][key] - fields[0][key]:+.3f}"] if len(runs) == 2 else []
        lines.append(f"| {name} | " + " | ".join(cells + change) + " |")
    lines += ["", "| article | " + " | ".join(r.label for r in runs) + " |", "|---" * (len(runs) + 1) + "|"]
    for i, item in enumerate(runs[0].labelled):
        cells = []
        for r in runs:
            score = r.report.articles[i]
            secs = r.seconds.get(item.article.id)
            cells.append(f"{score.overall:.3f}" + (f" ({secs:.0f}s)" if secs is not None else "")
                         + (" (failed)" if item.article.id in r.errors else ""))
        lines.append(f"| {item.article.id} | " + " | ".join(cells) + " |")
    for r in runs:
        if r.errors:
            lines += ["", f"Errors in {r.label}:"] + [f"- {e}" for e in r.errors.values()]
        if with_differences:
            lines += ["", f"Differences from gold, {r.label}:"]
            for score in r.report.articles:
                lines.append(f"- {score.article_id}: " + ("; ".join(score.differences) or "none"))
    return "\n".join(lines) + "\n"


def _highlight(text: str, spans: list[tuple[int, int]]) -> str:
    """The article as HTML with each evidence span in <mark>."""
    out, at = [], 0
    for start, end in sorted(set(spans)):
        if start < at:
            continue
        out += [escape(text[at:start]), f"<mark>{escape(text[start:end])}</mark>"]
        at = end
    out.append(escape(text[at:]))
    return "".join(str(x) for x in out)


def html(run: EvalRun) -> str:
    env = jinja2.Environment(loader=jinja2.PackageLoader("summarizer", "templates"), autoescape=True)
    report = run.report
    articles = []
    for item, score in zip(run.labelled, report.articles, strict=True):
        pred = run.predictions.get(item.article.id)
        spans = []
        for m in (pred.meetings if pred else []):
            for x in (*m.agreed_areas, *m.invitations):
                if x.evidence:
                    span = x.evidence_span or grounding.find_quote(x.evidence, item.article.text)
                    if span:
                        spans.append(tuple(span))
        articles.append({"id": item.article.id, "score": score, "pred": pred, "gold": item.gold,
                         "error": run.errors.get(item.article.id),
                         "text": Markup(_highlight(item.article.text, spans))})
    return env.get_template("eval.html.j2").render(run=run, fields=report.fields(), rows=FIELD_ROWS,
                                                   articles=articles)


def write_run(runs: list[EvalRun], runs_dir: Path, with_differences: bool = True) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    slug = re.sub(r"[^A-Za-z0-9@.]+", "-", " vs ".join(r.label for r in runs)).strip("-")[:80]
    folder = runs_dir / f"{stamp}-{slug}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "results.json").write_text(json.dumps([r.as_dict() for r in runs], indent=2) + "\n")
    (folder / "report.md").write_text(markdown(runs, with_differences))
    for i, run in enumerate(runs):
        (folder / ("report.html" if i == 0 else f"report-{i + 1}.html")).write_text(html(run))
    return folder
