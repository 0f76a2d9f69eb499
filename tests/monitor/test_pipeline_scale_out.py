"""The scale-out configuration: the same code on real PostgreSQL and Huey on real Redis, only settings changed.

Two worker processes (standing in for two machines) share one Redis queue and one PostgreSQL database and
run a poll to the end; every article is tagged exactly once. The servers come from MONITOR_TEST_DATABASE_URL
(a PostgreSQL role allowed to create databases) and MONITOR_TEST_REDIS_URL, which .ci/run sets after
installing and starting Debian's postgresql and redis-server. Without them the test skips locally and fails
in CI.
"""

from __future__ import annotations

import os
import signal
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.briefing_site import serve_briefings
from tests.conftest import require_service
from tests.httpserver import LocalHTTPServer
from tests.processes import assert_nacta_mentions_stored_once, manage, start_tag_worker, start_worker, stop, wait_for

pytestmark = pytest.mark.services

ARTICLES = 8
DATABASE_URL = os.environ.get("MONITOR_TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("MONITOR_TEST_REDIS_URL", "")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    require_service(bool(DATABASE_URL), "PostgreSQL (MONITOR_TEST_DATABASE_URL)")
    import psycopg

    name = f"monitor_scale_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(DATABASE_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = DATABASE_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(DATABASE_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def redis_url() -> Iterator[str]:
    require_service(bool(REDIS_URL), "Redis (MONITOR_TEST_REDIS_URL)")
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield REDIS_URL
    client.flushdb()


def pg_rows(db_url: str, sql: str) -> list[tuple[object, ...]]:
    import psycopg

    with psycopg.connect(db_url) as conn:
        return list(conn.execute(sql).fetchall())


def count(db_url: str, sql: str) -> int:
    import psycopg

    with psycopg.connect(db_url) as conn:
        row = conn.execute(sql).fetchone()
    assert row is not None
    return int(row[0])


def test_two_workers_on_postgres_and_redis_tag_every_article_once(
        tmp_path: Path, postgres_url: str, redis_url: str) -> None:
    import redis

    env = {**os.environ, "DATABASE_URL": postgres_url, "REDIS_URL": redis_url, "MONITOR_VAR_DIR": str(tmp_path),
           "MONITOR_ALLOW_PRIVATE_FETCH": "1", "MONITOR_STARTER_FEEDS": "0"}
    with LocalHTTPServer() as site:
        serve_briefings(site, ARTICLES, page_delay=0.3)
        manage(env, "migrate", "--noinput")
        assert manage(env, "shell", "-c", "from huey.contrib.djhuey import HUEY; print(type(HUEY).__name__)"
                      ).strip().splitlines()[-1] == "RedisHuey"
        manage(env, "addsource", site.url("/feed.xml"))
        manage(env, "shell", "-c", "from monitor.tasks import poll_source_task; poll_source_task(1)")
        # The poll task waits in Redis, not in a local file, so any worker machine can take it.
        assert redis.Redis.from_url(redis_url).keys("*monitor*")

        logs = [tmp_path / "worker-a.log", tmp_path / "worker-b.log"]
        workers = [start_worker(env, log, workers=2) for log in logs]
        try:
            wait_for(lambda: count(postgres_url, "select count(*) from sources_article where status = 'tagged'")
                     == ARTICLES, 120, "every article to be tagged", logs[0])
        finally:
            for worker in workers:
                stop(worker)

    assert count(postgres_url, "select count(*) from sources_article") == ARTICLES
    assert count(postgres_url, "select count(*) from sources_article where claimed_by != '' or attempts > 0") == 0
    assert count(postgres_url, "select count(*) from monitor_story") == ARTICLES
    assert count(postgres_url, "select count(*) from sources_pollrecord") == 1
    for i in range(ARTICLES):
        assert len(site.requests_for(f"/news/{i}")) == 1, f"page {i} was fetched more than once"


MANY = 200


def test_fetch_and_tag_workers_on_postgres_and_redis_survive_kills(
        tmp_path: Path, postgres_url: str, redis_url: str) -> None:
    """Two fetch workers (run_huey, MONITOR_WORKER_TAGS=0) and two tag workers as real processes; one of each
    is killed with SIGKILL mid-page / mid-batch and replaced. Every article is still fetched and tagged once."""
    env = {**os.environ, "DATABASE_URL": postgres_url, "REDIS_URL": redis_url, "MONITOR_VAR_DIR": str(tmp_path),
           "MONITOR_ALLOW_PRIVATE_FETCH": "1", "MONITOR_STARTER_FEEDS": "0"}
    fetch_env = {**env, "MONITOR_WORKER_TAGS": "0"}
    waiting = "select count(*) from sources_article where status = '{}'"
    claimed = "select count(*) from sources_article where status = '{}' and claimed_by != ''"
    with LocalHTTPServer() as site:
        serve_briefings(site, MANY, page_delay=0.2)
        manage(env, "migrate", "--noinput")
        manage(env, "addsource", site.url("/feed.xml"))
        log = tmp_path / "workers.log"
        fetchers = [start_worker(fetch_env, log, workers=4) for _ in range(2)]
        taggers = [start_tag_worker(env, log, batch_size=8) for _ in range(2)]
        try:
            wait_for(lambda: count(postgres_url, claimed.format("new")) >= 1
                     and count(postgres_url, waiting.format("tagged")) >= 10, 180,
                     "a fetch worker inside a page and some articles tagged", log)
            stop(fetchers.pop(0), signal.SIGKILL)
            wait_for(lambda: count(postgres_url, claimed.format("extracted")) >= 1, 120,
                     "a tag worker inside a batch", log)
            stop(taggers.pop(0), signal.SIGKILL)
            fetchers.append(start_worker(fetch_env, log, workers=4))
            taggers.append(start_tag_worker(env, log, batch_size=8))
            wait_for(lambda: count(postgres_url, waiting.format("tagged")) == MANY, 300,
                     "every article to be tagged after the kills", log)
        finally:
            for process in fetchers + taggers:
                stop(process)

    assert count(postgres_url, "select count(*) from sources_article") == MANY
    assert count(postgres_url, "select count(*) from sources_article where claimed_by != '' or attempts > 0") == 0
    assert count(postgres_url, "select count(*) from monitor_storyarticle") == MANY
    assert_nacta_mentions_stored_once(lambda sql: pg_rows(postgres_url, sql))
    # Fetched once, except the page a killed fetch worker was reading when it died, which is fetched again.
    refetched = [i for i in range(MANY) if len(site.requests_for(f"/news/{i}")) > 1]
    assert len(refetched) <= 4 and all(len(site.requests_for(f"/news/{i}")) == 2 for i in refetched)
