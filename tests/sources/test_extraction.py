"""Tests for sources.extraction, called directly on bytes (pages served over HTTP are tested on the Django side)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from sources.extraction import (
    ExtractedPage,
    ExtractionSkipped,
    clean_text,
    decode_html,
    extract_file,
    extract_page,
    sanitize_html,
    sniff_kind,
)

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"

# A complete, minimal one-page PDF written by hand: header, catalog, pages, page, trailer.
TINY_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)
# The 8-byte PNG signature followed by the start of an IHDR chunk.
TINY_PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"

ARTICLE_PARAGRAPHS = [
    "The Federal Investigation Agency said its cybercrime wing had arrested fourteen suspects in a month-long operation.",
    "Investigators recovered laptops, mobile phones and forged identity documents from a rented house in the city.",
    "Officials said the suspects had used encrypted messaging apps to approach university students across the province.",
]


def legacy_page(charset_meta: str, quote_open: str = "\u201c", quote_close: str = "\u201d") -> str:
    body = "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)
    return (
        f"<html><head>{charset_meta}<title>FIA arrests suspects</title></head><body><article>"
        f"<h1>FIA arrests suspects</h1>{body}"
        f"<p>{quote_open}We will not allow anyone to misuse the internet{quote_close}, the director said in a caf\u00e9 briefing.</p>"
        "</article></body></html>"
    )


def test_boilerplate_page_keeps_the_body_and_drops_nav_cookies_comments_and_related() -> None:
    page = extract_page((PAGES / "arabnews_nacta_daesh.html").read_bytes(), url="https://www.arabnews.example/node/2470001")

    assert "NACTA" in page.text
    assert "1,482 websites and social media accounts" in page.text
    assert "Federal Investigation Agency (FIA)" in page.text
    assert "Fourth Schedule" in page.text
    for boilerplate in (
        "cookie",
        "Business Markets Economy",
        "Sign up for our newsletter",
        "Share on Facebook",
        "Gold prices climb",
        "Cricket board announces",
        "crackdown is long overdue",
        "they simply move to another platform",
        "Privacy policy",
        "All rights reserved",
    ):
        assert boilerplate.lower() not in page.text.lower(), boilerplate


def test_boilerplate_page_metadata() -> None:
    page = extract_page((PAGES / "arabnews_nacta_daesh.html").read_bytes(), url="https://www.arabnews.example/node/2470001")

    assert page.title == "Pakistan's counterterrorism authority steps up drive against Daesh recruiters"
    assert page.author == "Saima Shabbir"
    assert page.date == "2024-03-14"
    assert page.sitename == "Arab News"
    assert page.language == "en"
    assert page.image == "https://www.arabnews.example/images/nacta-drive.jpg"
    assert page.url == "https://www.arabnews.example/node/2470001"


def test_text_has_a_blank_line_between_paragraphs() -> None:
    page = extract_page((PAGES / "arabnews_nacta_daesh.html").read_bytes())

    paragraphs = page.text.split("\n\n")
    assert len(paragraphs) >= 5
    assert paragraphs[0].startswith("ISLAMABAD: Pakistan's National Counter Terrorism Authority")
    assert all(p == p.strip() and "\n" not in p for p in paragraphs)


def test_government_press_note_without_menus_or_latest_news() -> None:
    page = extract_page((PAGES / "pta_sim_press_note.html").read_bytes())

    assert "41,300 SIMs" in page.text
    assert "sending it in an SMS to 668" in page.text
    assert "authorised outlets" in page.text
    for boilerplate in ("Tenders and Procurement", "Annual Reports", "spectrum auction", "Broadband subscribers", "Sitemap"):
        assert boilerplate not in page.text, boilerplate
    assert page.date == "2024-02-05"
    assert page.language == "en"
    assert page.sitename == "Pakistan Telecommunication Authority"


def test_windows_1252_declared_only_in_meta_keeps_curly_quotes() -> None:
    body = legacy_page('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">').encode("cp1252")
    assert b"\x93" in body  # the curly quote really is a cp1252 byte

    page = extract_page(body, content_type="text/html")

    assert "\u201cWe will not allow anyone to misuse the internet\u201d" in page.text
    assert "caf\u00e9" in page.text


def test_iso_8859_1_in_the_header_only() -> None:
    body = legacy_page("", '"', '"').encode("iso-8859-1")

    page = extract_page(body, content_type="text/html; charset=ISO-8859-1")

    assert "caf\u00e9 briefing" in page.text
    assert "\ufffd" not in page.text


def test_latin1_label_decodes_as_windows_1252_like_browsers() -> None:
    # Pages labelled latin-1 use cp1252's curly quotes in 0x80-0x9F.
    assert decode_html(b"<p>\x93quoted\x94</p>", "text/html; charset=iso-8859-1") == "<p>\u201cquoted\u201d</p>"


def test_utf16_with_bom_decodes() -> None:
    html = legacy_page('<meta charset="utf-16">')
    body = html.encode("utf-16")  # with BOM

    assert decode_html(body, None) == html
    assert "fourteen suspects" in extract_page(body).text


def test_meta_charset_beats_guessing_and_header_beats_meta() -> None:
    body = '<meta charset="windows-1252"><p>Na\u00efve \u2013 test</p>'.encode("cp1252")
    assert "Na\u00efve \u2013 test" in decode_html(body, None)
    assert "Na\u00efve \u2013 test" in decode_html(body, "text/html; charset=windows-1252")
    utf8_body = '<meta charset="windows-1252"><p>\u0686\u0627\u0626\u06d2</p>'.encode()
    assert "\u0686\u0627\u0626\u06d2" in decode_html(utf8_body, "text/html; charset=utf-8")


def test_undeclared_utf8_and_undeclared_legacy() -> None:
    assert decode_html("<p>r\u00e9sum\u00e9</p>".encode(), None) == "<p>r\u00e9sum\u00e9</p>"
    legacy = ("<html><body><p>" + "Le r\u00e9sum\u00e9 du rapport a \u00e9t\u00e9 publi\u00e9 \u00e0 Gen\u00e8ve. " * 20 + "</p></body></html>").encode("cp1252")
    assert "r\u00e9sum\u00e9" in decode_html(legacy, None)


def test_pdf_is_skipped_with_reason_pdf() -> None:
    with pytest.raises(ExtractionSkipped) as skipped:
        extract_page(TINY_PDF, content_type="application/pdf")
    assert skipped.value.reason == "pdf"
    assert "PDF" in str(skipped.value)


def test_pdf_mislabelled_as_html_is_still_skipped() -> None:
    with pytest.raises(ExtractionSkipped) as skipped:
        extract_page(TINY_PDF, content_type="text/html; charset=utf-8")
    assert skipped.value.reason == "pdf"


def test_image_is_skipped_with_reason_image() -> None:
    with pytest.raises(ExtractionSkipped) as skipped:
        extract_page(TINY_PNG, content_type="image/png")
    assert skipped.value.reason == "image"
    with pytest.raises(ExtractionSkipped) as by_header:
        extract_page(b"GIF89a\x01\x00\x01\x00", content_type="image/gif")
    assert by_header.value.reason == "image"


def test_json_is_not_html() -> None:
    with pytest.raises(ExtractionSkipped) as skipped:
        extract_page(b'{"status": "ok"}', content_type="application/json")
    assert skipped.value.reason == "not-html"


def test_oversized_page_is_skipped_before_parsing() -> None:
    body = (PAGES / "arabnews_nacta_daesh.html").read_bytes()
    with pytest.raises(ExtractionSkipped) as skipped:
        extract_page(body, max_bytes=len(body) - 1)
    assert skipped.value.reason == "too-large"
    assert extract_page(body, max_bytes=len(body)).text


def test_page_without_article_text_is_skipped_as_empty() -> None:
    with pytest.raises(ExtractionSkipped) as skipped:
        extract_page(b"<html><head><title>x</title></head><body><script>var x = 1;</script><img src='a.png'></body></html>")
    assert skipped.value.reason == "empty"
    with pytest.raises(ExtractionSkipped) as blank:
        extract_page(b"   ", content_type="text/html")
    assert blank.value.reason == "empty"


def test_sniff_kind() -> None:
    assert sniff_kind(TINY_PDF, None) == "pdf"
    assert sniff_kind(TINY_PNG, "text/html") == "image"
    assert sniff_kind(b"\xff\xd8\xff\xe0\x00\x10JFIF", None) == "image"
    assert sniff_kind(b"RIFF\x00\x00\x00\x00WEBPVP8 ", None) == "image"
    assert sniff_kind(b"<!DOCTYPE html><html><body>Hi</body></html>", None) == "html"
    assert sniff_kind(b"\n  <html><body>Hi</body></html>", "application/octet-stream") == "html"
    assert sniff_kind(b"anything", "application/xhtml+xml") == "html"
    assert sniff_kind(b"plain words only", "text/plain") == "other"
    assert sniff_kind(b"<html><body>A page about the %PDF- header</body></html>", None) == "html"


def test_extract_file_reads_gzip(tmp_path: Path) -> None:
    compressed = tmp_path / "nacta.html.gz"
    compressed.write_bytes(gzip.compress((PAGES / "arabnews_nacta_daesh.html").read_bytes()))
    plain = tmp_path / "nacta.html"
    plain.write_bytes((PAGES / "arabnews_nacta_daesh.html").read_bytes())

    from_gzip = extract_file(str(compressed))
    assert "1,482 websites" in from_gzip.text
    assert from_gzip == extract_file(str(plain))


def test_to_dict_has_the_agreed_keys() -> None:
    page = ExtractedPage("T", "body", "A", "2024-01-01", "Site", "en", "https://i.example/x.jpg", "https://s.example/a")
    assert page.to_dict() == {
        "title": "T",
        "text": "body",
        "author": "A",
        "date": "2024-01-01",
        "sitename": "Site",
        "language": "en",
        "url": "https://s.example/a",
        "image": "https://i.example/x.jpg",
    }


def test_clean_text_normalises_whitespace_into_paragraphs() -> None:
    raw = "First\u00a0 paragraph\t here.\n\n\n  Second\u200b paragraph.  \nThird line\n"
    assert clean_text(raw) == "First paragraph here.\n\nSecond paragraph.\n\nThird line"


def test_sanitize_html_strips_script_handlers_and_javascript_urls() -> None:
    dirty = (
        '<p onclick="steal()">Summary <b>bold</b> <script>alert(1)</script>'
        '<a href="javascript:alert(2)">bad</a> <a href="https://example.org/story" target="_blank">good</a>'
        '<img src="x" onerror="alert(3)"><iframe src="https://evil.example"></iframe></p>'
    )
    clean = sanitize_html(dirty)

    assert "<script" not in clean and "alert(1)" not in clean
    assert "onclick" not in clean and "onerror" not in clean
    assert "javascript:" not in clean
    assert "<img" not in clean and "<iframe" not in clean
    assert '<a href="https://example.org/story" rel="noopener nofollow">good</a>' in clean
    assert "<b>bold</b>" in clean
    assert clean.startswith("<p>")
