"""Every page needs a login, and only admins change sources."""

from __future__ import annotations

import pytest
from django.test import Client

from sources.models import Source
from tests.conftest import make_admin, make_analyst
from tests.monitor.builders import entity, make_story

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/stories/1/", "/?q=NACTA"])
def test_pages_redirect_anonymous_visitors_to_login(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_login_page_is_open_and_logs_in(client: Client, django_user_model: type) -> None:
    make_analyst(password="correct-horse-battery")
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"username": "analyst", "password": "correct-horse-battery"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_wrong_password_says_what_to_do(client: Client, django_user_model: type) -> None:
    make_analyst(password="correct-horse-battery")
    response = client.post("/accounts/login/", {"username": "analyst", "password": "wrong"})
    assert "did not match" in response.content.decode()


def test_analyst_cannot_change_sources(client: Client, django_user_model: type) -> None:
    source = Source.objects.create(url="https://example.org/feed.xml")
    client.force_login(make_analyst(password="x-long-password-1"))
    response = client.post(f"/admin/sources/source/{source.pk}/change/", {"url": "https://evil.example/",
                                                                           "enabled": "on"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    source.refresh_from_db()
    assert source.url == "https://example.org/feed.xml"


def test_admin_can_add_a_source(client: Client, django_user_model: type) -> None:
    client.force_login(django_user_model.objects.create_superuser("boss", "", "x-long-password-1"))
    response = client.post("/admin/sources/source/add/", {
        "url": "https://example.org/rss", "name": "Example", "enabled": "on", "polls-TOTAL_FORMS": "0",
        "polls-INITIAL_FORMS": "0", "polls-MIN_NUM_FORMS": "0", "polls-MAX_NUM_FORMS": "0"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Source.objects.filter(url="https://example.org/rss", name="Example").exists()


def test_admin_promotes_a_candidate_organisation_to_the_gazetteer(client: Client, django_user_model: type) -> None:
    from monitor.models import Entity, GazetteerEntry

    candidate = Entity.objects.create(kind=Entity.Kind.ORGANISATION, name="Frontier Research Council", acronym="FRC",
                                      aliases=["FRC", "Frontier Research Council", "the council"])
    client.force_login(django_user_model.objects.create_superuser("boss", "", "x-long-password-1"))
    response = client.post("/admin/monitor/entity/", {"action": "promote_to_gazetteer",
                                                      "_selected_action": [candidate.pk]}, follow=True)
    assert "1 organisations promoted" in response.content.decode()
    entry = GazetteerEntry.objects.get(canonical="Frontier Research Council")
    assert entry.acronyms == ["FRC"] and entry.origin == GazetteerEntry.Origin.PROMOTED
    assert "the council" in entry.aliases and "FRC" not in entry.aliases
    candidate.refresh_from_db()
    assert not candidate.is_candidate


def test_analyst_cannot_edit_the_gazetteer(client: Client, django_user_model: type) -> None:
    client.force_login(make_analyst(password="x-long-password-1"))
    response = client.get("/admin/monitor/gazetteerentry/add/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_admin_form_refuses_a_non_http_feed_address(client: Client, django_user_model: type) -> None:
    client.force_login(django_user_model.objects.create_superuser("boss", "", "x-long-password-1"))
    response = client.post("/admin/sources/source/add/", {
        "url": "ftp://example.org/feed.xml", "enabled": "on", "polls-TOTAL_FORMS": "0", "polls-INITIAL_FORMS": "0",
        "polls-MIN_NUM_FORMS": "0", "polls-MAX_NUM_FORMS": "0"})
    assert response.status_code == 200 and "not an http(s) URL" in response.content.decode()
    assert not Source.objects.exists()


def test_admin_source_page_lists_its_recent_polls(client: Client, django_user_model: type) -> None:
    from django.utils import timezone

    from sources.models import PollRecord

    source = Source.objects.create(url="https://example.org/feed.xml")
    PollRecord.objects.create(source=source, started_at=timezone.now(), outcome=PollRecord.Outcome.RATE_LIMITED,
                              http_status=429, error="the server answered HTTP 429 <b>")
    client.force_login(django_user_model.objects.create_superuser("boss", "", "x-long-password-1"))
    html = client.get(f"/admin/sources/source/{source.pk}/change/").content.decode()
    assert "rate-limited" in html and "429" in html
    assert "HTTP 429 &lt;b&gt;" in html  # errors are escaped, never rendered as markup


def test_admin_article_page_opens(client: Client, django_user_model: type) -> None:
    from sources.models import Article

    source = Source.objects.create(url="https://example.org/feed.xml")
    article = Article.objects.create(source=source, guid="g", url="https://example.org/a",
                                     canonical_url="https://example.org/a", url_hash="h", title="A story")
    client.force_login(django_user_model.objects.create_superuser("boss", "", "x-long-password-1"))
    response = client.get(f"/admin/sources/article/{article.pk}/change/")
    assert response.status_code == 200 and "A story" in response.content.decode()


DASHBOARD_URLS = ["/", "/?q=nacta", "/facets/", "/stories/{story}/", "/entities/{entity}/",
                  "/entities/autocomplete/?q=na", "/figures/", "/stories/export.csv", "/stories/export.json",
                  "/figures/export.csv"]
ADMIN_ONLY_URLS = ["/admin/sources/source/", "/admin/sources/source/add/", "/admin/monitor/gazetteerentry/",
                   "/admin/monitor/gazetteerentry/add/", "/admin/sources/article/"]


@pytest.fixture
def ids() -> dict[str, int]:
    nacta = entity("National Counter Terrorism Authority", acronym="NACTA")
    story = make_story("NACTA blocks websites", entities=[nacta])
    return {"story": story.pk, "entity": nacta.pk}


@pytest.mark.parametrize("url", DASHBOARD_URLS + ADMIN_ONLY_URLS)
def test_every_url_needs_a_login(client: Client, ids: dict[str, int], url: str) -> None:
    response = client.get(url.format(**ids))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("url", DASHBOARD_URLS)
def test_analysts_and_admins_reach_every_dashboard_url(client: Client, ids: dict[str, int], url: str) -> None:
    for user in (make_analyst(), make_admin()):
        client.force_login(user)
        assert client.get(url.format(**ids)).status_code == 200, (user, url)


@pytest.mark.parametrize("url", ADMIN_ONLY_URLS)
def test_only_admins_reach_source_and_gazetteer_management(client: Client, ids: dict[str, int], url: str) -> None:
    client.force_login(make_analyst())
    assert client.get(url).status_code in {302, 403}
    client.force_login(make_admin())
    assert client.get(url).status_code == 200


def test_a_user_without_a_role_gets_a_styled_403(client: Client, django_user_model: type) -> None:
    client.force_login(django_user_model.objects.create_user("nobody", password="x-long-password-1"))
    response = client.get("/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "You do not have access" in html and 'href="/"' in html


def test_unknown_pages_get_a_styled_404(client: Client) -> None:
    client.force_login(make_analyst())
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "Nothing here" in response.content.decode()


def test_the_500_page_renders_without_the_database() -> None:
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "Something went wrong" in html and 'href="/figures/"' in html


def test_repeated_wrong_passwords_lock_the_account_and_the_address(client: Client) -> None:
    make_analyst(password="correct-horse-battery")
    for _ in range(4):
        assert client.post("/accounts/login/", {"username": "analyst", "password": "wrong"}).status_code == 200
    assert client.post("/accounts/login/", {"username": "analyst", "password": "wrong"}).status_code == 429
    locked = client.post("/accounts/login/", {"username": "analyst", "password": "correct-horse-battery"})
    assert locked.status_code == 429 and "Too many failed logins" in locked.content.decode()
    # The same address cannot go on guessing other accounts either, on the admin's login page too.
    other = Client(REMOTE_ADDR="127.0.0.1")
    assert other.post("/admin/login/", {"username": "someone", "password": "x"}).status_code == 429
    # From elsewhere, the locked account stays locked.
    elsewhere = Client(REMOTE_ADDR="10.9.9.9")
    assert elsewhere.post("/accounts/login/", {"username": "analyst",
                                                "password": "correct-horse-battery"}).status_code == 429


def test_an_admin_can_unlock_a_locked_out_account(client: Client, admin_client: Client) -> None:
    from axes.models import AccessAttempt

    make_analyst(password="correct-horse-battery")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "analyst", "password": "wrong"})
    attempt = AccessAttempt.objects.get(username="analyst")
    assert admin_client.get("/admin/axes/accessattempt/").status_code == 200
    admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    response = client.post("/accounts/login/", {"username": "analyst", "password": "correct-horse-battery"})
    assert response.status_code == 302
