"""Turn the bytes of a fetched web page into an article record.

This is where a fetched body becomes an ``ExtractedPage``: we decide whether the
body is HTML at all (PDFs and images are skipped with a recorded reason), decode
it with the right character set, and run trafilatura to get the main text and the
metadata (title, author, date, site name, language, top image).

The options passed to trafilatura are the ones that scored best on the
scrapinghub article-extraction benchmark (``benchmarks/extraction.py`` keeps the
sweep that chose them), so change ``BEST_OPTIONS`` only with a new measurement.

It also holds ``sanitize_html``, the one place feed summaries are cleaned before
the UI shows them as HTML.

Not for: fetching (timeouts, redirects, size limits on the wire belong to
``sources.http``), storing anything, or deciding which article is a copy of another
(``monitor/similarity.py``). Pure Python: it must not import Django, so it can be
tested and benchmarked on plain bytes.
"""

from __future__ import annotations

import codecs
import gzip
import re
import zlib
from dataclasses import dataclass
from typing import Any

import nh3
import trafilatura
from charset_normalizer import from_bytes
from lxml.html import HtmlElement
from trafilatura.metadata import extract_metadata
from trafilatura.utils import load_html

from sources.boilerplate import is_call_to_action
from sources.http.content_type import codec_for_charset, parse_content_type

DEFAULT_MAX_BYTES = 10_000_000


