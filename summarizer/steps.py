"""The extraction steps after the model: reply -> assemble -> these named steps -> brief.

Each step is a function ``step(brief, context)`` that changes the brief in place and says what it
repaired or dropped in ``context.warnings``; none calls a model, so replaying cached replies re-runs
exactly these steps. ``STEPS`` is the one declaration of their order, and its names are recorded in
the brief's provenance.
"""

from __future__ import annotations

import functools
import pickle
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import areas, enrich, grounding, invitations, repair, vocabulary
from .identity import named_at, same_person, surname_key
from .schema import AgreedArea, Brief, Meeting, Participant


@dataclass
class Context:
    """One article as the steps see it."""

    text: str  # the article as read
    grounds: str  # the article without text addressed to a model: the only place facts may come from
    answers: dict[str, Any] = field(default_factory=dict)  # follow-up answers by name
    areas_from_model: bool = False  # the shape asked the model for areas: do not label them by keyword
    warnings: list[str] = field(default_factory=list)

    @functools.cached_property
    def sentences(self) -> list[grounding.Sentence]:
        return areas.body_sentences(grounding.split_sentences(self.grounds))

    @functools.cached_property
    def passages(self) -> list[str]:
        """The sentences, with those a hard-wrapped line break cut in two joined again (a long line that
        ends without a stop goes on in the next one)."""
        joined: list[str] = []
        for sentence in self.sentences:
            if joined and len(joined[-1].rsplit("\n", 1)[-1]) > 50 and not re.search(r"[.!?:;\"'\u201d\u2019)]$", joined[-1]):
                joined[-1] += "\n" + sentence.text
            else:
                joined.append(sentence.text)
        return joined


Step = Callable[[Brief, Context], None]


def repair_names(brief: Brief, ctx: Context) -> None:
    """Every participant resolved to a person the article names (see :mod:`summarizer.repair`), or dropped;
    a meeting left with nobody is dropped."""
    kept = []
    for number, meeting in enumerate(brief.meetings, start=1):
        people = []
        for person in meeting.participants:
            repaired, warning = repair.repair_participant(person, ctx.grounds)
            if warning:
                ctx.warnings.append(warning)
            if repaired is not None:
                people.append(repaired)
        meeting.participants = people
        if people:
            kept.append(meeting)
        else:
            ctx.warnings.append(f"meeting {number}: dropped, no participant the article names")
    brief.meetings = kept


_ACCOMPANIED = re.compile(r"\b(?:is|was|are|were)\s+(?:also\s+)?accompanied\s+by\b", re.IGNORECASE)


def drop_entourages(brief: Brief, ctx: Context) -> None:
    """A "meeting" of one official and those the article says accompany them ("The Prime Minister is
    accompanied by the Foreign Minister, A, and the Ambassador, B") is a delegation, not a meeting."""
    companions_of = [s.text[cue.end():] for s in ctx.sentences if (cue := _ACCOMPANIED.search(s.text))]
    for meeting in list(brief.meetings):
        people = meeting.participants
        if len(people) < 2:
            continue
        for listed in companions_of:
            companions = [p for p in people if named_at(p.name, listed) is not None]
            if len(companions) == len(people) - 1:
                brief.meetings.remove(meeting)
                ctx.warnings.append("dropped a meeting of an official with those the article says accompany them: "
                                    + " / ".join(p.name for p in people))
                break


def add_other_side(brief: Brief, ctx: Context) -> None:
    """A meeting is between sides: one whose people all serve one country lacks the other side, the one
    official of another country in the brief whom the sentences reporting meeting them name ("the
    visitor also met A and B")."""
    for meeting in brief.meetings:
        visitor = _other_side(meeting.participants, brief, ctx)
        if visitor:
            meeting.participants.insert(0, visitor.model_copy(deep=True))
            ctx.warnings.append(f"added {visitor.name!r} to a meeting of one country's officials: the article "
                                "reports meeting them")


def split_calls(brief: Brief, ctx: Context) -> None:
    """A call or a meeting is between two sides unless the article says otherwise: a "call" of three or
    more people, a meeting of three or more people each from a different country, or any meeting of three
    or more where the article says its meetings were separate, is one person's separate calls or meetings
    with each of the others ("held phone conversations with A and B", "hosted the presidents of A and B in
    two separate meetings"). The one person is the subject who met them ("Jane Roe also held talks with A,
    B and C"), even one the model left out, else whoever the article names first. A conference call or a
    trilateral meeting stays one. A meeting of one visitor with hosts the article reports meeting in
    different sentences is the visitor's meeting with each (``_sittings``)."""
    meetings = []
    separate_cues, conference = _separate_meetings(ctx.sentences), _conference(ctx.grounds)
    for meeting in brief.meetings:
        people = meeting.participants
        call = meeting.format in ("phone", "video")
        # "Separate meetings" speaks of the meetings of the people it names, not of a dinner elsewhere.
        separate = any(named_at(p.name, s) is not None for s in separate_cues for p in people)
        if len(people) < 3 or conference or not (call or separate or _one_country_each(people, ctx.grounds)):
            sittings = [] if len(people) < 3 or conference or call else (_sittings(people, ctx)
                                                                          or _listed_hosts(people, ctx))
            if len(sittings) >= 2:  # one visitor, hosts the article reports meeting in different sentences
                meetings += [meeting.model_copy(deep=True, update={"participants": [p.model_copy(deep=True)
                                                                                    for p in group]})
                             for group in sittings]
                ctx.warnings.append(f"split a meeting of {len(people)} people into {len(sittings)} meetings "
                                    "the article reports one by one")
            else:
                meetings.append(meeting)
            continue
        caller = _lister(people, brief, ctx) or min(people, key=lambda p: _or_end(named_at(p.name, ctx.grounds),
                                                                                  ctx.grounds))
        others = [p for p in people if not same_person(p.name, caller.name)]
        for other in others:
            meetings.append(meeting.model_copy(deep=True, update={"participants": [caller.model_copy(deep=True),
                                                                                   other.model_copy(deep=True)]}))
        kind = "call" if call else "meeting"
        ctx.warnings.append(f"split a {kind} of {len(people)} people into {len(others)} {kind}s with {caller.name}")
    brief.meetings = meetings


