"""Response shapes: what a prompt asks the model to fill, and how it becomes a Brief.

A prompt names its shape in front matter.
- ``full``: the brief's meetings as the spec writes them (verbatim quotes,
  aliases, summary). For capable models.
- ``compact``: the article arrives with numbered sentences; the model answers
  short fields, area labels and sentence numbers; code turns sentence numbers
  into verbatim evidence.
- ``meetings``: the model answers only who met whom, where, when, how, and
  invitations; code finds the cooperation areas (:mod:`summarizer.areas`) and
  grounds each invitation in a sentence that makes it. Fewest output tokens,
  and a 1.5B model is no better than keywords at area labels.
In every shape code also does aliases, ISO dates and the summary, since every
generated token costs ~0.1 s on the embedded model.
"""

from __future__ import annotations

import re

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from . import areas, enrich, grounding
from .schema import AgreedArea, Area, Brief, Invitation, Meeting, MeetingFormat, Participant, Venue, MeetingDate


class _Draft(BaseModel):
    """A response model: what the model fills in (fields it adds are ignored, not fatal)."""

    model_config = ConfigDict(extra="ignore")


_context = grounding.validation_context


# ---------------------------------------------------------------- full shape


class FullDraft(_Draft):

    summary: str = Field(description="Two or three neutral sentences: who met whom, where, about what.")
    meetings: list[Meeting] = Field(default_factory=list, max_length=8,
                                    description="Every distinct meeting the article reports.")


# ---------------------------------------------------------------- compact shape


class CompactPerson(_Draft):

    name: str
    title: str | None
    country: str | None

    @field_validator("name")
    @classmethod
    def _grounded(cls, name: str, info: ValidationInfo) -> str:
        article = _context(info).get("article")
        if article is not None and not grounding.name_in_text(name, article):
            raise ValueError(
                f"person {name!r} is not named in the article; copy each name exactly as written "
                "and list only people who took part")
        return name


def _sentence_in_range(number: int | None, info: ValidationInfo) -> int | None:
    count = _context(info).get("sentence_count")
    if number is not None and count is not None and not 1 <= number <= count:
        raise ValueError(f"sentence {number} does not exist; the article has sentences 1 to {count}")
    return number


class CompactArea(_Draft):

    area: Area
    sentence: int

    _check_sentence = field_validator("sentence")(_sentence_in_range)


class CompactInvitation(_Draft):

    inviter: str | None
    invitee: str
    event: str | None
    place: str | None
    when: str | None
    sentence: int

    _check_sentence = field_validator("sentence")(_sentence_in_range)


class CompactMeeting(_Draft):

    people: list[CompactPerson] = Field(min_length=1, max_length=6)
    city: str | None
    country: str | None
    occasion: str | None
    date: str | None
    format: MeetingFormat
    areas: list[CompactArea] = Field(max_length=len(Area))  # bounded so a small model cannot loop
    invitations: list[CompactInvitation] = Field(max_length=3)


class CompactDraft(_Draft):

    meetings: list[CompactMeeting] = Field(max_length=5)


# ---------------------------------------------------------------- meetings shape


def _text(max_length: int) -> Any:
    """A required, nullable-by-type string field with a length bound (so a small model cannot ramble)."""
    return Field(max_length=max_length)


class MeetingPerson(_Draft):

    name: str = _text(80)
    title: str | None = _text(120)
    country: str | None = _text(60)

    _grounded = field_validator("name")(CompactPerson._grounded.__func__)

    @field_validator("name")
    @classmethod
    def _a_person(cls, name: str) -> str:
        if not enrich.clean_name(name, None):
            raise ValueError(f"{name!r} is an office, not a person's name; write the name of the person who holds it")
        return name


class MeetingDraft(_Draft):

    people: list[MeetingPerson] = Field(min_length=1, max_length=4)
    city: str | None = _text(60)
    country: str | None = _text(60)
    occasion: str | None = _text(120)
    date: str | None = _text(60)
    format: MeetingFormat


class MeetingsDraft(_Draft):

    meetings: list[MeetingDraft] = Field(max_length=4)


class InvitationDraft(_Draft):

    inviter: str | None = _text(120)
    invitee: str = _text(120)
    event: str | None = _text(120)
    place: str | None = _text(60)
    when: str | None = _text(60)


class InvitationsDraft(_Draft):

    invitations: list[InvitationDraft] = Field(max_length=3)


