"""Repair, don't reject: each participant name the model wrote is resolved to a person the article
names, or dropped with a warning. One bad name never costs the article.

News English introduces an official as "<country word> <office> <Full Name>" ("Indian External
Affairs Minister Jane Doe", "Ruritania's President John Roe") and then uses the surname alone. So:
- honorifics ("Mr", "H.E.") and office words are stripped from the front of a name; an abbreviated
  title ("PM", "FM") becomes the title when the model gave none;
- a name written short or misspelt is mapped to the fullest mention of that person in the article;
- an office or a country written instead of a name ("Foreign Minister", "Ruritania") is mapped to the
  one person the article names with that office (and country), if there is exactly one;
- an organisation (an agency, a newspaper) or a name seen only in a byline is not a participant;
- what still cannot be grounded in the article is dropped.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from . import enrich, grounding, vocabulary
from .identity import surname_key
from .schema import Participant

# A capitalised run, with the lowercase particles names carry ("bin", "von der", "da").
_PARTICLES = r"(?:bin|bint|ibn|al|el|von|van|der|den|de|da|do|dos|du|di|del|la|le)"
_CAP = r"[A-Z\u00C0-\u024F][\w'\u2019.-]*"
# After a name's first word, also an article joined to a capitalised word ("al-Novari", "el-Ruiz", "ad-Din").
_JOINED = r"(?:al|el|ad|an|ar|as|ash|at|az|ud|ul)-[A-Z\u00C0-\u024F][\w'\u2019.-]*"
_NAME_WORD = rf"(?:{_CAP}|{_JOINED})"
_RUN = re.compile(rf"{_CAP}(?:[ \t]+(?:{_PARTICLES}[ \t]+)*{_NAME_WORD})*")  # never across a line break


# Capitalised at a sentence's start, never the start of a name ("By Jane Doe", "Earlier President ...").
_FUNCTION_WORDS = frozenset("""by the in on at for from with during after before according and but as meanwhile
earlier later while when also then this that these those his her their its our
monday tuesday wednesday thursday friday saturday sunday january february march september october november
december""".split())  # "... said Wednesday Ruritania has invited her": a day starts no name (months that are also names are left)


# Office words that only join an office phrase ("Minister of the Interior"), never open one.
_CONNECTORS = frozenset("of the and for his her their top senior".split())


@dataclass(frozen=True)
class Mention:
    """A person as the article names them: the name, and the office and country word written before it."""

    name: str
    office: str  # "External Affairs Minister", or "" when the run has no office word
    country_word: str  # "Indian", "Ruritania's", or ""


def _is_office(token: str) -> bool:
    """An office word, or a hyphenated run of them ("Secretary-General", "Vice-President")."""
    words = vocabulary.words().office_words
    key = grounding.name_key(token)
    return key in words or ("-" in token and all(part in words for part in key.split()))


def _is_honorific(tokens: list[str]) -> int:
    """How many leading tokens are an honorific ("Mr", "H.E.", "His Excellency")."""
    honorifics = vocabulary.words().honorifics
    if tokens and tokens[0] == "HE":
        return 1  # "HE Minister ...": His or Her Excellency without the full stops (never the pronoun, in capitals)
    for n in (3, 2, 1):
        if len(tokens) >= n and grounding.name_key(" ".join(tokens[:n])) in honorifics:
            return n
    return 0


def _runs(text: str) -> list[tuple[int, list[str]]]:
    """Each capitalised run's start and words, a run cut where a sentence ends inside it ("... Jane
    Roe. The meeting"): a word of four or more letters with a full stop, not an abbreviated title."""
    abbreviated = {*enrich.ABBREVIATED_TITLES, *vocabulary.words().honorifics}
    out: list[tuple[int, list[str]]] = []
    for match in _RUN.finditer(text):
        start, tokens = match.start(), []
        for word in re.finditer(r"\S+", match.group()):
            token = word.group()
            if not tokens:
                start = match.start() + word.start()
            tokens.append(token.rstrip(".,'\u2019"))  # "Novaks'": the possessive's apostrophe is no letter
            if token.endswith(".") and (len(token) > 4 or grounding.name_key(token) == "may") \
                    and grounding.name_key(token) not in abbreviated:  # "... on 12 May. Jan Novak"
                out.append((start, tokens))
                tokens = []
        if tokens:
            out.append((start, tokens))
    return out


