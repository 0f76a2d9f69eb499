"""How much of an independent list of Pakistani bodies the tagger finds and links to the gazetteer.

Usage: python benchmarks/gazetteer_coverage.py [--list benchmarks/proscribed_pk.json] [--show-misses]

The list (benchmarks/proscribed_pk.json) was written from public knowledge, not from the gazetteer:
NACTA's first-schedule proscribed organisations with their common transliterations and known fronts,
the security and law-enforcement bodies (FIA wings and zones, CTD by province, Rangers, FC, Levies,
police of each province and major city, intelligence agencies, ANF), the telecom operators and major
media. Each name, each listed transliteration and each acronym is put into short invented sentences of
the kind the monitored news prints and run through the real Tagger. A case counts as covered when an
organisation the tagger returns has that surface form among its names and carries a gazetteer key.
Variants are also checked for landing on the same record as their group's main name.
Prints the share covered per group and kind, the misses with --show-misses, and a final JSON line.
Not for: spelling variants generated from the gazetteer itself (benchmarks/name_variants.py) or
accuracy on real text (benchmarks/nlp_eval.py).
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from monitor.nlp import Analysis, Tagger  # noqa: E402
from monitor.nlp.names import fold_name  # noqa: E402

LIST_FILE = PROJECT_ROOT / "benchmarks" / "proscribed_pk.json"

# Two sentences per group: the name opening a sentence and the name inside one.
TEMPLATES = {
    "proscribed": ("{name} claimed responsibility for the attack in Quetta on Monday, police said.",
                   "The CTD arrested three members of the banned {name} in Karachi on Tuesday."),
    "security": ("{name} arrested four suspects in a raid near Peshawar on Monday, officials said.",
                 "A spokesman for {name} said the suspects were shifted to Lahore for questioning."),
    "telecom": ("{name} said it had blocked 2,000 SIMs on the regulator's orders.",
                "Customers of {name} reported outages in Quetta after the blast on Monday."),
    "media": ("{name} reported on Tuesday that four suspects were arrested in Karachi.",
              "Police told {name} that the suspects had been shifted to Lahore."),
}
ACRONYM_TEMPLATES = {
    "proscribed": "Police arrested two members of the banned {name} in Quetta on Monday.",
    "security": "The {name} arrested four suspects in a raid near Peshawar on Monday, officials said.",
    "telecom": "{name} said it had blocked 2,000 SIMs on the regulator's orders.",
    "media": "{name} reported on Tuesday that four suspects were arrested in Karachi.",
}


@dataclass
class Case:
    group: str
    kind: str  # "name", "variant" or "acronym"
    main: str  # the entry's main name
    surface: str
    sentence: str


def fill(template: str, name: str) -> str:
    # "A spokesman for The News" reads wrong; the outlet's own "The" starts a sentence only.
    sentence = template.format(name=name)
    return sentence[0].upper() + sentence[1:] if sentence[:1].islower() else sentence


def build_cases(groups: dict[str, list[dict[str, Any]]]) -> list[Case]:
    cases: list[Case] = []
    for group, entries in groups.items():
        for entry in entries:
            main = str(entry["name"])
            for template in TEMPLATES[group]:
                cases.append(Case(group, "name", main, main, fill(template, main)))
                for variant in entry.get("variants") or []:
                    cases.append(Case(group, "variant", main, str(variant), fill(template, str(variant))))
            if entry.get("acronym"):
                acronym = str(entry["acronym"])
                cases.append(Case(group, "acronym", main, acronym, fill(ACRONYM_TEMPLATES[group], acronym)))
    return cases


def linked_key(analysis: Analysis, surface: str) -> str | None:
    """The gazetteer key of the organisation the tagger found under this surface form, if any."""
    wanted = fold_name(surface)
    for org in analysis.organisations:
        names = {fold_name(n) for n in (org.name, org.acronym or "", *org.aliases) if n}
        if wanted in names or any(wanted == fold_name(s) for _, _, s in org.mentions):
            return org.gazetteer_key or ""  # "" marks found but unknown to the gazetteer
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--list", default=str(LIST_FILE))
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    groups = json.loads(Path(args.list).read_text())["groups"]
    cases = build_cases(groups)
    tagger = Tagger()
    keys = [linked_key(a, c.surface) for c, a in zip(cases, tagger.analyze_many(c.sentence for c in cases))]
    main_keys: dict[str, set[str]] = {}
    for case, key in zip(cases, keys):
        if case.kind == "name" and key:
            main_keys.setdefault(case.main, set()).add(key)

    summary: dict[str, object] = {"cases": len(cases), "entries": sum(len(v) for v in groups.values())}
    table: dict[str, dict[str, float]] = {}
    misses: list[str] = []
    for group in groups:
        row: dict[str, float] = {}
        for kind in ("name", "variant", "acronym"):
            chosen = [(c, k) for c, k in zip(cases, keys) if c.group == group and c.kind == kind]
            if not chosen:
                continue
            covered = [c for c, k in chosen if k]
            row[kind] = round(len(covered) / len(chosen), 3)
            row[kind + "_cases"] = len(chosen)
            for c, k in chosen:
                if not k:
                    misses.append(f"{group:10} {kind:8} {c.surface!r}: {'found, not linked' if k == '' else 'not found'}"
                                  f" | {c.sentence}")
        table[group] = row
    covered_all = sum(1 for k in keys if k)
    variant_pairs = [(c, k) for c, k in zip(cases, keys) if c.kind == "variant" and k and c.main in main_keys]
    same_record = sum(1 for c, k in variant_pairs if k in main_keys[c.main])
    summary["coverage"] = round(covered_all / len(cases), 3)
    summary["groups"] = table
    summary["variants_on_main_record"] = round(same_record / len(variant_pairs), 3) if variant_pairs else None
    summary["found_not_linked"] = sum(1 for k in keys if k == "")
    summary["not_found"] = sum(1 for k in keys if k is None)

    print(f"tagger: {tagger.version}; {summary['entries']} entries, {len(cases)} sentences")
    for group, row in table.items():
        parts = [f"{kind} {row[kind]:.3f} of {int(row[kind + '_cases'])}" for kind in ("name", "variant", "acronym")
                 if kind in row]
        print(f"{group:10} " + ", ".join(parts))
    print(f"covered {covered_all} of {len(cases)} ({summary['coverage']:.3f}); variants on their main name's record: "
          f"{summary['variants_on_main_record']}")
    if args.show_misses:
        print("\n".join(misses))
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
