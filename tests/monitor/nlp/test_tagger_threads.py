"""One Tagger shared by a worker's threads: batches in memory zones and single texts may run at the same
time from several threads and give what they give one at a time (a zone closing under another thread's doc
crashed spaCy with SystemError / OverflowError in the load benchmark)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from monitor.nlp import Tagger

STORIES = Path(__file__).resolve().parents[2] / "fixtures" / "stories"


def test_threads_sharing_a_tagger_get_the_same_analyses_as_one_thread() -> None:
    tagger = Tagger()
    texts = [path.read_text() for path in sorted(STORIES.glob("*.txt"))] * 4
    expected = [analysis.to_dict() for analysis in tagger.analyze_many(texts)]

    def batch(_: int) -> list[dict[str, object]]:
        return [analysis.to_dict() for analysis in tagger.analyze_many(texts, batch_size=4)]

    def singles(_: int) -> list[dict[str, object]]:
        return [tagger.analyze(text).to_dict() for text in texts]

    with ThreadPoolExecutor(4) as pool:
        results = [pool.submit(work, n) for n in range(3) for work in (batch, singles)]
        assert all(result.result(timeout=300) == expected for result in results)
