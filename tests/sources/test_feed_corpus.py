"""parse_feed against the third-party feed corpus in ../shared/corpus/feeds (about 3,400 files).

It checks two things: parse_feed never raises on any file, and for every real capture whose entry count
INVENTORY.tsv records (and every real JSON Feed capture, counted from its own items list) the number of
entries matches. The corpus is read in place, never copied; the test skips when it is absent.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from sources.feeds import parse_feed

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "feeds"

pytestmark = pytest.mark.shared


def _inventory() -> list[dict[str, str]]:
    if not (CORPUS / "INVENTORY.tsv").is_file():
        pytest.skip(f"{CORPUS} is absent (third-party test material lives in ../shared beside the project)")
    with (CORPUS / "INVENTORY.tsv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def parsed_corpus() -> dict[str, int | str]:
    """Every corpus file parsed once: its entry count, or the exception text when parse_feed raised."""
    _inventory()
    outcomes: dict[str, int | str] = {}
    for path in sorted(CORPUS.rglob("*")):
        if not path.is_file():
            continue
        try:
            feed = parse_feed(path.read_bytes(), url="https://corpus.example/" + path.name)
        except Exception as exc:  # noqa: BLE001 - collected so one run reports every offender
            outcomes[path.relative_to(CORPUS).as_posix()] = f"{type(exc).__name__}: {exc}"
        else:
            outcomes[path.relative_to(CORPUS).as_posix()] = len(feed.entries)
    return outcomes


def test_parse_feed_never_raises_on_any_corpus_file(parsed_corpus: dict[str, int | str]) -> None:
    assert len(parsed_corpus) > 3000
    assert {path: outcome for path, outcome in parsed_corpus.items() if isinstance(outcome, str)} == {}


def test_real_captures_yield_the_recorded_number_of_entries(parsed_corpus: dict[str, int | str]) -> None:
    checked, mismatches = 0, []
    for row in _inventory():
        if not row["kind"].startswith("real-capture"):
            continue
        path = CORPUS / row["path"]
        if row["items_or_entries"]:
            expected = int(row["items_or_entries"])
        elif path.suffix == ".json" and ".serde." not in path.name:
            expected = len(json.loads(path.read_bytes()).get("items") or [])
        else:
            continue
        checked += 1
        if parsed_corpus.get(row["path"]) != expected:
            mismatches.append(f"{row['path']}: expected {expected}, got {parsed_corpus.get(row['path'])}")
    assert checked > 100
    assert mismatches == []