_ATTENDED = re.compile(r"\b(?:(?:was|were)\s+(?:also\s+)?attended\s+by|in\s+the\s+presence\s+of)\b", re.IGNORECASE)
_SITTINGS = r"(?:meeting|talks|reception|dinner|luncheon|lunch|session)\b"
_SITTING = re.compile(rf"\b{_SITTINGS}", re.IGNORECASE)
# A multilateral gathering: "summit", "conference", "the meeting of the Union" (a body's, not two sides').
_GATHERING = re.compile(r"\b(?:summit|conference|forum|(?:general\s+)?assembly|(?:meeting|session)s?\s+of\s+(?:the\s+)?"
                        r"(?-i:[A-Z]))", re.IGNORECASE)
# "A, B and C were present at the talks", "... were also present on the occasion": the people come before the cue.
_PRESENT = re.compile(rf"\b(?:was|were)\s+(?:also\s+)?present\s+(?:(?:at|during|in)\s+(?:the|this)\s+{_SITTINGS}"
                      rf"|on\s+the\s+occasion)", re.IGNORECASE)


# "A also met (with) B", "A held talks with B", "A received B": one participant reports meeting someone new.
_MET_SOMEONE = re.compile(r"\b(?:met(?:\s+with)?|(?:held|had)\s+(?:an?\s+)?(?:[\w-]+\s+){0,2}?(?:talks|meeting|discussions?|"
                          r"conversation|call)\s+with|spoke\s+(?:by\s+(?:tele)?phone\s+)?with|discussed\s+with|talked\s+(?:with|to)|"
                          r"received|called\s+on|"
                          r"paid\s+(?:a\s+)?courtesy\s+calls?\s+on)\s+", re.IGNORECASE)

# Where the people met end: a clause or a phrase of place, time, purpose or source ("..., said the ministry",
# "at the summit", "ahead of the President's visit", "and conveyed the greetings of ...").
_OBJECT_END = re.compile(r"[;:()]|,\s+(?!and\s)(?-i:[a-z])|\s(?:and|to)\s+(?-i:[a-z])|\s(?:at|on|in|during|ahead\s+of|before|after|for|about|"
                         r"according\s+to|amid|while|as)\s", re.IGNORECASE)


def _lower_case_office(name: str, text: str) -> str | None:
    """An office written in lower case right before the name ("party leader Jan Novak") or set off after it
    ("Jan Novak, premier of Ruritania")."""
    titles = vocabulary.words().title_words
    before = re.search(rf"(?:^|\s)(?P<office>(?:[a-z][\w'\u2019-]*\s+)?(?P<title>[a-z]+))\s+{re.escape(name)}", text)
    if before and before["title"] in titles:
        return before["office"]
    after = repair.office_set_off_after(name, text)
    return after if after and after[0].islower() and after.split()[0] in titles else None


def add_unlisted_meetings(brief: Brief, ctx: Context) -> None:
    """A sentence whose subject is a participant and whose verb reports meeting an official named in no
    meeting ("Novak also met Ruritania's Trade Minister, Jane Roe") reports a meeting of theirs the
    model did not list: one meeting with each such official."""
    if not brief.meetings:
        return
    words = vocabulary.words()
    everyone = [p for m in brief.meetings for p in m.participants]
    for sentence in ctx.sentences:
        text = sentence.text
        if words.planned.search(text) or words.supposed.search(text) or words.background.search(text):
            continue
        verb = _MET_SOMEONE.search(text)
        if verb is None:
            continue
        subjects = [(at, p) for p in everyone if (at := named_at(p.name, text[:verb.start()])) is not None]
        if not subjects:
            continue
        subject = max(subjects, key=lambda x: x[0])[1]
        after = text[verb.end():]
        how = "video" if re.search(r"video", verb.group(), re.IGNORECASE) else \
            "phone" if re.search(r"phone|call\b", verb.group(), re.IGNORECASE) else "unspecified"
        # "met his counterparts from Ruritania and Elbonia, Jan Novak and Ana Ruiz": officials by that word alone.
        peers = re.match(r"(?:his|her|their)\s+(?:[\w-]+\s+)?(?:counterparts?|peers?)\b", after)
        for mention in repair.mentions(_OBJECT_END.split(after, maxsplit=1)[0]):
            office = repair.introduced_office(mention, after) or _lower_case_office(mention.name, after)
            if (office is None and not (peers and len(mention.name.split()) >= 2)) or mention.name.isupper():
                continue  # (a heading in capitals is no name)
            if any(same_person(mention.name, p.name) for p in everyone) \
                    or _only_sends(mention.name, ctx.sentences):  # "received a message from President X"
                continue
            person, _ = repair.repair_participant(Participant(name=mention.name, title=office), ctx.grounds)
            if person is None:
                continue
            brief.meetings.append(Meeting(participants=[subject.model_copy(deep=True), person], format=how))
            everyone.append(person)
            ctx.warnings.append(f"added a meeting of {subject.name} with {person.name}, which a sentence reports")


def add_attendees(brief: Brief, ctx: Context) -> None:
    """Officials the article says attended a meeting ("the talks were also attended by Deputy Minister Jan
    Novak", "X, in the presence of Minister Y, received Z") sat in it: they join the meeting of the people
    named there or just before, when the model left them out."""
    if not brief.meetings:
        return
    earlier: list[str] = []
    for sentence in ctx.sentences:
        cue = _ATTENDED.search(sentence.text)
        if cue:
            before, listed = sentence.text[:cue.start()], sentence.text[cue.end():]
            named_before = any(named_at(p.name, before) is not None for m in brief.meetings for p in m.participants)
            if _GATHERING.search(before) and not named_before:
                # "The meeting of the Union was also attended by A, B and C": a multilateral gathering's attendees
                # sat in no meeting of the brief's, and met no one by being listed together.
                _drop_meetings_of(brief, ctx, [m.name for m in repair.mentions(listed)], "attending a gathering")
            elif _SITTING.search(before) or named_before:
                _seat_present(brief, ctx, listed, _meeting_named(brief.meetings, [before, *reversed(earlier)]))
        present = _PRESENT.search(sentence.text)
        if present:
            _seat_present(brief, ctx, sentence.text[:present.start()], _meeting_named(brief.meetings, earlier[::-1]))
        earlier.append(sentence.text)