@functools.lru_cache(maxsize=1024)  # an article's sentences are read again for every person
def mentions(text: str) -> tuple[Mention, ...]:
    """Every capitalised run of the article (within a line) that ends in a name, with the office words
    and country word written before the name: "Ruritania's President Jan Novak" -> Jan Novak,
    President, Ruritania's. Without an office word, a run of two to four words is taken as a name."""
    title_words = vocabulary.words().title_words
    found = []
    for start_at, tokens in _runs(text):
        # The name starts after the last office word or honorific of the run.
        start, i = 0, 0
        while i < len(tokens):
            skip = _is_honorific(tokens[i:])
            key = grounding.name_key(tokens[i])
            office = (_is_office(tokens[i]) and (key not in _CONNECTORS or start > 0)) \
                or key in enrich.ABBREVIATED_TITLES
            if skip or office:
                i += skip or 1
                start = i
            else:
                i += 1
        while start < len(tokens) - 1 and (grounding.POSSESSIVE.search(tokens[start])
                                           or grounding.name_key(tokens[start]) in _FUNCTION_WORDS):
            start += 1  # "Ruritania's Sheikh Omar": a possessive ends the words before a name
        if start:
            start += _institution_end(tokens[start:])  # "National Assembly Jan Novak": "National" is an office word
        while 0 < start < len(tokens) and _is_particle(tokens[start]):
            start -= 1  # "Prince Sultan bin Saad": "Sultan" is a name here, not an office
        placed = not start and len(tokens) > 2 and _country_prefix(tokens)
        if placed:
            start = placed  # "... Coordinator in Ruritania Jan Novak": the place closes a phrase
        while start and len(tokens) - start > 2 and _is_place(tokens[start], text):
            start += 1  # "Governor Arlen Jan Novak": the office's place, written elsewhere as "in Arlen"
        name, before = tokens[start:], tokens[:start]
        office = [t for t in before if (_is_office(t) and grounding.name_key(t) not in _CONNECTORS)
                  or grounding.name_key(t) in enrich.ABBREVIATED_TITLES]
        first_office = next((k for k, t in enumerate(before) if t in office), len(before))
        country = before[first_office - 1] if first_office >= 1 else ""
        if not office and not placed and len(name) >= 3 and _office_goes_on(text[:start_at]):
            # "Council of Ruritania Jan Novak", "Speaker of the National Assembly Jan Novak", "Minister for
            # Tourism Jan Novak": the words up to the institution's last word, else the first word, end the
            # office phrase.
            name = name[_country_prefix(name) or _institution_end(name) or 1:]
        if not name or sum(t[0].isupper() and not _is_particle(t) for t in name) > (6 if office else 4):
            continue
        if len(name) == 1 and not any(grounding.name_key(t) in title_words for t in office):
            continue  # one capitalised word with no office before it: a place, a month, a sentence's start
        if _is_body_or_country(" ".join(name)) or grounding.name_key(name[-1]) in vocabulary.words().institution_words:
            continue  # "Secretary-General of the United Nations", "the State Security Agency": a body, not a person
        name[-1] = grounding.POSSESSIVE.sub("", name[-1])  # "Jan Novak's visit": the person is Jan Novak
        found.append(Mention(" ".join(name), " ".join(office), country))
    return tuple(found)


def _office_goes_on(before: str) -> bool:
    """The words before a capitalised run carry an office phrase on into it: "... of (the)", "for" right
    after a capitalised office word ("Minister for Tourism"), or "and" after one that ends an office's field
    ("Minister of Foreign Affairs and Trade"), not after an office alone ("the Minister and Jan Novak")."""
    if re.search(r"\bof\s+(?:the\s+)?$", before):
        return True
    joined = re.search(r"(?P<field>\b(?:of|for)\s+(?:[A-Z][\w-]*\s+){1,4})?(?P<word>[A-Z][\w-]*)\s+(?P<join>for|and)\s+$", before)
    return bool(joined) and (joined["join"] == "for" or bool(joined["field"])) and _is_office(joined["word"]) \
        and grounding.name_key(joined["word"]) not in _CONNECTORS


