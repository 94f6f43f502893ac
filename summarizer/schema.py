"""The brief: the Pydantic models of ``shared/spec/brief.md`` (schema_version "1").

These models are the single source of truth for model output, gold files and
everything downstream. Grounding checks run when validation is given the article
text as context (``Brief.model_validate(data, context={"article": text})``); their
error messages are written to be re-asked to the model.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic.json_schema import SkipJsonSchema

from . import grounding

SCHEMA_VERSION = "1"


class Area(str, Enum):
    """The closed set of cooperation areas (spec table, in order)."""

    economy = "economy"
    trade = "trade"
    investment = "investment"
    transport = "transport"
    energy = "energy"
    security = "security"
    counterterrorism = "counterterrorism"
    narcotics = "narcotics"
    organized_crime = "organized_crime"
    science_technology = "science_technology"
    culture = "culture"
    tourism = "tourism"
    education = "education"
    health = "health"
    agriculture = "agriculture"
    political = "political"
    regional = "regional"
    multilateral = "multilateral"
    humanitarian = "humanitarian"


AREA_DESCRIPTIONS: dict[Area, str] = {
    Area.economy: "economic ties in general, economic integration",
    Area.trade: "trade volume, goods exchange, merchants, markets, private sector trade",
    Area.investment: "investment flows, joint projects for businesses",
    Area.transport: "transit, corridors, ports, roads, rail, logistics",
    Area.energy: "oil, gas, electricity, nuclear power",
    Area.security: "security and defence cooperation in general",
    Area.counterterrorism: "terrorism, extremism",
    Area.narcotics: "drug trafficking",
    Area.organized_crime: "organized crime",
    Area.science_technology: "science, technology, IT, digital, knowledge-based companies",
    Area.culture: "culture, shared heritage, cultural exchanges",
    Area.tourism: "tourism",
    Area.education: "universities, students, academic exchange",
    Area.health: "medicine, medical equipment, pandemics",
    Area.agriculture: "agriculture and food",
    Area.political: "political consultation, diplomatic coordination, joint commissions, institutionalising ties",
    Area.regional: "a third country's or region's stability handled together (Afghanistan, say)",
    Area.multilateral: "cooperation inside regional or international bodies (SCO, ECO, EAEU, UN)",
    Area.humanitarian: "humanitarian aid, human rights",
}

MeetingFormat = Literal["in_person", "phone", "video", "unspecified"]


def _article(info: ValidationInfo) -> str | None:
    return grounding.validation_context(info).get("article")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False)


class Participant(_Model):
    name: str = Field(description="Fullest form of the person's name the article gives.")
    aliases: list[str] = Field(default_factory=list,
                               description="Other spellings or short forms in the article.")
    title: str | None = Field(default=None, description="Office as stated, no country adjective.")
    country: str | None = Field(default=None, description="Short English country name, or the body's name.")

    @field_validator("name")
    @classmethod
    def _name_in_article(cls, name: str, info: ValidationInfo) -> str:
        article = _article(info)
        if article is not None and not grounding.name_in_text(name, article):
            raise ValueError(
                f"participant name {name!r} does not occur in the article; "
                "copy names exactly as the article spells them and list only people named in it"
            )
        return name

    @field_validator("aliases")
    @classmethod
    def _aliases_in_article(cls, aliases: list[str], info: ValidationInfo) -> list[str]:
        article = _article(info)
        if article is not None:
            missing = [a for a in aliases if not grounding.name_in_text(a, article)]
            if missing:
                raise ValueError(f"aliases {missing!r} do not occur in the article; list only spellings it uses")
        return aliases


class Venue(_Model):
    city: str | None = None
    country: str | None = None
    occasion: str | None = Field(default=None, description="Summit or event on whose sidelines it happened.")


class MeetingDate(_Model):
    text: str | None = Field(default=None, description="The words used: 'Friday', 'Jan 31'.")
    iso: dt.date | None = Field(default=None, description="Calendar date when it can be resolved, else null.")


class _Evidenced(_Model):
    """A fact with a verbatim quote; ``evidence_span`` ties it to its place in the article."""

    evidence: str | None = Field(default=None, description="Verbatim quote from the article.")
    # Filled by grounding, never by the model, so it stays out of the schema the model sees.
    evidence_span: SkipJsonSchema[tuple[int, int] | None] = Field(
        default=None, description="Character offsets [start, end) of the evidence in the article.")

    @field_validator("evidence")
    @classmethod
    def _evidence_verbatim(cls, evidence: str | None, info: ValidationInfo) -> str | None:
        article = _article(info)
        if evidence is not None and article is not None and grounding.find_quote(evidence, article) is None:
            raise ValueError(
                f"evidence {evidence!r} is not a verbatim quote of the article; "
                "copy a passage character for character, do not paraphrase"
            )
        return evidence


class AgreedArea(_Evidenced):
    area: Area
    detail: str | None = Field(default=None, description="Short free-text phrase.")


class Invitation(_Evidenced):
    inviter: str | None = Field(default=None, description="Person (or government) inviting.")
    invitee: str | None = Field(default=None, description="Person (or government) invited.")
    event: str | None = Field(default=None, description="What they are invited to.")
    place: str | None = None
    when: str | None = None


class Meeting(_Model):
    participants: list[Participant] = Field(default_factory=list)
    venue: Venue = Field(default_factory=Venue)
    date: MeetingDate = Field(default_factory=MeetingDate)
    format: MeetingFormat | None = "unspecified"
    agreed_areas: list[AgreedArea] = Field(default_factory=list)
    invitations: list[Invitation] = Field(default_factory=list)

    @field_validator("agreed_areas")
    @classmethod
    def _one_entry_per_area(cls, areas: list[AgreedArea]) -> list[AgreedArea]:
        seen: set[Area] = set()
        unique = []
        for entry in areas:  # one entry per label: keep the first, which carries the evidence
            if entry.area not in seen:
                seen.add(entry.area)
                unique.append(entry)
        return unique


class Usage(_Model):
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


class Provenance(_Model):
    """Where a brief came from: enough to reproduce it and to cost it."""

    prompt: str = Field(description="id@version, e.g. brief@v1")
    template_sha256: str
    schema_version: str = SCHEMA_VERSION
    model: str
    model_sha256: str | None = None
    backend: str
    settings: dict[str, Any] = Field(default_factory=dict)
    attempts: list[Usage] = Field(default_factory=list, description="Token usage of every attempt, re-asks included.")
    steps: list[str] = Field(default_factory=list, description="The extraction steps run after the model, in order.")
    seconds: float | None = None
    created: dt.datetime | None = None

    @property
    def usage(self) -> Usage:
        return Usage(prompt_tokens=sum(a.prompt_tokens for a in self.attempts),
                     completion_tokens=sum(a.completion_tokens for a in self.attempts))


class Brief(_Model):
    schema_version: Literal["1"] = SCHEMA_VERSION
    article_id: str
    # Added field: where the text came from (a file path, a URL, or "feed.jsonl:3" for a feed row).
    # Set after the cache, so the same text given in another form shares one cached brief.
    source: str | None = None
    headline: str | None = None
    published: dt.date | None = None
    summary: str | None = None
    meetings: list[Meeting] = Field(default_factory=list)
    # Added field: every repair and drop made between the model's reply and this brief, in words
    # ("dropped participant 'X': not named in the article"), shown in notes, eval pages and reports.
    warnings: list[str] = Field(default_factory=list)
    provenance: Provenance | None = None

    def people(self) -> list[Participant]:
        return [p for m in self.meetings for p in m.participants]
