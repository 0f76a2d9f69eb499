"""Worker roles as real processes: a queue worker that only polls and fetches (MONITOR_WORKER_TAGS=0), and
`manage.py tag_worker` processes that tag; every article is tagged exactly once, also when a tag worker is
killed mid-batch. File-backed SQLite here (the embedded default); claims work the same way on PostgreSQL.
"""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.briefing_site import serve_briefings
from tests.httpserver import LocalHTTPServer
from tests.processes import (assert_nacta_mentions_stored_once, manage, sqlite_rows, start_tag_worker,
                             start_worker, stop, wait_for)

ARTICLES = 8  # one page per distinct briefing event (tests.briefing_site), so each is a story of its own


@pytest.fixture
def site() -> Iterator[LocalHTTPServer]:
    with LocalHTTPServer() as server:
        serve_briefings(server, ARTICLES)
        yield server


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    return sqlite_rows(db, sql)


def count(db: Path, where: str) -> int:
    return int(rows(db, f"select count(*) from sources_article where {where}")[0][0])  # type: ignore[call-overload]


def fetched_but_not_tagged(tmp_path: Path, site: LocalHTTPServer) -> tuple[Path, dict[str, str]]:
    """Runs a fetch-only queue worker until every article is extracted; checks it tagged none."""
    db = tmp_path / "monitor.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "MONITOR_VAR_DIR": str(tmp_path),
           "MONITOR_ALLOW_PRIVATE_FETCH": "1", "MONITOR_STARTER_FEEDS": "0", "MONITOR_WORKER_TAGS": "0"}
    manage(env, "migrate", "--noinput")
    manage(env, "addsource", site.url("/feed.xml"))
    log = tmp_path / "fetch.log"
    fetcher = start_worker(env, log, workers=2)
    try:
        wait_for(lambda: count(db, "status = 'extracted'") == ARTICLES, 90, "the fetch worker to extract every page", log)
        time.sleep(2)  # a worker that also tagged would have started by now
        assert count(db, "status = 'tagged'") == 0
    finally:
        stop(fetcher)
    return db, env


def assert_each_tagged_once(db: Path) -> None:
    assert count(db, "status = 'tagged'") == ARTICLES
    assert count(db, "claimed_by != '' or attempts > 0") == 0
    assert rows(db, "select count(*) from monitor_story")[0][0] == ARTICLES
    assert_nacta_mentions_stored_once(lambda sql: rows(db, sql))


def stopped_counts(output: str, word: str) -> int:
    """The sum over the workers' last lines ("tag worker: stopped, tagged 5, grouped 3") of `word`'s count."""
    return sum(int(found) for line in output.splitlines() if line.startswith("tag worker: stopped")
               for found in re.findall(rf"\b{word} (\d+)", line))


def test_fetch_workers_fetch_and_two_tag_workers_tag_each_article_once(tmp_path: Path, site: LocalHTTPServer) -> None:
    """Two workers that only tag and one that only groups into stories, as a deployment at scale runs them."""
    db, env = fetched_but_not_tagged(tmp_path, site)
    log = tmp_path / "tag.log"
    workers = [start_tag_worker(env, log, batch_size=2, stage="tag") for _ in range(2)]
    workers.append(start_tag_worker(env, log, batch_size=2, stage="group"))
    try:
        wait_for(lambda: count(db, "status = 'tagged'") == ARTICLES, 120, "the tag workers to tag everything", log)
    finally:
        for worker in workers:
            stop(worker)
    assert_each_tagged_once(db)
    output = log.read_text()
    assert output.count("tag worker: stopped") == 3  # all stopped cleanly on SIGTERM
    assert stopped_counts(output, "tagged") == ARTICLES and stopped_counts(output, "grouped") == ARTICLES
    assert rows(db, "select count(*) from monitor_ungroupedarticle")[0][0] == 0  # each kept row was used up


def test_a_tag_worker_killed_mid_batch_leaves_nothing_stuck(tmp_path: Path, site: LocalHTTPServer) -> None:
    db, env = fetched_but_not_tagged(tmp_path, site)
    log = tmp_path / "tag.log"
    doomed = start_tag_worker(env, log, batch_size=4)
    try:
        # Articles claimed and not yet stored: the worker is inside a batch (in the NLP or storing its results).
        wait_for(lambda: count(db, "status = 'extracted' and claimed_by != ''") >= 1,
                 120, "the tag worker to be inside a batch", log)
    finally:
        stop(doomed, signal.SIGKILL)
    assert count(db, "status = 'extracted' and claimed_by != ''") >= 1, "the kill should leave claims behind"
    survivor = start_tag_worker(env, log, batch_size=8)
    try:
        wait_for(lambda: count(db, "status = 'tagged'") == ARTICLES, 120, "the next tag worker to finish the work", log)
    finally:
        stop(survivor)
    assert_each_tagged_once(db)
