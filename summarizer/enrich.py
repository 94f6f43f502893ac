"""What code does better than a model, used by the extraction steps (:mod:`summarizer.steps`).

Headline, publication date and dateline come from the article's first lines;
relative dates are resolved against the publication date (never guessed);
titles lose their country adjective; every spelling of a person in the article
becomes an alias; duplicate meetings are merged; a neutral summary is written
when the model gave none.
"""

from __future__ import annotations

import datetime as dt
import re

from rapidfuzz import fuzz

from . import grounding, vocabulary
from .identity import named_at, same_person, surname_key
from .schema import Brief, Meeting, Participant

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_MONTH = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_YEAR = r"(?:,?\s+|\s*/\s*)(?P<year>\d{4})"  # "Dec 9, 2021", "December 9 /2021"
_MONTH_WORD = _MONTH.replace("?P<month>", "")
_DATE_PATTERNS = [
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:{_YEAR})?\b", re.I),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+(?P<year>\d{{4}}))?\b", re.I),
    re.compile(r"\b(?P<year>\d{4})-(?P<monthnum>\d{2})-(?P<day>\d{2})\b"),
]
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
# A dateline opens the first lines of the story: "PARIS (Agency) -", "PARIS, France -", "Paris, March 3
# (Agency)", "Paris, Sept. 3:", "Lagos March 3 /2022 /NAN/", "Doha: ...". The city is the first place named.
_DATELINE = [
    re.compile(r"^\s*(?P<city>[A-Z][A-Za-z.' -]{1,40}?)\s*\([^)]{1,40}\)\s*[-\u2013\u2014:]"),
    re.compile(r"^\s*(?P<city>[A-Z][A-Z.' -]{2,40}?)(?:,\s*[A-Z][A-Za-z ]{2,30}?)?,?\s*[-\u2013\u2014:]\s"),
    re.compile(rf"^\s*(?P<city>[A-Z][A-Za-z.' ]{{1,30}}?(?:/[A-Z][A-Za-z.' ]{{1,30}}?)?),?\s+"
               rf"(?:{_MONTH_WORD}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH_WORD})\b(?:{_YEAR.replace('?P<year>', '')})?"
               r"\s*[/(,:\-\u2013\u2014]"),
    re.compile(r"^\s*(?P<city>[A-Z][a-z]+(?: [A-Z][a-z]+)?):\s+[A-Z]"),
    # "Luanda — The President ...": a city in title case, a spaced dash, then the sentence.
    re.compile(r"^\s*(?P<city>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2})\s+[\u2013\u2014]\s+[A-Z]"),
]
# Words that open a headline like a dateline does ("Analysis: ...", "WATCH -"), never a city.
_NOT_CITIES = {"analysis", "breaking", "update", "updated", "opinion", "exclusive", "watch", "video", "live",
               "editorial", "explainer", "interview", "photos", "lead", "published", "posted", "date"}
_PUBLISHED = re.compile(r"^(?:\S+\s+){0,3}?(?:published|posted|updated|last updated|date)\b", re.IGNORECASE)


def _first_lines(text: str, n: int = 3) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()][:n]


def parse_date(words: str, reference: dt.date | None = None) -> dt.date | None:
    """A calendar date stated in ``words``; a missing year comes from ``reference``."""
    for pattern in _DATE_PATTERNS:
        match = pattern.search(words)
        if not match:
            continue
        groups = match.groupdict()
        month = int(groups["monthnum"]) if groups.get("monthnum") else _MONTHS[groups["month"][:3].lower()]
        year = int(groups["year"]) if groups.get("year") else (reference.year if reference else None)
        if year is None:
            return None
        try:
            found = dt.date(year, month, int(groups["day"]))
        except ValueError:
            return None
        if not groups.get("year") and reference and found > reference + dt.timedelta(days=31):
            found = found.replace(year=year - 1)  # "Dec 30" in an article published in January
        return found
    return None


def published_date(text: str) -> dt.date | None:
    """The article's own date when a line at its top states one: a short date line, a "Published: ..."
    line, or the date in the dateline."""
    for line in _first_lines(text, 4):
        if _PUBLISHED.match(line) or (len(line) <= 60 and _date_opens(line)):
            found = parse_date(line[:120])
        else:
            found = parse_date(_dateline(line) or "")
        if found and found.year >= 1900:
            return found
    return None


def _date_opens(line: str) -> bool:
    """A date line starts with its date (after a weekday, say): a signature such as "- Jane Doe (@jd)
    October 31, 2021" under a quoted post is not the article's date."""
    starts = [m.start() for p in _DATE_PATTERNS for m in [p.search(line)] if m]
    return bool(starts) and min(starts) <= 12


