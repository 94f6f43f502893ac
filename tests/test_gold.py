"""The hand-labelled gold files validate against the schema and quote their articles verbatim."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer import evaluate, grounding
from summarizer.cli import app
from summarizer.errors import GoldError

from .conftest import GOLD, SEEDS


def test_every_seed_has_a_valid_grounded_gold_file():
    labelled = evaluate.load_gold(GOLD, SEEDS)
    assert sorted(i.article.id for i in labelled) == sorted(p.stem for p in SEEDS.glob("*.txt"))
    for item in labelled:
        quotes = [x.evidence for m in item.gold.meetings for x in (*m.agreed_areas, *m.invitations) if x.evidence]
        assert quotes and all(grounding.whitespace_verbatim(q, item.article.text) for q in quotes)


def test_a_bad_gold_file_is_refused_with_its_name(tmp_path: Path):
    gold = tmp_path / "gold"
    gold.mkdir()
    data = json.loads((GOLD / "000_53c3ff3e3e7fd5e7.json").read_text())
    data["meetings"][0]["agreed_areas"][0]["evidence"] = "words the article does not contain"
    (gold / "000_53c3ff3e3e7fd5e7.json").write_text(json.dumps(data))
    with pytest.raises(GoldError, match="000_53c3ff3e3e7fd5e7.json: invalid gold brief at meetings.0"):
        evaluate.load_gold(gold, SEEDS)


def test_gold_scored_against_itself_through_the_cli_is_one(tmp_path: Path):
    result = CliRunner().invoke(app, ["eval", "--predictions", str(GOLD), "--runs", str(tmp_path), "--min-score", "1"])
    assert result.exit_code == 0, result.output
    assert "| overall | 1.000 |" in result.stdout
    [run] = list(tmp_path.iterdir())
    results = json.loads((run / "results.json").read_text())
    assert results[0]["fields"]["overall"] == 1.0
    assert "<mark>" in (run / "report.html").read_text()


def test_min_score_gate_fails_below(tmp_path: Path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(app, ["eval", "--predictions", str(empty), "--runs", str(tmp_path / "r"),
                                      "--min-score", "0.5"])
    assert result.exit_code == 1
    assert "below --min-score" in result.stderr
