"""A read-only var/ (where Huey's queue lives): commands still start, and the worker says so once and waits.

The read-only var/ is real: each process runs in its own mount namespace (`unshare -m`) with var/ bind-mounted
read-only, since the tests run as root and file permissions alone would not stop root from writing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from monitor.queue import ResilientSqliteStorage
from tests.conftest import require_service
from tests.processes import ROOT, manage

PYTHON = sys.executable


def read_only(var: Path, *command: str) -> list[str]:
    """The command line that runs `command` with `var` mounted read-only."""
    script = f'mount --bind "{var}" "{var}" && mount -o remount,ro,bind "{var}" && exec "$@"'
    return ["unshare", "-m", "sh", "-c", script, "sh", *command]


@pytest.fixture
def setup(tmp_path: Path) -> tuple[dict[str, str], Path]:
    can_mount = shutil.which("unshare") is not None and subprocess.run(
        read_only(tmp_path, "true"), capture_output=True).returncode == 0
    require_service(can_mount, "mount namespaces (unshare -m, as root)")
    var = tmp_path / "var"
    data = tmp_path / "data"
    var.mkdir()
    data.mkdir()
    # Huey's SQLite queue is the subject, also in the suite's PostgreSQL + Redis pass.
    env = {**os.environ, "MONITOR_VAR_DIR": str(var), "DATABASE_URL": f"sqlite:///{data}/monitor.sqlite3",
           "MONITOR_STARTER_FEEDS": "0", "REDIS_URL": ""}
    manage(env, "migrate", "--noinput")
    manage(env, "shell", "-c", "from sources.models import Source; "
           "Source.objects.create(url='https://news.example/feed.xml', name='Example News')")
    return env, var


def test_commands_that_do_not_need_the_queue_start_with_a_read_only_var(setup: tuple[dict[str, str], Path]) -> None:
    env, var = setup
    done = subprocess.run(read_only(var, PYTHON, "manage.py", "sources"), cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "https://news.example/feed.xml" in done.stdout


def test_the_worker_says_once_what_is_wrong_and_waits(setup: tuple[dict[str, str], Path], tmp_path: Path) -> None:
    env, var = setup
    log = tmp_path / "worker.log"
    worker = subprocess.Popen(read_only(var, PYTHON, "manage.py", "run_huey", "--workers", "1"), cwd=ROOT,
                              env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
    try:
        time.sleep(8)
        assert worker.poll() is None, log.read_text()[-2000:]  # still running
    finally:
        os.killpg(worker.pid, 15)
        worker.wait(20)
    text = log.read_text()
    assert text.count("cannot be used") == 1, text[-3000:]
    assert "is var/ full or read-only?" in text
    # Reading the queue, many times a second, adds nothing (it logged ~1,300 tracebacks in 75 s before). What
    # does fail loudly, once each, is work that would be lost: the two startup hooks' enqueues and the
    # scheduler's periodic tasks (at most once a minute each).
    assert "Error reading from queue" not in text
    errors = [line for line in text.splitlines() if "] ERROR:" in line]
    assert len(errors) <= 8, errors


def test_a_fresh_queue_makes_its_tables_on_first_use_whatever_comes_first(tmp_path: Path,
                                                                          caplog: pytest.LogCaptureFixture) -> None:
    storage = ResilientSqliteStorage("test", filename=str(tmp_path / "queue.sqlite3"))
    assert not (tmp_path / "queue.sqlite3").exists()  # nothing written when Django loads
    assert storage.read_schedule(datetime.now()) == []  # the scheduler's first look, before any enqueue
    storage.enqueue(b"task")
    assert storage.dequeue() == b"task"
    assert "cannot be used" not in caplog.text


def test_threads_arriving_together_at_a_fresh_queue_all_find_its_tables(tmp_path: Path,
                                                                        caplog: pytest.LogCaptureFixture) -> None:
    storage = ResilientSqliteStorage("test", filename=str(tmp_path / "queue.sqlite3"))
    start = threading.Barrier(8)
    results: list[object] = []

    def first_look() -> None:
        start.wait()
        results.append(storage.read_schedule(datetime.now()))

    threads = [threading.Thread(target=first_look) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [[]] * 8
    assert "cannot be used" not in caplog.text
