"""source_ids_matching: the sources of a group, type or grade, for the analysts' story filters."""

from __future__ import annotations

import pytest

from sources.adding import add_source, groups_named
from sources.models import SourceGroup
from sources.selectors import source_ids_matching

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources() -> dict[str, int]:
    press, official = groups_named(["Pakistan press", "Official"])
    made = {
        "dawn": add_source("https://dawn.example/feed", source_type="outlet", reliability="B", groups=[press])[0],
        "app": add_source("https://app.example/feed", source_type="wire", reliability="A", groups=[press, official])[0],
        "ispr": add_source("https://ispr.example/feed", source_type="official", reliability="C", groups=[official])[0],
        "blog": add_source("https://blog.example/feed", source_type="blog")[0],
    }
    return {name: source.pk for name, source in made.items()}


def test_any_value_within_a_kind_all_kinds_together(sources: dict[str, int]) -> None:
    assert source_ids_matching(groups=["pakistan press"]).ids == sorted([sources["dawn"], sources["app"]])
    assert source_ids_matching(types=["wire", "official"]).ids == sorted([sources["app"], sources["ispr"]])
    assert source_ids_matching(grades=["a", "B"]).ids == sorted([sources["dawn"], sources["app"]])
    assert source_ids_matching(groups=["Official"], grades=["A"]).ids == [sources["app"]]
    assert source_ids_matching(grades=["F"]).ids == [sources["blog"]]  # ungraded sources are F


def test_groups_by_id_or_name_and_unknown_values_are_named(sources: dict[str, int]) -> None:
    official = SourceGroup.objects.get(name="Official")
    found = source_ids_matching(groups=[official.pk, "No such group"], types=["tabloid"], grades=["Z"])
    assert found.ids == sorted([sources["app"], sources["ispr"]]) and found.applied
    assert found.unknown == ["no source group 'No such group'",
                             "no source type 'tabloid' (use one of aggregator, blog, official, outlet, wire)",
                             "no reliability grade 'Z' (grades are A to F)"]


def test_nothing_usable_means_no_filter(sources: dict[str, int]) -> None:
    found = source_ids_matching(groups=["nope"])
    assert not found.applied and found.ids == [] and found.unknown == ["no source group 'nope'"]
    assert not source_ids_matching().applied