def headline(text: str) -> str | None:
    for line in _first_lines(text):
        clean = line.lstrip("\u2022*-\u2013 ").strip()
        if published_date(clean) and len(clean) <= 60:
            continue  # a date line
        if len(clean) <= 160 and not clean.endswith(".") and not dateline_city(clean):
            return clean
        return None
    return None


def _dateline(line: str) -> str | None:
    """The dateline that opens ``line`` ("Lagos March 3 /2022 /"), else None."""
    for pattern in _DATELINE:
        match = pattern.match(line)
        words = grounding.name_key(match["city"]).split() if match else []
        if words and not _NOT_CITIES & set(words):
            return match.group()
    return None


def dateline_city(text: str) -> str | None:
    for line in _first_lines(text, 4):
        for pattern in _DATELINE:
            match = pattern.match(line)
            if match and _dateline(line):
                # "CITY. AGENCY -": a full stop after a word (not "ST.") ends the city; the agency follows.
                city = re.split(r"(?<=[A-Za-z]{4})\.\s", match["city"].split("/")[0])[0].strip(" ,")
                return city.title() if city.isupper() else city
    return None


# "in Valoria", "in the Ruritanian city of Valoria", "in the capital, Valoria": where a sentence says a
# thing happened. One to three capitalised words, not followed by a possessive ("in Ruritania's ports").
_STATED_PLACE = re.compile(r"\bin\s+(?:the\s+(?:[\w-]+\s+){0,2}(?:city|capital|town|port)(?:\s+of)?,?\s+)?"
                           r"(?P<place>[A-Z][\w-]+(?:\s+[A-Z][\w-]+){0,2})\b(?![\u2019']s)")


def stated_places(sentence: str) -> set[str]:
    """The places a sentence says something happened in, without countries, bodies, months, days and
    institutions ("in Parliament")."""
    words = vocabulary.words()
    skip = set(words.institution_words) | set(words.title_words)
    places = set()
    for match in _STATED_PLACE.finditer(sentence):
        place = match["place"]
        first = place.split()[0]
        if (vocabulary.is_country(place) or re.fullmatch(_MONTH_WORD, first, re.IGNORECASE)
                or first.casefold() in _WEEKDAYS or any(w.casefold() in skip for w in place.split())
                or any(p.search(place) for p in vocabulary.bodies().values())):
            continue
        places.add(place)
    return places


# "On June 3 in Ruritania, ...", "In Ruritania, ...": a place set before the sentence's subject, followed by a
# comma, is where the main clause (the meeting it reports) happened.
_FRONTED_PLACE = re.compile(r"(?:[A-Z][^,.;:]{0,40}?\s)?[Ii]n\s+(?:the\s+)?(?P<place>[A-Z][\w-]+(?:\s+[A-Z][\w-]+){0,2}),")


def fronted_country(sentence: str) -> str | None:
    """The country a sentence opens by placing its news in ("In Ruritania, Novak met ...")."""
    opening = _FRONTED_PLACE.match(sentence.strip())
    return opening["place"] if opening and vocabulary.is_country(opening["place"]) else None


def stated_countries(sentence: str) -> set[str]:
    """The countries a sentence says something happened in ("took place ... in Ruritania")."""
    return {m["place"] for m in _STATED_PLACE.finditer(sentence) if vocabulary.is_country(m["place"])}


def resolve_date(words: str | None, published: dt.date | None) -> dt.date | None:
    """Resolve 'on Friday', 'Jan 31', 'yesterday' against the publication date; else None."""
    if not words:
        return None
    folded = words.casefold()
    stated = parse_date(words, published)
    if stated:
        return stated
    if published is None:
        return None
    if re.search(r"\b(today|this (morning|afternoon|evening))\b", folded):
        return published
    if re.search(r"\b(yesterday|last night)\b", folded):
        return published - dt.timedelta(days=1)
    for i, day in enumerate(_WEEKDAYS):
        if re.search(rf"\b{day}\b", folded):
            back = (published.weekday() - i) % 7  # the last such weekday on or before publication
            return published - dt.timedelta(days=back)
    return None


_INNER_ADJECTIVE = re.compile(r"\bof\s+the\s+(?P<country>[A-Z][\w-]+)\s+(?=[A-Z])")


