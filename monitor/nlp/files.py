"""Tagging text files: the per-file step behind ``python -m monitor.nlp`` and ``manage.py analyze``.

For: reading UTF-8 files and yielding one JSON-ready dict per file. Not for: finding files or
writing output; the command-line wrappers do that.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from monitor.nlp.tagger import Tagger


def analyze_files(paths: Iterable[str | Path], tagger: Tagger) -> Iterator[dict[str, Any]]:
    path_list = [Path(p) for p in paths]
    texts = (p.read_text(encoding="utf-8", errors="replace") for p in path_list)
    for path, analysis in zip(path_list, tagger.analyze_many(texts)):
        yield {"path": str(path), **analysis.to_dict()}