_INVITING = re.compile(r"invit\w*|\bto host\b|\bhost(?:ing)? (?:him|her|them)\b|welcome (?:him|her) to",
                       re.IGNORECASE)


def invitation_sentences(text: str) -> list[grounding.Sentence]:
    """Sentences that may make an invitation: the only places an invitation can be grounded."""
    return [s for s in areas.body_sentences(grounding.split_sentences(text)) if _INVITING.search(s.text)]


@dataclass(frozen=True)
class FollowUp:
    """A second question in the same conversation (the article's evaluated prefix is reused)."""

    name: str
    response_model: type[BaseModel]
    variables: dict[str, Any]


_MEETING_WORDS = re.compile(
    r"\b(?:met|meets|meeting|talks|conferred|received|spoke|phone|telephone|video ?(?:call|conference)|visit)\b",
    re.IGNORECASE)
_NAME_LIKE = re.compile(r"\b[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019-]+){1,7}")


def _all_meetings(draft: MeetingsDraft, answers: dict[str, BaseModel]) -> list[MeetingDraft]:
    more = answers.get("more_meetings")
    return [*draft.meetings, *(more.meetings if isinstance(more, MeetingsDraft) else [])]


def _titled_names(sentence: str) -> list[str]:
    """Names introduced by an office, as news writes officials: 'Belarusian Prime Minister Roman
    Golovchenko' -> 'Roman Golovchenko'. A capitalised run with no office word (an agency, a place)
    is not taken for a person."""
    names = []
    for match in _NAME_LIKE.finditer(sentence):
        tokens = match.group().split()
        offices = [i for i, t in enumerate(tokens) if grounding.name_key(t) in enrich.TITLE_WORDS]
        if not offices:
            continue
        rest = tokens[offices[-1] + 1:]
        if 2 <= len(rest) <= 3:
            names.append(" ".join(rest))
    return names


def unlisted_meeting_sentences(draft: MeetingsDraft, text: str) -> list[grounding.Sentence]:
    """Sentences that speak of a meeting and name an official in no listed meeting: where a small
    model most often stops after the first of several meetings."""
    known = [p.name for m in draft.meetings for p in m.people]
    return [
        sentence for sentence in areas.body_sentences(grounding.split_sentences(text))
        if _MEETING_WORDS.search(sentence.text)
        and any(not any(enrich.same_person(name, k) for k in known) for name in _titled_names(sentence.text))
    ]


def _ask_more_meetings(draft: BaseModel, text: str, answers: dict[str, BaseModel]) -> FollowUp | None:
    assert isinstance(draft, MeetingsDraft)
    if not draft.meetings:
        return None  # an article with no meeting: nothing was missed after a first one
    candidates = unlisted_meeting_sentences(draft, text)
    return FollowUp("more_meetings", MeetingsDraft, {"candidates": candidates}) if candidates else None


def _ask_invitations(draft: BaseModel, text: str, answers: dict[str, BaseModel]) -> FollowUp | None:
    assert isinstance(draft, MeetingsDraft)
    candidates = invitation_sentences(text)
    meetings = _all_meetings(draft, answers)
    if not candidates or not meetings:
        return None  # no sentence could ground an invitation: do not ask
    people = sorted({p.name for m in meetings for p in m.people})
    return FollowUp("invitations", InvitationsDraft, {"candidates": candidates, "people": people})


def _resolve_person(words: str | None, people: list[Participant], text: str) -> str | None:
    """A name for 'he' or "Iran's first vice president": the participant whose title the words hold."""
    if not words:
        return None
    if any(enrich.same_person(words, p.name) for p in people):
        return next(p.name for p in people if enrich.same_person(words, p.name))
    key = grounding.name_key(words)
    named = [p for p in people if enrich.surname_key(p.name) in key.split()]
    if len(named) == 1:
        return named[0].name  # "Kazakh Prime Minister Olzhas Bektenov"
    titled = [p for p in people if p.title and grounding.name_key(p.title) in key]
    if len(titled) == 1:
        return titled[0].name
    return words if grounding.name_in_text(words, text) else None


def _position(words: str | None, sentence: str) -> int | None:
    """Where a person is first named in the sentence (full name or surname), else None."""
    if not words:
        return None
    folded = grounding.fold(sentence)
    spots = [folded.find(grounding.fold(w)) for w in (words, enrich.surname_key(words)) if w]
    spots = [i for i in spots if i >= 0]
    return min(spots) if spots else None