def country_word(word: str, country: str | None) -> bool:
    """'Iranian' for Iran, 'Kyrgyz' for Kyrgyzstan: a shared prefix of 4+ letters, most of the shorter;
    'UN' for United Nations, 'U.S.' for United States: another way of writing it (vocab/countries.toml)."""
    if not country:
        return False
    a = grounding.POSSESSIVE.sub("", grounding.fold(word))
    b = grounding.fold(country)
    if grounding.name_key(vocabulary.country_names().get(grounding.name_key(a), "")) == grounding.name_key(b):
        return True
    if _same_stem(a, b):
        return True
    # "Ost Ruritanian", "Ost" for Ost Ruritania: a word of a country of several words, or its adjective.
    parts = [p for p in b.split() if p not in _GENERIC_COUNTRY_WORDS] if " " in b else []
    return any((a == part and len(a) >= 3) or _same_stem(a, part) for part in parts)


_GENERIC_COUNTRY_WORDS = {"united", "republic", "democratic", "people's", "peoples", "of", "the", "and", "federal",
                          "islamic", "state", "states", "kingdom", "arab", "islands"}


# How English turns a country's name into its adjective after the shared stem ("Chin-a" -> "Chin-ese",
# "Swed-en" -> "Swed-ish", "Norw-ay" -> "Norw-egian").
_ADJECTIVE_ENDINGS = frozenset({"n", "an", "ian", "ean", "ese", "uese", "ish", "i", "ic", "ine", "e", "k", "in", "iot", "egian"})


def _same_stem(word: str, country: str) -> bool:
    """The word is the country or its adjective: one begins with the other ("Iran", "Iranian"; "Kyrgyz",
    "Kyrgyzstan"), or they share a stem of 4+ letters, most of the shorter, after which the country ends
    in at most two letters and the word in an adjective's ending ("China", "Chinese"). Not "Australian"
    for Austria, nor "Nigerien" for Nigeria."""
    shared = 0
    for x, y in zip(word, country):
        if x != y:
            break
        shared += 1
    if shared < 4 or shared < 0.6 * min(len(word), len(country)):
        return False
    word_rest, country_rest = word[shared:], country[shared:]
    return not word_rest or not country_rest or (len(country_rest) <= 2 and word_rest in _ADJECTIVE_ENDINGS)


def clean_title(title: str | None, country: str | None) -> str | None:
    """Drop the country adjective ('Iranian Deputy Foreign Minister') or suffix ('... of Kyrgyzstan')."""
    if not title:
        return title
    words = " ".join(title.split()).strip(" ,").split(" ")
    while len(words) > 1 and country_word(words[0], country):
        words = words[1:]
    title = " ".join(words)
    suffix = _country_suffix(title, country)
    if suffix is not None:
        return title[:suffix] or None
    inner = _INNER_ADJECTIVE.search(title)
    if inner and country_word(inner["country"], country) and grounding.name_key(inner["country"]) != grounding.name_key(country or ""):
        title = title[: inner.start("country")] + title[inner.end("country"):].lstrip()  # "of the Ruritanian Council"
    return title or None


def clean_body_title(title: str | None, body: str) -> str | None:
    """A body official's office without the body's name before or after it, as titles leave out the country:
    "UN Secretary-General", "Secretary-General of the Council of Europe (CoE)" -> "Secretary-General"."""
    if not title:
        return title
    pattern = vocabulary.bodies()[body]
    opening = pattern.match(title)
    rest = title[opening.end():].split() if opening else []
    if opening and title[opening.end():opening.end() + 1].isspace() and rest \
            and grounding.name_key(rest[0]) not in vocabulary.words().institution_words:  # "African Union Commission ..."
        title = " ".join(rest)
    for closing in re.finditer(r"\s+of\s+(?:the\s+)?", title):
        named = pattern.match(title, closing.end())
        if named and not re.sub(r"\s*\([A-Z][\w.-]*\)", "", title[named.end():]).strip():
            return title[:closing.start()]
    return title


def _country_suffix(title: str, country: str | None) -> int | None:
    """Where an "of ..." ending that names only the person's country or body starts: "of Ost Ruritania",
    "of the Republic", "of the Ruritanian Union Secretariat" for the Ruritanian Union."""
    folded_country = grounding.name_key(country or "")
    for match in re.finditer(r"\s+of\s+(?:the\s+)?", title):
        rest = title[match.end():]
        words = rest.split()
        if not words or not words[0][:1].isupper():
            continue
        key = grounding.name_key(rest)
        if folded_country and (key == folded_country or (key.startswith(folded_country + " ") and
                                                         len(key.split()) - len(folded_country.split()) <= 1)):
            return match.start()
        own = [grounding.name_key(w) in _STATE_WORDS or country_word(w, country) for w in words]
        if any(own) and all(o or grounding.name_key(w) in _GENERIC_COUNTRY_WORDS for o, w in zip(own, words)):
            return match.start()  # not "Head of State": a state word or the country itself must be there
    return None


