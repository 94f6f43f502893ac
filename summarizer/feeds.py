"""Many articles in one file: JSONL or CSV rows as news APIs and scrapers export them.

Each row has ``id`` and one of ``text``, ``html`` or ``url``, and optionally ``published`` and
``title``. A bad row becomes one ArticleError naming the file and its line; the other rows go on.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from . import pages
from .errors import ArticleError

FEED_SUFFIXES = (".jsonl", ".ndjson", ".csv")

Row = tuple[int, dict[str, Any] | ArticleError]  # (line number, fields or the error)


def _jsonl_rows(path: Path, text: str) -> Iterator[Row]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, ArticleError(f"{path}:{number}: not a JSON object ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(row, dict):
            yield number, ArticleError(f"{path}:{number}: not a JSON object (a {type(row).__name__})")
            continue
        yield number, row


def _csv_rows(path: Path, text: str) -> Iterator[Row]:
    csv.field_size_limit(max(csv.field_size_limit(), pages.MAX_PAGE_BYTES))  # whole pages in an html column
    reader = csv.DictReader(text.splitlines(keepends=True))
    if not reader.fieldnames or "id" not in reader.fieldnames:
        yield 1, ArticleError(f"{path}:1: the header names no 'id' column (found: {', '.join(reader.fieldnames or [])})")
        return
    while True:
        start = reader.line_num + 1  # the line the row starts on (quoted fields may span lines)
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, ArticleError(f"{path}:{start}: not a CSV row ({exc})")
            return
        if None in row:
            yield start, ArticleError(f"{path}:{start}: more fields than the header names")
            continue
        yield start, {k: v for k, v in row.items() if v not in (None, "")}


def _published(value: Any, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ArticleError(f"{where}: published {value!r} is not a date (YYYY-MM-DD)") from None


def _field(row: dict[str, Any], name: str, where: str) -> str | None:
    value = row.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ArticleError(f"{where}: {name!r} must be a string, not {type(value).__name__}")
    return value


def _article(row: dict[str, Any], where: str, fetch: Callable[[str], bytes]):
    from .articles import Article  # articles imports this module

    article_id = row.get("id")
    if article_id in (None, ""):
        raise ArticleError(f"{where}: no 'id'")
    article_id = str(article_id).strip()
    title = _field(row, "title", where)
    published = _published(row.get("published"), where)
    text, html, url = (_field(row, k, where) for k in ("text", "html", "url"))
    given = [k for k, v in (("text", text), ("html", html), ("url", url)) if v]
    if len(given) != 1:
        raise ArticleError(f"{where}: give exactly one of 'text', 'html' or 'url' (found "
                           f"{', '.join(given) or 'none'})")
    origin = where
    if text is not None:
        text = text.replace("\r\n", "\n")
        if not text.strip():
            raise ArticleError(f"{where}: empty 'text', nothing to summarise")
        if title and text.lstrip().split("\n", 1)[0].strip() != title.strip():
            text = f"{title.strip()}\n{text}"  # the headline leads, as in a saved article
    else:
        if url is not None:
            if not pages.is_url(url):
                raise ArticleError(f"{where}: 'url' must start with http:// or https://")
            try:
                html = fetch(url)
            except ArticleError as exc:
                raise ArticleError(f"{where}: {exc}") from None
            origin = url
        page = pages.extract(html, where, url=url)
        text, title = page.text, title or page.title
        published = published or page.published
    return Article(id=article_id, text=text, source=where, title=title, published=published, origin=origin)


def read(path: Path, text: str, fetch: Callable[[str], bytes] = pages.fetch) -> list:
    """The feed's rows as Articles, a bad row as an ArticleError naming ``path:line``."""
    rows = _csv_rows(path, text) if path.suffix.lower() == ".csv" else _jsonl_rows(path, text)
    out: list = []
    for number, row in rows:
        if isinstance(row, ArticleError):
            out.append(row)
            continue
        try:
            out.append(_article(row, f"{path}:{number}", fetch))
        except ArticleError as exc:
            out.append(exc)
    if not out:
        out.append(ArticleError(f"{path}: feed holds no rows"))
    return out