class ExtractionSkipped(Exception):
    """The page was deliberately not extracted; ``reason`` is a short machine code.

    Codes: ``too-large``, ``pdf``, ``image``, ``not-html``, ``empty``, and ``unreadable`` for a saved
    ``.html.gz`` that is truncated or corrupt.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class ExtractedPage:
    title: str | None
    text: str
    author: str | None
    date: str | None
    sitename: str | None
    language: str | None
    image: str | None
    url: str | None

    def to_dict(self) -> dict[str, str | None]:
        return {
            "title": self.title,
            "text": self.text,
            "author": self.author,
            "date": self.date,
            "sitename": self.sitename,
            "language": self.language,
            "url": self.url,
            "image": self.image,
        }


@dataclass(frozen=True)
class ExtractionOptions:
    """How trafilatura is driven; the benchmark sweeps these."""

    favor_precision: bool = True
    favor_recall: bool = False
    include_comments: bool = False
    include_tables: bool = True
    # trafilatura's deduplicate keeps a process-wide cache of paragraphs it has
    # seen, so the same page would extract differently depending on what the
    # worker read before; it also scored lower. Off.
    deduplicate: bool = False
    # fast skips trafilatura's comparison with its readability/jusText
    # fallbacks. With the retry and line filter below it scores 0.968 F1 at
    # ~18 ms a page; without fast, 0.970 F1 but 24-40 ms a page on our shared
    # 2-core machine, over the 25 ms budget. Without the retry, fast alone in
    # precision mode loses 0.02 F1 (it drops whole articles).
    fast: bool = True
    # favor_precision occasionally prunes a real article down to a stub. When the
    # precision pass returns less than this many characters we run a second,
    # non-precision pass and keep it if it is at least retry_min_gain times longer.
    # Without fast, F1 is the same for any cut-off from 300 to 1500 characters; 500 triggers the
    # second pass on about 2% of pages, 1000 on 9% (3 ms a page more on average).
    retry_below_chars: int = 500
    retry_min_gain: float = 2.0
    drop_boilerplate_lines: bool = True
    # htmldate's extensive search scans the page text for date patterns when the
    # markup has none; it finds dates on about 1% more pages for about 2 ms.
    extensive_date_search: bool = True


BEST_OPTIONS = ExtractionOptions()

# WordPress "click to tweet" boxes glue their button label onto the quote.
_CLICK_TO_TWEET = re.compile(r"\s*Click To Tweet\s*$", re.IGNORECASE)


def extract_page(
    body: bytes,
    *,
    url: str | None = None,
    content_type: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    options: ExtractionOptions = BEST_OPTIONS,
) -> ExtractedPage:
    """Extract the article in ``body``, or raise ``ExtractionSkipped`` saying why not."""
    if len(body) > max_bytes:
        raise ExtractionSkipped("too-large", f"page is {len(body)} bytes, over the {max_bytes}-byte cap")
    kind = sniff_kind(body, content_type)
    if kind == "pdf":
        raise ExtractionSkipped("pdf", "body is a PDF document, not an HTML page")
    if kind == "image":
        raise ExtractionSkipped("image", "body is an image, not an HTML page")
    if kind != "html":
        raise ExtractionSkipped("not-html", f"body is not HTML (content type {content_type!r})")

    html = decode_html(body, content_type)
    tree = load_html(html) if html.strip() else None
    if tree is None:
        raise ExtractionSkipped("empty", "page has no parseable HTML")

    text = _extract_main_text(tree, url, options)
    if not text:
        raise ExtractionSkipped("empty", "no article text found on the page")

    # Metadata runs on the original tree last: the text passes work on copies.
    metadata = extract_metadata(tree, default_url=url, extensive=options.extensive_date_search)
    return ExtractedPage(
        title=_blank_to_none(metadata.title),
        text=text,
        author=_blank_to_none(metadata.author),
        date=_blank_to_none(metadata.date),
        sitename=_blank_to_none(metadata.sitename),
        language=_declared_language(tree),
        image=_blank_to_none(metadata.image),
        url=_blank_to_none(metadata.url) or url,
    )


def extract_file(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ExtractedPage:
    """Extract a saved page (``.html`` or gzip-compressed ``.html.gz``).

    A ``.gz`` that is truncated or corrupt raises ``ExtractionSkipped("unreadable", ...)`` naming the file.
    """
    if path.endswith(".gz"):
        try:
            with gzip.open(path, "rb") as compressed:
                # Read one byte past the cap so a decompression bomb is refused
                # without inflating all of it.
                body = compressed.read(max_bytes + 1)
        except EOFError as exc:
            raise ExtractionSkipped("unreadable", f"{path}: the gzip data is truncated ({exc})") from exc
        except (zlib.error, gzip.BadGzipFile) as exc:
            raise ExtractionSkipped("unreadable", f"{path}: the gzip data is corrupt ({exc})") from exc
    else:
        with open(path, "rb") as plain:
            body = plain.read(max_bytes + 1)
    return extract_page(body, max_bytes=max_bytes)


_IMAGE_MAGIC = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"II*\x00",
    b"MM\x00*",
    b"\x00\x00\x01\x00",
)
_MARKUP_START = re.compile(rb"^\s*<(?:!doctype\s+html|html|head|body|meta|title|!--|\?xml[^>]*>\s*<!doctype\s+html)", re.I)
_MARKUP_ANYWHERE = re.compile(rb"<(?:html|head|body|p|div|article|title)\b", re.I)


def sniff_kind(body: bytes, content_type: str | None) -> str:
    """Classify a body as ``html``, ``pdf``, ``image`` or ``other``.

    Magic bytes win over the header because servers routinely label PDFs and
    images as text/html (error pages, download scripts).
    """
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    # PDF readers accept junk before the signature within the first 1 KB; a
    # page that starts with markup is HTML even if it quotes "%PDF-".
    if head.startswith(b"%PDF-") or (not head.startswith(b"<") and b"%PDF-" in head):
        return "pdf"
    if head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    if head[4:12] in (b"ftypavif", b"ftypheic"):
        return "image"
    mime = parse_content_type(content_type).media_type
    if mime == "application/pdf":
        return "pdf"
    if mime.startswith("image/"):
        return "image"
    if mime in ("text/html", "application/xhtml+xml"):
        return "html"
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = body[:2048].decode("utf-16", errors="replace").encode("ascii", errors="ignore")
    if mime in ("", "application/octet-stream", "text/plain", "binary/octet-stream"):
        if _MARKUP_START.match(head) or _MARKUP_ANYWHERE.search(head):
            return "html"
    return "other"


_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


def decode_html(body: bytes, content_type: str | None) -> str:
    """Decode an HTML body to text, finding its character set the way browsers do.

    Order: byte-order mark, then the Content-Type header, then a ``<meta charset>``
    or ``http-equiv`` declaration in the first 4 KB, then strict UTF-8, then
    charset_normalizer's guess. The BOM comes first (as in the WHATWG encoding
    standard) because it cannot be wrong, whereas a header saying iso-8859-1 is
    often just the server's default.
    """
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, errors="replace")

    declared = codec_for_charset(parse_content_type(content_type).charset)
    from_meta = False
    if declared is None:
        match = _META_CHARSET.search(body[:4096])
        declared = codec_for_charset(match.group(1).decode("ascii")) if match else None
        from_meta = True
    if declared is not None:
        # A meta tag we could read as ASCII cannot really be UTF-16; browsers
        # read such pages as UTF-8.
        if from_meta and declared.startswith("utf-16"):
            declared = "utf-8"
        if declared != "utf-8":
            return body.decode(declared, errors="replace")
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            pass  # mislabelled as UTF-8: fall through to guessing

    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    guess = from_bytes(body[:200_000]).best()
    if guess is not None and guess.encoding:
        return body.decode(guess.encoding, errors="replace")
    return body.decode("windows-1252", errors="replace")


def clean_text(text: str) -> str:
    """Plain text with one blank line between paragraphs and tidy whitespace.

    Every non-empty line is a paragraph (trafilatura puts one block per line);
    runs of spaces, tabs, no-break and zero-width spaces collapse to one space.
    """
    paragraphs = []
    for line in text.splitlines():
        line = _INVISIBLE.sub("", line)
        line = _SPACES.sub(" ", line).strip()
        if line:
            paragraphs.append(line)
    return "\n\n".join(paragraphs)


_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")

_SUMMARY_TAGS = {"p", "br", "a", "b", "i", "em", "strong", "ul", "ol", "li", "blockquote"}


def sanitize_html(html: str) -> str:
    """Clean a feed summary for display: a small tag allow-list, safe links only."""
    return nh3.clean(
        html,
        tags=_SUMMARY_TAGS,
        clean_content_tags={"script", "style"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow",
        strip_comments=True,
    )


def _extract_main_text(tree: HtmlElement, url: str | None, options: ExtractionOptions) -> str:
    text = _run_trafilatura(tree, url, options, favor_precision=options.favor_precision)
    if options.favor_precision and len(text) < options.retry_below_chars:
        second = _run_trafilatura(tree, url, options, favor_precision=False)
        if len(second) >= options.retry_min_gain * max(len(text), 1):
            text = second
    if options.drop_boilerplate_lines:
        text = _drop_boilerplate_lines(text)
    return clean_text(text)


def _run_trafilatura(tree: HtmlElement, url: str | None, options: ExtractionOptions, *, favor_precision: bool) -> str:
    # bare_extraction copies a tree it is given, so both passes and the later
    # metadata step see the same untouched page.
    document: Any = trafilatura.bare_extraction(
        tree,
        url=url,
        fast=options.fast,
        favor_precision=favor_precision,
        favor_recall=options.favor_recall,
        include_comments=options.include_comments,
        include_tables=options.include_tables,
        deduplicate=options.deduplicate,
        with_metadata=False,
    )
    if document is None:
        return ""
    return str(document.text or "")


def _drop_boilerplate_lines(text: str) -> str:
    kept = []
    for line in text.split("\n"):
        line = _CLICK_TO_TWEET.sub("", line)
        if is_call_to_action(line):
            continue
        kept.append(line)
    return "\n".join(kept)


_LANGUAGE_TAG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_]|$)")


def _declared_language(tree: HtmlElement) -> str | None:
    """The page's declared language as a lowercase primary subtag ("en", "ur").

    Read from ``<html lang>``, then ``content-language`` and ``og:locale`` metas.
    Declared rather than detected: trafilatura's detector needs py3langid, which
    we do not ship, and publishers declare their language reliably.
    """
    root = tree.getroottree().getroot()
    candidates = [root.get("lang"), root.get("{http://www.w3.org/XML/1998/namespace}lang")]
    for meta in tree.iter("meta"):
        key = (meta.get("http-equiv") or meta.get("property") or meta.get("name") or "").lower()
        if key in ("content-language", "og:locale", "language", "dc.language"):
            candidates.append(meta.get("content"))
    for candidate in candidates:
        match = _LANGUAGE_TAG.match((candidate or "").strip())
        if match:
            return match.group(1).lower()
    return None


def _blank_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None