def _country_prefix(tokens: list[str]) -> int:
    """How many leading words name a country ("Costa Rica Jan Novak": 2), leaving at least two for a name."""
    return next((k for k in (3, 2, 1) if len(tokens) - k >= 2 and vocabulary.is_country(" ".join(tokens[:k]))), 0)


def _is_place(token: str, text: str) -> bool:
    """A country, or a word the article writes as a place: after "in", "at", "from", "near" or "city of",
    not followed by another capitalised word."""
    return vocabulary.is_country(token) or _placed(token).search(text) is not None


@functools.lru_cache(maxsize=4096)  # asked of every capitalised word of the article's names
def _placed(token: str) -> re.Pattern[str]:
    return re.compile(rf"(?:\b(?:in|at|from|near)|\b(?:city|province|region|state|capital)\s+of)\s+(?:the\s+)?"
                      rf"{re.escape(token)}(?![\w'\u2019-]|\s+[A-Z])")


def _is_particle(token: str) -> bool:
    return bool(re.fullmatch(_PARTICLES, token, re.IGNORECASE))


def _institution_end(tokens: list[str]) -> int:
    """After an office, how many leading words finish the name of its institution ("... of the National
    Assembly Jan Novak": "National Assembly"), when a name still follows them; else 0."""
    ends = [i + 1 for i, t in enumerate(tokens[:-1]) if grounding.name_key(t) in vocabulary.words().institution_words]
    return ends[-1] if ends else 0


def _is_body_or_country(words: str) -> bool:
    return vocabulary.is_country(words) or any(p.fullmatch(words) for p in vocabulary.bodies().values())


def titled_names(text: str) -> list[str]:
    """The people ``text`` introduces with an office ("Ruritanian Prime Minister Jan Novak") or as someone's
    counterpart ("his Ruritanian counterpart Jan Novak"): a capitalised run with no office word (an agency,
    a place) is not taken for a person."""
    return [m.name for m in mentions(text) if len(m.name.split()) >= 2
            and (m.office or _counterpart(m.name).search(text))]


@functools.lru_cache(maxsize=4096)
def _counterpart(name: str) -> re.Pattern[str]:
    return re.compile(rf"\bcounterparts?,?\s+{re.escape(name)}")


def introduced_office(mention: Mention, text: str) -> str | None:
    """The office ``text`` introduces a named person with, before the name or set off after it; None for a
    single word or a run with no office (a place, an agency)."""
    if len(mention.name.split()) < 2:
        return None
    return mention.office or office_after(mention.name, text) or office_in_apposition(mention.name, text) \
        or _titled_office_before(mention.name, text)


def _titled_office_before(name: str, text: str) -> str | None:
    """An office that ends in its country, right before the name ("Prime Minister of Ruritania Jan Novak"),
    which the name's own run of capitalised words leaves out."""
    at = text.find(name)
    office = _office_before(at, text) if at > 0 else ""
    of_country = re.search(r"\s+of\s+(?:the\s+)?(?P<country>[A-Z][\w\s'-]*)$", office)
    title_words = vocabulary.words().title_words
    if of_country and vocabulary.is_country(of_country["country"]) \
            and any(grounding.name_key(w) in title_words for w in office[:of_country.start()].split()):
        return office
    return None


def office_after(name: str, text: str) -> str | None:
    """The office written after the name, set off by a comma: "Jan Novak, Minister of Foreign Affairs"."""
    office = office_set_off_after(name, text)
    if not office or not office[0].isupper():
        return None
    # "..., Ambassador to Ruritania and several officials": "and" before a lower-case word starts a new item.
    return re.split(r"\s+and\s+(?=[a-z])", office)[0].strip()


def office_set_off_after(name: str, text: str) -> str | None:
    """The words of an office after the name's comma, as written (capitalised or not): "Jan Novak, premier
    of Ruritania"."""
    commas = re.finditer(re.escape(name) + ",", text, re.IGNORECASE) if name else iter(())
    match = next((m for at in commas if (m := _office_after().match(text, at.end() - 1))), None)
    return match["office"] if match else None


@functools.cache  # one pattern, matched right after the name's comma: it holds every title word
def _office_after() -> re.Pattern[str]:
    titles = "|".join(sorted(vocabulary.words().title_words, key=len, reverse=True))
    return re.compile(rf",\s+(?:the\s+)?(?P<office>(?:[A-Z][\w-]*\s+){{0,3}}?(?:{titles})\b[^,.;]*)", re.IGNORECASE)


