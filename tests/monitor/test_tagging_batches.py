"""The tagging stage runs the NLP over each claimed batch at once (Tagger.analyze_many, inside spaCy's memory
zone), then stores each article in its own transaction."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from monitor.models import Mention
from monitor.pipeline import process_articles
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
