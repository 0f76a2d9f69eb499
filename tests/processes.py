"""Helpers for tests that run Monitor's real processes (`manage.py …`, the Huey worker) as subprocesses."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(env: dict[str, str], *args: str) -> str:
    """Runs `manage.py ARGS` to completion and returns its output; fails the test on a non-zero exit."""
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stderr}"
    return done.stdout


def start_worker(env: dict[str, str], log: Path, *, workers: int = 1) -> subprocess.Popen[bytes]:
    """Starts `manage.py run_huey` in its own process group, logging to `log`."""
    return subprocess.Popen([sys.executable, "manage.py", "run_huey", "--workers", str(workers)], cwd=ROOT,
                            env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


def wait_for(predicate: Callable[[], bool], timeout: float, what: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise AssertionError(f"timed out after {timeout}s waiting for {what}\n{tail}")


def start_tag_worker(env: dict[str, str], log: Path, *, batch_size: int = 16, stage: str = "all",
                     ) -> subprocess.Popen[bytes]:
    """Starts `manage.py tag_worker` (of `stage`: all, tag or group) in its own process group, logging to `log`."""
    return subprocess.Popen([sys.executable, "manage.py", "tag_worker", "--batch-size", str(batch_size),
                             "--stage", stage], cwd=ROOT,
                            env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)


def sqlite_rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    """The rows of `sql` on a worker's SQLite file, read beside the running processes."""
    with sqlite3.connect(db, timeout=30) as conn:
        return list(conn.execute(sql))


Query = Callable[[str], list[tuple[object, ...]]]


def assert_nacta_mentions_stored_once(query: Query) -> None:
    """Each article's NACTA mentions are exactly those in its text: a tagging stored twice would show here.
    `query` runs SQL on the workers' database (sqlite_rows, or a PostgreSQL equivalent)."""
    for article_id, text, page_error in query("select id, text, extraction_error from sources_article"):
        expected = str(text).count("NACTA") + str(text).count("National Counter Terrorism Authority")
        stored = query("select count(*) from monitor_mention m join monitor_entity e on e.id = m.entity_id "
                       f"where e.acronym = 'NACTA' and m.article_id = {article_id}")[0][0]
        assert stored == expected > 0, (article_id, stored, expected, page_error)
