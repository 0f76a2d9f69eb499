"""Lines of page furniture that extraction leaves in article text.

For: finding "Read More: …", "Published in Dawn, …", "Comments are closed.", "Click here to view
original web page at …", bylines ("By Staff Reporter") and similar lines, so that names and numbers in them are not reported as
part of the story. Not for: cleaning HTML; the extractor has done that before text reaches us.
"""
from __future__ import annotations

import re

_FURNITURE = re.compile(
    r"^\s*(?:read more|read also|also read|related|click here|published in|comments are closed|follow us|"
    r"share this|subscribe|copyright|©|all rights reserved|advertisement|sponsored|source:|photo:|image:|"
    r"file photo|watch:|listen:|tags?:|https?://|www\.)",
    re.IGNORECASE,
)
# A byline is a line of its own holding only "By" and a capitalised name ("By Our Correspondent");
# its writer is not someone the story is about.
_BYLINE = re.compile(r"^\s*(?:[Bb]y|[Rr]eporting by|[Ww]ritten by)\s+[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,4}\s*$")
# Numbered reader comments ("1. few for sms ...") follow the article in some captures.
_READER_COMMENT = re.compile(r"^\s*\d{1,3}\.\s+[a-z]")


def furniture_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of lines that are page furniture rather than story text."""
    ranges = []
    offset = 0
    for line in text.splitlines(keepends=True):
        if _FURNITURE.match(line) or _READER_COMMENT.match(line) or _BYLINE.match(line):
            ranges.append((offset, offset + len(line)))
        offset += len(line)
    return ranges
