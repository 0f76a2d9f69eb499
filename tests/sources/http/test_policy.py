"""`sources.http.policy`: FetchError survives a task queue, and FetchPolicy reads Django settings only when asked."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

from sources.http import FetchError

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def test_fetch_error_survives_pickling() -> None:
    # Task queues pickle exceptions raised by tasks.
    error = FetchError("blocked-address", "Refused.", url="http://10.0.0.1/")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.code, str(copy), copy.url, copy.temporary) == ("blocked-address", "Refused.", "http://10.0.0.1/", False)


# --- Settings ---------------------------------------------------------------------------------------------


def test_policy_from_settings_reads_the_monitor_variables(tmp_path: Path) -> None:
    # In a child process so that configuring Django here cannot leak into other tests.
    script = (
        "import django; django.setup()\n"
        "from sources.http import FetchPolicy\n"
        "p = FetchPolicy.from_settings()\n"
        "print(p.allow_private, p.user_agent, p.connect_timeout, p.read_timeout, p.total_timeout,"
        " p.max_bytes, p.max_redirects, p.per_host_concurrency, sep='|')\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "monitor.settings",
        "MONITOR_VAR_DIR": str(tmp_path),
        "MONITOR_ALLOW_PRIVATE_FETCH": "1",
        "MONITOR_USER_AGENT": "TestBot/1.0",
        "MONITOR_CONNECT_TIMEOUT": "3.5",
        "MONITOR_READ_TIMEOUT": "7",
        "MONITOR_TOTAL_TIMEOUT": "30",
        "MONITOR_MAX_BYTES": "12345",
        "MONITOR_MAX_REDIRECTS": "3",
        "MONITOR_PER_HOST_CONCURRENCY": "4",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True|TestBot/1.0|3.5|7.0|30.0|12345|3|4"


def test_importing_the_package_loads_no_django() -> None:
    # Plain scripts and benchmarks fetch without configuring Django; only from_settings may bring it in.
    script = "import sys, sources.http; print([m for m in sys.modules if m.split('.')[0] == 'django'])"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
