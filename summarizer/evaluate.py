"""Prompt evaluations: run (or load) predictions for the labelled articles of one or more sets, and score them.

A set is a folder ``evals/<set>/`` with ``gold/<article_id>.json`` and
``articles/<article_id>.txt``: ``seeds`` (the five seeds), ``dev`` (tune on it),
``test`` (look at its scores only). ``summarizer.evalreport`` writes the run folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import scoring
from .articles import Article, read_file
from .config import Settings
from .errors import ArticleError, EvalSetError, GoldError, PredictionsError, describe_validation
from .pipeline import BriefRunner, Outcome
from .schema import Brief


@dataclass
class LabelledArticle:
    article: Article
    gold: Brief


@dataclass(frozen=True)
class EvalSet:
    name: str
    gold: Path
    articles: Path

    def load(self) -> list[LabelledArticle]:
        return load_gold(self.gold, self.articles)


def discover_sets(root: Path) -> list[EvalSet]:
    """Every subfolder of ``root`` that has ``gold/``, by name."""
    if not root.is_dir():
        return []
    return [EvalSet(d.name, d / "gold", d / "articles")
            for d in sorted(root.iterdir()) if (d / "gold").is_dir()]


def choose_sets(root: Path, names: list[str] | None = None, gold: Path | None = None,
                articles: Path | None = None) -> list[EvalSet]:
    """The sets named (all of them when none is), or one custom set from a gold folder and its articles."""
    if gold is not None or articles is not None:
        if names:
            raise EvalSetError("--set and --gold/--articles are alternatives: name sets, or give one gold folder")
        if gold is None:
            raise EvalSetError("--articles needs --gold (the folder of gold briefs for those articles)")
        # A custom folder laid out like a set (x/gold, x/articles) is named after x.
        name = gold.resolve().parent.name if gold.name == "gold" else gold.name
        return [EvalSet(name or "custom", gold, articles or gold.parent / "articles")]
    found = {s.name: s for s in discover_sets(root)}
    if not found:
        raise EvalSetError(f"{root}: no evaluation sets (folders <set>/gold/ with <set>/articles/)")
    unknown = [n for n in names or [] if n not in found]
    if unknown:
        raise EvalSetError(f"no set {unknown[0]!r} in {root}; the sets are {', '.join(found)}")
    return [found[n] for n in dict.fromkeys(names)] if names else list(found.values())


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


def load_predictions(pred_dir: Path, labelled: list[LabelledArticle],
                     set_name: str | None = None) -> tuple[dict[str, Brief], dict[str, str]]:
    """Briefs on disk for a set's articles: ``pred_dir/<set>/<id>.json`` when that folder exists, else
    ``pred_dir/<id>.json``. A folder with none of them is an error (scoring it would only measure its absence)."""
    if not pred_dir.exists():
        raise PredictionsError(f"{pred_dir}: no such predictions folder")
    if not pred_dir.is_dir():
        raise PredictionsError(f"{pred_dir}: is a file; give the folder of brief JSON files (<article_id>.json), "
                               "e.g. the -o folder of `summarizer brief -f json`")
    folder = pred_dir / set_name if set_name and (pred_dir / set_name).is_dir() else pred_dir
    if not any((folder / f"{i.article.id}.json").exists() for i in labelled):
        where = f"{pred_dir}/{set_name}/<id>.json or " if set_name else ""
        raise PredictionsError(f"{pred_dir}: no prediction for any article of set {set_name or folder.name!r} "
                               f"(looked for {where}{pred_dir}/<id>.json)")
    predictions, errors = {}, {}
    for item in labelled:
        path = folder / f"{item.article.id}.json"
        try:
            predictions[item.article.id] = Brief.model_validate_json(path.read_bytes())
        except FileNotFoundError:
            errors[item.article.id] = f"{path}: no prediction"
        except OSError as exc:
            errors[item.article.id] = f"{path}: cannot read: {exc.strerror or exc}"
        except ValidationError as exc:
            errors[item.article.id] = f"{path}: not a valid brief: {exc.errors()[0]['msg']}"
    return predictions, errors


@dataclass
class EvalRun:
    """One configuration (or predictions folder) scored on one set."""

    label: str  # what was evaluated: a prompt@model, or a predictions folder
    labelled: list[LabelledArticle]
    predictions: dict[str, Brief]
    errors: dict[str, str] = field(default_factory=dict)  # article id -> why it has no brief
    seconds: dict[str, float] = field(default_factory=dict)
    set_name: str = ""

    @cached_property
    def report(self) -> scoring.Report:
        return scoring.score([
            (self.predictions.get(i.article.id) or Brief(article_id=i.article.id), i.gold, i.article.text)
            for i in self.labelled
        ], failed=set(self.errors))

    def as_dict(self) -> dict[str, Any]:
        return {"label": self.label, "set": self.set_name, **self.report.as_dict(), "errors": self.errors,
                "seconds": self.seconds}


def from_predictions(pred_dir: Path, labelled: list[LabelledArticle], set_name: str = "") -> EvalRun:
    found, errors = load_predictions(pred_dir, labelled, set_name or None)
    return EvalRun(str(pred_dir), labelled, found, errors, set_name=set_name)


def from_outcomes(label: str, labelled: list[LabelledArticle], outcomes: list[Outcome],
                  set_name: str = "") -> EvalRun:
    run = EvalRun(label, labelled, {}, set_name=set_name)
    for outcome in outcomes:
        if outcome.brief is None:
            run.errors[outcome.article_id] = outcome.error or "failed"
            continue
        run.predictions[outcome.article_id] = outcome.brief
        prov = outcome.brief.provenance
        run.seconds[outcome.article_id] = prov.seconds if prov and prov.seconds is not None else outcome.seconds
    return run


def run_model(settings: Settings, labelled: list[LabelledArticle], on_event: Any = None,
              set_name: str = "") -> EvalRun:
    """Library entry point: extract (through the cache) and score."""
    with BriefRunner(settings) as runner:
        outcomes = list(runner.run([i.article for i in labelled], on_event=on_event))
    return from_outcomes(runner.label, labelled, outcomes, set_name)
