"""The one place a Content-Type header is parsed, and where charset labels become Python codecs.

`parse_content_type` gives the media type and the charset *label* the server sent (lower-cased, unquoted).
That is what `fetch` reports and what `sources.feeds` passes on to feedparser, which reads labels itself.
`codec_for_charset` turns a label into the codec a browser would decode with, for code that decodes the
bytes itself (`sources.extraction`). They are two steps because the answers differ on purpose: a body
labelled iso-8859-1 is decoded as cp1252, but "iso-8859-1" is still the label it was sent with.

Not for: sniffing what a body really is (`sources.extraction.sniff_kind`), or finding a charset inside
a document (an HTML `<meta charset>`, an XML declaration): the modules that read those documents do that.
Imports nothing from Django, since `sources.feeds` and `sources.extraction`, which must not, use it.
"""

from __future__ import annotations

import codecs
from typing import NamedTuple


class ContentType(NamedTuple):
    media_type: str
    """Lower-cased, without parameters, e.g. "text/html"; "" when there was no header."""
    charset: str | None
    """The charset label, lower-cased and unquoted, e.g. "iso-8859-1"; None when absent or empty."""


def parse_content_type(value: str | None) -> ContentType:
    """Split a Content-Type header value into its media type and charset label.

    The first `charset` parameter counts, as in browsers' MIME type parsing. A value ends at the next
    ";" or ",": no charset label has a comma in it, and one appears when a server sends Content-Type
    twice and the two are joined into one value (as `fetch` does with repeated headers).
    """
    media_type, _, parameters = (value or "").partition(";")
    charset: str | None = None
    for parameter in parameters.split(";"):
        name, _, raw = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = raw.partition(",")[0].strip().strip("\"'").lower() or None
            break
    return ContentType(media_type.strip().lower(), charset)


# Browsers decode these labels as windows-1252 (WHATWG encoding standard); pages
# labelled latin-1 really do use its curly quotes and dashes in 0x80-0x9F.
_WINDOWS_1252_ALIASES = {"ascii", "iso8859-1", "cp1252"}


def codec_for_charset(label: str | None) -> str | None:
    """The Python codec a browser would decode a `label` body with; None if Python has no such codec.

    latin-1 and ASCII labels give "cp1252" (see `_WINDOWS_1252_ALIASES`) and utf-8-sig gives "utf-8", so
    the result is for decoding bytes, not for handing back to a parser that reads labels.
    """
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in _WINDOWS_1252_ALIASES:
        return "cp1252"
    if name == "utf-8-sig":
        return "utf-8"
    return name
