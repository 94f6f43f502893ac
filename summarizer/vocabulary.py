"""The domain vocabulary as data: ``vocab/areas.toml`` (area keywords) and ``vocab/words.toml`` (office
words, honorifics, meeting, inviting and cooperation cues). Steps read it from here; nothing else
holds word lists, so a new area label or office word is one record in a file."""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .schema import Area

_DIR = Path(__file__).resolve().parent / "vocab"


@dataclass(frozen=True)
class Words:
    office_words: frozenset[str]
    title_words: frozenset[str]
    institution_words: frozenset[str]
    ranks: frozenset[str]
    honorifics: frozenset[str]  # as name keys: "h e", "his excellency"
    first_name_styles: str  # "mr|mrs|...": a regex alternation of the styles before a first name used alone
    abbreviated_titles: dict[str, str]
    meeting: re.Pattern[str]
    held: re.Pattern[str]
    attribution: re.Pattern[str]
    reporter_titles: re.Pattern[str]
    planned: re.Pattern[str]
    supposed: re.Pattern[str]
    background: re.Pattern[str]
    arrival: re.Pattern[str]
    inviting: re.Pattern[str]
    cooperation: re.Pattern[str]
    boilerplate: re.Pattern[str]
    tail: re.Pattern[str]
    organisation: re.Pattern[str]
    byline: re.Pattern[str]
    building: re.Pattern[str]


@functools.cache
def words() -> Words:
    data = tomllib.loads((_DIR / "words.toml").read_text(encoding="utf-8"))
    cues = data["cues"]
    honorifics = frozenset(" ".join(re.sub(r"[^\w\s]", " ", h).split()) for h in data["honorifics"])
    return Words(
        office_words=frozenset(data["office_words"].split()),
        title_words=frozenset(data["title_words"].split()),
        institution_words=frozenset(data["institution_words"].split()),
        ranks=frozenset(data["ranks"].split()),
        honorifics=honorifics,
        first_name_styles="|".join(map(re.escape, data["first_name_styles"].split())),
        abbreviated_titles=dict(data["abbreviated_titles"]),
        meeting=re.compile(rf"\b(?:{cues['meeting']})\b", re.IGNORECASE),
        held=re.compile(cues["held"], re.IGNORECASE),
        attribution=re.compile(cues["attribution"], re.IGNORECASE),
        reporter_titles=re.compile(cues["reporter_titles"], re.IGNORECASE),
        planned=re.compile(cues["planned"], re.IGNORECASE),
        supposed=re.compile(cues["supposed"], re.IGNORECASE),
        background=re.compile(cues["background"], re.IGNORECASE),
        arrival=re.compile(cues["arrival"], re.IGNORECASE),
        inviting=re.compile(cues["inviting"], re.IGNORECASE),
        cooperation=re.compile(cues["cooperation"], re.IGNORECASE),
        boilerplate=re.compile(cues["boilerplate"], re.IGNORECASE),
        tail=re.compile(cues["tail"], re.IGNORECASE),
        organisation=re.compile(cues["organisation"], re.IGNORECASE),
        byline=re.compile(cues["byline"], re.IGNORECASE),
        building=re.compile(cues["building"], re.IGNORECASE),
    )


@functools.cache
def country_names() -> dict[str, str]:
    """Other ways of writing a country or body (as name keys) -> the short English name."""
    return dict(tomllib.loads((_DIR / "countries.toml").read_text(encoding="utf-8"))["names"])


def is_country(words: str) -> bool:
    """``words`` name a country ("Norway", "the United States", "Britain"): ISO 3166 names (pycountry)
    and the other ways news writes one (countries.toml)."""
    return short_country(words) is not None


@functools.lru_cache(maxsize=8192)  # asked of the same words for every person and sentence
def short_country(words: str) -> str | None:
    """The short English name of the country ``words`` name ("the Sultanate of Ruritania" -> "Ruritania"),
    else None: no country, or an international body ("UN")."""
    import pycountry  # imported when first needed: it loads its whole database

    bare = re.sub(r"^(?:the)\s+", "", " ".join(words.split()), flags=re.IGNORECASE)
    key = _key(bare)
    names = country_names()
    canonical = names.get(key) or next((v for v in names.values() if v.casefold() == key), None)
    if canonical is not None:
        return None if canonical in bodies() else canonical
    try:
        return _short_name(pycountry.countries.lookup(bare))
    except LookupError:
        return None


def _key(words: str) -> str:
    return re.sub(r"[^\w]+", " ", words.casefold()).strip()


def _short_name(iso_country: Any) -> str:
    """An ISO 3166 country's name cut at the comma ("Iran, Islamic Republic of" -> "Iran"), through
    countries.toml ("Russian Federation" -> "Russia")."""
    cut = (getattr(iso_country, "common_name", None) or iso_country.name).split(",")[0]
    return country_names().get(_key(cut), cut)


@functools.cache
def short_country_names() -> tuple[str, ...]:
    """Every country's short English name (ISO 3166 and countries.toml)."""
    import pycountry

    short = {_short_name(c) for c in pycountry.countries}
    return tuple(sorted(short | set(country_names().values()) - set(bodies())))


@functools.cache
def bodies() -> dict[str, re.Pattern[str]]:
    """International bodies: the name the spec uses -> how news writes it, as one pattern that skips
    the body a country's envoy is sent to ("ambassador to the UN") and a minister's brief ("Minister for EU Affairs")."""
    data = tomllib.loads((_DIR / "countries.toml").read_text(encoding="utf-8"))["bodies"]
    return {name: re.compile(rf"(?<![\w.])(?<!\bto the )(?<!\bat the )(?<!\bto )(?<!\bfor )(?:{'|'.join(forms)})(?![\w])")
            for name, forms in data.items()}


@functools.cache
def area_patterns() -> dict[Area, re.Pattern[str]]:
    """Each area label's keywords as one whole-word pattern (case-insensitive unless marked)."""
    data = tomllib.loads((_DIR / "areas.toml").read_text(encoding="utf-8"))
    unknown = set(data) - {a.value for a in Area}
    if unknown:  # a label the schema does not know would never be scored
        raise ValueError(f"vocab/areas.toml: unknown area label(s) {sorted(unknown)}")
    return {
        Area(label): re.compile(rf"\b(?:{'|'.join(entry['keywords'])})\b",
                                0 if entry.get("case_sensitive") else re.IGNORECASE)
        for label, entry in data.items()
    }
