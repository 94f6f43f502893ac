"""Web pages, URLs and feeds as inputs, through the real CLI, a loopback page server with faults,
and the scripted model server: the same article in any form gives the same brief, boilerplate
never reaches the model, and each bad input costs one line and no other input."""

from __future__ import annotations

import csv
import html
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app

from .conftest import ROOT, SEEDS
from .openai_stub import ScriptedServer, user_text
from .page_server import PageServer

runner = CliRunner()
SAVED = ROOT / "tests" / "pages" / "000_53c3ff3e3e7fd5e7.html"  # seeds/000 in a page with boilerplate
ID = SAVED.stem
# Words of the pages' navigation, related links, comments and footer, in no seed article.
BOILERPLATE = ("Steppe Wire", "Subscribe", "Comments", "Pezeshkian", "gas pipeline", "Privacy", "Related coverage",
               "ferry timetable")


def wrap(text: str, meta: str = "") -> str:
    """A seed article as a news page: headline, paragraphs and lists among navigation, related
    links and reader comments (which invent an invitation and a pipeline the article never reports)."""
    lines = [line.strip() for line in text.strip().split("\n") if line.strip()]
    title, body, in_list = lines[0], [], False
    for line in lines[1:]:
        if line.startswith("- ") != in_list:
            body.append("</ul>" if in_list else "<ul>")
            in_list = not in_list
        body.append(f"<li>{html.escape(line[2:])}</li>" if in_list else f"<p>{html.escape(line)}</p>")
    body.append("</ul>" if in_list else "")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)} | Steppe Wire</title>"
            f"{meta}</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/s'>Subscribe</a></nav>"
            f"<article><h1>{html.escape(title)}</h1>{''.join(body)}</article>"
            "<aside class='related'><h3>Related coverage</h3><ul><li><a href='/x'>Caspian ferry timetable changes"
            "</a></li></ul></aside><section id='comments' class='comments'><h3>Comments</h3><div class='comment'>"
            "<p>The ministers should invite President Pezeshkian, and they agreed a gas pipeline, I heard.</p>"
            "</div></section><footer>© Steppe Wire · <a href='/privacy'>Privacy</a></footer></body></html>")


@pytest.fixture
def env(server: ScriptedServer, tmp_path: Path) -> dict[str, str]:
    return {"OPENAI_BASE_URL": server.url, "OPENAI_API_KEY": "test", "SUMMARIZER_CACHE_DIR": str(tmp_path / "cache"),
            "SUMMARIZER_MODEL": "stub-model"}


@pytest.fixture
def web():
    with PageServer() as srv:
        yield srv


def invoke(args: list[str], env: dict[str, str]):
    return runner.invoke(app, args, env=env)


def comparable(brief: dict) -> dict:
    """A brief without what differs by form and run: where it came from, and timing."""
    return {k: v for k, v in brief.items() if k not in ("source", "provenance")}


