"""The tagging stage runs the NLP over each claimed batch at once (Tagger.analyze_many, inside spaCy's memory
zone), then stores each article in its own transaction; the group stage then puts the articles in stories."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from monitor.models import Mention, StoryArticle, UngroupedArticle
from monitor.pipeline import process_articles
from monitor.status import pipeline_status
from monitor.tagging import analyse_batch, get_tagger, tag_article
from sources.claims import run_claimed
from sources.models import Article, Source

pytestmark = pytest.mark.django_db

STORIES = Path(__file__).resolve().parents[1] / "fixtures" / "stories"


def extracted(name: str, source: Source) -> Article:
    url = f"https://news.example/{name}"
    return Article.objects.create(source=source, guid=url, url=url, canonical_url=url, url_hash=name,
                                  title=name.replace("_", " "), text=(STORIES / f"{name}.txt").read_text(),
                                  status=Article.Status.EXTRACTED, extraction=Article.Extraction.OK)


def test_a_batch_is_analysed_in_one_pass_and_each_article_stored(monkeypatch: pytest.MonkeyPatch) -> None:
    source = Source.objects.create(url="https://news.example/feed.xml", name="News")
    articles = [extracted(name, source) for name in ("nacta_original", "nacta_other_story", "pta_sim_report")]
    tagger = get_tagger()
    calls: dict[str, list[Any]] = {"analyze_many": [], "analyze": []}
    real_many, real_one = tagger.analyze_many, tagger.analyze

    def analyze_many(texts: Any, *args: Any, **kwargs: Any) -> Any:
        texts = list(texts)
        calls["analyze_many"].append(len(texts))
        return real_many(texts, *args, **kwargs)

    def analyze(text: str) -> Any:
        calls["analyze"].append(text)
        return real_one(text)

    monkeypatch.setattr(tagger, "analyze_many", analyze_many)
    monkeypatch.setattr(tagger, "analyze", analyze)
    report = process_articles(batch_size=16)
    assert report.tagged == 3 and report.failed == 0
    assert calls == {"analyze_many": [3], "analyze": []}
    for article in articles:
        article.refresh_from_db()
        assert article.status == Article.Status.TAGGED
        assert Mention.objects.filter(article=article).exists()


def test_an_article_whose_text_changed_after_the_batch_was_analysed_is_analysed_again() -> None:
    source = Source.objects.create(url="https://news.example/feed.xml", name="News")
    article = extracted("nacta_original", source)
    analyse_batch([article])  # analysed as the NACTA story
    Article.objects.filter(pk=article.pk).update(text=(STORIES / "pta_sim_report.txt").read_text())
    run = run_claimed(Article.Status.EXTRACTED, tag_article, ids=[article.pk])  # no batch step this time
    assert run.done == 1
    assert Mention.objects.filter(article=article, surface="Malahat Obaid").exists()  # in the new text only
    assert not Mention.objects.filter(article=article, surface="Telegram").exists()  # in the old text only


def test_tagging_and_grouping_are_separate_stages(monkeypatch: pytest.MonkeyPatch) -> None:
    """`tag_worker --stage tag` stores tags and keeps the features grouping needs; `--stage group` then puts
    the articles in stories from those features, without a tagger."""
    source = Source.objects.create(url="https://news.example/feed.xml", name="News")
    other = Source.objects.create(url="https://other.example/feed.xml", name="Other")
    original = extracted("nacta_original", source)
    rewrite = extracted("nacta_rewrite", other)
    call_command("tag_worker", "--once", "--stage", "tag", stdout=StringIO())
    for article in (original, rewrite):
        article.refresh_from_db()
        assert article.status == Article.Status.ANALYSED
        assert Mention.objects.filter(article=article).exists()
    assert not StoryArticle.objects.exists() and pipeline_status().articles_waiting == 2
    kept = {row.article_id: row.features for row in UngroupedArticle.objects.all()}
    assert "National Counter Terrorism Authority" in kept[original.pk]["organisations"]

    def no_tagger() -> None:
        raise AssertionError("grouping must not load a tagger")

    monkeypatch.setattr("monitor.tagging.get_tagger", no_tagger)
    output = StringIO()
    call_command("tag_worker", "--once", "--stage", "group", stdout=output)
    assert "grouped 2" in output.getvalue()
    links = {link.article_id: link for link in StoryArticle.objects.all()}
    assert links[original.pk].story_id == links[rewrite.pk].story_id  # the rewrite joined the first report
    assert {pk: link.features for pk, link in links.items()} == kept
    assert not UngroupedArticle.objects.exists() and pipeline_status().articles_waiting == 0
    assert set(Article.objects.values_list("status", flat=True)) == {Article.Status.TAGGED}
