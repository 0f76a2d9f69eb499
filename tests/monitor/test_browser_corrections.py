"""An analyst corrects a story in real Chromium: reads why an article was grouped, splits it out, merges it back.

The stories are grouped by the real clustering from the fixture texts. Screenshots go to
$MONITOR_SCREENSHOT_DIR when it is set.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from monitor.models import Story, StoryArticle, StoryCorrection
from tests.browser import browser_page, shoot  # noqa: F401 - browser_page is a fixture
from tests.conftest import make_analyst
from tests.monitor.builders import clustered_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_analyst_splits_an_article_out_and_merges_it_back(live_server: Any, browser_page: Any) -> None:
    make_analyst(password="a-long-test-password")
    original = clustered_article("pta_sim_report", "capital.example", title="PTA blocks 312,480 SIMs")
    rewrite = clustered_article("pta_sim_rewrite", "frontier.example", hours=3,
                                title="Regulator shuts 312,480 connections")
    story = original.story_link.story_id
    assert rewrite.story_link.story_id == story
    page = browser_page
    page.goto(f"{live_server.url}/stories/{story}/")
    page.fill("#id_username", "analyst")
    page.fill("#id_password", "a-long-test-password")
    page.click("button[type=submit]")
    page.wait_for_selector("ol.copies")

    rewrite_row = page.locator("ol.copies > li", has_text="frontier.example")
    rewrite_row.locator("details.why summary").click()
    why = rewrite_row.locator("details.why p")
    expect(why).to_contain_text("a rewrite of the same report")
    expect(why).to_contain_text("shared figures")
    expect(page.locator("ol.copies > li", has_text="capital.example").locator(".tag.first")).to_have_text("first report")
    shoot(page, "story-evidence")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280

    rewrite_row.get_by_role("button", name="Split out").click()
    expect(page.locator(".messages")).to_contain_text("into a story of its own")
    split_story = StoryArticle.objects.get(article=rewrite).story_id
    assert page.url.endswith(f"/stories/{split_story}/") and split_story != story
    expect(page.locator("h1")).to_have_text("Regulator shuts 312,480 connections")

    page.goto(f"{live_server.url}/stories/{story}/")
    expect(page.locator(".corrections")).to_contain_text("split out")
    page.locator("details.merge summary").click()
    page.fill("#merge-other", f"{live_server.url}/stories/{split_story}/")
    page.get_by_role("button", name="Merge").click()
    expect(page.locator(".messages")).to_contain_text("Merged")
    expect(page.locator("ol.copies > li")).to_have_count(2)
    expect(page.locator(".corrections li")).to_have_count(2)
    shoot(page, "story-corrected")
    assert not Story.objects.filter(pk=split_story).exists()
    assert list(StoryCorrection.objects.order_by("made_at").values_list("kind", flat=True)) == ["split", "merge"]
    assert page.console_errors == []
