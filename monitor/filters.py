"""The dashboard's URL parameters: declared as django-filter FilterSets, read leniently into query objects.

Every view is a URL that can be bookmarked and shared, so parameters are forgiving: a bad value is ignored
with a note the page shows ("since=2024-13-01 is not a date…"), never a 500. The story list's filters are
turned into a monitor.story_query.StoryFilters, which plans an indexed query; the figures explorer's
FigureFilter filters a Figure queryset directly, along the indexes migration 0004 made for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django_filters import CharFilter, ChoiceFilter, DateFilter, FilterSet, NumberFilter

from monitor.models import Entity, EntityName, Figure, Story
from monitor.search import QueryError, SearchQuery, parse_query
from monitor.story_index import name_key
from monitor.story_query import StoryFilters, day_start_key
from sources.models import Source
from sources.selectors import GRADE_CHOICES, TYPE_CHOICES, group_choices, source_ids_matching

KIND_PARAMS = {"org": Entity.Kind.ORGANISATION, "person": Entity.Kind.PERSON, "place": Entity.Kind.PLACE}
KIND_WORDS = {Entity.Kind.ORGANISATION: "organisation", Entity.Kind.PERSON: "person", Entity.Kind.PLACE: "place"}
MAX_VALUES_PER_PARAM = 5
PER_PAGE_CHOICES = (25, 50, 100)
DEFAULT_PER_PAGE = 50


class StoryFilter(FilterSet):
    """The story list's parameters, for rendering the filter form. `read_story_filters` does the reading."""

    q = CharFilter(label="Search", widget=forms.TextInput(attrs={
        "type": "search", "placeholder": 'words, "a phrase", fia OR nacta, -karachi, terror*',
        "autocomplete": "off"}))
    since = DateFilter(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    until = DateFilter(label="Until", widget=forms.DateInput(attrs={"type": "date"}))
    language = CharFilter(label="Language", widget=forms.TextInput(attrs={"size": 3, "placeholder": "en"}))
    has_figures = ChoiceFilter(label="Figures", choices=[("1", "with figures")], empty_label="any")
    sort = ChoiceFilter(label="Order", choices=[("newest", "newest first"), ("oldest", "oldest first"),
                                                  ("relevance", "best match (searches)")], empty_label=None)
    group = ChoiceFilter(label="Source group", choices=group_choices, empty_label="any")
    type = ChoiceFilter(label="Source type", choices=TYPE_CHOICES, empty_label="any")
    grade = ChoiceFilter(label="Reliability", choices=GRADE_CHOICES, empty_label="any")

    class Meta:
        model = Story
        fields: list[str] = []


@dataclass
class ChosenEntity:
    entity: Entity
    param: str


@dataclass
class ReadFilters:
    filters: StoryFilters
    entities: list[ChosenEntity] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    query_error: str = ""
    sort: str = "newest"
    source_kinds: list[str] = field(default_factory=list)
    per_page: int = DEFAULT_PER_PAGE
    after: int | None = None
    before: int | None = None
    page: int = 1


def read_story_filters(params: QueryDict) -> ReadFilters:
    """Reads the list's parameters; whatever cannot be used is left out and explained in `notes`."""
    read = ReadFilters(filters=StoryFilters())
    read.filters.query, read.query_error = _read_query(params.get("q", ""))
    for param, kind in KIND_PARAMS.items():
        for value in _values(params, param, read.notes):
            entity = resolve_entity(value, kind)
            if entity is None:
                read.notes.append(f"No {KIND_WORDS[kind]} called “{value}” is known; that filter is ignored.")
            elif entity.pk not in read.filters.entity_ids:
                read.entities.append(ChosenEntity(entity, param))
                read.filters.entity_ids.append(entity.pk)
    for value in _values(params, "source", read.notes):
        source = resolve_source(value)
        if source is None:
            read.notes.append(f"No source “{value}” is known; that filter is ignored.")
        elif source.pk not in read.filters.source_ids:
            read.sources.append(source)
            read.filters.source_ids.append(source.pk)
    _read_source_kinds(params, read)
    read.filters.since = _date(params, "since", read.notes)
    read.filters.until = _date(params, "until", read.notes)
    if read.filters.since and read.filters.until and read.filters.since > read.filters.until:
        read.notes.append("“From” is after “until”; the dates are swapped.")
        read.filters.since, read.filters.until = read.filters.until, read.filters.since
    read.filters.has_figures = params.get("has_figures", "") in {"1", "true", "on", "yes"}
    read.filters.language = params.get("language", "").strip().lower()[:20]
    sort = params.get("sort", "newest") or "newest"
    if sort not in {"newest", "oldest", "relevance"}:
        read.notes.append(f"sort={sort} is not an order this list knows; showing the newest first.")
        sort = "newest"
    if sort == "relevance" and read.filters.query is None:
        sort = "newest"
    read.sort = sort
    read.per_page = _per_page(params, read.notes)
    read.after = _cursor(params, "after", read.notes)
    read.before = _cursor(params, "before", read.notes) if read.after is None else None
    read.page = _positive_int(params, "page", read.notes, default=1, most=40)
    return read


def _read_source_kinds(params: QueryDict, read: ReadFilters) -> None:
    """`group`, `type` and `grade` narrow the outlets: stories carried by a matching source."""
    selection = source_ids_matching(groups=_values(params, "group", read.notes),
                                    types=_values(params, "type", read.notes),
                                    grades=_values(params, "grade", read.notes))
    read.notes.extend(f"{problem[0].upper()}{problem[1:]}; that filter is ignored." for problem in selection.unknown)
    if not selection.applied:
        return
    read.filters.source_kind_ids = selection.ids
    read.source_kinds = [f"{name}: {value}" for name in ("group", "type", "grade") for value in params.getlist(name)
                         if value.strip()]


def resolve_entity(value: str, kind: str) -> Entity | None:
    """An entity of `kind` by id, or by any name it goes by (name, acronym, alias); the most-reported wins."""
    value = value.strip()
    if value.isdigit():
        return Entity.objects.filter(pk=int(value), kind=kind).first()
    ids = EntityName.objects.filter(key=name_key(value)[:300]).values_list("entity_id", flat=True)
    return Entity.objects.filter(pk__in=list(ids[:50]), kind=kind).order_by("-story_count", "pk").first()


def resolve_source(value: str) -> Source | None:
    value = value.strip()
    if value.isdigit():
        return Source.objects.filter(pk=int(value)).first()
    return Source.objects.filter(name__iexact=value).order_by("pk").first()


def _read_query(text: str) -> tuple[SearchQuery | None, str]:
    try:
        return parse_query(text), ""
    except QueryError as exc:
        return None, str(exc)


def _values(params: QueryDict, name: str, notes: list[str]) -> list[str]:
    values = [v for v in params.getlist(name) if v.strip()]
    if len(values) > MAX_VALUES_PER_PARAM:
        notes.append(f"Only the first {MAX_VALUES_PER_PARAM} “{name}” filters are used.")
    return values[:MAX_VALUES_PER_PARAM]


def _date(params: QueryDict, name: str, notes: list[str]) -> date | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        notes.append(f"{name}={raw[:40]} is not a date (use YYYY-MM-DD); it is ignored.")
        return None


def _per_page(params: QueryDict, notes: list[str]) -> int:
    raw = params.get("per_page", "")
    if not raw:
        return DEFAULT_PER_PAGE
    if raw.isdigit() and 1 <= int(raw) <= max(PER_PAGE_CHOICES):
        return int(raw)
    notes.append(f"per_page={raw[:20]} is not between 1 and {max(PER_PAGE_CHOICES)}; showing {DEFAULT_PER_PAGE}.")
    return DEFAULT_PER_PAGE


def _cursor(params: QueryDict, name: str, notes: list[str]) -> int | None:
    raw = params.get(name, "")
    if not raw:
        return None
    if raw.isdigit() and len(raw) <= 19:
        return int(raw)
    notes.append(f"{name}={raw[:20]} is not a page position this list made; showing the first page.")
    return None


def _positive_int(params: QueryDict, name: str, notes: list[str], *, default: int, most: int) -> int:
    raw = params.get(name, "")
    if not raw:
        return default
    if raw.isdigit() and 1 <= int(raw) <= most:
        return int(raw)
    notes.append(f"{name}={raw[:20]} must be a whole number from 1 to {most}; showing {name} {default}.")
    return default


class FigureFilter(FilterSet):
    """The figures explorer. `subject` and `source` take an id or a name; the rest filter along the index."""

    subject = CharFilter(label="Reported by (organisation)", method="filter_subject")
    counts = CharFilter(label="Counting", lookup_expr="icontains",
                        widget=forms.TextInput(attrs={"placeholder": "arrests, web addresses…"}))
    unit = CharFilter(label="Unit", lookup_expr="iexact", widget=forms.TextInput(attrs={"size": 6}))
    min = NumberFilter(field_name="value", lookup_expr="gte", label="At least")
    max = NumberFilter(field_name="value", lookup_expr="lte", label="At most")
    since = DateFilter(label="From", method="filter_since", widget=forms.DateInput(attrs={"type": "date"}))
    until = DateFilter(label="Until", method="filter_until", widget=forms.DateInput(attrs={"type": "date"}))
    source = CharFilter(label="Source", method="filter_source")

    class Meta:
        model = Figure
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notes: list[str] = []
        self.subject_entity: Entity | None = None

    def filter_subject(self, queryset: QuerySet[Figure], name: str, value: str) -> QuerySet[Figure]:
        entity = resolve_entity(value, Entity.Kind.ORGANISATION)
        if entity is None:
            self.notes.append(f"No organisation called “{value}” is known; that filter is ignored.")
            return queryset
        self.subject_entity = entity
        return queryset.filter(subject_entity=entity)

    def filter_source(self, queryset: QuerySet[Figure], name: str, value: str) -> QuerySet[Figure]:
        source = resolve_source(value)
        if source is None:
            self.notes.append(f"No source “{value}” is known; that filter is ignored.")
            return queryset
        return queryset.filter(source=source)

    def filter_since(self, queryset: QuerySet[Figure], name: str, value: date) -> QuerySet[Figure]:
        return queryset.filter(sort_key__gte=day_start_key(value))

    def filter_until(self, queryset: QuerySet[Figure], name: str, value: date) -> QuerySet[Figure]:
        return queryset.filter(sort_key__lt=day_start_key(date.fromordinal(value.toordinal() + 1)))
