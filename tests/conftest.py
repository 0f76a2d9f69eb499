"""Fixtures shared by the whole suite.

- Fetching from loopback is refused by default; every test here turns MONITOR_ALLOW_PRIVATE_FETCH on
  explicitly, because the only servers tests may talk to are local ones.
- `site_server` serves tests/fixtures/site/ (a feed and its article pages) from a real local HTTP server.
- `SHARED` is ../shared beside the project; tests that read it skip when it is absent.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.httpserver import LocalHTTPServer
from tests.sources.conftest import http_server, local_policy, make_http_server  # noqa: F401 - shared fixtures

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def make_analyst(username: str = "analyst", password: str = "an-analyst-password-1") -> Any:
    """A user with the analyst role: reads, filters and exports, and corrects stories (split, merge)."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username, password=password)
    user.groups.add(Group.objects.get(name="analyst"))
    return user


def make_admin(username: str = "admin-user", password: str = "an-admin-password-1") -> Any:
    """A user with the admin role (staff, in the admin group), not a superuser."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username, password=password, is_staff=True)
    user.groups.add(Group.objects.get(name="admin"))
    return user


def require_service(available: bool, what: str) -> None:
    """Skips on a developer's machine without the service, but fails in CI, where .ci/run installs it."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI; .ci/run should have installed it")
    pytest.skip(f"{what} is not available here; run .ci/run (or install it) to include this test")


@pytest.fixture(autouse=True)
def fresh_candidate_index(request: pytest.FixtureRequest) -> None:
    """Each test starts with nothing in the grouping candidate index, which lives in this process's memory:
    between tests the database is rolled back or emptied, and the next test reuses the article ids."""
    if not request.config.pluginmanager.has_plugin("django"):
        return
    from monitor.candidate_index import INDEX

    INDEX.reset()


@pytest.fixture(autouse=True)
def allow_private_fetch(request: pytest.FixtureRequest) -> None:
    # Pure-Python tests (the NLP package, the fetcher) may run without pytest-django: nothing to set then.
    if not request.config.pluginmanager.has_plugin("django"):
        return
    settings = request.getfixturevalue("settings")
    settings.MONITOR_ALLOW_PRIVATE_FETCH = True
    settings.MONITOR_CONNECT_TIMEOUT = 2.0
    settings.MONITOR_READ_TIMEOUT = 5.0
    settings.MONITOR_TOTAL_TIMEOUT = 10.0


def serve_site(server: LocalHTTPServer, *, paywalled_status: int = 403) -> LocalHTTPServer:
    """Routes the fixture site: /feed.xml, two article pages, and a paywalled page that answers 403."""
    site = FIXTURES / "site"
    feed = (site / "feed.xml").read_text().replace("{base}", server.origin)
    server.route("/feed.xml", body=feed.encode(), headers={"Content-Type": "application/rss+xml; charset=utf-8"})
    # The feed links the NACTA story with tracking parameters, as many feeds do; the page is fetched as linked.
    pages = {"/news/nacta-daesh-recruiters?utm_source=rss&utm_medium=feed": "nacta-daesh-recruiters",
             "/news/pta-sim-misuse": "pta-sim-misuse"}
    for path, name in pages.items():
        server.route(path, body=(site / f"{name}.html").read_bytes(), headers={"Content-Type": "text/html; charset=utf-8"})
    server.route("/news/fia-paywalled", status=paywalled_status, body=b"<html><body>Subscribe to read</body></html>",
                 headers={"Content-Type": "text/html"})
    return server


@pytest.fixture
def site_server() -> Iterator[LocalHTTPServer]:
    with LocalHTTPServer() as server:
        yield serve_site(server)
