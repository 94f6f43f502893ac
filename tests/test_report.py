"""Reports: merges that must happen, near misses that must not, and the outputs through the CLI."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from summarizer import people, report
from summarizer.cli import app
from summarizer.schema import Brief, Meeting, MeetingDate, Participant, Venue

from .openai_stub import ScriptedServer


def _brief(aid: str, *meetings: Meeting) -> Brief:
    return Brief(article_id=aid, meetings=list(meetings))


def _meeting(*names: tuple[str, str], date: str | None = None, iso=None, city: str | None = None) -> Meeting:
    return Meeting(participants=[Participant(name=n, country=c) for n, c in names],
                   date=MeetingDate(text=date, iso=iso), venue=Venue(city=city))


def test_transliterations_of_one_person_merge_with_reasons():
    verdict = people.compare("Talatbek Masadykov", "Talaatbek Mossadeghov", "Kyrgyzstan", "Kyrgyzstan")
    assert verdict.same and any("skeleton" in r for r in verdict.reasons)
    assert people.compare("Mohammadreza Aref", "Muhammad Reza Aref", "Iran", "Iran").same
    assert people.compare("Bektenov", "Olzhas Bektenov").same


def test_near_misses_stay_apart():
    assert not people.compare("Ali Khan", "Imran Khan", "Pakistan", "Pakistan").same  # shared surname
    assert not people.compare("John Smith", "John Smith", "Canada", "Australia").same  # other country
    assert not people.compare("Ali Bagheri", "Ali Shamkhani", "Iran", "Iran").same


def test_same_meeting_in_two_articles_is_one_entry_and_disagreements_are_kept():
    a = _brief("a", _meeting(("Ana Soto", "Chile"), ("Rui Costa", "Portugal"), date="on Friday", city="Lisbon"))
    b = _brief("b", _meeting(("Rui Costa", "Portugal"), ("Ana Soto", "Chile"), date="Friday", city="Porto"))
    built = report.build([a, b])
    [merged] = built.meetings
    assert merged.sources == ["a", "b"]
    assert {(c.value, tuple(c.sources)) for c in merged.cities} == {("Lisbon", ("a",)), ("Porto", ("b",))}
    assert merged.disputed == ["date", "city"] or merged.disputed == ["city"]


def test_same_pair_on_different_days_is_two_meetings():
    import datetime as dt
    a = _brief("a", _meeting(("Ana Soto", "Chile"), ("Rui Costa", "Portugal"), date="on Monday"))
    b = _brief("b", _meeting(("Ana Soto", "Chile"), ("Rui Costa", "Portugal"), date="on Thursday"))
    c = _brief("c", _meeting(("Ana Soto", "Chile"), ("Rui Costa", "Portugal"), iso=dt.date(2024, 5, 1)),
               _meeting(("Ana Soto", "Chile"), ("Rui Costa", "Portugal"), iso=dt.date(2024, 6, 1)))
    assert len(report.build([a, b]).meetings) == 2
    assert len(report.build([c]).meetings) == 2  # one article's meetings are never merged together


def test_report_of_the_seeds_through_the_cli(server: ScriptedServer, tmp_path: Path):
    env = {"OPENAI_BASE_URL": server.url, "OPENAI_API_KEY": "k", "SUMMARIZER_CACHE_DIR": str(tmp_path / "c")}
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["report", "seeds/", "--out", str(out)], env=env)
    assert result.exit_code == 0, result.output
    md = (out / "report.md").read_text()
    for section in ("## Timeline", "## Meetings by country pair", "## People index", "## Open invitations",
                    "## Cooperation areas by country pair", "## Dates resolved"):
        assert section in md
    meetings = list(csv.DictReader((out / "meetings.csv").open()))
    shamkhani = [m for m in meetings if "Shamkhani" in m["people"]]
    assert len(shamkhani) == 1 and shamkhani[0]["sources"] == "001_c0d5be32047a8333; 002_f680a233e91578f6"
    aref_kasymaliev = [m for m in meetings if "Aref" in m["people"] and "Kasymaliev" in m["people"]]
    assert len(aref_kasymaliev) == 1 and "city" in aref_kasymaliev[0]["disputed"]
    rows = [json.loads(line) for line in (out / "participants.jsonl").read_text().splitlines()]
    kyrgyz_security = {r["person_id"] for r in rows if "Mossadeghov" in r["name"] or "Masadykov" in r["name"]}
    assert len(kyrgyz_security) == 1
    assert "'on Sunday' in 001_c0d5be32047a8333 -> 2021-12-05" in md
    html = (out / "report.html").read_text()
    assert "http://" not in html and "https://" not in html and "<script" not in html  # opens offline
    invitations = list(csv.DictReader((out / "invitations.csv").open()))
    caspian = [i for i in invitations if i["invitee"] == "Adylbek Kasymaliev"]
    assert len(caspian) == 1 and "000_53c3ff3e3e7fd5e7" in caspian[0]["source"] and "003" in caspian[0]["source"]


def test_report_from_brief_files_and_a_bad_one(tmp_path: Path):
    good = tmp_path / "a.json"
    good.write_text(_brief("a", _meeting(("Ana Soto", "Chile"), ("Rui Costa", "Portugal"))).model_dump_json())
    bad = tmp_path / "b.json"
    bad.write_text("{}")
    out = tmp_path / "r"
    assert CliRunner().invoke(app, ["report", str(good), "--out", str(out)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert b"Ana Soto" in before["report.md"]
    result = CliRunner().invoke(app, ["report", str(good), str(bad), "--out", str(out)])
    assert result.exit_code == 1
    assert f"error: {bad}: not a valid brief" in result.stderr
    assert "report not written: 1 of 2 input(s) failed" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # the previous report is whole


def test_report_takes_a_folder_of_briefs_and_a_quoted_glob(server: ScriptedServer, tmp_path: Path):
    """What `brief -f json -o DIR` writes is what `report` reads: the folder, or a glob the shell left alone."""
    env = {"OPENAI_BASE_URL": server.url, "OPENAI_API_KEY": "k", "SUMMARIZER_CACHE_DIR": str(tmp_path / "c")}
    briefs = tmp_path / "briefs"
    assert CliRunner().invoke(app, ["brief", "seeds/", "-f", "json", "-o", str(briefs), "-q"], env=env).exit_code == 0
    assert len(list(briefs.glob("*.json"))) == 5
    sent = len(server.requests)
    for given in (str(briefs), str(briefs / "*.json"), str(briefs / "00[0-2]*.json")):
        out = tmp_path / f"report-{len(given)}"
        result = CliRunner().invoke(app, ["report", given, "--out", str(out)], env=env)
        assert result.exit_code == 0, (given, result.output)
        expected = sorted(p.stem for p in briefs.glob("*.json"))[: 3 if "[0-2]" in given else 5]
        assert f"from {len(expected)} brief(s)" in result.stdout, given
        sources = {s for line in (out / "meetings.jsonl").read_text().splitlines()
                   for s in json.loads(line)["sources"].split("; ")}
        assert sorted(sources) == expected, given
    assert len(server.requests) == sent  # briefs on disk: no model call
