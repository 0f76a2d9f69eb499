"""python manage.py tag_worker [--stage all|tag|group] [--batch-size 16] [--once]: the tag role, one process
with its own tagger.

Tagging is CPU-bound and spaCy holds the GIL, so it scales by process: start as many of these as a machine
has cores to spare, on as many machines as needed, all pointing at one database. Each claims extracted
articles a batch at a time (sources.claims: SKIP LOCKED on PostgreSQL, IMMEDIATE transactions on SQLite), so
no article is tagged twice; a process killed mid-batch leaves its claims to be released (at once on the same
machine, after MONITOR_CLAIM_SECONDS from another) and its articles are tagged by the next worker to look.
Pair it with `MONITOR_WORKER_TAGS=0` on the queue workers (`run_huey`), which then only poll and fetch.

`--stage` (monitor.pipeline): `all` (the default) tags and groups into stories, a batch of each in turn;
`tag` only tags; `group` only groups, and loads no tagger. Grouping is serial (one clustering lock for
the whole deployment), so with many tag workers run them with `--stage tag` and one `--stage group` worker.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from monitor.pipeline import ANALYSIS_STAGES, tag_waiting_articles
from sources.claims import release_orphaned_claims

# When nothing is waiting: look again after 1 s, then every 2 s. A look is one indexed claim query, so an idle
# worker costs next to nothing; a longer wait would be how long a fresh article (or, for the group stage, a
# freshly tagged one) waits before a worker notices it.
MAX_IDLE_SECONDS = 2.0


class Command(BaseCommand):
    help = ("Tag extracted articles in batches until stopped (SIGTERM or Ctrl-C finish the current batch first). "
            "With --once, tag what is waiting and exit.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=16, help="articles claimed and analysed together")
        parser.add_argument("--once", action="store_true", help="tag every waiting article, then exit")
        parser.add_argument("--stage", choices=("all", *ANALYSIS_STAGES), default="all",
                            help="all: tag and group into stories (default); tag: only tag; group: only group")

    def handle(self, *args: Any, **options: Any) -> None:
        stopping = threading.Event()

        def stop(signum: int, _frame: FrameType | None) -> None:
            self.stdout.write(f"tag worker: {signal.Signals(signum).name}, stopping after this batch")
            stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        stages = ANALYSIS_STAGES if options["stage"] == "all" else (options["stage"],)
        idle = 1.0
        total = dict.fromkeys(stages, 0)
        while not stopping.is_set():
            release_orphaned_claims()
            done = tag_waiting_articles(batch_size=options["batch_size"], stop=stopping.is_set, stages=stages)
            for stage, count in done.items():
                total[stage] += count
            if any(done.values()):
                self.stdout.write(f"tag worker: {_counts(done)} ({_counts(total)} since start)")
                idle = 1.0
            if options["once"]:
                break
            stopping.wait(idle if not any(done.values()) else 0)
            idle = min(MAX_IDLE_SECONDS, idle * 2) if not any(done.values()) else idle
        self.stdout.write(f"tag worker: stopped, {_counts(total)}")


def _counts(done: dict[str, int]) -> str:
    words = {"tag": "tagged", "group": "grouped"}
    return ", ".join(f"{words[stage]} {count}" for stage, count in done.items())
