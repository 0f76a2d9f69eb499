"""Only admins (sources.change_source) reach the sources pages: anonymous visitors are sent to log in, analysts
get 403 from every view and every action, not just a hidden link."""

from __future__ import annotations

import pytest
from django.test import Client

from sources.models import Source, SourceChange, SourceGroup
from tests.conftest import make_admin, make_analyst

pytestmark = pytest.mark.django_db


@pytest.fixture
def source() -> Source:
    group = SourceGroup.objects.create(name="Pakistan press")
    source = Source.objects.create(url="https://dawn.example/feed", name="Dawn")
    source.groups.add(group)
    return source


def pages(source: Source) -> list[tuple[str, str]]:
    return [("get", "/sources/"), ("get", "/sources/add/"), ("post", "/sources/add/"), ("get", "/sources/import/"),
            ("post", "/sources/import/"), ("get", "/sources/export.opml"), ("get", f"/sources/{source.pk}/"),
            ("get", f"/sources/{source.pk}/edit/"), ("post", f"/sources/{source.pk}/edit/"),
            ("post", f"/sources/{source.pk}/poll/"), ("post", f"/sources/{source.pk}/enable/"),
            ("post", f"/sources/{source.pk}/disable/"), ("post", f"/sources/{source.pk}/clear-errors/")]


def test_anonymous_visitors_are_sent_to_log_in(client: Client, source: Source) -> None:
    for method, path in pages(source):
        response = getattr(client, method)(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), (method, path)


def test_analysts_get_403_everywhere_and_change_nothing(client: Client, source: Source) -> None:
    client.force_login(make_analyst())
    for method, path in pages(source):
        data = {"url": "https://evil.example/feed", "name": "x", "step": "save"} if method == "post" else None
        response = getattr(client, method)(path, data)
        assert response.status_code == 403, (method, path)
    source.refresh_from_db()
    assert source.enabled and source.url == "https://dawn.example/feed" and not SourceChange.objects.exists()
    assert 'href="/sources/"' not in client.get("/").content.decode()  # and no link to them


def test_admins_reach_every_page(client: Client, source: Source) -> None:
    client.force_login(make_admin())
    for method, path in pages(source):
        if method == "get":
            assert client.get(path).status_code == 200, path
    assert client.post(f"/sources/{source.pk}/disable/").status_code == 302
    assert client.post(f"/sources/{source.pk}/nonsense/").status_code == 404
    assert 'href="/sources/"' in client.get("/").content.decode()


def test_actions_refuse_get(client: Client, source: Source) -> None:
    client.force_login(make_admin())
    assert client.get(f"/sources/{source.pk}/disable/").status_code == 405
    source.refresh_from_db()
    assert source.enabled


def test_actions_do_not_redirect_off_site(client: Client, source: Source) -> None:
    client.force_login(make_admin())
    response = client.post(f"/sources/{source.pk}/disable/", {"next": "https://evil.example/"})
    assert response["Location"] == f"/sources/{source.pk}/"
