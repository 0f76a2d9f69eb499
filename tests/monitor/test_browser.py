"""The dashboard in a real browser: Debian's Chromium, driven by Playwright, against a live server.

An analyst logs in through the form, sees the story list with its organisation tags, filters it, and opens a
story with its highlighted text and figures. Screenshots go to $MONITOR_SCREENSHOT_DIR when it is set.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from monitor.models import Entity, Figure, Mention, Story, StoryArticle
from sources.models import Article, Source
from tests.conftest import require_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Playwright's sync API runs an event loop in this thread; the ORM calls here are plain blocking ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

TEXT = ("ISLAMABAD: The National Counter Terrorism Authority (NACTA) has blocked 1,447 web addresses "
        "linked to Daesh, officials said.\n\nThe Federal Investigation Agency arrested 12 suspects in Karachi.")


@pytest.fixture
def browser_page() -> Iterator[Any]:
    require_service(os.path.exists(CHROMIUM), f"Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.console_errors = []  # type: ignore[attr-defined]
        page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
        yield page
        browser.close()


def shoot(page: Any, name: str) -> None:
    folder = os.environ.get("MONITOR_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def make_story(title: str, text: str, orgs: list[tuple[str, str, str]]) -> Story:
    source, _ = Source.objects.get_or_create(url="https://news.example.org/feed.xml", defaults={"name": "Example News"})
    article = Article.objects.create(
        source=source, guid=title, url=f"https://news.example.org/{abs(hash(title))}",
        canonical_url=f"https://news.example.org/{abs(hash(title))}", url_hash=str(abs(hash(title))), title=title,
        text=text, status=Article.Status.TAGGED, extraction=Article.Extraction.OK, published_at=timezone.now())
    story = Story.objects.create(title=title, first_article=article, first_published_at=article.published_at,
                                 article_count=1, outlet_count=1)
    StoryArticle.objects.create(article=article, story=story)
    for name, acronym, surface in orgs:
        entity, _ = Entity.objects.get_or_create(kind=Entity.Kind.ORGANISATION, name=name, defaults={"acronym": acronym})
        start = text.index(surface)
        Mention.objects.create(article=article, entity=entity, start=start, end=start + len(surface),
                               surface=surface, pipeline_version="test")
    return story


def test_analyst_logs_in_filters_and_opens_a_story(live_server: Any, browser_page: Any,
                                                   django_user_model: Any) -> None:
    django_user_model.objects.create_user("analyst", password="a-long-test-password")
    story = make_story("NACTA blocks 1,447 web addresses", TEXT,
                       [("National Counter Terrorism Authority", "NACTA", "National Counter Terrorism Authority"),
                        ("Federal Investigation Agency", "FIA", "Federal Investigation Agency")])
    Figure.objects.create(article=story.first_article, text="1,447 web addresses", value=1447,
                          counts="web addresses", start=TEXT.index("1,447"), end=TEXT.index("1,447") + 19,
                          subject="National Counter Terrorism Authority", pipeline_version="test")
    make_story("PTA blocks unverified SIMs", "The Pakistan Telecommunication Authority (PTA) blocked SIMs.",
               [("Pakistan Telecommunication Authority", "PTA", "Pakistan Telecommunication Authority")])
    page = browser_page

    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    shoot(page, "login")
    page.fill("#id_username", "analyst")
    page.fill("#id_password", "a-long-test-password")
    page.click("button[type=submit]")
    page.wait_for_selector("table.stories")
    shoot(page, "story-list")
    rows = page.locator("table.stories tbody tr")
    assert rows.count() == 2
    assert page.locator("span.tag.org", has_text="NACTA").first.get_attribute("title") == \
        "National Counter Terrorism Authority"

    page.select_option("#id_organisation", label="Pakistan Telecommunication Authority (PTA)")
    page.click("aside.filters button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("table.stories tbody tr").count() == 1
    assert "PTA blocks unverified SIMs" in page.inner_text("table.stories")

    page.goto(f"{live_server.url}/stories/{story.pk}/")
    shoot(page, "story-detail")
    assert page.locator("mark.ent.org", has_text="National Counter Terrorism Authority").count() == 1
    assert "web addresses" in page.inner_text("table.figures")
    # The layout holds: the tag panel sits beside the text, not under it, on a laptop-sized window.
    text_box = page.locator("article.story").bounding_box()
    tags_box = page.locator("aside.tags").bounding_box()
    assert tags_box["x"] > text_box["x"] + text_box["width"] - 1
    # The Content-Security-Policy blocks nothing the pages need, the admin's scripts included.
    assert page.evaluate("document.querySelectorAll('script:not([src])').length") == 0
    assert page.console_errors == []


def test_admin_works_under_the_content_security_policy(live_server: Any, browser_page: Any,
                                                       django_user_model: Any) -> None:
    django_user_model.objects.create_superuser("boss", "", "a-long-test-password")
    page = browser_page
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/sources/source/add/")
    page.fill("#id_url", "https://feeds.example.org/rss.xml")
    page.fill("#id_name", "Example feed")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    shoot(page, "admin-sources")
    assert Source.objects.filter(url="https://feeds.example.org/rss.xml").exists()
    assert "Example feed" in page.inner_text("#result_list")
    assert page.console_errors == []