def _seat_present(brief: Brief, ctx: Context, clause: str, target: Meeting | None) -> None:
    """Officials listed as attending or "present at the meeting" sat in that meeting: they join it, and a
    "meeting" of theirs alone (the model's reading of the list) goes."""
    if target is None:
        return
    offices = {m.name: office for m in repair.mentions(clause) if (office := repair.introduced_office(m, clause))}
    _drop_meetings_of(brief, ctx, list(offices), "attending another meeting, into it", keep=target)
    for name, office in offices.items():
        if not any(same_person(name, p.name) for m in brief.meetings for p in m.participants):
            target.participants.append(Participant(name=name, title=office))
            ctx.warnings.append(f"added {name!r}, who the article says attended the meeting")


def _drop_meetings_of(brief: Brief, ctx: Context, listed: list[str], why: str, *, keep: Meeting | None = None) -> None:
    """A "meeting" of listed people alone is the model's reading of the list: it goes (all but ``keep``)."""
    for meeting in list(brief.meetings):
        if meeting is not keep and meeting.participants and all(
                any(same_person(p.name, name) for name in listed) for p in meeting.participants):
            brief.meetings.remove(meeting)
            ctx.warnings.append(f"dropped a meeting of {len(meeting.participants)} people the article lists as {why}")


def _meeting_named(meetings: list[Meeting], texts: list[str]) -> Meeting | None:
    """The meeting whose people the first of ``texts`` that names any of them names most."""
    for text in texts:
        counts = [sum(named_at(p.name, text) is not None for p in m.participants) for m in meetings]
        if max(counts) > 0:
            return meetings[counts.index(max(counts))]
    return None


def _sittings(people: list[Participant], ctx: Context) -> list[list[Participant]]:
    """One visitor's meetings the article reports one by one ("X received the visitor ... Earlier, the
    visitor met Y"): each host is at the sitting of the first sentence that reports meeting them, and
    the visitor, the one person from a country or body no host shares, is at each. People no sentence
    reports meeting stay at the first. Empty unless the hosts sat in two or more sittings."""
    held = vocabulary.words().held
    # "the talks were also attended by ...", "took part in the meeting": a sitting already reported.
    done = [re.sub(r"\b(?:the|this|that|their|his|her|its)\s+(?:[\w-]+\s+)?(?:meetings?|talks)\b", " ",
                   _without_future(s.text), flags=re.IGNORECASE) for s in ctx.sentences]
    done = [(i, d) for i, d in enumerate(done) if held.search(d)]
    first = {p.name: next((i for i, d in done if named_at(p.name, d) is not None), None) for p in people}
    seated = [p for p in people if first[p.name] is not None]
    countries = [grounding.name_key(repair.international_body(p.name, p.title, ctx.grounds) or p.country or "")
                 for p in seated]
    visitors = [p for p, c in zip(seated, countries) if c and countries.count(c) == 1]
    if len(seated) < 3:
        return []
    if len(visitors) > 1:
        # Hosts of two countries, one of them alone: the visitor is the one the article tells most about.
        told = {p.name: sum(named_at(p.name, s.text) is not None for s in ctx.sentences) for p in visitors}
        most = [p for p in visitors if told[p.name] == max(told.values())]
        visitors = most if len(most) == 1 else visitors
    if len(visitors) != 1:
        # Else the one person each sitting's first sentence names ("A met B and C ... Earlier, B also met D").
        opening = dict(done)
        starts = {first[p.name] for p in seated}
        visitors = [p for p in seated if all(named_at(p.name, opening[i]) is not None for i in starts)]
        if len(visitors) != 1 or len(starts) < 2:
            return []
    visitor = visitors[0]
    groups: dict[int, list[Participant]] = {}
    for p in seated:
        if p is not visitor:
            groups.setdefault(first[p.name], []).append(p)
    if len(groups) < 2:
        return []
    sittings = [[visitor, *group] for _, group in sorted(groups.items())]
    sittings[0] += [p for p in people if first[p.name] is None]
    return sittings


_MET_LIST = re.compile(r"\b(?:met(?:\s+with)?|called\s+on|paid\s+(?:courtesy\s+)?calls?\s+on|(?:held|had)\s+(?:separate\s+)?"
                       r"(?:meetings|bilateral\s+(?:talks|meetings))\s+with)\s", re.IGNORECASE)


def _listed_hosts(people: list[Participant], ctx: Context) -> list[list[Participant]]:
    """One visitor's hosts the article lists after "met" ("the minister met the President, A, the Speaker,
    B, and the Foreign Minister, C"): a visit report's list of whom someone met is one meeting with each,
    unless it says they met together or speaks of "the meeting", one. The visitor is the one person of
    the meeting the list leaves out; hosts named before the verb ("A and B met the visitor") met him together."""
    one_meeting = re.search(r"\b(?:the|this|that)\s+meeting\b", ctx.grounds, re.IGNORECASE)
    for sentence in ctx.sentences:
        done = _without_future(sentence.text)
        verb = _MET_LIST.search(done)
        if verb is None or re.search(r"\b(?:together|jointly|joint)\b", done, re.IGNORECASE):
            continue
        if one_meeting and not re.search(r"meetings|talks", verb.group(), re.IGNORECASE):
            continue  # "the meeting" elsewhere: the list met the visitor at one table, unless it says "meetings"
        at = {p.name: named_at(p.name, done) for p in people}
        listed = [p for p in people if at[p.name] is not None and at[p.name] > verb.start()
                  and not _only_possessive(p.name, done[verb.start():])]  # "met Jan Novak's adviser, X"
        rest = [p for p in people if p not in listed]
        if len(listed) >= 2 and len(rest) == 1:
            return [[rest[0], host] for host in listed]
    return []


def _only_possessive(name: str, text: str) -> bool:
    """Every time the text names the person it is as a possessive ("Novak's adviser"): it names someone else."""
    surname = re.escape(surname_key(name))
    folded = grounding.fold(text)
    return bool(re.search(rf"\b{surname}\b", folded)) and not re.search(rf"\b{surname}\b(?!['\u2019]s\b)", folded)


