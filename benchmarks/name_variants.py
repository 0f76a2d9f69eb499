"""Spelling variants of the gazetteer's long names: how many still find their record, and how many find another.

Usage: python benchmarks/name_variants.py [--show-errors] [--fuzzy 0.85,0.90,0.95]

Generates variants of every multi-word gazetteer name whose record is a militant group, political party
or other transliterated body, by named rules written here and not taken from the folding code:
  izafat       -e- / -i- / " e " / dropped       (Tehreek-e-Taliban, Tehreek-i-Taliban, Tehreek Taliban)
  article      -ul- / -ud- / -al- / glued         (Jamaat-ud-Dawa, Jamaat-ul-Dawa, Jamaatud Dawa)
  family       Tehreek/Tehrik/Tahreek, Lashkar/Lashker, Muhammad/Mohammad/Mohammed, Jamaat/Jamat, ...
  vowels       doubled or dropped long vowels     (Rasheed/Rashid, Jamaat/Jamat, Hudood/Hudud)
  glued        two transliterated words as one    (Sindhu Desh/Sindhudesh, Shia Tulaba/Shiatulaba)
  case         lower case and capitals
Each variant is looked up in the gazetteer (the normalised-key approach the tagger uses) and, in an
invented sentence, run through the real Tagger. A hit finds the variant's own record; a false merge
finds a different record. Pairs of different bodies that must stay apart (Jamaat-e-Islami and Jamiat
Ulema-e-Islam, Lashkar-e-Jhangvi and Lashkar-e-Islam, ...) are checked with their variants too.
--fuzzy also measures what a similarity match (difflib's ratio on folded keys, standing in for
rapidfuzz) would add to the misses and how many pairs of different records it would merge at each
threshold. Prints a table and a final JSON line.
Not for: coverage of an outside list (benchmarks/gazetteer_coverage.py).
"""
from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from monitor.nlp import Tagger  # noqa: E402
from monitor.nlp.gazetteer import Gazetteer, is_single_word, load_default_records  # noqa: E402
from monitor.nlp.names import fold_name  # noqa: E402

KINDS = {"militant-group", "political-party", "other"}
# Spellings seen in the press for the same word; each word of a family is swapped for each other one.
FAMILIES = [
    ("Tehreek", "Tehrik", "Tahreek", "Tahrik"), ("Lashkar", "Lashker"), ("Muhammad", "Mohammad", "Mohammed"),
    ("Muhammadi", "Mohammadi"), ("Jamaat", "Jamat"), ("Jaish", "Jaysh"), ("Taiba", "Tayyiba", "Toiba"),
    ("Jhangvi", "Jhangavi"), ("Jafaria", "Jafria"), ("Mujahideen", "Mujahidin"), ("Baloch", "Baluch"),
    ("Balochistan", "Baluchistan"), ("Hizb", "Hezb"), ("Tahrir", "Tehrir"), ("Labbaik", "Labaik"),
    ("Tahaffuz", "Tahafuz"), ("Nifaz", "Nafaz"), ("Shariat", "Shariah"), ("Khorasan", "Khurasan"),
    ("Qaeda", "Qaida"), ("Insaniat", "Insaniyat"), ("Jamiat", "Jamiyat"), ("Islami", "Islaami"),
    ("Ahle", "Ahl-e"), ("Sunnat", "Sunnah"), ("Ansar", "Ansaar"), ("Pakhtun", "Pashtun"),
    ("Organisation", "Organization"),
]
FAMILY_OF = {word.lower(): family for family in FAMILIES for word in family}
# Bodies that are different and must never be merged by any spelling rule.
KEEP_APART = [
    ("Jamaat-e-Islami", "Jamiat Ulema-e-Islam"), ("Lashkar-e-Jhangvi", "Lashkar-e-Islam"),
    ("Jaish-e-Muhammad", "Jaish-e-Islam"), ("Sipah-e-Sahaba Pakistan", "Sipah-e-Muhammad Pakistan"),
    ("Jamaat-ud-Dawa", "Jamaat-ul-Ahrar"), ("Tehreek-e-Insaf", "Tehreek-e-Islami"),
    ("Balochistan Liberation Army", "Balochistan Liberation Front"), ("Tehreek-e-Taliban Pakistan", "Tehreek-e-Labbaik Pakistan"),
    ("Hizb-ut-Tahrir", "Hizbul Ahrar"), ("Jamiat Ulema-e-Islam", "Jamiat Ulema-e-Pakistan"),
    ("Tehreek-e-Jafaria Pakistan", "Islami Tehreek Pakistan"), ("Ansar-ul-Islam", "Ansar-ul-Hussain"),
]
SENTENCE = "Police said {name} was behind the attack in Quetta on Monday."

_IZAFAT = re.compile(r"-([ei])-", re.IGNORECASE)
_ARTICLE = re.compile(r"(\w+)-(ul|ud|ut|al|un)-", re.IGNORECASE)


