"""Analysts correct stories from the story page: split an article out, merge two stories; clustering keeps it.

Stories are grouped by the real clustering (tests.monitor.builders.clustered_article) from the fixture texts.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from monitor.models import Entity, Story, StoryArticle, StoryCorrection
from monitor.stories import CorrectionError, assign_story, merge_stories
from monitor.story_index import entity_story_counts
from sources.models import Article
from tests.conftest import make_analyst
from tests.monitor.builders import clustered_article, features

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(client: Client) -> Client:
    client.force_login(make_analyst(password="a-long-password-1"))
    return client


def nacta_story() -> tuple[Article, Article]:
    original = clustered_article("nacta_original", "news.example")
    repost = clustered_article("nacta_repost", "aggregator.example", hours=2)
    assert repost.story_link.story_id == original.story_link.story_id
    return original, repost


def test_story_page_says_why_each_article_joined(analyst: Client) -> None:
    original, _ = nacta_story()
    html = analyst.get(f"/stories/{original.story_link.story_id}/").content.decode()
    assert "Why grouped" in html and "Grouped as a near copy: four shared figures" in html
    assert "published 2 hours apart" in html and "matched news.example" in html
    assert "first report" in html


def test_split_moves_the_article_into_a_pinned_story_of_its_own(analyst: Client) -> None:
    original, repost = nacta_story()
    old = original.story_link.story_id
    response = analyst.post(f"/stories/{old}/split/{repost.pk}/", follow=True)
    repost.refresh_from_db()
    new = repost.story_link.story_id
    assert new != old and response.redirect_chain[-1][0] == f"/stories/{new}/"
    assert "into a story of its own" in response.content.decode()
    assert repost.story_link.pinned and repost.story_link.copy_kind == StoryArticle.CopyKind.ORIGINAL
    assert Story.objects.get(pk=old).article_count == 1 and Story.objects.get(pk=new).article_count == 1
    correction = StoryCorrection.objects.get()
    assert correction.kind == "split" and correction.article_id == repost.pk
    assert correction.made_by is not None and correction.made_by.username == "analyst"
    assert "split out" in analyst.get(f"/stories/{old}/").content.decode()
    # Tagged again later (a changed page, a new model), clustering leaves it where the analyst put it.
    assign_story(repost, features(repost.text))
    repost.refresh_from_db()
    assert repost.story_link.story_id == new


def test_a_story_with_one_article_cannot_be_split(analyst: Client) -> None:
    only = clustered_article("nacta_other_story", "news.example")
    story = only.story_link.story_id
    response = analyst.post(f"/stories/{story}/split/{only.pk}/", follow=True)
    assert "only article" in response.content.decode()
    assert Story.objects.count() == 1 and not StoryCorrection.objects.exists()


def test_merge_by_address_moves_the_articles_and_the_old_address_redirects(analyst: Client) -> None:
    first = clustered_article("nacta_original", "news.example")
    other = clustered_article("nacta_other_story", "daily.example", hours=1)
    kept, gone = first.story_link.story_id, other.story_link.story_id
    assert kept != gone
    response = analyst.post(f"/stories/{kept}/merge/", {"other": f"http://testserver/stories/{gone}/"}, follow=True)
    assert "Merged" in response.content.decode()
    other.refresh_from_db()
    assert other.story_link.story_id == kept and other.story_link.pinned
    assert other.story_link.copy_kind == StoryArticle.CopyKind.MERGED
    assert not Story.objects.filter(pk=gone).exists()
    assert Story.objects.get(pk=kept).outlet_count == 2
    assert analyst.get(f"/stories/{gone}/").headers["Location"] == f"/stories/{kept}/"
    correction = StoryCorrection.objects.get()
    assert (correction.kind, correction.other_story_id, correction.articles_moved) == ("merge", gone, 1)
    assign_story(other, features(other.text))
    other.refresh_from_db()
    assert other.story_link.story_id == kept


def test_merge_with_an_unknown_or_the_same_story_says_what_to_do(analyst: Client) -> None:
    first = clustered_article("nacta_original", "news.example")
    story = first.story_link.story_id
    unknown = analyst.post(f"/stories/{story}/merge/", {"other": "99999"}, follow=True).content.decode()
    assert "No story “99999”" in unknown and "Paste the other story" in unknown
    same = analyst.post(f"/stories/{story}/merge/", {"other": str(story)}, follow=True).content.decode()
    assert "cannot be merged with itself" in same
    assert not StoryCorrection.objects.exists()


def test_only_users_allowed_to_correct_stories_may(client: Client) -> None:
    _, repost = nacta_story()
    reader = User.objects.create_user("reader", password="a-long-password-2")
    reader.user_permissions.add(Permission.objects.get(codename="view_story"))
    client.force_login(reader)
    story = repost.story_link.story_id
    page = client.get(f"/stories/{story}/").content.decode()
    assert "Split out" not in page and "Merge another story" not in page
    assert client.post(f"/stories/{story}/split/{repost.pk}/").status_code == 403
    assert client.post(f"/stories/{story}/merge/", {"other": "1"}).status_code == 403
    assert not StoryCorrection.objects.exists()


def entity_counts_agree() -> bool:
    kept = {pk: n for pk, n in Entity.objects.values_list("pk", "story_count") if n}
    return kept == entity_story_counts()


def test_entity_story_counts_follow_splits_and_merges(analyst: Client) -> None:
    first = clustered_article("nacta_original", "news.example")
    other = clustered_article("nacta_other_story", "daily.example", hours=1)
    copy = clustered_article("nacta_repost", "aggregator.example", hours=2)
    assert entity_counts_agree()
    analyst.post(f"/stories/{first.story_link.story_id}/split/{copy.pk}/")
    assert entity_counts_agree()
    other.refresh_from_db()
    analyst.post(f"/stories/{first.story_link.story_id}/merge/", {"other": str(other.story_link.story_id)})
    assert Story.objects.count() == 2 and entity_counts_agree()


def test_crossed_merges_and_a_double_click_are_refused_not_replayed(analyst: Client) -> None:
    first = clustered_article("nacta_original", "news.example")
    other = clustered_article("nacta_other_story", "daily.example", hours=1)
    a, b = first.story_link.story_id, other.story_link.story_id
    merge_stories(a, b, by=None)
    with pytest.raises(CorrectionError, match="no longer exists"):
        merge_stories(a, b, by=None)  # the same merge again (a double click)
    with pytest.raises(CorrectionError, match="no longer exists"):
        merge_stories(b, a, by=None)  # another tab merging the other way
    assert list(Story.objects.values_list("pk", flat=True)) == [a]
    assert StoryCorrection.objects.count() == 1


def test_an_address_merged_away_twice_still_leads_to_the_story(analyst: Client) -> None:
    stories = [clustered_article(name, outlet, hours=n).story_link.story_id for n, (name, outlet) in enumerate(
        [("nacta_original", "news.example"), ("nacta_other_story", "daily.example"), ("pta_sim_report", "pta.example")])]
    merge_stories(stories[1], stories[0], by=None)
    merge_stories(stories[2], stories[1], by=None)
    assert analyst.get(f"/stories/{stories[0]}/").headers["Location"] == f"/stories/{stories[2]}/"
