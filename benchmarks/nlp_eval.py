"""Score the tagger against hand-made gold annotations.

Usage: python benchmarks/nlp_eval.py [EVAL_DIR] [--show-errors]

EVAL_DIR (default ../shared/eval from the project root) holds texts/*.txt, gold-dev.jsonl and
score.py. The tagger's predictions go to a temporary file in the shape `manage.py analyze --json`
prints; score.py's report is printed, and the last line is its summary as JSON.
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("eval_dir", nargs="?", default=str(PROJECT_ROOT.parent / "shared" / "eval"))
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    eval_dir = Path(args.eval_dir)
    gold = eval_dir / "gold-dev.jsonl"
    scorer = eval_dir / "score.py"
    texts = sorted((eval_dir / "texts").glob("*.txt"))
    if not (gold.exists() and scorer.exists() and texts):
        print(f"skipped: no evaluation set at {eval_dir} (needs texts/*.txt, gold-dev.jsonl, score.py)")
        return 0
    tagger = Tagger()
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as out:
        for result in analyze_files(texts, tagger):
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
    command = [sys.executable, str(scorer), str(gold), out.name]
    if args.show_errors:
        command.append("--show-errors")
    report = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    Path(out.name).unlink()
    print(f"tagger: {tagger.version}")
    print(report, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
