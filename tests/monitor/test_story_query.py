"""Finding stories (monitor.story_query) on the real database: filters, search, cursors, facets, time limit.

Runs on whichever database the suite uses; tests/monitor/test_story_query_postgres.py runs this same file
on PostgreSQL, so SQLite's FTS5 and PostgreSQL's tsvector answer the same questions the same way.
"""

from __future__ import annotations

from datetime import date

import pytest

from django.db import connection

from monitor import query_budget, story_query
from monitor.models import Entity, Story
from monitor.query_budget import QueryTooSlow, time_limit
from monitor.search import parse_query
from monitor.story_query import StoryFilters
from tests.monitor.builders import entity, make_story, source

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive() -> dict[str, object]:
    nacta = entity("National Counter Terrorism Authority", acronym="NACTA", aliases=["Nacta"])
    fia = entity("Federal Investigation Agency", acronym="FIA")
    pta = entity("Pakistan Telecommunication Authority", acronym="PTA")
    naqvi = entity("Mohsin Naqvi", Entity.Kind.PERSON)
    karachi = entity("Karachi", Entity.Kind.PLACE)
    stories = {
        "daesh": make_story("NACTA widens drive against Daesh recruiters", "NACTA and the FIA blocked 1,447 web "
                            "addresses used by Daesh recruiters, the NA committee heard.", hours=0,
                            entities=[nacta, fia], figures=[(1447, "web addresses blocked", nacta.name)],
                            outlet="Arab News", extra_outlets=["Dawn"]),
        "sim": make_story("PTA blocks unverified SIMs", "The PTA blocked 50 social media accounts and unverified "
                          "SIMs in Karachi.", hours=24, entities=[pta, karachi],
                          figures=[(50, "social media accounts", pta.name)], outlet="Dawn"),
        "cyber": make_story("FIA arrests cybercrime suspects", "The FIA cybercrime wing arrested twelve suspects "
                            "in Karachi, Mohsin Naqvi said.", hours=48, entities=[fia, naqvi, karachi],
                            outlet="The Express Tribune"),
        "nation": make_story("A nation mourns", "The nation observed a day of mourning; national flags flew low.",
                             hours=72, outlet="Arab News", language="ur"),
    }
    return {"stories": stories, "nacta": nacta, "fia": fia, "pta": pta, "naqvi": naqvi, "karachi": karachi}


def titles(filters: StoryFilters, **kwargs: object) -> list[str]:
    keys = story_query.story_keys(filters, limit=50, **kwargs)  # type: ignore[arg-type]
    return [story.title for story in story_query.stories_for(keys)]


def search(text: str, **kwargs: object) -> list[str]:
    return titles(StoryFilters(query=parse_query(text), **kwargs))  # type: ignore[arg-type]


def test_unfiltered_list_is_newest_first(archive: dict[str, object]) -> None:
    assert titles(StoryFilters()) == ["A nation mourns", "FIA arrests cybercrime suspects",
                                      "PTA blocks unverified SIMs", "NACTA widens drive against Daesh recruiters"]
    assert titles(StoryFilters(), oldest_first=True)[0] == "NACTA widens drive against Daesh recruiters"


def test_entity_filters_combine_and_resolve_any_kind(archive: dict[str, object]) -> None:
    fia, karachi, naqvi = archive["fia"], archive["karachi"], archive["naqvi"]
    assert titles(StoryFilters(entity_ids=[fia.pk])) == ["FIA arrests cybercrime suspects",  # type: ignore[attr-defined]
                                                         "NACTA widens drive against Daesh recruiters"]
    assert titles(StoryFilters(entity_ids=[fia.pk, karachi.pk])) == ["FIA arrests cybercrime suspects"]  # type: ignore[attr-defined]
    assert titles(StoryFilters(entity_ids=[naqvi.pk])) == ["FIA arrests cybercrime suspects"]  # type: ignore[attr-defined]


def test_source_date_figure_and_language_filters(archive: dict[str, object]) -> None:
    dawn = source("Dawn")
    assert titles(StoryFilters(source_ids=[dawn.pk])) == ["PTA blocks unverified SIMs",
                                                          "NACTA widens drive against Daesh recruiters"]
    assert titles(StoryFilters(since=date(2026, 10, 2), until=date(2026, 10, 3))) == [
        "FIA arrests cybercrime suspects", "PTA blocks unverified SIMs"]
    assert titles(StoryFilters(has_figures=True)) == ["PTA blocks unverified SIMs",
                                                      "NACTA widens drive against Daesh recruiters"]
    assert titles(StoryFilters(language="ur")) == ["A nation mourns"]


