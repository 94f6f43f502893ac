"""From many briefs to one briefing document: each meeting once, each person once, all traceable.

Meetings reported by several articles are merged when the same people (resolved by
:mod:`summarizer.people`) met on dates that do not conflict; where the sources
disagree on a venue or a date, both values are kept with their sources. Outputs:
Markdown, one self-contained HTML file, and CSV/JSONL tables.
"""

from __future__ import annotations

import csv
import datetime as dt
import glob
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from . import enrich
from .articles import ARTICLE_SUFFIXES
from .errors import ConfigError
from .people import Person, PeopleIndex
from .schema import Area, Brief, Meeting

_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE)


@dataclass
class Source:
    article_id: str
    path: str | None  # the article file, when known
    headline: str | None
    published: dt.date | None


@dataclass
class Claim:
    """A value with the sources that state it: lets the report show disagreements."""

    value: str
    sources: list[str] = field(default_factory=list)


@dataclass
class MergedMeeting:
    id: str
    people: list[Person]
    sources: list[str] = field(default_factory=list)
    dates: list[Claim] = field(default_factory=list)
    cities: list[Claim] = field(default_factory=list)
    venue_countries: list[Claim] = field(default_factory=list)
    occasions: list[Claim] = field(default_factory=list)
    formats: list[Claim] = field(default_factory=list)
    areas: dict[Area, list[tuple[str, str | None]]] = field(default_factory=dict)  # area -> (source, quote)
    invitations: list[dict] = field(default_factory=list)
    date_notes: list[str] = field(default_factory=list)
    iso_dates: set[dt.date] = field(default_factory=set)
    weekdays: set[str] = field(default_factory=set)

    @property
    def country_pair(self) -> str:
        countries = sorted({p.country for p in self.people if p.country})
        return " – ".join(countries) or "unknown"

    @property
    def sort_key(self) -> tuple:
        return (min(self.iso_dates) if self.iso_dates else dt.date.max, self.id)

    @property
    def disputed(self) -> list[str]:
        return [name for name, claims in (("date", self.dates), ("city", self.cities)) if len(claims) > 1]


def _claim(claims: list[Claim], value: str | None, source: str) -> None:
    if not value:
        return
    for c in claims:
        if c.value.casefold() == value.casefold():
            if source not in c.sources:
                c.sources.append(source)
            return
    claims.append(Claim(value, [source]))


def _date_label(meeting: Meeting) -> str | None:
    text, iso = meeting.date.text, meeting.date.iso
    if iso and text:
        return f"{iso.isoformat()} ({text})"
    return iso.isoformat() if iso else text


def _compatible(merged: MergedMeeting, meeting: Meeting) -> bool:
    """Dates conflict only when both sides state them: two calendar dates, or two weekdays."""
    if meeting.date.iso and merged.iso_dates and meeting.date.iso not in merged.iso_dates:
        return False
    day = _WEEKDAY.search(meeting.date.text or "")
    return not (day and merged.weekdays and day.group(1).lower() not in merged.weekdays)


@dataclass
class BriefingReport:
    sources: dict[str, Source]
    people: list[Person]
    meetings: list[MergedMeeting]

    @property
    def timeline(self) -> list[MergedMeeting]:
        return sorted(self.meetings, key=lambda m: m.sort_key)

    def by_country_pair(self) -> dict[str, list[MergedMeeting]]:
        groups: dict[str, list[MergedMeeting]] = {}
        for m in self.timeline:
            groups.setdefault(m.country_pair, []).append(m)
        return dict(sorted(groups.items()))

    def area_matrix(self) -> tuple[list[Area], dict[str, dict[Area, int]]]:
        matrix: dict[str, dict[Area, int]] = {}
        for m in self.meetings:
            row = matrix.setdefault(m.country_pair, {})
            for area in m.areas:
                row[area] = row.get(area, 0) + 1
        used = [a for a in Area if any(a in row for row in matrix.values())]
        return used, dict(sorted(matrix.items()))

    def meetings_of(self, person: Person) -> list[str]:
        return [m.id for m in self.timeline if person in m.people]

    @property
    def invitations(self) -> list[dict]:
        return [inv for m in self.timeline for inv in m.invitations]

    @property
    def resolved_dates(self) -> list[str]:
        return [note for m in self.timeline for note in m.date_notes]


