"""The Huey tasks that compose polling with the article stages (monitor.tasks), run in-process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from huey.contrib.djhuey import HUEY

from monitor.tasks import poll_due_sources_at_start, poll_source_task
from sources.models import Source
from tests.httpserver import LocalHTTPServer

pytestmark = pytest.mark.django_db


def test_a_queued_poll_of_a_source_that_is_no_longer_due_does_nothing(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", status=429, headers={"Retry-After": "3600"}, body=b"slow down")
    source = Source.objects.create(url=http_server.url("/feed.xml"), interval_minutes=30)
    poll_source_task.call_local(source.pk)  # due: polled, told to wait an hour
    poll_source_task.call_local(source.pk)  # a duplicate that waited in the queue: must not poll again
    assert len(http_server.requests_for("/feed.xml")) == 1
    assert source.polls.count() == 1


@pytest.fixture
def immediate_queue() -> Iterator[None]:
    """Tasks that a task queues run at once, in this process, as with HUEY_IMMEDIATE."""
    HUEY.immediate = True
    try:
        yield
    finally:
        HUEY.immediate = False


def test_a_poll_task_hands_its_new_articles_to_extraction_and_tagging(site_server: LocalHTTPServer,
                                                                       immediate_queue: None) -> None:
    source = Source.objects.create(url=site_server.url("/feed.xml"), interval_minutes=30)
    poll_source_task.call_local(source.pk)
    statuses = set(source.articles.values_list("status", flat=True))
    assert statuses == {"tagged"}, statuses


def test_a_worker_start_with_private_fetch_allowed_retries_sources_refused_for_it() -> None:
    refused = Source.objects.create(url="http://10.0.0.7/feed.xml", interval_minutes=30, consecutive_errors=3,
                                    status=Source.Status.FAILING,
                                    last_error="refused: a private address (set MONITOR_ALLOW_PRIVATE_FETCH=1 to "
                                               "allow it). Next try in 24 hours.")
    other = Source.objects.create(url="https://down.example/feed.xml", interval_minutes=30, consecutive_errors=2,
                                  status=Source.Status.FAILING, last_error="the server answered HTTP 503")
    poll_due_sources_at_start()
    refused.refresh_from_db()
    other.refresh_from_db()
    assert refused.consecutive_errors == 0 and refused.last_error == ""
    assert other.consecutive_errors == 2
