"""Reading articles: files, folders, globs and stdin, each checked before any model call."""

from __future__ import annotations

import glob
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from .errors import ArticleError

ARTICLE_SUFFIXES = (".txt", ".md")


@dataclass(frozen=True)
class Article:
    id: str  # the file name without its extension
    text: str
    source: str  # the path as given, or "-" for stdin

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def decode(data: bytes, source: str) -> str:
    """Article text from raw bytes, or an ArticleError that names the source and the problem."""
    if not data.strip():
        raise ArticleError(f"{source}: empty file, nothing to summarise")
    if b"\x00" in data[:8192]:
        raise ArticleError(f"{source}: binary file (contains NUL bytes), expected UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(
            f"{source}: not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it, e.g. with iconv -t utf-8") from None
    return text.replace("\r\n", "\n")


def read_file(path: Path) -> Article:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ArticleError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ArticleError(f"{path}: is a directory") from None
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read: {exc.strerror}") from None
    return Article(id=path.stem, text=decode(data, str(path)), source=str(path))


def read_stdin(stream: TextIO | None = None, article_id: str = "stdin") -> Article:
    stream = stream or sys.stdin
    data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read().encode("utf-8")
    return Article(id=article_id, text=decode(data, "<stdin>"), source="-")


def expand(specs: list[str]) -> list[Path | str | ArticleError]:
    """Paths in order: folders give their *.txt/*.md files sorted, globs their matches; '-' stays."""
    out: list[Path | str | ArticleError] = []
    for spec in specs:
        if spec == "-":
            out.append("-")
            continue
        path = Path(spec)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix in ARTICLE_SUFFIXES)
            if not files:
                out.append(ArticleError(f"{path}: folder holds no .txt or .md articles"))
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
            article = read_stdin(stdin) if item == "-" else read_file(Path(item))
        except ArticleError as exc:
            results.append(exc)
            continue
        if article.id in seen:
            results.append(ArticleError(f"{article.source}: article id {article.id!r} repeats an earlier file's"))
            continue
        seen.add(article.id)
        results.append(article)
    return results