_STATE_WORDS = {"republic", "federation", "sultanate", "emirate", "principality", "confederation", "commonwealth"}


_WORD = re.compile(r"\b[^\W\d_][\w-]+")


def find_aliases(name: str, text: str) -> list[str]:
    """Other spellings of ``name``'s surname standing alone in ``text`` ("Aref", "Mossadeghov")."""
    own = grounding.name_key(name)
    surname = surname_key(name)
    if not surname:
        return []
    found: set[str] = set()
    for match in _WORD.finditer(text):
        word = match.group()
        if not word[0].isupper() or word in found:
            continue
        key = grounding.name_key(word)
        if key != own and (key == surname or (len(key) >= 5 and fuzz.ratio(key, surname) >= 85)):
            found.add(word)  # "Álvarez" and "Alvarez" are two spellings, both kept
    return sorted(found)


_EMPTY = {"", "null", "none", "n/a", "na", "unknown", "not stated", "unspecified", "not specified", "not mentioned"}
# Words that open an office, not a name, and the ones among them that are titles by themselves.
OFFICE_WORDS = vocabulary.words().office_words
TITLE_WORDS = vocabulary.words().title_words
ABBREVIATED_TITLES = vocabulary.words().abbreviated_titles


def value(text: str | None) -> str | None:
    """Small models write the string "null" for null; treat such strings as missing."""
    if text is None:
        return None
    text = " ".join(text.split()).strip(" ,.;")
    return None if text.casefold() in _EMPTY else text


def clean_name(name: str, country: str | None) -> str:
    """'Ruritanian Prime Minister Jan Novak' -> 'Jan Novak': drop leading country word, office, honorific.

    Returns '' when the "name" is only an office ('Chairman of the National Security Council')."""
    words = name.split()
    while words and (country_word(words[0], country) or grounding.name_key(words[0]) in vocabulary.words().honorifics
                     or grounding.name_key(words[0]) in OFFICE_WORDS
                     or grounding.POSSESSIVE.search(words[0])):  # "Iran's ...": a name never opens with a possessive
        words = words[1:]
    return " ".join(words)


def is_aggregate(meeting: Meeting, meetings: list[Meeting]) -> bool:
    """A 'meeting' of three or more people who all appear in the article's smaller meetings: the model
    summing up the trip, not a meeting of its own (a repeat of the same meeting is merged instead)."""
    if len(meeting.participants) < 3:
        return False
    others = [p.name for m in meetings if len(m.participants) < len(meeting.participants) for p in m.participants]
    return all(any(same_person(p.name, o) for o in others) for p in meeting.participants)


def complete_pairs(meetings: list[Meeting], text: str) -> None:
    """A meeting with one named person, where the article has people from other countries in its other
    meetings: the missing side is the one named beside the lone person in the article's sentences
    (then: the one in most meetings), when the article reports the lone person meeting someone. A small
    model often drops the traveller who meets several hosts."""
    people = [p for m in meetings for p in m.participants]
    sentences = [grounding.fold(s.text) for s in grounding.split_sentences(text)]

    def named_in(person: Participant, sentence: str) -> bool:
        return surname_key(person.name) in grounding.name_key(sentence).split()

    for meeting in meetings:
        if len(meeting.participants) != 1:
            continue
        alone = meeting.participants[0]
        others: dict[str, Participant] = {}
        for p in people:
            if (not same_person(p.name, alone.name) and p.country and alone.country
                    and grounding.fold(p.country) != grounding.fold(alone.country)):
                others.setdefault(surname_key(p.name), p)
        beside = [s for s in sentences if named_in(alone, s)]
        if not any(vocabulary.words().held.search(s) for s in beside):
            continue  # the article never reports the lone person meeting anyone: no side to complete
        ranked = sorted(
            ((sum(named_in(p, s) for s in beside), sum(same_person(p.name, q.name) for q in people), p)
             for p in others.values()), key=lambda r: r[:2], reverse=True)
        if ranked and (len(ranked) == 1 or ranked[0][:2] > ranked[1][:2]):
            meeting.participants.append(ranked[0][2].model_copy(deep=True))