def office_in_apposition(name: str, text: str) -> str | None:
    """The office set off by a comma before the name: "Ruritania's Minister of Trade, Jan Novak"; None
    when the words before the comma hold no office word (a place, a list of names)."""
    words = _apposition(name, text)
    while words and (words[0].islower() or grounding.POSSESSIVE.search(words[0])):
        words = words[1:]  # "the", "Ruritania's": not the office
    return " ".join(words) or None


def _apposition(name: str, text: str) -> list[str]:
    """The words of an office set off by a comma before the name, with the country word before it."""
    vocab = vocabulary.words()
    for at in _places(name, text):
        comma = re.search(r",\s+(?P<styles>(?:\S+\s+){0,2})$", text[:at])  # "..., Dr Jan Novak"
        if comma is None or not all(grounding.name_key(w) in vocab.honorifics for w in comma["styles"].split()):
            continue
        if re.match(r"(?:,|\s+and)\s+[A-Z]", text[at + len(name):]):
            continue  # "Minister of Culture, Youth, Sport and ...": the fields of the office, listed
        words = _office_before(comma.start(), text).split()
        if any(part in vocab.title_words for w in words for part in grounding.name_key(w).split()):
            return words  # ("Secretary-General": a title word hyphenated)
    return []


def fullest(name: str, text: str) -> str | None:
    """The fullest mention of the person ``name`` names: all its words, the same surname, most words."""
    key = grounding.name_key(name).split()
    if not key:
        return None
    best = None
    for mention in mentions(text):
        written = mention.name
        if written.isupper() and not name.isupper():
            continue  # "MEETING WITH JAN NOVAK": a heading in capitals, not a fuller name
        if "- " in written and "- " not in name:
            written = written.rsplit("- ", 1)[-1]  # "Ruritania- Jan Novak": a word set off by a dash is not the name's
        words = grounding.name_key(written).split()
        if words and words[-1] == key[-1] and set(key) <= set(words):
            if best is None or len(words) > len(grounding.name_key(best).split()):
                best = written
    return best


def _respelled(name: str, text: str) -> str | None:
    """A named person whose surname is close to ``name``'s (a model's typo or transliteration)."""
    surname, key = surname_key(name), grounding.name_key(name)
    if len(surname) < 4:
        return None
    close = {m.name for m in mentions(text) if len(m.name.split()) >= 2
             and (fuzz.ratio(surname_key(m.name), surname) >= 85
                  or (len(key.split()) >= 2 and fuzz.ratio(grounding.name_key(m.name), key) >= 85))}
    return fullest(next(iter(close)), text) if len(close) == 1 else None


def _by_office(office: str, country: str | None, text: str) -> str | None:
    """The one person the article names with this office (and country), else None."""
    office_key = {w for w in grounding.name_key(office).split() if w in vocabulary.words().title_words}
    if not office_key:
        return None
    exact, loose = set(), set()
    for mention in mentions(text):
        if not mention.office or len(mention.name.split()) < 2:
            continue
        words = set(grounding.name_key(mention.office).split())
        if not office_key <= words:
            continue
        if country and mention.country_word and not enrich.country_word(mention.country_word, country):
            continue
        person = fullest(mention.name, text) or mention.name
        # "President" is exactly the office of "Ruritania's President John Roe", loosely that of a deputy.
        (exact if grounding.name_key(mention.office) == grounding.name_key(office) else loose).add(person)
    for found in (exact, loose):
        # "Sheikh Omar" is the short form of "Sheikh Omar Bin Khalid": the words a longer name opens with.
        keys = {n: grounding.name_key(n).split() for n in found}
        longest = {n for n in found if not any(len(k) > len(keys[n]) and k[:len(keys[n])] == keys[n]
                                               for k in keys.values())}
        people = {surname_key(n): n for n in longest}
        if people:
            return next(iter(people.values())) if len(people) == 1 else None
    return _in_apposition(office, text)


