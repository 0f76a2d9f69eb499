#!/usr/bin/env python
"""What-if: the cost of grouping an article if the candidate index lived in worker memory, not in ArticleBand.

    .venv/bin/python benchmarks/memory_index_experiment.py [--size 10000] [--index memory|database] [--seed 1]
        [--workdir var/bench/stories]

An experiment, not the product: it measures a design before anyone builds it (README, "Cost" under stories).
It groups the cases of benchmarks/stories.py in a copy of that benchmark's filler (build it first with
`benchmarks/stories.py --seeds "" --sizes N`), as its cost runs do, tags stored. With `--index memory` it
replaces two functions of monitor.stories for the run:
- `index_article` writes no ArticleBand rows: it adds the keys to a dict (key -> articles) and runs the query a
  worker would run to catch up on other workers' articles (StoryArticle rows past the last sequence number
  it saw);
- `_ranked_by_shared_keys` counts shared keys in that dict, within the same time window and limit;
and the article's keys are written as bytes on its StoryArticle row, the one write the design adds.
What a real build would add (a cold start, eviction, a lock, catch-up that survives rollbacks) is not here.

Run the two indexes in turns and alone; the last line printed is JSON with the median, p95 and slowest
milliseconds per article, and the number of stories formed (the same for both, or the experiment is wrong).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import stories as bench  # noqa: E402


def use_memory_index() -> None:
    from django.conf import settings
    from django.db.models import Model

    import numpy as np

    import monitor.stories as stories
    from monitor.models import StoryArticle
    from monitor.plain_sql import fetch_all, insert_rows, table

    articles_of: defaultdict[int, list[int]] = defaultdict(list)
    epoch_of: dict[int, int | None] = {}
    seen = {"seq": 0}
    keys_of_current: dict[str, bytes] = {}

    def index_article(article: Any, keys: list[int]) -> None:
        for _, seq in fetch_all(f"SELECT article_id, compared_seq FROM {table(StoryArticle)} "
                                "WHERE compared_seq > %s ORDER BY compared_seq", [seen["seq"]]):
            seen["seq"] = max(seen["seq"], seq)
        epoch_of[article.pk] = stories.epoch_of(article.published_at)
        for key in keys:
            articles_of[key].append(article.pk)
        keys_of_current["keys"] = np.asarray(keys, dtype="<i8").tobytes()

    def ranked_by_shared_keys(article: Any, keys: list[int]) -> list[int]:
        published = stories.epoch_of(article.published_at)
        window = settings.MONITOR_DEDUP_WINDOW_DAYS * 86_400
        shared: Counter[int] = Counter()
        for key in keys:
            for other in articles_of.get(key, ()):
                other_epoch = epoch_of[other]
                if other != article.pk and (published is None or other_epoch is None
                                            or abs(other_epoch - published) <= window):
                    shared[other] += 1
        ranked = sorted(shared.items(), key=lambda item: (-item[1], -item[0]))
        return [other for other, _ in ranked[:settings.MONITOR_DEDUP_MAX_CANDIDATES]]

    def insert_rows_with_keys(model: type[Model], rows: Sequence[dict[str, Any]]) -> None:
        if model is StoryArticle and rows and "fingerprint" in rows[0]:
            # The fingerprint column stands in for the keys' own column: the same row, about as many bytes more.
            rows = [{**row, "fingerprint": bytes(row["fingerprint"]) + keys_of_current["keys"]} for row in rows]
        insert_rows(model, rows)

    stories.index_article = index_article
    stories._ranked_by_shared_keys = ranked_by_shared_keys
    setattr(stories, "insert_rows", insert_rows_with_keys)  # the name monitor.stories imported


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--index", choices=["memory", "database"], default="memory")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", default=str(ROOT / "var" / "bench" / "stories"))
    ns = parser.parse_args()
    workdir = Path(ns.workdir)
    filler = workdir / f"cost-{ns.size}.sqlite3"
    features = bench.features_file(workdir, ns.seed)
    if not filler.exists() or not features.exists():
        sys.exit(f"Build {filler.name} and {features.name} first: benchmarks/stories.py --seeds {ns.seed} "
                 f"--sizes {ns.size} --workdir {workdir}")
    db = workdir / f"experiment-{ns.size}.sqlite3"
    bench.copy_filler(filler, db)
    try:
        bench.setup_django(db)
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        if ns.index == "memory":
            use_memory_index()
        grouped = bench.group_cases(ns.seed, db, features, store_tags=True)
    finally:
        for old in workdir.glob(f"{db.name}*"):
            old.unlink()
    print(json.dumps({"index": ns.index, "size": ns.size, "seed": ns.seed,
                      **{k: grouped[k] for k in ("ms_median", "ms_p95", "ms_max", "articles")},
                      "stories": len(set(grouped["story_of"].values()))}))


if __name__ == "__main__":
    main()
