"""Measure near-duplicate detection (``monitor.similarity``) on labelled pairs we generate.

Usage::

    .venv/bin/python benchmarks/dedup.py [--pairs N] [--sizes 10000,100000] [--seed S]

There is no public labelled set of security-news reposts, so the pairs are built
here from generated text (seeded RNG, so every run is identical):

* stories are composed sentence by sentence from phrase pools about Pakistani
  security agencies (NACTA, FIA, PTA, CTD, ...), so two stories about the same
  agency share names and stock phrases but not whole sentences, as real ones do;
* ``verbatim``: the story reposted with an aggregator header, share buttons, a
  "view original" footer, or only its first paragraphs and a "read more" link;
* ``light-edit``: copy-edited wire copy (a few words swapped, a sentence dropped,
  a new headline, an update line). Counted as verbatim copies;
* ``rewrite``: paragraphs reordered, 10-35% of words paraphrased, clauses cut,
  up to 40% of paragraphs dropped and new context paragraphs added;
* ``same-agency``: a different story about the same agency on the same day,
  half of them about the same kind of event; ``unrelated``: another agency.

It prints: the choice of shingle size and score; the threshold tables
(threshold -> precision, recall) for "verbatim" and for "same story"; MinHash
against SimHash; the LSH banding choice (candidate recall per pair type); and
time per signature and per candidate query at each archive size, against a
brute-force scan, to show the cost of a query does not grow with the archive.
The last line is JSON.

Not for: CI (the 100k archive takes a few minutes), or tuning on real articles
(do that when the archive has some, and record it here).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from monitor import similarity  # noqa: E402

# ---------------------------------------------------------------- story generator

AGENCIES = [
    ("National Counter Terrorism Authority", "NACTA"),
    ("Federal Investigation Agency", "FIA"),
    ("Pakistan Telecommunication Authority", "PTA"),
    ("Counter Terrorism Department", "CTD"),
    ("National Database and Registration Authority", "NADRA"),
    ("Anti-Narcotics Force", "ANF"),
    ("Financial Monitoring Unit", "FMU"),
    ("Inter-Services Public Relations", "ISPR"),
]
CITIES = [
    "Islamabad", "Karachi", "Lahore", "Peshawar", "Quetta", "Rawalpindi", "Multan", "Faisalabad",
    "Gilgit", "Muzaffarabad", "Sukkur", "Hyderabad", "Bannu", "Dera Ismail Khan", "Gwadar", "Sialkot",
]
PROVINCES = ["Punjab", "Sindh", "Khyber Pakhtunkhwa", "Balochistan", "Gilgit-Baltistan"]
GROUPS = ["Daesh", "the Tehreek-e-Taliban Pakistan", "Lashkar-e-Jhangvi", "a banned outfit", "a proscribed organisation"]
FIRST = ["Ahmed", "Sana", "Imran", "Ayesha", "Bilal", "Farah", "Usman", "Nadia", "Kamran", "Hina", "Tariq", "Zainab"]
LAST = ["Khan", "Malik", "Qureshi", "Siddiqui", "Butt", "Chaudhry", "Shah", "Abbasi", "Raza", "Hussain", "Mirza"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# Event kinds: each has its own verbs and objects so that stories of one kind
# share vocabulary, as two reports of two different raids would.
EVENTS: dict[str, dict[str, list[str]]] = {
    "recruiters": {
        "act": ["arrested {n} suspected recruiters for {group}", "detained {n} men accused of recruiting for {group}",
                "broke up a network recruiting young people for {group}", "took {n} alleged facilitators of {group} into custody"],
        "detail": ["the suspects used encrypted messaging apps to approach students", "recruits were promised money and travel to Afghanistan",
                   "investigators recovered laptops, phones and extremist literature", "the cell had been active in {city} for {m} months",
                   "two of the suspects had previously been on the Fourth Schedule", "the group targeted university students in {province}",
                   "handlers abroad sent funds through informal hawala channels", "the arrested men were produced before an anti-terrorism court"],
    },
    "websites": {
        "act": ["blocked {n} websites and social media accounts linked to {group}", "had {n} extremist web pages taken down",
                "asked platforms to remove {n} accounts spreading propaganda of {group}", "shut down {n} channels used for hate material"],
        "detail": ["{m} of the accounts were on Telegram and the rest on Facebook and X", "the material included videos glorifying attacks",
                   "the requests were sent through the PTA's web analysis cell", "most of the pages were hosted outside the country",
                   "the platforms complied with {m} per cent of the requests", "a review found content inciting violence against minorities",
                   "officials said new pages often reappear under different names within days", "the list was shared with provincial counter-terrorism departments"],
    },
    "sims": {
        "act": ["blocked {n} SIM cards issued on fake biometric verification", "launched a crackdown on illegal SIM sales",
                "ordered operators to disable {n} unverified SIMs", "raided {m} franchises selling pre-activated SIM cards"],
        "detail": ["silicone thumb impressions were used to register the numbers", "the SIMs had been used in extortion and fraud calls",
                   "operators were told to re-verify customers holding more than {m} connections", "franchise owners face fines of up to Rs{m} million",
                   "NADRA records were matched against the biometric logs", "citizens can check numbers issued on their CNIC by texting 668",
                   "retailers caught selling activated SIMs will lose their licences", "the verification rules will be tightened from next month"],
    },
    "financing": {
        "act": ["registered {n} cases of terror financing", "froze {n} bank accounts linked to {group}",
                "arrested a man accused of collecting funds for {group}", "traced Rs{m} million sent to {group} through charities"],
        "detail": ["the money was collected in the name of a seminary in {city}", "the accounts were flagged by the Financial Monitoring Unit",
                   "investigators found transfers routed through {m} shell companies", "the suspect had been under surveillance since last year",
                   "the case was registered under the Anti-Terrorism Act", "donation boxes were seized from shops in {city}",
                   "the funds were allegedly used to buy weapons", "a court remanded the suspect in custody for {m} days"],
    },
    "raid": {
        "act": ["killed {n} militants in an intelligence-based operation", "foiled a terror plot in {city}",
                "raided a hideout on the outskirts of {city}", "arrested {n} terrorists planning attacks in {province}"],
        "detail": ["explosives, detonators and weapons were recovered from the compound", "the militants opened fire when the team approached",
                   "a suicide vest was defused by the bomb disposal squad", "the suspects had planned to attack a police station",
                   "the area was cordoned off and a search operation continued", "{m} soldiers were injured in the exchange of fire",
                   "the hideout was located in a residential area near the highway", "intelligence agencies had tracked the suspects for weeks"],
    },
    "fraud": {
        "act": ["arrested {n} members of a gang running online banking fraud", "busted a call centre defrauding citizens",
                "recovered Rs{m} million from an online scam ring", "registered {n} cases of cyber harassment and fraud"],
        "detail": ["victims received calls from people posing as bank officials", "the gang used social media ads to lure investors",
                   "{m} laptops and dozens of mobile phones were seized", "foreign nationals were among those arrested",
                   "the scam promised high returns on cryptocurrency", "complaints had been lodged on the cybercrime portal",
                   "the suspects withdrew money through ATMs in {city}", "the cybercrime wing asked citizens not to share OTP codes"],
    },
}
GENERIC = [
    "officials said the investigation was ongoing", "a spokesperson said further arrests were expected",
    "the interior ministry praised the action", "the {short} did not respond to requests for further comment",
    "details were shared at a news conference in {city}", "similar operations were carried out earlier this year",
    "the government has vowed to eliminate terrorism in all its forms", "security has been stepped up across {province}",
    "{person2} told Arab News that {n2} people had been questioned", "the {short} chief chaired a meeting on {day2}",
    "a report will be submitted to the prime minister within {m2} days", "rights groups called for transparency in the process",
]
SUBJECTS = ["the {short}", "a joint team", "investigators", "the agency", "officials", "a {short} team in {city}", "police and the {short}", "the authorities"]
ADJUNCTS = [
    "", "", "", "", " on {day}", " earlier this week", " after a tip-off", " in {city}", " in {city2}", " last month",
    " in coordination with provincial police", " under the National Action Plan", " since {month}", " in the past {m2} weeks",
    " across {province}", " near the Afghan border", " following a court order", " as part of a wider campaign",
]
OPENERS = ["", "", "", "", "According to officials, ", "On {day}, ", "Separately, ", "Sources said ", "In a statement, ", "Meanwhile, "]
ATTRIBUTION = [", the {short} said", ", a statement said", ", officials told reporters", ", {person} said", "", "", "", ""]
# Quote fragments: combined three at a time they give each story sentences of
# its own, so two stories share stock phrases but rarely whole clauses.
QUOTE_WHO = ["the minister", "a police officer", "a local trader", "the provincial home secretary", "a resident of {city}",
             "a security analyst", "the suspect's brother", "a university teacher", "an opposition lawmaker", "a lawyer for the accused",
             "the deputy commissioner", "a telecom executive", "a victim's relative", "a journalist in {city2}"]
QUOTE_VERB = ["warned that", "complained that", "insisted that", "admitted that", "questioned whether", "argued that",
              "hoped that", "doubted that", "pointed out that", "claimed that", "feared that", "confirmed that"]
QUOTE_WHAT = ["young men in {city} were easily misled online", "the crackdown came far too late", "families had not been informed for {m2} days",
              "border crossings were poorly monitored", "fake identity cards were sold openly in markets", "the courts needed more judges",
              "schools should teach students about online safety", "the budget for the cybercrime wing had been cut", "mobile operators ignored earlier warnings",
              "{n2} complaints were pending with the ombudsman", "the checkpoint on the highway had been removed in {month}", "nobody had checked the seminary's accounts",
              "informants were paid through a secret fund", "the same network had resurfaced twice before", "traders were being threatened for protection money"]
QUOTE_TAIL = ["", "", "", " and said more resources were needed", " while speaking to reporters outside the court",
              " in a post on social media", " during a television talk show", " at a seminar in {city2}"]
MONTHS = ["January", "March", "April", "June", "August", "October", "December"]
SYNONYMS = {
    "arrested": ["detained", "apprehended", "held"], "said": ["stated", "added", "noted"], "officials": ["authorities", "officers"],
    "suspects": ["accused", "men"], "recovered": ["seized", "found"], "blocked": ["disabled", "suspended"],
    "launched": ["began", "started"], "cases": ["FIRs", "complaints"], "people": ["individuals", "citizens"],
    "operation": ["action", "raid"], "investigation": ["inquiry", "probe"], "militants": ["terrorists", "insurgents"],
    "used": ["employed", "utilised"], "money": ["funds", "cash"], "accounts": ["profiles", "handles"],
    "network": ["ring", "cell"], "gang": ["group", "ring"], "ordered": ["directed", "instructed"],
    "the": ["this", "that"], "a": ["one", "a single"], "were": ["had been", "got"], "was": ["had been", "got"],
    "statement": ["press release", "handout"], "near": ["close to", "by"], "in": ["inside", "within"],
    "weapons": ["arms", "firearms"], "ongoing": ["continuing", "under way"], "further": ["more", "additional"],
    "citizens": ["the public", "residents"], "planned": ["intended", "plotted"], "told": ["informed", "assured"],
    "case": ["matter", "FIR"], "court": ["tribunal", "judge"], "seized": ["confiscated", "impounded"],
    "had": ["has", "had already"], "of": ["from", "belonging to"], "to": ["towards", "so as to"],
}


@dataclass(frozen=True)
class Story:
    agency: int
    kind: str
    text: str
    facts: dict[str, str]


def _fill(template: str, facts: dict[str, str]) -> str:
    return template.format(**facts)


def _sentence(rng: random.Random, body: str, facts: dict[str, str], *, needs_subject: bool) -> str:
    opener = _fill(rng.choice(OPENERS), facts)
    subject = _fill(rng.choice(SUBJECTS), facts) + " " if needs_subject else ""
    clause = _fill(body, facts) + _fill(rng.choice(ADJUNCTS), facts)
    sentence = opener + subject + clause + _fill(rng.choice(ATTRIBUTION), facts) + "."
    return sentence[0].upper() + sentence[1:]


def _person(rng: random.Random, short: str) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}, {rng.choice(['a senior', 'a', 'the deputy', 'a regional'])} {short} {rng.choice(['official', 'director', 'spokesperson', 'investigator'])}"


def make_facts(rng: random.Random, agency: int) -> dict[str, str]:
    name, short = AGENCIES[agency]
    return {
        "agency": name, "short": short, "city": rng.choice(CITIES), "city2": rng.choice(CITIES),
        "province": rng.choice(PROVINCES), "group": rng.choice(GROUPS), "n": str(rng.randint(3, 900)),
        "n2": str(rng.randint(2, 90)), "m": str(rng.randint(2, 60)), "m2": str(rng.randint(2, 12)),
        "day": rng.choice(WEEKDAYS), "day2": rng.choice(WEEKDAYS), "month": rng.choice(MONTHS),
        "person": _person(rng, short), "person2": _person(rng, short),
    }


def make_story(rng: random.Random, agency: int | None = None, kind: str | None = None) -> Story:
    agency = rng.randrange(len(AGENCIES)) if agency is None else agency
    kind = kind or rng.choice(sorted(EVENTS))
    facts = make_facts(rng, agency)
    event = EVENTS[kind]
    lede = f"The {facts['agency']} ({facts['short']}) {_fill(rng.choice(event['act']), facts)} in {facts['city']} on {facts['day']}, officials said."
    # Each phrase at most once per story, as a reporter would write it.
    pool = rng.sample([(body, True) for body in event["act"]] + [(body, False) for body in event["detail"]], 5)
    pool += [(body, False) for body in rng.sample(GENERIC, 3)]
    for _ in range(rng.randint(5, 8)):
        quote = rng.choice(QUOTE_WHO) + " " + rng.choice(QUOTE_VERB) + " " + rng.choice(QUOTE_WHAT) + rng.choice(QUOTE_TAIL)
        pool.append((quote, False))
    rng.shuffle(pool)
    paragraphs = [lede]
    while len(pool) >= 2 and len(paragraphs) < rng.randint(5, 8):
        chosen = [pool.pop() for _ in range(rng.randint(2, 3)) if pool]
        paragraphs.append(" ".join(_sentence(rng, body, facts, needs_subject=subject) for body, subject in chosen))
    headline = f"{facts['short']} {_fill(rng.choice(event['act']), facts)}"
    return Story(agency, kind, headline + "\n\n" + "\n\n".join(paragraphs), facts)


def _paraphrase(rng: random.Random, text: str, rate: float) -> str:
    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        options = SYNONYMS.get(word.lower())
        if options and rng.random() < rate * 2.5:
            return rng.choice(options)
        if rng.random() < rate * 0.25:  # the odd dropped or added word
            return rng.choice(["", word + " also", "reportedly " + word])
        return word

    return re.sub(r"[A-Za-z]+", swap, text)


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]


def verbatim_repost(rng: random.Random, story: Story) -> str:
    paragraphs = _paragraphs(story.text)
    if rng.random() < 0.3:  # aggregator excerpt: the opening paragraphs only
        paragraphs = paragraphs[: max(3, int(len(paragraphs) * rng.uniform(0.5, 0.8)))]
        paragraphs.append("Read the full story at the original source.")
    header = rng.choice([
        "Posted by admin | Security News Desk", "This article originally appeared in Arab News and is republished here.",
        f"{story.facts['city'].upper()}: (News Desk)", "Share on Facebook Tweet WhatsApp Email",
    ])
    footer = rng.choice([
        "View original article", "Source: Arab News. View original.", "Tags: security, terrorism, Pakistan",
        "Copyright belongs to the original publisher. Click here to view original.",
    ])
    text = "\n\n".join([header] + paragraphs + [footer])
    if rng.random() < 0.5:
        text = text.replace("'", "\u2019").replace(" - ", " \u2014 ")
    return text


def light_edit(rng: random.Random, story: Story) -> str:
    paragraphs = _paragraphs(story.text)
    paragraphs[0] = f"{story.facts['short']} action: " + _fill(rng.choice(EVENTS[story.kind]["act"]), story.facts)
    body = [_paraphrase(rng, p, rng.uniform(0.0, 0.03)) for p in paragraphs]
    if len(body) > 4 and rng.random() < 0.6:  # an editor cuts one sentence
        target = rng.randrange(2, len(body))
        sentences = body[target].split(". ")
        if len(sentences) > 1:
            sentences.pop(rng.randrange(len(sentences)))
            body[target] = ". ".join(sentences)
    if rng.random() < 0.5:
        body.append(rng.choice(["(With additional input from APP)", "Updated at 4:35 pm.", "Photo: file"]))
    return "\n\n".join(body)


def heavy_rewrite(rng: random.Random, story: Story) -> str:
    paragraphs = _paragraphs(story.text)[1:]
    lede, rest = paragraphs[0], paragraphs[1:]
    keep = max(2, round(len(rest) * rng.uniform(0.6, 1.0)))
    rest = rng.sample(rest, keep)  # cut and reorder
    rewritten = []
    for paragraph in [lede] + rest:
        sentences = [s for s in re.split(r"(?<=\.) ", paragraph) if s]
        rng.shuffle(sentences)
        if len(sentences) > 1 and rng.random() < 0.3:
            sentences.pop()
        # drop trailing attributions and openers, as rewriters do
        sentences = [re.sub(r", (the \w+ said|a statement said|officials told reporters)\.$", ".", s) for s in sentences]
        rewritten.append(_paraphrase(rng, " ".join(sentences), rng.uniform(0.10, 0.35)))
    for _ in range(rng.randint(0, 2)):  # context the rewriter adds
        extra = [
            _sentence(rng, rng.choice(GENERIC + EVENTS[story.kind]["detail"]), story.facts, needs_subject=False)
            for _ in range(2)
        ]
        rewritten.insert(rng.randrange(1, len(rewritten) + 1), " ".join(extra))
    return f"Security forces step up action in {story.facts['city']}\n\n" + "\n\n".join(rewritten)


def same_agency_story(rng: random.Random, story: Story) -> str:
    # Same agency, same day; half the time even the same kind of event.
    kind = story.kind if rng.random() < 0.5 else rng.choice([k for k in EVENTS if k != story.kind])
    other = make_story(rng, agency=story.agency, kind=kind)
    return other.text.replace(other.facts["day"], story.facts["day"])


def unrelated_story(rng: random.Random, story: Story) -> str:
    return make_story(rng, agency=rng.choice([a for a in range(len(AGENCIES)) if a != story.agency])).text


PAIR_MAKERS: dict[str, Callable[[random.Random, Story], str]] = {
    "verbatim": verbatim_repost,
    "light-edit": light_edit,
    "rewrite": heavy_rewrite,
    "same-agency": same_agency_story,
    "unrelated": unrelated_story,
}
VERBATIM_KINDS = {"verbatim", "light-edit"}
SAME_STORY_KINDS = {"verbatim", "light-edit", "rewrite"}


@dataclass(frozen=True)
class Pair:
    kind: str
    original: str
    copy: str


def build_pairs(rng: random.Random, per_kind: int) -> list[Pair]:
    pairs = []
    for kind, maker in PAIR_MAKERS.items():
        for _ in range(per_kind):
            story = make_story(rng)
            pairs.append(Pair(kind, story.text, maker(rng, story)))
    return pairs


# ---------------------------------------------------------------- measurement


def precision_recall(scores: Sequence[float], positive: Sequence[bool], threshold: float) -> tuple[float, float]:
    predicted = [s >= threshold for s in scores]
    tp = sum(p and y for p, y in zip(predicted, positive))
    fp = sum(p and not y for p, y in zip(predicted, positive))
    fn = sum(not p and y for p, y in zip(predicted, positive))
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def best_f1(scores: Sequence[float], positive: Sequence[bool]) -> tuple[float, float]:
    best = (0.0, 0.0)
    for threshold in sorted(set(round(s, 3) for s in scores)):
        p, r = precision_recall(scores, positive, threshold)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        if f1 > best[0]:
            best = (f1, threshold)
    return best


def exact_scores(pairs: Sequence[Pair], k: int) -> tuple[list[float], list[float]]:
    containments, jaccards = [], []
    for pair in pairs:
        a, b = similarity.shingles(pair.original, k), similarity.shingles(pair.copy, k)
        shorter = min(len(a), len(b))
        containments.append(len(a & b) / shorter if shorter else 0.0)
        jaccards.append(len(a & b) / len(a | b) if a | b else 0.0)
    return containments, jaccards


def simhash(shingle_set: set[str]) -> int:
    """64-bit SimHash over the same shingles, for the MinHash-or-SimHash comparison."""
    import hashlib

    weights = np.zeros(64, dtype=np.int64)
    for shingle in shingle_set:
        bits = int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "little")
        weights += np.where((bits >> np.arange(64, dtype=np.uint64)) & 1, 1, -1)
    return int(sum(1 << i for i in range(64) if weights[i] > 0))


def lsh_probability(similarity: float, bands: int, rows: int) -> float:
    return float(1 - (1 - similarity**rows) ** bands)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=300, help="pairs per kind")
    parser.add_argument("--sizes", default="10000,100000", help="archive sizes for the timing")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pairs = build_pairs(rng, args.pairs)
    kinds = [p.kind for p in pairs]
    is_verbatim = [k in VERBATIM_KINDS for k in kinds]
    is_same = [k in SAME_STORY_KINDS for k in kinds]
    print(f"{len(pairs)} labelled pairs ({args.pairs} per kind: {', '.join(PAIR_MAKERS)}), seed {args.seed}")

    print("\n1. Shingle size and score (best F1 over thresholds)")
    print(f"{'k':>2} {'score':<12} {'verbatim F1':>12} {'at':>6} {'same-story F1':>14} {'at':>6}")
    for k in (2, 3, 4, 5):
        containments, jaccards = exact_scores(pairs, k)
        for name, scores in (("containment", containments), ("jaccard", jaccards)):
            vf, vt = best_f1(scores, is_verbatim)
            sf, st = best_f1(scores, is_same)
            print(f"{k:>2} {name:<12} {vf:12.3f} {vt:6.2f} {sf:14.3f} {st:6.2f}")

    k = similarity.SHINGLE_SIZE
    containments, jaccards = exact_scores(pairs, k)
    print(f"\n   score range per pair kind (k={k}): containment min-median-max | jaccard median")
    for kind in PAIR_MAKERS:
        c = [s for s, kk in zip(containments, kinds) if kk == kind]
        j = [s for s, kk in zip(jaccards, kinds) if kk == kind]
        print(f"   {kind:<12} {min(c):.2f} - {statistics.median(c):.2f} - {max(c):.2f} | {statistics.median(j):.2f}")

    classified_scores = []
    for pair in pairs:
        a, b = similarity.shingles(pair.original), similarity.shingles(pair.copy)
        if min(len(a), len(b)) < similarity.MIN_SHINGLES_FOR_CONTAINMENT:
            classified_scores.append(len(a & b) / len(a | b))
        else:
            classified_scores.append(len(a & b) / min(len(a), len(b)))
    thresholds = [0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.50, 0.60, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95]
    print(f"\n2. Thresholds on containment (k={k}): threshold -> precision / recall")
    print(f"{'threshold':>9}  {'verbatim P':>10} {'verbatim R':>10}  {'same-story P':>12} {'same-story R':>12}")
    for threshold in thresholds:
        vp, vr = precision_recall(classified_scores, is_verbatim, threshold)
        sp, sr = precision_recall(classified_scores, is_same, threshold)
        print(f"{threshold:9.2f}  {vp:10.3f} {vr:10.3f}  {sp:12.3f} {sr:12.3f}")

    labels = [similarity.classify_copy(p.original, p.copy) for p in pairs]
    confusion = Counter(zip(kinds, labels))
    print(f"\n   classify_copy at VERBATIM={similarity.VERBATIM_THRESHOLD} REWRITE={similarity.REWRITE_THRESHOLD}:")
    for kind in PAIR_MAKERS:
        counts = {str(label): confusion[(kind, label)] for label in ("verbatim", "rewritten", None)}
        print(f"   {kind:<12} {counts}")
    verbatim_p, verbatim_r = precision_recall([1.0 if l == "verbatim" else 0.0 for l in labels], is_verbatim, 0.5)
    same_p, same_r = precision_recall([1.0 if l else 0.0 for l in labels], is_same, 0.5)

    print("\n3. MinHash or SimHash: signature-only same-story detection (best F1)")
    started = time.perf_counter()
    minhash_scores = [similarity.similarity(similarity.signature(p.original), similarity.signature(p.copy)) for p in pairs]
    minhash_ms = (time.perf_counter() - started) * 1000 / (2 * len(pairs))
    started = time.perf_counter()
    simhash_scores = [
        1 - bin(simhash(similarity.shingles(p.original)) ^ simhash(similarity.shingles(p.copy))).count("1") / 64 for p in pairs
    ]
    simhash_ms = (time.perf_counter() - started) * 1000 / (2 * len(pairs))
    error = statistics.mean(abs(m - j) for m, j in zip(minhash_scores, jaccards))
    for name, scores, ms in ((f"MinHash-{similarity.NUM_PERM}", minhash_scores, minhash_ms), ("SimHash-64", simhash_scores, simhash_ms)):
        sf, st = best_f1(scores, is_same)
        vf, vt = best_f1(scores, is_verbatim)
        print(f"   {name:<12} same-story F1 {sf:.3f} (at {st:.2f}), verbatim F1 {vf:.3f} (at {vt:.2f}), {ms:.2f} ms/text")
    print(f"   MinHash mean |estimate - exact Jaccard| = {error:.3f}")

    print("\n4. LSH banding (NUM_PERM = bands x rows): share of pairs that become candidates")
    print(f"   {'bands x rows':<13} {'threshold':>9} " + " ".join(f"{kind:>12}" for kind in PAIR_MAKERS))
    signatures = [
        (similarity.signature_of_shingles(similarity.shingles(p.original), 256), similarity.signature_of_shingles(similarity.shingles(p.copy), 256))
        for p in pairs
    ]
    for bands, rows in ((64, 2), (96, 2), (32, 3), (42, 3), (64, 3), (80, 3), (32, 4), (64, 4), (25, 5), (16, 8)):
        rates = []
        for kind in PAIR_MAKERS:
            hits = [
                bool(_share_band(a, b, bands, rows)) for (a, b), kk in zip(signatures, kinds) if kk == kind
            ]
            rates.append(sum(hits) / len(hits))
        marker = "  <- chosen" if (bands, rows) == (similarity.BANDS, similarity.ROWS) else ""
        print(f"   {bands:>3} x {rows:<7} {(1 / bands) ** (1 / rows):9.2f} " + " ".join(f"{r:12.3f}" for r in rates) + marker)
    index_recall = {
        kind: sum(
            1
            for p, kk in zip(pairs, kinds)
            if kk == kind and set(similarity.candidate_keys(p.original)) & set(similarity.candidate_keys(p.copy))
        )
        / args.pairs
        for kind in PAIR_MAKERS
    }
    band_recall = {
        kind: sum(
            1
            for p, kk in zip(pairs, kinds)
            if kk == kind and set(similarity.band_keys(similarity.signature(p.original))) & set(similarity.band_keys(similarity.signature(p.copy)))
        )
        / args.pairs
        for kind in PAIR_MAKERS
    }
    print("   candidates with the chosen bands alone:   " + " ".join(f"{band_recall[k]:12.3f}" for k in PAIR_MAKERS))
    print("   bands plus figure-pair keys (as stored):  " + " ".join(f"{index_recall[k]:12.3f}" for k in PAIR_MAKERS))

    print("\n5. Cost with archive size (in-memory CandidateIndex; the DB does the same lookups by index)")
    timing = []
    for size in [int(s) for s in args.sizes.split(",") if s]:
        timing.append(_time_archive(size, args.seed))
        row = timing[-1]
        print(
            f"   {row['archive']:>7} articles: signature {row['ms_per_signature']:.3f} ms, add {row['ms_per_add']:.3f} ms, "
            f"candidate query {row['ms_per_query']:.3f} ms ({row['candidates_per_query']:.2f} candidates), "
            f"brute-force scan {row['ms_per_brute_force_query']:.2f} ms"
        )

    result = {
        "pairs": len(pairs),
        "shingle_size": k,
        "num_perm": similarity.NUM_PERM,
        "bands": similarity.BANDS,
        "rows": similarity.ROWS,
        "verbatim_threshold": similarity.VERBATIM_THRESHOLD,
        "rewrite_threshold": similarity.REWRITE_THRESHOLD,
        "verbatim_precision": round(verbatim_p, 3),
        "verbatim_recall": round(verbatim_r, 3),
        "same_story_precision": round(same_p, 3),
        "same_story_recall": round(same_r, 3),
        "lsh_candidate_rate": {kind: round(rate, 3) for kind, rate in band_recall.items()},
        "index_candidate_rate": {kind: round(rate, 3) for kind, rate in index_recall.items()},
        "timing": timing,
    }
    print(json.dumps(result))
    return 0


def _share_band(a: similarity.Signature, b: similarity.Signature, bands: int, rows: int) -> bool:
    used = bands * rows
    left = a.values[:used].reshape(bands, rows)
    right = b.values[:used].reshape(bands, rows)
    return bool(np.any(np.all(left == right, axis=1)))


def _time_archive(size: int, seed: int) -> dict[str, float]:
    rng = random.Random(seed * 1000 + size)
    index: similarity.CandidateIndex[int] = similarity.CandidateIndex()
    texts = []
    signature_seconds = add_seconds = 0.0
    matrix = np.empty((size, similarity.NUM_PERM), dtype=np.uint32)
    for article_id in range(size):
        # One in ten archived articles is a repost or rewrite of an earlier one,
        # so buckets are not artificially empty.
        if texts and rng.random() < 0.1:
            base = Story(0, rng.choice(sorted(EVENTS)), rng.choice(texts), make_facts(rng, 0))
            text = rng.choice([verbatim_repost, heavy_rewrite])(rng, base)
        else:
            text = make_story(rng).text
        if len(texts) < 2000:
            texts.append(text)
        started = time.perf_counter()
        sig = similarity.signature(text)
        signature_seconds += time.perf_counter() - started
        started = time.perf_counter()
        index.add(article_id, sig, text)
        add_seconds += time.perf_counter() - started
        matrix[article_id] = sig.values
    query_texts = [make_story(rng).text if i % 2 else heavy_rewrite(rng, Story(0, "raid", texts[i], make_facts(rng, 0)))
                   for i in range(500)]
    queries = [similarity.signature(text) for text in query_texts]
    started = time.perf_counter()
    candidate_counts = [len(index.candidates(q, text)) for q, text in zip(queries, query_texts)]
    query_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for q in queries[:50]:
        # What the index saves us: comparing the query with every archived signature.
        np.count_nonzero(matrix == q.values, axis=1)
    brute_seconds = time.perf_counter() - started
    return {
        "archive": size,
        "ms_per_signature": signature_seconds * 1000 / size,
        "ms_per_add": add_seconds * 1000 / size,
        "ms_per_query": query_seconds * 1000 / len(queries),
        "candidates_per_query": statistics.mean(candidate_counts),
        "ms_per_brute_force_query": brute_seconds * 1000 / 50,
    }


if __name__ == "__main__":
    sys.exit(main())
