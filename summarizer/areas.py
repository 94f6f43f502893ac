"""Cooperation areas found by code: a keyword lexicon per label, applied to a meeting's sentences.

A 1.5B model asked for area labels walks down the label list; keywords written
from the spec's table are steadier and always grounded (the evidence is the
sentence that holds the keyword). Each meeting gets the sentences that report it:
for several meetings, the article is cut where each meeting's own participant is
first named.
"""

from __future__ import annotations

import re

from . import grounding
from .schema import Area, Meeting

_LEXICON: dict[Area, str] = {
    Area.economy: r"econom(?:y|ic|ies)|economic integration",
    Area.trade: r"trade|trading|tradesm[ae]n|merchants?|markets?|goods|exports?|imports?|commerc\w*",
    Area.investment: r"invest\w*|joint (?:economic )?projects?|joint ventures?",
    Area.transport: r"transport\w*|transit|corridors?|ports?|roads?|railways?|rail|logistics|flights?|shipping|aviation",
    Area.energy: r"energy|oil|gas|electricity|power plants?|nuclear|renewables?|pipelines?",
    Area.security: r"security|defen[cs]e|military",
    Area.counterterrorism: r"terror\w*|extremis\w*|radicali[sz]\w*",
    Area.narcotics: r"drugs?|narco\w*|narcotics?",
    Area.organized_crime: r"organi[sz]ed crimes?|smuggling|trafficking in (?:persons|humans)",
    Area.science_technology: r"scien\w*|technolog\w*|IT|digital|knowledge-based|innovation|cyber\w*|space",
    Area.culture: r"cultur\w*|heritage|civili[sz]ational",
    Area.tourism: r"touris\w*",
    Area.education: r"universit\w*|students?|academic|education\w*|scholarships?",
    Area.health: r"health|medic\w*|pandemic|vaccines?|pharma\w*|hospitals?",
    Area.agriculture: r"agricultur\w*|food|farm\w*|grain|fisher\w*",
    Area.political: r"political|diplomatic|joint (?:cooperation )?commissions?|consultations?|institutionali[sz]\w*",
    Area.regional: r"Afghan\w*|regional (?:stability|security|peace|issues)|stability in the region|peace and stability",
    Area.multilateral: r"SCO|ECO|EAEU|BRICS|ASEAN|United Nations|UN|international (?:forums?|organi[sz]ations?)|regional organi[sz]ations?|observer (?:status|member)",
    Area.humanitarian: r"humanitarian|human rights|aid",
}
_CASE_SENSITIVE = {Area.multilateral, Area.science_technology}  # acronyms: SCO, UN, IT
_PATTERNS = {
    area: re.compile(rf"\b(?:{pattern})\b", 0 if area in _CASE_SENSITIVE else re.IGNORECASE)
    for area, pattern in _LEXICON.items()
}
# A sentence counts when it speaks of doing something together, not of background facts.
_COOPERATION = re.compile(
    r"cooperat\w*|collaborat\w*|partnership|ties|relations|expand\w*|deepen\w*|boost\w*|strengthen\w*|"
    r"enhanc\w*|develop\w*|promot\w*|increase|broaden\w*|work together|jointly|joint|agree\w*|"
    r"step up|fight|readiness|ready|willingness|need|stress\w*|priorit\w*|exchange\w*|share|sharing",
    re.IGNORECASE,
)


_BOILERPLATE = re.compile(r"^(?:related news|read more|also read|see also|more news)\b", re.IGNORECASE)
_TAIL = re.compile(r"^(?:read more|related (?:news|stories|articles))\s*:?\s*$", re.IGNORECASE)


def body_sentences(sentences: list[grounding.Sentence]) -> list[grounding.Sentence]:
    """The article proper: without 'Related News: ...' lines and the link list after 'Read More:'."""
    body = []
    for sentence in sentences:
        if _TAIL.match(sentence.text):
            break
        if not _BOILERPLATE.match(sentence.text):
            body.append(sentence)
    return body


def labels_in(sentence: str) -> list[tuple[Area, re.Match[str]]]:
    if not _COOPERATION.search(sentence):
        return []
    found = []
    for area, pattern in _PATTERNS.items():
        match = pattern.search(sentence)
        if match:
            found.append((area, match))
    return found


def _mentions(name: str, aliases: list[str], sentence: str) -> bool:
    return any(grounding.name_in_text(n, sentence) for n in (name, *aliases) if n)


def segments(meetings: list[Meeting], sentences: list[grounding.Sentence]) -> list[list[grounding.Sentence]]:
    """The sentences that report each meeting, in the article's order."""
    if len(meetings) <= 1:
        return [sentences for _ in meetings]
    starts = []
    for meeting in meetings:
        others = {p.name for m in meetings if m is not meeting for p in m.participants}
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