def _in_apposition(office: str, text: str) -> str | None:
    """"the Deputy Secretary-General of the United Nations, Jane Roe": the person named right
    after the office phrase as the article writes it."""
    phrase = " ".join(office.split()).replace("\u2019", "'")
    if len(phrase.split()) < 2:
        return None
    pattern = re.escape(phrase).replace(r"\ ", r"\s+").replace("'", "['\u2019]") + rf",?[ \t]+(?P<name>{_CAP}(?:[ \t]+(?:{_PARTICLES}[ \t]+)*{_NAME_WORD}){{1,4}})"
    found = {_person_words(m["name"]) for m in re.finditer(pattern, text)}
    names = {n for n in found if n and _looks_like_a_name(n)}
    return next(iter(names)) if len(names) == 1 else None


def _person_words(run: str) -> str:
    """A capitalised run cut to a person's name: no honorific before it, nothing after a full stop
    ("Dr. Jane Roe. The" -> "Jane Roe"; an initial such as "J." is kept)."""
    tokens = run.split()
    tokens = tokens[_is_honorific(tokens):]
    for i, token in enumerate(tokens):
        if token.endswith(".") and len(token) > 2:
            tokens = tokens[:i] + [token.rstrip(".")]
            break
    return " ".join(t.rstrip(",") for t in tokens)


def _looks_like_a_name(name: str) -> bool:
    """Capitalised words and name particles only, none of them an office: "Secretary-General of the United
    Nations", "of the United Nations" and "Trade and Ruritanian Expatriates" are not names of people."""
    tokens = name.split()
    for i, token in enumerate(tokens):
        if _is_particle(token) or re.fullmatch(_JOINED, token):
            continue
        if not token[0].isupper():
            return False
        given = i + 1 < len(tokens) and _is_particle(tokens[i + 1])  # "Sultan bin Saad": a given name
        parts = grounding.name_key(token).split()
        if not given and parts and all(part in vocabulary.words().office_words - _CONNECTORS for part in parts):
            return False  # "Minister", "Secretary-General"; not "Amir-Novak", whose first part is an office word
    return bool(name.split()) and not _is_body_or_country(re.sub(r"^(?:of\s+)?(?:the\s+)?", "", name))


def country_name(country: str | None) -> str | None:
    """The short English name for the ways news writes a country or body ("U.S.", "UAE", "UN")."""
    if not country:
        return country
    # A name of the table, else an ISO 3166 name or official name ("Republic of Moldova") in its short form.
    return vocabulary.country_names().get(grounding.name_key(country)) or vocabulary.short_country(country) or country


def office_country(office: str | None) -> str | None:
    """The country an office names as its own ("Ambassador of the Sultanate of Ruritania to Elbonia",
    "Minister of Foreign Affairs of Ruritania"), not the one it is posted to or deals with."""
    own = re.split(r"\s(?:to|in|at|for|on|with)\s", office or "")[0]
    for of in re.finditer(r"\bof\s+(?:the\s+)?", own):
        short = vocabulary.short_country(own[of.end():])
        if short:
            return short
    # "Chairman of the Ruritanian Security Council": a country's adjective before its own institution.
    for adjective in re.finditer(r"\bof\s+the\s+([A-Z][\w-]+)\s+[A-Z]", own):
        country = country_of_word(adjective[1])
        if country and country != adjective[1]:
            return country
    return None


def stated_country(name: str, text: str) -> str | None:
    """The country the article writes before this person's office ("Ruritanian Foreign Minister Jan Novak",
    "Ruritania's President Jan Novak"), when every such word names one and the same country."""
    found = set()
    for mention in mentions(text):
        if mention.country_word and mention.office and grounding.name_key(mention.name) == grounding.name_key(name):
            opening = re.search(rf"(?P<before>\S+\s+)?{re.escape(mention.country_word)}\s+{re.escape(mention.office)}", text)
            if opening is None or (opening["before"] and re.match(r"[A-Z]|(?:to|of|for|in|at)\s", opening["before"])):
                continue  # "South Sudanese ...", "Ambassador to Ruritania ...": the word is not the whole country
            country = country_of_word(grounding.POSSESSIVE.sub("", mention.country_word))
            if country is None:
                return None  # not a country word, or one that could be either of two ("Austr...")
            found.add(country)
    # "Ruritania's Minister of Trade, Jan Novak", "the Ruritanian envoy to Elbonia, Jan Novak"
    opening = [w for w in _apposition(name, text) if not w.islower()][:1]
    if not found and opening and grounding.name_key(opening[0]) not in vocabulary.words().title_words:
        country = country_of_word(grounding.POSSESSIVE.sub("", opening[0]))
        if country:
            found.add(country)
    return found.pop() if len(found) == 1 else None


