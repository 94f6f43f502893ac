"""`summarizer eval` over named sets: discovery, --set, the all-sets default, per-set predictions, the gates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.schema import Brief

from .conftest import GOLD, SEEDS

IDS = sorted(p.stem for p in GOLD.glob("*.json"))
SPLIT = {"alpha": IDS[:2], "beta": IDS[2:]}


@pytest.fixture
def evals(tmp_path: Path) -> Path:
    """Two sets made of the seeds, laid out as evals/<set>/{gold,articles}."""
    root = tmp_path / "evals"
    for name, ids in SPLIT.items():
        (root / name / "gold").mkdir(parents=True)
        (root / name / "articles").mkdir()
        for aid in ids:
            shutil.copy(GOLD / f"{aid}.json", root / name / "gold")
            shutil.copy(SEEDS / f"{aid}.txt", root / name / "articles")
    (root / "notes").mkdir()  # a folder without gold/ is not a set
    return root


def _gold(aid: str) -> Brief:
    return Brief.model_validate_json((GOLD / f"{aid}.json").read_text())


@pytest.fixture
def predictions(tmp_path: Path) -> Path:
    """alpha perfect in pred/alpha/; beta in pred/ itself, its first article missing a meeting, with warnings."""
    pred = tmp_path / "pred"
    (pred / "alpha").mkdir(parents=True)
    for aid in SPLIT["alpha"]:
        shutil.copy(GOLD / f"{aid}.json", pred / "alpha")
    for k, aid in enumerate(SPLIT["beta"]):
        brief = _gold(aid)
        if k == 0:
            brief.meetings = brief.meetings[:-1] if len(brief.meetings) > 1 else []
            brief.warnings = ["dropped meeting 2: no participant named in the article"]
        (pred / f"{aid}.json").write_text(brief.model_dump_json())
    return pred


def invoke(*args: str):
    return CliRunner().invoke(app, ["eval", *args])


def _results(runs: Path) -> dict[str, dict]:
    [run] = list(runs.iterdir())
    return {r["set"]: r for r in json.loads((run / "results.json").read_text())}


def test_no_set_scores_every_set_and_shows_them_side_by_side(evals: Path, predictions: Path, tmp_path: Path):
    result = invoke("--evals", str(evals), "--predictions", str(predictions), "--runs", str(tmp_path / "runs"))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "## alpha (2 articles)" in out and "## beta (3 articles)" in out
    side = out[out.index("## all sets"):].splitlines()
    assert side[2] == "| field | alpha | beta |"
    overall = next(line for line in side if line.startswith("| overall |"))
    results = _results(tmp_path / "runs")
    assert set(results) == {"alpha", "beta"}
    assert results["alpha"]["fields"]["overall"] == 1.0 and results["beta"]["fields"]["overall"] < 1.0
    assert overall == f"| overall | 1.000 | {results['beta']['fields']['overall']:.3f} |"
    missed = results["beta"]["error_classes"]["missed meeting"]
    assert missed == {"count": 1, "articles": {SPLIT["beta"][0]: 1}}


def test_set_picks_sets_by_name(evals: Path, predictions: Path, tmp_path: Path):
    result = invoke("--evals", str(evals), "--set", "beta", "--predictions", str(predictions),
                    "--runs", str(tmp_path / "runs"))
    assert result.exit_code == 0, result.output
    assert "## beta" in result.stdout and "## alpha" not in result.stdout and "## all sets" not in result.stdout
    assert set(_results(tmp_path / "runs")) == {"beta"}


def test_an_unknown_set_is_a_usage_error_naming_the_sets(evals: Path, tmp_path: Path):
    result = invoke("--evals", str(evals), "--set", "gamma", "--predictions", str(tmp_path))
    assert result.exit_code == 2
    assert "no set 'gamma'" in result.stderr and "the sets are alpha, beta" in result.stderr


def test_min_score_applies_to_every_set(evals: Path, predictions: Path, tmp_path: Path):
    result = invoke("--evals", str(evals), "--predictions", str(predictions), "--runs", str(tmp_path / "runs"),
                    "--min-score", "0.999")
    assert result.exit_code == 1
    assert "set beta: overall score" in result.stderr and "set alpha" not in result.stderr


def test_a_missing_predictions_folder_fails(evals: Path, tmp_path: Path):
    result = invoke("--evals", str(evals), "--predictions", str(tmp_path / "nowhere"), "--runs", str(tmp_path / "r"))
    assert result.exit_code == 2
    assert "nowhere: no such predictions folder" in result.stderr
    assert not (tmp_path / "r").exists()


def test_a_set_without_any_prediction_fails_instead_of_scoring_zero(evals: Path, tmp_path: Path):
    pred = tmp_path / "pred" / "alpha"
    pred.mkdir(parents=True)
    for aid in SPLIT["alpha"]:
        shutil.copy(GOLD / f"{aid}.json", pred)
    result = invoke("--evals", str(evals), "--predictions", str(pred.parent), "--min-score", "0",
                    "--runs", str(tmp_path / "r"))
    assert result.exit_code == 2
    assert "no prediction for any article of set 'beta'" in result.stderr


def test_a_missing_prediction_is_a_failed_article(evals: Path, predictions: Path, tmp_path: Path):
    (predictions / f"{SPLIT['beta'][1]}.json").unlink()
    result = invoke("--evals", str(evals), "--set", "beta", "--predictions", str(predictions),
                    "--runs", str(tmp_path / "runs"), "--min-score", "0.999")
    assert result.exit_code == 1
    beta = _results(tmp_path / "runs")["beta"]
    assert beta["error_classes"]["failed article"] == {"count": 1, "articles": {SPLIT["beta"][1]: 1}}
    assert f"failed article | 1: {SPLIT['beta'][1]}" in result.stdout


def test_custom_gold_folder_still_works(tmp_path: Path):
    result = invoke("--gold", str(GOLD), "--articles", str(SEEDS), "--predictions", str(GOLD),
                    "--runs", str(tmp_path / "runs"), "--min-score", "1")
    assert result.exit_code == 0, result.output
    assert "## seeds (5 articles)" in result.stdout  # named after the folder holding gold/
    assert invoke("--gold", str(GOLD), "--set", "seeds").exit_code == 2


def test_the_eval_page_shows_warnings_beside_differences(evals: Path, predictions: Path, tmp_path: Path):
    invoke("--evals", str(evals), "--predictions", str(predictions), "--runs", str(tmp_path / "runs"))
    [run] = list((tmp_path / "runs").iterdir())
    page = (run / "report.html").read_text()
    assert "Set alpha" in page and "Set beta" in page
    article = page[page.index(f'id="beta-{SPLIT["beta"][0]}"'):page.index(f'id="beta-{SPLIT["beta"][1]}"')]
    assert "missed meeting" in article
    assert "dropped meeting 2: no participant named in the article" in article
    assert f'href="#beta-{SPLIT["beta"][0]}"' in page  # the error class table links to the article


def test_the_model_runs_every_set_in_one_eval(evals: Path, server, tmp_path: Path):
    env = {"OPENAI_BASE_URL": server.url, "OPENAI_API_KEY": "k", "SUMMARIZER_CACHE_DIR": str(tmp_path / "c")}
    result = CliRunner().invoke(app, ["eval", "--evals", str(evals), "--runs", str(tmp_path / "runs"),
                                      "--min-score", "0.9"], env=env)
    assert result.exit_code == 0, result.output
    assert "on set alpha (2 articles)" in result.stderr and "on set beta (3 articles)" in result.stderr
    results = _results(tmp_path / "runs")
    assert sorted(results) == ["alpha", "beta"]
    assert {name: sorted(r["articles"]) for name, r in results.items()} == SPLIT
