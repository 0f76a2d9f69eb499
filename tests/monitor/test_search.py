"""The search language (monitor.search): parsing, the SQL it becomes, and snippets."""

from __future__ import annotations

import pytest

from monitor.search import MAX_TERMS, QueryError, parse_query, snippet, to_fts5, to_tsquery


def test_words_are_all_required_and_lower_cased() -> None:
    query = parse_query("NACTA Daesh")
    assert query is not None
    assert to_fts5(query) == '("nacta") AND ("daesh")'
    assert to_tsquery(query) == "('nacta') & ('daesh')"


def test_phrases_or_exclusions_and_prefixes() -> None:
    query = parse_query('"blocked websites" fia OR nacta -karachi terror*')
    assert query is not None
    assert to_fts5(query) == '("blocked websites") AND ("fia" OR "nacta") AND ("terror"*) NOT "karachi"'
    assert to_tsquery(query) == "(('blocked' <-> 'websites')) & ('fia' | 'nacta') & ('terror':*) & !'karachi'"


def test_operators_typed_inside_words_are_only_words() -> None:
    query = parse_query("nacta AND ) NEAR(x")
    assert query is not None
    assert to_fts5(query) == '("nacta") AND ("and") AND ("near x")'
    query = parse_query("counter-terrorism D.G.")
    assert query is not None
    assert to_fts5(query) == '("counter terrorism") AND ("d g")'


@pytest.mark.parametrize("text, message", [
    ("x" * 201, "under 200"),
    (" ".join(f"w{i}" for i in range(MAX_TERMS + 1)), "more than 10 terms"),
    ('"open phrase', "not closed"),
    ("OR nacta", "between two terms"),
    ("nacta OR", "between two terms"),
    ("-karachi", "at least one word"),
    ("t*", "two letters"),
])
def test_bad_queries_say_what_to_change(text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse_query(text)


def test_empty_and_punctuation_only_queries_mean_no_search() -> None:
    assert parse_query("   ") is None
    assert parse_query("!!! ...") is None


def test_snippet_marks_matched_words_and_escapes_the_rest() -> None:
    query = parse_query("nacta block*")
    assert query is not None
    text = "Intro. " * 40 + "The <b>NACTA</b> said it had blocked 1,447 web addresses."
    html = str(snippet(text, query))
    assert "<mark>NACTA</mark>" in html and "<mark>blocked</mark>" in html
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert html.startswith("…")
