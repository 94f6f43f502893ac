"""Attach invitations: each invitation the model reported is grounded in the sentence that makes it,
put under the meeting it belongs to, and given inviter and invitee the way round the sentence has them
(a model often swaps them). An invitation no sentence makes is the model's invention and is dropped."""

from __future__ import annotations

import re

from . import enrich, grounding, repair, vocabulary
from .identity import named_at, same_person, surname_key
from .schema import Invitation, Meeting, Participant
from .shapes import InvitationDraft, invitation_sentences

_INVITING = vocabulary.words().inviting


# "an invitation from A", "invited by A", "a letter from A ... inviting B": A makes it.
_PASSIVE = re.compile(r"invit\w*\s+(?:from|by|of)\b|\binvitation\b(?:,?\s+which\s+was)?\s+(?:extended|sent|issued|conveyed|written|signed)"
                      r"(?:\s+to\s+(?:him|her|them))?\s+by\b"
                      r"|\b(?:letter|message)\s+(?:from|of)\b(?!\s+invit)(?=[^.;]*\binvit)", re.IGNORECASE)


# An invitation told as the occasion of a visit that is taking or took place: accepted and under way.
_OCCASION = re.compile(r"\b(?:at|on|upon|responding(?:\s+thus)?\s+to|and)\s+(?:the\s+|an\s+)?invitation\s+(?:of|from)\b",
                       re.IGNORECASE)
# Handing over what someone else wrote: the subject carries it, the object receives it.
_CARRIES = re.compile(r"\b(?:presented|handed(?:\s+over)?|delivered|gave|conveyed|passed\s+on)\b")


def _agent_end(sentence: str, passive: re.Match[str]) -> int:
    """Where the agent after 'by'/'from' ends: at a comma, 'to' or 'during', except that a description
    is followed by the name in apposition ("by his counterpart of Ruritania, Jan Novak, to ...")."""
    rest = sentence[passive.end():]
    stop = re.search(r",|\bto\b|\bduring\b|$", rest)
    described = rest[:stop.start()].split()
    # "by his counterpart of Ruritania, Jan Novak", "by Ruritanian President, Jan Novak": an office, then the name.
    if stop.group() == "," and (re.match(r"\s*(?:the\s+|his\s+|her\s+|its\s+)?[a-z]", rest) or (
            described and grounding.name_key(described[-1]) in vocabulary.words().title_words)):
        named = re.match(rf",\s*(?:[A-Z][\w'\u2019.-]*\s+){{1,4}}?[A-Z][\w'\u2019.-]*\s*(?=,|\bto\b|$)", rest[stop.start():])
        if named:
            return passive.end() + stop.start() + named.end()
    return passive.end() + stop.start()


def role(person: str | None, sentence: str) -> str | None:
    """How the sentence names a person. Active ('A invited B', 'an invitation to B'): after the verb is
    the invitee, before it the inviter; with pronouns on both sides ('in his call with B, he invited
    him'), the one named is the invitee, unless named as the speaker of a quote. Passive ('an invitation
    from A, B ...', 'B was invited by A'): the phrase right after 'from'/'by' is the inviter, anyone else
    the invitee, except one who carries a letter 'from A to C'. None: not named, or only the carrier."""
    at = named_at(person, sentence)
    verb = _INVITING.search(sentence)
    if at is None or verb is None:
        return None
    surname = re.escape(grounding.fold(surname_key(person or '')))
    if re.search(rf"\b{surname}['\u2019]s\s+(?:[\w-]+\s+){{0,2}}invitation", grounding.fold(sentence)):
        return "inviter"  # "X's invitation": X made it
    if re.search(rf"\b{surname}\b[^.;,]{{0,25}}?\baccept\w*\s+(?:an?|the|his|her|their|[^.;,]{{0,40}}?['\u2019]s)\s+"
                 r"(?:\w+\s+){0,2}invitation", grounding.fold(sentence)):
        return "invitee"  # "X accepted an invitation", "X accepted Y's invitation": X was invited
    passive = _PASSIVE.search(sentence)
    if passive:  # the agent is the phrase right after from/by, up to a comma or "to"
        end = _agent_end(sentence, passive)
        if passive.end() <= at < end:
            return "inviter"
        carry = _CARRIES.search(sentence[:passive.start()])
        if carry and at < carry.start():
            return None  # "A presented B with a letter of invitation from C": A only carries it
        if carry and at < passive.start():
            return "invitee"
        addressee = re.search(r"\bto\s+(?:[A-Z]|the\s+[A-Z]|his\s+|her\s+)", sentence[end:end + 80])
        if addressee and at < passive.start():
            return None  # "A handed over an invitation from B to C": A only carries it
        return "invitee"
    if re.search(r"\b(?:I|we|he|she|they)\s+(?:\w+\s+)?$", sentence[:verb.start()]) \
            and re.match(r"\s*(?:him|her|them)\b", sentence[verb.end():]):
        # "In his call with B, he invited him": the pronouns stand for the one named before; '"..., I
        # invited her," A said': the one named as the speaker after is the "I".
        said = re.search(r"\b(?:said|says|added|told|wrote)\b", sentence[verb.end():])
        return "inviter" if at > verb.start() and said else "invitee"
    return "invitee" if at > verb.start() else "inviter"