def _izafat(name: str) -> Iterator[str]:
    if _IZAFAT.search(name):
        for joiner in ("-e-", "-i-", " e ", " i ", " "):
            yield _IZAFAT.sub(joiner, name)


def _article(name: str) -> Iterator[str]:
    if _ARTICLE.search(name):
        for article in ("ul", "ud", "al"):
            yield _ARTICLE.sub(lambda m, a=article: f"{m.group(1)}-{a}-", name)  # type: ignore[misc]
        yield _ARTICLE.sub(lambda m: f"{m.group(1)}{m.group(2)} ", name)  # glued: "Jamaatud Dawa"
        yield _ARTICLE.sub(lambda m: f"{m.group(1)} {m.group(2)} ", name)


def _family(name: str) -> Iterator[str]:
    words = re.split(r"([\s\-]+)", name)
    for i, word in enumerate(words):
        family = FAMILY_OF.get(word.lower())
        if family:
            for other in family:
                if other.lower() != word.lower():
                    yield "".join(words[:i] + [other] + words[i + 1 :])


def _vowels(name: str) -> Iterator[str]:
    for long, short in (("aa", "a"), ("ee", "i"), ("oo", "u")):
        if long in name:
            yield name.replace(long, short, 1)
    for m in re.finditer(r"(?<=[bcdfghjklmnpqrstvwxyz])([aiu])(?=[bcdfghjklmnpqrstvwxyz]{1}[aeiou]?\b)", name):
        longer = {"a": "aa", "i": "ee", "u": "oo"}[m.group(1)]
        yield name[: m.start()] + longer + name[m.end() :]
        break


# English words and place names are not written glued to their neighbours ("Balochistannational").
NOT_GLUED = set("""national liberation army front party movement organisation organization association committee
    alliance brigade brigades congress center centre university union students student islamic democratic action
    trust foundation group council force republican united international east west north south people's peoples
    pakistan balochistan gilgit baltistan kashmir afghanistan sindh punjab khyber swat mohmand""".split())


def _glued(name: str) -> Iterator[str]:
    parts = name.split(" ")
    for i in range(len(parts) - 1):
        a, b = parts[i], parts[i + 1]
        if a.isalpha() and b.isalpha() and len(a) >= 4 and len(b) >= 4 and not {a.lower(), b.lower()} & NOT_GLUED:
            yield " ".join(parts[:i] + [parts[i] + parts[i + 1].lower()] + parts[i + 2 :])


def _case(name: str) -> Iterator[str]:
    yield name.lower()
    yield name.upper()


RULES: dict[str, Callable[[str], Iterator[str]]] = {
    "izafat": _izafat, "article": _article, "family": _family, "vowels": _vowels, "glued": _glued, "case": _case,
}


