"""`manage.py extract --json`: a bad input is reported on its own line and the rest still run."""

from __future__ import annotations

import gzip
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

PAGE = Path(__file__).resolve().parents[1] / "fixtures" / "site" / "pta-sim-misuse.html"


def test_a_truncated_or_corrupt_html_gz_is_reported_and_the_rest_extracted(tmp_path: Path) -> None:
    packed = gzip.compress(PAGE.read_bytes())
    truncated = tmp_path / "truncated.html.gz"
    truncated.write_bytes(packed[: len(packed) // 2])
    corrupt = tmp_path / "corrupt.html.gz"
    corrupt.write_bytes(packed[:10] + b"\xff" * 64 + packed[74:])
    good = tmp_path / "good.html.gz"
    good.write_bytes(packed)
    out = StringIO()
    with pytest.raises(CommandError, match="2 of 3 inputs could not be extracted"):
        call_command("extract", "--json", str(truncated), str(corrupt), str(good), stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [row["input"] for row in rows] == [str(truncated), str(corrupt), str(good)]
    assert "truncated" in rows[0]["error"] and rows[0]["reason"] == "unreadable"
    assert "corrupt" in rows[1]["error"] and rows[1]["reason"] == "unreadable"
    assert "error" not in rows[2] and "1.2 lakh SIMs" in rows[2]["text"]
