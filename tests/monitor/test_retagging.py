"""A gazetteer edit in the admin re-tags the stories it affects, as a job with visible progress."""

from __future__ import annotations

import pytest
from django.test import Client

from monitor.models import Entity, RetagJob
from monitor.retagging import run_retag_job
from monitor.tagging import tag_article
from sources.models import Article, Source
from tests.conftest import make_admin, make_analyst

pytestmark = pytest.mark.django_db

TEXT = "The Frontier Research Council (FRC) said 40 schools had reopened in Swat after the floods."


def tagged(n: int) -> Article:
    source, _ = Source.objects.get_or_create(url="https://news.example/feed.xml")
    article = Article.objects.create(source=source, guid=str(n), url=f"https://news.example/{n}",
                                     canonical_url=f"https://news.example/{n}", url_hash=str(n), title=f"FRC {n}",
                                     text=TEXT, status=Article.Status.EXTRACTED, claimed_by="test")
    tag_article(article)
    return article


def test_adding_an_organisation_in_the_admin_retags_what_it_affects(client: Client) -> None:
    article = tagged(1)
    tagged(2)
    assert Entity.objects.get(name="Frontier Research Council").is_candidate
    client.force_login(make_admin())
    response = client.post("/admin/monitor/gazetteerentry/add/", {
        "key": "frontier-research-council", "canonical": "Frontier Research Council", "acronyms": '["FRC"]',
        "aliases": "[]", "kind": "research", "country": "PK", "context": "[]", "enabled": "on"}, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert any("Re-tagging 2 affected articles" in m for m in shown), shown
    job = RetagJob.objects.get()
    assert job.state == RetagJob.State.QUEUED and job.total == 2
    progress = client.get(f"/jobs/retag/{job.pk}/").content.decode()
    assert "0 of 2" in progress and 'hx-trigger="every 2s"' in progress

    run_retag_job(job.pk)  # what the worker's retag_job_task does
    job.refresh_from_db()
    assert job.state == RetagJob.State.DONE and job.done == 2
    assert not Entity.objects.get(name="Frontier Research Council").is_candidate
    article.refresh_from_db()
    assert "gazetteer/" in article.pipeline_version
    finished = client.get(f"/jobs/retag/{job.pk}/").content.decode()
    assert "2 of 2" in finished and "every 2s" not in finished


def test_analysts_cannot_see_retag_jobs(client: Client) -> None:
    job = RetagJob.objects.create(reason="test", article_ids=[])
    client.force_login(make_analyst())
    assert client.get(f"/jobs/retag/{job.pk}/").status_code == 403
