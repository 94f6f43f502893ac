"""The hand-labelled gold files of every set validate against the schema and quote their articles verbatim."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer import evaluate, grounding
from summarizer.cli import app
from summarizer.errors import GoldError

from .conftest import EVALS, GOLD, SEEDS

SETS = evaluate.discover_sets(EVALS)


def test_the_seeds_are_a_set_whose_articles_are_the_seed_files():
    seeds = next(s for s in SETS if s.name == "seeds")
    assert seeds.articles.is_symlink() and seeds.articles.resolve() == SEEDS.resolve()
    assert seeds.gold == GOLD


@pytest.mark.parametrize("eval_set", SETS, ids=lambda s: s.name)
def test_every_gold_file_validates_and_quotes_its_article(eval_set: evaluate.EvalSet):
    labelled = eval_set.load()  # validates each file with its article: names and quotes must occur in it
    for item in labelled:
        quotes = [x.evidence for m in item.gold.meetings for x in (*m.agreed_areas, *m.invitations) if x.evidence]
        assert all(grounding.whitespace_verbatim(q, item.article.text) for q in quotes), item.article.id


@pytest.mark.parametrize("eval_set", SETS, ids=lambda s: s.name)
def test_every_article_of_a_set_has_a_gold_file(eval_set: evaluate.EvalSet):
    articles = {p.stem for p in eval_set.articles.iterdir() if p.suffix in (".txt", ".md")}
    assert articles and articles == {p.stem for p in eval_set.gold.glob("*.json")}


def test_a_bad_gold_file_is_refused_with_its_name(tmp_path: Path):
    gold = tmp_path / "gold"
    gold.mkdir()
    data = json.loads((GOLD / "000_53c3ff3e3e7fd5e7.json").read_text())
    data["meetings"][0]["agreed_areas"][0]["evidence"] = "words the article does not contain"
    (gold / "000_53c3ff3e3e7fd5e7.json").write_text(json.dumps(data))
    with pytest.raises(GoldError, match="000_53c3ff3e3e7fd5e7.json: invalid gold brief at meetings.0"):
        evaluate.load_gold(gold, SEEDS)


def test_every_set_scored_against_its_own_gold_is_one(tmp_path: Path):
    predictions = tmp_path / "pred"
    predictions.mkdir()
    for s in SETS:  # the per-set layout: DIR/<set>/<article_id>.json
        (predictions / s.name).symlink_to(s.gold.resolve())
    result = CliRunner().invoke(app, ["eval", "--evals", str(EVALS), "--predictions", str(predictions),
                                      "--runs", str(tmp_path / "runs"), "--min-score", "1"])
    assert result.exit_code == 0, result.output
    assert "| overall | 1.000 |" in result.stdout
    [run] = list((tmp_path / "runs").iterdir())
    results = json.loads((run / "results.json").read_text())
    assert {r["set"]: r["fields"]["overall"] for r in results} == {s.name: 1.0 for s in SETS}
    assert all(r["error_classes"][k]["count"] == 0 for r in results for k in r["error_classes"])
    assert "<mark>" in (run / "report.html").read_text()