@functools.lru_cache(maxsize=1024)  # every country is compared with the word
def country_of_word(word: str) -> str | None:
    """The one country a word names or makes an adjective of ("Ruritania", "Ruritanian"), else None."""
    named = [c for c in vocabulary.short_country_names()
             if grounding.name_key(c) == grounding.name_key(word) or enrich.country_word(word, c)]
    return named[0] if len(named) == 1 else None


def _written_office(name: str, text: str, exact: bool = False) -> str | None:
    """The office the article writes before this person's name ("Foreign Minister" of "Ruritania's
    Foreign Minister Prince Karim"), if it writes one."""
    vocab = vocabulary.words()
    for mention in mentions(text):
        if grounding.name_key(mention.name) == grounding.name_key(name) or \
                (not exact and grounding.name_key(name).endswith(grounding.name_key(mention.name))):
            words = mention.office.split()
            while words and grounding.name_key(words[-1]) in vocab.ranks:
                words.pop()  # "Foreign Minister Prince Karim": the office, not the style
            if any(grounding.name_key(w) in vocab.title_words - vocab.ranks for w in words):
                return " ".join(words)
    return None


_UNIT_OF = re.compile(r"\s+(?:Department|Division|Desk|Directorate|Bureau|Section|Unit|Affairs)\b")


def international_body(name: str, title: str | None, text: str) -> str | None:
    """The international body whose office this person holds, from the title or the words the article
    writes before the name ("UN Secretary-General ..."), else None."""
    for phrase in (title or "", *(_office_before(i, text) for i in _places(name, text))):
        for body, pattern in vocabulary.bodies().items():
            # "Director of the EU Department at the Ministry of Trade": a national ministry's desk for the body.
            if any(not _UNIT_OF.match(phrase, m.end()) for m in pattern.finditer(phrase)):
                return body
    return None


def _office_before(at: int, text: str) -> str:
    """The words written right before a name as its office: capitalised words and the small words
    between them ("Minister for EU Affairs"), back to the clause's start or a lower-case word."""
    pieces = re.split(r"[.;:\n]|,\s|\s[-\u2013\u2014]\s", text[max(0, at - 120):at])
    words = pieces[-1].split()
    # Only an honorific between the comma and the name: nothing before it is the office of someone else in a list.
    if len(pieces) > 1 and words and all(grounding.name_key(w) in vocabulary.words().honorifics for w in words):
        words = pieces[-2].split() + words  # "The Secretary General of the Body, Dr Jan Novak": the office in apposition
    kept: list[str] = []
    for word in reversed(words):
        if not (word[0].isupper() or word in ("of", "the", "for", "to", "at", "on", "and")
                or re.fullmatch(r"\([A-Z][\w.-]*\)", word)):  # "(OIC)": the body's initials
            break
        kept.insert(0, word)
    return " ".join(kept)


def _places(name: str, text: str) -> list[int]:
    """Where the article writes this name in full."""
    found, at = [], text.find(name)
    while at >= 0 and name:
        found.append(at)
        at = text.find(name, at + len(name))
    return found


def _names_a_country(name: str, country: str | None, text: str) -> bool:
    """'Ruritania' where a name belongs: the participant's country, or a word the article writes before an
    office as a country ("Ruritania's Prime Minister")."""
    if country and (grounding.name_key(name) == grounding.name_key(country) or enrich.country_word(name, country)):
        return True
    key = grounding.name_key(name)
    return any(grounding.name_key(grounding.POSSESSIVE.sub("", m.country_word)) == key for m in mentions(text))


def _only_in_bylines(name: str, text: str) -> bool:
    lines = [line for line in text.splitlines() if grounding.name_in_text(name, line)]
    return bool(lines) and all(vocabulary.words().byline.search(line) or _dated_byline(name, line) for line in lines)


