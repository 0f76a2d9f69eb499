"""Killing the worker mid-run and starting it again leaves no article stuck and none processed twice.

This runs the real thing: `manage.py run_huey` in its own process on a file-backed SQLite database and
Huey's SQLite queue, fed by a real local HTTP server whose article pages answer slowly, so the worker is
killed (SIGKILL, no chance to clean up) while it holds an article.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.httpserver import LocalHTTPServer

ARTICLES = 6
PAGE_DELAY = 1.0


def feed(origin: str) -> bytes:
    items = "".join(
        f"<item><title>NACTA briefing part {i}</title><link>{origin}/news/{i}</link><guid>brief-{i}</guid>"
        f"<description>Summary {i}</description></item>"
        for i in range(ARTICLES)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Briefings</title>{items}</channel></rss>'.encode()


def page(i: int) -> bytes:
    # Each page is its own story, so clustering cannot merge them and hide a duplicate.
    topics = ["blocked websites", "SIM misuse", "cybercrime cases", "border crossings", "terror financing",
              "madrassa registration"]
    return (f"<html><body><article><h1>NACTA briefing part {i}</h1>"
            f"<p>ISLAMABAD: The National Counter Terrorism Authority (NACTA) on {topics[i]}: officials said "
            f"{100 + i} cases were reviewed by the Federal Investigation Agency (FIA) in part {i} of the "
            f"briefing on {topics[i]}, which covered {topics[i]} in detail.</p></article></body></html>").encode()


@pytest.fixture
def slow_site() -> Iterator[LocalHTTPServer]:
    with LocalHTTPServer() as server:
        server.route("/feed.xml", body=feed(server.origin), headers={"Content-Type": "application/rss+xml"})
        for i in range(ARTICLES):
            server.route(f"/news/{i}", body=page(i), headers={"Content-Type": "text/html; charset=utf-8"},
                         delay=PAGE_DELAY)
        yield server


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "manage.py", "run_huey", "--workers", "1"], cwd=ROOT, env=env,
                            stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db, timeout=30) as conn:
        return list(conn.execute(sql))


def wait_for(predicate: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def test_killed_worker_leaves_nothing_stuck_or_done_twice(tmp_path: Path, slow_site: LocalHTTPServer) -> None:
    db = tmp_path / "monitor.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "MONITOR_VAR_DIR": str(tmp_path),
           "MONITOR_ALLOW_PRIVATE_FETCH": "1", "MONITOR_STARTER_FEEDS": "0", "HUEY_WORKERS": "1"}
    manage(env, "migrate", "--noinput")
    manage(env, "addsource", slow_site.url("/feed.xml"))
    manage(env, "shell", "-c", "from sources.tasks import poll_source_task; poll_source_task(1)")

    log = tmp_path / "worker.log"
    worker = start_worker(env, log)
    try:
        # Kill it once two articles are done and it is holding another (its page answers slowly).
        wait_for(lambda: rows(db, "select count(*) from monitor_article where status='tagged'")[0][0] >= 2
                 and rows(db, "select count(*) from monitor_article where claimed_by != ''")[0][0] >= 1,
                 60, "the worker to finish two articles and claim a third")
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)

    done_before = {r[0] for r in rows(db, "select url from monitor_article where status='tagged'")}
    stuck = rows(db, "select id from monitor_article where claimed_by != ''")
    assert stuck, "the kill should have left an article claimed by the dead worker"
    requests_before = {path: len(slow_site.requests_for(path)) for path in (f"/news/{i}" for i in range(ARTICLES))}

    worker = start_worker(env, log)
    try:
        wait_for(lambda: rows(db, "select count(*) from monitor_article where status='tagged'")[0][0] == ARTICLES,
                 90, "every article to be tagged after the restart")
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(20)

    assert rows(db, "select count(*) from monitor_article")[0][0] == ARTICLES
    assert rows(db, "select count(*) from monitor_article where claimed_by != '' or attempts > 0")[0][0] == 0
    # Articles finished before the kill were not fetched again after the restart...
    for url in done_before:
        path = url.removeprefix(slow_site.origin)
        assert len(slow_site.requests_for(path)) == requests_before[path], f"{path} was fetched again"
    # ...and every article was stored once: one story each, one set of band keys, no repeated mentions.
    assert rows(db, "select count(*) from monitor_story")[0][0] == ARTICLES
    assert rows(db, "select count(distinct article_id), count(*) from monitor_articleband")[0] == (
        ARTICLES, ARTICLES * rows(db, "select count(*) from monitor_articleband where article_id = "
                                      "(select min(id) from monitor_article)")[0][0])
    nacta_mentions = rows(db, "select m.article_id, count(*) from monitor_mention m join monitor_entity e "
                              "on e.id = m.entity_id where e.acronym = 'NACTA' group by m.article_id")
    assert len(nacta_mentions) == ARTICLES and all(n == 2 for _, n in nacta_mentions), nacta_mentions
