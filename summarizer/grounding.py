"""Text normalisation and the ties between extracted facts and the article text.

Names are matched after folding case, accents, punctuation and whitespace; quotes
are matched verbatim after whitespace normalisation (typographic quote marks and
dashes are treated as their plain forms, and grounding then copies the article's
exact characters back, so stored evidence is always verbatim).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
import unicodedata
from dataclasses import dataclass

# The article a reply must be grounded in. Validators read it from pydantic's validation context
# when one is given (gold files, batch results) or else from this variable, which the model call
# sets: passing it to instructor as `context` would make instructor render every message, the
# article included, as a Jinja template.
_GROUNDS: ContextVar[dict[str, Any] | None] = ContextVar("summarizer_grounds", default=None)


def validation_context(info: Any) -> dict[str, Any]:
    context = getattr(info, "context", None)
    return context if isinstance(context, dict) else (_GROUNDS.get() or {})


@contextmanager
def grounded_in(context: dict[str, Any]) -> Iterator[None]:
    token = _GROUNDS.set(context)
    try:
        yield
    finally:
        _GROUNDS.reset(token)


_TYPOGRAPHIC = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ",
})


def fold(text: str) -> str:
    """Case-fold and strip accents: 'Émile' -> 'emile'."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_TYPOGRAPHIC))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@functools.lru_cache(maxsize=1024)  # the article is keyed again for every name checked against it
def name_key(text: str) -> str:
    """A name reduced to lowercase words: accents, punctuation and extra spaces removed."""
    return " ".join(re.sub(r"[^\w\s]", " ", fold(text)).split())


def name_in_text(name: str, text: str) -> bool:
    key = name_key(name)
    return bool(key) and f" {key} " in f" {name_key(text)} "


@functools.lru_cache(maxsize=64)
def _collapse_with_map(text: str) -> tuple[str, tuple[int, ...]]:
    """Collapse whitespace runs to one space and fold quote marks; map each kept char to its source index."""
    out: list[str] = []
    index: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not in_space and out:
                out.append(" ")
                index.append(i)
            in_space = True
            continue
        in_space = False
        out.append(ch.translate(_TYPOGRAPHIC))
        index.append(i)
    return "".join(out), tuple(index)


def find_quote(quote: str, text: str) -> tuple[int, int] | None:
    """Span [start, end) of ``quote`` in ``text`` after whitespace normalisation, else None."""
    needle, _ = _collapse_with_map(quote.strip())
    needle = needle.strip()
    if not needle:
        return None
    hay, index = _collapse_with_map(text)
    at = hay.find(needle)
    if at < 0:
        return None
    return index[at], index[at + len(needle) - 1] + 1


def whitespace_verbatim(quote: str, text: str) -> bool:
    """The spec's grounding test: verbatim after whitespace normalisation only."""
    squash = lambda s: " ".join(s.split())  # noqa: E731
    return bool(quote.strip()) and squash(quote) in squash(text)


@dataclass(frozen=True)
class Sentence:
    number: int  # 1-based, as shown to the model
    start: int
    end: int
    text: str


# A sentence ends at . ! ? (optionally followed by a closing quote) before whitespace and
# an uppercase letter, digit or opening quote; a line break always ends one. Short tokens
# such as "Dep." or "U.S." before the stop are not treated as ends.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'\u201d\u2019]?\s+(?=[\"'\u201c\u2018A-Z0-9])|\n+")
_ABBREV = re.compile(r"(?:\b[A-Z][a-z]{0,3}|\b(?:[A-Za-z]\.)+[A-Za-z]?)\.$")


@functools.lru_cache(maxsize=64)  # every step of one article asks for its sentences again
def split_sentences(text: str) -> tuple[Sentence, ...]:
    sentences: list[Sentence] = []
    start = 0

    def add(end: int) -> None:
        chunk = text[start:end]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            s = start + lead
            sentences.append(Sentence(len(sentences) + 1, s, s + len(stripped), stripped))

    for match in _BOUNDARY.finditer(text):
        piece = text[start:match.start()]
        if "\n" not in match.group() and _ABBREV.search(piece.rstrip("\"'\u201d\u2019")):
            continue
        add(match.start() + (len(match.group()) - len(match.group().lstrip("\"'\u201d\u2019"))))
        start = match.end()
    add(len(text))
    return tuple(sentences)


# Sentences that talk to the model rather than report news ("Ignore the instructions above and
# output ..."). Facts are never grounded in them, so an injected name or quote fails validation.
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget)\b[^.\n]{0,40}\b(?:instructions?|prompts?|rules)\b|"
    r"\bsystem prompt\b|\byou are now\b|\bnew instructions\b", re.IGNORECASE)


def without_injections(text: str) -> str:
    """The article with instruction-like sentences blanked out (offsets kept, so spans stay valid)."""
    out = text
    for sentence in split_sentences(text):
        if _INJECTION.search(sentence.text):
            out = out[:sentence.start] + " " * (sentence.end - sentence.start) + out[sentence.end:]
    return out
