"""Scoring predicted briefs against hand-labelled gold briefs, as the spec's scoring section says.

1. Meetings are aligned one-to-one by participant overlap (best total overlap).
2. A predicted person matches a gold person when the folded name equals the gold
   name or an alias, or the surnames match with fuzzy ratio >= 0.85.
3. Fields are micro-averaged over all articles; unmatched meetings count as
   misses (gold) or false alarms (predicted) for every field.
4. Grounding: share of predicted evidence quotes verbatim in the article.
5. Overall: mean of participant F1, venue-city accuracy, areas F1, invitations F1.

Each difference from gold also falls in one error class (``ErrorClass``), counted
over a set so the next fix is chosen by count. People, areas and invitations are
classed within aligned meetings (an unaligned meeting is one missed/extra meeting);
a predicted and a gold invitation with the same invitee that fail only on the
inviter are one "wrong inviter" rather than a miss and a false alarm (the scores
still count them as both, as the spec says); a failed article is only that.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from rapidfuzz import fuzz

from . import grounding
from .schema import Brief, Invitation, Meeting, Participant

SURNAME_RATIO = 85  # rapidfuzz ratios are 0..100; the spec's 0.85


def _key(name: str | None) -> str:
    return grounding.name_key(name or "")


def person_matches(predicted: str | None, gold_name: str | None, gold_aliases: list[str] = ()) -> bool:
    p = _key(predicted)
    if not p or not gold_name:
        return False
    if p == _key(gold_name) or any(p == _key(a) for a in gold_aliases):
        return True
    p_last, g_last = p.split()[-1], _key(gold_name).split()[-1]
    return fuzz.ratio(p_last, g_last) >= SURNAME_RATIO


def _participant_match(p: Participant, g: Participant) -> bool:
    return person_matches(p.name, g.name, g.aliases)


def _one_to_one(pred: list[Any], gold: list[Any], match: Any) -> list[tuple[int, int]]:
    """Greedy one-to-one pairing in order (people within a meeting are few and distinct)."""
    pairs, used = [], set()
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            if j not in used and match(p, g):
                pairs.append((i, j))
                used.add(j)
                break
    return pairs


def _overlap(p: Meeting, g: Meeting) -> int:
    return len(_one_to_one(p.participants, g.participants, _participant_match))


def align_meetings(pred: list[Meeting], gold: list[Meeting]) -> list[tuple[int, int]]:
    """One-to-one pairs (pred index, gold index) with the best total participant overlap."""
    if not pred or not gold:
        return []
    overlap = [[_overlap(p, g) for g in gold] for p in pred]
    best: tuple[int, list[tuple[int, int]]] = (-1, [])
    small, large = (pred, gold) if len(pred) <= len(gold) else (gold, pred)
    for perm in itertools.permutations(range(len(large)), len(small)):
        pairs = [(i, j) if small is pred else (j, i) for i, j in enumerate(perm)]
        total = sum(overlap[i][j] for i, j in pairs)
        if total > best[0]:
            best = (total, pairs)
    return sorted((i, j) for i, j in best[1] if overlap[i][j] > 0)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else (1.0 if not self.fp else 0.0)

    @property
    def f1(self) -> float:
        if not (self.tp or self.fp or self.fn):
            return 1.0  # nothing to find and nothing claimed
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Accuracy:
    correct: int = 0
    total: int = 0

    def add(self, other: Accuracy) -> None:
        self.correct += other.correct
        self.total += other.total

    @property
    def value(self) -> float:
        return self.correct / self.total if self.total else 1.0


PRF_FIELDS = ("participants", "areas", "invitations")
ACC_FIELDS = ("title", "country", "venue_city", "venue_country", "meeting_count", "grounding")


class ErrorClass(str, Enum):
    missed_meeting = "missed meeting"
    extra_meeting = "extra meeting"
    missed_person = "missed person"
    extra_person = "extra person"
    wrong_title = "wrong title"
    wrong_country = "wrong country"
    wrong_city = "wrong city"
    wrong_venue_country = "wrong venue country"
    missed_area = "missed area"
    extra_area = "extra area"
    missed_invitation = "missed invitation"
    extra_invitation = "extra invitation"
    wrong_inviter = "wrong inviter"
    wrong_meeting_count = "wrong meeting count"
    failed_article = "failed article"


@dataclass
class ArticleScore:
    article_id: str
    prf: dict[str, Counts] = field(default_factory=lambda: {f: Counts() for f in PRF_FIELDS})
    acc: dict[str, Accuracy] = field(default_factory=lambda: {f: Accuracy() for f in ACC_FIELDS})
    differences: list[str] = field(default_factory=list)
    errors: Counter[ErrorClass] = field(default_factory=Counter)

    def note(self, kind: ErrorClass, text: str, count: int = 1) -> None:
        """One difference from gold, in words and in its class (``count`` items, e.g. three missed areas)."""
        self.differences.append(text)
        self.errors[kind] += count

    @property
    def overall(self) -> float:
        return overall(self.prf, self.acc)


def overall(prf: dict[str, Counts], acc: dict[str, Accuracy]) -> float:
    return (prf["participants"].f1 + acc["venue_city"].value + prf["areas"].f1 + prf["invitations"].f1) / 4


def _same_text(a: str | None, b: str | None) -> bool:
    return _key(a) == _key(b)


def _invitation_match(p: Invitation, g: Invitation) -> bool:
    if not person_matches(p.invitee, g.invitee):
        return False
    return g.inviter is None or person_matches(p.inviter, g.inviter)


def _unmatched(items: list[Any], pairs: list[tuple[int, int]], side: int) -> list[Any]:
    hit = {pair[side] for pair in pairs}
    return [x for k, x in enumerate(items) if k not in hit]


def _matched(s: ArticleScore, pred: list[Any], gold: list[Any], pairs: list[tuple[int, int]], what: str,
             show: Any, extra: ErrorClass, missed: ErrorClass) -> Counts:
    """Counts for a one-to-one matching, noting each unmatched item as extra or missed."""
    for x in _unmatched(pred, pairs, 0):
        s.note(extra, f"{what.format('extra')} {show(x)}")
    for x in _unmatched(gold, pairs, 1):
        s.note(missed, f"{what.format('missed')} {show(x)}")
    return Counts(len(pairs), len(pred) - len(pairs), len(gold) - len(pairs))


def _compare(s: ArticleScore, acc: Accuracy, predicted: str | None, gold_value: str | None, what: str,
             kind: ErrorClass) -> None:
    """Accuracy over non-null gold values (a null gold field is not scored)."""
    if gold_value is None:
        return
    ok = _same_text(predicted, gold_value)
    acc.add(Accuracy(int(ok), 1))
    if not ok:
        s.note(kind, f"{what} {predicted!r}, gold {gold_value!r}")


def _invitations(s: ArticleScore, pred: list[Invitation], gold: list[Invitation], where: str) -> Counts:
    pairs = _one_to_one(pred, gold, _invitation_match)
    extra, missed = _unmatched(pred, pairs, 0), _unmatched(gold, pairs, 1)
    # Same invitee, other inviter: one wrong inviter in the classes (still a miss and a false alarm in the counts).
    wrong = _one_to_one(extra, missed, lambda p, g: person_matches(p.invitee, g.invitee))
    for a, b in wrong:
        s.note(ErrorClass.wrong_inviter,
               f"{where}: wrong inviter {extra[a].inviter!r} for {missed[b].invitee}, gold {missed[b].inviter!r}")
    for x in _unmatched(extra, wrong, 0):
        s.note(ErrorClass.extra_invitation, f"{where}: extra invitation {x.inviter} -> {x.invitee}")
    for x in _unmatched(missed, wrong, 1):
        s.note(ErrorClass.missed_invitation, f"{where}: missed invitation {x.inviter} -> {x.invitee}")
    return Counts(len(pairs), len(pred) - len(pairs), len(gold) - len(pairs))


def _who(m: Meeting) -> str:
    return " / ".join(p.name for p in m.participants) or "(nobody)"


def score_article(pred: Brief, gold: Brief, text: str | None = None, failed: bool = False) -> ArticleScore:
    """Score one article; ``failed`` (no brief came out) scores ``pred`` (then empty) and classes it only as failed."""
    s = ArticleScore(gold.article_id)
    pairs = align_meetings(pred.meetings, gold.meetings)
    matched_pred = {i for i, _ in pairs}
    matched_gold = {j for _, j in pairs}

    for i, p in enumerate(pred.meetings):  # false alarms
        if i not in matched_pred:
            s.prf["participants"].fp += len(p.participants)
            s.prf["areas"].fp += len({a.area for a in p.agreed_areas})
            s.prf["invitations"].fp += len(p.invitations)
            s.note(ErrorClass.extra_meeting, f"extra meeting: {_who(p)}")
    for j, g in enumerate(gold.meetings):  # misses
        if j not in matched_gold:
            s.prf["participants"].fn += len(g.participants)
            s.prf["areas"].fn += len({a.area for a in g.agreed_areas})
            s.prf["invitations"].fn += len(g.invitations)
            for name in ("city", "country"):
                if getattr(g.venue, name) is not None:
                    s.acc[f"venue_{name}"].total += 1
            s.note(ErrorClass.missed_meeting, f"missed meeting: {_who(g)}")

    for i, j in pairs:
        p, g = pred.meetings[i], gold.meetings[j]
        where = f"meeting {j + 1}"
        people = _one_to_one(p.participants, g.participants, _participant_match)
        s.prf["participants"].add(_matched(s, p.participants, g.participants, people, f"{where}: {{}} participant",
                                           lambda x: x.name, ErrorClass.extra_person, ErrorClass.missed_person))
        for a, b in people:
            pp, gp = p.participants[a], g.participants[b]
            _compare(s, s.acc["title"], pp.title, gp.title, f"{where}: {gp.name} title", ErrorClass.wrong_title)
            _compare(s, s.acc["country"], pp.country, gp.country, f"{where}: {gp.name} country",
                     ErrorClass.wrong_country)
        _compare(s, s.acc["venue_city"], p.venue.city, g.venue.city, f"{where}: venue city", ErrorClass.wrong_city)
        _compare(s, s.acc["venue_country"], p.venue.country, g.venue.country, f"{where}: venue country",
                 ErrorClass.wrong_venue_country)
        p_areas, g_areas = {a.area for a in p.agreed_areas}, {a.area for a in g.agreed_areas}
        s.prf["areas"].add(Counts(len(p_areas & g_areas), len(p_areas - g_areas), len(g_areas - p_areas)))
        if p_areas - g_areas:
            s.note(ErrorClass.extra_area, f"{where}: extra areas {sorted(a.value for a in p_areas - g_areas)}",
                   len(p_areas - g_areas))
        if g_areas - p_areas:
            s.note(ErrorClass.missed_area, f"{where}: missed areas {sorted(a.value for a in g_areas - p_areas)}",
                   len(g_areas - p_areas))
        s.prf["invitations"].add(_invitations(s, p.invitations, g.invitations, where))

    ok_count = len(pred.meetings) == len(gold.meetings)
    s.acc["meeting_count"].add(Accuracy(int(ok_count), 1))
    if not ok_count:
        s.note(ErrorClass.wrong_meeting_count, f"meeting count {len(pred.meetings)}, gold {len(gold.meetings)}")
    if text is not None:
        quotes = [x.evidence for m in pred.meetings for x in (*m.agreed_areas, *m.invitations) if x.evidence]
        found = sum(grounding.whitespace_verbatim(q, text) for q in quotes)
        s.acc["grounding"].add(Accuracy(found, len(quotes)))
    if failed:  # its misses have one cause; counting them as missed meetings would hide it
        s.errors = Counter({ErrorClass.failed_article: 1})
        s.differences.insert(0, "failed: no brief")
    return s


@dataclass
class Report:
    articles: list[ArticleScore]

    def totals(self) -> tuple[dict[str, Counts], dict[str, Accuracy]]:
        prf = {f: Counts() for f in PRF_FIELDS}
        acc = {f: Accuracy() for f in ACC_FIELDS}
        for a in self.articles:
            for f in PRF_FIELDS:
                prf[f].add(a.prf[f])
            for f in ACC_FIELDS:
                acc[f].add(a.acc[f])
        return prf, acc

    @property
    def overall(self) -> float:
        return overall(*self.totals())

    def fields(self) -> dict[str, float]:
        prf, acc = self.totals()
        out: dict[str, float] = {}
        for f in PRF_FIELDS:
            out[f"{f}_precision"] = prf[f].precision
            out[f"{f}_recall"] = prf[f].recall
            out[f"{f}_f1"] = prf[f].f1
        for f in ACC_FIELDS:
            out[f"{f}_accuracy" if f != "grounding" else "grounding_rate"] = acc[f].value
        out["overall"] = overall(prf, acc)
        return out

    def error_classes(self) -> dict[ErrorClass, dict[str, int]]:
        """Every class (most frequent first) with the articles where it occurs and how often in each."""
        out: dict[ErrorClass, dict[str, int]] = {kind: {} for kind in ErrorClass}
        for a in self.articles:
            for kind, n in a.errors.items():
                if n:
                    out[kind][a.article_id] = n
        return dict(sorted(out.items(), key=lambda kv: -sum(kv[1].values())))

    def as_dict(self) -> dict[str, Any]:
        return {
            "fields": self.fields(),
            "error_classes": {kind.value: {"count": sum(where.values()), "articles": where}
                              for kind, where in self.error_classes().items()},
            "articles": {
                a.article_id: {"overall": a.overall,
                               **{f"{f}_f1": a.prf[f].f1 for f in PRF_FIELDS},
                               "venue_city_accuracy": a.acc["venue_city"].value,
                               "differences": a.differences,
                               "error_classes": {k.value: n for k, n in a.errors.items() if n}}
                for a in self.articles
            },
        }


def score(pairs: list[tuple[Brief, Brief, str | None]], failed: set[str] | frozenset[str] = frozenset()) -> Report:
    """Score (predicted, gold, article text) triples; a missing prediction should be an empty Brief,
    its article id in ``failed``."""
    return Report([score_article(p, g, t, g.article_id in failed) for p, g, t in pairs])
