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


# A word's possessive ending ("Ruritania's", "Novak’s"): news writes a name or a country with it.
POSSESSIVE = re.compile(r"['\u2019]s$")


@functools.lru_cache(maxsize=4096)  # the same sentences are folded again for every person checked in them
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


_RUNS = re.compile(r"\s+|\S+")


@functools.lru_cache(maxsize=64)
def _collapse_with_map(text: str) -> tuple[str, tuple[int, ...]]:
    """Collapse whitespace runs to one space and fold quote marks; map each kept char to its source index."""
    out: list[str] = []
    index: list[int] = []
    for run in _RUNS.finditer(text):  # by runs, not characters: every article is collapsed once a load
        if not run.group().isspace():
            out.append(run.group().translate(_TYPOGRAPHIC))
            index.extend(range(run.start(), run.end()))
        elif out:
            out.append(" ")
            index.append(run.start())
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


# Text addressed to a model rather than reporting news. Facts are never grounded in it, so a name
# or quote planted there fails validation like an invented one. Each pattern needs a sign of being
# addressed to a model or of dictating the answer (a vocative, a role marker, an order about the
# output), so reporting such as "the minister told reporters to ignore rumours" stays.
_MODEL = (r"(?:AI|A\.I\.|IA|KI|ИИ|LLMs?|GPTs?|chat ?bots?|bots?|(?:large )?language models?|models?|assistants?"
          r"|summari[sz]ers?|extractors?|parsers?|scrapers?|crawlers?|agents?)"
          r"(?:\s+(?:systems?|models?|assistants?|agents?|tools?|readers?|summari[sz]ers?))?")
_ANY = r"(?:(?:the|all|any|every|each|automated|other)\s+)*"
_ADDRESSED = re.compile(
    # "Dear AI,", "Attention all AI systems:", "AI assistant, please ..." (a vocative)
    rf"(?:^|[\"“‘'(\[:;]\s*)(?:(?:dear|hey|hi|hello|ok|okay|attention|attn|note|psst)[\s,:!]+)?{_ANY}{_MODEL}\s*[,:!]"
    # "Note to any AI summarising this:", "instructions for language models -"
    rf"|\b(?:note|message|instructions?|reminder|memo|notice|directive|request|hint|tip)s?\s+(?:to|for)\s+{_ANY}"
    rf"{_MODEL}\b(?:[^.\n]{{0,60}}?)(?:[:\-–—]|\b(?:reading|processing|parsing|summari[sz]ing|analy[sz]ing)\b)"
    # "any AI reading this", "language models processing the article"
    rf"|\b{_MODEL}\s+(?:that (?:is |are )?)?(?:reading|processing|parsing|summari[sz]ing|analy[sz]ing|extracting "
    r"from|ingesting)\s+(?:this|these|the (?:article|text|page|story|report))"
    # "If you are an AI", "You are a helpful assistant"
    rf"|\b(?:if|when|since|as)\s+you(?:'re|’re| are)\s+(?:an?|the)\s+(?:\w+\s+)?{_MODEL}\b"
    r"|\byou(?:'re|’re| are)\s+(?:now\s+)?(?:an?|the)\s+(?:helpful\s+|\w+\s+)?(?:AI|assistant|language model|LLM|"
    r"chat ?bot|summari[sz]er|extractor)\b",
    re.IGNORECASE)

# Orders that take over the conversation: the rest of their line is the attacker's too.
_OVERRIDE = re.compile(
    r"\b(?:ignore|disregard|forget|override|overrule|bypass|skip)\b[^.\n]{0,40}?\b(?:instructions?|prompts?|"
    r"(?:above|previous|prior|preceding|earlier|original|system|all|any|your)\s+(?:rules|guidelines|directions|"
    r"directives|context|text|messages?|tasks?|constraints))\b"
    r"|\b(?:ignore|disregard|forget)\b\s+(?:(?:all|everything|anything|whatever)\s+)?(?:of\s+)?(?:the\s+|what\s+)?"
    r"(?:above|before|previous(?:ly)?|prior|preceding|earlier|(?:came|comes|was written|is written) (?:before|above)"
    r"|you (?:were|have been) (?:told|given))\b"
    r"(?=\s*(?:[.,;:!)\"”]|\n|$|(?:and|or|then)\b|(?:text|messages?|content|instructions?|prompts?|lines?)\b))"
    r"|\bsystem prompt\b|\byou are now\b|\b(?:new|updated|real|actual|hidden) (?:instructions?|task)\s*:"
    r"|\b(?:from now on|henceforth),?\s+(?:you|your)\b|\bdeveloper mode\b|\bjailbreak"
    # a fake turn: "system:", "[assistant]:" at a line's or a quotation's start
    r"|(?:^|[\"“‘'(\[]\s*)[\[<]?\|?(?:system|assistant|user|developer|human|instructions?)\|?[\]>]?\s*:"
    # other languages: "ignore the previous instructions"
    r"|\b(?:ignore[zr]?|oublie[zr]?|ignora|ignore|olvida|ignoriere|ignorieren|vergiss|vergessen|игнорируй(?:те)?"
    r"|забудь(?:те)?)\b[^.\n]{0,40}?(?:instructions?|consignes?|instrucciones|indicaciones|Anweisung(?:en)?"
    r"|Vorgaben|инструкци\w*|указани\w*)"
    r"|忽略.{0,20}(?:指令|指示|说明)",
    re.IGNORECASE)