def _agent(sentence: str, people: list[Participant], text: str) -> str | None:
    """Who makes the invitation a sentence puts in the passive ("an invitation from B", "the invitation
    extended by the President of Ruritania"): the person it names, else the government of the country
    whose office it names without a name."""
    passive = _PASSIVE.search(sentence)
    if passive is None:
        return None
    agent = sentence[passive.end():_agent_end(sentence, passive)].strip()
    person = _person_in(agent, people, text, by_office=False)  # an office alone names a government
    if person:
        return person
    country = re.search(r"\bof\s+(?:the\s+)?(?P<country>[A-Z][\w-]+(?:\s+[A-Z][\w-]+){0,2})\s*$", agent) \
        or re.match(r"^(?:the\s+)?(?P<country>[A-Z][\w-]+(?:\s+[A-Z][\w-]+){0,2})\s+(?:government|ministry)\b", agent)
    if country and vocabulary.is_country(country["country"]):
        return _government(country["country"])
    # "from his Ruritanian counterpart", no name given: the counterpart's government.
    unnamed = re.match(r"^(?:his|her|their|its|the)\s+(?P<adjective>[A-Z][\w-]+)\s+(?:counterpart|government|side)$", agent)
    country = repair.country_of_word(unnamed["adjective"]) if unnamed else None
    return _government(country) if country else None


# "A has invited B", "A also formally invited B": the active verb with its subject before it (not "was
# invited", "has been invited"). The subject is the clause's words before the verb.
_ACTIVE_INVITE = re.compile(r"(?<![Bb]een )(?<![Ww]as )(?<![Ww]ere )(?<![Bb]e )(?<![Ii]s )(?<![Aa]re )"
                            r"\b(?:(?:has|had|have)\s+)?(?:(?:also|formally|officially|personally|again)\s+)*invited\b")
_CLAUSE_START = re.compile(r".*(?:^|[,;:\u2014\u2013(]|\s-\s|\band\b|\bthat\b|\bwhich\b)\s*", re.DOTALL)
_ON_BEHALF_OF = re.compile(r"\bon behalf of\s+(?P<who>[^,;.]+)", re.IGNORECASE)
# "X, upon the Ruritanian leadership's instructions, invited ...", "on the instructions of Y": X invites for them.
_INSTRUCTED = re.compile(r"\b(?:upon|on|at)\s+(?:the\s+)?(?:(?P<who>[^,;.]+?)['\u2019]s\s+(?:instructions?|request|behalf)"
                         r"|(?:instructions?|request)\s+of\s+(?P<of>[^,;.]+))", re.IGNORECASE)
