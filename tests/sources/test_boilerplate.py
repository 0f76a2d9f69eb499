"""The one list of page-furniture lines, as extraction and the tagger use it."""

from __future__ import annotations

from sources.boilerplate import furniture_ranges, is_call_to_action, is_furniture


def test_calls_to_action_are_short_navigation_lines() -> None:
    assert is_call_to_action("Related: FIA arrests two in Lahore")
    assert is_call_to_action("Follow Dawn on Twitter for updates")
    assert is_call_to_action("© 2026 Example Media. All rights reserved.")


def test_a_real_sentence_that_starts_like_furniture_is_kept() -> None:
    sentence = ("Related cases in Karachi and Quetta were handed to the Counter Terrorism Department, which said "
                "it had made 31 arrests since January, officials told reporters on Tuesday after a long meeting "
                "with provincial police chiefs in the capital.")
    assert not is_call_to_action("Related: " + sentence)  # over the length cap
    assert not is_furniture("The Federal Investigation Agency said 50 accounts were blocked.")


def test_bylines_credits_and_reader_comments_are_furniture_for_the_tagger() -> None:
    assert is_furniture("By Our Correspondent")
    assert is_furniture("Photo: Arab News")
    assert is_furniture("1. few for sms")
    assert not is_call_to_action("By Our Correspondent")  # extraction keeps bylines


def test_furniture_ranges_cover_whole_lines() -> None:
    text = "NACTA blocked 1,447 web addresses.\nRead more: PTA blocks SIMs\nThe FIA made 12 arrests.\n"
    ranges = furniture_ranges(text)
    assert [text[start:end] for start, end in ranges] == ["Read more: PTA blocks SIMs\n"]