# What a byline holds besides the author: a date and a time ("Jan Novak 03.02.2017 07:29", "Jan Novak |
# 5 March 2024, 10:15 GMT"), the time perhaps with its zone's letters ("09:15 EAT").
_DATE_AND_TIME = re.compile(r"(?:\d{1,2}:\d{2}\s*[a-z]{2,5}\b|[\d.:/,|\-\u2013\u2014\s]|\b(?:am|pm|gmt|utc|updated|published|"
                            r"jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b)+", re.IGNORECASE)


def _dated_byline(name: str, line: str) -> bool:
    """A line that is the name alone or the name and a date (a reporter's byline, the date perhaps on the
    next line), not a sentence about the person."""
    folded, key = grounding.fold(line), grounding.fold(name)
    if key not in folded:
        return False
    rest = folded.replace(key, " ", 1).strip()
    return not rest or (bool(re.search(r"\d", rest)) and bool(_DATE_AND_TIME.fullmatch(rest)))


def _office_goes_on_into(stripped: list[str], name: str, text: str) -> bool:
    """What is left after the office words is the office's own end: "... Foreign Affairs and International
    Cooperation", whose last words the article writes only right after the office's "and"."""
    if not stripped or grounding.name_key(stripped[-1]) not in _CONNECTORS:
        return False
    places = _places(name, text)
    return bool(places) and all(text[:at].rstrip().endswith(stripped[-1]) for at in places)


