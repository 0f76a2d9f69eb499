"""The dashboard's tables render their body in one pass (monitor.tables.PageTable); these tests hold that body to
what django-tables2's own cell-by-cell rendering makes of the same rows, escaping and empty cells included."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from django.test import RequestFactory
from django.urls import reverse
from django.utils.safestring import mark_safe

from monitor.models import Figure, Story
from monitor.tables import FigureTable, PageTable, StoryTable, url_maker
from sources.models import Source

STOCK_TEMPLATE = "django_tables2/table.html"


def markup(table: PageTable) -> str:
    html = table.as_html(RequestFactory().get("/"))
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def stories() -> list[Story]:
    when = datetime(2026, 10, 1, 9, 30, tzinfo=timezone.utc)
    hostile = Story(pk=1, title='FIA <script>alert("x")</script> & co', lead_source_name="Dawn & <b>Co</b>",
                    first_published_at=when, outlet_count=3, figure_count=0,
                    top_organisations=[[7, "FIA", 'Federal "Investigation" Agency'], [9, "<PTA>", "PTA"]])
    hostile.snippet = mark_safe("found <mark>recruiters</mark>")  # type: ignore[attr-defined]
    bare = Story(pk=2, title="", lead_source_name="", first_published_at=None, outlet_count=1, figure_count=1200,
                 top_organisations=[])
    return [hostile, bare, Story(pk=3, title="PTA blocks SIMs", first_published_at=when)]


def figures() -> list[Figure]:
    story = Story(pk=4, title="A <story>", first_published_at=datetime(2026, 10, 2, tzinfo=timezone.utc))
    source = Source(pk=5, name="Geo & News")
    return [Figure(pk=1, value=1447, unit="", qualifier="over", counts="web addresses", text="1,447 <addresses>",
                   subject="NACTA", subject_entity_id=8, story=story, source=source, sort_key=10),
            Figure(pk=2, value=None, counts="", subject="", story=None, source=None, sort_key=None)]


def test_story_table_body_matches_django_tables2() -> None:
    ours = markup(StoryTable(stories()))
    assert ours == markup(StoryTable(stories(), template_name=STOCK_TEMPLATE))
    assert "&lt;script&gt;" in ours and "<mark>recruiters</mark>" in ours and "09:30 UTC" in ours
    assert '<tr class="even">' in ours and '<tr class="odd">' in ours


def test_figure_table_body_matches_django_tables2() -> None:
    assert markup(FigureTable(figures())) == markup(FigureTable(figures(), template_name=STOCK_TEMPLATE))


def test_empty_tables_say_what_to_do() -> None:
    assert "No stories match" in markup(StoryTable([]))
    assert markup(StoryTable([])) == markup(StoryTable([], template_name=STOCK_TEMPLATE))


def test_url_maker_makes_what_reverse_makes() -> None:
    story_url = url_maker("story-detail")
    assert [story_url(pk) for pk in (1, 42, 10**12)] == [reverse("story-detail", args=[pk]) for pk in (1, 42, 10**12)]