_LEADERSHIP = re.compile(r"^(?:the\s+)?(?P<adjective>[A-Z][\w-]+)\s+(?:leadership|government|authorities|side)$")
_GOVERNMENT = re.compile(r"^(?:the\s+)?(?:government\s+of\s+)?(?P<country>.+?)(?:['\u2019]s)?(?:\s+government)?$",
                         re.IGNORECASE)


def stated_inviter(invitee: str, sentences: list[grounding.Sentence], people: list[Participant],
                   text: str = "") -> str | None:
    """Who the article says invited ``invitee``, from the first sentence in the active voice that has the
    invitee right after the verb: a person it names (by name, or by office and country among the
    participants), or the government of a country that is the subject ("Ruritania has invited ...").
    News often names a messenger in the sentence that reports the invitation ("the invitation was handed
    over by the ambassador"); this is who made it, and a messenger who invites "on behalf of" someone
    invites for them. None when no such sentence names a subject."""
    governments = []
    for sentence in sentences:
        for verb in _ACTIVE_INVITE.finditer(sentence.text):
            at = named_at(invitee, sentence.text[verb.end():])
            if at is None or at > 60:
                continue  # invites someone else
            subject = _CLAUSE_START.sub("", sentence.text[:verb.start()]).strip(" \"'\u201c\u201d")
            principal = _ON_BEHALF_OF.search(sentence.text[verb.end():]) or _INSTRUCTED.search(sentence.text[:verb.start()])
            if principal:
                subject = principal["who"] or principal.groupdict().get("of") or subject
                leadership = _LEADERSHIP.match(subject)  # "the Ruritanian leadership": its government
                if leadership and (country_of := repair.country_of_word(leadership["adjective"])):
                    subject = country_of
            who = _person_in(subject, people, text or sentence.text)
            if who and not same_person(who, invitee):
                return who
            country = _GOVERNMENT.match(subject)
            if country and vocabulary.is_country(country["country"]):
                governments.append(_government(country["country"]))
        extended = _EXTENDED.search(sentence.text)
        if extended and re.match(r"\s+(?:from|of|on\s+behalf\s+of)\b", sentence.text[extended.end():]):
            extended = None  # "B extended an invitation from C": B carries C's invitation
        if extended and named_at(invitee, sentence.text) is not None:
            # '"A said B extended the invitation"': B, the subject after whoever reports it.
            subject = _REPORTED_BY.sub("", _CLAUSE_START.sub("", sentence.text[:extended.start()]))
            who = _person_in(subject.strip(" \"'\u201c\u201d"), people, text or sentence.text)
            if who and not same_person(who, invitee):
                return who
    return governments[0] if governments else None


# "B extended the invitation", "B issued an invitation": B made it (not "the invitation was extended by").
_EXTENDED = re.compile(r"\b(?:extended|issued)\s+(?:an?|the|his|her|a\s+formal)\s+(?:[\w-]+\s+)?invitation\b")
_REPORTED_BY = re.compile(r"^.*\b(?:said|says|told\s+\w+|added|noted|stated)\s+(?:that\s+)?", re.DOTALL)


def _government(country: str) -> str:
    """The inviter where a country, not a person, invites: "Government of Ruritania", "... of the Gambia"."""
    return f"Government of {re.sub(r'^The ', 'the ', country)}"


def _person_in(words: str | None, people: list[Participant], text: str, *, by_office: bool = True) -> str | None:
    """The person some words stand for ("he", "Ruritania's foreign minister", "Novak", "Prime Minister Jan
    Novak"): the participant they name; else (``by_office``) the one participant whose office they hold,
    told apart by the country word when several hold it; else the one person they name whom the article
    names too; else, for a surname alone, the article's fullest mention of it."""
    if not words or len(words.split()) > 12:
        return None
    named = [p for p in people if same_person(words, p.name) or named_at(p.name, words) is not None]
    if len(named) == 1:
        return named[0].name
    if by_office:
        key = grounding.name_key(words)
        titled = [p for p in people if p.title and grounding.name_key(p.title) in key]
        if len(titled) > 1:
            titled = [p for p in titled if any(enrich.country_word(w, p.country) for w in words.split())]
        if len(titled) == 1:
            return titled[0].name
    names = [m.name for m in repair.mentions(words) if by_office or len(m.name.split()) >= 2 or m.office]
    if len(names) == 1 and grounding.name_in_text(names[0], text):
        return names[0]
    if re.fullmatch(r"[A-Z][\w'\u2019-]+", words):
        return repair.fullest(words, text)
    return None


