"""The management commands users and scripts rely on: addsource, sources --json, poll, analyze."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sources.models import Source

pytestmark = pytest.mark.django_db


def test_addsource_adds_each_url_once() -> None:
    out = StringIO()
    call_command("addsource", "https://example.org/a.xml", "https://example.org/b.xml", "--interval", "15", stdout=out)
    call_command("addsource", "https://example.org/a.xml", stdout=out)
    assert Source.objects.count() == 2
    assert Source.objects.get(url="https://example.org/a.xml").pinned_interval_minutes == 15
    assert "already present" in out.getvalue()


def test_addsource_rejects_non_http_urls_with_a_clear_error() -> None:
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("addsource", "file:///etc/passwd", stderr=err)
    assert "not an http(s) URL" in err.getvalue()
    assert not Source.objects.exists()


def test_sources_json_prints_one_line_per_source() -> None:
    call_command("addsource", "https://example.org/a.xml", "--name", "A", stdout=StringIO())
    out = StringIO()
    call_command("sources", "--json", stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(rows) == 1
    assert rows[0]["url"] == "https://example.org/a.xml" and rows[0]["name"] == "A"
    assert set(rows[0]) >= {"id", "enabled", "status", "last_polled_at", "next_poll_at", "last_error",
                            "consecutive_errors", "articles"}


def test_poll_without_once_explains_itself() -> None:
    with pytest.raises(CommandError, match="--once"):
        call_command("poll")


def test_analyze_prints_one_json_line_per_file(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("ISLAMABAD: The Federal Investigation Agency (FIA) said it had arrested 12 suspects. "
                     "The FIA said the suspects ran 40 fake accounts.\n")
    out = StringIO()
    call_command("analyze", "--json", str(story), stdout=out)
    row = json.loads(out.getvalue().strip())
    assert row["path"] == str(story)
    fia = [o for o in row["organisations"] if o.get("acronym") == "FIA"]
    assert fia and fia[0]["name"] == "Federal Investigation Agency"
    assert any(f["value"] == 12 for f in row["figures"])


def test_analyze_reports_missing_files() -> None:
    with pytest.raises(CommandError, match="No such file"):
        call_command("analyze", "--json", "/nonexistent/story.txt")
