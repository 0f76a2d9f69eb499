"""An outlet's recurring lines: keyed by their frame, counted per outlet, left out of what clustering compares."""

from __future__ import annotations

from monitor.recurring_lines import (RECURRING_AFTER, RecurringLines, line_frame, line_key, line_keys, lines_of,
                                     without_recurring)

BULLETIN = ("CTD Punjab situation report.\n\n"
            "In Jhang, a CTD team arrested 2 suspects. Call the helpline 1717 to report suspicious activity.\n"
            "Share this: Facebook Twitter")


def test_lines_are_paragraph_lines_cut_into_sentences() -> None:
    assert lines_of(BULLETIN) == ["CTD Punjab situation report.", "In Jhang, a CTD team arrested 2 suspects.",
                                  "Call the helpline 1717 to report suspicious activity.", "Share this: Facebook Twitter"]


def test_a_frame_hides_names_and_numbers_but_keeps_the_other_words() -> None:
    assert line_frame("In Jhang, a CTD team arrested 2 suspects.") == "# # a # team arrested # suspects"
    assert line_key("In Multan, a CTD team arrested 14 suspects.") == line_key("In Jhang, a CTD team arrested 2 suspects.")
    assert line_key("In Multan, a CTD team seized 14 rifles.") != line_key("In Jhang, a CTD team arrested 2 suspects.")


def test_a_line_becomes_recurring_after_enough_articles_of_the_same_outlet() -> None:
    lines = RecurringLines()
    keys = line_keys(BULLETIN)
    for _ in range(RECURRING_AFTER - 1):
        lines.learn("ctd", BULLETIN)
    assert lines.recurring("ctd", keys) == set()
    lines.learn("ctd", BULLETIN)
    assert lines.recurring("ctd", keys) == set(keys)
    assert lines.recurring("another outlet", keys) == set()  # learned per outlet


def test_an_article_counts_once_however_often_it_repeats_a_line() -> None:
    lines = RecurringLines()
    lines.learn("ctd", "Share this.\nShare this.\nShare this.")
    assert lines.recurring("ctd", line_keys("Share this.")) == set()


def test_leaving_out_recurring_lines_keeps_the_rest_in_order() -> None:
    furniture = {line_key("Share this: Facebook Twitter"), line_key("CTD Punjab situation report.")}
    assert without_recurring(BULLETIN, furniture) == (
        "In Jhang, a CTD team arrested 2 suspects.\nCall the helpline 1717 to report suspicious activity.")
    assert without_recurring(BULLETIN, set()) == BULLETIN
