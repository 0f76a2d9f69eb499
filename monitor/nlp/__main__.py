"""Command line: ``python -m monitor.nlp [--explain] FILE...`` prints one JSON line per file, or each span
with the rule that found it."""
from __future__ import annotations

import argparse
import json
import sys

from monitor.nlp.files import analyze_files_with_analyses, explain_lines
from monitor.nlp.tagger import DEFAULT_MODEL, Tagger


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m monitor.nlp", description=__doc__)
    parser.add_argument("files", nargs="+")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args(argv)
    tagger = Tagger(model_name=args.model)
    for result, analysis in analyze_files_with_analyses(args.files, tagger):
        if args.explain and analysis is not None:
            sys.stdout.write("\n".join(explain_lines(result, analysis)) + "\n")
        else:
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