def variants_of(records: list[dict[str, object]]) -> list[tuple[str, str, str, str]]:
    """(rule, record key, original name, variant) for every long name of the chosen kinds."""
    out: list[tuple[str, str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    for record in records:
        if record.get("kind") not in KINDS:
            continue
        names = [str(record["canonical"]), *(str(a) for a in record.get("aliases") or [])]  # type: ignore[attr-defined]
        for name in names:
            if is_single_word(name):
                continue
            for rule, make in RULES.items():
                for variant in make(name):
                    if variant != name and variant not in names and (str(record["key"]), variant) not in seen:
                        seen.add((str(record["key"]), variant))
                        out.append((rule, str(record["key"]), name, variant))
    return out


def outcome(keys: list[str], own: str) -> str:
    if not keys:
        return "miss"
    if own not in keys:
        return "false-merge"
    return "hit" if len(keys) == 1 else "shared"


def fuzzy_report(gazetteer: Gazetteer, cases: list[tuple[str, str, str, str]], results: list[str],
                 thresholds: list[float]) -> dict[str, dict[str, object]]:
    """What a similarity match on folded keys would add to the misses, and which different records it would merge."""
    chosen = {str(r["key"]) for r in load_default_records() if r.get("kind") in KINDS}
    folded = {key: keys for key, keys in gazetteer.by_folded.items() if len(key) >= 8 and set(keys) & chosen}
    report: dict[str, dict[str, object]] = {}
    misses = [(c, fold_name(c[3])) for c, r in zip(cases, results) if r == "miss"]
    record_keys = list(folded)
    for t in thresholds:
        gained = wrong = 0
        for (_, own, _, _), key in misses:
            best, best_ratio = None, 0.0
            for other in record_keys:
                if 2 * min(len(key), len(other)) / (len(key) + len(other)) < t:
                    continue
                matcher = difflib.SequenceMatcher(None, key, other)
                if matcher.real_quick_ratio() >= t and matcher.quick_ratio() >= t and (r := matcher.ratio()) >= t and r > best_ratio:
                    best, best_ratio = other, r
            if best is not None:
                if own in folded[best]:
                    gained += 1
                else:
                    wrong += 1
        pairs = 0
        examples: list[str] = []
        for i, a in enumerate(record_keys):
            for b in record_keys[i + 1 :]:
                if set(folded[a]) & set(folded[b]) or 2 * min(len(a), len(b)) / (len(a) + len(b)) < t:
                    continue
                matcher = difflib.SequenceMatcher(None, a, b)
                if matcher.real_quick_ratio() >= t and matcher.quick_ratio() >= t and matcher.ratio() >= t:
                    pairs += 1
                    if len(examples) < 3:
                        examples.append(f"{folded[a][0]} ~ {folded[b][0]}")
        report[f"{t:.2f}"] = {"misses_recovered": gained, "misses_sent_elsewhere": wrong, "record_pairs_merged": pairs,
                              "merged_examples": examples}
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--fuzzy", default="", help="comma-separated thresholds, e.g. 0.85,0.90,0.95")
    args = parser.parse_args()
    records = load_default_records()
    gazetteer = Gazetteer.from_records(records)
    cases = variants_of(records)
    results = [outcome(gazetteer.lookup(variant), own) for _, own, _, variant in cases]

    tagger = Tagger()
    tagged: list[str] = []
    for (_, own, _, variant), analysis in zip(cases, tagger.analyze_many(SENTENCE.format(name=variant) for *_, variant in cases)):
        keys = [o.gazetteer_key for o in analysis.organisations if o.gazetteer_key]
        tagged.append("hit" if own in keys else ("false-merge" if keys else "miss"))

    print(f"tagger: {tagger.version}; {len(cases)} variants of {len({c[1] for c in cases})} records")
    per_rule: dict[str, dict[str, object]] = {}
    for rule in RULES:
        chosen = [(r, t) for c, r, t in zip(cases, results, tagged) if c[0] == rule]
        if not chosen:
            continue
        counts = Counter(r for r, _ in chosen)
        per_rule[rule] = {"variants": len(chosen), "hit_rate": round((counts["hit"] + counts["shared"]) / len(chosen), 3),
                          "false_merges": counts["false-merge"],
                          "tagger_hit_rate": round(sum(1 for _, t in chosen if t == "hit") / len(chosen), 3)}
        print(f"{rule:8} {len(chosen):5} variants: lookup hits {per_rule[rule]['hit_rate']:.3f}, "
              f"false merges {counts['false-merge']}; in a sentence through the Tagger {per_rule[rule]['tagger_hit_rate']:.3f}")
    totals = Counter(results)
    apart_failures: list[str] = []
    for a, b in KEEP_APART:
        keys_a = {k for v in [a, *(v for make in RULES.values() for v in make(a))] for k in gazetteer.lookup(v)}
        keys_b = {k for v in [b, *(v for make in RULES.values() for v in make(b))] for k in gazetteer.lookup(v)}
        if keys_a & keys_b or fold_name(a) == fold_name(b):
            apart_failures.append(f"{a} / {b}")
    collisions = [(key, keys) for key, keys in gazetteer.by_folded.items() if len(keys) > 1]
    summary: dict[str, object] = {
        "variants": len(cases),
        "hit_rate": round((totals["hit"] + totals["shared"]) / len(cases), 3),
        "false_merges": totals["false-merge"],
        "misses": totals["miss"],
        "tagger_hit_rate": round(sum(1 for t in tagged if t == "hit") / len(cases), 3),
        "tagger_false_merges": sum(1 for t in tagged if t == "false-merge"),
        "keep_apart_pairs": len(KEEP_APART),
        "keep_apart_merged": len(apart_failures),
        "names_shared_by_records": len(collisions),
        "rules": per_rule,
    }
    print(f"all      {len(cases):5} variants: lookup hits {summary['hit_rate']:.3f}, false merges {totals['false-merge']}, "
          f"misses {totals['miss']}; through the Tagger {summary['tagger_hit_rate']:.3f} "
          f"(false merges {summary['tagger_false_merges']})")
    print(f"bodies kept apart: {len(KEEP_APART) - len(apart_failures)} of {len(KEEP_APART)} pairs"
          + (f" (merged: {'; '.join(apart_failures)})" if apart_failures else ""))
    print(f"folded names shared by several records (resolved by context words): "
          + ", ".join(f"{key} -> {len(keys)}" for key, keys in collisions))
    if args.fuzzy:
        thresholds = [float(t) for t in args.fuzzy.split(",") if t]
        summary["fuzzy"] = fuzzy_report(gazetteer, cases, results, thresholds)
        for t, row in summary["fuzzy"].items():  # type: ignore[attr-defined]
            print(f"fuzzy ratio >= {t}: misses recovered {row['misses_recovered']}, sent to another record "
                  f"{row['misses_sent_elsewhere']}; pairs of different records it would merge {row['record_pairs_merged']}"
                  f" (e.g. {', '.join(row['merged_examples'])})")
    if args.show_errors:
        for (rule, own, name, variant), r, t in zip(cases, results, tagged):
            if r in ("miss", "false-merge") or t != "hit":
                found = gazetteer.lookup(variant)
                print(f"{rule:8} {r:11} tagger {t:11} {name!r} -> {variant!r} {found}")
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
