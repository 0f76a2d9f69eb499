"""Near copies of one report join one story; different stories about the same agency stay apart.

Texts are in tests/fixtures/stories/ (written for these tests). Clustering runs through
monitor.stories.assign_story with the candidate index it keeps in memory (monitor.candidate_index), as the worker runs it.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from monitor.models import (Entity, EntityDay, Figure, RecurringLine, Story, StoryArticle, StorySearch,
                            StorySource)
from monitor.recurring_lines import keyed_lines, without_recurring
from monitor.similarity import shingle_hashes
from monitor.story_index import entity_story_counts, refresh_story_index
from monitor.stories import (DECODED, assign_story, candidates, comparison_rows, next_sequence, recurring_lines,
                             sides_of)
from sources.models import Article
from tests.conftest import make_analyst
from monitor.tagging import retag_article
from tests.monitor.builders import clustered_article, dashboard_rows, features, tagger

pytestmark = pytest.mark.django_db

STORIES = Path(__file__).resolve().parents[1] / "fixtures" / "stories"
NOW = timezone.now()


def article(name: str, outlet: str, *, hours: int = 0, title: str | None = None) -> Article:
    return clustered_article(name, outlet, hours=hours, title=title, when=NOW)


def test_original_and_verbatim_repost_join_one_story() -> None:
    original = article("nacta_original", "news.example")
    repost = article("nacta_repost", "aggregator.example", hours=3)
    assert repost.story_link.story_id == original.story_link.story_id
    assert repost.story_link.copy_kind == StoryArticle.CopyKind.VERBATIM
    story = Story.objects.get(pk=original.story_link.story_id)
    assert story.outlet_count == 2 and story.article_count == 2 and story.first_article_id == original.pk


def test_original_and_edited_rewrite_join_one_story() -> None:
    original = article("nacta_original", "news.example")
    rewrite = article("nacta_rewrite", "wire.example", hours=1)
    assert rewrite.story_link.story_id == original.story_link.story_id
    assert rewrite.story_link.copy_kind == StoryArticle.CopyKind.REWRITTEN


def test_two_stories_about_the_same_agency_on_the_same_day_stay_apart() -> None:
    first = article("nacta_original", "news.example")
    other = article("nacta_other_story", "news.example", hours=2)
    assert other.story_link.story_id != first.story_link.story_id
    assert Story.objects.count() == 2


def test_a_copy_published_earlier_becomes_the_first_report() -> None:
    repost = article("nacta_repost", "aggregator.example", hours=5)
    original = article("nacta_original", "news.example", hours=0)
    story = Story.objects.get(pk=repost.story_link.story_id)
    assert original.story_link.story_id == story.pk and story.first_article_id == original.pk
    repost.refresh_from_db()
    assert Article.objects.get(pk=original.pk).story_link.copy_kind == StoryArticle.CopyKind.ORIGINAL
    assert repost.story_link.copy_kind == StoryArticle.CopyKind.VERBATIM


def test_copies_a_month_apart_are_not_compared() -> None:
    original = article("nacta_original", "news.example")
    late = article("nacta_repost", "aggregator.example", hours=24 * 30)
    assert late.story_link.story_id != original.story_link.story_id


@pytest.mark.parametrize(("hours", "joins"), [(24 * 7 - 1, True), (24 * 7 + 1, False)])
def test_a_copy_is_compared_only_within_the_dedup_window(settings: Any, hours: int, joins: bool) -> None:
    settings.MONITOR_DEDUP_WINDOW_DAYS = 7
    original = article("nacta_original", "news.example")
    late = article("nacta_repost", "aggregator.example", hours=hours)
    assert (late.story_link.story_id == original.story_link.story_id) is joins


def test_the_candidates_are_the_articles_sharing_the_most_index_keys(settings: Any) -> None:
    settings.MONITOR_DEDUP_MAX_CANDIDATES = 2
    grouped = [article(name, outlet, hours=n) for n, (name, outlet) in enumerate(
        [("nacta_original", "news.example"), ("nacta_other_story", "daily.example"), ("pta_sim_report", "gov.example")])]
    newcomer = article("nacta_repost", "aggregator.example", hours=4)
    # Each grouped article shares 1, 3 and 2 of the keys looked up (the rest of its keys are its own).
    for shared, earlier in zip([1, 3, 2], grouped):
        reindex(earlier, [10, 11, 12][:shared] + [1000 + earlier.pk])
    found = candidates(newcomer, [[10, 11, 12, 99]], seq=next_sequence())
    assert [compared.article_id for compared, _ in found] == [grouped[1].pk, grouped[2].pk]


def test_the_candidates_lie_within_the_dedup_window(settings: Any) -> None:
    settings.MONITOR_DEDUP_WINDOW_DAYS = 7
    old = article("nacta_original", "news.example", hours=-24 * 30)
    recent = article("nacta_other_story", "daily.example")
    newcomer = article("nacta_repost", "aggregator.example", hours=4)
    for earlier in (old, recent):
        reindex(earlier, [10, 11])
    # The article a month older shares the keys but lies outside the dedup window.
    found = candidates(newcomer, [[10, 11]], seq=next_sequence())
    assert [compared.article_id for compared, _ in found] == [recent.pk]


def reindex(grouped: Article, keys: list[int]) -> None:
    """Gives a grouped article these index keys, as grouping it again would: with a new clustering number."""
    StoryArticle.objects.filter(article=grouped).update(index_keys=np.asarray(keys, dtype="<i8").tobytes(),
                                                        compared_seq=next_sequence())


def test_story_list_shows_one_row_per_story_with_its_outlets(client: Client, django_user_model: type) -> None:
    article("nacta_original", "news.example", title="NACTA widens drive")
    article("nacta_repost", "aggregator.example", hours=3, title="NACTA widens drive (repost)")
    article("nacta_other_story", "news.example", hours=2, title="NACTA seminary deadline")
    client.force_login(make_analyst(password="x-long-password-1"))
    html = client.get("/").content.decode()
    assert html.count("NACTA widens drive") == 1 and "(repost)" not in html
    assert html.count("NACTA seminary deadline") == 1
    story = Story.objects.get(title="NACTA widens drive")
    detail = client.get(f"/stories/{story.pk}/").content.decode()
    assert "reported by 2 outlets" in detail and "aggregator.example" in detail and "verbatim copy" in detail


def test_an_article_tagged_again_leaves_no_empty_story_behind() -> None:
    first = article("nacta_original", "news.example")
    old_story = first.story_link.story_id
    # Its page later worked and changed its text completely: tagged again, it founds a new story.
    Article.objects.filter(pk=first.pk).update(text=(STORIES / "nacta_other_story.txt").read_text())
    first.refresh_from_db()
    new_story = assign_story(first, features(first.text))
    assert new_story.pk != old_story and not Story.objects.filter(pk=old_story).exists()
    assert Story.objects.count() == 1 and new_story.article_count == 1


def test_a_grouped_article_is_compared_from_its_stored_comparison_data_without_reading_its_text() -> None:
    original = article("nacta_original", "news.example")
    # Were its text read when the repost is judged, an empty text would match nothing.
    Article.objects.filter(pk=original.pk).update(text="")
    repost = article("nacta_repost", "aggregator.example", hours=3)
    assert repost.story_link.story_id == original.story_link.story_id
    assert repost.story_link.copy_kind == StoryArticle.CopyKind.VERBATIM


def test_a_story_an_article_founds_has_the_same_dashboard_rows_as_a_full_refresh_gives() -> None:
    """Founding a story skips reading its rows back (there are none yet); a full refresh finds nothing to add."""
    founder = article("nacta_original", "news.example")
    story = Story.objects.get(pk=founder.story_link.story_id)

    def rows() -> tuple[Any, ...]:
        return (list(Story.objects.filter(pk=story.pk).values()), list(story.entity_rows.values()),
                list(StorySource.objects.filter(story=story).values()),
                list(StorySearch.objects.filter(story=story).values()), list(Figure.objects.values()),
                list(EntityDay.objects.values()), list(Entity.objects.values("pk", "story_count")))

    founded = rows()
    assert founded[1] and founded[2] and founded[3] and founded[4]  # entities, outlet, search text, figures
    # Counted once each: a second count would survive the full refresh below unnoticed.
    assert entity_story_counts() == dict(Entity.objects.filter(story_count__gt=0).values_list("pk", "story_count"))
    assert set(EntityDay.objects.values_list("stories", flat=True)) == {1}
    assert StorySource.objects.filter(story=story).count() == 1
    refresh_story_index(Story.objects.get(pk=story.pk))
    assert rows() == founded


def test_a_copy_joining_a_story_reads_its_own_tags_only_and_leaves_the_rows_a_full_refresh_gives() -> None:
    original = article("nacta_original", "news.example")
    rewrite = article("nacta_rewrite", "wire.example", hours=1)
    story = Story.objects.get(pk=original.story_link.story_id)
    assert rewrite.story_link.story_id == story.pk
    tag_reads: list[tuple[str, list[Any]]] = []

    def spy(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.lstrip().startswith("SELECT") and ('"monitor_mention"' in sql or '"monitor_figure"' in sql):
            tag_reads.append((sql, list(params or [])))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        repost = article("nacta_repost", "aggregator.example", hours=3)
    assert repost.story_link.story_id == story.pk
    # Every read of tags is of the newcomer's alone: the whole refresh read all three articles' at once.
    assert tag_reads and all(params == [repost.pk] for _, params in tag_reads), tag_reads

    joined = dashboard_rows(story.pk)
    assert joined["story"]["article_count"] == 3 and joined["story"]["outlet_count"] == 3
    refresh_story_index(Story.objects.get(pk=story.pk))
    assert dashboard_rows(story.pk) == joined


def test_comparison_data_is_decoded_once_per_process_and_data_written_again_is_decoded_afresh(
        django_assert_num_queries: Any) -> None:
    original = article("nacta_original", "news.example")
    DECODED.entries.clear()
    with django_assert_num_queries(2):  # the small columns, then the stored data to decode
        [first] = comparison_rows([original.pk]).values()
    with django_assert_num_queries(1):  # the small columns only: the rest is kept decoded
        [again] = comparison_rows([original.pk]).values()
    assert again.stored is first.stored and first.stored is not None
    # Grouped again from a changed text: new comparison data under a new digest, decoded afresh.
    Article.objects.filter(pk=original.pk).update(text=(STORIES / "nacta_other_story.txt").read_text())
    original.refresh_from_db()
    assign_story(original, features(original.text))
    [changed] = comparison_rows([original.pk]).values()
    assert changed.stored is not None
    assert np.array_equal(changed.stored.shingles, shingle_hashes(original.text))
    assert not np.array_equal(changed.stored.shingles, first.stored.shingles)


def test_lines_its_outlet_turns_out_to_repeat_later_are_left_out_when_an_article_is_compared_again() -> None:
    original = article("nacta_original", "news.example")
    [(_, stored)] = sides_of(comparison_rows([original.pk]))
    assert np.array_equal(stored.shingles, shingle_hashes(original.text))  # nothing recurring yet
    # The outlet's next two articles open with the same two lines: three articles make them its template.
    keyed = keyed_lines(original.text)
    template = [key for _, key in keyed[:2]]
    opening = "\n".join(line for line, _ in keyed[:2])
    for n, report in enumerate(["Police in Quetta arrested 14 suspects on Monday.",
                                "A court in Lahore granted bail to 3 traders on Tuesday."]):
        outlet_article(original.source_id, f"later-{n}", f"{opening}\n{report}", n + 1)
    assert recurring_lines(original.source_id, template) == set(template)
    [(_, compared)] = sides_of(comparison_rows([original.pk]))
    assert np.array_equal(compared.shingles, shingle_hashes(without_recurring(original.text, set(template), keyed)))
    assert compared.shingles.size < stored.shingles.size
    # ... and stored again, so the next comparison reads it without the text.
    Article.objects.filter(pk=original.pk).update(text="")
    [(_, again)] = sides_of(comparison_rows([original.pk]))
    assert np.array_equal(again.shingles, compared.shingles)


def outlet_article(source_id: int, name: str, text: str, hours: int) -> Article:
    """An article of an existing outlet, grouped without tags."""
    url = f"https://news.example/{name}"
    made = Article.objects.create(
        source_id=source_id, guid=name, url=url, canonical_url=url, url_hash=name, title=text.splitlines()[-1][:80],
        text=text, status=Article.Status.TAGGED, extraction=Article.Extraction.OK,
        published_at=NOW + timedelta(hours=hours))
    assign_story(made)
    return made


def stored_side_without_reading_text(article_id: int) -> np.ndarray[Any, Any]:
    """The shingles clustering compares the article with, with its text gone: what its stored data says, or,
    were it stale and cut again, nothing."""
    Article.objects.filter(pk=article_id).update(text="", title="")
    [(_, side)] = sides_of(comparison_rows([article_id]))
    return side.shingles


def test_an_article_stores_its_comparison_data_without_the_lines_its_own_count_makes_recurring() -> None:
    original = article("nacta_original", "news.example")
    keyed = keyed_lines(original.text)
    template = [key for _, key in keyed[:2]]
    opening = "\n".join(line for line, _ in keyed[:2])
    second = outlet_article(original.source_id, "second", f"{opening}\nPolice in Quetta arrested 14 suspects.", 1)
    assert recurring_lines(original.source_id, template) == set()
    third_text = f"{opening}\nA court in Lahore granted bail to 3 traders on Tuesday."
    third = outlet_article(original.source_id, "third", third_text, 2)
    assert recurring_lines(original.source_id, template) == set(template)  # the third article's count did it
    # It was judged with them (its count comes after), but stored without them, as later articles see it now:
    # not stale, so nothing of its text is read again.
    assert np.array_equal(stored_side_without_reading_text(third.pk),
                          shingle_hashes(without_recurring(third_text, set(template), keyed_lines(third_text))))
    # The two before it were stored with the lines still in: they are cut again from their text.
    assert stored_side_without_reading_text(second.pk).size == 0
    # A fourth article with the template: its lines stay recurring, and their counts are not written again.
    fourth_text = f"{opening}\nThe FIA arrested 2 men in Karachi on Wednesday."
    fourth = outlet_article(original.source_id, "fourth", fourth_text, 3)
    assert dict(RecurringLine.objects.filter(source_id=original.source_id, key__in=template)
                .values_list("key", "articles")) == {key: 3 for key in template}
    assert np.array_equal(stored_side_without_reading_text(fourth.pk),
                          shingle_hashes(without_recurring(fourth_text, set(template), keyed_lines(fourth_text))))


def test_a_candidate_cut_again_leaves_out_the_lines_the_grouping_article_makes_recurring() -> None:
    """An outlet's first article carries two lines that become recurring at different articles: the first
    before its copy arrives, the second with the copy's own count. The copy's grouping cuts the first article
    again (stale for the first line), and what it stores leaves out both."""
    original = article("nacta_original", "news.example")
    source_id = original.source_id
    keyed = keyed_lines(original.text)
    (first_line, first_key), (second_line, second_key) = keyed[0], keyed[1]
    outlet_article(source_id, "both", f"{first_line}\n{second_line}\nPolice in Quetta arrested 14 suspects.", 1)
    outlet_article(source_id, "first-only", f"{first_line}\nA court in Lahore granted bail to 3 traders.", 2)
    assert recurring_lines(source_id, [first_key, second_key]) == {first_key}
    # A repost of the first article by the same outlet, without its first line: the second line's third article.
    repost_text = "\n".join(line for line, _ in keyed[1:])
    outlet_article(source_id, "repost", repost_text, 3)
    assert recurring_lines(source_id, [first_key, second_key]) == {first_key, second_key}
    assert np.array_equal(stored_side_without_reading_text(original.pk),
                          shingle_hashes(without_recurring(original.text, {first_key, second_key}, keyed)))


def test_an_article_tagged_again_is_compared_with_its_new_features() -> None:
    original = article("nacta_original", "news.example")
    before = StoryArticle.objects.get(article=original).reported
    assert before and before["organisations"]
    [(_, compared)] = sides_of(comparison_rows([original.pk]))  # now decoded and kept by this process
    assert compared.features.organisations
    # Tagged again by a tagger that (say, after a gazetteer change) finds no organisations.
    analysis = tagger().analyze(original.text)
    analysis.organisations.clear()
    retag_article(original, tagger(), analysis)
    [(_, compared)] = sides_of(comparison_rows([original.pk]))
    assert compared.features.organisations == frozenset() and compared.features.figures