def _lister(people: list[Participant], brief: Brief, ctx: Context) -> Participant | None:
    """Who the article says met these people: the subject of the sentences that report meeting them ("Jane
    Roe also held talks with A, B and C", "Roe also met D"), a participant named before the verb, even
    one the model left out of this meeting. None unless two of the people are reported so by one subject."""
    held = vocabulary.words().held
    everyone = [p for m in brief.meetings for p in m.participants]
    votes: dict[str, list[Participant]] = {}
    for person in people:
        for sentence in ctx.sentences:
            at = named_at(person.name, sentence.text)
            verb = None if at is None else next(reversed([v for v in held.finditer(sentence.text) if v.start() < at]),
                                                None)  # the verb that reports meeting this person
            if verb is None:
                continue
            subjects = [(where, p) for p in everyone
                        if (where := named_at(p.name, sentence.text[:verb.start()])) is not None
                        and not same_person(p.name, person.name)]
            if subjects:
                subject = min(subjects, key=lambda x: x[0])[1]
                votes.setdefault(grounding.name_key(subject.name), []).append(subject)
            break
    best = max(votes.values(), key=len, default=[])
    return best[0] if len(best) >= 2 else None


def _one_country_each(people: list[Participant], text: str) -> bool:
    """Every person's country (or international body) is known, and no two share one."""
    sides = [repair.international_body(p.name, p.title, text) or repair.country_name(p.country) for p in people]
    return all(sides) and len({grounding.name_key(s) for s in sides}) == len(people)


def _separate_meetings(sentences: list[grounding.Sentence]) -> list[str]:
    """The sentences that say meetings were separate ("held separate meetings with", "At the meetings")."""
    return [s.text for s in sentences
            if re.search(r"\b(?:separate(?:ly)?|respectively|(?:the|series of|several|both) meetings)\b",
                         s.text, re.IGNORECASE)]


def _conference(text: str) -> bool:
    """The article reports a conference call, a joint or trilateral meeting, or counts the people who met
    as one group ("afterwards the three ministers signed a statement"); one yet to happen does not count. A summit alone
    is not one: leaders meet two by two on its sidelines."""
    done = " ".join(_without_future(s.text) for s in grounding.split_sentences(text))
    return bool(re.search(r"\b(?:conference|group|joint|trilateral|tripartite|three-way|multilateral)\s+"
                          r"(?:phone\s+|video\s+)?(?:call|meeting|talks|summit)"
                          r"|\bthe\s+(?:three|four|five)\s+(?:\w+\s+)?(?:officials|ministers|leaders|presidents|"
                          r"sides|heads)\b", done, re.IGNORECASE))


def _or_end(at: int | None, text: str) -> int:
    """A position, or the end of the text when there is none (sorts last)."""
    return len(text) if at is None else at


def drop_bystanders(brief: Brief, ctx: Context) -> None:
    """In a meeting of three or more, whoever only reports it ("..., X said in a statement", "according to
    X", a spokesperson) or is named only in what is yet to happen ("X will visit ...", "has invited X") is not one of its
    participants. Nor, in a meeting of any size, is one named only as the sender of what a participant
    brought ("conveyed a message from President X", "on behalf of X") or as someone's spouse ("his wife
    X"); nor, in a meeting of two, one the
    article never names with the other nor meeting anyone."""
    words = vocabulary.words()
    for meeting in brief.meetings:
        senders = [p for p in meeting.participants if _only_sends(p.name, ctx.sentences)]
        for person in senders:
            ctx.warnings.append(f"dropped participant {person.name!r}: named only as the sender of a message")
        spouses = [p for p in meeting.participants if p not in senders and _only_spouse(p.name, ctx.sentences)]
        for person in spouses:
            ctx.warnings.append(f"dropped participant {person.name!r}: named only as someone's spouse, not an official")
        meeting.participants = [p for p in meeting.participants if p not in senders and p not in spouses]
        if len(meeting.participants) == 2:
            _drop_unmet(meeting, brief, ctx)
        if len(meeting.participants) < 3:
            continue
        kept = []
        for person in meeting.participants:
            # Any word of the name that no one else in the meeting shares: news often shortens a name to
            # its first part ("Aida" for Aida Karim), and a sentence that does so still names him.
            others = {w for p in meeting.participants if p is not person for w in grounding.name_key(p.name).split()}
            own = {w for w in grounding.name_key(person.name).split() if len(w) > 2 and w not in others}
            said = [s.text for s in ctx.sentences if own & set(grounding.name_key(s.text).split())]
            reporting = bool(words.reporter_titles.search(person.title or "")) or (
                bool(said) and all(_reports(person.name, s) for s in said))
            # "A met B and will later meet C": C is named only in what is yet to happen.
            expected = bool(said) and all(
                words.planned.search(s) and not (words.held.search(done := _without_future(s))
                                                 and own & set(grounding.name_key(done).split()))
                for s in said)
            # "X has also invited Y to the summit": Y is named only as invited to what is yet to happen.
            invited = bool(said) and all(re.search(r"\binvit(?:ed|es|ing)\b", s)
                                         and invitations.role(person.name, s) == "invitee" for s in said)
            greeting = bool(said) and all(words.arrival.search(s) for s in said)  # "greeted on arrival by X"
            if reporting:
                ctx.warnings.append(f"dropped participant {person.name!r}: reports the meeting, not in it")
            elif greeting:
                ctx.warnings.append(f"dropped participant {person.name!r}: named only as welcoming a visitor on arrival")
            elif expected or invited:
                ctx.warnings.append(f"dropped participant {person.name!r}: the article names them only in what "
                                    "is yet to happen")
            else:
                kept.append(person)
        meeting.participants = kept
        if len(kept) == 2:
            _drop_unmet(meeting, brief, ctx)  # the two left of those the model sat together


def _drop_unmet(meeting: Meeting, brief: Brief, ctx: Context) -> None:
    """Two people the article never names together, one of whom it never reports meeting anyone and who
    has no other meeting: the model paired two people mentioned apart; that one is not in it. Neither
    reported meeting anyone: no meeting at all."""
    if any(all(named_at(p.name, s) is not None or _named_by_office(p, s) for p in meeting.participants)
           for s in ctx.passages):
        return
    unmet = [p for p in meeting.participants if not _reported_meeting(p.name, ctx)]
    if len(unmet) == 1 and sum(same_person(unmet[0].name, p.name) for m in brief.meetings for p in m.participants) == 1:
        other = next(p.name for p in meeting.participants if p is not unmet[0])
        ctx.warnings.append(f"dropped participant {unmet[0].name!r}: the article never names them with {other}, "
                            "nor meeting anyone")
        meeting.participants.remove(unmet[0])
    elif len(unmet) == 2:
        ctx.warnings.append(f"dropped a meeting of {' and '.join(p.name for p in unmet)}: the article never names "
                            "them together, nor either meeting anyone")
        meeting.participants.clear()


