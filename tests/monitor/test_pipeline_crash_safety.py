"""Killing the worker mid-run and starting it again leaves no article stuck and none processed twice.

This runs the real thing: `manage.py run_huey` in its own process on a file-backed SQLite database and
Huey's SQLite queue, fed by a real local HTTP server whose article pages answer slowly, so the worker is
killed (SIGKILL, no chance to clean up) while it holds an article.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.briefing_site import serve_briefings
from tests.httpserver import LocalHTTPServer
from tests.processes import assert_nacta_mentions_stored_once, manage, sqlite_rows, start_worker, stop, wait_for

ARTICLES = 6
PAGE_DELAY = 1.0


@pytest.fixture
def slow_site() -> Iterator[LocalHTTPServer]:
    with LocalHTTPServer() as server:
        serve_briefings(server, ARTICLES, page_delay=PAGE_DELAY)
        yield server


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    return sqlite_rows(db, sql)


def test_killed_worker_leaves_nothing_stuck_or_done_twice(tmp_path: Path, slow_site: LocalHTTPServer) -> None:
    db = tmp_path / "monitor.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "MONITOR_VAR_DIR": str(tmp_path),
           "MONITOR_ALLOW_PRIVATE_FETCH": "1", "MONITOR_STARTER_FEEDS": "0", "HUEY_WORKERS": "1"}
    manage(env, "migrate", "--noinput")
    manage(env, "addsource", slow_site.url("/feed.xml"))
    manage(env, "shell", "-c", "from monitor.tasks import poll_source_task; poll_source_task(1)")

    log = tmp_path / "worker.log"
    worker = start_worker(env, log)
    try:
        # Kill it once two pages are extracted and it is fetching another (each page answers in a second).
        wait_for(lambda: rows(db, "select count(*) from sources_article where status != 'new'")[0][0] >= 2
                 and rows(db, "select count(*) from sources_article where status = 'new' and claimed_by != ''")[0][0] >= 1,
                 60, "the worker to extract two articles and start on a third", log)
    finally:
        stop(worker, signal.SIGKILL)

    done_before = {r[0] for r in rows(db, "select url from sources_article where status != 'new'")}
    stuck = rows(db, "select id from sources_article where claimed_by != ''")
    assert stuck, "the kill should have left an article claimed by the dead worker"
    requests_before = {path: len(slow_site.requests_for(path)) for path in (f"/news/{i}" for i in range(ARTICLES))}

    worker = start_worker(env, log)
    try:
        wait_for(lambda: rows(db, "select count(*) from sources_article where status='tagged'")[0][0] == ARTICLES,
                 90, "every article to be tagged after the restart", log)
    finally:
        stop(worker)

    assert rows(db, "select count(*) from sources_article")[0][0] == ARTICLES
    assert rows(db, "select count(*) from sources_article where claimed_by != '' or attempts > 0")[0][0] == 0
    # Pages extracted before the kill were not fetched again after the restart...
    for url in done_before:
        path = url.removeprefix(slow_site.origin)
        assert len(slow_site.requests_for(path)) == requests_before[path], f"{path} was fetched again"
    # ...and every article was stored once: one story each, its index keys, no repeated mentions.
    assert rows(db, "select count(*) from monitor_story")[0][0] == ARTICLES
    assert rows(db, "select count(*) from monitor_storyarticle where index_keys is not null")[0][0] == ARTICLES
    assert_nacta_mentions_stored_once(lambda sql: rows(db, sql))
