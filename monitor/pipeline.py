"""The article pipeline, composed: which stages an article goes through, in what order.

This is the one module that imports both halves: ingest (sources/: polling, page extraction) and analysis
(monitor/: tagging and stories). Everything else in sources/ stays ignorant of monitor/, and the claim
machinery that runs each stage exactly once (sources.claims) knows nothing of which stages exist.

An article's path: poll_source stores it as NEW; extract_article fetches its page (EXTRACTED);
analyse_article tags it (ANALYSED); group_article puts it in a story (TAGGED).

Who runs which stage: a queue worker (`run_huey`) runs them all, unless MONITOR_WORKER_TAGS is off; then
`tag_worker` processes run the last two (`--stage tag` or `--stage group` for one of them). Tagging is the
costly, parallel part; grouping is cheap but serial (monitor.stories takes the clustering lock), so at scale
tag workers run `--stage tag` and one process runs `--stage group`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet

from monitor.tagging import analyse_article, analyse_batch, group_article
from sources.articles import extract_article
from sources.claims import run_claimed
from sources.models import Article, Source
from sources.poll_runner import poll_sources


@dataclass(frozen=True)
class Stage:
    name: str
    takes: str
    """The status an article must have to enter the stage; the stage moves it on when it commits."""
    run: Callable[[Article], None]
    prepare: Callable[[list[Article]], None] | None = None
    """Sees each claimed batch before `run` sees its articles one by one (tagging: the NLP in one batch)."""


STAGES: tuple[Stage, ...] = (
    Stage("extract", Article.Status.NEW, extract_article),
    Stage("tag", Article.Status.EXTRACTED, analyse_article, prepare=analyse_batch),
    Stage("group", Article.Status.ANALYSED, group_article),
)
ANALYSIS_STAGES = ("tag", "group")


@dataclass
class PipelineReport:
    done: dict[str, int] = field(default_factory=dict)
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def extracted(self) -> int:
        return self.done.get("extract", 0)

    @property
    def tagged(self) -> int:
        return self.done.get("tag", 0)


def worker_stages() -> tuple[Stage, ...]:
    """The stages a queue worker runs: all of them, or, when tag workers run apart (MONITOR_WORKER_TAGS off),
    only those before tagging."""
    if settings.MONITOR_WORKER_TAGS:
        return STAGES
    return tuple(stage for stage in STAGES if stage.name not in ANALYSIS_STAGES)


def process_articles(ids: Iterable[int] | None = None, *, batch_size: int = 16,
                     progress: Callable[[int], None] | None = None,
                     stages: Iterable[Stage] = STAGES) -> PipelineReport:
    """Runs every waiting article (or just `ids`) through each stage in turn."""
    id_list = list(ids) if ids is not None else None
    report = PipelineReport()
    for stage in stages:
        run = run_claimed(stage.takes, stage.run, ids=id_list, batch_size=batch_size, progress=progress,
                          prepare=stage.prepare)
        report.done[stage.name] = run.done
        report.failed += run.failed
        report.errors.extend(run.errors)
    return report


def poll_and_collect(source_id: int) -> list[int]:
    """Polls one source (if it is still due) and returns the ids of the new articles it stored."""
    results = poll_sources(Source.objects.filter(pk=source_id, enabled=True), concurrency=1)
    return [article_id for result in results for article_id in result.new_article_ids]


def tag_waiting_articles(*, batch_size: int = 16, stop: Callable[[], bool] | None = None,
                         stages: Iterable[str] = ANALYSIS_STAGES) -> dict[str, int]:
    """The tag role's work: a batch of each of `stages` in turn ("tag": claims extracted articles, analyses
    the batch in one pass and stores each article in its own transaction; "group": puts analysed articles in
    stories), round after round until none is waiting (or `stop` says so between batches), so that grouping
    keeps up with tagging. Returns how many articles each stage moved on."""
    chosen = [stage for stage in STAGES if stage.name in set(stages)]
    done = dict.fromkeys((stage.name for stage in chosen), 0)
    while stop is None or not stop():
        moved = 0
        for stage in chosen:
            run = run_claimed(stage.takes, stage.run, batch_size=batch_size, prepare=stage.prepare, stop=stop,
                              max_batches=1)
            done[stage.name] += run.done
            moved += run.done + run.failed
        if not moved:
            break
    return done


def pending_articles() -> QuerySet[Article]:
    return Article.objects.filter(status__in=[stage.takes for stage in STAGES])


def pending_steps() -> int:
    """How many stage runs the waiting articles still need: a progress bar's total."""
    return sum(pending_articles().filter(status=stage.takes).count() * (len(STAGES) - position)
               for position, stage in enumerate(STAGES))