def _named_by_office(person: Participant, text: str) -> bool:
    """The text calls the person by office and country instead of by name: "the Emir of Ruritania",
    "Ruritania's Emir"."""
    reference = _office_reference(person.title or "", person.country or "")
    return reference is not None and reference.search(text) is not None


@functools.lru_cache(maxsize=1024)  # asked of every passage for each person of a meeting
def _office_reference(title: str, country: str) -> re.Pattern[str] | None:
    title_words = vocabulary.words().title_words
    office = [w for w in title.split() if grounding.name_key(w) in title_words]
    if not office or not country:
        return None
    office_at, country = r"\s+".join(map(re.escape, office)), re.escape(country)
    return re.compile(rf"\b{office_at}\s+of\s+(?:the\s+)?{country}\b|\b{country}['\u2019]s\s+{office_at}\b",
                      re.IGNORECASE)


_SENT_FROM = re.compile(r"\b(?:(?:messages?|letters?|greetings|regards|wishes|invitation|congratulations)\s+(?:\w+\s+){0,2}"
                        r"(?:(?:from|to|of)\s+(?:the\s+)?|from\s+(?:his|her|their)\s+(?:[A-Z][\w.-]*\s+){0,2}"
                        r"(?:counterpart|colleague),?\s+)|on\s+behalf\s+of\s+(?:the\s+)?)"  # "from his ... counterpart, X"
                        r"(?:[A-Z][\w.-]*\s+){0,5}$")
_SENDERS = re.compile(r"^[^,;]{0,40}?(?:['\u2019]s?|\s(?:has\s+|had\s+)?(?:sent|wrote|addressed)\s+(?:a|an|his|her|the))"
                      r"\s+(?:\w+\s+)?(?:message|letter|greetings|regards|wishes|invitation|envoy|emissary)\b", re.IGNORECASE)


# "Y delivered the invitation", "the letter was handed over to X by Y": someone brought a message or an invitation.
_DELIVERED = re.compile(r"\b(?:delivered|handed(?:\s+over)?|conveyed|brought|passed\s+on)\s+(?:[\w-]+\s+){0,6}?"
                        r"(?:invitation|message|letter)s?\b|\b(?:invitation|message|letter)s?\s+(?:was|were|had\s+been)\s+"
                        r"(?:delivered|handed|conveyed|brought|passed)\b", re.IGNORECASE)


def _only_sends(name: str, sentences: list[grounding.Sentence]) -> bool:
    """Every sentence that names the person names them as the sender or the far addressee of a message, a
    letter or greetings someone else brought ("a message from President X", "X's greetings", "X's envoy",
    "sent greetings to X", "on behalf of X"), as the one who made an invitation someone else delivered
    ("X has invited Z ... Y delivered the invitation"), or only in what is yet to happen."""
    said = [(s.text, at) for s in sentences if (at := named_at(name, s.text)) is not None]
    delivered = any(_DELIVERED.search(s.text) for s in sentences)
    sends = [_SENT_FROM.search(text[:at]) or _SENDERS.match(text[at:])
             or (delivered and not _DELIVERED.search(text) and invitations.role(name, text) == "inviter")
             for text, at in said]
    words = vocabulary.words()
    return any(sends) and all(sent or (words.planned.search(text) and not words.held.search(text)) or _caption(text)
                              for sent, (text, _) in zip(sends, said, strict=True))


def _caption(sentence: str) -> bool:
    """A line that is only an office and a name ("Ruritanian President Jan Novak."): a photo's caption, which
    reports nothing."""
    return bool(re.fullmatch(r"(?:[A-Z][\w.'\u2019-]*\s+){1,8}[A-Z][\w'\u2019-]*\.?(?:\s*[|(\[-]?\s*(?i:(?:file\s+)?"
                             r"(?:photo|image|picture)s?)\b.*)?", sentence.strip()))


_SPOUSE = re.compile(r"\b(?:wife|husband|spouse|first lady|first gentleman)\s*,?\s*(?:(?:Mrs|Mr|Madam|Dr)\.?\s+)?$", re.IGNORECASE)


def _only_spouse(name: str, sentences: list[grounding.Sentence]) -> bool:
    """Every sentence that names the person calls them someone's spouse ("his wife Jane Roe"): a companion
    on the trip, not an official in the talks."""
    said = [(s.text, at) for s in sentences if (at := named_at(name, s.text)) is not None]
    return bool(said) and all(_SPOUSE.search(text[:at]) for text, at in said)


def _reports(name: str, sentence: str) -> bool:
    """The sentence names the person as the source of what it says, not as one who met anyone."""
    at = named_at(name, sentence)
    if at is None:
        return False
    after, before = sentence[at:at + 120], sentence[max(0, at - 60):at]
    words = vocabulary.words()
    # "according to" after the name, or a verb with a subject of its own ("..., it said", "the ministry
    # said"), gives the sentence another source, not this person.
    verb = next((v for v in words.attribution.finditer(after) if not v.group().lower().startswith("according")), None)
    if verb and re.search(r"\b(?:it|he|she|they|we|ministry|office|agency|statement|government)\s*$",
                          after[:verb.start()], re.IGNORECASE):
        verb = None
    return bool((verb and not words.held.search(after[:verb.start()]))
                or re.search(r"according to\b[^.]*$", before, re.IGNORECASE))


