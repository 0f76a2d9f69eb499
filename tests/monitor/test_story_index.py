"""The dashboard's tables stay in step with stories and tags (monitor.story_index)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from monitor.models import Entity, EntityDay, EntityName, Figure, Mention, Story, StorySearch, StorySource, sort_key_for
from monitor.story_index import entity_story_counts, name_key, refresh_story_index
from tests.monitor.builders import entity, make_story

pytestmark = pytest.mark.django_db


def test_a_story_fills_every_dashboard_table() -> None:
    nacta = entity("National Counter Terrorism Authority", acronym="NACTA", aliases=["Nacta"])
    lahore = entity("Lahore", Entity.Kind.PLACE)
    story = make_story("NACTA blocks websites", "NACTA blocked 1,447 web addresses in Lahore.",
                       entities=[nacta, lahore], figures=[(1447, "web addresses", nacta.name)],
                       outlet="Arab News", extra_outlets=["Dawn"])
    assert story.sort_key == sort_key_for(story.first_published_at, story.pk)  # type: ignore[arg-type]
    assert story.top_organisations == [[nacta.pk, "NACTA", nacta.name]]
    assert story.figure_count == 1 and story.lead_source_name == "Arab News" and story.language == "en"
    assert set(story.entity_rows.values_list("entity_id", "kind", "sort_key")) == {
        (nacta.pk, "org", story.sort_key), (lahore.pk, "place", story.sort_key)}
    assert StorySource.objects.filter(story=story).count() == 2
    assert "1,447 web addresses" in StorySearch.objects.get(story=story).document
    figure = Figure.objects.get()
    assert (figure.story_id, figure.sort_key, figure.subject_entity_id) == (story.pk, story.sort_key, nacta.pk)
    assert figure.source_id == figure.article.source_id
    assert EntityDay.objects.get(entity=nacta).stories == 1
    assert {name_key("Nacta"), name_key("NACTA")} <= set(EntityName.objects.filter(entity=nacta)
                                                        .values_list("key", flat=True))
    nacta.refresh_from_db()
    assert nacta.story_count == 1


def test_retagging_moves_counters_and_an_earlier_date_moves_the_chart_day() -> None:
    fia = entity("Federal Investigation Agency", acronym="FIA")
    pta = entity("Pakistan Telecommunication Authority", acronym="PTA")
    story = make_story("FIA and PTA act", entities=[fia, pta], figures=[(7984, "operations", fia.name)])
    first_day = story.first_published_at.date()  # type: ignore[union-attr]
    # The tagger now finds only the FIA, once more than before, and an earlier copy moved the story back two days.
    Mention.objects.filter(entity=pta).delete()
    named = Mention.objects.filter(entity=fia).first()
    assert named is not None
    Mention.objects.create(article_id=named.article_id, entity=fia, start=named.start + 1000, end=named.end + 1000,
                           surface=named.surface, pipeline_version=named.pipeline_version)
    Story.objects.filter(pk=story.pk).update(first_published_at=story.first_published_at - timedelta(days=2))  # type: ignore[operator]
    story.refresh_from_db()
    refresh_story_index(story)
    assert entity_story_counts() == {fia.pk: 1}
    assert Entity.objects.get(pk=pta.pk).story_count == 0 and Entity.objects.get(pk=fia.pk).story_count == 1
    days = dict(EntityDay.objects.filter(entity=fia).values_list("day", "stories"))
    assert days == {first_day: 0, first_day - timedelta(days=2): 1}
    assert EntityDay.objects.get(entity=pta, day=first_day).stories == 0
    story.refresh_from_db()
    assert StorySearch.objects.get(story=story).sort_key == story.sort_key
    assert Figure.objects.get().sort_key == story.sort_key
    assert list(story.entity_rows.values_list("entity_id", "mentions", "sort_key")) == [
        (fia.pk, Mention.objects.filter(entity=fia).count(), story.sort_key)]


def test_a_story_left_without_articles_leaves_every_table() -> None:
    fia = entity("Federal Investigation Agency", acronym="FIA")
    story = make_story("FIA acts", entities=[fia])
    story.members.all().delete()
    refresh_story_index(story)
    assert not story.entity_rows.exists() and not StorySearch.objects.exists() and not StorySource.objects.exists()
    assert Entity.objects.get(pk=fia.pk).story_count == 0
    assert Story.objects.get(pk=story.pk).sort_key is None


def test_stories_from_before_the_dashboard_tables_are_indexed_by_reindex() -> None:
    fia = entity("Federal Investigation Agency", acronym="FIA")
    story = make_story("FIA acts", entities=[fia])
    # As an older Monitor left it: the story and its tags, none of the dashboard's rows.
    story.entity_rows.all().delete()
    StorySearch.objects.all().delete()
    StorySource.objects.all().delete()
    Story.objects.filter(pk=story.pk).update(sort_key=None)
    Entity.objects.filter(pk=fia.pk).update(story_count=0)
    out = StringIO()
    call_command("reindex", "--optimize", "--no-progress", stdout=out)
    assert "indexed 1 stories" in out.getvalue() and "statistics:" in out.getvalue()
    assert Story.objects.get(pk=story.pk).sort_key is not None
    assert entity_story_counts() == {fia.pk: 1} and Entity.objects.get(pk=fia.pk).story_count == 1
