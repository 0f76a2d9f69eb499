"""From a feed on a real local HTTP server to a tagged story an analyst can see, filter and open."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from monitor.models import Entity, Figure, Story
from sources.models import Article, PollRecord, Source
from tests.httpserver import LocalHTTPServer
from tests.conftest import make_analyst

pytestmark = pytest.mark.django_db(transaction=True)

NACTA_TITLE = "NACTA widens drive against Daesh recruiters online"
PTA_TITLE = "PTA tightens rules on SIM misuse after counter-terrorism review"


@pytest.fixture
def polled(site_server: LocalHTTPServer) -> LocalHTTPServer:
    call_command("addsource", site_server.url("/feed.xml"), stdout=StringIO())
    out = StringIO()
    call_command("poll", "--once", "--no-progress", stdout=out)
    assert "new articles 3" in out.getvalue(), out.getvalue()
    return site_server


@pytest.fixture
def analyst(client: Client, django_user_model: type) -> Client:
    client.force_login(make_analyst(password="not-a-real-password-1"))
    return client


def test_feed_to_tagged_story_visible_on_story_list(polled: LocalHTTPServer, analyst: Client) -> None:
    assert Article.objects.filter(status=Article.Status.TAGGED).count() == 3
    page = analyst.get("/")
    assert page.status_code == 200
    html = page.content.decode()
    assert NACTA_TITLE in html and PTA_TITLE in html
    # The organisations column shows the acronym, with the full name on hover.
    assert 'title="National Counter Terrorism Authority">NACTA</a>' in html
    assert "Frontier Security Desk" in html


def test_story_list_filters_by_organisation_and_words(polled: LocalHTTPServer, analyst: Client) -> None:
    pta = Entity.objects.get(kind=Entity.Kind.ORGANISATION, acronym="PTA")
    assert pta.name == "Pakistan Telecommunication Authority"
    by_org = analyst.get("/", {"org": pta.pk}).content.decode()
    assert PTA_TITLE in by_org and NACTA_TITLE not in by_org
    by_words = analyst.get("/", {"q": "encrypted messaging"}).content.decode()
    assert NACTA_TITLE in by_words and PTA_TITLE not in by_words


def test_story_page_shows_text_tags_and_figures(polled: LocalHTTPServer, analyst: Client) -> None:
    story = Story.objects.get(title=NACTA_TITLE)
    html = analyst.get(f"/stories/{story.pk}/").content.decode()
    assert "blocked 1,447 web addresses" in html
    assert "Cookie" not in html and "First comment" not in html  # boilerplate left behind by extraction
    # The <title>, the heading and the outlet list; not again as the text's first paragraph.
    assert html.count(NACTA_TITLE) == 3
    assert "Mohsin Naqvi" in html and "Federal Investigation Agency" in html
    figure = Figure.objects.get(article__story_link__story=story, value=1447)
    assert "web addresses" in figure.counts


def test_page_that_fails_keeps_the_feed_summary(polled: LocalHTTPServer, analyst: Client) -> None:
    article = Article.objects.get(title__startswith="Paywalled")
    assert article.status == Article.Status.TAGGED
    assert article.extraction == Article.Extraction.FAILED
    assert "403" in article.extraction_error
    assert "56,000 complaints" in article.text
    html = analyst.get(f"/stories/{article.story_link.story_id}/").content.decode()
    assert "could not be used" in html and "56,000 complaints" in html


def test_feed_summary_html_is_sanitised(polled: LocalHTTPServer) -> None:
    article = Article.objects.get(title=PTA_TITLE)
    assert "<script>" in article.summary_html  # stored as received...
    from sources.extraction import sanitize_html

    assert "<script" not in sanitize_html(article.summary_html)  # ...and never shown unsanitised


def test_second_poll_of_unchanged_feed_creates_nothing(polled: LocalHTTPServer) -> None:
    call_command("poll", "--once", "--all", "--no-progress", stdout=StringIO())
    assert Article.objects.count() == 3
    assert PollRecord.objects.count() == 2
    assert Source.objects.get().status == Source.Status.OK


def test_story_list_shows_pipeline_status(polled: LocalHTTPServer, analyst: Client) -> None:
    html = analyst.get("/").content.decode()
    assert "1 source" in html and "last polled" in html
    Source.objects.update(consecutive_errors=2)
    assert "1 source failing" in analyst.get("/").content.decode()
