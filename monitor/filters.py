"""Filters for the story list (django-filter)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django_filters import CharFilter, FilterSet, ModelChoiceFilter

from monitor.models import Entity, Story
from sources.models import Source


def _organisations(request: object) -> QuerySet[Entity]:
    return Entity.objects.filter(kind=Entity.Kind.ORGANISATION, mentions__isnull=False).distinct().order_by("name")


class StoryFilter(FilterSet):
    q = CharFilter(method="filter_words", label="Words in title or text")
    organisation = ModelChoiceFilter(queryset=_organisations, method="filter_entity", label="Organisation")
    person = CharFilter(method="filter_person", label="Person")
    source = ModelChoiceFilter(queryset=Source.objects.order_by("name"), field_name="members__article__source",
                               label="Source", distinct=True)

    class Meta:
        model = Story
        fields: list[str] = []

    def filter_words(self, queryset: QuerySet[Story], name: str, value: str) -> QuerySet[Story]:
        for word in value.split():
            queryset = queryset.filter(Q(members__article__title__icontains=word) | Q(members__article__text__icontains=word))
        return queryset.distinct()

    def filter_entity(self, queryset: QuerySet[Story], name: str, value: Entity) -> QuerySet[Story]:
        return queryset.filter(members__article__mentions__entity=value).distinct()

    def filter_person(self, queryset: QuerySet[Story], name: str, value: str) -> QuerySet[Story]:
        return queryset.filter(members__article__mentions__entity__kind=Entity.Kind.PERSON,
                               members__article__mentions__entity__name__icontains=value).distinct()
