"""The dashboard's tables stay in step with stories and tags (monitor.story_index)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from monitor.models import (
    Entity, EntityDay, EntityName, Figure, Mention, Story, StoryArticle, StorySearch, StorySource,
    sort_key_for,
)
from monitor.stories import join_story, refresh_story, story_to_refresh
from monitor.story_index import add_to_story_index, entity_story_counts, name_key, refresh_story_index
from sources.models import Article, Source
from tests.monitor.builders import dashboard_rows, entity, make_story, source

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


@pytest.mark.parametrize(("name", "feed_title", "label"), [
    ("Arab News", "Arab News - Pakistan", "Arab News"),
    ("", "Dawn - Home", "Dawn - Home"),
    ("", "", "news.example"),  # never the whole address, which may carry a key in its query
])
def test_the_lead_outlet_is_named_as_everywhere_else(name: str, feed_title: str, label: str) -> None:
    story = make_story("NACTA blocks websites", "NACTA blocked 1,447 web addresses.", outlet="Arab News")
    Source.objects.filter(articles__story_link__story=story).update(
        name=name, feed_title=feed_title, url="https://news.example/feed.xml?key=secret")
    story.refresh_from_db()
    refresh_story_index(story)
    story.refresh_from_db()
    source = Source.objects.get(articles__story_link__story=story)
    assert story.lead_source_name == str(source) == label


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


def _copy(story: Story, n: int, outlet: str, *, title: str, minutes: float | None,
          names: list[Entity], figures: Sequence[tuple[float, str]]) -> Article:
    """A later copy of the story's report, stored with its mentions and figures and joined to the story."""
    url = f"https://news.example/copy-{n}"
    first = story.first_published_at
    assert first is not None
    article = Article.objects.create(
        source=source(outlet), guid=url, url=url, canonical_url=url, url_hash=url, title=title,
        text="NACTA and the FIA blocked 1,447 web addresses.", status=Article.Status.TAGGED,
        extraction=Article.Extraction.OK, published_at=None if minutes is None else first + timedelta(minutes=minutes))
    for position, named in enumerate(names):
        Mention.objects.create(article=article, entity=named, start=position * 10, end=position * 10 + 4,
                               surface=named.acronym or named.name, pipeline_version="test")
    for position, (value, counts) in enumerate(figures):
        Figure.objects.create(article=article, text=f"{value:g} {counts}", value=value, counts=counts,
                              start=100 + position, end=101 + position, pipeline_version="test")
    StoryArticle.objects.create(article=article, story=story, copy_kind="rewritten")
    return article


def test_a_copy_joining_leaves_the_rows_a_whole_refresh_would() -> None:
    nacta = entity("National Counter Terrorism Authority", acronym="NACTA")
    fia = entity("Federal Investigation Agency", acronym="FIA")
    pta = entity("Pakistan Telecommunication Authority", acronym="PTA")
    quetta = entity("Quetta", Entity.Kind.PLACE)
    others = [entity(f"Provincial Department {n}") for n in range(6)]  # more organisations than are listed
    story = make_story("NACTA blocks websites", "NACTA blocked 1,447 web addresses.", outlet="Arab News",
                       entities=[nacta], figures=[(1447, "web addresses", nacta.name)])
    copies = [
        # a new outlet with a new headline, a new organisation and a figure
        ("Dawn", "FIA joins NACTA drive", 30, [nacta, fia, fia], [(50, "accounts")]),
        # the first outlet again, under the story's own headline, naming a place
        ("Arab News", "NACTA blocks websites", 45, [quetta], []),
        # a copy with no headline, naming enough organisations to reorder the top six
        ("The News", "", 60, [pta, pta, pta, *others], [(7984, "operations"), (12, "suspects")]),
        # an undated copy, sorted after every dated one
        ("Geo", "PTA acts on SIM misuse", None, [pta], []),
        # a headline that came in earlier, again
        ("Express", "FIA joins NACTA drive", 90, [fia], []),
    ]
    for n, (outlet, title, minutes, names, figures) in enumerate(copies):
        article = _copy(story, n, outlet, title=title, minutes=minutes, names=names, figures=figures)
        assert add_to_story_index(story.pk, article.pk)
        joined = dashboard_rows(story.pk)
        refresh_story(story_to_refresh(story.pk))
        assert dashboard_rows(story.pk) == joined, f"copy {n} ({outlet})"

    rows = dashboard_rows(story.pk)
    assert rows["story"]["article_count"] == 6 and rows["story"]["outlet_count"] == 5
    assert rows["story"]["top_organisations"][0][1] == "PTA"


def test_an_earlier_copy_arriving_late_is_left_to_a_whole_refresh() -> None:
    nacta = entity("National Counter Terrorism Authority", acronym="NACTA")
    story = make_story("NACTA blocks websites", outlet="Arab News", entities=[nacta])
    before = dashboard_rows(story.pk)
    earlier = _copy(story, 1, "Dawn", title="NACTA drive on Daesh recruiters", minutes=-120, names=[nacta], figures=[])

    assert not add_to_story_index(story.pk, earlier.pk)
    assert dashboard_rows(story.pk) == before  # nothing written
    join_story(story_to_refresh(story.pk), earlier)
    story.refresh_from_db()
    assert story.first_article_id == earlier.pk and story.title == "NACTA drive on Daesh recruiters"
    assert StoryArticle.objects.get(article=earlier).copy_kind == "original"
