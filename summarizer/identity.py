"""Person identity: when two spellings are one person. One module, used by enrichment (within an
article) and reports (across articles). Scoring keeps the spec's own rule in :mod:`summarizer.scoring`.

- ``same_person``: the spec's rule (equal names, or surnames with fuzzy ratio >= 0.85), for names that
  come from one article.
- ``compare``: across articles, where transliterations differ ("Masadykov" / "Mossadeghov"), surnames
  are also compared by a consonant skeleton; context then decides (a different country, or given names
  that clearly differ, keep two people apart), and the verdict keeps its reasons.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from . import grounding, vocabulary


def surname_key(name: str) -> str:
    parts = grounding.name_key(name).split()
    return parts[-1] if parts else ""


_PARTICLES = {"bin", "ibn", "al", "el", "de", "da", "van", "von"}


@functools.lru_cache(maxsize=65536)  # the steps ask it of the same names and sentences again and again
def named_at(name: str | None, text: str) -> int | None:
    """Where ``text`` first names the person (full name or surname, case and accents folded), else None."""
    if not name:
        return None
    folded = grounding.fold(text)
    spots = [folded.find(grounding.fold(w)) for w in (name, surname_key(name)) if w]
    spots = [i for i in spots if i >= 0]
    first = next(iter(grounding.name_key(name).split()), "")
    if len(first) > 2 and first != surname_key(name) and first in folded:  # (the pattern only where it can match)
        # "Mr Tan" for Tan Wei Ming, "Prince Karim": news also shortens a name to its first word after
        # a courtesy title or a style (vocab/words.toml).
        styled = _after_style(first).search(folded)
        spots += [styled.end() - len(first)] if styled else []
    # "Yoon" for Yoon Suk Yeol, "Lula" for Luiz Inacio Lula da Silva: news writes a family name that comes
    # first, or the name a person goes by, alone. Only a word standing alone counts: not followed by another
    # capitalised word ("Mohammed bin Zayed" is not "Mohammed bin Salman"'s first word alone), nor, inside
    # the name, preceded by one.
    plain = _unaccented(text)
    words = [_unaccented(w) for w in name.split()]
    for index, word in enumerate(words[:-1]):
        if len(word) < (3 if index == 0 else 4) or not word[:1].isupper() or grounding.name_key(word) == surname_key(name) \
                or word not in plain:
            continue
        for alone in _alone(word).finditer(plain):
            previous = plain[:alone.start()].split()[-1:] or [""]
            if index == 0 or not (previous[0][:1].isupper() or previous[0] in _PARTICLES):
                spots.append(alone.start())
                break
    return min(spots) if spots else None


def same_person(a: str, b: str) -> bool:
    """Same person by the spec's rule: equal names, or surnames with fuzzy ratio >= 0.85."""
    ka, kb = grounding.name_key(a), grounding.name_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    return fuzz.ratio(surname_key(a), surname_key(b)) >= 85


# Transliteration variants folded before comparing consonants: digraphs first.
_DIGRAPHS = [("kh", "k"), ("gh", "g"), ("dh", "d"), ("th", "t"), ("sh", "s"), ("ch", "c"), ("zh", "z"),
             ("ph", "f"), ("ck", "k"), ("q", "k"), ("x", "ks"), ("w", "v"), ("j", "y")]
_VOICING = str.maketrans({"g": "k", "d": "t", "b": "p", "z": "s", "v": "f"})


def skeleton(word: str) -> str:
    """'Mossadeghov' -> 'mstkf', 'Masadykov' -> 'mstkf': consonants after folding variants and voicing."""
    word = grounding.name_key(word).replace(" ", "")
    for a, b in _DIGRAPHS:
        word = word.replace(a, b)
    consonants = re.sub(r"[aeiouy]", "", word).translate(_VOICING)
    return re.sub(r"(.)\1+", r"\1", consonants)  # doubled letters count once


def _split(name: str) -> tuple[str, str]:
    parts = grounding.name_key(name).split()
    return (" ".join(parts[:-1]), parts[-1]) if parts else ("", "")


@dataclass
class Verdict:
    same: bool
    reasons: list[str]


def compare(a: str, b: str, country_a: str | None = None, country_b: str | None = None) -> Verdict:
    """Are ``a`` and ``b`` one person? With the reasons for the answer."""
    given_a, sur_a = _split(a)
    given_b, sur_b = _split(b)
    if not sur_a or not sur_b:
        return Verdict(False, ["a name is empty"])
    reasons = []
    ratio = fuzz.ratio(sur_a, sur_b)
    if sur_a == sur_b:
        reasons.append(f"same surname {sur_a!r}")
    elif ratio >= 85:
        reasons.append(f"surnames {sur_a!r}/{sur_b!r} fuzzy ratio {ratio:.0f}")
    elif len(sur_a) >= 4 and skeleton(sur_a) == skeleton(sur_b):
        reasons.append(f"surnames {sur_a!r}/{sur_b!r} share the transliteration skeleton {skeleton(sur_a)!r}")
    else:
        return Verdict(False, [f"surnames {sur_a!r}/{sur_b!r} differ (ratio {ratio:.0f})"])
    if country_a and country_b:
        if grounding.fold(country_a) != grounding.fold(country_b):
            return Verdict(False, reasons + [f"countries differ ({country_a} / {country_b})"])
        reasons.append(f"same country {country_a}")
    if given_a and given_b:
        joined_a, joined_b = given_a.replace(" ", ""), given_b.replace(" ", "")
        given_ratio = fuzz.ratio(joined_a, joined_b)
        initials = given_a[0] == given_b[0] and (len(joined_a) == 1 or len(joined_b) == 1)
        if given_ratio >= 70 or initials or skeleton(joined_a) == skeleton(joined_b):
            reasons.append(f"given names {given_a!r}/{given_b!r} agree (ratio {given_ratio:.0f})")
        else:
            return Verdict(False, reasons + [f"given names {given_a!r}/{given_b!r} differ (ratio {given_ratio:.0f})"])
    return Verdict(True, reasons)


@functools.lru_cache(maxsize=4096)
def _unaccented(text: str) -> str:
    """The text without accents, case kept: 'Émile' -> 'Emile'."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


# One pattern per name word, compiled once: an article's names are checked against every sentence.
@functools.lru_cache(maxsize=4096)
def _after_style(first: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{vocabulary.words().first_name_styles})\.?\s+{re.escape(first)}\b")


@functools.lru_cache(maxsize=4096)
def _alone(word: str) -> re.Pattern[str]:
    particles = "|".join(sorted(_PARTICLES))
    return re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])(?!['\u2019]?\s*(?:(?:{particles})\s+)?[A-Z])")