def _role(person: str | None, sentence: str) -> str | None:
    """How the sentence names a person. Active ('A invited B', 'an invitation to B'): after the verb is
    the invitee, before it the inviter. Passive ('an invitation from A, B ...', 'B was invited by A'):
    the phrase right after 'from'/'by' is the inviter, anyone else the invitee. None: not named."""
    at = _position(person, sentence)
    verb = _INVITING.search(sentence)
    if at is None or verb is None:
        return None
    passive = re.search(r"invit\w*\s+(?:from|by|of)\b", sentence, re.IGNORECASE)
    if passive:  # the agent is the phrase right after from/by, up to a comma or "to"
        stop = re.search(r",|\bto\b|$", sentence[passive.end():])
        return "inviter" if passive.end() <= at < passive.end() + stop.start() else "invitee"
    return "invitee" if at > verb.start() else "inviter"


def _oriented(inviter: str | None, invitee: str, sentence: str) -> tuple[str | None, str]:
    """The pair in the order the sentence gives it: a model often swaps inviter and invitee."""
    if inviter is None:
        return inviter, invitee
    as_inviter, as_invitee = _role(inviter, sentence), _role(invitee, sentence)
    if (as_inviter == "invitee" and as_invitee != "invitee") or (as_invitee == "inviter" and as_inviter != "inviter"):
        return invitee, inviter
    return inviter, invitee


def _invitation_home(inv: InvitationDraft, meetings: list[Meeting], segments: list[list[grounding.Sentence]],
                     candidates: list[grounding.Sentence]) -> tuple[int, grounding.Sentence] | None:
    """The meeting an invitation belongs to and the sentence that makes it.

    Meetings whose participants include the invitee and inviter come first; within a meeting's own
    sentences, one naming the invitee as invitee beats one naming them at all, then one naming the
    event or place, then any other."""
    def named(sentence: grounding.Sentence, words: list[str | None]) -> bool:
        folded = grounding.fold(sentence.text)
        return any(w and len(w) > 2 and grounding.fold(w) in folded for w in words)

    def takes_part(who: str | None, meeting: Meeting) -> bool:
        return bool(who) and any(enrich.same_person(who, p.name) for p in meeting.participants)

    by_name = [inv.invitee, enrich.surname_key(inv.invitee)]
    by_event = [inv.event, inv.place]
    order = sorted(range(len(meetings)), key=lambda i: -(takes_part(inv.invitee, meetings[i])
                                                          + takes_part(inv.inviter, meetings[i])))
    def consistent(sentence: grounding.Sentence) -> bool:  # names the invitee where an invitee stands
        return named(sentence, by_name) and _role(inv.invitee, sentence.text) == "invitee"

    for test in (consistent, lambda s: named(s, by_name), lambda s: named(s, by_event), lambda s: True):
        for i in order:
            if not (takes_part(inv.invitee, meetings[i]) or takes_part(inv.inviter, meetings[i])):
                continue
            own = {s.number for s in segments[i]}
            found = next((s for s in candidates if s.number in own and test(s)), None)
            if found:
                return i, found
    for test in (lambda s: named(s, by_name), lambda s: named(s, by_event)):  # a non-participant invitee
        found = next((s for s in candidates if test(s)), None)
        if found:
            i = next((i for i, seg in enumerate(segments) if any(s.number == found.number for s in seg)), 0)
            return i, found
    return None  # an invitation no sentence makes is the model's invention


