"""Reading articles: files, folders, globs, stdin, web pages (files or URLs) and feeds (JSONL/CSV),
each checked before any model call. Pages are read by :mod:`summarizer.pages`, feeds by
:mod:`summarizer.feeds`."""

from __future__ import annotations

import codecs
import datetime as dt
import glob
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from . import feeds, pages
from .errors import ArticleError

TEXT_SUFFIXES = (".txt", ".md")
ARTICLE_SUFFIXES = (*TEXT_SUFFIXES, *pages.HTML_SUFFIXES)  # what a folder's articles are


@dataclass(frozen=True)
class Article:
    id: str  # the file name without its extension (a URL's last segment, a feed row's id)
    text: str  # what the model reads and the cache keys on: for a page, its extracted main text
    source: str  # the path as given, "-" for stdin, the URL, or "feed.jsonl:3" for a feed row; names it in errors
    title: str | None = None  # from the page or feed row, when it gave one
    published: dt.date | None = None  # from the page's metadata or the feed row; fills a brief's date
    origin: str | None = None  # where the text came from, when not ``source`` (a feed row's URL)

    @property
    def where(self) -> str:
        """Where the text came from, as the brief records it."""
        return self.origin or self.source

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


# Byte-order marks, longest first (UTF-32 LE starts with UTF-16 LE's mark).
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Characters that show nothing: a file of only these has no text to summarise.
_INVISIBLE = str.maketrans("", "", "\ufeff\u200b\u200c\u200d\u2060")


def _utf16_order(data: bytes) -> str | None:
    """'le' or 'be' when NULs fill many odd or even positions (UTF-16 text without a BOM), else None."""
    sample = data[:4096]
    half = max(1, len(sample) // 2)
    even, odd = sample[0::2].count(0) / half, sample[1::2].count(0) / half
    if max(even, odd) <= 0.3:
        return None
    return "le" if odd > even else "be"


def decode(data: bytes, source: str) -> str:
    """Article text from raw bytes, or an ArticleError that names the source and the problem."""
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if encoding is None and b"\x00" in data[:8192]:
        order = _utf16_order(data)
        if order:
            raise ArticleError(f"{source}: UTF-16 text without a byte-order mark; convert it, "
                               f"e.g. with iconv -f utf-16{order} -t utf-8")
        raise ArticleError(f"{source}: binary file (contains NUL bytes), expected UTF-8 text")
    try:
        text = data.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        if encoding not in (None, "utf-8-sig"):
            raise ArticleError(f"{source}: starts with a {encoding.upper()} byte-order mark but does not decode "
                               f"as {encoding.upper()}") from None
        raise ArticleError(
            f"{source}: not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it, e.g. with iconv -t utf-8") from None
    text = text.lstrip("\ufeff")
    if not text.translate(_INVISIBLE).strip():  # str.strip also removes no-break and other Unicode spaces
        raise ArticleError(f"{source}: empty file (no visible text), nothing to summarise")
    return text.replace("\r\n", "\n")


def _read_bytes(path: Path) -> bytes:
    """A file's bytes, or one line saying why they cannot be had."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ArticleError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ArticleError(f"{path}: is a directory") from None
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read: {exc.strerror}") from None


def read_file(path: Path) -> Article:
    return Article(id=path.stem, text=decode(_read_bytes(path), str(path)), source=str(path))


def read_page(path: Path) -> Article:
    """A saved web page: its main text, title and metadata date."""
    data = _read_bytes(path)
    if not data.strip():
        raise ArticleError(f"{path}: empty file, nothing to summarise")
    page = pages.extract(data, str(path))
    return Article(id=path.stem, text=page.text, source=str(path), title=page.title, published=page.published)


def read_url(url: str) -> Article:
    page = pages.extract(pages.fetch(url), url, url=url)
    return Article(id=pages.url_id(url), text=page.text, source=url, title=page.title, published=page.published)


def read_feed(path: Path) -> list[Article | ArticleError]:
    return feeds.read(path, decode(_read_bytes(path), str(path)))


def read_stdin(stream: TextIO | None = None, article_id: str = "stdin") -> Article:
    stream = stream or sys.stdin
    data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read().encode("utf-8")
    return Article(id=article_id, text=decode(data, "<stdin>"), source="-")


def expand(specs: list[str]) -> list[Path | str | ArticleError]:
    """Paths in order: folders give their *.txt/*.md files sorted, globs their matches; '-' stays."""
    out: list[Path | str | ArticleError] = []
    for spec in specs:
        if spec == "-" or pages.is_url(spec):
            out.append(spec)
            continue
        path = Path(spec)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix in ARTICLE_SUFFIXES)
            if not files:
                out.append(ArticleError(f"{path}: folder holds no .txt, .md or .html articles"))
            out.extend(files)
        elif glob.has_magic(spec) and not path.exists():
            matches = sorted(Path(m) for m in glob.glob(spec, recursive=True) if Path(m).is_file())
            if not matches:
                out.append(ArticleError(f"{spec}: pattern matches no file"))
            out.extend(matches)
        else:
            out.append(path)
    return out


def collect(specs: list[str], stdin: TextIO | None = None) -> list[Article | ArticleError]:
    """Every article named by ``specs``; a bad one becomes an ArticleError in its place."""
    results: list[Article | ArticleError] = []
    seen: set[str] = set()
    for item in expand(specs):
        if isinstance(item, ArticleError):
            results.append(item)
            continue
        try:
            found = read(item, stdin)
        except ArticleError as exc:
            results.append(exc)
            continue
        for article in found:
            if isinstance(article, Article) and article.id in seen:
                article = ArticleError(f"{article.source}: article id {article.id!r} repeats an earlier article's")
            elif isinstance(article, Article):
                seen.add(article.id)
            results.append(article)
    return results


def read(item: Path | str, stdin: TextIO | None = None) -> list[Article | ArticleError]:
    """One input by its kind: stdin, a URL, a saved page, a feed (many articles) or a text file."""
    if item == "-":
        return [read_stdin(stdin)]
    if isinstance(item, str) and pages.is_url(item):
        return [read_url(item)]
    path = Path(item)
    suffix = path.suffix.lower()
    if suffix in pages.HTML_SUFFIXES:
        return [read_page(path)]
    if suffix in feeds.FEED_SUFFIXES:
        return read_feed(path)
    return [read_file(path)]
