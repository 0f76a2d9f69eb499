"""Which sources analysts mean by a group, a type or a reliability grade: for filters outside this app.

`source_ids_matching(groups=…, types=…, grades=…)` answers "the ids of the sources in group Pakistan press or
Official, of type wire, graded A or B": any of the values within one kind, all of the kinds given. A value
that names nothing is returned in `unknown`, worded for a note on the page, and ignored.

Not for: the health page's own filters (sources.health), or anything about stories (monitor/).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from sources.models import Source, SourceGroup


@dataclass(frozen=True)
class SourceSelection:
    ids: list[int] = field(default_factory=list)
    """The matching sources' ids, ascending. Empty when nothing matches (or everything given was unknown)."""
    unknown: list[str] = field(default_factory=list)
    """Sentences naming each value that matched no group, type or grade, e.g. "no source group 'x'"."""
    applied: bool = False
    """True when at least one usable value was given; when False, `ids` is empty and means "no filter"."""


def group_choices() -> list[tuple[int, str]]:
    """(id, name) of every source group, by name: for a filter's options."""
    return list(SourceGroup.objects.order_by("name").values_list("id", "name"))


#: (value, label) pairs for filters: the source types and the reliability grades (Admiralty scale).
TYPE_CHOICES = Source.SourceType.choices
GRADE_CHOICES = Source.Reliability.choices


def source_ids_matching(*, groups: Iterable[int | str] = (), types: Iterable[str] = (),
                        grades: Iterable[str] = ()) -> SourceSelection:
    """The ids of the sources in any of `groups` (ids, or names in any case), of any of `types` ("wire",
    "official"...), and graded any of `grades` ("A"…"F", any case). Kinds left empty do not filter.

    Reads the sources table through its indexes (type, grade) and the groups' join table; one query per kind.
    """
    unknown: list[str] = []
    condition = Q()
    applied = False

    group_ids = _group_ids(list(groups), unknown)
    if group_ids is not None:
        condition &= Q(groups__in=group_ids)
        applied = True

    valid_types = set(Source.SourceType.values)
    wanted_types = {t.strip().lower() for t in types if t.strip()}
    unknown += [f"no source type {t!r} (use one of {', '.join(sorted(valid_types))})"
                for t in sorted(wanted_types - valid_types)]
    if wanted_types & valid_types:
        condition &= Q(source_type__in=sorted(wanted_types & valid_types))
        applied = True

    valid_grades = set(Source.Reliability.values)
    wanted_grades = {g.strip().upper() for g in grades if g.strip()}
    unknown += [f"no reliability grade {g!r} (grades are A to F)" for g in sorted(wanted_grades - valid_grades)]
    if wanted_grades & valid_grades:
        condition &= Q(reliability__in=sorted(wanted_grades & valid_grades))
        applied = True

    if not applied:
        return SourceSelection(unknown=unknown)
    ids = sorted(set(Source.objects.filter(condition).order_by().values_list("id", flat=True)))
    return SourceSelection(ids=ids, unknown=unknown, applied=True)


def _group_ids(groups: list[int | str], unknown: list[str]) -> list[int] | None:
    """The ids of the named or numbered groups that exist; None when none does (no group filter then)."""
    numbers = {int(g) for g in groups if isinstance(g, int) or str(g).strip().isdigit()}
    names = {str(g).strip() for g in groups if not (isinstance(g, int) or str(g).strip().isdigit()) and str(g).strip()}
    found: dict[int, str] = {}
    if numbers:
        found.update(SourceGroup.objects.filter(pk__in=numbers).values_list("id", "name"))
    by_name: dict[str, int] = {}
    if names:
        name_condition = Q()
        for name in names:
            name_condition |= Q(name__iexact=name)
        for group_id, name in SourceGroup.objects.filter(name_condition).values_list("id", "name"):
            found[group_id] = name
            by_name[name.lower()] = group_id
    unknown += [f"no source group #{n}" for n in sorted(numbers - set(found))]
    unknown += [f"no source group {name!r}" for name in sorted(names) if name.lower() not in by_name]
    return sorted(found) or None
