"""The web server `make run` starts (gunicorn with whitenoise), and the documented production settings.

Both run real processes: gunicorn serving a fresh database, and `manage.py check --deploy`.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.error import HTTPError

import pytest

from tests.processes import ROOT, manage, stop, wait_for

GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.fixture
def gunicorn(tmp_path: Path) -> Iterator[str]:
    env = {**os.environ, "MONITOR_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/web.sqlite3",
           "MONITOR_STARTER_FEEDS": "0"}
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    port = free_port()
    log = tmp_path / "gunicorn.log"
    process = subprocess.Popen([str(GUNICORN), "monitor.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                                "--threads", "2"], cwd=ROOT, env=env, stdout=log.open("ab"),
                               stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"

    def answering() -> bool:
        try:
            return get(f"{base}/accounts/login/")[0] == 200
        except OSError:
            return False

    try:
        wait_for(answering, 30, "gunicorn to answer", log)
        yield base
    finally:
        stop(process)


def test_gunicorn_serves_pages_and_compressed_static_files(gunicorn: str) -> None:
    status, _, body = get(f"{gunicorn}/accounts/login/")
    assert status == 200 and b"Log in" in body
    request = urllib.request.Request(f"{gunicorn}/static/monitor/monitor.css", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200 and response.headers["Content-Encoding"] == "gzip"
    with urllib.request.urlopen(f"{gunicorn}/", timeout=10) as response:
        assert "/accounts/login/" in response.url  # still a login wall


def test_a_huge_query_string_does_not_stop_the_server(gunicorn: str) -> None:
    for _ in range(3):
        status, _, _ = get(f"{gunicorn}/accounts/login/?q={'x' * 8000}")
        assert status in {200, 400, 414}
    assert get(f"{gunicorn}/accounts/login/")[0] == 200


def test_the_documented_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), "MONITOR_REQUIRE_SECRET_KEY": "1",
           "ALLOWED_HOSTS": "monitor.example.org", "CSRF_TRUSTED_ORIGINS": "https://monitor.example.org",
           "SECURE_SSL_REDIRECT": "1", "SECURE_HSTS_SECONDS": "31536000", "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
           "SECURE_HSTS_PRELOAD": "1", "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto=https",
           "MONITOR_VAR_DIR": str(tmp_path)}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the browser tests set it for this process; production never does
    output = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert "no issues" in output
    # Without the HTTPS settings, the same check fails: the test can tell the difference.
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"):
        env.pop(name)
    done = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "SECURE_HSTS_SECONDS" in done.stderr + done.stdout
