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

from . import areas, grounding, repair, vocabulary
from .identity import same_person
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


_INVITING = vocabulary.words().inviting


def invitation_sentences(text: str) -> list[grounding.Sentence]:
    """Sentences that may make an invitation: the only places an invitation can be grounded."""
    return [s for s in areas.body_sentences(grounding.split_sentences(text)) if _INVITING.search(s.text)]


@dataclass(frozen=True)
class FollowUp:
    """A second question in the same conversation (the article's evaluated prefix is reused)."""

    name: str
    response_model: type[BaseModel]
    variables: dict[str, Any]


_MEETING_WORDS = vocabulary.words().meeting


def _more_meetings(answers: dict[str, BaseModel]) -> list[MeetingDraft]:
    """The meetings the "other meetings?" follow-up added, if it was asked."""
    more = answers.get("more_meetings")
    return more.meetings if isinstance(more, MeetingsDraft) else []


def _all_meetings(draft: MeetingsDraft, answers: dict[str, BaseModel]) -> list[MeetingDraft]:
    return [*draft.meetings, *_more_meetings(answers)]


def unlisted_meeting_sentences(draft: MeetingsDraft, text: str) -> list[grounding.Sentence]:
    """Sentences that speak of a meeting and name an official in no listed meeting: where a small
    model most often stops after the first of several meetings."""
    known = [p.name for m in draft.meetings for p in m.people]
    return [
        sentence for sentence in areas.body_sentences(grounding.split_sentences(text))
        if _MEETING_WORDS.search(sentence.text)
        and any(not any(same_person(name, k) for k in known) for name in repair.titled_names(sentence.text))
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


def _assemble_meetings(draft: MeetingsDraft, answers: dict[str, BaseModel]) -> list[Meeting]:
    return [
        Meeting(
            participants=[Participant(name=p.name, title=p.title, country=p.country) for p in m.people],
            venue=Venue(city=m.city, country=m.country, occasion=m.occasion),
            date=MeetingDate(text=m.date), format=m.format,
        )
        for m in [*draft.meetings, *(m for m in _more_meetings(answers) if not _already_listed(m, draft.meetings))]
    ]


def _already_listed(meeting: MeetingDraft, listed: list[MeetingDraft]) -> bool:
    """Asked only for meetings the list lacks, a model that names no one new repeats a listed meeting (often
    with the time and place of another sentence)."""
    def same(a: str, b: str) -> bool:  # the whole name, maybe after a title ("Minister Jan Novak"): two
        a, b = grounding.name_key(a), grounding.name_key(b)  # Novaks of one article are two people
        return bool(a and b) and (a == b or a.endswith(" " + b) or b.endswith(" " + a))
    return any(all(any(same(p.name, q.name) for q in m.people) for p in meeting.people) for m in listed)


# ---------------------------------------------------------------- conversion


@dataclass(frozen=True)
class Shape:
    name: str
    response_model: type[BaseModel]
    # Later questions, asked in order when they return a FollowUp: (draft, text, answers so far).
    follow_ups: tuple[Callable[[BaseModel, str, dict[str, BaseModel]], FollowUp | None], ...] = ()

    def assemble(self, draft: BaseModel, article_id: str, text: str,
                 answers: dict[str, BaseModel] | None = None) -> Brief:
        """The reply (and follow-up answers) as a brief, as the model wrote it: the steps repair it."""
        answers = answers or {}
        if isinstance(draft, FullDraft):
            return Brief(article_id=article_id, summary=draft.summary, meetings=draft.meetings)
        if isinstance(draft, CompactDraft):
            return Brief(article_id=article_id, meetings=[_from_compact(m, text) for m in draft.meetings])
        if isinstance(draft, MeetingsDraft):
            return Brief(article_id=article_id, meetings=_assemble_meetings(draft, answers))
        raise TypeError(type(draft))  # pragma: no cover - guarded by SHAPES


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
