"""OPML in and out: import a colleague's subscription list, export ours (all sources, or one group).

Reading is listparser's job (it knows OPML 1 and 2, categories and nested folders). Two things it does not do
are done here: it recovers silently from broken XML, so the file is first parsed strictly (lxml, with entity
expansion and network access off) to refuse a malformed file with its line and column; and it drops a feed
outline's `htmlUrl` and `language`, which are read from that same strict parse. An outline's folders (nested:
"News / Pakistan") and its `category` paths become source groups.

An import runs in one transaction: a malformed file, or any failure midway, imports nothing. Feeds already
followed (however their address is spelled) and bad addresses are skipped, and the report says which and why.
Nothing is fetched: each new source is due at once, and its first poll checks it.

Writing uses the standard library's ElementTree, which escapes what it writes.

Not for: checking a single address before adding it (sources.adding.check_address).
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

import listparser
from django.core.exceptions import ValidationError
from django.db import transaction
from lxml import etree

from sources.adding import add_source, find_duplicate, groups_named
from sources.canonical import source_key
from sources.models import Source, SourceChange, SourceGroup, feed_url_problem, validate_language

#: Largest OPML file accepted; a list of 10,000 feeds is about 2 MB.
MAX_OPML_BYTES = 10 * 1024 * 1024


class MalformedOPML(ValueError):
    """The file is not OPML that can be read; the message says where and what. Nothing was imported."""


@dataclass(frozen=True)
class OpmlFeed:
    url: str
    title: str
    groups: list[str]
    site_url: str = ""
    language: str = ""


@dataclass
class ImportReport:
    added: list[Source] = field(default_factory=list)
    duplicates: list[tuple[str, Source]] = field(default_factory=list)
    """(address in the file, the source that already follows it)."""
    invalid: list[tuple[str, str]] = field(default_factory=list)
    """(address in the file, what is wrong with it)."""
    groups_created: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{len(self.added)} source{'s' if len(self.added) != 1 else ''} added"]
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} already followed, skipped")
        if self.invalid:
            parts.append(f"{len(self.invalid)} with a bad address, skipped")
        if self.groups_created:
            parts.append(f"{len(self.groups_created)} group{'s' if len(self.groups_created) != 1 else ''} created "
                         f"({', '.join(self.groups_created)})")
        return "; ".join(parts) + "."


def read_opml(data: bytes) -> list[OpmlFeed]:
    """The feeds in an OPML file, with their groups. Raises MalformedOPML."""
    if len(data) > MAX_OPML_BYTES:
        raise MalformedOPML(f"the file is {len(data):,} bytes; at most {MAX_OPML_BYTES:,} are accepted")
    if not data.strip():
        raise MalformedOPML("the file is empty")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        raise MalformedOPML(f"the file is not well-formed XML (line {line}, column {column}: {exc.msg}); nothing "
                            "was imported. Export it again, or fix it in a text editor") from exc
    if etree.QName(root).localname.lower() != "opml":
        raise MalformedOPML(f"the file is XML but not OPML (its root element is <{etree.QName(root).localname}>, "
                            "not <opml>); nothing was imported")
    # Always bytes: given a str that starts with http, listparser would fetch it itself.
    parsed = listparser.parse(data)
    if not str(parsed.get("version", "")).startswith("opml"):
        raise MalformedOPML("listparser could not read the file as OPML; nothing was imported")
    extras = _outline_extras(root)
    feeds = []
    for feed in parsed["feeds"]:
        url = str(feed["url"]).strip()
        groups = [" / ".join(path) for path in feed.get("categories", []) if path]
        site, language = extras.get(url, ("", ""))
        feeds.append(OpmlFeed(url=url, title=str(feed.get("title", "")).strip(), groups=_unique(groups),
                              site_url=site, language=language))
    return feeds


def _outline_extras(root: Any) -> dict[str, tuple[str, str]]:
    """xmlUrl → (htmlUrl, language) of every feed outline: what listparser leaves out."""
    extras: dict[str, tuple[str, str]] = {}
    for outline in root.iter("outline"):
        attributes = {str(name).lower(): str(value).strip() for name, value in outline.attrib.items()}
        if attributes.get("xmlurl"):
            extras.setdefault(attributes["xmlurl"], (attributes.get("htmlurl", ""), attributes.get("language", "")))
    return extras


def _unique(items: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item.lower() not in (s.lower() for s in seen):
            seen.append(item)
    return seen


def import_opml(data: bytes, *, user: Any = None, actor: str = "", file_name: str = "") -> ImportReport:
    """Adds the file's feeds as sources, with groups from its folders, all in one transaction.

    Raises MalformedOPML (and imports nothing) for a file that cannot be read.
    """
    feeds = read_opml(data)
    report = ImportReport()
    source_name = f"OPML file {file_name}" if file_name else "an OPML file"
    with transaction.atomic():
        known_groups = {name.lower() for name in SourceGroup.objects.values_list("name", flat=True)}
        seen: dict[str, Source] = {}
        for feed in feeds:
            problem = feed_url_problem(feed.url)
            if problem is not None:
                report.invalid.append((feed.url, problem))
                continue
            key = source_key(feed.url)
            existing = seen.get(key) or find_duplicate(feed.url)
            if existing is not None:
                report.duplicates.append((feed.url, existing))
                continue
            site = feed.site_url if feed.site_url and feed_url_problem(feed.site_url) is None else ""
            groups = groups_named(feed.groups)
            for group in groups:
                if group.name.lower() not in known_groups:
                    known_groups.add(group.name.lower())
                    report.groups_created.append(group.name)
            source, _ = add_source(feed.url, name=feed.title, site_url=site, language=_language(feed.language),
                                   groups=groups, user=user, actor=actor, action=SourceChange.Action.IMPORTED,
                                   detail=f"from {source_name}")
            seen[key] = source
            report.added.append(source)
    return report


def _language(tag: str) -> str:
    # OPML's language is free text; keep it only when it is a language tag the model accepts.
    tag = tag.strip().lower()
    try:
        validate_language(tag)
    except ValidationError:
        return ""
    return tag


def export_opml(sources: Iterable[Source], *, title: str, group: SourceGroup | None = None) -> bytes:
    """An OPML 2.0 file of `sources`: one folder per group (a source in several groups is in each), sources in no
    group at the top level. With `group`, only that group's folder."""
    opml = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(opml, "head")
    ElementTree.SubElement(head, "title").text = title
    ElementTree.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC))
    body = ElementTree.SubElement(opml, "body")
    folders: dict[int, ElementTree.Element] = {}
    for source in sources:
        groups = [group] if group is not None else list(source.groups.all())
        if not groups:
            _outline(body, source)
        for member_of in groups:
            if member_of.pk not in folders:
                folders[member_of.pk] = ElementTree.SubElement(body, "outline", text=member_of.name,
                                                               title=member_of.name)
            _outline(folders[member_of.pk], source)
    ElementTree.indent(opml)
    return bytes(ElementTree.tostring(opml, encoding="utf-8", xml_declaration=True)) + b"\n"


def _outline(parent: ElementTree.Element, source: Source) -> None:
    attributes = {"type": "rss", "text": str(source), "title": str(source), "xmlUrl": source.url}
    if source.site_url:
        attributes["htmlUrl"] = source.site_url
    if source.language:
        attributes["language"] = source.language
    ElementTree.SubElement(parent, "outline", attributes)
