"""`sources.http.content_type`: the one Content-Type parser and the label-to-codec step, on plain strings."""

from __future__ import annotations

import pytest

from sources.http.content_type import codec_for_charset, parse_content_type


@pytest.mark.parametrize(
    ("header", "media_type"),
    [
        ("Application/RSS+XML; Charset=UTF-8", "application/rss+xml"),
        ("  TEXT/HTML  ;charset=utf-8", "text/html"),
        ("text/xml;", "text/xml"),
        ("text/xml; qs=0.9", "text/xml"),
        ("", ""),
        (None, ""),
    ],
)
def test_media_type_is_lower_cased_without_its_parameters(header: str | None, media_type: str) -> None:
    assert parse_content_type(header).media_type == media_type


@pytest.mark.parametrize(
    "header",
    [
        'text/html; charset="UTF-8"',
        "text/html; charset='UTF-8'",
        'application/xml;charset= "utf-8"',
        "application/xml;charset = utf-8",
        "text/html; Charset=Utf-8;",
    ],
)
def test_charset_is_unquoted_and_lower_cased(header: str) -> None:
    assert parse_content_type(header).charset == "utf-8"


@pytest.mark.parametrize(
    "header", ["text/html", "text/html;", "text/html; qs=0.9", "text/html; charset=", 'text/html; charset=""', "", None]
)
def test_missing_or_empty_charset_is_none(header: str | None) -> None:
    assert parse_content_type(header).charset is None


def test_charset_label_is_kept_as_sent_not_turned_into_a_codec() -> None:
    # fetch reports this label and feeds hand it on to feedparser, which reads labels itself.
    assert parse_content_type("text/html; charset=ISO-8859-1").charset == "iso-8859-1"
    assert parse_content_type("text/html; charset=x-no-such-charset").charset == "x-no-such-charset"


def test_first_charset_counts_and_a_joined_repeated_header_is_cut_at_the_comma() -> None:
    assert parse_content_type("text/html; charset=utf-8; charset=iso-8859-1").charset == "utf-8"
    # fetch joins a repeated Content-Type header with ", ".
    assert parse_content_type("text/html; charset=utf-8, text/html; charset=iso-8859-1").charset == "utf-8"
    assert parse_content_type("text/html; charset=utf-8, text/html").charset == "utf-8"


def test_the_result_unpacks_as_a_pair() -> None:
    media_type, charset = parse_content_type("text/html; charset=utf-8")
    assert (media_type, charset) == ("text/html", "utf-8")


@pytest.mark.parametrize(
    "label", ["latin-1", "ISO-8859-1", "iso_8859-1", "latin1", "us-ascii", "ascii", "windows-1252"]
)
def test_latin_1_and_ascii_labels_decode_as_cp1252(label: str) -> None:
    # As browsers do: pages labelled latin-1 use cp1252's quotes and dashes in 0x80-0x9F.
    assert codec_for_charset(label) == "cp1252"


@pytest.mark.parametrize(
    ("label", "codec"),
    [("utf-8", "utf-8"), ("UTF8", "utf-8"), ("utf-8-sig", "utf-8"), ("windows-1251", "cp1251"), ("koi8-r", "koi8-r")],
)
def test_other_labels_give_their_python_codec(label: str, codec: str) -> None:
    assert codec_for_charset(label) == codec


@pytest.mark.parametrize("label", ["x-no-such-charset", "utf-8, text/html", "", None])
def test_unknown_or_missing_label_has_no_codec(label: str | None) -> None:
    assert codec_for_charset(label) is None
