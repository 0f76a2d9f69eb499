"""Score the tagger against hand-made gold annotations.

Usage: python benchmarks/nlp_eval.py [EVAL_DIR] [--show-errors] [--half A|B]

EVAL_DIR (default ../shared/eval from the project root) holds texts/*.txt, gold-dev.jsonl and
score.py. The tagger's predictions go to a temporary file in the shape `manage.py analyze --json`
prints; score.py's report is printed, and the last line is its summary as JSON.
--half scores one half of the split recorded in benchmarks/nlp_split.json (sorted ids, alternating):
rules are written reading half A's errors, and half B measures how they generalise.
Not for: speed; see benchmarks/nlp.py.
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

SPLIT_FILE = PROJECT_ROOT / "benchmarks" / "nlp_split.json"


def _gold_subset(gold: Path, wanted: set[str]) -> Path:
    """A temporary copy of the gold file holding only the documents in `wanted`."""
    lines = [line for line in gold.read_text().splitlines()
             if line.strip() and (json.loads(line).get("id") or "") in wanted]
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as out:
        out.write("\n".join(lines) + "\n")
    return Path(out.name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("eval_dir", nargs="?", default=str(PROJECT_ROOT.parent / "shared" / "eval"))
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--half", choices=("A", "B"), help="score only this half of benchmarks/nlp_split.json")
    args = parser.parse_args()
    eval_dir = Path(args.eval_dir)
    gold = eval_dir / "gold-dev.jsonl"
    scorer = eval_dir / "score.py"
    texts = sorted((eval_dir / "texts").glob("*.txt"))
    if not (gold.exists() and scorer.exists() and texts):
        print(f"skipped: no evaluation set at {eval_dir} (needs texts/*.txt, gold-dev.jsonl, score.py)")
        return 0
    if args.half:
        wanted = set(json.loads(SPLIT_FILE.read_text())[args.half])
        texts = [text for text in texts if text.stem in wanted]
        gold = _gold_subset(gold, wanted)
    tagger = Tagger()
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as out:
        for result in analyze_files(texts, tagger):
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
    command = [sys.executable, str(scorer), str(gold), out.name]
    if args.show_errors:
        command.append("--show-errors")
    report = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    Path(out.name).unlink()
    if args.half:
        gold.unlink()
    print(f"tagger: {tagger.version}" + (f" (half {args.half}: {len(texts)} texts)" if args.half else ""))
    print(report, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
