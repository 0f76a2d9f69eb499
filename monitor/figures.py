"""Where outlets disagree: figures that look like one metric but carry different values.

Two figures are taken to measure the same thing when they belong to the same story, or to stories published
the same day, and count the same noun phrase (compared case-folded, with plurals and small words removed).
Only the figures passed in are compared, so the cost is that of the page being shown.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from monitor.models import Figure, time_of_sort_key

_SMALL = {"the", "a", "an", "of", "in", "on", "for", "to", "and", "by", "at", "were", "was", "have", "been", "had"}


def metric_key(counts: str) -> str:
    words = [w[:-1] if len(w) > 3 and w.endswith("s") else w for w in re.findall(r"\w+", counts.casefold())]
    return " ".join(w for w in words if w not in _SMALL)


@dataclass
class Disagreement:
    metric: str
    figures: list[Figure]

    @property
    def label(self) -> str:
        """What is counted, as the first figure words it."""
        return self.figures[0].counts

    @property
    def values(self) -> list[float]:
        return sorted({f.value for f in self.figures if f.value is not None})


def disagreements(figures: list[Figure]) -> list[Disagreement]:
    """Groups of figures for one metric on one story or day whose values differ, largest spread first."""
    groups: dict[tuple[str, int | None, str], list[Figure]] = defaultdict(list)
    for figure in figures:
        key = metric_key(figure.counts)
        if not key or figure.value is None or figure.sort_key is None:
            continue
        groups[("story", figure.story_id, key)].append(figure)
        groups[("day", time_of_sort_key(figure.sort_key) // 86400, key)].append(figure)
    found: dict[frozenset[int], Disagreement] = {}
    for (_, _, key), members in groups.items():
        if len({f.value for f in members}) > 1 and len({f.source_id for f in members}) > 1:
            ids = frozenset(f.pk for f in members)
            if not any(ids <= other for other in found):
                found[ids] = Disagreement(key, sorted(members, key=lambda f: (f.value or 0, f.pk)))
    return sorted(found.values(), key=lambda d: -(max(d.values) - min(d.values)))
