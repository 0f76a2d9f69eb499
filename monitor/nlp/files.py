"""Tagging text files: the per-file step behind ``python -m monitor.nlp`` and ``manage.py analyze``.

For: reading text files safely and yielding one JSON-ready dict per file. A binary file (NUL bytes, or mostly
control characters) is refused with an ``error``; text that is not UTF-8 is decoded by detection and the row
says so in ``warning``. Not for: finding files or writing output; the command-line wrappers do that.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from charset_normalizer import from_bytes

from monitor.nlp.analysis import Analysis
from monitor.nlp.tagger import Tagger

_SAMPLE = 8192


@dataclass
class TextFile:
    path: Path
    text: str = ""
    error: str = ""
    warning: str = ""


def read_text_file(path: Path) -> TextFile:
    data = path.read_bytes()
    sample = data[:_SAMPLE]
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    if b"\x00" in sample or (sample and controls / len(sample) > 0.1):
        return TextFile(path, error="this looks like a binary file, not text; give a plain-text file")
    try:
        return TextFile(path, text=data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        best = from_bytes(data).best()
        if best is None:
            return TextFile(path, error="the text's character encoding could not be worked out; save it as UTF-8")
        return TextFile(path, text=str(best), warning=f"not UTF-8: read as {best.encoding}")


def explain_lines(row: dict[str, Any], analysis: Analysis) -> list[str]:
    """Each tagged span of one file with the rule that found it: what `analyze --explain` prints."""
    lines = [f"== {row['path']}"]
    for kind, entities in (("organisation", analysis.organisations), ("person", analysis.people),
                           ("place", analysis.places)):
        for entity in entities:
            lines.append(f"{kind:12} {entity.name}  [{entity.rule}]")
            for (start, end, surface), rule in zip(entity.mentions, entity.mention_rules):
                lines.append(f"    {start:>6}-{end:<6} {surface!r}  [{rule}]")
    for figure in analysis.figures:
        lines.append(f"{'figure':12} {figure.text!r} value={figure.value} unit={figure.unit} counts={figure.counts!r}"
                     f" subject={figure.subject!r}  [{figure.rule}]"
                     + (f" [subject: {figure.subject_rule}]" if figure.subject_rule else ""))
        lines.append(f"    {figure.start:>6}-{figure.end:<6}")
    return lines


def analyze_files_with_analyses(paths: Iterable[str | Path], tagger: Tagger) -> Iterator[tuple[dict[str, Any], Analysis | None]]:
    """As ``analyze_files``, with each row's Analysis (None for a refused file)."""
    files = [read_text_file(Path(p)) for p in paths]
    readable = [f for f in files if not f.error]
    analyses = iter(tagger.analyze_many(f.text for f in readable))
    for file in files:
        if file.error:
            yield {"path": str(file.path), "error": file.error}, None
            continue
        analysis = next(analyses)
        row: dict[str, Any] = {"path": str(file.path), **analysis.to_dict()}
        if file.warning:
            row["warning"] = file.warning
        yield row, analysis


def analyze_files(paths: Iterable[str | Path], tagger: Tagger) -> Iterator[dict[str, Any]]:
    for row, _ in analyze_files_with_analyses(paths, tagger):
        yield row