def _named_by(written: str | None, people: list[Participant], text: str) -> str | None:
    """The person a model wrote as inviter or invitee: whom the words stand for, else the words as written
    when the article has them."""
    words = enrich.clean_name(written or "", None) or written
    return _person_in(words, people, text) or (words if words and grounding.name_in_text(words, text) else None)


def _oriented(inviter: str | None, invitee: str, sentence: str) -> tuple[str | None, str]:
    """The pair in the order the sentence gives it: a model often swaps inviter and invitee."""
    if inviter is None:
        return inviter, invitee
    as_inviter, as_invitee = role(inviter, sentence), role(invitee, sentence)
    if (as_inviter == "invitee" and as_invitee != "invitee") or (as_invitee == "inviter" and as_inviter != "inviter"):
        return invitee, inviter
    return inviter, invitee


def _invitation_home(inv: InvitationDraft, meetings: list[Meeting], segments: list[list[grounding.Sentence]],
                     candidates: list[grounding.Sentence]) -> tuple[int, grounding.Sentence] | None:
    """The meeting an invitation belongs to and the sentence that makes it.

    Meetings whose participants include the invitee and inviter come first; within a meeting's own
    sentences, one naming the invitee as invitee beats one naming them at all, then one naming the
    event or place. A sentence that names none of them does not ground the invitation."""
    def named(sentence: grounding.Sentence, words: list[str | None]) -> bool:
        folded = grounding.fold(sentence.text)
        return any(w and len(w) > 2 and grounding.fold(w) in folded for w in words)

    def takes_part(who: str | None, meeting: Meeting) -> bool:
        return bool(who) and any(same_person(who, p.name) for p in meeting.participants)

    by_name = [inv.invitee, surname_key(inv.invitee)]
    by_event = [inv.event, inv.place]
    order = sorted(range(len(meetings)), key=lambda i: -(takes_part(inv.invitee, meetings[i])
                                                          + takes_part(inv.inviter, meetings[i])))
    def consistent(sentence: grounding.Sentence) -> bool:  # names the invitee where an invitee stands
        return named(sentence, by_name) and role(inv.invitee, sentence.text) == "invitee"

    for test in (consistent, lambda s: named(s, by_name), lambda s: named(s, by_event)):
        for i in order:
            if not (takes_part(inv.invitee, meetings[i]) or takes_part(inv.inviter, meetings[i])):
                continue
            own = {s.number for s in segments[i]}
            if takes_part(inv.invitee, meetings[i]) and takes_part(inv.inviter, meetings[i]):
                own = {s.number for s in candidates}  # the two who met: their invitation wherever it is told
            found = next((s for s in candidates if s.number in own and test(s)), None)
            if found:
                return i, found
    for test in (lambda s: named(s, by_name), lambda s: named(s, by_event)):  # a non-participant invitee
        found = next((s for s in candidates if test(s)), None)
        if found:
            i = next((i for i, seg in enumerate(segments) if any(s.number == found.number for s in seg)), 0)
            return i, found
    return None  # an invitation no sentence makes is the model's invention