def build(briefs: list[Brief], paths: dict[str, str] | None = None) -> BriefingReport:
    paths = paths or {}
    index = PeopleIndex()
    sources: dict[str, Source] = {}
    merged: list[MergedMeeting] = []
    for brief in briefs:
        sid = brief.article_id
        sources[sid] = Source(sid, paths.get(sid) or brief.source, brief.headline, brief.published)
        own: list[MergedMeeting] = []  # meetings of one article are distinct by construction
        for meeting in brief.meetings:
            people = [index.resolve(p.name, p.aliases, p.title, p.country, sid) for p in meeting.participants]
            ids = {p.id for p in people}
            twin = next((m for m in merged if m not in own and {p.id for p in m.people} == ids
                         and sid not in m.sources and _compatible(m, meeting)), None)
            if twin is None:
                twin = MergedMeeting(id=f"m{len(merged) + 1}", people=people)
                merged.append(twin)
            own.append(twin)
            twin.sources.append(sid)
            _claim(twin.dates, _date_label(meeting), sid)
            _claim(twin.cities, meeting.venue.city, sid)
            _claim(twin.venue_countries, meeting.venue.country, sid)
            _claim(twin.occasions, meeting.venue.occasion, sid)
            _claim(twin.formats, meeting.format if meeting.format != "unspecified" else None, sid)
            if meeting.date.iso:
                twin.iso_dates.add(meeting.date.iso)
                stated = enrich.parse_date(meeting.date.text or "", brief.published)
                how = "stated in the text" if stated == meeting.date.iso else \
                    f"resolved against the publication date {brief.published}"
                twin.date_notes.append(f"{twin.id}: {meeting.date.text!r} in {sid} -> {meeting.date.iso} ({how})")
            day = _WEEKDAY.search(meeting.date.text or "")
            if day:
                twin.weekdays.add(day.group(1).lower())
            for area in meeting.agreed_areas:
                twin.areas.setdefault(area.area, []).append((sid, area.evidence))
            for inv in meeting.invitations:
                inviter, invitee = index.find(inv.inviter), index.find(inv.invitee)
                entry = {"meeting": twin.id, "inviter": inv.inviter, "invitee": inv.invitee,
                         "inviter_id": inviter.id if inviter else None, "invitee_id": invitee.id if invitee else None,
                         "event": inv.event, "place": inv.place, "when": inv.when, "source": sid,
                         "evidence": inv.evidence}
                same = next((e for e in twin.invitations if e["source"] != sid
                             and (e["invitee_id"], e["inviter_id"]) == (entry["invitee_id"], entry["inviter_id"])
                             and (entry["invitee_id"] or e["invitee"] == entry["invitee"])), None)
                if same is None:
                    twin.invitations.append(entry)
                else:  # the same invitation reported by another article: one entry, both sources
                    same["also_in"] = [*same.get("also_in", []), sid]
    by_id = {p.id: p for p in index.people}
    for m in merged:  # names as the people index finally spells them
        for inv in m.invitations:
            for role in ("inviter", "invitee"):
                if inv[f"{role}_id"]:
                    inv[role] = by_id[inv[f"{role}_id"]].name
    return BriefingReport(sources, sorted(index.people, key=lambda p: p.name.split()[-1].casefold()), merged)


# ---------------------------------------------------------------- outputs


def tables(report: BriefingReport) -> dict[str, list[dict]]:
    """Flat rows for spreadsheets and BI tools."""
    meetings, participants, invitations, areas = [], [], [], []
    for m in report.timeline:
        meetings.append({
            "meeting_id": m.id, "country_pair": m.country_pair, "people": "; ".join(p.name for p in m.people),
            "date": " | ".join(c.value for c in m.dates), "city": " | ".join(c.value for c in m.cities),
            "venue_country": " | ".join(c.value for c in m.venue_countries),
            "occasion": " | ".join(c.value for c in m.occasions), "format": " | ".join(c.value for c in m.formats),
            "sources": "; ".join(m.sources), "disputed": "; ".join(m.disputed)})
        for p in m.people:
            participants.append({"meeting_id": m.id, "person_id": p.id, "name": p.name,
                                 "titles": "; ".join(sorted(p.titles)), "country": p.country or ""})
        for area, evidence in m.areas.items():
            areas.append({"meeting_id": m.id, "country_pair": m.country_pair, "area": area.value,
                          "sources": "; ".join(sorted({s for s, _ in evidence})),
                          "evidence": next((q for _, q in evidence if q), "")})
        for inv in m.invitations:
            row = {k: ("" if v is None else v) for k, v in inv.items() if k != "also_in"}
            invitations.append({**row, "source": "; ".join([inv["source"], *inv.get("also_in", [])])})
    return {"meetings": meetings, "participants": participants, "invitations": invitations, "areas": areas}


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("summarizer", "templates"), trim_blocks=True,
                             lstrip_blocks=True, autoescape=jinja2.select_autoescape(["html.j2"]))
    return env


