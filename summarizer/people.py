"""One person once: resolving the same official across articles and spellings.

Transliterations differ ("Masadykov" / "Mossadeghov", "Mohammadreza" / "Muhammad
Reza"), so surnames are compared by a consonant skeleton that folds common
transliteration variants, as well as by fuzzy ratio. Context then decides:
a different country, or given names that clearly differ ("Ali Khan" / "Imran
Khan"), keeps two people apart. Every merge keeps its reasons, so a reader can
see why two spellings became one entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from . import grounding

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


@dataclass
class Person:
    id: str
    name: str  # the fullest spelling seen
    spellings: set[str] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    reasons: list[str] = field(default_factory=list)  # why other spellings joined this entry

    @property
    def other_spellings(self) -> list[str]:
        return sorted(s for s in self.spellings if s != self.name)

    @property
    def country(self) -> str | None:
        return sorted(self.countries)[0] if self.countries else None


class PeopleIndex:
    """Resolves (name, aliases, title, country, source) mentions to Person entries."""

    def __init__(self) -> None:
        self.people: list[Person] = []

    def find(self, name: str | None) -> Person | None:
        """The entry a name (from an invitation, say) refers to, without adding one."""
        if not name:
            return None
        return next((p for p in self.people
                     if any(compare(name, s).same for s in p.spellings if len(s.split()) > 1 or s == name)
                     or compare(name, p.name).same), None)

    def resolve(self, name: str, aliases: list[str], title: str | None, country: str | None, source: str) -> Person:
        best: tuple[Person, Verdict] | None = None
        for person in self.people:
            verdict = compare(name, person.name, country, person.country)
            if verdict.same:
                best = (person, verdict)
                break
        if best is None:
            person = Person(id=f"p{len(self.people) + 1}", name=name)
            self.people.append(person)
        else:
            person, verdict = best
            if grounding.name_key(name) != grounding.name_key(person.name):
                person.reasons.append(f"{name!r} ({source}) = {person.name!r}: " + "; ".join(verdict.reasons))
            if len(name) > len(person.name):
                person.name = name
        person.spellings.update([name, *aliases])
        if title:
            person.titles.add(title)
        if country:
            person.countries.add(country)
        person.sources.add(source)
        return person