def test_words_match_as_words_so_acronyms_work(archive: dict[str, object]) -> None:
    assert search("NA") == ["NACTA widens drive against Daesh recruiters"]  # not "nation" or "national"
    assert search("nation") == ["A nation mourns"]
    assert search("nation*") == ["A nation mourns"]


def test_phrases_or_and_exclusion(archive: dict[str, object]) -> None:
    assert search('"web addresses"') == ["NACTA widens drive against Daesh recruiters"]
    assert search('"addresses web"') == []
    assert search("daesh OR cybercrime") == ["FIA arrests cybercrime suspects",
                                             "NACTA widens drive against Daesh recruiters"]
    assert search("fia -karachi") == ["NACTA widens drive against Daesh recruiters"]


def test_search_with_an_entity_gives_the_same_answer_whichever_index_drives(
        archive: dict[str, object], monkeypatch: pytest.MonkeyPatch) -> None:
    fia = archive["fia"]
    expected = ["FIA arrests cybercrime suspects"]
    assert search("karachi", entity_ids=[fia.pk]) == expected  # type: ignore[attr-defined]
    monkeypatch.setattr(story_query, "RARE_ENTITY_STORIES", 0)  # now the text index drives
    assert search("karachi", entity_ids=[fia.pk]) == expected  # type: ignore[attr-defined]


def test_cursors_page_forwards_and_back_without_counting(archive: dict[str, object]) -> None:
    first = story_query.story_keys(StoryFilters(), limit=2)
    second = story_query.story_keys(StoryFilters(), limit=2, after=first[-1])
    assert [s.title for s in story_query.stories_for(second)] == ["PTA blocks unverified SIMs",
                                                                  "NACTA widens drive against Daesh recruiters"]
    assert story_query.story_keys(StoryFilters(), limit=2, before=second[0]) == first
    assert story_query.story_keys(StoryFilters(), limit=2, after=second[-1]) == []


def test_relevance_ranks_the_better_match_first(archive: dict[str, object]) -> None:
    make_story("Karachi Karachi Karachi police", "Karachi police in Karachi said Karachi was calm.", hours=1)
    keys = story_query.ranked_story_keys(StoryFilters(query=parse_query("karachi")), offset=0, limit=10)
    assert story_query.stories_for(keys)[0].title == "Karachi Karachi Karachi police"


def test_facets_count_entities_and_sources_of_the_matches(archive: dict[str, object]) -> None:
    karachi = archive["karachi"]
    found = story_query.facets(StoryFilters(entity_ids=[karachi.pk]), leave_out={karachi.pk})  # type: ignore[attr-defined]
    assert found.sample == 2
    assert {(f.label, f.count) for f in found.organisations} == {("FIA", 1), ("PTA", 1)}
    assert [f.label for f in found.people] == ["Mohsin Naqvi"] and found.places == []
    assert {f.label for f in found.sources} == {"Dawn", "The Express Tribune"}


def test_estimates_come_from_counters_not_counting(archive: dict[str, object]) -> None:
    fia = archive["fia"]
    assert story_query.estimate(StoryFilters(entity_ids=[fia.pk])) == story_query.Estimate(2, exact=True)  # type: ignore[attr-defined]
    assert story_query.estimate(StoryFilters(query=parse_query("fia"))) is None
    unfiltered = story_query.estimate(StoryFilters())
    assert unfiltered is not None and not unfiltered.exact and unfiltered.count >= 4


def test_a_query_over_its_time_limit_is_stopped(archive: dict[str, object], monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor == "sqlite":
        monkeypatch.setattr(query_budget, "SQLITE_STEPS", 10)  # look at the clock often: the archive is tiny
        with pytest.raises(QueryTooSlow), time_limit(0.0):
            story_query.story_keys(StoryFilters(query=parse_query("police")), limit=50)
    else:
        with pytest.raises(QueryTooSlow), time_limit(0.05), connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(2)")
    assert Story.objects.count() == 4  # the connection still works afterwards


def test_the_rarer_of_search_and_entity_drives(archive: dict[str, object]) -> None:
    fia = archive["fia"]
    karachi_with_fia = StoryFilters(query=parse_query("karachi OR nacta OR daesh"), entity_ids=[fia.pk])  # type: ignore[attr-defined]
    naqvi_with_fia = StoryFilters(query=parse_query("naqvi"), entity_ids=[fia.pk])  # type: ignore[attr-defined]
    if connection.vendor == "sqlite":
        assert story_query._plan(karachi_with_fia).table == "monitor_storyentity d"  # 3 matches, FIA in 2 stories
        assert story_query._plan(naqvi_with_fia).table == "monitor_story_fts"  # 1 match
    assert titles(naqvi_with_fia) == ["FIA arrests cybercrime suspects"]