def merge_people(people: list[Participant]) -> list[Participant]:
    merged: list[Participant] = []
    for person in people:
        twin = next((m for m in merged if same_person(m.name, person.name)), None)
        if twin is None:
            merged.append(person.model_copy(deep=True))
            continue
        names = [twin.name, person.name, *twin.aliases, *person.aliases]
        twin.name = max(names, key=len)
        twin.aliases = sorted({n for n in names if grounding.name_key(n) != grounding.name_key(twin.name)})
        twin.title = twin.title or person.title
        twin.country = twin.country or person.country
    return merged


def canonical(words: str | None, people: list[Participant]) -> str | None:
    words = value(words)
    if words is None:
        return None
    return next((p.name for p in people if same_person(words, p.name)), words)


def _same_meeting(a: Meeting, b: Meeting, text: str) -> bool:
    names_a = {surname_key(p.name) for p in a.participants}
    names_b = {surname_key(p.name) for p in b.participants}
    dates_agree = not a.date.text or not b.date.text or a.date.text.casefold() == b.date.text.casefold()
    # The same people met twice only where the article dates both meetings beside them: a small model
    # reads a date off another sentence ("the statement issued on Friday", a photo caption).
    return names_a == names_b and (dates_agree or not (_dated_here(a, text) and _dated_here(b, text)))


def _dated_here(meeting: Meeting, text: str) -> bool:
    """The meeting's date words are in a sentence that names two of its people (or its one)."""
    when = grounding.fold(meeting.date.text or "")
    people = meeting.participants
    return bool(when) and any(when in grounding.fold(s.text) and sum(named_at(p.name, s.text) is not None
                                                                     for p in people) >= min(2, len(people))
                              for s in grounding.split_sentences(text))


def merge_meetings(meetings: list[Meeting], text: str = "") -> list[Meeting]:
    merged: list[Meeting] = []
    for meeting in meetings:
        twin = next((m for m in merged if _same_meeting(m, meeting, text)), None)
        if twin is None:
            merged.append(meeting)
            continue
        if _dated_here(meeting, text) and not _dated_here(twin, text):
            twin.date = meeting.date  # the date the article writes beside them
        known = {a.area for a in twin.agreed_areas}
        twin.agreed_areas += [a for a in meeting.agreed_areas if a.area not in known]
        twin.invitations += meeting.invitations
        twin.venue.city = twin.venue.city or meeting.venue.city
        twin.venue.country = twin.venue.country or meeting.venue.country
        twin.venue.occasion = twin.venue.occasion or meeting.venue.occasion
    return merged


def _list_words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _describe(p: Participant) -> str:
    extra = ", ".join(x for x in (p.title, p.country) if x)
    return f"{p.name} ({extra})" if extra else p.name


def write_summary(brief: Brief) -> str:
    if not brief.meetings:
        return "The article reports no meeting between named officials."
    sentences = []
    for m in brief.meetings[:3]:
        people = [_describe(p) for p in m.participants]
        verb = {"phone": "spoke by phone with", "video": "held a video call with"}.get(m.format or "", "met")
        head = f"{people[0]} {verb} {_list_words(people[1:])}" if len(people) > 1 else f"{people[0]} held a meeting"
        where = f" in {m.venue.city}" if m.venue.city else ""
        when = f" ({m.date.text})" if m.date.text else ""
        topics = [a.area.value.replace("_", " ") for a in m.agreed_areas]
        about = f"; they discussed {_list_words(topics)}" if topics else ""
        sentences.append(f"{head}{where}{when}{about}.")
    if len(brief.meetings) > 3:
        sentences.append(f"The article reports {len(brief.meetings)} meetings in all.")
    return " ".join(sentences)


def complete(brief: Brief, text: str) -> Brief:
    """``brief`` after every extraction step (:mod:`summarizer.steps`), for a brief assembled elsewhere."""
    from . import steps

    return steps.run(brief, steps.Context(text=text, grounds=text, areas_from_model=True))


def with_metadata(brief: Brief, published: dt.date | None, title: str | None) -> Brief:
    """Fill what the text does not state from its page or feed row: the publication date (and the
    meeting dates it resolves: 'on Friday') and the headline. What the text states wins."""
    if (published is None or brief.published is not None) and (title is None or brief.headline):
        return brief
    brief = brief.model_copy(deep=True)
    brief.headline = brief.headline or title
    if published is not None and brief.published is None:
        brief.published = published
        for meeting in brief.meetings:
            meeting.date.iso = meeting.date.iso or resolve_date(meeting.date.text, published)
    return brief
