"""An eval run's folder: ``results.json`` (every number, per set), ``report.md`` (the tables) and
``report.html`` per configuration (each article's brief beside its gold answer, differences, error
classes and the brief's warnings, evidence quotes marked in the article text).

``runs`` is flat: one ``EvalRun`` per (configuration, set), configurations in the same order in every set.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from . import grounding
from .evaluate import EvalRun

FIELD_ROWS = [
    ("participants F1", "participants_f1"), ("participants precision", "participants_precision"),
    ("participants recall", "participants_recall"), ("title accuracy", "title_accuracy"),
    ("country accuracy", "country_accuracy"), ("venue city accuracy", "venue_city_accuracy"),
    ("venue country accuracy", "venue_country_accuracy"), ("areas F1", "areas_f1"),
    ("areas precision", "areas_precision"), ("areas recall", "areas_recall"),
    ("invitations F1", "invitations_f1"), ("meeting count accuracy", "meeting_count_accuracy"),
    ("grounding rate", "grounding_rate"), ("overall", "overall"),
]


def by_set(runs: list[EvalRun]) -> dict[str, list[EvalRun]]:
    """The runs of each set, in the order the sets first appear."""
    out: dict[str, list[EvalRun]] = {}
    for run in runs:
        out.setdefault(run.set_name, []).append(run)
    return out


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"] + ["| " + " | ".join(r) + " |" for r in rows]


def _where(articles: dict[str, int]) -> str:
    return ", ".join(aid + (f" (×{n})" if n > 1 else "") for aid, n in articles.items())


def _set_section(runs: list[EvalRun], with_differences: bool) -> list[str]:
    fields = [r.report.fields() for r in runs]
    pair = len(runs) == 2
    rows = [[name, *(f"{f[key]:.3f}" for f in fields)] + ([f"{fields[1][key] - fields[0][key]:+.3f}"] if pair else [])
            for name, key in FIELD_ROWS]
    lines = _table(["field", *(r.label for r in runs)] + (["change"] if pair else []), rows)
    rows = []
    for i, item in enumerate(runs[0].labelled):
        cells = []
        for r in runs:
            secs = r.seconds.get(item.article.id)
            cells.append(f"{r.report.articles[i].overall:.3f}" + (f" ({secs:.0f}s)" if secs is not None else "")
                         + (" (failed)" if item.article.id in r.errors else ""))
        rows.append([item.article.id, *cells])
    lines += ["", *_table(["article", *(r.label for r in runs)], rows)]
    classes = [r.report.error_classes() for r in runs]
    rows = [[kind.value, *(f"{sum(c[kind].values())}" + (f": {_where(c[kind])}" if c[kind] else "") for c in classes)]
            for kind in classes[-1]]  # most frequent (in the last configuration) first
    lines += ["", *_table(["error class", *(r.label for r in runs)], rows)]
    for r in runs:
        if r.errors:
            lines += ["", f"Errors in {r.label}:"] + [f"- {e}" for e in r.errors.values()]
        if with_differences:
            lines += ["", f"Differences from gold, {r.label}:"]
            for score in r.report.articles:
                lines.append(f"- {score.article_id}: " + ("; ".join(score.differences) or "none"))
    return lines


def markdown(runs: list[EvalRun], with_differences: bool = False) -> str:
    """Per set: the field table, each article's score and the error classes; then the sets side by side."""
    sets = by_set(runs)
    lines: list[str] = []
    for name, group in sets.items():
        lines += [f"## {name} ({len(group[0].labelled)} articles)", "", *_set_section(group, with_differences), ""]
    if len(sets) > 1:
        columns = [(name, r) for name, group in sets.items() for r in group]
        several = any(len(group) > 1 for group in sets.values())
        head = ["field", *(f"{name}: {r.label}" if several else name for name, r in columns)]
        rows = [[label, *(f"{r.report.fields()[key]:.3f}" for _, r in columns)] for label, key in FIELD_ROWS]
        rows += [["articles", *(str(len(r.labelled)) for _, r in columns)],
                 ["failed", *(str(len(r.errors)) for _, r in columns)]]
        lines += ["## all sets", "", *_table(head, rows), ""]
    return "\n".join(lines)


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


def _set_view(run: EvalRun) -> dict:
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
    return {"name": run.set_name, "fields": report.fields(), "classes": report.error_classes(), "articles": articles}


def html(runs: list[EvalRun]) -> str:
    """One configuration's page: every set it was scored on."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("summarizer", "templates"), autoescape=True)
    return env.get_template("eval.html.j2").render(label=runs[0].label, rows=FIELD_ROWS,
                                                   sets=[_set_view(r) for r in runs])


def write_run(runs: list[EvalRun], runs_dir: Path, with_differences: bool = True) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    sets = by_set(runs)
    labels = list(dict.fromkeys(r.label for r in runs))
    slug = re.sub(r"[^A-Za-z0-9@.]+", "-", " vs ".join(labels) + " " + " ".join(sets)).strip("-")[:80]
    folder = runs_dir / f"{stamp}-{slug}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "results.json").write_text(json.dumps([r.as_dict() for r in runs], indent=2) + "\n")
    (folder / "report.md").write_text(markdown(runs, with_differences))
    # One page per configuration (the k-th run of every set), as report.html, report-2.html, ...
    for k in range(max(len(group) for group in sets.values())):
        page = [group[k] for group in sets.values() if k < len(group)]
        (folder / ("report.html" if k == 0 else f"report-{k + 1}.html")).write_text(html(page))
    return folder
