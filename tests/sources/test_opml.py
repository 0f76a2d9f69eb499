"""OPML: import makes groups from folders and skips duplicates, export writes all sources or one group, the two
round-trip, and a malformed file is refused with its line and column and imports nothing."""

from __future__ import annotations

import html
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from sources.adding import add_source, groups_named
from sources.models import Source, SourceChange, SourceGroup
from sources.opml import MalformedOPML, export_opml, import_opml, read_opml
from tests.conftest import make_admin

pytestmark = pytest.mark.django_db

# A reader's export: nested folders, a category attribute, one feed in two folders, a duplicate spelling of a
# feed already followed, a bad address, and a feed at the top level.
READER_EXPORT = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Analyst feeds</title></head>
  <body>
    <outline text="Pakistan press">
      <outline type="rss" text="Dawn" xmlUrl="https://www.dawn.example/feeds/home" htmlUrl="https://www.dawn.example/"
               language="en"/>
      <outline text="Urdu">
        <outline type="rss" text="Jang" xmlUrl="https://jang.example/rss" language="ur"/>
      </outline>
      <outline type="rss" text="Old spelling" xmlUrl="http://known.example/feed/?utm_source=opml"/>
    </outline>
    <outline text="Official">
      <outline type="rss" text="ISPR" xmlUrl="https://ispr.example/press.xml" category="/Military"/>
      <outline type="rss" text="Dawn" xmlUrl="https://www.dawn.example/feeds/home"/>
      <outline type="rss" text="Broken" xmlUrl="ftp://files.example/feed.xml"/>
    </outline>
    <outline type="rss" text="Wire &amp; Co" xmlUrl="https://wire.example/all.atom"/>
  </body>
</opml>
"""


def test_import_makes_groups_skips_duplicates_and_reports() -> None:
    known, _ = add_source("https://known.example/feed", name="Known")
    report = import_opml(READER_EXPORT, actor="test")
    added = {s.name: s for s in report.added}
    assert sorted(added) == ["Dawn", "ISPR", "Jang", "Wire & Co"]
    assert sorted(g.name for g in added["Dawn"].groups.all()) == ["Official", "Pakistan press"]
    assert [g.name for g in added["Jang"].groups.all()] == ["Pakistan press / Urdu"]
    assert sorted(g.name for g in added["ISPR"].groups.all()) == ["Military", "Official"]
    assert not added["Wire & Co"].groups.exists()
    assert added["Dawn"].site_url == "https://www.dawn.example/" and added["Jang"].language == "ur"
    assert report.duplicates == [("http://known.example/feed/?utm_source=opml", known)]
    assert report.invalid[0][0] == "ftp://files.example/feed.xml" and "not an http(s) URL" in report.invalid[0][1]
    assert sorted(report.groups_created) == ["Military", "Official", "Pakistan press", "Pakistan press / Urdu"]
    assert report.summary().startswith("4 sources added; 1 already followed, skipped; 1 with a bad address, skipped")
    assert SourceChange.objects.filter(action="imported").count() == 4
    # Importing again adds nothing.
    again = import_opml(READER_EXPORT)
    assert again.added == [] and len(again.duplicates) == 5


def test_export_then_import_gives_back_the_same_sources() -> None:
    press, official = groups_named(["Pakistan press", "Official"])
    dawn, _ = add_source("https://dawn.example/feeds/home", name="Dawn", site_url="https://dawn.example/",
                         language="en", groups=[press, official])
    add_source("https://jang.example/rss", name="Jang <Urdu> & more", language="ur", groups=[press])
    add_source("https://wire.example/all.atom", name="Wire")
    exported = export_opml(Source.objects.order_by("name"), title="Monitor sources")
    before = {(s.url, s.name, s.site_url, s.language, tuple(sorted(g.name for g in s.groups.all())))
              for s in Source.objects.all()}

    Source.objects.all().delete()
    SourceGroup.objects.all().delete()
    report = import_opml(exported)
    after = {(s.url, s.name, s.site_url, s.language, tuple(sorted(g.name for g in s.groups.all())))
             for s in Source.objects.all()}
    assert after == before
    assert len(report.added) == 3 and report.duplicates == []


def test_export_of_one_group_holds_only_its_sources() -> None:
    (press,) = groups_named(["Pakistan press"])
    add_source("https://dawn.example/feeds/home", name="Dawn", groups=[press])
    add_source("https://wire.example/all.atom", name="Wire")
    feeds = read_opml(export_opml(press.sources.all(), title="x", group=press))
    assert [(f.url, f.groups) for f in feeds] == [("https://dawn.example/feeds/home", ["Pakistan press"])]


MALFORMED = [
    (b'<?xml version="1.0"?><opml version="2.0"><body><outline text="A" xmlUrl="https://a.example/feed">'
     b"</body></opml>", "not well-formed XML (line 1"),
    (b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>', "not OPML"),
    (b"", "empty"),
    (b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]><opml version="2.0">'
     b'<body><outline text="&x;" xmlUrl="https://a.example/feed"/></body></opml>', "references external entity"),
]


@pytest.mark.parametrize("data, says", MALFORMED, ids=["unclosed-outline", "rss-not-opml", "empty", "external-entity"])
def test_a_malformed_file_is_refused_and_imports_nothing(data: bytes, says: str) -> None:
    # An external entity is never read (no file, no network): such a file is refused like any other broken one.
    with pytest.raises(MalformedOPML, match=re.escape(says)):
        import_opml(data)
    assert not Source.objects.exists() and not SourceGroup.objects.exists()


def test_importopml_and_exportopml_commands(tmp_path: Path) -> None:
    path = tmp_path / "feeds.opml"
    path.write_bytes(READER_EXPORT)
    out = StringIO()
    call_command("importopml", str(path), stdout=out)
    assert "5 sources added" in out.getvalue() and "skipped, bad address" in out.getvalue()
    assert SourceChange.objects.filter(actor="manage.py importopml").count() == 5

    out = StringIO()
    call_command("exportopml", "--group", "official", stdout=out)
    exported = [f.url for f in read_opml(out.getvalue().encode())]
    assert sorted(exported) == ["https://ispr.example/press.xml", "https://www.dawn.example/feeds/home"]
    with pytest.raises(CommandError, match="no source group 'Nope'"):
        call_command("exportopml", "--group", "Nope", stdout=StringIO())

    broken = tmp_path / "broken.opml"
    broken.write_bytes(MALFORMED[0][0])
    with pytest.raises(CommandError, match="not well-formed XML"):
        call_command("importopml", str(broken), stdout=StringIO())
    assert Source.objects.count() == 5


def test_import_and_export_pages(client: Client) -> None:
    client.force_login(make_admin())
    upload = SimpleUploadedFile("reader.opml", READER_EXPORT, content_type="text/x-opml")
    page = html.unescape(client.post("/sources/import/", {"file": upload}).content.decode())
    assert "5 sources added" in page and "Skipped: bad address" in page
    broken = SimpleUploadedFile("broken.opml", MALFORMED[0][0])
    page = html.unescape(client.post("/sources/import/", {"file": broken}).content.decode())
    assert "broken.opml: the file is not well-formed XML (line 1" in page and "nothing was imported" in page
    assert Source.objects.count() == 5

    official = SourceGroup.objects.get(name="Official")
    response = client.get(f"/sources/export.opml?group={official.pk}")
    assert response["Content-Disposition"] == 'attachment; filename="monitor-sources-official.opml"'
    assert len(read_opml(response.content)) == 2
    assert len(read_opml(client.get("/sources/export.opml").content)) == 5