def drop_planned(brief: Brief, ctx: Context) -> None:
    """A meeting the article only announces ("will host", "is expected to meet") has not happened: dropped
    when every sentence naming two of its people speaks of the future and none reports it as held. One
    that every such sentence tells as background ("they recalled their first talks, in March 2011", "a
    meeting with ... last year") is not the news either."""
    words = vocabulary.words()
    kept = []
    for meeting in brief.meetings:
        people = meeting.participants
        together = [s.text for s in ctx.sentences  # "Prince Karim" names Karim bin Omar too
                    if sum(named_at(p.name, s.text) is not None for p in people) >= min(2, len(people))]
        held = any(words.held.search(_without_future(t)) for t in together)
        if together and not held and any(words.planned.search(t) for t in together):
            ctx.warnings.append("dropped a meeting the article only announces: "
                                + " / ".join(p.name for p in meeting.participants))
            continue
        past = [t for t in together if words.background.search(_without_asides(_unshifted(t)))]
        if past and not any(words.held.search(_without_future(t)) for t in together if t not in past):
            # Told as background, and otherwise only announced: "their talks in March 2011 ... They are
            # expected to meet on Thursday".
            ctx.warnings.append("dropped a meeting the article tells as background: "
                                + " / ".join(p.name for p in meeting.participants))
            continue
        kept.append(meeting)
    brief.meetings = kept


# "The ministry said Novak had met Ruiz": after a reporting verb the past perfect is the report's tense (the
# news itself), not an earlier meeting.
_BACKSHIFT = re.compile(r"\b((?:said|says|stated|announced|reported|added|noted|confirmed)\b[^.;]*?\b)had\s+"
                        r"(?=(?:met|talked|spoken|held)\b)")


def _unshifted(sentence: str) -> str:
    return _BACKSHIFT.sub(r"\1", sentence)


def _without_asides(sentence: str) -> str:
    """The sentence without clauses set off by commas that describe a person or thing ("X, who took office
    last month, spoke with Y"): their time is not the time of what the sentence reports."""
    return re.sub(r"(?:,\s*(?:who|whom|whose|which)|\s+whom)\b[^,]*(?:,|$)", ",", sentence)


def _without_future(sentence: str) -> str:
    """The sentence without its clauses in the future ("... and will meet again", "the upcoming summit in
    X"): what it reports as done."""
    return _without_clauses(vocabulary.words().planned, sentence)


def _without_clauses(cue: re.Pattern[str], sentence: str) -> str:
    """The sentence without the clauses that start with the cue; a clause runs to a comma, a semicolon or
    a colon."""
    return re.sub(rf"(?:{cue.pattern})[^,;:]*", " ", sentence, flags=cue.flags)


def merge_people(brief: Brief, ctx: Context) -> None:
    """One entry per person: summaries of the whole trip dropped, a lone traveller given the host he met,
    every spelling of a person as aliases, titles without the country word, an international body's
    officials with the body as their country."""
    before = len(brief.meetings)
    brief.meetings = [m for m in brief.meetings if not enrich.is_aggregate(m, brief.meetings)]
    if len(brief.meetings) < before:
        ctx.warnings.append(f"dropped {before - len(brief.meetings)} meeting(s) that only summed up the others")
    # The one the article's own sentences say the lone person met comes before a guess from other meetings.
    for meeting in brief.meetings:
        partner = _named_partner(meeting.participants[0], ctx) if len(meeting.participants) == 1 else None
        if partner:
            meeting.participants.append(partner)
            ctx.warnings.append(f"added {partner.name!r}, whom the article says {meeting.participants[0].name} met")
    enrich.complete_pairs(brief.meetings, ctx.grounds)
    everyone = enrich.merge_people([p for m in brief.meetings for p in m.participants])
    for meeting in brief.meetings:
        people = enrich.merge_people(meeting.participants)
        for person in people:
            canonical = next(p for p in everyone if same_person(p.name, person.name))
            person.name = canonical.name
            title = person.title or canonical.title
            body = repair.international_body(person.name, title, ctx.grounds)
            person.country = body or person.country or canonical.country or repair.office_country(title)
            # A body's name in its office is no country adjective: "African Union Commission Chairperson".
            person.title = enrich.clean_body_title(title, body) if body else enrich.clean_title(title, person.country)
            spellings = {*canonical.aliases, *person.aliases, *enrich.find_aliases(canonical.name, ctx.grounds)}
            person.aliases = sorted(
                (s for s in spellings
                 if grounding.name_key(s) != grounding.name_key(person.name) and grounding.name_in_text(s, ctx.grounds)),
                key=lambda s: (len(s), s))
        meeting.participants = people
        if len(people) == 2:
            # "his Ruritanian counterpart Jan Novak": a counterpart holds the same office as the other side.
            for person, other in (people, people[::-1]):
                if person.title and _COUNTERPART.fullmatch(person.title) and other.title \
                        and not _COUNTERPART.fullmatch(other.title):
                    person.title = other.title


_COUNTERPART = re.compile(r"(?:(?:his|her|their|the)\s+)?(?:[\w'-]+\s+)?counterparts?", re.IGNORECASE)


def _other_side(people: list[Participant], brief: Brief, ctx: Context) -> Participant | None:
    """A meeting is between sides: for one whose people all serve one country, the one official of another
    country in the brief whom the sentences reporting meeting them name ("the visitor also met A and B")."""
    countries = {repair.country_name(p.country) for p in people}
    if len(people) < 2 or len(countries) != 1 or None in countries:
        return None
    held = vocabulary.words().held
    found: dict[str, Participant] = {}
    for sentence in ctx.sentences:
        done = _without_future(sentence.text)
        if not held.search(done) or not any(named_at(p.name, done) is not None for p in people):
            continue
        for other in (p for m in brief.meetings for p in m.participants):
            if other.country and repair.country_name(other.country) not in countries \
                    and named_at(other.name, done) is not None:
                found.setdefault(grounding.name_key(other.name), other)
    return next(iter(found.values())) if len(found) == 1 else None


def _named_partner(alone: Participant, ctx: Context) -> Participant | None:
    """The other side of a meeting the model gave one person: the one official the sentences that report
    this person meeting someone introduce by office ("Ambassador Jan Novak paid a farewell visit to X", "Jan Novak,
    Minister of Trade, met X")."""
    held = vocabulary.words().held
    found: dict[str, repair.Mention] = {}
    for sentence in ctx.sentences:
        done = _without_future(sentence.text)
        if not held.search(done) or named_at(alone.name, done) is None \
                or vocabulary.words().background.search(_without_asides(done)):
            continue  # not a meeting reported as held now
        for mention in repair.mentions(done):
            # "a meeting with President Novak": a single name counts when a title stands right before it.
            titled = len(mention.name.split()) == 1 and any(
                grounding.name_key(w) in vocabulary.words().title_words for w in mention.office.split())
            if (titled or repair.introduced_office(mention, done)) and not same_person(mention.name, alone.name):
                found.setdefault(grounding.name_key(mention.name), mention)
    if len(found) != 1:
        return None
    [mention] = found.values()
    country = grounding.POSSESSIVE.sub("", mention.country_word)
    return Participant(name=mention.name, title=repair.introduced_office(mention, ctx.grounds) or mention.office,
                       country=repair.country_name(country) if country and vocabulary.is_country(country) else None)


