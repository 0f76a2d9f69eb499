"""Has a source's volume suddenly changed? A robust z-score of its last few days against its own baseline.

The test, for one source, from its items per day (`sources.models.SourceDay`):

* *Recent*: the last `RECENT_DAYS` complete days (today is left out: it is not over yet).
* *Baseline*: the days before those, back to `BASELINE_DAYS`, but never before the source's history starts
  (days before it was added are not zeros). Fewer than `MIN_BASELINE_DAYS` days: no verdict.
* *Expected*: for each recent day, the median of the baseline days that fell on the same weekday. A press
  office that publishes on weekdays only has quiet weekends; comparing Monday's window (Fri, Sat, Sun) with a
  plain median of all days would flag it every week.
* *Noise*: the median absolute deviation (MAD) of the baseline days from their weekday medians, scaled by
  1.4826 to stand for a standard deviation, and never less than the Poisson noise of the expected count
  (√expected), so a very regular source (MAD 0) does not make every wobble look significant.
* *Verdict*: z = (observed − expected) / noise of the window's sum. |z| ≥ `Z_THRESHOLD` (3.5, Iglewicz and
  Hoaglin's cut-off for modified z-scores) and a change of at least `MIN_CHANGE_PER_DAY` items a day flags it.

Why this and not a change-point test (CUSUM, PELT): the question an admin asks is "is the last few days'
level unusual for this source?", not "when did the series change?". Median and MAD ignore the odd spike
(a source's first poll, which brings a backlog) or outage in the baseline, the test needs only the 27 numbers
the health chart already reads, and its verdict explains itself in words an admin can check against the chart
("about 30 expected over the last 3 days, 0 arrived"). A change-point method needs a penalty tuned per
series and says less plainly what it found.

Not for: reading the counts (sources.health) or keeping them (sources.article_store). Plain Python, no Django.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median

RECENT_DAYS = 3
BASELINE_DAYS = 24
MIN_BASELINE_DAYS = 14
Z_THRESHOLD = 3.5
MIN_CHANGE_PER_DAY = 3.0
# Scales a MAD to the standard deviation it estimates for normally distributed noise.
MAD_TO_SD = 1.4826


@dataclass(frozen=True)
class VolumeChange:
    direction: str
    """"down" or "up"."""
    expected: float
    """Items expected over the recent days, from the same weekdays of the baseline."""
    observed: int
    """Items that arrived over the recent days."""
    z: float
    days: int = RECENT_DAYS

    def describe(self) -> str:
        """The verdict in words, e.g. "down: about 30 items expected over the last 3 days, 0 arrived"."""
        expected = round(self.expected)
        return (f"{self.direction}: about {expected} item{'s' if expected != 1 else ''} expected over the last "
                f"{self.days} days, {self.observed} arrived")


def volume_change(counts: Sequence[int], *, last_day: date, history_starts: date | None = None) -> VolumeChange | None:
    """The verdict for one source; None when its volume is as usual or there is too little history.

    `counts` are items per day, oldest first, for consecutive complete days ending on `last_day` (yesterday,
    normally). `history_starts`: the first day the source could have had items (the day it was added, or its
    first counted day if earlier); days before it are left out of the baseline.
    """
    if len(counts) < RECENT_DAYS + MIN_BASELINE_DAYS:
        return None
    first_day = last_day - timedelta(days=len(counts) - 1)
    days = [first_day + timedelta(days=i) for i in range(len(counts))]
    recent = list(zip(days[-RECENT_DAYS:], counts[-RECENT_DAYS:]))
    baseline = [(day, n) for day, n in zip(days[:-RECENT_DAYS], counts[:-RECENT_DAYS])][-BASELINE_DAYS:]
    if history_starts is not None:
        baseline = [(day, n) for day, n in baseline if day >= history_starts]
    if len(baseline) < MIN_BASELINE_DAYS:
        return None
    by_weekday: dict[int, list[int]] = {}
    for day, n in baseline:
        by_weekday.setdefault(day.weekday(), []).append(n)
    weekday_median = {weekday: float(median(values)) for weekday, values in by_weekday.items()}
    overall = float(median(n for _, n in baseline))
    residuals = [n - weekday_median[day.weekday()] for day, n in baseline]
    centre = median(residuals)
    mad = float(median(abs(r - centre) for r in residuals))
    expected = sum(weekday_median.get(day.weekday(), overall) for day, _ in recent)
    observed = sum(n for _, n in recent)
    noise = max(MAD_TO_SD * mad * math.sqrt(RECENT_DAYS), math.sqrt(max(expected, 1.0)))
    z = (observed - expected) / noise
    if abs(z) < Z_THRESHOLD or abs(observed - expected) / RECENT_DAYS < MIN_CHANGE_PER_DAY:
        return None
    return VolumeChange(direction="down" if z < 0 else "up", expected=expected, observed=observed, z=round(z, 2))
