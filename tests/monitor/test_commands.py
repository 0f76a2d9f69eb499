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
    call_command("addsource", "https://example.org/a.xml", "https://example.org/b.xml", "--interval", "15", "--no-check",
                 stdout=out)
    call_command("addsource", "https://example.org/a.xml", "--no-check", stdout=out)
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
    call_command("addsource", "https://example.org/a.xml", "--name", "A", "--no-check", stdout=StringIO())
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


def test_extract_reads_html_gz_and_urls(tmp_path: Path, site_server: object) -> None:
    import gzip

    page = Path(__file__).resolve().parents[1] / "fixtures" / "site" / "pta-sim-misuse.html"
    packed = tmp_path / "pta.html.gz"
    packed.write_bytes(gzip.compress(page.read_bytes()))
    out = StringIO()
    call_command("extract", "--json", str(packed), site_server.url("/news/pta-sim-misuse"),  # type: ignore[attr-defined]
                 stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(rows) == 2
    for row in rows:
        assert set(row) >= {"title", "text", "author", "date", "sitename", "language", "url"}
        assert "1.2 lakh SIMs" in row["text"] and "Contact us" not in row["text"]
        assert row["title"].startswith("PTA tightens rules")


def test_extract_reports_each_failure_and_refuses_private_urls_by_default(settings: object, tmp_path: Path) -> None:
    settings.MONITOR_ALLOW_PRIVATE_FETCH = False  # type: ignore[attr-defined]
    pdf = tmp_path / "report.html"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    out = StringIO()
    with pytest.raises(CommandError, match="Nothing could be extracted"):
        call_command("extract", "--json", "http://127.0.0.1:9/page", str(pdf), "ftp://x/y", stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [row["reason"] for row in rows] == ["blocked-address", "pdf", "ValueError"]


def test_retag_reapplies_an_edited_gazetteer(tmp_path: Path) -> None:
    from monitor.gazetteer import sync_gazetteer
    from monitor.models import Entity, GazetteerEntry
    from monitor.tagging import tag_article
    from sources.models import Article

    sync_gazetteer()
    source = Source.objects.create(url="https://news.example/feed.xml")
    text = "The Frontier Research Council (FRC) said 40 schools had reopened in Swat."
    article = Article.objects.create(source=source, guid="a", url="https://news.example/a",
                                     canonical_url="https://news.example/a", url_hash="a", title="FRC", text=text,
                                     status=Article.Status.EXTRACTED, claimed_by="test")
    tag_article(article)
    candidate = Entity.objects.get(kind=Entity.Kind.ORGANISATION, name="Frontier Research Council")
    assert candidate.is_candidate
    GazetteerEntry.objects.create(key="frontier-research-council", canonical="Frontier Research Council",
                                  acronyms=["FRC"], kind="other", country="PK")
    out = StringIO()
    call_command("retag", "--no-progress", stdout=out)
    assert "re-tagged 1 articles" in out.getvalue()
    candidate.refresh_from_db()
    assert not candidate.is_candidate
    article.refresh_from_db()
    assert "gazetteer/" in article.pipeline_version and article.mentions.filter(entity=candidate).exists()


def test_retag_since_rejects_a_bad_date() -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("retag", "--since", "yesterday", "--no-progress")


def test_analyze_refuses_a_binary_file_and_reads_legacy_text_with_a_warning(tmp_path: Path) -> None:
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 50)
    legacy = tmp_path / "note.txt"
    legacy.write_bytes("The Federal Investigation Agency (FIA) arrested 12 suspects in Peshawar, officials said "
                       "on Monday, in a raid the agency called its “largest” this year – café owners agreed."
                       .encode("cp1252"))
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 of 2 files could not be tagged"):
        call_command("analyze", "--json", str(binary), str(legacy), stdout=out, stderr=err)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows[0]["error"].startswith("this looks like a binary file") and "organisations" not in rows[0]
    assert rows[1]["warning"].startswith("not UTF-8") and rows[1]["organisations"][0]["acronym"] == "FIA"
    assert "photo.jpg: this looks like a binary file" in err.getvalue()