def drop_alone(brief: Brief, ctx: Context) -> None:
    """One official whom no one was found to have met is a meeting only where the article says they met
    someone (the model missed the other side); else it reported a statement, a report or a trip."""
    words = vocabulary.words()
    alone = [m for m in brief.meetings if len(m.participants) == 1
             and (words.reporter_titles.search(m.participants[0].title or "")  # a spokesperson tells, not meets
                  or not any((done := _held_now(s.text)) and not words.arrival.search(done)
                             and named_at(m.participants[0].name, done) is not None for s in ctx.sentences))]
    for meeting in alone:
        ctx.warnings.append(f"dropped a meeting with only {meeting.participants[0].name}: the article never "
                            "says they met anyone")
    # One whose other meetings the brief has: what is left of a meeting whose other side was dropped.
    met = {grounding.name_key(p.name) for m in brief.meetings if len(m.participants) > 1 for p in m.participants}
    rest = [m for m in brief.meetings if len(m.participants) == 1 and m not in alone
            and grounding.name_key(m.participants[0].name) in met]
    for meeting in rest:
        ctx.warnings.append(f"dropped a meeting with only {meeting.participants[0].name}, who has others")
    alone += rest
    brief.meetings = [m for m in brief.meetings if m not in alone]


def drop_unreported(brief: Brief, ctx: Context) -> None:
    """An article none of whose sentences reports a meeting as held (a preview, a trip called off, a
    statement) reports no meeting, whatever the model listed."""
    supposed = vocabulary.words().supposed
    if brief.meetings and not any(_held_now(_without_clauses(supposed, s.text)) for s in ctx.sentences):
        ctx.warnings.append(f"dropped {len(brief.meetings)} meeting(s): no sentence of the article reports a "
                            "meeting as held")
        brief.meetings = []


def _held_now(sentence: str) -> str | None:
    """What the sentence reports as done, when that is a meeting held as the news (not one told as
    background: "their talks last month", "they had met"), else None."""
    words = vocabulary.words()
    done = _without_future(sentence)
    return done if words.held.search(done) and not words.background.search(_without_asides(done)) else None


def _reported_meeting(name: str, ctx: Context) -> bool:
    """A sentence that reports a meeting as held names this person."""
    words = vocabulary.words()
    return any(words.held.search(done := _without_future(s)) and named_at(name, done) is not None
               and not words.arrival.search(s) for s in ctx.passages)


def place_and_time(brief: Brief, ctx: Context) -> None:
    """Headline, publication date and dateline from the article's first lines; each meeting's city
    (the dateline when the model gave none), a named occasion only, and the ISO date when resolvable."""
    brief.headline = brief.headline or enrich.headline(ctx.text)
    brief.published = brief.published or enrich.published_date(ctx.text)
    city = enrich.dateline_city(ctx.text)
    held = vocabulary.words().held
    # The sentences that report a meeting, each with the places it says what it reports happened in.
    done = {s.text: _without_future(s.text) for s in ctx.sentences}
    reporting = {text: enrich.stated_places(d) for text, d in done.items() if held.search(d) or "sidelines" in text}
    countries = {text: enrich.stated_countries(done[text]) for text in reporting}
    anywhere = set().union(*reporting.values())
    building = vocabulary.words().building
    for meeting in brief.meetings:
        venue = meeting.venue
        if venue.city and building.search(venue.city):
            venue.city = None  # "Government House": where in the city, not the city
        given = enrich.value(venue.city)
        # The sentences that report this meeting: they name one of its people.
        theirs = [s for s in reporting if any(named_at(q.name, s) is not None for q in meeting.participants)]
        if meeting.format not in ("phone", "video") and (given in (None, city) or not any(
                grounding.name_in_text(given, s) for s in reporting)):
            # A dateline places the meetings "unless the text says otherwise": the one place the sentences
            # that report this meeting (else any meeting) say it happened in, over a city they never name.
            own = {p for s in theirs for p in reporting[s]}
            stated = own if own else anywhere
            if len(stated) == 1 and next(iter(stated)) != given:
                venue.city = next(iter(stated))
                venue.country = None if given else venue.country  # the model's country went with its city
        venue.city, venue.country = enrich.value(venue.city), enrich.value(venue.country)
        # The sentences that name this meeting's own people (not a visitor who is in every meeting).
        own = [s for s in theirs if _names_any({p.name for p in meeting.participants} - _others(brief, meeting), s)]
        here = {c for s in own if (c := enrich.fronted_country(s))}
        placed_in_country = (len(here) == 1 and meeting.format not in ("phone", "video") and venue.city is not None
                             and not any(grounding.name_in_text(venue.city, s) for s in own))
        if placed_in_country:
            # "On June 3 in Ruritania, Novak met Ruiz": the one country this meeting's own sentences open by placing
            # it in, over a city they never name (the visitor's capital, named for something else).
            venue.city, venue.country = None, next(iter(here))
        # "Valoria, Ruritania", "Valoria (Ruritania)": a city with its country
        if venue.city and (written := re.fullmatch(r"\s*([^,(]+?)\s*(?:,|\()\s*([^,()]+?)\s*\)?\s*", venue.city)):
            town, rest = written.groups()
            if vocabulary.is_country(rest):
                venue.city, venue.country = town, venue.country or rest
        if venue.city and (named := vocabulary.short_country(venue.city)):
            venue.country = named  # a "city" that is a country ("Ruritania", or a city-state) is where it was
        venue.country = repair.country_name(venue.country)  # "USA" -> "United States"
        occasion = enrich.value(venue.occasion)
        # An occasion is a named event ("Caspian Summit") stated in the article, not "summit" or "visit".
        named = occasion and any(c.isupper() for c in occasion) and grounding.name_in_text(occasion, ctx.grounds)
        venue.occasion = occasion if named else None
        if not venue.city and city and meeting.format not in ("phone", "video") and not placed_in_country:
            venue.city = city
        if not venue.city and meeting.format not in ("phone", "video") and not placed_in_country:
            # No city, not even a dateline's: the one country the sentences reporting this meeting say it took
            # place in ("Jan Novak and Ana Petrova met during the forum in Ruritania") beats the model's guess.
            stated = {c for s in theirs for c in countries[s]}
            if len(stated) == 1:
                venue.country = repair.country_name(next(iter(stated)))
        meeting.date.text = enrich.value(meeting.date.text)
        meeting.date.iso = meeting.date.iso or enrich.resolve_date(meeting.date.text, brief.published)