# Chat-template tokens and instruction headers: the block they open is blanked up to its close
# (or the end of its paragraph).
_BLOCK_OPEN = re.compile(r"<\|(?!im_end|end|eot_id)[a-z_]+\|>|\[INST\]|<<SYS>>|<(?:system|instructions?)>"
                         r"|^\s*#{2,}\s*(?:instruction|system|response|assistant)s?\b|\bBEGIN (?:SYSTEM|INSTRUCTIONS?)\b",
                         re.IGNORECASE | re.MULTILINE)
_BLOCK_CLOSE = re.compile(r"<\|(?:im_end|end|eot_id)\|>|\[/INST\]|<</SYS>>|</(?:system|instructions?)>"
                          r"|\bEND (?:SYSTEM|INSTRUCTIONS?)\b|\n\s*\n", re.IGNORECASE)

# Orders about the answer: an imperative at the start of a sentence, clause or quotation, or "you
# must ..."/"X should be listed as ...", together with something that belongs to the output.
_VERB = (r"(?:list|add|include|insert|output|record|name(?!\s*:)|mark|return|write|put|treat|register|enter"
         r"|append|mention|print|respond|reply|extract|classify|tag|label|make sure|ensure|be sure to)")
_LEAD = r"(?:(?:please|also|now|then|finally|and|kindly|important|note|reminder|p\.?s\.?|update|correction)[\s:,!.-]*)*"
_TARGET = (r"\b(?:participants|attendees|(?:list of|the) (?:participants|attendees|people who met)"
           r"|as (?:an?\s+|the\s+|one of the\s+|another\s+|a third\s+)?(?:participant|attendee|delegate|meeting participant)\b"
           r"|(?:your|the) (?:answer|output|response|reply|json|brief|summary|extraction|results?)\b|\bjson\b|fields?\b"
           r"|(?:people|persons) who (?:met|attended|took part))")
_DICTATES = re.compile(
    rf"(?:^|[:;]\s*|[\"“‘(\[]\s*)[\"“‘'(\[\-–—*•>\s]*{_LEAD}{_VERB}\b(?=[^\n]*{_TARGET})"
    rf"|\byou\s+(?:must|should|shall|will|need to|have to|are (?:required |instructed |expected |asked )?to)\s+"
    rf"(?:also\s+|now\s+|always\s+)?{_VERB}\b(?=[^\n]*{_TARGET})"
    rf"|\b(?:must|should|shall|needs? to|has to|have to|is to|are to)\s+(?:also\s+|always\s+)?be\s+(?:listed|added|"
    r"included|recorded|named|marked|treated|counted|shown|extracted|entered|considered)\s+(?:as (?:an?\s+|the\s+|one"
    r" of the\s+)?(?:participant|attendee|delegate)\b|among the (?:participants|attendees)|in (?:your|the) (?:answer|"
    r"output|json|brief|extraction|results?|list of participants))"
    r"|\b(?:your|the) (?:answer|output|json|brief|extraction)s?\s+(?:must|should|shall|needs? to|has to|will)\s+"
    r"(?:also\s+|always\s+)?(?:include|contain|list|mention|name|show|have|say|state|report)\b"
    # other languages: "add X as a participant" as an order
    r"|(?:^|[:;,]\s*|[\"“‘«(\[]\s*)(?:veuillez\s+|por favor,?\s+|bitte\s+)?(?:ajoute[zr]?|inclu(?:ez|s|re)|liste[zr]?"
    r"|indique[zr]?|mentionne[zr]?|añade|agrega|incluye|enumera|añadir|agregar|incluir|füge|fügen Sie|nimm|nehmen Sie"
    r"|liste|führe|trage)\b[^.\n]{0,80}?(?:participant(?:e|s|es)?\b|participantes?\b|Teilnehmer)"
    r"|\b(?:добавь(?:те)?|включи(?:те)?|укажи(?:те)?|впиши(?:те)?|перечисли(?:те)?)\b[^.\n]{0,80}?участник"
    r"|(?:添加|加入|列为|列出).{0,30}(?:参与者|参会者|与会者)",
    re.IGNORECASE)


def _injected_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for sentence in split_sentences(text):
        if _OVERRIDE.search(sentence.text):
            line_end = text.find("\n", sentence.end)
            spans.append((sentence.start, len(text) if line_end < 0 else line_end))
        elif _ADDRESSED.search(sentence.text) or _DICTATES.search(sentence.text):
            spans.append((sentence.start, sentence.end))
    for opening in _BLOCK_OPEN.finditer(text):
        closing = _BLOCK_CLOSE.search(text, opening.end())
        spans.append((opening.start(), closing.end() if closing else len(text)))
    return spans


def without_injections(text: str) -> str:
    """The article with text addressed to a model blanked out (offsets kept, so spans stay valid)."""
    out = list(text)
    for start, end in _injected_spans(text):
        for i in range(start, end):
            if not out[i].isspace():
                out[i] = " "
    return "".join(out)
