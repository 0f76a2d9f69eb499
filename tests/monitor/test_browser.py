"""The dashboard in a real browser: Debian's Chromium, driven by Playwright, against a live server.

An analyst logs in, searches, filters from the facet sidebar, opens a story, follows an entity link, reads the
figures explorer and exports. Screenshots go to $MONITOR_SCREENSHOT_DIR when it is set.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from typing import Any

import pytest
from playwright.sync_api import expect

from monitor.models import Entity
from sources.models import Source
from tests.browser import browser_page, shoot  # noqa: F401 - browser_page is a fixture
from tests.conftest import make_analyst
from tests.monitor.builders import entity, make_story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = ("ISLAMABAD: The National Counter Terrorism Authority (NACTA) has blocked 1,447 web addresses "
        "linked to Daesh, officials said.\n\nThe Federal Investigation Agency arrested 12 suspects in Karachi.")


def seed_archive() -> dict[str, Any]:
    nacta = entity("National Counter Terrorism Authority", acronym="NACTA")
    fia = entity("Federal Investigation Agency", acronym="FIA")
    pta = entity("Pakistan Telecommunication Authority", acronym="PTA")
    karachi = entity("Karachi", Entity.Kind.PLACE)
    daesh = make_story("NACTA blocks 1,447 web addresses", TEXT, entities=[nacta, fia, karachi],
                       figures=[(1447, "web addresses blocked", nacta.name)], outlet="Arab News", extra_outlets=["Dawn"])
    make_story("NACTA: 1,500 web addresses blocked", "NACTA said 1,500 web addresses were blocked.", hours=2,
               entities=[nacta], figures=[(1500, "web addresses blocked", nacta.name)], outlet="Express")
    make_story("PTA blocks unverified SIMs", "The Pakistan Telecommunication Authority (PTA) blocked SIMs in Karachi.",
               hours=5, entities=[pta, karachi], figures=[(50, "social media accounts", pta.name)], outlet="Dawn")
    for n in range(6):
        make_story(f"Karachi police bulletin {n}", "Karachi police reported a quiet night.", hours=10 + n,
                   entities=[karachi], outlet="Geo News")
    return {"daesh": daesh, "nacta": nacta}


def log_in(page: Any, base: str) -> None:
    page.goto(f"{base}/")
    assert "/accounts/login/" in page.url
    shoot(page, "login")
    page.fill("#id_username", "analyst")
    page.fill("#id_password", "a-long-test-password")
    page.click("button[type=submit]")
    page.wait_for_selector("table.stories")


def test_analyst_searches_filters_reads_and_exports(live_server: Any, browser_page: Any) -> None:
    make_analyst(password="a-long-test-password")
    seeded = seed_archive()
    page = browser_page
    log_in(page, live_server.url)
    page.wait_for_selector("#facets .facet-list")
    shoot(page, "story-list")
    assert page.locator("table.stories tbody tr").count() == 9
    # Nothing sticks out of a laptop-sized window.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280

    # Search: typing filters the list in place (htmx), and the address bar keeps the query.
    page.fill("#id_q", "web addresses")
    expect(page.locator("table.stories tbody tr")).to_have_count(2)
    assert parse_qs(urlsplit(page.url).query) == {"q": ["web addresses"], "sort": ["newest"]}
    assert page.locator("table.stories mark").count() >= 2
    shoot(page, "search")

    # Filter by an organisation from the facet sidebar.
    page.fill("#id_q", "")
    expect(page.locator("table.stories tbody tr")).to_have_count(9)
    page.wait_for_selector("#facets .facet-list a:text('PTA')")
    page.click("#facets .facet-list a:text('PTA')")
    expect(page.locator("table.stories tbody tr")).to_have_count(1)
    assert "PTA blocks unverified SIMs" in page.inner_text("table.stories")
    assert page.locator(".chip", has_text="PTA").count() == 1

    # Open a story, then follow an entity link to its page.
    page.goto(f"{live_server.url}/stories/{seeded['daesh'].pk}/")
    shoot(page, "story-detail")
    assert "first report" in page.inner_text(".copies")
    text_box = page.locator("article.story").bounding_box()
    tags_box = page.locator("aside.tags").bounding_box()
    assert tags_box["x"] > text_box["x"] + text_box["width"] - 1
    page.click("aside.tags a:text('National Counter Terrorism Authority')")
    page.wait_for_selector("svg.chart")
    shoot(page, "entity")
    assert "stories per week" in page.inner_text("main").lower()
    assert "Federal Investigation Agency" in page.inner_text("aside") or "FIA" in page.inner_text("aside")

    # The figures explorer shows the two outlets' different counts side by side.
    page.goto(f"{live_server.url}/figures/?subject={seeded['nacta'].pk}")
    page.wait_for_selector(".disagreements")
    shoot(page, "figures")
    assert "1,447" in page.inner_text(".disagreements") or "1447" in page.inner_text(".disagreements")

    # Export what is on screen.
    page.goto(f"{live_server.url}/?org=NACTA")
    with page.expect_download() as download_info:
        page.click(".exports a:text('CSV')")
    content = Path(download_info.value.path()).read_text()
    assert content.splitlines()[0].startswith("id,title") and len(content.splitlines()) == 3
    # The Content-Security-Policy blocks nothing the pages need.
    assert page.evaluate("document.querySelectorAll('script:not([src])').length") == 0
    assert page.console_errors == []


def test_dark_mode_follows_the_system(live_server: Any, browser_page: Any) -> None:
    make_analyst(password="a-long-test-password")
    seed_archive()
    page = browser_page
    page.emulate_media(color_scheme="dark")
    log_in(page, live_server.url)
    shoot(page, "story-list-dark")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(18, 23, 30)"


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
