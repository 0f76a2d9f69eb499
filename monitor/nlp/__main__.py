"""Command line: ``python -m monitor.nlp FILE...`` prints one JSON line per file."""
from __future__ import annotations

import argparse
import json
import sys

from monitor.nlp.files import analyze_files
from monitor.nlp.tagger import DEFAULT_MODEL, Tagger


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m monitor.nlp", description=__doc__)
    parser.add_argument("files", nargs="+")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args(argv)
    tagger = Tagger(model_name=args.model)
    for result in analyze_files(args.files, tagger):
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