def test_same_brief_as_text_html_file_url_and_feed_row(env, tmp_path: Path, web: PageServer, server: ScriptedServer):
    text_file = tmp_path / "text" / f"{ID}.txt"
    html_file = tmp_path / "html" / f"{ID}.html"
    for target, origin in ((text_file, SEEDS / f"{ID}.txt"), (html_file, SAVED)):
        target.parent.mkdir()
        shutil.copy(origin, target)
    url = web.add(f"news/{ID}.html", SAVED.read_bytes())
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": ID, "html": SAVED.read_text(encoding="utf-8")}) + "\n", encoding="utf-8")

    briefs = {}
    for form, spec in (("text", text_file), ("html", html_file), ("url", url), ("feed", feed)):
        result = invoke(["brief", str(spec), "-f", "json", "--no-cache", "-q"], env)
        assert result.exit_code == 0, (form, result.output)
        briefs[form] = json.loads(result.stdout)
    assert briefs["text"]["meetings"], "the scripted model answered with the seed's meeting"
    for form in ("html", "url", "feed"):
        assert comparable(briefs[form]) == comparable(briefs["text"]), form
    assert [b["source"] for b in briefs.values()] == [str(text_file), str(html_file), url, f"{feed}:1"]
    # the model read the same text four times, and never the page's navigation, links or comments
    sent = [user_text(body) for body in server.requests]
    assert len(sent) >= 4 and all(s == sent[0] for s in sent[:: len(sent) // 4])
    assert not any(word in s for s in sent for word in (*BOILERPLATE, "Related News", "Bandar Abbas"))


def test_cache_keys_on_the_extracted_text(env, tmp_path: Path, web: PageServer, server: ScriptedServer):
    url = web.add(f"news/{ID}.html", SAVED.read_bytes())
    assert invoke(["brief", str(SEEDS / f"{ID}.txt"), "-q"], env).exit_code == 0
    sent = len(server.requests)
    result = invoke(["brief", url, "-f", "json"], env)
    assert result.exit_code == 0, result.output
    assert "1 from cache" in result.stderr and len(server.requests) == sent
    assert json.loads(result.stdout)["source"] == url  # the cached brief, with this input's source


def test_page_metadata_date_fills_published_only_when_the_text_states_none(env, tmp_path: Path, web: PageServer):
    meta = "<meta property='article:published_time' content='2024-05-10T08:00:00+00:00'>"
    undated = web.add("a/000.html", SAVED.read_text(encoding="utf-8").replace("</head>", meta + "</head>"))
    dated_text = (SEEDS / "001_c0d5be32047a8333.txt").read_text(encoding="utf-8")  # begins "Dec 05, 2021 12:11 UTC"
    dated = web.add("b/001_c0d5be32047a8333.html", wrap(dated_text, meta.replace("2024-05-10", "2024-01-01")))
    result = invoke(["brief", undated, dated, "-f", "json", "-q"], env)
    assert result.exit_code == 0, result.output
    first, second = json.loads(result.stdout)
    assert first["published"] == "2024-05-10"
    assert first["meetings"][0]["date"] == {"text": "on Friday", "iso": "2024-05-10"}  # resolved against it
    assert second["published"] == "2021-12-05"  # the text's own date wins over the metadata


def test_pages_urls_and_feed_rows_in_one_run_each_fault_one_line(env, tmp_path: Path, web: PageServer,
                                                                 server: ScriptedServer):
    seed = {p.stem[:3]: p for p in SEEDS.glob("*.txt")}
    page = tmp_path / "page.html"
    shutil.copy(SAVED, page)
    url = web.add("news/003.html", wrap(seed["003"].read_text(encoding="utf-8")))
    web.add("news/002.html", wrap(seed["002"].read_text(encoding="utf-8")))
    web.add("report.pdf", b"%PDF-1.4 not a page", content_type="application/pdf")
    web.add("empty.html", "<html><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav></body></html>")
    rows = [
        {"id": "001", "text": seed["001"].read_text(encoding="utf-8")},
        {"id": "002", "url": web.url("redirect/news/002.html"), "title": "ignored: the page has its own"},
        "{not json",
        {"text": "An article without an id."},
        {"id": "004", "html": wrap(seed["004"].read_text(encoding="utf-8"))},
        {"id": "missing", "url": web.url("missing.html")},
    ]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    faults = {web.url("missing.html"): "HTTP 404", web.url("report.pdf"): "not an HTML page (content-type application/pdf)",
              web.url("loop"): "more than 5 redirects", web.url("huge.html"): "page too large",
              web.url("empty.html"): "no article text found"}

    result = invoke(["brief", str(page), url, str(feed), *faults, "-f", "json", "-q"], env)

    assert result.exit_code == 1
    assert sorted(b["article_id"] for b in json.loads(result.stdout)) == ["001", "002", "003", "004", "page"]
    errors = sorted({line for line in result.stderr.splitlines() if line.startswith("error:")})
    assert len(errors) == 8, result.stderr
    for fault_url, words in faults.items():
        assert any(line.startswith(f"error: {fault_url}: {words}") for line in errors), (fault_url, errors)
    assert any(line.startswith(f"error: {feed}:3: not a JSON object") for line in errors)
    assert any(line == f"error: {feed}:4: no 'id'" for line in errors)
    assert any(line.startswith(f"error: {feed}:6: {web.url('missing.html')}: HTTP 404") for line in errors)
    sent = "\n".join(user_text(body) for body in server.requests)
    assert not any(word in sent for word in BOILERPLATE)
    assert "Tehran (IP)- Iranian Deputy Foreign Minister" in sent  # the html row's article reached the model


def test_csv_feed_rows_name_their_lines(env, tmp_path: Path):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "title", "published", "text"])
    writer.writerow(["000", "", "2024-05-10", (SEEDS / f"{ID}.txt").read_text(encoding="utf-8")])  # many lines
    writer.writerow(["bad-date", "", "last week", "Some text."])
    writer.writerow(["", "", "", "No id here."])
    feed = tmp_path / "news.csv"
    feed.write_text(buffer.getvalue(), encoding="utf-8")
    lines = buffer.getvalue().splitlines()
    bad_line = next(i for i, line in enumerate(lines, 1) if line.startswith("bad-date"))

    result = invoke(["brief", str(feed), "-f", "json", "-q"], env)

    assert result.exit_code == 1
    brief = json.loads(result.stdout)
    assert brief["source"] == f"{feed}:2" and brief["published"] == "2024-05-10"
    assert brief["meetings"][0]["date"]["iso"] == "2024-05-10"
    assert f"error: {feed}:{bad_line}: published 'last week' is not a date (YYYY-MM-DD)" in result.stderr
    assert f"error: {feed}:{bad_line + 1}: no 'id'" in result.stderr


def test_report_links_each_meeting_to_the_page_it_came_from(env, tmp_path: Path, web: PageServer):
    url = web.add(f"news/{ID}.html", SAVED.read_bytes())
    briefs = tmp_path / "briefs"
    assert invoke(["brief", url, "-f", "json", "-o", str(briefs), "-q"], env).exit_code == 0
    out = tmp_path / "report"
    result = invoke(["report", str(briefs), "-o", str(out)], env)  # from the brief files: their source field
    assert result.exit_code == 0, result.output
    assert f'<a href="{url}">{ID}</a>' in (out / "report.html").read_text(encoding="utf-8")
