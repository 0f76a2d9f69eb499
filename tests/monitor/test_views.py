"""The dashboard's pages as an analyst uses them: filters in the URL, bad parameters, facets, exports."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from django.test import Client

from monitor.models import Entity, Figure, Mention, Story, sort_key_for
from monitor.story_index import refresh_story_index
from sources.models import Source
from tests.conftest import make_analyst
from tests.monitor.builders import BASE_TIME, entity, make_story

pytestmark = pytest.mark.django_db

DAESH = "NACTA widens drive against Daesh recruiters"
SIMS = "PTA blocks unverified SIMs"
CYBER = "FIA arrests cybercrime suspects"


@pytest.fixture
def analyst(client: Client) -> Client:
    client.force_login(make_analyst())
    return client


@pytest.fixture
def archive() -> dict[str, Entity]:
    nacta = entity("National Counter Terrorism Authority", acronym="NACTA")
    fia = entity("Federal Investigation Agency", acronym="FIA")
    pta = entity("Pakistan Telecommunication Authority", acronym="PTA")
    naqvi = entity("Mohsin Naqvi", Entity.Kind.PERSON)
    karachi = entity("Karachi", Entity.Kind.PLACE)
    make_story(DAESH, "NACTA and the FIA blocked 1,447 web addresses used by Daesh recruiters.", hours=0,
               entities=[nacta, fia], figures=[(1447, "web addresses blocked", nacta.name)], outlet="Arab News",
               extra_outlets=["Dawn"])
    make_story(SIMS, "The PTA blocked 50 social media accounts and unverified SIMs in Karachi.", hours=24,
               entities=[pta, karachi], figures=[(50, "social media accounts", pta.name)], outlet="Dawn")
    make_story(CYBER, "The FIA arrested twelve suspects in Karachi, Mohsin Naqvi said.", hours=48,
               entities=[fia, naqvi, karachi], figures=[(12, "suspects arrested", fia.name)], outlet="Geo News")
    return {"nacta": nacta, "fia": fia, "pta": pta, "naqvi": naqvi, "karachi": karachi}


def page(client: Client, url: str, params: dict[str, object] | None = None) -> str:
    response = client.get(url, params or {})
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def shown(html: str) -> list[str]:
    return [title for title in (DAESH, SIMS, CYBER) if title in html]


def test_every_filter_is_a_url_parameter(analyst: Client, archive: dict[str, Entity]) -> None:
    assert shown(page(analyst, "/")) == [DAESH, SIMS, CYBER]
    assert shown(page(analyst, "/", {"org": "FIA"})) == [DAESH, CYBER]  # by acronym
    assert shown(page(analyst, "/", {"org": archive["fia"].pk})) == [DAESH, CYBER]  # by id
    assert shown(page(analyst, "/", {"org": "federal investigation agency"})) == [DAESH, CYBER]  # by name
    assert shown(page(analyst, "/?org=FIA&place=Karachi")) == [CYBER]
    assert shown(page(analyst, "/", {"person": "Mohsin Naqvi"})) == [CYBER]
    assert shown(page(analyst, "/", {"source": "Dawn"})) == [DAESH, SIMS]
    assert shown(page(analyst, "/", {"since": "2026-10-02", "until": "2026-10-02"})) == [SIMS]
    assert shown(page(analyst, "/", {"q": "karachi", "org": "FIA"})) == [CYBER]
    assert shown(page(analyst, "/", {"q": "daesh OR sims"})) == [DAESH, SIMS]


def test_search_results_show_a_marked_snippet(analyst: Client, archive: dict[str, Entity]) -> None:
    html = page(analyst, "/", {"q": "recruiters"})
    assert "<mark>recruiters</mark>" in html


def test_bad_parameters_are_ignored_with_a_note_never_a_500(analyst: Client, archive: dict[str, Entity]) -> None:
    checks = {
        "per_page=-5": "per_page=-5 is not between 1 and 100",
        "per_page=3&page=2": "",
        "org=999999": "No organisation called “999999”",
        "org=Nonexistent+Agency": "No organisation called “Nonexistent Agency”",
        "since=2024-13-01": "since=2024-13-01 is not a date",
        "after=abc": "not a page position",
        "sort=sideways": "not an order",
        "page=0&sort=relevance&q=fia": "page=0 must be a whole number",
    }
    for params, note in checks.items():
        response = analyst.get(f"/?{params}")
        assert response.status_code == 200, params
        assert note in response.content.decode(), params


def test_hostile_or_huge_queries_get_a_message(analyst: Client, archive: dict[str, Entity]) -> None:
    for query, message in ((" ".join(f"w{n}" for n in range(40)), "more than 10 terms"),
                           (" ".join(["word"] * 100), "keep it under 200"), ("x" * 5000, "keep it under 200"),
                           ('"unclosed', "not closed"), ("NEAR(a b) OR", "between two terms")):
        response = analyst.get("/", {"q": query})
        assert response.status_code == 200
        assert message in response.content.decode()


def test_cursor_pages_link_to_each_other(analyst: Client, archive: dict[str, Entity]) -> None:
    first = page(analyst, "/", {"per_page": 2})
    assert shown(first) == [SIMS, CYBER] or shown(first) == [DAESH, SIMS, CYBER][1:]
    newest = Story.objects.get(title=CYBER)
    older = page(analyst, "/", {"per_page": 2, "after": Story.objects.get(title=SIMS).sort_key})
    assert shown(older) == [DAESH] and "Newer" in older
    assert f"after={Story.objects.get(title=SIMS).sort_key}" in first
    assert newest.sort_key is not None


def test_htmx_requests_get_only_the_results(analyst: Client, archive: dict[str, Entity]) -> None:
    response = analyst.get("/", {"org": "PTA"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert SIMS in html and "<html" not in html and 'hx-swap-oob="true"' in html


def test_facets_link_to_the_list_with_the_filter_added(analyst: Client, archive: dict[str, Entity]) -> None:
    html = page(analyst, "/facets/", {"place": "Karachi"})
    assert f"?place=Karachi&amp;org={archive['fia'].pk}" in html
    assert "Mohsin Naqvi" in html and "Counted over the 2 newest" in html


def test_story_page_shows_every_outlet_and_every_figure(analyst: Client, archive: dict[str, Entity]) -> None:
    story = Story.objects.get(title=DAESH)
    Mention.objects.filter(entity=archive["nacta"]).update(rule="gazetteer")
    Figure.objects.filter(value=1447).update(rule="digits+counted-phrase")
    html = page(analyst, f"/stories/{story.pk}/")
    assert "found by: gazetteer" in html and "read by: digits+counted-phrase" in html  # why each tag is there
    assert "first report" in html and "Arab News" in html and "Dawn" in html
    assert f'/entities/{archive["nacta"].pk}/' in html
    assert "web addresses blocked" in html


def test_story_page_without_tagged_names_says_so_instead_of_an_empty_panel(analyst: Client) -> None:
    untagged = make_story("PTA notice on SIM verification", "The authority asked subscribers to verify their SIMs.",
                          hours=0, entities=[], figures=[], outlet="Dawn")
    pta = entity("Pakistan Telecommunication Authority", acronym="PTA")
    tagged = make_story(SIMS, "The PTA blocked 50 social media accounts.", hours=1, entities=[pta], outlet="Dawn")
    assert "No organisations, people or places were tagged" in page(analyst, f"/stories/{untagged.pk}/")
    html = page(analyst, f"/stories/{tagged.pk}/")
    assert "No organisations, people or places were tagged" not in html and "Pakistan Telecommunication" in html


def test_entity_page_has_a_chart_companions_figures_and_stories(analyst: Client, archive: dict[str, Entity]) -> None:
    html = page(analyst, f"/entities/{archive['fia'].pk}/")
    assert "<svg" in html and "Stories per week" in html
    assert "Mohsin Naqvi" in html and "NACTA" in html  # mentioned with it
    assert "suspects arrested" in html  # a figure it reported
    assert DAESH in html and CYBER in html
    assert analyst.get("/entities/999999/").status_code == 404


def test_autocomplete_suggests_by_prefix_most_reported_first(analyst: Client, archive: dict[str, Entity]) -> None:
    data = analyst.get("/entities/autocomplete/", {"q": "fe", "kind": "org", "format": "json"}).json()
    assert [r["name"] for r in data["results"]] == ["Federal Investigation Agency"]
    html = page(analyst, "/entities/autocomplete/", {"kind": "org", "org": "pa"})
    assert '<option value="PTA">' in html


def test_figures_explorer_filters_and_shows_disagreements(analyst: Client, archive: dict[str, Entity]) -> None:
    html = page(analyst, "/figures/", {"subject": "NACTA"})
    assert "web addresses blocked" in html and "social media accounts" not in html
    assert "web addresses blocked" not in page(analyst, "/figures/", {"min": 100, "max": 1000})
    make_story("Express: NACTA blocks websites", "NACTA said 1,500 web addresses were blocked.", hours=1,
               entities=[archive["nacta"]], figures=[(1500, "web addresses blocked", archive["nacta"].name)],
               outlet="Express")
    html = page(analyst, "/figures/", {"subject": archive["nacta"].pk})
    assert "Outlets disagree" in html and "1447" in html.replace(",", "") and "1500" in html.replace(",", "")


def test_story_export_streams_thousands_of_rows(analyst: Client, archive: dict[str, Entity]) -> None:
    stories = Story.objects.bulk_create(Story(title=f"Bulletin {n}", first_published_at=BASE_TIME - timedelta(
        hours=n + 1)) for n in range(2500))
    for story in stories:
        story.sort_key = sort_key_for(story.first_published_at, story.pk)  # type: ignore[arg-type]
    Story.objects.bulk_update(stories, ["sort_key"])
    response = analyst.get("/stories/export.csv")
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))  # type: ignore[arg-type]
    assert len(rows) == 2503 and rows[0]["title"] == CYBER and rows[-1]["title"] == "Bulletin 2499"
    lines = b"".join(analyst.get("/stories/export.json", {"org": "FIA"}).streaming_content).decode().splitlines()  # type: ignore[attr-defined]
    assert [json.loads(line)["title"] for line in lines] == [CYBER, DAESH]


def test_figure_export_follows_the_filter(analyst: Client, archive: dict[str, Entity]) -> None:
    response = analyst.get("/figures/export.csv", {"subject": "PTA"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))  # type: ignore[attr-defined]
    assert [(row["value"], row["counts"]) for row in rows] == [("50.0", "social media accounts")]
    assert analyst.get("/figures/export.xml").status_code == 404


def test_empty_archive_says_what_to_do(analyst: Client) -> None:
    html = page(analyst, "/")
    assert "No stories yet" in html and "Ask an admin to add sources" in html


def test_times_are_shown_with_their_zone(analyst: Client, archive: dict[str, Entity]) -> None:
    assert "09:00 UTC" in page(analyst, "/")


def test_analysts_see_source_names_never_their_urls(analyst: Client) -> None:
    make_story("PTA note", outlet="PTA desk")
    Source.objects.filter(name="PTA desk").update(name="", url="https://pta.example/feed.xml?key=s3cret-token")
    story = Story.objects.get(title="PTA note")
    refresh_story_index(story)
    for url in ("/", f"/stories/{story.pk}/", "/facets/", "/stories/export.csv"):
        response = analyst.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        assert b"s3cret" not in body and b"pta.example" in body, url


def test_stories_filter_by_source_group_type_and_grade(analyst: Client, archive: dict[str, Entity]) -> None:
    from sources.models import SourceGroup

    pakistan = SourceGroup.objects.create(name="Pakistani outlets")
    dawn = Source.objects.get(name="Dawn")
    dawn.groups.add(pakistan)
    Source.objects.filter(name="Geo News").update(source_type="wire", reliability="B")
    assert shown(page(analyst, "/", {"group": "Pakistani outlets"})) == [DAESH, SIMS]
    assert shown(page(analyst, "/", {"group": pakistan.pk, "source": "Arab News"})) == [DAESH]
    assert shown(page(analyst, "/", {"type": "wire"})) == [CYBER]
    assert shown(page(analyst, "/", {"grade": "B"})) == [CYBER]
    assert shown(page(analyst, "/", {"grade": "A"})) == []
    assert "No source group" in page(analyst, "/", {"group": "Nowhere"})
