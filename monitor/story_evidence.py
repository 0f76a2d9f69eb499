"""Whether two articles report the same story, from several kinds of evidence, and why.

Wording alone fails both ways: an outlet's templated bulletins share most of their sentences yet report
different days, and a rewrite in new words shares few sentences yet repeats the same ten figures. So a pair
of articles is judged on:

* wording: containment of 3-word shingles (monitor.similarity) in the texts with the outlets' recurring
  lines left out (monitor.recurring_lines);
* figures: the specific numbers both report (from the tagger), counting the same things;
* actors: the organisations, people and places both name, and whether both name people or places but
  none in common (two raids the same day by one agency, in different districts, with different suspects);
* time: hours between publication. A follow-up a day or two later, with new facts, is its own story: an
  analyst must see a new development in the list under its own date, not folded into yesterday's story.

`judge` runs the RULES in order; the first that decides gives the verdict, and its name is kept with the
article (StoryArticle.evidence) so the story page can say why it joined. Every threshold was chosen with
benchmarks/stories.py on its development seeds (DEVELOPMENT_SEEDS) and checked on seeds whose errors nobody
read (the README's tables).

Not for: finding candidates (monitor.stories asks the database's candidate index) or anything needing Django.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from monitor import similarity
from monitor.nlp import Analysis

# Two articles of one outlet are one story only as an update or repost of the same report: the shorter
# must be nearly all in the longer. Bulletins sharing a template reach ~0.6 before the template is learned.
SAME_OUTLET_WORDING = 0.80
# ... and report mostly the same figures (an update may correct one or add some).
SAME_OUTLET_FIGURE_SHARE = 0.5
# Different outlets: a near copy (wire copy, a repost) by the threshold monitor.similarity's benchmark chose.
VERBATIM_WORDING = similarity.VERBATIM_THRESHOLD
# Both report at least this many figures and share less than this share of the fewer: different reports.
FEW_FIGURES_FROM = 3
FEW_FIGURES_SHARE = 0.51
# Figures below this are too common to say anything ("two suspects", "5 districts")...
MIN_FIGURE = 10.0
# ... except as small counts (StoryFeatures.small), from this value up: "one" is mostly not a count.
SMALL_COUNT_FROM = 2
# A value with this many significant digits (1,447; 7,984) is specific enough that two texts reporting it
# count the same thing, whatever words they use for it.
SPECIFIC_DIGITS = 3
MAX_NAMES = 12

_WORD = re.compile(r"[a-z]{3,}")
_DURATIONS = frozenset("second seconds minute minutes hour hours day days week weeks month months year years "
                       "decade decades".split())
_STOP = frozenset("the and for with from that this were was are has have had its their into over under about"
                  .split())


@dataclass(frozen=True)
class FigureKey:
    value: str  # the value and unit, e.g. "1447" or "2.5e+09 PKR"
    counts: frozenset[str]  # content words of what it counts
    shown: str  # for people: "1,447 websites"

    def agrees_with(self, other: FigureKey) -> bool:
        if self.value != other.value:
            return False
        return _specific(self.value) or not self.counts or not other.counts or bool(self.counts & other.counts)


@dataclass(frozen=True)
class StoryFeatures:
    """What an article reports, beyond its words: figures and the organisations, people and places it names."""

    figures: tuple[FigureKey, ...] = ()
    organisations: frozenset[str] = frozenset()
    people: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    # Counts from SMALL_COUNT_FROM to under MIN_FIGURE with the words for what they count ("three soldiers
    # martyred", "9 khawarij"): too common to be figures, but the casualty counts of one operation.
    small: tuple[FigureKey, ...] = ()

    def to_json(self) -> dict[str, Any]:
        data = {"figures": _figures_to_json(self.figures), "organisations": sorted(self.organisations),
                "people": sorted(self.people), "places": sorted(self.places)}
        if self.small:
            data["small"] = _figures_to_json(self.small)
        return data

    def within(self, text: str) -> StoryFeatures:
        """The people and places `text` itself mentions: those left once an outlet's recurring lines (a
        "Related" list, a columnist's byline) are taken out. Figures and organisations stay: a template's
        slots (the day's figures in a bulletin) are recurring lines too, and they are the evidence."""
        folded = text.casefold()

        def mentioned(name: str) -> bool:
            return name.casefold() in folded or name.split()[-1].casefold() in folded

        return StoryFeatures(figures=self.figures, organisations=self.organisations, small=self.small,
                             people=frozenset(p for p in self.people if mentioned(p)),
                             places=frozenset(p for p in self.places if mentioned(p)))

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> StoryFeatures:
        if not data:
            return cls()
        return cls(figures=_figures_from_json(data.get("figures", [])),
                   organisations=frozenset(data.get("organisations", [])), people=frozenset(data.get("people", [])),
                   places=frozenset(data.get("places", [])), small=_figures_from_json(data.get("small", [])))


def _figures_to_json(figures: tuple[FigureKey, ...]) -> list[list[Any]]:
    return [[f.value, sorted(f.counts), f.shown] for f in figures]


def _figures_from_json(rows: list[list[Any]]) -> tuple[FigureKey, ...]:
    return tuple(FigureKey(value, frozenset(counts), shown) for value, counts, shown in rows)


def features_from_analysis(analysis: Analysis) -> StoryFeatures:
    figures: dict[str, FigureKey] = {}
    small: dict[str, FigureKey] = {}
    for figure in analysis.figures:
        value = figure.value
        if value is None or _is_year(value, figure.text, figure.unit):
            continue
        counts = frozenset(w for w in _WORD.findall((figure.counts or "").casefold()) if w not in _STOP)
        if counts and counts <= _DURATIONS:
            continue  # "in the past 24 hours": when, not what was reported
        if value < MIN_FIGURE:
            if value >= SMALL_COUNT_FROM and float(value).is_integer() and counts and not figure.unit:
                small.setdefault(f"{value:.15g}|{' '.join(sorted(counts))}",
                                 FigureKey(f"{value:.15g}", counts, figure.text[:80]))
            continue
        key = f"{value:.15g}" + (f" {figure.unit}" if figure.unit else "")
        counts_text = figure.counts or ""
        shown = figure.text if counts_text.casefold() in figure.text.casefold() else f"{figure.text} {counts_text}"
        figures.setdefault(key, FigureKey(key, counts, shown[:80]))

    def names(items: Iterable[Any]) -> frozenset[str]:
        ranked = sorted(items, key=lambda item: -item.count)
        return frozenset(item.name for item in ranked[:MAX_NAMES])

    return StoryFeatures(figures=tuple(figures.values()), organisations=names(analysis.organisations),
                         people=names(analysis.people), places=names(analysis.places), small=tuple(small.values()))


def feature_keys(features: StoryFeatures, published_at: datetime | None, *, brief: bool,
                 neighbours: bool = False) -> list[int]:
    """Candidate-index keys for what an article reports, so a rewrite in new words still meets its original:
    one per specific figure and per person, in the article's week, and for briefs one per place, on its day.

    Tied to a week or a day so a key's articles are one week's news, never a growing share of the archive.
    With `neighbours`, the keys of the weeks (days) either side too: what a new article looks up.
    """
    if published_at is None:
        return []
    day = published_at.toordinal()
    weeks = range(day // 7 - 1, day // 7 + 2) if neighbours else [day // 7]
    days = range(day - 1, day + 2) if neighbours else [day]
    parts = [f"figure|{f.value}|{week}" for f in features.figures if _specific(f.value) for week in weeks]
    parts += [f"person|{name}|{week}" for name in sorted(features.people) for week in weeks]
    if brief:
        parts += [f"place|{name}|{d}" for name in sorted(features.places) for d in days]
    return [int.from_bytes(hashlib.blake2b(part.encode(), digest_size=8).digest(), "little", signed=True)
            for part in parts]


def is_brief(text: str) -> bool:
    return len(text.split()) < BRIEF_WORDS


# Remembered: clustering asks it of every figure of both articles of every pair judged, and the same values
# recur from pair to pair.
@functools.lru_cache(maxsize=65_536)
def _specific(value: str) -> bool:
    digits = value.split()[0].replace(".", "").lstrip("0").rstrip("0")
    return len(digits) >= SPECIFIC_DIGITS


def _is_year(value: float, text: str, unit: str | None) -> bool:
    return not unit and float(value).is_integer() and 1900 <= value <= 2100 and "," not in text


@dataclass(frozen=True, eq=False)
class ArticleSide:
    """One article as clustering sees it: outlet, time, and of its text without recurring lines, the shingles
    (sorted distinct hashes, monitor.similarity.shingle_hashes) and the word count; its features; and the word
    count of its whole text, which says whether it is a brief.

    Kept as hashes, not text, so a candidate stored earlier is compared without cutting its text up again
    (monitor.stories keeps them on StoryArticle)."""

    outlet: Any
    published_at: datetime | None
    shingles: npt.NDArray[np.uint32]
    words: int
    features: StoryFeatures = field(default_factory=StoryFeatures)
    # Words of the whole text, recurring lines included (None: as `words`): whether it is a brief.
    text_words: int | None = None

    @classmethod
    def of_text(cls, outlet: Any, published_at: datetime | None, body: str,
                features: StoryFeatures | None = None, text_words: int | None = None) -> ArticleSide:
        return cls(outlet, published_at, similarity.shingle_hashes(body), len(body.split()),
                   features or StoryFeatures(), text_words)

    @property
    def brief(self) -> bool:
        """A short report: its whole text under BRIEF_WORDS words. Not the text left without its outlet's
        recurring lines: a wire's 270-word report whose stock sentences have become recurring is no brief, and
        judged as one, with a brief's low bar, it joined other events' stories on a place and an agency."""
        return (self.text_words if self.text_words is not None else self.words) < BRIEF_WORDS


@dataclass(frozen=True)
class Evidence:
    wording: float  # containment of the shorter text's shingles in the longer's (Jaccard for short texts)
    short: bool
    brief: bool  # either text is under BRIEF_WORDS words: a breaking-news item
    shared_figures: tuple[str, ...]
    figure_share: float  # shared figures / figures of the article reporting fewer (0 when either has none)
    # The same, counting every equal value, whatever words each text uses for what it counts ("12 laptops",
    # "12 computers"): what "different figures" is judged on. Agreement needs the words too; disagreement
    # needs different numbers.
    value_share: float
    # Values both report whose words do not agree ("12 laptops", "12 computers"), as the later article words
    # them: weaker evidence than a shared figure, since small round values recur by chance.
    reworded_figures: tuple[str, ...]
    # Specific values that count the same thing but differ ("561,068 SIMs" against "368,000 SIMs"), neither
    # shared: the two texts report different facts.
    conflicting_figures: tuple[str, ...]
    other_places_each: bool  # each names a place the other does not
    fewer_figures: int
    organisations: tuple[str, ...]
    people: tuple[str, ...]
    places: tuple[str, ...]
    people_differ: bool  # both name people, none in common
    places_differ: bool
    hours_apart: float | None
    same_outlet: bool
    # Small counts both report, with words that agree ("three soldiers martyred", "3 soldiers"), as the later
    # article words them.
    shared_small: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"wording": round(self.wording, 3), "short": self.short, "brief": self.brief,
                "shared_figures": list(self.shared_figures), "reworded_figures": list(self.reworded_figures),
                "conflicting_figures": list(self.conflicting_figures), "shared_small": list(self.shared_small),
                "figure_share": round(self.figure_share, 3), "organisations": list(self.organisations),
                "people": list(self.people), "places": list(self.places),
                "hours_apart": None if self.hours_apart is None else round(self.hours_apart, 1),
                "same_outlet": self.same_outlet}


@dataclass(frozen=True)
class Verdict:
    same: bool
    kind: str  # "verbatim", "rewritten" or "update" when same; "" otherwise
    rule: str
    evidence: Evidence

    @property
    def strength(self) -> tuple[int, float]:
        """For choosing among several matching articles: near copies first, then wording and figures together."""
        return ({"verbatim": 2, "update": 2, "rewritten": 1}.get(self.kind, 0),
                self.evidence.wording + self.evidence.figure_share)

    def to_json(self) -> dict[str, Any]:
        return {"same": self.same, "kind": self.kind, "rule": self.rule, **self.evidence.to_json(),
                "points": evidence_points(self.evidence)}


def gather_evidence(earlier: ArticleSide, later: ArticleSide) -> Evidence:
    a, b = earlier.shingles, later.shingles
    short = min(a.size, b.size) < similarity.MIN_SHINGLES_FOR_CONTAINMENT
    if not a.size or not b.size:
        wording = 0.0
    else:
        common = similarity.shared_count(a, b)
        wording = common / (a.size + b.size - common) if short else common / min(a.size, b.size)
    by_value: dict[str, list[FigureKey]] = {}
    for g in earlier.features.figures:
        by_value.setdefault(g.value, []).append(g)
    shared: list[str] = []
    reworded: list[str] = []
    for f in later.features.figures:
        if f.value in by_value:
            (shared if any(f.agrees_with(g) for g in by_value[f.value]) else reworded).append(f.shown)
    same_values = len(shared) + len(reworded)
    conflicting = _conflicting(earlier.features.figures, later.features.figures)
    fewer = min(len(earlier.features.figures), len(later.features.figures))
    fa, fb = earlier.features, later.features
    people = _shared_people(fa.people, fb.people, min_words=2)
    hours = None
    if earlier.published_at is not None and later.published_at is not None:
        hours = abs((later.published_at - earlier.published_at).total_seconds()) / 3600
    brief = earlier.brief or later.brief
    return Evidence(
        wording=wording, short=short, brief=brief, shared_figures=tuple(shared), fewer_figures=fewer,
        figure_share=len(shared) / fewer if fewer else 0.0,
        value_share=same_values / fewer if fewer else 0.0, reworded_figures=tuple(reworded),
        conflicting_figures=tuple(conflicting), other_places_each=bool(fa.places - fb.places and fb.places - fa.places),
        organisations=tuple(sorted(fa.organisations & fb.organisations)),
        people=people, places=tuple(sorted(fa.places & fb.places)),
        # A surname alone ("Jadoon") is too weak to count as the same person, but enough to doubt that the
        # texts name different people.
        people_differ=bool(fa.people and fb.people and not people
                           and not _shared_people(fa.people, fb.people, min_words=1)),
        places_differ=bool(fa.places and fb.places and not fa.places & fb.places),
        hours_apart=hours, same_outlet=earlier.outlet == later.outlet,
        shared_small=tuple(f.shown for f in fb.small if any(f.agrees_with(g) for g in fa.small)),
    )


def _conflicting(earlier: tuple[FigureKey, ...], later: tuple[FigureKey, ...]) -> list[str]:
    """The later text's specific figures that count what one of the earlier's specific figures counts, with
    another value, where neither value is in the other text: "368,000 SIMs" against "561,068 SIMs"."""
    later_values = {f.value for f in later}
    # What the earlier text's specific figures missing from the later one count.
    counted = [g.counts for g in earlier if g.value not in later_values and _specific(g.value)]
    if not counted:
        return []
    earlier_values = {g.value for g in earlier}
    return [f.shown for f in later if f.value not in earlier_values and f.counts and _specific(f.value)
            and any(f.counts & counts for counts in counted)]


def _shared_people(earlier: frozenset[str], later: frozenset[str], *, min_words: int) -> tuple[str, ...]:
    """The later article's people who are one of the earlier's: the same name, or one written shorter, down
    to `min_words` words, keeping the last ("Sohail Bugti" is "Jamal Sohail Bugti"; with one word, "Jadoon"
    is "Saima Jadoon"). Rewrites drop first names and honorifics; the same surname alone could be a relative."""
    if not earlier or not later:
        return ()
    by_last = _by_last_word(earlier)  # _same_person needs the same last word
    return tuple(sorted(name for name, mine in _name_words(later)
                        if any(_same_person(mine, theirs, min_words) for theirs in by_last.get(_last(mine), ()))))


# Remembered by set of names: an article's people are compared with each of its candidates', twice a pair,
# and a candidate's with one new article after another.
@functools.lru_cache(maxsize=16_384)
def _name_words(names: frozenset[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each name with its words in lower case."""
    return tuple((name, tuple(name.casefold().split())) for name in names)


@functools.lru_cache(maxsize=16_384)
def _by_last_word(names: frozenset[str]) -> dict[str, list[tuple[str, ...]]]:
    """The names' words (_name_words) by their last word. Shared by every caller: read it, never change it."""
    found: dict[str, list[tuple[str, ...]]] = {}
    for _, words in _name_words(names):
        found.setdefault(_last(words), []).append(words)
    return found


def _last(words: tuple[str, ...]) -> str:
    return words[-1] if words else ""


def _same_person(a: tuple[str, ...], b: tuple[str, ...], min_words: int) -> bool:
    if a == b:
        return True
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return len(short) >= max(min_words, 1) and short[-1] == long[-1] and set(short) <= set(long)


# ------------------------------------------------------------------ the rules, in the order they run

Rule = Callable[[Evidence], Verdict | None]


def same_outlet(e: Evidence) -> Verdict | None:
    """One outlet's two articles: an update or repost of one report, else two reports, however alike."""
    if not e.same_outlet:
        return None
    figures_agree = e.fewer_figures < 2 or e.figure_share >= SAME_OUTLET_FIGURE_SHARE
    if e.wording >= SAME_OUTLET_WORDING and figures_agree:
        return Verdict(True, "update", "same-outlet-update", e)
    return Verdict(False, "", "same-outlet-other-report", e)


def near_copy(e: Evidence) -> Verdict | None:
    """Wire copy and reposts: most of the shorter text's wording is in the longer."""
    return Verdict(True, "verbatim", "near-copy", e) if e.wording >= VERBATIM_WORDING else None


def different_actors(e: Evidence) -> Verdict | None:
    """Both name people and places, and share none of either: two events, however alike the agency."""
    return Verdict(False, "", "different-people-and-places", e) if e.people_differ and e.places_differ else None


# Points for each kind of evidence in weigh_evidence; a pair is one story at SAME_STORY_POINTS or more.
POINTS_PER_SHARED_FIGURE = 2.5
POINTS_PER_REWORDED_FIGURE = 1.0
POINTS_PER_SHARED_PERSON = 2.0
POINTS_PER_SHARED_PLACE = 0.75
POINTS_PER_SHARED_ORGANISATION = 0.5
POINTS_PER_SHARED_SMALL_COUNT = 1.5  # only between long reports at most SMALL_COUNT_HOURS apart
MAX_SMALL_COUNTS = 2
SMALL_COUNT_HOURS = 6.0
MAX_COUNTED_PER_KIND = 3
POINTS_PER_WORDING = 12.0  # times the containment: 0.25 of the wording in common is worth 3 points
PEOPLE_DIFFER_POINTS = -3.0
PLACES_DIFFER_POINTS = -1.5
FEW_FIGURES_POINTS = -3.0  # both report FEW_FIGURES_FROM or more figures and share under FEW_FIGURES_SHARE
CONFLICTING_FIGURES_POINTS = -3.0  # a brief: another specific value for what the other counts, none shared
HOURS_BEFORE_PENALTY = 12.0
POINTS_PER_LATER_HOUR = -1 / 6  # after HOURS_BEFORE_PENALTY: a day later costs 2 points, two days 6
SAME_STORY_POINTS = 6.0
# Briefs have few words, figures and names to share: the same place and organisation within hours is
# taken as enough. Two different briefs on one agency in one place on the same morning will be merged.
BRIEF_WORDS = 100
BRIEF_SAME_STORY_POINTS = 1.25
# Wording two briefs share, short of a near copy, is mostly stock sentences: an agency's boilerplate that
# every outlet repeats, a dateline formula. It counts for at most this much, so two different ISPR briefs
# from Rawalpindi cannot join on it; briefs join on names, figures and time, or as near copies.
BRIEF_MAX_WORDING_POINTS = 1.0


def evidence_points(e: Evidence) -> dict[str, float]:
    """The points each kind of evidence gives the pair: positive for agreement, negative against."""
    points = {
        "figures": POINTS_PER_SHARED_FIGURE * min(len(e.shared_figures), MAX_COUNTED_PER_KIND),
        "people": POINTS_PER_SHARED_PERSON * min(len(e.people), MAX_COUNTED_PER_KIND),
        "places": POINTS_PER_SHARED_PLACE * min(len(e.places), MAX_COUNTED_PER_KIND),
        "organisations": POINTS_PER_SHARED_ORGANISATION * min(len(e.organisations), MAX_COUNTED_PER_KIND),
        "wording": POINTS_PER_WORDING * e.wording,
        "reworded figures": POINTS_PER_REWORDED_FIGURE * min(len(e.reworded_figures), MAX_COUNTED_PER_KIND),
    }
    # Two long reports of one operation within hours give the same casualty counts in their own words; a
    # follow-up a day later repeats them too, so they count only close together. Not for briefs, where they
    # joined different operations' briefs (tried at an earlier stop).
    if not e.brief and e.hours_apart is not None and e.hours_apart <= SMALL_COUNT_HOURS:
        points["small counts"] = POINTS_PER_SHARED_SMALL_COUNT * min(len(e.shared_small), MAX_SMALL_COUNTS)
    if e.brief:
        points["wording"] = min(points["wording"], BRIEF_MAX_WORDING_POINTS)
    # A brief names too few people and numbers for the ones it leaves out to count against it.
    if e.people_differ and not e.brief:
        points["different people"] = PEOPLE_DIFFER_POINTS
    # A brief names the place it happened, beside any it shares (often the dateline where the statement was
    # issued: RAWALPINDI for every ISPR statement): two briefs that each name a place the other does not
    # report events in different places.
    if e.places_differ or (e.brief and e.other_places_each):
        points["different places"] = PLACES_DIFFER_POINTS
    if e.fewer_figures >= FEW_FIGURES_FROM and e.value_share < FEW_FIGURES_SHARE and not e.brief:
        points["different figures"] = FEW_FIGURES_POINTS
    # A brief is mostly its one fact: another value for that fact is another report. Not for long reports,
    # which break a total down ("1,589 bank accounts in Punjab") and share the rest.
    if e.brief and e.conflicting_figures and not e.shared_figures:
        points["conflicting figures"] = CONFLICTING_FIGURES_POINTS
    if e.hours_apart is not None and e.hours_apart > HOURS_BEFORE_PENALTY:
        points["time apart"] = POINTS_PER_LATER_HOUR * (e.hours_apart - HOURS_BEFORE_PENALTY)
    return {name: round(value, 2) for name, value in points.items() if value}


def weigh_evidence(e: Evidence) -> Verdict:
    """Everything else: figures, people, places, organisations and wording in common, against different
    people, places and figures and time apart (a follow-up a day or two later is its own story)."""
    total = sum(evidence_points(e).values())
    needed = BRIEF_SAME_STORY_POINTS if e.brief else SAME_STORY_POINTS
    if total >= needed:
        return Verdict(True, "rewritten", "weighed-evidence", e)
    return Verdict(False, "", "weighed-evidence", e)


RULES: tuple[Rule, ...] = (same_outlet, near_copy, different_actors, weigh_evidence)


def judge(earlier: ArticleSide, later: ArticleSide) -> Verdict:
    """Whether `later` reports the same story as `earlier`, and the rule that decided."""
    evidence = gather_evidence(earlier, later)
    for rule in RULES:
        verdict = rule(evidence)
        if verdict is not None:
            return verdict
    return Verdict(False, "", "too-little-in-common", evidence)


# A match through one member of a story is vetoed when the story's first report clearly disagrees: judged a
# different report by a rule, or weighed at this many points or fewer. It stops a chain of likenesses (a
# follow-up like a rewrite like the original) from pulling a different report into the story.
FIRST_REPORT_VETO_POINTS = 0.0


def first_report_disagrees(verdict: Verdict) -> bool:
    """Whether the story's first report, judged against a newcomer that matched another member, vetoes it."""
    if verdict.same:
        return False
    if verdict.rule != "weighed-evidence":
        return True
    return sum(evidence_points(verdict.evidence).values()) <= FIRST_REPORT_VETO_POINTS


# ------------------------------------------------------------------ saying why, for the story page

_COUNT_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}
RULE_LABELS = {
    "same-outlet-update": "an update of the same outlet's report",
    "near-copy": "a near copy",
    "weighed-evidence": "a rewrite of the same report",
    "analyst-merge": "merged by an analyst",
    "analyst-split": "split out by an analyst",
}


def describe(evidence: dict[str, Any]) -> str:
    """One sentence for people: "grouped as a near copy: 10 shared figures, the same three organisations ..."."""
    rule = str(evidence.get("rule", ""))
    parts = []
    figures = evidence.get("shared_figures") or []
    if figures:
        parts.append(f"{_number(len(figures))} shared figure{'s' if len(figures) != 1 else ''}")
    reworded = evidence.get("reworded_figures") or []
    if reworded:
        parts.append(f"{_number(len(reworded))} more value{'s' if len(reworded) != 1 else ''} in common, worded "
                     f"differently ({', '.join(reworded[:3])})")
    small = evidence.get("shared_small") or []
    if small and (evidence.get("points") or {}).get("small counts"):
        parts.append(f"the same small count{'s' if len(small) != 1 else ''} ({', '.join(small[:3])})")
    for kind in ("organisations", "people", "places"):
        names = evidence.get(kind) or []
        if names:
            singular = {"organisations": "organisation", "people": "person", "places": "place"}[kind]
            parts.append(f"the same {_number(len(names))} {kind if len(names) != 1 else singular}"
                         if len(names) > 1 else f"the same {singular} ({names[0]})")
    hours = evidence.get("hours_apart")
    if hours is not None:
        parts.append("published within the hour" if hours < 1 else
                     f"published {round(hours):,} hour{'s' if round(hours) != 1 else ''} apart")
    if "wording" in evidence:
        parts.append(f"{round(100 * float(evidence['wording']))}% of the wording in common")
    label = RULE_LABELS.get(rule, rule.replace("-", " "))
    return f"{label}: {', '.join(parts)}" if parts else label


def _number(n: int) -> str:
    return _COUNT_WORDS.get(n, f"{n:,}")