def label_areas(brief: Brief, ctx: Context) -> None:
    """Cooperation areas by keyword in the sentences that report each meeting (``vocab/areas.toml``)."""
    if ctx.areas_from_model:
        return
    for meeting, segment in zip(brief.meetings, areas.segments(brief.meetings, ctx.sentences), strict=True):
        # A sentence that names only the people of another meeting ("Novak also met Ruiz; they discussed
        # trade") speaks of that meeting, though it falls among this one's sentences.
        own = {p.name for p in meeting.participants}
        others = _others(brief, meeting) - own
        found = areas.find_areas([s for s in segment if (_names_any(own, s.text) or not _names_any(others, s.text))
                                  and not _PLANNED_MEETING.search(s.text)])
        meeting.agreed_areas = [AgreedArea(area=area, evidence=s.text) for area, s in found.items()]


# "... is scheduled to visit Ruritania to meet ...", "will hold talks with ...": a sentence about a meeting still to
# come tells what it will be about, not what a held one took up.
_PLANNED_MEETING = re.compile(r"\b(?:will|is\s+(?:scheduled|expected|due|set)\s+to|are\s+(?:scheduled|expected|due|set)\s+to)"
                              r"\s+(?:also\s+)?(?:meet|visit|hold\s+talks|travel)\b", re.IGNORECASE)


def _others(brief: Brief, meeting: Meeting) -> set[str]:
    """The names of the people of the brief's other meetings."""
    return {p.name for m in brief.meetings if m is not meeting for p in m.participants}


def _names_any(names: set[str], text: str) -> bool:
    return any(named_at(name, text) is not None for name in names)


def attach_invitations(brief: Brief, ctx: Context) -> None:
    """Invitations from the follow-up answer, each grounded in its sentence and put under its meeting."""
    answer = ctx.answers.get("invitations")
    if answer is None or not brief.meetings:
        return
    segments = areas.segments(brief.meetings, ctx.sentences)
    before = sum(len(m.invitations) for m in brief.meetings)
    invitations.attach(brief.meetings, segments, answer.invitations, ctx.grounds)
    attached = sum(len(m.invitations) for m in brief.meetings)
    dropped = len(answer.invitations) - (attached - before)
    if dropped > 0:
        ctx.warnings.append(f"dropped {dropped} invitation(s) no sentence of the article makes")
    invitations.add_exchanged(brief.meetings, segments)
    if sum(len(m.invitations) for m in brief.meetings) > attached:
        ctx.warnings.append("added the return invitation of an exchange of invitations")


def ground(brief: Brief, ctx: Context) -> None:
    """Every quote tied to its span in the article (the article's exact characters), or dropped; invitation
    names spelt as the participant lists spell them."""
    people = enrich.merge_people([p for m in brief.meetings for p in m.participants])
    for number, meeting in enumerate(brief.meetings, start=1):
        for kind, items in (("area", meeting.agreed_areas), ("invitation", meeting.invitations)):
            for item in list(items):
                if item.evidence is None:
                    continue
                span = grounding.find_quote(item.evidence, ctx.grounds)
                if span is None:
                    ctx.warnings.append(f"meeting {number}: dropped {kind} evidence not found in the article: "
                                        f"{item.evidence[:60]!r}")
                    item.evidence, item.evidence_span = None, None
                else:
                    item.evidence, item.evidence_span = ctx.text[span[0]:span[1]], span
        for inv in meeting.invitations:
            inv.inviter = enrich.canonical(inv.inviter, people)
            inv.invitee = enrich.canonical(inv.invitee, people)


def merge(brief: Brief, ctx: Context) -> None:
    """One entry per meeting: the same people on agreeing dates are one meeting, and so are the same people
    in one city when only one of the two dates is written beside them."""
    before = len(brief.meetings)
    brief.meetings = enrich.merge_meetings(brief.meetings, ctx.grounds)
    if len(brief.meetings) < before:
        ctx.warnings.append(f"merged {before - len(brief.meetings)} repeated meeting(s)")


def summarise(brief: Brief, ctx: Context) -> None:
    brief.summary = brief.summary or enrich.write_summary(brief)


STEPS: tuple[Step, ...] = (repair_names, drop_planned, drop_bystanders, drop_entourages, add_other_side, split_calls, add_unlisted_meetings,
                           add_attendees, merge_people, drop_alone, drop_unreported, place_and_time, label_areas,
                           attach_invitations, ground, merge, summarise)


def names() -> list[str]:
    return [step.__name__ for step in STEPS]


def run(brief: Brief, ctx: Context) -> Brief:
    """A copy of ``brief`` after every step, with the steps' warnings."""
    brief = brief.model_copy(deep=True)
    for step in STEPS:
        before = pickle.dumps(brief)  # a snapshot to undo a failed step: far cheaper than a deep copy each time
        try:
            step(brief, ctx)
        except Exception as exc:  # a fault in one repair must not cost the article: keep the brief as it was
            brief = pickle.loads(before)
            ctx.warnings.append(f"step {step.__name__} skipped after an internal error ({type(exc).__name__}: {exc}); "
                                "please report it")
        # A meeting whose every participant was dropped is no meeting.
        emptied = [m for m in brief.meetings if not m.participants]
        if emptied:
            brief.meetings = [m for m in brief.meetings if m.participants]
            ctx.warnings.append(f"dropped {len(emptied)} meeting(s) left with no participant")
    brief.warnings = list(dict.fromkeys([*brief.warnings, *ctx.warnings]))  # each repair said once
    return brief