def render_markdown(report: BriefingReport, links: dict[str, str]) -> str:
    text = _environment().get_template("report.md.j2").render(r=report, links=links)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def render_html(report: BriefingReport, links: dict[str, str]) -> str:
    from . import pictures  # matplotlib loads only for the HTML report

    return _environment().get_template("report.html.j2").render(r=report, links=links,
                                                                pictures=pictures.render(report))


def source_links(report: BriefingReport, out: Path) -> dict[str, str]:
    """Each source's link from the report folder: a URL as it is, a file relative to ``out``; a
    feed row or a file that is gone gets none."""
    links = {}
    for sid, source in report.sources.items():
        if not source.path:
            continue
        if source.path.startswith(("http://", "https://")):
            links[sid] = source.path
        elif Path(source.path).is_file():
            links[sid] = os.path.relpath(source.path, out)
    return links


def sort_inputs(specs: list[str]) -> tuple[list[Path], list[str], list[str]]:
    """Brief JSON files, article specs (for :func:`summarizer.articles.collect`) and errors, from
    files, folders and globs: a folder or glob may hold briefs (``brief -o DIR``), articles or both."""
    briefs: list[Path] = []
    articles: list[str] = []
    errors: list[str] = []
    for spec in specs:
        path = Path(spec)
        if spec == "-" or (path.suffix != ".json" and not path.is_dir() and not glob.has_magic(spec)):
            articles.append(spec)
        elif path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file())
            jsons = [p for p in files if p.suffix == ".json"]
            texts = [p for p in files if p.suffix in ARTICLE_SUFFIXES]
            briefs += jsons
            articles += [str(p) for p in texts]
            if not jsons and not texts:
                errors.append(f"{path}: folder holds no articles ({', '.join(ARTICLE_SUFFIXES)}) or briefs (.json)")
        elif glob.has_magic(spec) and not path.exists():
            matches = sorted(Path(m) for m in glob.glob(spec, recursive=True) if Path(m).is_file())
            if not matches:
                errors.append(f"{spec}: pattern matches no file")
            briefs += [m for m in matches if m.suffix == ".json"]
            articles += [str(m) for m in matches if m.suffix != ".json"]
        else:
            briefs.append(path)
    return briefs, articles, errors


def check_out(out: Path) -> None:
    """Refuse, before any work, an output path that cannot become a folder."""
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out {out}: is a file, not a folder")


def write(report: BriefingReport, out: Path) -> list[Path]:
    """Write every output into a temporary folder beside ``out``, then move the files into ``out``:
    a run that fails part-way leaves the previous report whole. Other files in ``out`` are kept."""
    check_out(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.tmp-"))
    except OSError as exc:
        raise ConfigError(f"--out {out}: cannot write ({exc.strerror or exc})") from None
    try:
        names = _write_files(report, staging, out)
        for name in names:
            os.replace(staging / name, out / name)
    except OSError as exc:
        raise ConfigError(f"--out {out}: cannot write ({exc.strerror or exc}); the previous report is unchanged") \
            from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [out / name for name in names]


def _write_files(report: BriefingReport, folder: Path, out: Path) -> list[str]:
    links = source_links(report, out)
    (folder / "report.md").write_text(render_markdown(report, links), encoding="utf-8")
    (folder / "report.html").write_text(render_html(report, links), encoding="utf-8")
    names = ["report.md", "report.html"]
    for name, rows in tables(report).items():
        csv_name, jsonl_name = f"{name}.csv", f"{name}.jsonl"
        with (folder / csv_name).open("w", newline="", encoding="utf-8") as fh:
            if rows:
                writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
        (folder / jsonl_name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                         encoding="utf-8")
        names += [csv_name, jsonl_name]
    return names