def attach(meetings: list[Meeting], segments: list[list[grounding.Sentence]],
                        drafts: list[InvitationDraft], text: str) -> None:
    candidates = invitation_sentences(text)
    for inv in drafts:
        if inv.inviter and vocabulary.is_country(inv.invitee) and not vocabulary.is_country(inv.inviter):
            # A country is invited by no one in news: "X was invited by Ruritania", read the wrong way round.
            inv = inv.model_copy(update={"inviter": inv.invitee, "invitee": inv.inviter})
        home = _invitation_home(inv, meetings, segments, candidates) if meetings else None
        if home is None:
            continue
        index, sentence = home
        if _OCCASION.search(sentence.text):
            continue  # "X visited Y at the invitation of Z": why the visit took place, not an invitation made
        meeting = meetings[index]
        invitee = _named_by(inv.invitee, meeting.participants, text) or inv.invitee
        inviter = _named_by(inv.inviter, meeting.participants, text)
        inviter, invitee = _oriented(inviter, invitee, sentence.text)
        if named_at(invitee, sentence.text) is None \
                and not any(same_person(invitee, p.name) for p in meeting.participants):
            continue  # the sentence invites someone else, and this invitee was not even at the meeting
        if inviter and same_person(inviter, invitee):
            inviter = None  # a model that names the invitee twice does not know the inviter
        if inviter and named_at(inviter, sentence.text) is None \
                and not any(same_person(inviter, p.name) for p in meeting.participants):
            inviter = None  # neither at the meeting nor in the sentence: a guess
        if role(invitee, sentence.text) is None:  # the model took the messenger for the invitee
            named = [p.name for p in meeting.participants if role(p.name, sentence.text) == "invitee"]
            if not named and named_at(invitee, sentence.text) is not None:
                # "A handed over a letter from B to the President inviting him": A carries it to his host.
                named = [p.name for p in meeting.participants if not same_person(p.name, invitee)]
            invitee = named[0] if len(named) == 1 else invitee
        stated = stated_inviter(invitee, candidates, meeting.participants, text) \
            or _agent(sentence.text, meeting.participants, text)
        if stated and not same_person(stated, invitee):
            inviter = stated
        elif inviter and vocabulary.is_country(inviter):
            inviter = _government(inviter)  # "invited by Ruritania": a government, where no person is named
        home_side = next((p for p in meeting.participants if same_person(p.name, invitee)), None)
        if inviter and home_side and inviter == _government(home_side.country or ""):
            # A government does not invite its own leader: the invitee is the other side of the meeting.
            others = [p.name for p in meeting.participants if p.country != home_side.country]
            invitee = others[0] if len(others) == 1 else invitee
        others = [p.name for p in meeting.participants if not same_person(p.name, invitee)]
        if inviter is None and len(others) == 1 and len(others) < len(meeting.participants):
            inviter = others[0]  # "he invited X": the other side of a two-person meeting
        inviter_side = next((p for p in meeting.participants if inviter and same_person(p.name, inviter)), None)
        if inviter_side and vocabulary.is_country(invitee) \
                and repair.country_name(invitee) == repair.country_name(inviter_side.country):
            continue  # "invites ... to visit Ruritania" read as inviting Ruritania: the host's own country is no guest
        if any(same_person(invitee, i.invitee or "")
               and (i.evidence == sentence.text or grounding.name_key(i.event or "") == grounding.name_key(inv.event or "")
                    or (inviter is not None and same_person(inviter, i.inviter or "")))
               for i in meeting.invitations):
            continue  # the same invitation twice
        meeting.invitations.append(Invitation(inviter=inviter, invitee=invitee, event=inv.event, place=inv.place,
                                              when=inv.when, evidence=sentence.text))


_EXCHANGED = re.compile(r"\bexchang\w*\s+(?:\w+\s+)?invit\w*", re.IGNORECASE)


def add_exchanged(meetings: list[Meeting], segments: list[list[grounding.Sentence]]) -> None:
    """"A and B exchanged invitations": each invited the other, whichever way round the model told one."""
    for meeting, segment in zip(meetings, segments, strict=True):
        for sentence in segment:
            if not _EXCHANGED.search(sentence.text):
                continue
            named = [p.name for p in meeting.participants if named_at(p.name, sentence.text) is not None]
            if len(named) != 2:
                continue
            for inviter, invitee in (named, named[::-1]):
                if not any(same_person(i.inviter or "", inviter) and same_person(i.invitee or "", invitee)
                           for m in meetings for i in m.invitations):  # a meeting told twice is merged later
                    meeting.invitations.append(Invitation(inviter=inviter, invitee=invitee, evidence=sentence.text))
