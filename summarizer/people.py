"""One person once: resolving the same official across articles and spellings.

Transliterations differ ("Masadykov" / "Mossadeghov", "Mohammadreza" / "Muhammad
Reza"), so surnames are compared by a consonant skeleton that folds common
transliteration variants, as well as by fuzzy ratio. Context then decides:
a different country, or given names that clearly differ ("Ali Khan" / "Imran
Khan"), keeps two people apart. Every merge keeps its reasons, so a reader can
see why two spellings became one entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import grounding
from .identity import Verdict, compare, skeleton  # noqa: F401  (skeleton: part of this module's API)


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
