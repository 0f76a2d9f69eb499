"""The story queries, the search language and the dashboard views again, on PostgreSQL through the same code.

Runs those test modules in a child pytest with DATABASE_URL pointing at PostgreSQL (pytest-django makes and
drops its own test database there). Skips on a machine without PostgreSQL; fails in CI, where .ci/run starts it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.conftest import require_service

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("MONITOR_TEST_DATABASE_URL", "")
MODULES = ["tests/monitor/test_story_query.py", "tests/monitor/test_story_index.py", "tests/monitor/test_views.py",
           "tests/monitor/test_migrations.py", "tests/monitor/test_story_corrections.py",
           "tests/monitor/test_story_grouping.py", "tests/monitor/test_stories.py"]


def test_dashboard_queries_pass_on_postgresql(tmp_path: Path) -> None:
    require_service(bool(DATABASE_URL), "PostgreSQL (MONITOR_TEST_DATABASE_URL)")
    base = DATABASE_URL.rsplit("/", 1)[0]
    env = {**os.environ, "DATABASE_URL": f"{base}/monitor_pg_{uuid.uuid4().hex[:8]}", "MONITOR_VAR_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *MODULES],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout.splitlines()[-1]