def repair_participant(person: Participant, text: str) -> tuple[Participant | None, str | None]:
    """The participant with a name the article gives, or None; and a warning saying what was done."""
    raw = grounding.POSSESSIVE.sub("", " ".join(person.name.split()))  # "Jan Novak's (visit)": the person
    title = enrich.value(person.title)
    country = enrich.value(person.country)
    if enrich.value(raw) is None:
        return None, f"dropped a participant with no name ({raw!r})"
    named, dash, office_after_dash = raw.partition("- ")
    if dash and _is_office(office_after_dash.split()[0]) and _looks_like_a_name(named) \
            and grounding.name_in_text(named, text):
        raw, title = named, title or office_after_dash  # "Jan Novak- Minister of Trade": a dash set off, not a hyphen
    office, comma, after = raw.rpartition(", ")
    if comma and len(after.split()) >= 2 and _looks_like_a_name(after) and grounding.name_in_text(after, text) \
            and any(_is_office(w) for w in office.split()):
        raw, title = after, title or office  # "Minister of Trade and Industry, Jan Novak": the office, then the name
    titled = any(grounding.name_key(t) in vocabulary.words().title_words for t in raw.split())
    if vocabulary.words().organisation.search(raw) and not titled:
        return None, f"dropped participant {raw!r}: an organisation, not a person"
    tokens = raw.split()
    stripped: list[str] = []
    while tokens:
        n = _is_honorific(tokens)
        key = grounding.name_key(tokens[0])
        if n:
            tokens = tokens[n:]
        elif key in enrich.ABBREVIATED_TITLES or _is_office(tokens[0]) or enrich.country_word(tokens[0], country) \
                or grounding.POSSESSIVE.search(tokens[0]):
            stripped.append(tokens.pop(0))
        else:
            break
    if stripped:
        cut = _institution_end(tokens)
        stripped, tokens = stripped + tokens[:cut], tokens[cut:]
    if stripped and (cut := _country_prefix(tokens)):
        stripped, tokens = stripped + tokens[:cut], tokens[cut:]  # "President of Upper Volta Jan Novak"
    while stripped and len(tokens) > 2 and _is_place(tokens[0], text):
        stripped.append(tokens.pop(0))  # "Governor Arlen Jan Novak": the office's place, as in mentions()
    while stripped and tokens and _is_particle(tokens[0]):
        tokens.insert(0, stripped.pop())  # "Prince Sultan bin Saad": "Sultan" is a name here
    if tokens and not _looks_like_a_name(" ".join(tokens)):
        # "Lao Foreign Minister Jan Novak", "ASEAN Secretary-General Jan Novak": a name after the office
        # words, whatever country or body word the model wrote before them.
        offices = [i for i, t in enumerate(tokens)
                   if _is_office(t) or grounding.name_key(t) in enrich.ABBREVIATED_TITLES]
        cut = offices[-1] + 1 if offices else len(tokens)
        while cut < len(tokens) - 1 and (vocabulary.is_country(tokens[cut]) or enrich.country_word(tokens[cut], country)):
            cut += 1  # "Chief Secretary of Ruritania Jan Novak": the country closes the office
        honorific = _is_honorific(tokens[cut:])  # "Minister of Health Dr Jane Roe"
        tail = tokens[cut + honorific:]
        if tail and not _is_particle(tail[0]) and _looks_like_a_name(" ".join(tail)) \
                and " ".join(tail) in {m.name for m in mentions(text)}:
            stripped, tokens = stripped + tokens[:cut], tail
    name = " ".join(tokens)
    if name and country and grounding.name_key(country).endswith(" " + grounding.name_key(name)):
        name = ""  # "... of the United Nations": the rest of the country's or body's name, not a person's
    if name and (not _looks_like_a_name(name) or vocabulary.words().organisation.search(name)
                 or _office_goes_on_into(stripped, name, text) or vocabulary.words().building.fullmatch(name)):
        stripped, name = raw.split(), ""  # an office, a body or a building written where a name belongs
    office_words = [w for w in stripped if not enrich.country_word(w, country) and not grounding.POSSESSIVE.search(w)]
    while office_words and grounding.name_key(office_words[0]) in _CONNECTORS:
        office_words.pop(0)  # "the Amir": an article opens no office
    written = " ".join(office_words)
    vocab = vocabulary.words()
    an_office = any(grounding.name_key(w) in vocab.title_words - vocab.ranks for w in office_words)
    if office_words and (not title or (an_office and name and grounding.name_in_text(f"{written} {name}", text)
                                       and not grounding.name_in_text(f"{title} {name}", text))):
        # The office the model copied with the name, as the article writes it there, beats a title field
        # the article never writes before that name (a rank is not an office).
        title = " ".join(enrich.ABBREVIATED_TITLES.get(grounding.name_key(w), w) for w in office_words)
    notes = []
    if name != raw:
        notes.append(f"{raw!r} -> {name!r}" if name else f"{raw!r} names an office")

    resolved = None
    if name and not (country and grounding.name_key(name) == grounding.name_key(country)) \
            and grounding.name_in_text(name, text):
        resolved = fullest(name, text) or name
    elif name:
        resolved = _respelled(name, text)
        if resolved:
            notes.append(f"respelled {name!r} as {resolved!r}")
    if resolved is None and (not name or _names_a_country(name, country, text)):  # an office or a country
        # The office written with the name beside it ("the Deputy Secretary-General, Jane Roe") first: it
        # is exact, where the office alone may also be the end of another office's name.
        resolved = (_in_apposition(raw, text) if not name else None) \
            or _by_office(" ".join(office_words) or (title or ""), country or (name or None), text)
        if resolved:
            notes.append(f"resolved {raw!r} to {resolved!r}, the {' '.join(office_words) or title or 'official'} "
                         "the article names")
    if resolved is None:
        return None, f"dropped participant {raw!r}: no person of that name in the article"
    if _only_in_bylines(resolved, text):
        return None, f"dropped participant {resolved!r}: named only in a byline"
    if grounding.name_key(resolved) != grounding.name_key(name) and not any("resolved" in n or "respelled" in n
                                                                            for n in notes):
        notes.append(f"{name!r} -> fullest mention {resolved!r}")
    title_words = vocabulary.words().title_words
    if title and grounding.name_key(resolved) in grounding.name_key(title):
        title = None  # the name copied into the title
    if not title or not any(grounding.name_key(w) in title_words for w in title.split()):
        title = _written_office(resolved, text) or title  # "counterpart", "Sheikh": not offices
    elif (written := _written_office(resolved, text, exact=True)) and not {grounding.name_key(w) for w in title.split()} & {grounding.name_key(w) for w in written.split()
                                                                          if grounding.name_key(w) in title_words}:
        title = written  # "Prime Minister" for one the article calls "President Jane Roe": the article's word
    stated = stated_country(resolved, text)
    if stated and not (country and (enrich.country_word(country, stated) or enrich.country_word(stated, country))):
        notes.append(f"country {country!r} -> {stated!r}, as the article writes it before the office")
        country = stated
    repaired = person.model_copy(update={"name": resolved, "title": title, "country": country_name(country)})
    warning = "participant " + "; ".join(notes) if notes and grounding.name_key(resolved) != grounding.name_key(raw) \
        else None
    return repaired, warning
