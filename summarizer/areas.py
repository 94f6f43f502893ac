"""Cooperation areas found by code: a keyword lexicon per label (``vocab/areas.toml``), applied to a
meeting's sentences.

A 1.5B model asked for area labels walks down the label list; keywords written
from the spec's table are steadier and always grounded (the evidence is the
sentence that holds the keyword). Each meeting gets the sentences that report it:
for several meetings, the article is cut where each meeting's own participant is
first named.
"""

from __future__ import annotations

import re

from . import grounding, vocabulary
from .schema import Area, Meeting

def body_sentences(sentences: list[grounding.Sentence]) -> list[grounding.Sentence]:
    """The article proper: without 'Related News: ...' lines and the link list after 'Read More:'."""
    words = vocabulary.words()
    body = []
    for sentence in sentences:
        if words.tail.match(sentence.text):
            break
        if not words.boilerplate.match(sentence.text):
            body.append(sentence)
    return body


def labels_in(sentence: str) -> list[tuple[Area, re.Match[str]]]:
    if not any(_acting_together(sentence, cue) for cue in vocabulary.words().cooperation.finditer(sentence)):
        return []
    found = []
    for area, pattern in vocabulary.area_patterns().items():
        match = next((m for m in pattern.finditer(sentence) if not _portfolio(sentence, m) and (
                      area in _NAMED_AREAS or not _in_a_name(sentence, m)) and (
                      area is not Area.multilateral or not _gathering(sentence, m))), None)
        if match:
            found.append((area, match))
    if not any(area is Area.multilateral for area, _ in found):
        # Working with an international body ("cooperation between Ruritania and the IMF") is multilateral.
        body = next((m for b in vocabulary.bodies().values() for m in b.finditer(sentence)
                     if not _gathering(sentence, m)), None)
        if body:
            found.append((Area.multilateral, body))
    return found


_GATHERING = re.compile(r"\s*(?:[A-Z][\w-]*\s+){0,3}(?:summit|session|general assembly|meeting|conference|forum)s?\b",
                        re.IGNORECASE)
_SIDELINES = re.compile(r"\b(?:sidelines|margins?)\s+of\s+[^,;:.]*$", re.IGNORECASE)


# "Minister of Trade and Industry", "Minister in charge of Energy, Mines and Water": capitalised words after an
# office's "of" or "for" name its portfolio.
_PORTFOLIO = re.compile(r"\b(?:Minist(?:er|ry)|Secretary|Department|Commissioner|Directorate|Agency|Council)\s+"
                        r"(?:of|for|in\s+charge\s+of)\s+(?:the\s+)?(?:[A-Z0-9][\w-]*,?\s+(?:and\s+)?|the\s+){0,12}$")


def _portfolio(sentence: str, keyword: re.Match[str]) -> bool:
    """The keyword is a word of an office's portfolio ("the Minister of Trade"), not a field of cooperation."""
    return keyword.group()[:1].isupper() and bool(_PORTFOLIO.search(sentence[:keyword.start()]))


def _acting_together(sentence: str, cue: re.Match[str]) -> bool:
    """A cooperation word that speaks of acting together, not one capitalised inside a name ("the Ministry of
    Trade and Cooperation", "the Ruritania-Elbonia Cooperation Council")."""
    return not cue.group()[:1].isupper() or not sentence[:cue.start()].strip()


# Areas whose keywords are names: bodies ("the SCO") and joint commissions.
_NAMED_AREAS = frozenset({Area.multilateral, Area.political})
# Title Case words around a keyword, with the small words names keep ("Council on Economic and Trade Cooperation").
_TITLE_WORD = r"(?:[A-Z][\w-]*|of|on|for|and|the|&)"
_NAME_BEFORE = re.compile(rf"(?:{_TITLE_WORD}\s+)+$")
_NAME_AFTER = re.compile(rf"(?:\s+{_TITLE_WORD})+")


def _in_a_name(sentence: str, keyword: re.Match[str]) -> bool:
    """The keyword is a word of an institution's, an agreement's or an event's name ("the Ruritania-Elbonia
    Economic Cooperation Council", "the Joint Fisheries and Trade Commission"): capitalised, not opening the sentence, with at least two
    more capitalised words around it."""
    if not keyword.group()[:1].isupper() or not sentence[:keyword.start()].strip():
        return False
    before = _NAME_BEFORE.search(sentence[:keyword.start()])
    after = _NAME_AFTER.match(sentence, keyword.end())
    words = (before.group().split() if before else []) + (after.group().split() if after else [])
    return sum(w[:1].isupper() for w in words) >= 2


def _gathering(sentence: str, body: re.Match[str]) -> bool:
    """The body names where the sides met ("on the sidelines of the Ruritanian Union summit", "at the Union's
    annual session"), not what they will do together."""
    return bool(_GATHERING.match(sentence, body.end()) or _SIDELINES.search(sentence[:body.start()]))


def _mentions(name: str, aliases: list[str], sentence: str) -> bool:
    return any(grounding.name_in_text(n, sentence) for n in (name, *aliases) if n)


def segments(meetings: list[Meeting], sentences: list[grounding.Sentence]) -> list[list[grounding.Sentence]]:
    """The sentences that report each meeting, in the article's order."""
    if len(meetings) <= 1:
        return [sentences for _ in meetings]
    starts = []
    for meeting in meetings:
        names = {p.name for p in meeting.participants}
        # A repeat of this meeting (merged later) is not another meeting whose people these are.
        others = {p.name for m in meetings if {q.name for q in m.participants} != names for p in m.participants}
        own = [p for p in meeting.participants if p.name not in others] or meeting.participants
        first = next((s.number for s in sentences if any(_mentions(p.name, p.aliases, s.text) for p in own)), None)
        starts.append(first)
    known = sorted({s for s in starts if s is not None})
    out = []
    for start in starts:
        if start is None:
            out.append([])
            continue
        following = [s for s in known if s > start]
        end = following[0] if following else len(sentences) + 1
        # The headline and lead before the first meeting's start describe the first meeting too.
        begin = 1 if start == known[0] else start
        out.append([s for s in sentences if begin <= s.number < end])
    return out


def find_areas(sentences: list[grounding.Sentence]) -> dict[Area, grounding.Sentence]:
    """Each area label with the first sentence that raises it."""
    found: dict[Area, grounding.Sentence] = {}
    for sentence in body_sentences(sentences):
        for area, _ in labels_in(sentence.text):
            found.setdefault(area, sentence)
    return found