def _attach_invitations(meetings: list[Meeting], segments: list[list[grounding.Sentence]],
                        drafts: list[InvitationDraft], text: str) -> None:
    candidates = invitation_sentences(text)
    for inv in drafts:
        home = _invitation_home(inv, meetings, segments, candidates) if meetings else None
        if home is None:
            continue
        index, sentence = home
        meeting = meetings[index]
        invitee = _resolve_person(enrich.clean_name(inv.invitee, None) or inv.invitee, meeting.participants, text) \
            or inv.invitee
        inviter = _resolve_person(enrich.clean_name(inv.inviter or "", None) or inv.inviter, meeting.participants, text)
        inviter, invitee = _oriented(inviter, invitee, sentence.text)
        if _position(invitee, sentence.text) is None \
                and not any(enrich.same_person(invitee, p.name) for p in meeting.participants):
            continue  # the sentence invites someone else, and this invitee was not even at the meeting
        if inviter and enrich.same_person(inviter, invitee):
            inviter = None  # a model that names the invitee twice does not know the inviter
        if inviter and _position(inviter, sentence.text) is None \
                and not any(enrich.same_person(inviter, p.name) for p in meeting.participants):
            inviter = None  # neither at the meeting nor in the sentence: a guess
        others = [p.name for p in meeting.participants if not enrich.same_person(p.name, invitee)]
        if inviter is None and len(others) == 1 and len(others) < len(meeting.participants):
            inviter = others[0]  # "he invited X": the other side of a two-person meeting
        if any(enrich.same_person(invitee, i.invitee or "")
               and (i.evidence == sentence.text or grounding.name_key(i.event or "") == grounding.name_key(inv.event or ""))
               for i in meeting.invitations):
            continue  # the same invitation twice
        meeting.invitations.append(Invitation(inviter=inviter, invitee=invitee, event=inv.event, place=inv.place,
                                              when=inv.when, evidence=sentence.text))


def _from_meetings(draft: MeetingsDraft, text: str, answers: dict[str, BaseModel]) -> list[Meeting]:
    sentences = areas.body_sentences(grounding.split_sentences(text))
    meetings = [
        Meeting(
            participants=[Participant(name=p.name, title=p.title, country=p.country) for p in m.people],
            venue=Venue(city=m.city, country=m.country, occasion=m.occasion),
            date=MeetingDate(text=m.date), format=m.format,
        )
        for m in _all_meetings(draft, answers)
    ]
    segments = areas.segments(meetings, sentences)
    for meeting, segment in zip(meetings, segments, strict=True):
        meeting.agreed_areas = [AgreedArea(area=area, evidence=s.text) for area, s in areas.find_areas(segment).items()]
    invitations = answers.get("invitations")
    if isinstance(invitations, InvitationsDraft):
        _attach_invitations(meetings, segments, invitations.invitations, text)
    return meetings


# ---------------------------------------------------------------- conversion


@dataclass(frozen=True)
class Shape:
    name: str
    response_model: type[BaseModel]
    # Later questions, asked in order when they return a FollowUp: (draft, text, answers so far).
    follow_ups: tuple[Callable[[BaseModel, str, dict[str, BaseModel]], FollowUp | None], ...] = ()

    def to_brief(self, draft: BaseModel, article_id: str, text: str,
                 answers: dict[str, BaseModel] | None = None) -> Brief:
        answers = answers or {}
        if isinstance(draft, FullDraft):
            brief = Brief(article_id=article_id, summary=draft.summary, meetings=draft.meetings)
        elif isinstance(draft, CompactDraft):
            brief = Brief(article_id=article_id, meetings=[_from_compact(m, text) for m in draft.meetings])
        elif isinstance(draft, MeetingsDraft):
            brief = Brief(article_id=article_id, meetings=_from_meetings(draft, text, answers))
        else:  # pragma: no cover - guarded by SHAPES
            raise TypeError(type(draft))
        return enrich.complete(brief, text)


def _evidence(number: int, text: str) -> str | None:
    sentences = grounding.split_sentences(text)
    return sentences[number - 1].text if 1 <= number <= len(sentences) else None


def _from_compact(m: CompactMeeting, text: str) -> Meeting:
    return Meeting(
        participants=[Participant(name=p.name, title=p.title, country=p.country) for p in m.people],
        venue=Venue(city=m.city, country=m.country, occasion=m.occasion),
        date=MeetingDate(text=m.date),
        format=m.format,
        agreed_areas=[AgreedArea(area=a.area, evidence=_evidence(a.sentence, text)) for a in m.areas],
        invitations=[
            Invitation(inviter=i.inviter, invitee=i.invitee, event=i.event, place=i.place, when=i.when,
                       evidence=_evidence(i.sentence, text))
            for i in m.invitations
        ],
    )


SHAPES: dict[str, Shape] = {
    "full": Shape("full", FullDraft),
    "compact": Shape("compact", CompactDraft),
    "meetings": Shape("meetings", MeetingsDraft, (_ask_more_meetings, _ask_invitations)),
}


def get(name: str) -> Shape:
    try:
        return SHAPES[name]
    except KeyError:
        raise KeyError(f"unknown response shape {name!r}; known: {', '.join(SHAPES)}") from None
