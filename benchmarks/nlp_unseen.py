"""Score the tagger on texts written for the project after it was tuned: an honest accuracy check.

Usage: python benchmarks/nlp_unseen.py [EVAL_DIR] [--show-errors] [--split tuning|held_out]

Runs the tagger over benchmarks/unseen/texts/*.txt and scores it against
benchmarks/unseen/gold.jsonl with the shared scorer, EVAL_DIR/score.py (EVAL_DIR defaults to
../shared/eval from the project root), separately for the two splits of the set (see benchmarks/unseen/README.md for their history):
  tuning    u01-u08: rules may be changed after reading their errors;
  held_out  u09-u16: scored only to measure, never read to change a rule.
Prints score.py's report for each split, then one JSON line with both summaries.
--split tuning tags and scores only the tuning texts, so rules can be worked on without
looking at the held-out output.
Not for: the dev set (benchmarks/nlp_eval.py) or speed (benchmarks/nlp.py).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from monitor.nlp import Tagger, analyze_files  # noqa: E402

UNSEEN_DIR = PROJECT_ROOT / "benchmarks" / "unseen"
SPLITS = {
    "tuning": [f"u{n:02d}" for n in range(1, 9)],
    "held_out": [f"u{n:02d}" for n in range(9, 17)],
}


def score_split(scorer: Path, gold_lines: list[str], predicted: Path, show_errors: bool) -> tuple[str, dict[str, object]]:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as gold:
        gold.write("".join(gold_lines))
    command = [sys.executable, str(scorer), gold.name, str(predicted)]
    if show_errors:
        command.append("--show-errors")
    try:
        report = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        Path(gold.name).unlink()
    summary = json.loads(report.strip().splitlines()[-1])
    return report, summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("eval_dir", nargs="?", default=str(PROJECT_ROOT.parent / "shared" / "eval"),
                        help="directory holding the shared score.py")
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--split", choices=sorted(SPLITS), help="tag and score only this split")
    args = parser.parse_args()
    splits = {args.split: SPLITS[args.split]} if args.split else SPLITS
    scorer = Path(args.eval_dir) / "score.py"
    if not scorer.exists():
        print(f"error: no scorer at {scorer}; pass the directory holding score.py as EVAL_DIR", file=sys.stderr)
        return 2
    gold_file = UNSEEN_DIR / "gold.jsonl"
    gold_by_id = {json.loads(line)["id"]: line + "\n" for line in gold_file.read_text().splitlines() if line.strip()}
    texts = [UNSEEN_DIR / "texts" / f"{doc_id}.txt" for ids in splits.values() for doc_id in ids]
    missing = [str(t) for t in texts if not t.exists()] + [i for ids in splits.values() for i in ids if i not in gold_by_id]
    if missing:
        print(f"error: the unseen set is incomplete, missing {missing}", file=sys.stderr)
        return 2

    tagger = Tagger()
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as out:
        for result in analyze_files(texts, tagger):
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
    predicted = Path(out.name)
    summaries: dict[str, object] = {"tagger": tagger.version}
    try:
        for split, ids in splits.items():
            report, summary = score_split(scorer, [gold_by_id[i] for i in ids], predicted, args.show_errors)
            print(f"== {split} ({', '.join(ids)})")
            print("\n".join(report.strip().splitlines()[:-1]))
            summaries[split] = summary
    finally:
        predicted.unlink()
    print(json.dumps(summaries))
    return 0


if __name__ == "__main__":
    sys.exit(main())
