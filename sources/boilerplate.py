"""Lines of page furniture: the one list of what is not story text, by the shape of the line.

Extraction drops the calls to action and navigation that survive trafilatura inside the article container
(`is_call_to_action`); the tagger also skips credit lines, bylines and reader comments (`furniture_ranges`),
which extraction keeps because they can carry useful metadata, but whose names are not what a story is about.
Pure Python, no Django: both the extractor and monitor.nlp use it.
"""

from __future__ import annotations

import re

# Short paragraphs that are calls to action or navigation rather than reporting. Matched only against
# short lines, so a real sentence that merely starts with "Related" is kept.
CALL_TO_ACTION = re.compile(
    r"""^\s*(?:
        (?:related|read\ more|see\ more|more|also|also\ read|read\ also|watch|recommended)\s*:.*
      | more\ (?:stories|news|articles)\ from\b.*
      | (?:latest|top|trending)\ (?:news|stories)
      | (?:related\ posts?|related\ articles?|related\ stories|more\ stories|most\ read\b.*|
           you\ may\ also\ like|you\ might\ also\ like|don'?t\ miss|recommended\ for\ you|tags|comments?
        )\W*
      | \d+\ comments?
      | (?:follow|like)\ (?:us|\w+(?:\ \w+){0,4})\ on\ (?:twitter|facebook|instagram|linkedin|youtube|telegram).*
      | like\ this\ story\?.*
      | share\ (?:this|on)\b.*
      | (?:sign\ up|subscribe)\b.*(?:newsletter|inbox).*
      | get\ the\ .*(?:newsletter|inbox).*
      | click\ here\b.*
      | tell\ us\ what\ you\ think.*
      | filed\ under\s*:.*
      | also\ on\ \S+\.\w+\b.*
      | (?:print|email|order\ reprints|print\ article)
      | (?:copyright|©).*
      | .*all\ rights\ reserved\.?
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
CALL_TO_ACTION_MAX_CHARS = 200

# Lines that open like furniture: "Read more: …", "Published in Dawn, …", credits, links.
FURNITURE_PREFIX = re.compile(
    r"^\s*(?:read more|read also|also read|related|click here|published in|comments are closed|follow us|"
    r"share this|subscribe|copyright|©|all rights reserved|advertisement|sponsored|source:|photo:|image:|"
    r"file photo|watch:|listen:|tags?:|https?://|www\.)",
    re.IGNORECASE,
)
# A byline is a line of its own holding only "By" and a capitalised name ("By Our Correspondent"); its
# writer is not someone the story is about.
BYLINE = re.compile(r"^\s*(?:[Bb]y|[Rr]eporting by|[Ww]ritten by)\s+[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,4}\s*$")
# Numbered reader comments ("1. few for sms ...") follow the article in some captures.
READER_COMMENT = re.compile(r"^\s*\d{1,3}\.\s+[a-z]")
# A byline run into its date line: "Muhammad Irfan Published November 24, 2024 | 01:40 PM", "Staff Reporter
# Updated 3 hours ago". The name and the time stamp are the page's, not the story's.
DATED_BYLINE = re.compile(
    r"^\s*(?:[A-Z][\w.'\u2019-]*\s+){0,5}(?:Published|Updated|Posted|Last updated)\b(?:\s+(?:on|at))?\s*:?\s*"
    r"(?:\w+\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+\w+,?\s+\d{4}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d+\s+\w+\s+ago)"
)
# A line holding only a number: share, view and comment counters ("0", "140", "1.2K").
COUNTER_LINE = re.compile(r"^\s*\d[\d,.]*\s*[KkMm]?\s*$")


def is_call_to_action(line: str) -> bool:
    """True for a short line that only points elsewhere ("Related: …", "Share this", "Subscribe …")."""
    return len(line) <= CALL_TO_ACTION_MAX_CHARS and bool(CALL_TO_ACTION.match(line))


def is_furniture(line: str) -> bool:
    """True for any line that is page furniture rather than story text."""
    return bool(FURNITURE_PREFIX.match(line) or READER_COMMENT.match(line) or BYLINE.match(line)
                or DATED_BYLINE.match(line) or COUNTER_LINE.match(line) or is_call_to_action(line.rstrip("\r\n")))


def furniture_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of lines that are page furniture rather than story text."""
    ranges = []
    offset = 0
    for line in text.splitlines(keepends=True):
        if is_furniture(line):
            ranges.append((offset, offset + len(line)))
        offset += len(line)
    return ranges
