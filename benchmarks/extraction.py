"""Score ``sources.extraction.extract_page`` on the scrapinghub article-extraction benchmark.

Usage::

    .venv/bin/python benchmarks/extraction.py [PATH] [--sweep] [--limit N]

PATH is a checkout of the benchmark (``html/<id>.html.gz`` plus
``ground-truth.json``); it defaults to
``../shared/corpus/extraction/article-extraction-benchmark/`` next to the project.
The corpus is third-party material: it is read in place, never copied here.

Scoring follows the benchmark's own evaluate.py, re-implemented: each text is cut
into ``\\w+`` tokens, then into 4-token shingles counted as a bag; per document
tp/fp/fn are normalised, precision and recall are averaged over documents
(macro), and F1 is the harmonic mean of the two averages. We also print the same
averaging over single tokens ("token F1"), which is a little more lenient.
Timing is per call of ``extract_page`` on the decompressed bytes (decoding,
both trafilatura passes when taken, and metadata), single process, as wall
clock and as CPU time; on a shared machine the CPU figure is the steadier one.

``--sweep`` runs every entry of ``SWEEP`` so the choice of ``BEST_OPTIONS`` can
be re-checked; output ends with one JSON line for the default options.

Not for: CI (it takes a minute and needs the shared corpus).
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from sources.extraction import BEST_OPTIONS, ExtractionOptions, ExtractionSkipped, extract_page  # noqa: E402

DEFAULT_CORPUS = PROJECT_ROOT.parent / "shared" / "corpus" / "extraction" / "article-extraction-benchmark"

SWEEP: dict[str, ExtractionOptions] = {
    "trafilatura defaults (comments on)": ExtractionOptions(
        favor_precision=False, include_comments=True, fast=False, retry_below_chars=0, drop_boilerplate_lines=False
    ),
    "favor_recall": ExtractionOptions(
        favor_precision=False, favor_recall=True, include_comments=True, fast=False, retry_below_chars=0,
        drop_boilerplate_lines=False,
    ),
    "fast": ExtractionOptions(favor_precision=False, include_comments=True, fast=True, retry_below_chars=0, drop_boilerplate_lines=False),
    "favor_precision": ExtractionOptions(include_comments=True, fast=False, retry_below_chars=0, drop_boilerplate_lines=False),
    "include_comments=False": ExtractionOptions(favor_precision=False, fast=False, retry_below_chars=0, drop_boilerplate_lines=False),
    "include_comments=False + fast": ExtractionOptions(
        favor_precision=False, fast=True, retry_below_chars=0, drop_boilerplate_lines=False
    ),
    "precision + no comments": ExtractionOptions(fast=False, retry_below_chars=0, drop_boilerplate_lines=False),
    "precision + no comments + fast": ExtractionOptions(fast=True, retry_below_chars=0, drop_boilerplate_lines=False),
    "precision + no comments - tables": ExtractionOptions(
        fast=False, include_tables=False, retry_below_chars=0, drop_boilerplate_lines=False
    ),
    "precision + no comments + deduplicate": ExtractionOptions(
        fast=False, deduplicate=True, retry_below_chars=0, drop_boilerplate_lines=False
    ),
    "precision + no comments + retry<1000": ExtractionOptions(fast=False, retry_below_chars=1000, drop_boilerplate_lines=False),
    "precision + no comments + boilerplate lines": ExtractionOptions(fast=False, retry_below_chars=0),
    "no comments + fast + boilerplate lines": ExtractionOptions(favor_precision=False, fast=True),
    "precision + no comments + retry<1000 + boilerplate lines": ExtractionOptions(fast=False, retry_below_chars=1000),
    "precision + no comments + retry<500 + boilerplate lines": ExtractionOptions(fast=False),
    "precision + no comments + retry<500 + boilerplate, no extensive date": ExtractionOptions(
        fast=False, extensive_date_search=False
    ),
    "BEST: precision + no comments + fast + retry<500 + boilerplate lines": BEST_OPTIONS,
}

_TOKEN = re.compile(r"\w+")


def shingle_bag(text: str, size: int) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    # A text shorter than one shingle still counts as one (short) shingle.
    return Counter(tuple(tokens[i : i + size]) for i in range(max(1, len(tokens) - size + 1)) if tokens[i : i + size])


def normalised_counts(truth: str, prediction: str, size: int) -> tuple[float, float, float]:
    expected, found = shingle_bag(truth, size), shingle_bag(prediction, size)
    true_positive = sum((expected & found).values())
    false_positive = sum((found - expected).values())
    false_negative = sum((expected - found).values())
    total = true_positive + false_positive + false_negative
    if total == 0:
        return 0.0, 0.0, 0.0
    # Normalised so that a long article weighs no more than a short one.
    return true_positive / total, false_positive / total, false_negative / total


def score(truths: dict[str, str], predictions: dict[str, str], size: int) -> dict[str, float]:
    precisions, recalls = [], []
    for doc_id, truth in truths.items():
        tp, fp, fn = normalised_counts(truth, predictions.get(doc_id, ""), size)
        perfect = fp == 0 and fn == 0
        if tp + fp > 0:
            precisions.append(1.0 if perfect else tp / (tp + fp))
        if tp + fn > 0:
            recalls.append(1.0 if perfect else tp / (tp + fn))
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": round(f1, 4), "precision": round(precision, 4), "recall": round(recall, 4)}


def run_options(
    pages: dict[str, bytes], urls: dict[str, str | None], options: ExtractionOptions
) -> tuple[dict[str, str], float, float, int]:
    predictions: dict[str, str] = {}
    skipped = 0
    started = time.perf_counter()
    cpu_started = time.process_time()
    for doc_id, body in pages.items():
        try:
            predictions[doc_id] = extract_page(body, url=urls[doc_id], options=options).text
        except ExtractionSkipped:
            predictions[doc_id] = ""
            skipped += 1
    ms_per_page = (time.perf_counter() - started) * 1000 / max(len(pages), 1)
    cpu_ms_per_page = (time.process_time() - cpu_started) * 1000 / max(len(pages), 1)
    return predictions, ms_per_page, cpu_ms_per_page, skipped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sweep", action="store_true", help="score every option set in SWEEP")
    parser.add_argument("--limit", type=int, default=0, help="only the first N documents (quick check)")
    args = parser.parse_args()

    corpus: Path = args.path
    truth_file = corpus / "ground-truth.json"
    if not truth_file.is_file() or not (corpus / "html").is_dir():
        sys.exit(
            f"benchmark corpus not found at {corpus}: expected ground-truth.json and html/<id>.html.gz "
            "(pass the path of an article-extraction-benchmark checkout)"
        )
    ground_truth = json.loads(truth_file.read_text(encoding="utf-8"))
    doc_ids = sorted(ground_truth)[: args.limit or None]
    truths = {doc_id: ground_truth[doc_id]["articleBody"] for doc_id in doc_ids}
    urls = {doc_id: ground_truth[doc_id].get("url") for doc_id in doc_ids}
    pages = {doc_id: gzip.decompress((corpus / "html" / f"{doc_id}.html.gz").read_bytes()) for doc_id in doc_ids}

    baselines_dir = corpus / "output_baselines"
    if baselines_dir.is_dir():
        print("published outputs, scored the same way (shingle F1 / P / R | token F1):")
        for baseline in sorted(baselines_dir.glob("*.json")):
            data = json.loads(baseline.read_text(encoding="utf-8"))
            outputs = data.get("output", data)
            predicted = {doc_id: outputs.get(doc_id, {}).get("articleBody") or "" for doc_id in doc_ids}
            shingles = score(truths, predicted, 4)
            tokens = score(truths, predicted, 1)
            print(
                f"  {baseline.stem:<16} {shingles['f1']:.4f} / {shingles['precision']:.4f} / "
                f"{shingles['recall']:.4f} | {tokens['f1']:.4f}"
            )

    option_sets = dict(SWEEP) if args.sweep else {"BEST_OPTIONS": BEST_OPTIONS}
    print(f"\n{'options':<70} {'F1':>6} {'P':>6} {'R':>6} {'tokF1':>6} {'ms/pg':>6} {'cpu ms':>6}")
    result: dict[str, object] = {}
    for name, options in option_sets.items():
        # Warm trafilatura's lazily built caches so the first row is not penalised.
        run_options(dict(list(pages.items())[:3]), urls, options)
        predictions, ms_per_page, cpu_ms_per_page, skipped = run_options(pages, urls, options)
        shingles = score(truths, predictions, 4)
        tokens = score(truths, predictions, 1)
        print(
            f"{name:<70} {shingles['f1']:.4f} {shingles['precision']:.4f} {shingles['recall']:.4f} "
            f"{tokens['f1']:.4f} {ms_per_page:6.1f} {cpu_ms_per_page:6.1f}",
            flush=True,
        )
        if options == BEST_OPTIONS:
            result = {
                "benchmark": "article-extraction-benchmark",
                "documents": len(doc_ids),
                "metric": "4-gram shingles, per-document P/R averaged, F1 of the averages",
                "f1": shingles["f1"],
                "precision": shingles["precision"],
                "recall": shingles["recall"],
                "token_f1": tokens["f1"],
                "ms_per_page": round(ms_per_page, 1),
                "cpu_ms_per_page": round(cpu_ms_per_page, 1),
                "skipped": skipped,
                "options": dataclasses.asdict(options),
            }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
