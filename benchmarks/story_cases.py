"""Labelled cases for story grouping: a synthetic archive of security news and the pairs to score on.

Usage::

    .venv/bin/python benchmarks/story_cases.py [--seed S] [--examples N]

The story grouper decides which articles are copies of one news report (one "story"). There is no
public, labelled archive of Pakistani security news, so this module writes one: a ~40-day stream of about
a thousand articles from invented outlets, each tied to the real-world report ("event") it is about, and
641 labelled pairs of articles. It is pure Python (stdlib only, no Django) and deterministic: everything
comes from ``random.Random(seed)``. ``build_cases(1)`` is for development, ``build_cases(2)`` is held out;
another seed gives other dates, events, figures, names and template choices.

How the text is made. An event is a set of facts (agency, place, people, figures) of one of seven kinds
of report: NACTA's drive against online recruiters, PTA action against SIM misuse, a CTD raid, an FIA
cybercrime arrest, an ISPR operation, an FIA terror-financing raid, and interior ministry curbs on listed
persons. An article renders the facts through sentence templates grouped by role ("lead", "recovery",
"quote", ...); every role has several templates of different structure, so another outlet's rewrite is
a paraphrase (other templates for every role, roles dropped and reordered, quotes mostly in reported
speech, a context paragraph of its own) that keeps the figures and names, as real rewrites do. Shared
background sentences ("context") are few per article, so different events do not look alike through
them. All wording is invented for this file; so are the people and the outlets.

Pair kinds (``CasePair.same`` says whether the two articles belong in one story; * marks HARD_KINDS):

* ``rewrite``* (same): another outlet's rewrite of a report in its own words, 0.5-12 hours later.
* ``wire`` (same): wire copy reposted verbatim or lightly edited under the reposting outlet's header
  and footer ("Updated ...", "Read the original at ...").
* ``followup``* (different): a report 20-48 hours later on the same matter with new developments and
  new figures, repeating one or two figures of the first report. A follow-up is its own story.
* ``same_day_other_event``* (different): another event of the same kind by the same agency that day,
  with other places, people and figures.
* ``template``* (different): two days of one outlet's daily bulletin (three outlets, 25-40 days each);
  about 60% of a bulletin's sentences are boilerplate, some with slots.
* ``same_outlet_update``* (same): an outlet's second article on its own report (new URL): the same
  body with one or two new paragraphs, a new headline, sometimes a corrected figure.
* ``short``* (both, half each): 25-70 word briefs; the same event in other words, or another event of
  the same agency.
* ``furniture``* (both, half each): pages where navigation, "Related" lists and notices outweigh a short
  report: two such outlets carrying one wire report, or one outlet's two different reports. Each of the
  three furniture outlets publishes 24 pages with the same furniture, enough for a learner of
  per-outlet recurring lines.
* ``unrelated`` (different): different agencies, topics and days.

Besides the paired articles there are copies nobody pairs and at least 200 background articles, so the
stream looks like an archive. Every outlet publishes many articles. ``build_cases`` checks its own
promises (labels match events, pair order, counts per kind) on every build.

Not for: measuring anything by itself (the story-grouping benchmark imports ``build_cases``), judging an
extractor (the texts are clean article bodies), or tuning on real wording: real outlets are messier.
"""

from __future__ import annotations

import argparse
import random
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

# ---------------------------------------------------------------- public API


@dataclass(frozen=True)
class CaseArticle:
    key: str  # unique, e.g. "a0001"
    source: str  # outlet name
    published_at: datetime  # timezone-aware UTC
    title: str
    text: str  # body: paragraphs separated by "\n\n"; the title is not repeated in it
    event: str  # the real-world report it is about; same event = same story


@dataclass(frozen=True)
class CasePair:
    a: str  # CaseArticle.key, published no later than b
    b: str
    same: bool  # True when a and b should be in one story
    kind: str  # one of KINDS


@dataclass
class Cases:
    articles: list[CaseArticle]  # sorted by published_at, then key
    pairs: list[CasePair]


KINDS: tuple[str, ...] = (
    "rewrite",
    "wire",
    "followup",
    "same_day_other_event",
    "template",
    "same_outlet_update",
    "short",
    "furniture",
    "unrelated",
)
HARD_KINDS: frozenset[str] = frozenset(
    {"rewrite", "followup", "same_day_other_event", "template", "same_outlet_update", "short", "furniture"}
)

# Pairs per kind. For "short" and "furniture" half are the same story and half are not.
_QUOTAS: dict[str, int] = {
    "rewrite": 90,
    "wire": 70,
    "followup": 70,
    "same_day_other_event": 70,
    "template": 81,
    "same_outlet_update": 60,
    "short": 70,
    "furniture": 70,
    "unrelated": 60,
}
_PERIOD_DAYS = 40
_BACKGROUND_EVENTS = 180
_PKT = timezone(timedelta(hours=5))

# ---------------------------------------------------------------- outlets


@dataclass(frozen=True)
class _Outlet:
    name: str
    role: str  # "wire", "paper", "brief", "furniture" or "bulletin"
    dateline: str  # "caps" ("LAHORE: "), "dash" ("LAHORE - "), "wire" ("LAHORE, March 4 (PPW): ") or ""
    words_for_small_numbers: bool  # "five suspects" rather than "5 suspects"
    footer: str = ""  # a line under every article, "{date_long}" filled in
    tag: str = ""  # a wire agency's credit, e.g. "PPW"
    repost_header: tuple[str, ...] = ()  # lines on top of wire copies it reposts
    repost_footer: tuple[str, ...] = ()  # lines under wire copies it reposts ("{wire}" filled in)
    long_form: bool = False  # a print paper: keeps more of the report and adds more background


_WIRES = (
    _Outlet("Pak Press Wire", "wire", "wire", False, tag="PPW"),
    _Outlet("Federal News Network", "wire", "wire", True, tag="FNN"),
)
_PAPERS = (
    _Outlet(
        "Daily Crescent", "paper", "caps", True, long_form=True, footer="Published in Daily Crescent, {date_long}",
        repost_header=("News Desk",), repost_footer=("Courtesy: {wire}",),
    ),
    _Outlet(
        "The Margalla Times", "paper", "caps", True,
        repost_header=("Web Desk", "Updated {stamp}"), repost_footer=("Share this: Facebook Twitter WhatsApp",),
    ),
    _Outlet(
        "Ravi Gazette", "paper", "dash", False,
        repost_footer=("Read the original at {wire}", "Share this: Facebook Twitter"),
    ),
    _Outlet(
        "Indus Courier", "paper", "caps", True, long_form=True, footer="Published in Indus Courier, {date_long}",
        repost_header=("Updated {stamp}",), repost_footer=("Courtesy: {wire}",),
    ),
    _Outlet(
        "Khyber Dispatch", "paper", "caps", False,
        repost_header=("Monitoring Desk",), repost_footer=("Read the original at {wire}",),
    ),
    _Outlet(
        "Bolan Voice", "paper", "", True,
        repost_header=("Bolan Voice Report",), repost_footer=("Share this story: Facebook | X | WhatsApp",),
    ),
    _Outlet(
        "National Sentinel", "paper", "caps", True, long_form=True,
        repost_header=("Updated {stamp}",), repost_footer=("Read the original at {wire}",),
    ),
    _Outlet(
        "Chenab Tribune", "paper", "dash", True, footer="Copyright Chenab Tribune. All rights reserved.",
        repost_footer=("Courtesy: {wire}",),
    ),
    _Outlet(
        "Mehran Mail", "paper", "caps", False,
        repost_header=("Web Desk",), repost_footer=("Share this: Facebook Twitter WhatsApp Email",),
    ),
    _Outlet(
        "Potohar Post", "paper", "", False,
        repost_header=("Updated {stamp}",), repost_footer=("Read the original at {wire}",),
    ),
    _Outlet(
        "Pak Monitor 24", "paper", "", True,
        repost_header=("Pak Monitor 24 Desk",), repost_footer=("Source: {wire}", "Share this: Facebook Twitter"),
    ),
    _Outlet(
        "Lyallpur Ledger", "paper", "caps", True, long_form=True, footer="Published in Lyallpur Ledger, {date_long}",
        repost_footer=("Courtesy: {wire}",),
    ),
)
_BRIEF_OUTLETS = (
    _Outlet("Sachal News Live", "brief", "caps", False),
    _Outlet("Rahbar TV Digital", "brief", "caps", True),
)
_FURNITURE_OUTLETS = (
    _Outlet("NewsBuzz PK", "furniture", "caps", False),
    _Outlet("TazaKhabar Online", "furniture", "", True),
    _Outlet("PakViral Daily", "furniture", "caps", False),
)
_BULLETIN_OUTLETS = (
    _Outlet("Punjab Observer", "bulletin", "caps", False),
    _Outlet("Telecom Watch Pakistan", "bulletin", "caps", False),
    _Outlet("Metro Watch Karachi", "bulletin", "caps", False),
)

# ---------------------------------------------------------------- people and places

_FIRST_NAMES = (
    "Tariq", "Asif", "Kamran", "Faisal", "Naveed", "Shahid", "Zahid", "Khalid", "Sajid", "Rizwan", "Usman",
    "Bilal", "Hamza", "Adeel", "Waqas", "Junaid", "Farhan", "Noman", "Yasir", "Aamir", "Irfan", "Saqib",
    "Shoaib", "Atif", "Arshad", "Nadeem", "Javed", "Babar", "Fahad", "Haroon", "Khurram", "Mohsin", "Owais",
    "Qaiser", "Raheel", "Sohail", "Tahir", "Umer", "Zubair", "Ayaz", "Gul", "Sher", "Wali", "Noor", "Jamal",
    "Iftikhar", "Abdul Rehman", "Abdul Wahab", "Ghulam", "Inam", "Mushtaq", "Ehsan", "Akbar", "Zafar",
    "Shakeel", "Imtiaz", "Rashid", "Anwar", "Saleem", "Waheed", "Hidayat", "Sarfraz", "Tanveer", "Azhar",
)
_FEMALE_FIRST_NAMES = (
    "Ayesha", "Sana", "Fatima", "Nadia", "Rabia", "Saima", "Amna", "Hina", "Maryam", "Shazia", "Uzma",
    "Sadia", "Nighat", "Farzana", "Samina", "Bushra",
)
_SURNAMES = (
    "Khan", "Ahmed", "Qureshi", "Malik", "Chaudhry", "Butt", "Sheikh", "Siddiqui", "Abbasi", "Awan", "Gondal",
    "Bhatti", "Cheema", "Warraich", "Niazi", "Khattak", "Afridi", "Yousafzai", "Durrani", "Baloch", "Bugti",
    "Mengal", "Memon", "Soomro", "Shah", "Bukhari", "Gillani", "Hashmi", "Rana", "Mirza", "Jadoon", "Tanoli",
    "Marwat", "Wazir", "Dawar", "Mehsud", "Kakar", "Achakzai", "Leghari", "Mazari", "Jatoi", "Chandio",
    "Mangi", "Laghari", "Sial", "Tarar", "Bajwa", "Kayani", "Orakzai", "Bangash",
)
_RANKS = ("Naik", "Sepoy", "Lance Naik", "Havildar", "Sepoy", "Captain", "Sepoy", "Lieutenant", "Naik", "Major")
_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

_PROVINCE_CITIES: dict[str, tuple[str, ...]] = {
    "Punjab": (
        "Lahore", "Rawalpindi", "Multan", "Gujranwala", "Faisalabad", "Bahawalpur", "Sargodha",
        "Dera Ghazi Khan", "Sialkot", "Mianwali", "Attock", "Jhang",
    ),
    "Sindh": ("Karachi", "Hyderabad", "Sukkur", "Larkana", "Jacobabad", "Nawabshah", "Mirpurkhas"),
    "Khyber Pakhtunkhwa": (
        "Peshawar", "Bannu", "Dera Ismail Khan", "Mardan", "Kohat", "Swat", "Lakki Marwat", "Charsadda",
        "Nowshera", "Tank",
    ),
    "Balochistan": ("Quetta", "Turbat", "Khuzdar", "Gwadar", "Sibi", "Zhob", "Mastung"),
}
_BIG_CITIES = (
    "Lahore", "Karachi", "Islamabad", "Rawalpindi", "Peshawar", "Multan", "Faisalabad", "Gujranwala", "Quetta",
    "Hyderabad", "Sialkot", "Bahawalpur",
)
_LANDMARKS = (
    "the bypass road", "a grain market", "the railway colony", "a motorway interchange", "the industrial estate",
    "a bus terminal", "the old vegetable market", "a canal bridge", "a new housing society", "the general bus stand",
    "a cattle market", "the ring road", "a brick kiln", "a petrol pump on the highway",
)
_TARGETS = (
    "a religious gathering", "a police training centre", "sensitive installations in the city",
    "security personnel at a checkpoint", "a crowded market", "members of a minority community",
    "a government office", "a foreign engineers' convoy", "a university campus", "a shrine on the city's outskirts",
)
_ISPR_DISTRICTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "North Waziristan": ("Khyber Pakhtunkhwa", ("Mir Ali", "Datta Khel", "Spinwam", "Razmak", "Shewa", "Boya")),
    "South Waziristan": ("Khyber Pakhtunkhwa", ("Wana", "Ladha", "Sararogha", "Makeen")),
    "Khyber": ("Khyber Pakhtunkhwa", ("Tirah", "Bara", "Jamrud")),
    "Bannu": ("Khyber Pakhtunkhwa", ("Jani Khel", "Baka Khel", "Domel")),
    "Lakki Marwat": ("Khyber Pakhtunkhwa", ("Tajazai", "Pezu", "Serai Naurang")),
    "Dera Ismail Khan": ("Khyber Pakhtunkhwa", ("Kulachi", "Daraban", "Paharpur")),
    "Tank": ("Khyber Pakhtunkhwa", ("Gomal", "Jandola")),
    "Bajaur": ("Khyber Pakhtunkhwa", ("Mamund", "Salarzai", "Nawagai")),
    "Zhob": ("Balochistan", ("Sambaza", "Qamar Din Karez")),
    "Kech": ("Balochistan", ("Buleda", "Tump", "Mand")),
}
_GARRISONS: dict[str, tuple[str, ...]] = {
    "Khyber Pakhtunkhwa": ("Peshawar Garrison", "Bannu Cantonment", "Miranshah", "Dera Ismail Khan Cantonment"),
    "Balochistan": ("Quetta Garrison", "Turbat Cantonment"),
}
_GROUPS: dict[str, dict[str, str]] = {
    "TTP": {
        "group": "the banned Tehreek-e-Taliban Pakistan (TTP)",
        "group_short": "the TTP",
        "group_member": "TTP",
        "group_adj": "TTP-linked",
    },
    "Daesh": {
        "group": "the Daesh-affiliated Islamic State Khorasan Province (ISKP)",
        "group_short": "Daesh",
        "group_member": "Daesh",
        "group_adj": "Daesh-linked",
    },
    "BLA": {
        "group": "the proscribed Balochistan Liberation Army (BLA)",
        "group_short": "the BLA",
        "group_member": "BLA",
        "group_adj": "BLA-linked",
    },
}

Facts = dict[str, int | str]


class _World:
    """The seeded random source, the period, and the people: a name is never given to two persons."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.start = date(2024, 1, 8) + timedelta(days=self.rng.randrange(330))
        self._used: set[str] = set()
        self.interior_minister = self.person()
        self.nacta_coordinator = self.person()

    def person(self, *, female: bool = False) -> str:
        rng = self.rng
        while True:
            first = rng.choice(_FEMALE_FIRST_NAMES if female else _FIRST_NAMES)
            name = f"{first} {rng.choice(_SURNAMES)}"
            if not female and rng.random() < 0.25:
                name = f"Muhammad {name}"
            if name in self._used:
                # Common names run out in a long archive; a second given name keeps people distinct.
                name = f"{first} {_other(rng, _FIRST_NAMES, first)} {name.rsplit(' ', 1)[1]}"
            if name not in self._used:
                self._used.add(name)
                return name

    def official(self) -> str:
        return self.person(female=self.rng.random() < 0.2)

    def people(self, n: int) -> list[str]:
        return [self.person() for _ in range(n)]

    def day(self, offset: int) -> date:
        return self.start + timedelta(days=offset)


def _join(items: Sequence[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _date_facts(day: date) -> Facts:
    return {
        "weekday": day.strftime("%A"),
        "date": f"{day:%B} {day.day}",
        "date_long": f"{day:%B} {day.day}, {day.year}",
    }


def _amount(rng: random.Random, low: float, high: float) -> str:
    return f"Rs {rng.uniform(low, high):.1f} million"


def _other(rng: random.Random, pool: Sequence[str], *exclude: object) -> str:
    return rng.choice([item for item in pool if item not in exclude])

# ---------------------------------------------------------------- shared context sentences
# Background sentences any report of a kind may carry (and a rewrite adds as its "context" paragraph).
# Keys: "agency:X", "province:X", "group:X", "national", "cyber".

_PADDING: dict[str, tuple[str, ...]] = {
    "agency:NACTA": (
        "NACTA was set up to coordinate the counter-terrorism work of federal and provincial institutions and "
        "keeps the national list of proscribed organisations and persons.",
        "NACTA works under the Ministry of Interior and is also tasked with watching over the implementation "
        "of the National Action Plan.",
        "Critics say NACTA has long struggled with staff shortages and with mandates that overlap those of "
        "other agencies.",
        "In recent years NACTA has turned more of its attention to countering extremist narratives on the "
        "internet.",
    ),
    "agency:FIA": (
        "The FIA is the main federal investigative body, dealing with crimes that range from human smuggling "
        "to cybercrime and money laundering.",
        "The FIA has in recent months been given additional staff to deal with a rise in financial crime.",
        "The FIA works under the interior ministry and has zonal offices in all the provincial capitals.",
        "Officials say the FIA's caseload has grown sharply in recent years while its staff has not kept pace.",
    ),
    "agency:PTA": (
        "The PTA regulates the telecom sector and is empowered by law to block online content it deems "
        "unlawful.",
        "Under the rules, the PTA can direct mobile operators to disconnect connections that do not meet "
        "verification requirements.",
        "Digital rights groups have in the past criticised the PTA for blocking websites without explaining "
        "its reasons.",
        "Mobile subscriptions in the country run into the hundreds of millions, according to data published "
        "by the PTA.",
    ),
    "agency:CTD": (
        "Provincial counter terrorism departments were strengthened after the National Action Plan was "
        "adopted and now run their own police stations and intelligence units.",
        "The CTD investigates terrorism cases and carries out intelligence-based operations across the "
        "province, often jointly with the intelligence agencies.",
        "Officials say the CTD's intelligence wing has been expanded to keep watch on sleeper cells in the "
        "cities.",
        "CTD personnel have themselves been the target of several attacks over the past year.",
    ),
    "agency:ISPR": (
        "The ISPR is the media wing of the armed forces and issues statements on military operations.",
        "Independent verification of the military's claims is difficult because journalists have limited "
        "access to the former tribal districts.",
        "Security forces have carried out a large number of intelligence-based operations in the province's "
        "southern districts over the past year.",
        "The military usually gives its account of operations in short statements that name the soldiers killed "
        "but say little about the militants.",
        "Militants rarely comment on the military's statements, though they sometimes dispute the death tolls on "
        "social media.",
        "Troops have been deployed in larger numbers in the border districts since the start of the year.",
    ),
    "agency:MOI": (
        "The Ministry of Interior oversees the civil armed forces and coordinates internal security with the "
        "provincial governments.",
        "The interior ministry is also responsible for notifying organisations as proscribed under the "
        "Anti-Terrorism Act.",
        "Provincial home departments report to the interior ministry on the movement of people placed under "
        "surveillance.",
    ),
    "agency:NADRA": (
        "NADRA maintains the biometric database of citizens that banks, telecom operators and government "
        "departments use for verification.",
        "NADRA's records are also used to check the identity of people buying SIMs or opening bank accounts.",
    ),
    "agency:SBP": (
        "The State Bank regulates the banking sector and issues directions to banks on anti-money laundering "
        "and terror-financing controls.",
        "Banks are required to report suspicious transactions to the Financial Monitoring Unit, which "
        "analyses them and passes leads on to law enforcement agencies.",
    ),
    "province:Punjab": (
        "Punjab has been relatively calm compared with Khyber Pakhtunkhwa, but officials warn that militant "
        "cells remain active in its cities.",
        "The province's southern districts have long worried security agencies because of their proximity to "
        "the tribal belt.",
        "Punjab police have set up additional checkpoints at the province's entry points after a rise in "
        "threat alerts.",
    ),
    "province:Sindh": (
        "Karachi has seen attacks on foreign nationals and security personnel, prompting tighter security "
        "across the city.",
        "Sindh's counter-terrorism officials have focused on sleeper cells in Karachi's outlying "
        "neighbourhoods.",
        "Officials in Sindh say militant groups have been trying to raise money through extortion in the "
        "province's cities.",
    ),
    "province:Khyber Pakhtunkhwa": (
        "Khyber Pakhtunkhwa has borne the brunt of the recent surge in militant violence, particularly in its "
        "southern districts.",
        "Police in Khyber Pakhtunkhwa have repeatedly been targeted in attacks on stations and checkpoints.",
        "The former tribal districts of Khyber Pakhtunkhwa border Afghanistan and have long been used by "
        "militants as hideouts.",
    ),
    "province:Balochistan": (
        "Balochistan has faced attacks by both separatist groups and religiously motivated militants.",
        "Security forces in Balochistan have been on high alert after a series of attacks on highways and "
        "development projects.",
        "The province's long border with Afghanistan and Iran makes it difficult to control the movement of "
        "militants.",
    ),
    "group:TTP": (
        "The TTP, an umbrella of militant factions, has stepped up attacks since it called off a ceasefire "
        "with the government.",
        "Officials accuse the TTP of operating from sanctuaries across the border, a charge the authorities in "
        "Kabul deny.",
        "The banned group has mostly targeted police and security forces in its recent campaign.",
    ),
    "group:Daesh": (
        "The regional chapter of Daesh, known as ISKP, has claimed several deadly attacks in the region, "
        "including on political gatherings.",
        "Officials say arrests have weakened Daesh's regional affiliate, but it can still carry out deadly "
        "attacks.",
        "Security officials regard ISKP as a smaller but more ruthless threat than other militant groups.",
    ),
    "group:BLA": (
        "The BLA is one of several separatist groups active in Balochistan and has attacked security forces and "
        "development projects.",
        "The separatist group has increasingly used suicide bombers in its attacks, according to security "
        "officials.",
    ),
    "national": (
        "Militant violence has risen in recent years, with police and soldiers bearing the brunt of the "
        "attacks.",
        "The government has said repeatedly that no group will be allowed to challenge the writ of the state.",
        "The National Action Plan, agreed by the political parties after a deadly school attack, remains the "
        "framework of counter-terrorism policy.",
        "Security analysts say better coordination between federal and provincial agencies is the key to "
        "preventing attacks.",
        "Officials say the number of threat alerts sent to the provinces has grown in recent months.",
        "Opposition lawmakers have demanded that parliament be briefed regularly on the security situation.",
        "Counter-terrorism spending has grown in recent budgets, with money set aside for new equipment and "
        "training.",
    ),
    "cyber": (
        "The FIA's cybercrime wing runs reporting centres in the major cities where citizens can lodge "
        "complaints in person.",
        "Under the Prevention of Electronic Crimes Act, the FIA has been the designated agency for "
        "investigating online offences.",
        "FIA officials say most complaints now concern financial fraud rather than hacking.",
        "The FIA has set up a separate unit to deal with complaints from women about online harassment.",
        "Digital payment services have grown quickly, and fraudsters have followed their users online.",
        "Rights groups say the cybercrime law is sometimes used against journalists and activists, a charge "
        "the government rejects.",
        "Complaints received by the cybercrime wing run into the tens of thousands every year, officials say.",
        "Banks have launched awareness campaigns warning customers never to share one-time passwords.",
        "Online fraud and blackmail cases have grown as criminals use social media and messaging apps to "
        "reach victims.",
        "Investigators say many gangs now operate from rented flats with little more than a few phones and "
        "a laptop.",
        "Experts say the low conviction rate in cybercrime cases encourages offenders.",
        "The government has promised to set up cybercrime courts in all provincial capitals.",
        "Many victims only learn that their identity documents were misused when they are contacted by the "
        "police.",
    ),
}

_UPDATE_NOTES = (
    "This story has been updated with additional details.",
    "This report has been updated with comments from officials.",
    "Adds details from the official statement.",
)
_CORRECTION = (
    "Correction: an earlier version of this report gave the number of {corr_label} as {corr_wrong}. The "
    "correct figure is {corr_right}.",
)
_BRIEF_CLOSERS = (
    "More details to follow.",
    "Further details are awaited.",
    "This is a developing story.",
    "Details to follow.",
)

# ---------------------------------------------------------------- kinds of report


@dataclass(frozen=True)
class _EventType:
    """One kind of report: how to invent its facts and the templates that write about them.

    ``roles`` maps a role to its templates; a role "name:variant" replaces "name" for events whose
    facts have that "variant". ``order`` is the usual order of roles in a first report, ``fu_order``
    in a follow-up. ``figure_labels`` names figures an outlet may get wrong and correct later.
    """

    name: str
    agency: str  # the agency the report is about, for "same agency" and "different agencies"
    headlines: tuple[str, ...]
    roles: Mapping[str, tuple[str, ...]]
    order: tuple[str, ...]
    briefs: tuple[str, ...]
    updates: tuple[str, ...]
    fu_headlines: tuple[str, ...]
    fu_roles: Mapping[str, tuple[str, ...]]
    fu_order: tuple[str, ...]
    figure_labels: Mapping[str, str]
    pads: tuple[str, ...]
    make_facts: Callable[[_World, date], Facts]
    make_followup_facts: Callable[[_World, date, Facts], Facts]
    other_event_same_day: bool  # whether two such events on one day are plausible


def _parent_facts(parent: Facts) -> Facts:
    return {f"p_{key}": value for key, value in parent.items()}

# ---------------------------------------------------------------- NACTA: online recruiters

_NACTA_VENUES = (
    ("a meeting of the Senate Standing Committee on Interior", "Senate panel"),
    ("a session of the National Assembly Standing Committee on Interior", "NA panel"),
    ("an in-camera briefing for the Senate Standing Committee on Interior", "senators"),
    ("a meeting of the National Assembly's Standing Committee on Interior", "lawmakers"),
)
_PERIODS = (
    "since January", "over the past four months", "in the last six months", "since the start of the year",
    "during the current fiscal year", "over the past year", "since the campaign began in the autumn",
)
_PLATFORMS = ("Telegram", "Facebook", "X", "TikTok", "YouTube", "Instagram", "WhatsApp")
_LANGUAGES = ("Urdu", "Pashto", "English", "Arabic", "Dari", "Sindhi", "Balochi")


def _nacta_facts(world: _World, day: date) -> Facts:
    rng = world.rng
    group = rng.choice(("Daesh", "Daesh", "TTP"))
    venue, venue_short = rng.choice(_NACTA_VENUES)
    return {
        **_date_facts(day),
        **_GROUPS[group],
        "group_key": group,
        "dateline": "ISLAMABAD",
        "coord": world.nacta_coordinator,
        "fia_dir": world.official(),
        "venue": venue,
        "venue_short": venue_short,
        "period": rng.choice(_PERIODS),
        "platforms": _join(rng.sample(_PLATFORMS[1:], 3)),
        "languages": _join(rng.sample(_LANGUAGES, 2)),
        "n_sites": rng.randint(600, 2600),
        "n_accounts": rng.randint(35, 420),
        "n_channels": rng.randint(12, 90),
        "n_referred": rng.randint(12, 60),
        "n_arrests": rng.randint(3, 11),
    }


def _nacta_followup_facts(world: _World, day: date, parent: Facts) -> Facts:
    rng = world.rng
    city1, city2 = rng.sample(_BIG_CITIES, 2)
    return {
        **{k: v for k, v in parent.items() if k.startswith("group")},
        **_date_facts(day),
        **_parent_facts(parent),
        "dateline": city1.upper(),
        "city1": city1,
        "city2": city2,
        "n_new": rng.randint(2, 8),
        "n_phones": rng.randint(4, 22),
        "n_new_sites": rng.randint(30, 260),
        "remand_days": rng.choice((3, 5, 7, 10, 14)),
        "fu_official": world.official(),
    }


_NACTA_ONLINE = _EventType(
    name="nacta_online",
    agency="NACTA",
    headlines=(
        "NACTA blocks {n_sites} web addresses in drive against {group_adj} recruiters",
        "Online recruitment: {n_sites} websites, {n_accounts} accounts taken down, NACTA tells {venue_short}",
        "Crackdown on online extremism: FIA gets {n_referred} cases from NACTA",
        "Militant recruiters moving to encrypted apps, NACTA warns",
        "{n_accounts} social media accounts of {group_adj} recruiters flagged",
    ),
    roles={
        "lead": (
            "The National Counter Terrorism Authority (NACTA) has blocked {n_sites} web addresses and reported "
            "at least {n_accounts} social media accounts used by {group_adj} recruiters to lure young people, "
            "officials told {venue} on {weekday}.",
            "Authorities have taken down more than {n_sites} websites and online links used to spread propaganda "
            "and find recruits for {group} {period}, according to figures the National Counter Terrorism "
            "Authority presented on {weekday}.",
            "A nationwide campaign against online recruitment by militant groups has led to the blocking of "
            "{n_sites} websites, the National Counter Terrorism Authority (NACTA) said on {weekday}, warning that "
            "recruiters for {group} were increasingly targeting students.",
            "Recruiters working for {group} are being pushed off the open internet, the counter-terrorism "
            "authority said on {weekday}, disclosing that {n_sites} web addresses had been blocked and "
            "{n_referred} cases handed to the Federal Investigation Agency {period}.",
        ),
        "sites": (
            "According to the details shared, the Pakistan Telecommunication Authority (PTA) blocked {n_sites} "
            "URLs at NACTA's request after they were found hosting extremist material, including videos, "
            "magazines and instructions for making explosives.",
            "The blocked content, spread over websites numbering {n_sites}, included translated sermons, "
            "propaganda videos and manuals, officials said, adding that the telecom regulator had acted on each "
            "request within days.",
            "Officials said the {n_sites} sites had been identified by a monitoring cell at NACTA and taken "
            "offline through the PTA, which has the legal power to block unlawful content.",
            "Of the material flagged, {n_sites} web addresses were blocked outright by the telecom regulator, "
            "while removal requests for the rest were sent to foreign platforms.",
        ),
        "accounts": (
            "In addition, at least {n_accounts} social media accounts and {n_channels} Telegram channels were "
            "reported to the companies concerned for running recruitment campaigns in {languages}.",
            "The authority also flagged {n_channels} channels on the messaging app Telegram and at least "
            "{n_accounts} accounts on {platforms}, many of which posted in {languages}.",
            "Recruiters were found operating {n_accounts} or more accounts across {platforms}, NACTA said, as well "
            "as {n_channels} encrypted chat groups where new members were vetted.",
            "Social media companies were asked to suspend no fewer than {n_accounts} accounts, while {n_channels} "
            "Telegram groups were identified as hubs of {group_adj} propaganda in {languages}.",
        ),
        "fia": (
            "NACTA has referred {n_referred} cases to the Federal Investigation Agency's cybercrime wing for "
            "legal action, and {n_arrests} suspects have been arrested so far.",
            "The Federal Investigation Agency (FIA) has received {n_referred} referrals from the authority for "
            "investigation under the cybercrime law, officials said, and its teams have taken {n_arrests} people "
            "into custody.",
            "Arrests have followed in some cases: {n_arrests} suspects are in FIA custody out of {n_referred} "
            "cases sent to the agency for investigation.",
            "Legal proceedings have begun in {n_referred} cases passed on to the FIA, which said its cybercrime "
            "teams had arrested {n_arrests} alleged online recruiters in different cities.",
        ),
        "quote_coord": (
            '"The recruiters have changed their methods. They no longer wait for young people to come to them; '
            'they go looking for them in gaming chats and comment sections," National Coordinator {coord} said.',
            "NACTA National Coordinator {coord} said militant recruiters had moved from open websites to closed "
            "groups and gaming platforms, where they approached teenagers directly.",
            '"Blocking a website is only the first step. We need parents, teachers and the platforms themselves '
            'to recognise the signs of grooming," said {coord}, who heads the authority.',
            "{coord}, the authority's national coordinator, told the meeting that blocking websites alone could "
            "not stop recruitment, and asked parents and teachers to watch for signs of radicalisation.",
        ),
        "quote_fia": (
            '"Every referral from NACTA is examined by a dedicated team, and where there is evidence we register '
            'a case without delay," said {fia_dir}, the director of the FIA\'s cybercrime wing.',
            "{fia_dir}, who heads the FIA's cybercrime wing, said a dedicated team examined each referral and "
            "cases were registered wherever evidence was found.",
            "Speaking on the occasion, {fia_dir} of the FIA said many of the suspects had used virtual private "
            "networks and foreign phone numbers to hide their identity.",
            '"Most of these people hide behind VPNs and foreign numbers, but they make mistakes, and that is how '
            'we trace them," {fia_dir} of the FIA told the members.',
        ),
        "method": (
            "Officials said recruiters usually made contact through public posts and then moved promising "
            "targets into private chats, where they shared sermons and, later, instructions.",
            "Radicalisation, according to the briefing, often began with grievances being exploited in comment "
            "threads before the conversation was shifted to encrypted messaging apps.",
            "Investigators have found that teenagers and young men were the main targets, and that contact was "
            "often made through online games and short-video apps rather than traditional websites.",
            "A large share of the material was produced in {languages}, the officials said, suggesting that "
            "recruiters tailored their message to particular regions.",
        ),
        "venue": (
            "The figures were shared during {venue}, which was also attended by officials of the Ministry of "
            "Interior and the telecom regulator.",
            "Lawmakers were given the details at {venue}, where members asked how many of the blocked sites had "
            "later reappeared under new addresses.",
            "Members of the committee questioned the officials about the time it took to block content once it "
            "had been flagged.",
            "The committee was told that a monitoring cell worked round the clock to identify extremist content.",
        ),
        "next": (
            "NACTA said it was negotiating with the major platforms to shorten the time taken to remove flagged "
            "content.",
            "Officials said a new reporting portal would allow citizens to flag extremist content directly to "
            "the authority.",
            "The authority plans to expand its monitoring cell and train provincial counter-terrorism "
            "departments in digital investigation, the meeting was told.",
            "Going forward, the authority intends to share lists of flagged accounts with the provincial CTDs so "
            "that local police can follow them up.",
        ),
        "context": (
            "Security officials have warned repeatedly that {group_short} uses online propaganda to make up for "
            "its losses on the ground.",
            "Militant groups have long used the internet to spread their message, but officials say the shift to "
            "encrypted apps has made monitoring much harder.",
            "The campaign is part of the National Action Plan, which calls for action against the use of the "
            "internet and social media for terrorism.",
            "Experts say removing content is a constant race, because blocked material often resurfaces within "
            "hours on mirror sites.",
        ),
        "platforms": (
            "Officials said the response of the social media companies had improved, although some requests "
            "were still pending after several weeks.",
            "The platforms acted on most of the requests, but the officials complained that accounts removed on "
            "one site often reappeared on another within days.",
            "Some companies were slow to respond to the authority's requests, members were told, particularly "
            "where the content was not in English.",
            "According to the briefing, the messaging apps were the hardest to deal with because their groups "
            "are closed and encrypted.",
        ),
        "students": (
            "NACTA said it had started awareness sessions at universities and colleges, where students were "
            "shown how recruiters build trust online.",
            "A programme for schools and universities is being prepared to teach students to recognise "
            "extremist material and report it.",
            "Officials said several of the young people approached by recruiters had been identified through "
            "tips from their own families.",
            "Teachers and campus administrations have been asked to report students who appear to be drifting "
            "towards extremist groups.",
        ),
        "history": (
            "The authority began its campaign against online propaganda after investigators found that several "
            "attackers had been radicalised over the internet.",
            "Previous campaigns focused mostly on websites, but officials said recruiters had since moved to "
            "social media and chat groups.",
            "NACTA's monitoring cell started with a small team but has since been expanded with analysts who "
            "speak regional languages.",
            "Officials acknowledged that earlier efforts had been hampered by the lack of a single body to "
            "coordinate requests to the platforms.",
        ),
    },
    order=(
        "lead", "sites", "accounts", "platforms", "fia", "quote_coord", "method", "students", "quote_fia", "venue",
        "history", "context", "next",
    ),
    briefs=(
        "NACTA says {n_sites} websites used by {group_adj} recruiters have been blocked {period}; at least "
        "{n_accounts} social media accounts reported. Lawmakers were briefed in Islamabad.",
        "{n_sites} web addresses linked to militant recruitment blocked, NACTA tells {venue_short} in Islamabad; "
        "{n_referred} cases sent to the FIA.",
        "Counter-terrorism authority: {n_sites} extremist websites blocked and {n_referred} cases referred to "
        "the FIA. Details were shared in Islamabad on {weekday}.",
        "In Islamabad, NACTA officials said {n_sites} websites had been blocked and {n_arrests} suspects "
        "arrested in the campaign against online recruiters.",
    ),
    updates=(
        "Later on {weekday}, NACTA said in a statement that parents could report suspected online grooming "
        "through its helpline.",
        "The Ministry of Interior later said it fully backed the authority's campaign.",
        "Officials later clarified that the figures covered only blocking requests sent by NACTA and not action "
        "taken by the PTA on its own.",
    ),
    fu_headlines=(
        "FIA arrests {n_new} over online recruitment for {group_short} after NACTA referrals",
        "Online recruiters: {n_new} held in {city1}, {city2} raids",
        "Crackdown on {group_adj} recruiters widens with fresh arrests",
    ),
    fu_roles={
        "lead": (
            "The Federal Investigation Agency (FIA) has arrested {n_new} suspects in {city1} and {city2} for "
            "allegedly recruiting young people online for {group}, days after the National Counter Terrorism "
            "Authority presented its figures on blocked websites.",
            "Raids in {city1} and {city2} have led to the arrest of {n_new} alleged online recruiters, the FIA "
            "said on {weekday}, in the first major action since NACTA briefed lawmakers on its campaign.",
            "Cybercrime teams of the Federal Investigation Agency picked up {n_new} people in {city1} and "
            "{city2} on {weekday}, accusing them of running recruitment chats for {group_short}.",
        ),
        "new1": (
            "Officials said {n_phones} mobile phones and several laptops holding propaganda material and chat "
            "records were seized during the raids.",
            "During the raids, investigators recovered {n_phones} phones, SIMs registered in other people's "
            "names and hard drives filled with videos.",
            "The teams seized {n_phones} smartphones which, according to the FIA, held chat logs with handlers "
            "based abroad.",
        ),
        "new2": (
            "Separately, the telecom regulator blocked another {n_new_sites} web addresses on {weekday}, "
            "according to an official of the authority.",
            "The Pakistan Telecommunication Authority also said it had taken down {n_new_sites} additional links "
            "flagged over the past two days.",
            "A further {n_new_sites} websites have been added to the block list, officials said.",
        ),
        "recap": (
            "NACTA had told {p_venue} that {p_n_sites} web addresses had been blocked and at least "
            "{p_n_accounts} social media accounts reported {p_period}.",
            "On {p_weekday}, the counter-terrorism authority disclosed that it had blocked {p_n_sites} websites "
            "used by militant recruiters.",
            "The arrests follow NACTA's disclosure that {p_n_referred} cases had been referred to the FIA.",
        ),
        "quote": (
            '"These arrests are the result of the referrals we received, and more are expected," FIA '
            "spokesperson {fu_official} said.",
            "FIA spokesperson {fu_official} said more arrests were expected as investigators went through the "
            "seized devices.",
            "According to {fu_official}, a spokesperson for the agency, the suspects had been in contact with at "
            "least one handler outside the country.",
        ),
        "court": (
            "The suspects were produced before a judicial magistrate, who sent them on {remand_days}-day "
            "physical remand.",
            "A cybercrime court granted the agency {remand_days} days of physical remand to question the "
            "suspects.",
            "Investigators obtained the {remand_days}-day remand of the accused from a local court on {weekday}.",
        ),
        "next": (
            "Officials said the investigation had been widened to trace the funding of the network.",
            "The FIA said it would share its findings with NACTA and the provincial counter-terrorism "
            "departments.",
            "Investigators are now examining whether the suspects had links with recruiters arrested in earlier "
            "operations.",
        ),
        "detail": (
            "Officials said the arrested men had run several chat groups with hundreds of members between them.",
            "Investigators said one of the suspects was a university student who had himself been recruited "
            "online.",
            "According to the FIA, the suspects shared propaganda videos and encouraged members to travel to "
            "the border areas.",
        ),
        "reaction": (
            "NACTA welcomed the arrests and said more referrals had been sent to the agency.",
            "The chairman of the Senate Standing Committee on Interior said the committee would seek a progress "
            "report at its next meeting.",
            "Digital rights activists urged the authorities to make sure the crackdown did not affect ordinary "
            "users.",
        ),
    },
    fu_order=("lead", "new1", "detail", "recap", "quote", "new2", "court", "reaction", "recap", "next"),
    figure_labels={
        "n_sites": "web addresses blocked",
        "n_accounts": "social media accounts reported",
        "n_channels": "Telegram channels flagged",
    },
    pads=("agency:NACTA", "agency:FIA", "agency:PTA", "national"),
    make_facts=_nacta_facts,
    make_followup_facts=_nacta_followup_facts,
    other_event_same_day=False,
)

# ---------------------------------------------------------------- PTA: SIM misuse

_PTA_VENUES = (
    "a meeting of the Senate Standing Committee on Information Technology and Telecommunication",
    "a session of the National Assembly Standing Committee on Interior",
    "a press briefing at the PTA headquarters in Islamabad",
    "a meeting with the cellular operators in Islamabad",
)
_PTA_TITLES = ("director general of enforcement", "director of cyber vigilance", "spokesperson", "member compliance")


def _pta_facts(world: _World, day: date) -> Facts:
    rng = world.rng
    city, city2 = rng.sample(_BIG_CITIES, 2)
    n_sims = rng.randint(110, 940) * 1000
    if rng.random() < 0.5:
        n_sims += rng.randint(1, 999)
    return {
        **_date_facts(day),
        "dateline": "ISLAMABAD",
        "city": city,
        "city2": city2,
        "period": rng.choice(_PERIODS),
        "venue": rng.choice(_PTA_VENUES),
        "pta_official": world.official(),
        "pta_title": rng.choice(_PTA_TITLES),
        "n_sims": n_sims,
        "n_ops": rng.randint(2100, 12500),
        "n_franchises": rng.randint(25, 260),
        "n_arrests": rng.randint(12, 90),
        "n_devices": rng.randint(40, 950),
        "n_prints": rng.randint(20, 400),
    }


def _pta_followup_facts(world: _World, day: date, parent: Facts) -> Facts:
    rng = world.rng
    city3 = _other(rng, _BIG_CITIES, parent["city"], parent["city2"])
    return {
        **_date_facts(day),
        **_parent_facts(parent),
        "dateline": city3.upper(),
        "city3": city3,
        "n_new_arrests": rng.randint(3, 15),
        "n_new_sims": rng.randint(5, 60) * 1000 + rng.randint(0, 999),
        "n_new_devices": rng.randint(10, 120),
        "remand_days": rng.choice((3, 5, 7, 10, 14)),
        "fu_official": world.official(),
    }


_PTA_SIMS = _EventType(
    name="pta_sims",
    agency="PTA",
    headlines=(
        "PTA blocks {n_sims} SIMs in crackdown on illegal connections",
        "SIM misuse: PTA data backed {n_ops} counter-terror operations",
        "Illegal SIM sales: {n_franchises} outlets raided, {n_arrests} held",
        "Telecom regulator tightens the noose around unverified SIMs",
        "{n_sims} SIMs issued on fake biometrics disconnected, says PTA",
    ),
    roles={
        "lead": (
            "The Pakistan Telecommunication Authority (PTA) has blocked {n_sims} SIMs issued through fake or "
            "stolen biometric data {period}, the authority said on {weekday}, as part of a drive to stop the use "
            "of unregistered connections in terrorism and fraud.",
            "More than {n_sims} mobile SIMs have been disconnected after they were found to have been issued "
            "illegally, the telecom regulator disclosed on {weekday}, adding that its data had supported {n_ops} "
            "counter-terrorism operations.",
            "Subscriber data shared by the Pakistan Telecommunication Authority helped law enforcement agencies "
            "carry out {n_ops} counter-terrorism operations {period}, officials said on {weekday} while giving "
            "details of a crackdown on SIM misuse.",
            "In one of its largest actions against illegal mobile connections, the telecom regulator said on "
            "{weekday} it had shut down {n_sims} SIMs and helped raid {n_franchises} sale points across the "
            "country.",
        ),
        "sims": (
            "The {n_sims} disconnected SIMs had been activated with fake fingerprints or the identity details of "
            "unsuspecting citizens, officials explained.",
            "According to the PTA, the SIMs, numbering {n_sims}, were identified through a data-matching exercise "
            "with NADRA that flagged connections whose owners' biometrics did not match the records.",
            "Many of the blocked SIMs were registered against the identity cards of dead people or of citizens "
            "who had never bought them, the regulator said, putting the total at {n_sims}.",
            "A review of subscriber records led to the disconnection of {n_sims} SIMs which, the authority said, "
            "were being sold in bulk to criminals and militants.",
        ),
        "ops": (
            "The authority said it had provided call data and subscriber details to security agencies in {n_ops} "
            "counter-terrorism operations during the same period.",
            "Law enforcement agencies were given technical support in as many as {n_ops} counter-terrorism "
            "operations, the officials said, including the tracing of phones used by suspects.",
            "In {n_ops} counter-terrorism operations, PTA data helped agencies locate suspects who had used "
            "illegally issued SIMs to stay in touch with their handlers, it was disclosed.",
            "Technical help extended to intelligence and police agencies covered {n_ops} operations against "
            "terrorists, according to the regulator.",
        ),
        "franchises": (
            "Joint teams of the PTA and the Federal Investigation Agency (FIA) raided {n_franchises} franchises and "
            "retail points in {city}, {city2} and other cities, arresting {n_arrests} people.",
            "In raids conducted with the FIA, {n_arrests} people were arrested at {n_franchises} illegal sale "
            "points, most of them in {city} and {city2}.",
            "The regulator said {n_franchises} outlets selling pre-activated SIMs had been raided with the help of "
            "the FIA, leading to {n_arrests} arrests, with the biggest operations carried out in {city}.",
            "Raids on {n_franchises} illegal sale points, carried out alongside the Federal Investigation Agency, "
            "resulted in the arrest of {n_arrests} suspects.",
        ),
        "devices": (
            "During the raids, {n_devices} biometric verification devices and {n_prints} silicone thumb "
            "impressions were seized.",
            "Teams recovered {n_prints} fake fingerprints made of silicone along with {n_devices} biometric "
            "devices used to activate SIMs illegally.",
            "Among the items seized were {n_devices} biometric machines and {n_prints} artificial thumb "
            "impressions, which officials said were used to fool the verification system.",
            "The recoveries included silicone thumb impressions numbering {n_prints} and {n_devices} biometric "
            "scanners.",
        ),
        "quote": (
            '"A SIM bought from the street without verification can end up in the hands of a terrorist or an '
            'extortionist. We will not allow that," said {pta_official}, the authority\'s {pta_title}.',
            "The PTA's {pta_title}, {pta_official}, said the authority would not let SIMs sold without "
            "verification end up with terrorists or extortionists.",
            '"We are now matching every new activation with NADRA\'s records in real time, so the loopholes that '
            'existed are being closed one by one," {pta_official} said.',
            "According to {pta_official}, new activations were now being matched against NADRA's records in real "
            "time, closing the loopholes criminals had exploited.",
        ),
        "nadra": (
            "The National Database and Registration Authority (NADRA) has been asked to alert citizens whose "
            "identity cards were misused to obtain SIMs.",
            "NADRA, which keeps the biometric records used for verification, is helping the regulator find cards "
            "against which an unusually high number of SIMs were issued.",
            "Officials said a joint mechanism with NADRA now let the regulator flag suspicious activations within "
            "hours rather than weeks.",
            "Coordination with the National Database and Registration Authority has been strengthened so that "
            "forged biometrics can be detected at the point of sale.",
        ),
        "advice": (
            "Citizens have been advised to check how many SIMs are registered against their identity card through "
            "the regulator's SMS service and to block any they do not recognise.",
            "The authority urged the public not to buy pre-activated SIMs and to report vendors offering "
            "connections without biometric verification.",
            "People who find unknown numbers registered in their name can have them blocked at a franchise of the "
            "operator concerned, the regulator said.",
            "The public was also asked to beware of anyone asking for fingerprints or copies of identity cards in "
            "return for free SIM offers.",
        ),
        "venue": (
            "The details were shared during {venue}.",
            "Officials presented the figures at {venue}, where they also answered questions about the role of the "
            "mobile operators.",
            "The briefing took place at {venue} and was attended by representatives of the cellular companies.",
            "The figures were part of a report presented at {venue}.",
        ),
        "context": (
            "Unregistered SIMs have long been used in extortion calls and to coordinate attacks, prompting "
            "repeated crackdowns.",
            "The issue came under scrutiny after investigators found that phones used in several attacks ran on "
            "SIMs registered to people with no link to the crimes.",
            "Mobile operators have been fined in the past for failing to follow verification rules, and the "
            "regulator says it will not hesitate to penalise them again.",
            "Biometric verification of SIMs was made mandatory years ago, but criminals have found ways around it, "
            "including silicone fingerprints.",
        ),
        "operators": (
            "Cellular companies have been told to re-verify customers who hold an unusually large number of "
            "connections.",
            "The operators were warned that franchises found selling SIMs without verification would lose their "
            "licences and that the companies themselves could be fined.",
            "Officials said the mobile operators had been asked to share the records of every SIM activated at "
            "the raided outlets.",
            "According to the regulator, the companies have been directed to block any SIM that fails "
            "re-verification by a set deadline.",
        ),
        "crimes": (
            "Investigators say illegally issued SIMs are often used to make extortion calls to traders and to "
            "run online fraud.",
            "Many of the blocked connections had been used in fraud calls in which callers posed as bank "
            "officials, officials said.",
            "Some of the SIMs were traced to militants, who used them to contact handlers and plan attacks, the "
            "briefing was told.",
            "Law enforcement agencies have long complained that criminals find it easy to buy SIMs registered "
            "in other people's names.",
        ),
        "process": (
            "The regulator explained that blocked users would receive a text message asking them to visit a "
            "franchise for biometric re-verification.",
            "Under the new procedure, a SIM is issued only after the buyer's fingerprints are matched live with "
            "NADRA's database at the counter.",
            "Officials said re-verification would continue for several months and more SIMs were likely to be "
            "blocked.",
            "The PTA said every activation now leaves a digital record that lets investigators trace which "
            "outlet issued a SIM.",
        ),
    },
    order=(
        "lead", "sims", "ops", "crimes", "franchises", "devices", "quote", "operators", "nadra", "process", "venue",
        "context", "advice",
    ),
    briefs=(
        "The telecom regulator has blocked {n_sims} SIMs issued on fake biometrics and raided {n_franchises} sale "
        "points in {city} and other cities with the FIA, officials said on {weekday}.",
        "PTA says {n_sims} illegally issued SIMs blocked {period}; raids in {city} and {city2} led to {n_arrests} "
        "arrests.",
        "{n_sims} SIMs disconnected in a crackdown on illegal connections, says PTA. Raids in {city} and {city2} "
        "led to {n_arrests} arrests.",
        "Telecom authority blocks {n_sims} SIMs registered through stolen fingerprints; {n_arrests} arrested in "
        "raids on sale points in {city} and elsewhere.",
    ),
    updates=(
        "Later on {weekday}, the PTA released a list of the cities where the largest number of illegal SIMs had "
        "been sold, with {city} at the top.",
        "In a statement issued after the briefing, the cellular operators said they were cooperating fully with "
        "the regulator.",
        "The authority later clarified that genuine users whose SIMs were blocked by mistake could have them "
        "restored after biometric re-verification.",
    ),
    fu_headlines=(
        "FIA arrests {n_new_arrests} more in illegal SIM case",
        "SIM crackdown: {n_new_sims} more connections blocked",
        "Franchise owners held in {city3} as SIM crackdown continues",
    ),
    fu_roles={
        "lead": (
            "The Federal Investigation Agency (FIA) arrested {n_new_arrests} more people, including franchise "
            "owners, in {city3} on {weekday} in the continuing crackdown on SIMs issued through fake biometrics.",
            "Another {n_new_sims} SIMs have been blocked and {n_new_arrests} suspects arrested, officials said on "
            "{weekday}, as the campaign against illegal mobile connections entered a new phase.",
            "A raid in {city3} on {weekday} led to the arrest of {n_new_arrests} people accused of selling "
            "pre-activated SIMs, days after the telecom regulator announced its crackdown.",
        ),
        "new1": (
            "Officials said {n_new_devices} biometric devices and a large number of silicone fingerprints were "
            "recovered from the premises.",
            "The raiding team seized {n_new_devices} biometric machines along with registers of sold connections.",
            "Investigators recovered {n_new_devices} devices used for biometric verification, which they said had "
            "been tampered with.",
        ),
        "new2": (
            "The regulator said a further {n_new_sims} connections had been blocked since its last update.",
            "The total number of blocked SIMs has grown by {n_new_sims}, according to the latest figures.",
            "In the latest round, {n_new_sims} more SIMs were disconnected after failing re-verification.",
        ),
        "recap": (
            "The PTA had announced on {p_weekday} that {p_n_sims} SIMs had been blocked {p_period}.",
            "Earlier, the regulator said its data had supported {p_n_ops} counter-terrorism operations.",
            "The arrests follow the raids on {p_n_franchises} sale points disclosed by the regulator earlier.",
        ),
        "quote": (
            '"The network was selling SIMs to anyone who paid extra, no questions asked," said FIA deputy '
            "director {fu_official}.",
            "FIA deputy director {fu_official} said the network had sold SIMs to anyone willing to pay extra "
            "without asking questions.",
            "According to {fu_official} of the FIA, some of the SIMs sold by the network had been traced to "
            "extortion calls.",
        ),
        "court": (
            "A magistrate granted the FIA {remand_days}-day physical remand of the suspects.",
            "The suspects were produced in court, which remanded them in the agency's custody for {remand_days} "
            "days.",
            "The accused will remain in FIA custody for {remand_days} days on the orders of a judicial magistrate.",
        ),
        "next": (
            "Officials said the cellular operators whose franchises were involved would also be asked to explain.",
            "The FIA said the investigation would be extended to other cities.",
            "The regulator said it would issue show-cause notices to the operators concerned.",
        ),
        "detail": (
            "Officials said the franchise had activated hundreds of SIMs a day, far more than its sales records "
            "showed.",
            "According to the FIA, the suspects had been selling SIMs to buyers in other provinces through "
            "middlemen.",
            "Investigators said records seized from the shop showed that the same identity cards had been used "
            "again and again.",
        ),
        "reaction": (
            "A representative of the cellular operators said the companies were cooperating with the "
            "investigation.",
            "Traders in the mobile market of {city3} said honest sellers were being hurt by the illegal trade.",
            "The PTA said it would publish updated figures at the end of the week.",
        ),
    },
    fu_order=("lead", "new1", "detail", "recap", "quote", "new2", "court", "reaction", "recap", "next"),
    figure_labels={
        "n_franchises": "sale points raided",
        "n_devices": "biometric devices seized",
        "n_prints": "silicone thumb impressions seized",
    },
    pads=("agency:PTA", "agency:NADRA", "agency:FIA", "national"),
    make_facts=_pta_facts,
    make_followup_facts=_pta_followup_facts,
    other_event_same_day=False,
)

# ---------------------------------------------------------------- CTD: raids

_CTD_TITLES = (
    "CTD's deputy inspector general for the region",
    "department's senior superintendent of police for operations",
    "additional inspector general of the CTD",
    "regional head of the department",
)
_HANDLER_PLACES = ("across the border", "in the Gulf", "in Afghanistan", "abroad", "in Kabul")


def _ctd_facts(world: _World, day: date) -> Facts:
    rng = world.rng
    province = rng.choice(("Punjab", "Punjab", "Sindh", "Khyber Pakhtunkhwa", "Balochistan"))
    return _ctd_facts_in(world, day, province)


def _ctd_facts_in(world: _World, day: date, province: str, *, not_city: str = "") -> Facts:
    rng = world.rng
    city = _other(rng, _PROVINCE_CITIES[province], not_city)
    group = rng.choice(("TTP", "TTP", "Daesh", "BLA") if province == "Balochistan" else ("TTP", "TTP", "Daesh"))
    n_arrested = rng.randint(2, 6)
    short = "KP" if province == "Khyber Pakhtunkhwa" else province
    return {
        **_date_facts(day),
        **_GROUPS[group],
        "group_key": group,
        "province": province,
        "dateline": city.upper(),
        "city": city,
        "ctd_long": f"the {province} Counter Terrorism Department (CTD)",
        "ctd_title": f"{short} CTD",
        "landmark": rng.choice(_LANDMARKS),
        "target": rng.choice(_TARGETS),
        "police_station": f"CTD police station in {city}",
        "n_arrested": n_arrested,
        "named": _join(world.people(n_arrested)),
        "explosives_kg": rng.randint(2, 28),
        "n_detonators": rng.randint(4, 40),
        "n_grenades": rng.randint(2, 12),
        "fuse_ft": rng.randint(10, 90),
        "handler_loc": rng.choice(_HANDLER_PLACES),
        "n_rounds": rng.randint(40, 600),
        "dig": world.official(),
        "dig_title": rng.choice(_CTD_TITLES),
        "n_week_ibos": rng.randint(40, 350),
        "n_week_arrests": rng.randint(10, 120),
    }


def _ctd_followup_facts(world: _World, day: date, parent: Facts) -> Facts:
    rng = world.rng
    province = str(parent["province"])
    city2 = _other(rng, _PROVINCE_CITIES[province], parent["city"])
    n_more = rng.randint(1, 4)
    court_city = str(parent["city"]) if rng.random() < 0.5 else _PROVINCE_CITIES[province][0]
    return {
        **_date_facts(day),
        **_parent_facts(parent),
        "dateline": court_city.upper(),
        "province": province,
        "group_key": parent["group_key"],
        "court_city": court_city,
        "city2": city2,
        "city3": _other(rng, _BIG_CITIES, parent["city"], city2),
        "remand_days": rng.choice((7, 10, 14, 15, 21, 30)),
        "n_more": n_more,
        "more_named": _join(world.people(n_more)),
        "n_new_grenades": rng.randint(2, 8),
        "handler_loc": rng.choice(_HANDLER_PLACES),
        "fu_official": world.official(),
    }


_CTD_RAID = _EventType(
    name="ctd_raid",
    agency="CTD",
    headlines=(
        "CTD arrests {n_arrested} suspected terrorists in {city}, foils attack plan",
        "{ctd_title} claims to have foiled terror plot, {n_arrested} held",
        "Explosives, detonators seized in {city} raid; {n_arrested} suspects arrested",
        "{n_arrested} alleged {group_member} militants held in {city}",
        "Terror bid foiled in {city} as CTD raids hideout",
    ),
    roles={
        "lead": (
            "{ctd_long} arrested {n_arrested} suspected terrorists in {city} on {weekday} and recovered explosives "
            "and weapons, foiling what officials described as a plan to attack {target}.",
            "A plan to attack {target} was foiled in {city} when counter-terrorism officials raided a hideout near "
            "{landmark} and arrested {n_arrested} suspects, the {ctd_title} said on {weekday}.",
            "Counter-terrorism officials in {province} said on {weekday} they had arrested {n_arrested} alleged "
            "members of {group} in an intelligence-based operation in {city} and seized {explosives_kg} "
            "kilograms of explosives.",
            "In an intelligence-based operation near {landmark} in {city}, {ctd_long} took {n_arrested} suspects "
            "into custody, officials said on {weekday}, claiming the men belonged to {group}.",
        ),
        "arrests": (
            "The arrested men were identified as {named}.",
            "According to the CTD, the suspects, {named}, had been under surveillance for several weeks.",
            "Officials named the detained men as {named} and said some of them had received training in "
            "Afghanistan.",
            "Those taken into custody were named as {named}; police said at least one of them had earlier been "
            "placed on the Fourth Schedule.",
        ),
        "recovery": (
            "Officials said {explosives_kg} kilograms of explosives, {n_detonators} detonators, {n_grenades} hand "
            "grenades and {fuse_ft} feet of safety fuse wire were recovered from the suspects.",
            "The raiding team seized explosive material weighing {explosives_kg} kg along with {n_detonators} "
            "detonators, {n_grenades} grenades and {n_rounds} rounds of ammunition.",
            "Recovered from the hideout were {n_grenades} grenades, {n_detonators} detonators and around "
            "{explosives_kg} kilograms of explosives, as well as pamphlets of the banned group.",
            "A search of the premises yielded {n_rounds} bullets, {n_grenades} hand grenades and {explosives_kg} kg "
            "of explosive material packed in plastic bags, the department said.",
        ),
        "target": (
            "Initial investigation suggested that the suspects were planning to target {target} in the coming "
            "days.",
            "The men had allegedly carried out reconnaissance of {target} and were waiting for instructions from "
            "their handlers, officials said.",
            "According to the CTD, the group intended to strike {target}, and the explosives had been moved to "
            "{city} a few days earlier.",
            "Investigators believe {target} was to be the cell's next target.",
        ),
        "intel": (
            "The operation was carried out jointly with an intelligence agency on a tip-off about the presence of "
            "militants near {landmark}.",
            "Acting on intelligence, a CTD team surrounded the house near {landmark} before dawn, and the suspects "
            "were arrested without resistance.",
            "Officials said the raid followed weeks of surveillance of the suspects' movements and phone contacts.",
            "The suspects opened fire on the raiding team but were overpowered, according to the department's "
            "account.",
        ),
        "case": (
            "A case has been registered at the {police_station} under the Anti-Terrorism Act, and the suspects "
            "have been shifted to an undisclosed location for interrogation.",
            "The CTD registered a first information report against the suspects at its police station in {city} "
            "and began questioning them.",
            "Cases under the Anti-Terrorism Act and the Explosive Substances Act have been lodged against the "
            "arrested men, officials said.",
            "The suspects are being interrogated and more arrests are expected, the department said, adding that "
            "an FIR had been lodged at the {police_station}.",
        ),
        "quote": (
            '"This was a well-organised cell with clear instructions, and its arrest has saved many lives," said '
            "{dig}, the {dig_title}.",
            "{dig}, the {dig_title}, said the cell had been well organised and had clear instructions, and that "
            "its arrest had saved many lives.",
            '"We had been following this network for some time and moved in when we were sure of the target," '
            "{dig} told reporters in {city}.",
            "Talking to reporters in {city}, {dig} said the network had been followed for some time and the team "
            "moved in once the target was confirmed.",
        ),
        "week": (
            "During the past week, the {ctd_title} conducted {n_week_ibos} intelligence-based operations across "
            "{province} and arrested {n_week_arrests} suspects, according to its weekly figures.",
            "The department has carried out {n_week_ibos} operations in {province} over the last seven days, in "
            "which {n_week_arrests} suspected militants were held.",
            "In a separate statement, the CTD said {n_week_arrests} suspects had been arrested in {n_week_ibos} "
            "intelligence-based operations in different districts of the province in the past week.",
            "Weekly data released by the department showed {n_week_ibos} operations and {n_week_arrests} arrests "
            "in {province}.",
        ),
        "appeal": (
            "The CTD urged citizens to report suspicious activity in their neighbourhoods to its helpline.",
            "Residents of the area were asked to tell the police about any tenants or visitors whose details had "
            "not been registered.",
            "Officials asked landlords to register their tenants with the local police, saying militants often "
            "rented houses under false names.",
            "The department said it would continue operations until the network's remaining members were caught.",
        ),
        "context": (
            "{province} has seen a rise in militant activity in recent months, with attacks on police and "
            "security forces.",
            "Intelligence-based operations have been intensified across the country after a series of attacks on "
            "law enforcement agencies.",
            "The arrests come amid a heightened threat alert for the major cities ahead of public gatherings.",
            "Counter-terrorism departments in all provinces have been given additional resources to track militant "
            "cells in urban areas.",
        ),
        "scene": (
            "Residents of the neighbourhood said they heard vehicles arrive before dawn and saw the area "
            "cordoned off for several hours.",
            "The house where the suspects were staying had been rented a few weeks earlier, according to "
            "neighbours, who said the men kept to themselves.",
            "Police cordoned off the area near {landmark} during the raid, and traffic was diverted for some "
            "time.",
            "A bomb disposal squad was called to the site to defuse the explosive material before it was moved.",
        ),
        "handlers": (
            "Investigators said the suspects had been receiving instructions and money from handlers "
            "{handler_loc}.",
            "The cell was allegedly in touch with commanders of {group_short} through encrypted messaging apps, "
            "officials said.",
            "According to the CTD, the suspects had been recruited online and later trained at a camp in the "
            "border areas.",
            "Officials said the arrested men were part of a larger network whose other members were being "
            "traced.",
        ),
        "previous": (
            "Officials said some members of the cell were also wanted in connection with earlier attacks on "
            "police in the province.",
            "The department believes the same network was behind a grenade attack in the region last year.",
            "One of the suspects, officials said, had been arrested in a terrorism case before and was released "
            "on bail.",
            "The CTD said the suspects had also been collecting extortion money from traders in {city}.",
        ),
    },
    order=(
        "lead", "arrests", "recovery", "scene", "target", "intel", "handlers", "quote", "previous", "case", "week",
        "context", "appeal",
    ),
    briefs=(
        "{ctd_title} arrests {n_arrested} suspected terrorists in {city}; {explosives_kg} kg of explosives and "
        "detonators seized. Officials say an attack on {target} was foiled.",
        "{n_arrested} suspected militants held in {city} raid; CTD says explosives and grenades recovered from the "
        "suspects, who allegedly belonged to {group_short}.",
        "Counter-terrorism officials raid a hideout near {landmark} in {city}, arrest {n_arrested} suspects and "
        "recover {explosives_kg} kilograms of explosives.",
        "CTD foils terror bid in {city}, arrests {n_arrested} with explosives and hand grenades on {weekday}.",
    ),
    updates=(
        "Later on {weekday}, the CTD released photographs of the recovered explosives and weapons, which were "
        "displayed at its office in {city}.",
        "The department later said the suspects had been handed over to a joint investigation team for further "
        "questioning.",
        "In a later statement, the {ctd_title} said more raids were being conducted in {city} to trace the "
        "suspects' facilitators.",
    ),
    fu_headlines=(
        "ATC hands {p_n_arrested} terror suspects to CTD on {remand_days}-day remand",
        "{n_more} more held as CTD widens probe into {p_city} cell",
        "Interrogation of {p_city} suspects leads to fresh arrests",
    ),
    fu_roles={
        "lead": (
            "An anti-terrorism court in {court_city} on {weekday} handed over the {p_n_arrested} suspects arrested "
            "in {p_city} on {p_weekday} to the Counter Terrorism Department on {remand_days}-day physical remand.",
            "The Counter Terrorism Department has arrested {n_more} more people linked to the cell busted in "
            "{p_city} on {p_weekday}, officials said, after an anti-terrorism court gave the department "
            "{remand_days} days to question the first group of suspects.",
            "Questioning of the suspects held in {p_city} has led the CTD to {n_more} more alleged members of the "
            "same network, the department said on {weekday}.",
        ),
        "new1": (
            "The new suspects, identified as {more_named}, were arrested in raids in {city2}, officials said.",
            "Officials said {more_named} had been picked up in {city2} on the basis of information provided by the "
            "earlier detainees.",
            "Those held in the latest raids in {city2} were named as {more_named}.",
        ),
        "new2": (
            "Investigators recovered {n_new_grenades} more hand grenades and a pistol from them.",
            "According to the CTD, the suspects revealed during questioning that they had received money through "
            "informal channels from handlers {handler_loc}.",
            "The detainees also told investigators that the explosives had been brought in from {city3}, "
            "officials said.",
        ),
        "recap": (
            "The suspects arrested earlier were allegedly carrying {p_explosives_kg} kilograms of explosives and "
            "{p_n_detonators} detonators when they were held near {p_landmark}.",
            "On {p_weekday}, the CTD had claimed to have foiled an attack on {p_target} with the arrest of "
            "{p_n_arrested} men in {p_city}.",
            "The department had earlier said {p_n_grenades} hand grenades were recovered from the first group of "
            "suspects.",
        ),
        "quote": (
            '"The network is bigger than we first thought, and the remand period will help us reach its '
            'financiers," said {fu_official}, a CTD spokesperson.',
            "CTD spokesperson {fu_official} said the network was bigger than first thought and investigators "
            "hoped to reach its financiers during the remand.",
            "Speaking to the media, {fu_official} of the CTD said the prosecution had presented evidence linking "
            "the suspects to earlier attacks.",
        ),
        "court": (
            "The suspects were produced before the anti-terrorism court with their faces covered, and the "
            "prosecution sought {remand_days} days of custody.",
            "The judge directed the department to produce the suspects again when the {remand_days}-day remand "
            "expires.",
            "Defence counsel opposed the remand request, but the court granted the CTD {remand_days} days.",
        ),
        "next": (
            "Officials said raids were continuing to trace other members of the network.",
            "The CTD has also written to the Ministry of Interior to place the suspects' names on the Exit Control "
            "List.",
            "A joint investigation team is expected to look into the network's links with earlier attacks.",
        ),
        "detail": (
            "Officials said the suspects had been moved to a high-security facility for the remand period.",
            "According to the prosecution, the suspects had confessed during initial questioning to planning "
            "the attack.",
            "The CTD told the court that forensic tests of the recovered explosives were under way.",
        ),
        "reaction": (
            "The provincial home minister praised the CTD for what was described as a timely operation.",
            "Security was beefed up around the court in {court_city} when the suspects were brought in.",
            "Relatives of some of the suspects gathered outside the court and said the men were innocent.",
        ),
    },
    fu_order=("lead", "new1", "recap", "new2", "detail", "quote", "court", "reaction", "recap", "next"),
    figure_labels={
        "explosives_kg": "kilograms of explosives recovered",
        "n_detonators": "detonators recovered",
        "n_rounds": "rounds of ammunition recovered",
    },
    pads=("agency:CTD", "national"),
    make_facts=_ctd_facts,
    make_followup_facts=_ctd_followup_facts,
    other_event_same_day=True,
)

# ---------------------------------------------------------------- FIA: cybercrime arrests

_CYBER_VARIANTS: dict[str, dict[str, str]] = {
    "blackmail": {
        "offence": "harassing and blackmailing women with doctored photographs",
        "offence_short": "online blackmail",
        "victims_noun": "women",
        "peca": "sections 20, 21 and 24 of the Prevention of Electronic Crimes Act (PECA), 2016",
    },
    "investment": {
        "offence": "cheating citizens through a fake investment app",
        "offence_short": "investment fraud",
        "victims_noun": "investors",
        "peca": "section 14 of PECA, 2016 and sections 419 and 420 of the Pakistan Penal Code",
    },
    "callcentre": {
        "offence": "running an illegal call centre that cheated foreign nationals",
        "offence_short": "call centre fraud",
        "victims_noun": "foreign nationals",
        "peca": "sections 13 and 14 of the Prevention of Electronic Crimes Act, 2016",
    },
    "loanapp": {
        "offence": "running illegal loan apps and harassing borrowers",
        "offence_short": "loan app harassment",
        "victims_noun": "borrowers",
        "peca": "sections 16, 20 and 24 of PECA, 2016 and the Money Lenders Ordinance",
    },
}
_FIA_TITLES = (
    "deputy director of the FIA's cybercrime reporting centre in {city}",
    "in-charge of the FIA Cybercrime Circle in {city}",
    "FIA's additional director for cybercrime in {city}",
)


def _cyber_facts(world: _World, day: date) -> Facts:
    return _cyber_facts_in(world, day, "")


def _cyber_facts_in(world: _World, day: date, not_city: str) -> Facts:
    rng = world.rng
    city = _other(rng, _BIG_CITIES, not_city)
    variant = rng.choice(tuple(_CYBER_VARIANTS))
    n_arrested = rng.randint(3, 7)
    big_money = variant in ("investment", "callcentre")
    return {
        **_date_facts(day),
        **_CYBER_VARIANTS[variant],
        "variant": variant,
        "dateline": city.upper(),
        "city": city,
        "suspect": world.person(),
        "age": rng.randint(21, 45),
        "n_arrested": n_arrested,
        "n_accomplices": n_arrested - 1,
        "n_victims": rng.randint(12, 140),
        "amount": _amount(rng, 8, 160) if big_money else _amount(rng, 0.8, 9),
        "n_phones": rng.randint(5, 30),
        "n_laptops": rng.randint(2, 12),
        "n_sims": rng.randint(12, 250),
        "officer": world.official(),
        "officer_title": rng.choice(_FIA_TITLES).format(city=city),
    }


def _cyber_followup_facts(world: _World, day: date, parent: Facts) -> Facts:
    rng = world.rng
    return {
        **_date_facts(day),
        **_parent_facts(parent),
        "dateline": str(parent["dateline"]),
        "remand_days": rng.choice((3, 4, 5, 7, 10, 14)),
        "n_new_victims": rng.randint(11, 60),
        "n_frozen": rng.randint(3, 25),
        "fu_official": world.official(),
    }


_FIA_CYBER = _EventType(
    name="fia_cyber",
    agency="FIA",
    headlines=(
        "FIA arrests {n_arrested} for {offence_short} in {city}",
        "{offence_short} gang busted in {city}, {n_victims} victims identified",
        "FIA cybercrime wing raids {city} hideout, seizes {n_phones} phones",
        "Suspects accused of {offence} arrested in {city}",
        "{city} raid: ring behind {offence_short} broken up, says FIA",
    ),
    roles={
        "lead": (
            "The Federal Investigation Agency (FIA) arrested {n_arrested} people in {city} on {weekday} for "
            "allegedly {offence}, officials said.",
            "A gang accused of {offence} has been broken up in {city}, the FIA's cybercrime wing said on "
            "{weekday}, with {n_arrested} suspects, including its alleged ringleader {suspect}, taken into custody.",
            "Cybercrime officials in {city} have arrested a {age}-year-old man, {suspect}, and {n_accomplices} "
            "alleged accomplices on charges of {offence}, the Federal Investigation Agency said on {weekday}.",
            "At least {n_victims} {victims_noun} fell prey to a network that the Federal Investigation Agency says "
            "it dismantled in {city} on {weekday} with the arrest of {n_arrested} suspects.",
        ),
        "arrest": (
            "The main suspect, {suspect}, was arrested at a rented house in {city} along with his accomplices, "
            "according to a statement.",
            "{suspect}, {age}, is alleged to have led the group, which operated from a rented flat in {city}.",
            "Officials said the alleged ringleader, {suspect}, had been on the agency's radar since a complaint "
            "was filed several months ago.",
            "The raid was led by {officer}, the {officer_title}, who said the suspects tried to delete data from "
            "their phones when the team arrived.",
        ),
        "method:blackmail": (
            "The suspects allegedly took pictures of women from their social media profiles, altered them and "
            "then demanded money by threatening to make them public.",
            "According to investigators, the gang created fake accounts in the victims' names and used doctored "
            "images to extort cash from them and their families.",
            "Victims were contacted through messaging apps and told that edited pictures would be sent to their "
            "relatives unless they paid.",
        ),
        "method:investment": (
            "The suspects allegedly ran a mobile application that promised daily profits on small investments, "
            "paying early investors out of the deposits of later ones.",
            "Investigators said the network advertised fake investment schemes on social media and vanished with "
            "the money once the deposits grew.",
            "People were lured with promises of doubling their money within weeks and asked to transfer funds to "
            "accounts opened on borrowed identity cards.",
        ),
        "method:callcentre": (
            "The suspects allegedly posed as customer support staff of foreign companies and persuaded callers to "
            "pay for fake services.",
            "Working through the night, the call centre's staff targeted people in Europe and North America with "
            "bogus technical support offers, investigators said.",
            "The call centre used internet calling software to hide its location and cheated callers with fake "
            "refund offers, the FIA said.",
        ),
        "method:loanapp": (
            "The suspects allegedly ran unregistered loan apps that gave small loans at exorbitant interest and then "
            "harassed borrowers and their contacts.",
            "Borrowers who missed payments were threatened, and abusive messages were sent to the contacts on their "
            "phones, investigators said.",
            "The apps, registered with no regulator, copied borrowers' contact lists and photographs, which were "
            "later used to shame them.",
        ),
        "victims": (
            "So far, {n_victims} {victims_noun} have been identified as victims, and the total amount involved is "
            "estimated at {amount}.",
            "Investigators have identified {n_victims} {victims_noun} who lost a combined {amount}, officials "
            "said.",
            "The FIA said the gang had obtained about {amount} from at least {n_victims} {victims_noun}.",
            "According to the agency, the number of affected {victims_noun} stands at {n_victims}, and more "
            "complaints are expected.",
        ),
        "recovery": (
            "During the raid, {n_phones} mobile phones, {n_laptops} laptops and {n_sims} SIMs were seized.",
            "The team recovered {n_laptops} laptops and {n_phones} phones containing evidence, along with {n_sims} "
            "SIMs registered in other people's names.",
            "Seized from the premises were {n_sims} SIMs, {n_phones} smartphones and {n_laptops} computers, which "
            "have been sent for forensic analysis.",
            "Devices recovered in the operation, including {n_phones} phones and {n_laptops} laptops, are being "
            "examined by forensic experts.",
        ),
        "case": (
            "A case has been registered under {peca}.",
            "The suspects have been booked under {peca}, and further investigation is under way.",
            "The FIA registered a case against the suspects under {peca} and will seek their physical remand.",
            "Officials said charges under {peca} had been filed against the arrested men.",
        ),
        "complaint": (
            "The action followed a complaint lodged with the FIA's cybercrime reporting centre in {city} by one "
            "of the victims.",
            "Investigators began tracing the suspects after several victims filed complaints through the agency's "
            "online portal.",
            "A technical analysis of bank transactions and phone numbers helped the agency locate the suspects, "
            "according to officials.",
            "The suspects were traced using call records and digital wallet transactions, the FIA said.",
        ),
        "quote": (
            '"People should never share personal information or money with unknown contacts online, no matter '
            'how convincing they sound," said {officer}, the {officer_title}.',
            "{officer}, the {officer_title}, urged citizens not to share personal information or money with "
            "strangers online.",
            '"We traced them through their digital footprints. Nobody is anonymous on the internet," {officer} '
            "told reporters.",
            "According to {officer}, the suspects were traced through their digital footprints, which showed that "
            "no one could stay anonymous online.",
        ),
        "advice": (
            "The FIA asked victims of similar crimes to report them through its cybercrime helpline or online "
            "complaint portal.",
            "Citizens have been advised to verify any investment or loan scheme before transferring money.",
            "The agency said victims should not pay blackmailers and should approach the nearest cybercrime "
            "reporting centre instead.",
            "Officials said complaints could be filed online and that the identity of complainants would be kept "
            "confidential.",
        ),
        "context": (
            "Cybercrime complaints have increased sharply as more people have started using smartphones and "
            "digital payments.",
            "The FIA's cybercrime wing has been criticised for delays in handling complaints, and officials say "
            "it is short of investigators and forensic staff.",
            "Many cases of online harassment go unreported because victims fear stigma, according to rights "
            "groups.",
            "Similar gangs have been busted in other cities this year, officials said.",
        ),
        "money": (
            "Investigators said the money collected from victims was moved through several bank accounts and "
            "mobile wallets before being withdrawn in cash.",
            "The payments were received in accounts opened on borrowed identity cards, which made them "
            "difficult to trace, officials said.",
            "According to the FIA, part of the money was converted into cryptocurrency and sent abroad.",
            "Officials said the suspects had used dozens of mobile wallet accounts to receive payments.",
        ),
        "victim": (
            "One of the complainants told investigators that the demands had continued even after several "
            "payments, which prompted the complaint.",
            "One victim told investigators that shame had kept the matter from the family at first.",
            "Several victims told the agency they had been too afraid to come forward until they heard that "
            "others had complained.",
            "According to a complaint seen by investigators, one victim had been contacted from more than a "
            "dozen different numbers.",
        ),
        "court": (
            "The suspects will be produced before a judicial magistrate for their physical remand, officials "
            "said.",
            "The FIA will seek the physical remand of the suspects when they are presented in court.",
            "Officials said the arrested men would be presented before a cybercrime court on the next working "
            "day.",
            "A court is expected to take up the agency's request for the suspects' remand shortly.",
        ),
    },
    order=(
        "lead", "arrest", "method", "victims", "money", "recovery", "complaint", "victim", "quote", "case", "court",
        "context", "advice",
    ),
    briefs=(
        "FIA arrests {n_arrested} in {city} for {offence}; {n_victims} victims identified so far.",
        "{city}: cybercrime wing busts gang involved in {offence_short}, arrests {n_arrested} including alleged "
        "ringleader {suspect}.",
        "The FIA has arrested {n_arrested} suspects in {city} accused of {offence}, officials said on {weekday}. "
        "Phones and laptops were seized.",
        "Gang accused of {offence_short} busted in {city}; {n_arrested} held and {n_phones} phones seized, FIA "
        "says.",
    ),
    updates=(
        "The FIA later said more victims had contacted the agency after news of the arrests spread.",
        "A spokesperson for the agency later said the suspects would be presented before a court on the next "
        "working day.",
        "Later on {weekday}, the FIA published a contact for people who believed they had been targeted by the "
        "same gang.",
    ),
    fu_headlines=(
        "Court remands {p_n_arrested} cybercrime suspects in FIA custody",
        "{n_new_victims} more victims come forward in {p_city} {p_offence_short} case",
        "FIA freezes {n_frozen} accounts linked to {p_city} gang",
    ),
    fu_roles={
        "lead": (
            "A judicial magistrate in {p_city} on {weekday} handed over the {p_n_arrested} suspects arrested for "
            "{p_offence} to the FIA on {remand_days}-day physical remand.",
            "As many as {n_new_victims} more people have come forward with complaints against the gang arrested "
            "in {p_city} for {p_offence}, the FIA said on {weekday}.",
            "The FIA has frozen {n_frozen} bank accounts and digital wallets linked to the suspects arrested in "
            "{p_city} on {p_weekday}, officials said.",
        ),
        "new1": (
            "The {n_new_victims} new complainants have given statements to investigators, officials said.",
            "Investigators said {n_new_victims} additional complaints had been received through the online portal "
            "since the arrests.",
            "The agency has received complaints from {n_new_victims} more people since the gang was busted, "
            "according to an official.",
        ),
        "new2": (
            "The agency has also frozen {n_frozen} accounts used to receive payments from victims.",
            "Banks were asked to freeze {n_frozen} accounts and mobile wallets that investigators said were used "
            "to move the money.",
            "Funds in {n_frozen} accounts linked to the gang have been frozen at the agency's request.",
        ),
        "recap": (
            "The FIA had arrested {p_n_arrested} suspects, including the alleged ringleader {p_suspect}, in a "
            "raid on {p_weekday}.",
            "The gang was earlier said to have targeted {p_n_victims} {p_victims_noun}.",
            "At the time of the arrests, officials put the amount involved at {p_amount}.",
        ),
        "quote": (
            '"We expect the number of victims to rise as more people realise what happened to them," said '
            "{fu_official}, an FIA spokesperson.",
            "FIA spokesperson {fu_official} said the number of victims was expected to rise as more people came "
            "forward.",
            "According to {fu_official}, the forensic analysis of the seized phones had revealed contacts with "
            "other suspects.",
        ),
        "court": (
            "The suspects were produced before the court, which gave the agency {remand_days} days to complete "
            "its investigation.",
            "The magistrate remanded the accused in FIA custody for {remand_days} days and directed investigators "
            "to submit a progress report.",
            "The court allowed the FIA to keep the suspects for {remand_days} days for questioning.",
        ),
        "next": (
            "Officials said further arrests could not be ruled out.",
            "The agency is also investigating whether the gang had links with similar networks in other cities.",
            "The FIA said it would ask the platforms concerned to remove content posted by the gang.",
        ),
        "detail": (
            "Officials said forensic experts had recovered deleted chats from the seized phones.",
            "According to the agency, the suspects had used more than one identity to open accounts.",
            "Investigators said some of the victims lived in other cities and had been contacted online.",
        ),
        "reaction": (
            "Rights activists welcomed the arrests and urged victims of online crime to report them without "
            "fear.",
            "A lawyer for one of the suspects said his client was innocent and had been falsely implicated.",
            "The FIA said victims who had not yet come forward could still file complaints.",
        ),
    },
    fu_order=("lead", "new1", "detail", "recap", "quote", "new2", "court", "reaction", "recap", "next"),
    figure_labels={
        "n_victims": "victims identified",
        "n_sims": "SIMs seized",
        "n_phones": "mobile phones seized",
    },
    pads=("agency:FIA", "cyber"),
    make_facts=_cyber_facts,
    make_followup_facts=_cyber_followup_facts,
    other_event_same_day=True,
)

# ---------------------------------------------------------------- ISPR: military operations


def _ispr_facts(world: _World, day: date) -> Facts:
    return _ispr_facts_in(world, day, "")


def _ispr_facts_in(world: _World, day: date, not_district: str) -> Facts:
    rng = world.rng
    district = _other(rng, tuple(_ISPR_DISTRICTS), not_district)
    province, areas = _ISPR_DISTRICTS[district]
    group = rng.choice(("TTP", "BLA")) if province == "Balochistan" else "TTP"
    n_killed = rng.randint(3, 16)
    n_martyred = rng.randint(2, 4)
    martyrs = [f"{rng.choice(_RANKS)} {name}" for name in world.people(n_martyred)]
    return {
        **_date_facts(day),
        **_GROUPS[group],
        "group_key": group,
        "province": province,
        "dateline": "RAWALPINDI",
        "district": district,
        "area": rng.choice(areas),
        "n_killed": n_killed,
        "n_martyred": n_martyred,
        "martyrs": _join(martyrs),
        "first_martyr": martyrs[0],
        "n_month_killed": n_killed + rng.randint(12, 70),
    }


def _ispr_followup_facts(world: _World, day: date, parent: Facts) -> Facts:
    rng = world.rng
    province = str(parent["province"])
    areas = _ISPR_DISTRICTS[str(parent["district"])][1]
    return {
        **_date_facts(day),
        **_parent_facts(parent),
        "dateline": "RAWALPINDI",
        "province": province,
        "group_key": parent["group_key"],
        "district": parent["district"],
        "area2": _other(rng, areas + ("the adjoining mountains",), parent["area"]),
        "garrison": rng.choice(_GARRISONS[province]),
        "n_more_killed": rng.randint(2, 8),
    }


_ISPR_OP = _EventType(
    name="ispr_op",
    agency="ISPR",
    headlines=(
        "{n_killed} terrorists killed in {district} operation: ISPR",
        "{n_martyred} soldiers martyred, {n_killed} terrorists killed in {district} IBO",
        "Security forces kill {n_killed} militants in {district}",
        "ISPR says {n_killed} khawarij killed in {area} clash",
        "Troops raid militant hideout in {district}; {n_martyred} soldiers martyred",
    ),
    roles={
        "lead": (
            "Security forces killed {n_killed} terrorists in an intelligence-based operation in {district} "
            "district, while {n_martyred} soldiers were martyred in the exchange of fire, the Inter-Services "
            "Public Relations (ISPR) said on {weekday}.",
            "At least {n_killed} militants were killed when troops raided a hideout in the {area} area of "
            "{district}, the military's media wing said on {weekday}, adding that {n_martyred} soldiers had lost "
            "their lives.",
            "According to a statement issued by the ISPR on {weekday}, {n_martyred} soldiers were martyred and "
            "{n_killed} terrorists killed in an operation in {district}.",
            "The military said on {weekday} it had killed {n_killed} khawarij in {district} in an operation "
            "launched on the reported presence of militants, losing {n_martyred} of its own soldiers.",
        ),
        "clash": (
            "During the operation, own troops effectively engaged the terrorists' location, and after an intense "
            "exchange of fire {n_killed} of them were killed, the ISPR statement said.",
            "According to the statement, the operation was launched on the reported presence of terrorists in "
            "the area, and a heavy exchange of fire followed.",
            "Troops surrounded a compound in {area} before dawn, and the militants opened fire when asked to "
            "surrender, a security official said.",
            "The exchange of fire lasted several hours, officials said, with the militants using a network of "
            "caves and compounds for cover.",
        ),
        "martyrs": (
            "The martyred soldiers were identified as {martyrs}.",
            "Those who embraced martyrdom were {martyrs}, the statement said.",
            "The ISPR named the soldiers who lost their lives as {martyrs}, saying they had fought gallantly.",
            "Among the soldiers killed were {martyrs}, who, the military said, fought bravely to the end.",
        ),
        "recovery": (
            "Weapons, ammunition and explosives were also recovered from the killed terrorists, who had remained "
            "actively involved in numerous terrorist activities in the area.",
            "A cache of arms, ammunition and explosives was recovered from the hideout after the operation.",
            "Troops recovered weapons and explosives from the site, including suicide vests and improvised "
            "explosive devices, according to officials.",
            "The recoveries included rifles, ammunition, hand grenades and material for making roadside bombs.",
        ),
        "sanitise": (
            "A sanitisation operation is being carried out to eliminate any other terrorists found in the area.",
            "Security forces were combing the area to clear it of any remaining militants, the statement added.",
            "A clearance operation was under way in {area} and nearby villages, officials said.",
            "The military said the area was being cleared and the operation would continue until the last "
            "militant was eliminated.",
        ),
        "involvement": (
            "The killed militants were involved in attacks on security forces and the killing of innocent "
            "civilians, according to the ISPR.",
            "Officials said the dead included commanders wanted for attacks on police stations and checkposts in "
            "{district}.",
            "The slain terrorists had been involved in target killings and extortion in the district, the "
            "statement said.",
            "Security officials said the group had been using the area to plan attacks on security forces and "
            "civilians.",
        ),
        "resolve": (
            '"The security forces of Pakistan are determined to wipe out the menace of terrorism, and such '
            'sacrifices of our brave soldiers further strengthen our resolve," the ISPR said.',
            "The ISPR said the security forces were determined to eliminate terrorism and that the sacrifices of "
            "soldiers strengthened their resolve.",
            "The military's media wing said the soldiers' sacrifices would not go in vain and operations against "
            "militants would continue.",
            '"Our soldiers have once again shown that they will pay any price to protect the people," a security '
            "official said on condition of anonymity.",
        ),
        "reaction": (
            "The prime minister paid tribute to the martyred soldiers and praised the security forces for the "
            "successful operation.",
            "Condemning the militants, the president said the nation stood with its armed forces.",
            "The chief minister of {province} expressed grief over the loss of lives and prayed for the martyred "
            "soldiers.",
            "Political leaders offered condolences to the families of the soldiers and praised the operation.",
        ),
        "month": (
            "This brings the number of militants killed in {district} this month to {n_month_killed}, according "
            "to figures compiled from military statements.",
            "So far this month, security forces have killed {n_month_killed} militants in the district, official "
            "statements show.",
            "According to a tally of ISPR statements, {n_month_killed} militants have been killed in {district} "
            "since the start of the month.",
            "The latest operation raised the month's toll of militants killed in {district} to {n_month_killed}.",
        ),
        "area": (
            "{district} has been the scene of frequent clashes between the security forces and militants in "
            "recent months.",
            "The {area} area lies close to the border and has long been used by militants to move in and out of "
            "the district.",
            "The district was cleared of militants in earlier military operations, but officials say small "
            "groups have since returned.",
            "Residents say the mountainous terrain around {area} makes it difficult to track the movement of "
            "militants.",
        ),
        "civilians": (
            "Local residents were asked to stay indoors while the operation was under way, officials said.",
            "There were no reports of civilian casualties, according to the officials.",
            "Residents of nearby villages said they heard heavy gunfire through the night.",
            "Officials said the operation was carried out with care to avoid harm to civilians living in the "
            "area.",
        ),
        "attacks": (
            "The operation came days after an attack on a police checkpost in the district left several "
            "personnel injured.",
            "Militants have stepped up attacks on the security forces in {district} in recent weeks, according "
            "to officials.",
            "The district has seen a series of targeted killings of police officials and tribal elders this "
            "year.",
            "Officials said the militants killed in the operation had recently crossed over from Afghanistan.",
        ),
    },
    order=(
        "lead", "clash", "martyrs", "civilians", "recovery", "involvement", "attacks", "sanitise", "resolve",
        "reaction", "area", "month",
    ),
    briefs=(
        "{n_killed} terrorists killed and {n_martyred} soldiers martyred in an operation in {district}, the ISPR "
        "says.",
        "Security forces kill {n_killed} militants in an intelligence-based operation in {district}; "
        "{n_martyred} soldiers martyred, according to the ISPR.",
        "ISPR: {n_killed} khawarij killed in {area}, {district}, and {n_martyred} soldiers embraced martyrdom "
        "during the exchange of fire.",
        "Troops raid a militant hideout in {district}, killing {n_killed}; the military says {n_martyred} "
        "soldiers lost their lives.",
    ),
    updates=(
        "The ISPR later released the names and hometowns of the martyred soldiers.",
        "Officials later said the bodies of the militants had been handed over to the local administration.",
        "In a subsequent statement, the military said the area had been cordoned off and movement restricted.",
    ),
    fu_headlines=(
        "Funeral prayers of {p_district} martyrs offered; {n_more_killed} more militants killed",
        "Follow-up operation in {district}: {n_more_killed} more terrorists killed",
        "Troops kill {n_more_killed} in {area2} after {p_district} clash",
    ),
    fu_roles={
        "lead": (
            "Security forces killed {n_more_killed} more militants in a follow-up operation in {area2}, "
            "{district}, on {weekday}, after an operation on {p_weekday} in which {p_n_martyred} soldiers were "
            "martyred.",
            "The funeral prayers of the soldiers martyred in {p_district} were offered at {garrison} on {weekday}, "
            "as troops continued to hunt down militants in the area and killed {n_more_killed} more.",
            "The ISPR said on {weekday} that {n_more_killed} terrorists had been killed in {area2} during the "
            "sanitisation operation that followed the clash in {p_district}.",
        ),
        "new1": (
            "The funeral was attended by senior military officers, civil officials and relatives of the soldiers, "
            "who were later buried in their home towns with full military honours.",
            "Senior officers laid wreaths on the coffins, which were then sent to the soldiers' home towns for "
            "burial.",
            "The soldiers were buried with full military honours in their native areas after the funeral prayers "
            "at {garrison}.",
        ),
        "new2": (
            "According to the military, {n_more_killed} militants were killed in the follow-up operation and a "
            "hideout used for making explosives was destroyed.",
            "The follow-up operation in {area2} resulted in the killing of {n_more_killed} terrorists, one of whom "
            "was a local commander, officials said.",
            "Troops engaged a group of militants trying to flee the area and killed {n_more_killed}, the statement "
            "said.",
        ),
        "recap": (
            "On {p_weekday}, the ISPR had said {p_n_killed} terrorists were killed in the initial operation in "
            "{p_area}.",
            "The earlier operation claimed the lives of {p_n_martyred} soldiers, including {p_first_martyr}.",
            "The earlier operation had left {p_n_killed} militants dead, according to the military.",
        ),
        "quote": (
            '"The nation will never forget the sacrifices of its sons," a senior officer said at the funeral.',
            "Speaking at the funeral, a senior military officer said the nation would always remember the "
            "sacrifices of its soldiers.",
            "The ISPR said the sacrifices of the soldiers had strengthened the resolve of the security forces to "
            "eliminate terrorism.",
        ),
        "security": (
            "Security was tightened across {district}, and additional checkpoints were set up on the main roads.",
            "A curfew was imposed in parts of {area2} during the operation, residents said.",
            "Mobile phone services were suspended in parts of the district as a precaution, officials said.",
        ),
        "next": (
            "Officials said the operation would continue until the area was cleared.",
            "The military said it would continue to pursue the militants who fled the area.",
            "Local elders have been asked to cooperate with the security forces, officials said.",
        ),
        "detail": (
            "The military said the follow-up operation was based on intelligence gathered during the earlier "
            "clash.",
            "According to security officials, the militants had tried to regroup in a nearby village.",
            "Officials said weapons and ammunition were also recovered from the militants killed in the latest "
            "operation.",
        ),
        "reaction": (
            "The provincial government announced compensation for the families of the martyred soldiers.",
            "Tribal elders of the area condemned the militants and pledged support for the security forces.",
            "The prime minister's office said the nation would never forget the sacrifices of the soldiers.",
        ),
    },
    fu_order=("lead", "new2", "detail", "recap", "new1", "quote", "security", "reaction", "recap", "next"),
    figure_labels={"n_month_killed": "militants killed in the district this month"},
    pads=("agency:ISPR", "national"),
    make_facts=_ispr_facts,
    make_followup_facts=_ispr_followup_facts,
    other_event_same_day=True,
)

# ---------------------------------------------------------------- FIA: terror financing and hawala

_HAWALA_SHOPS = (
    "a money exchange in the city's main bazaar", "a mobile phone shop in a commercial plaza",
    "a cloth shop in the old city", "a travel agency office", "a jewellery shop near the main market",
    "a general store used as a front",
)
_FIA_ZONE_TITLES = ("FIA's director for the {city} zone", "head of the FIA's anti-money laundering circle in {city}")


def _finance_facts(world: _World, day: date) -> Facts:
    return _finance_facts_in(world, day, "")


def _finance_facts_in(world: _World, day: date, not_city: str) -> Facts:
    rng = world.rng
    city = _other(rng, _BIG_CITIES, not_city)
    group = rng.choice(("TTP", "Daesh"))
    n_arrested = rng.randint(2, 5)
    return {
        **_date_facts(day),
        **_GROUPS[group],
        "group_key": group,
        "dateline": city.upper(),
        "city": city,
        "shop": rng.choice(_HAWALA_SHOPS),
        "n_arrested": n_arrested,
        "named": _join(world.people(n_arrested)),
        "amount": _amount(rng, 5.5, 180),
        "fx": f"${rng.randint(5, 250) * 1000 + rng.choice((0, 0, 500)):,}",
        "n_accounts": rng.randint(12, 320),
        "n_strs": rng.randint(30, 900),
        "officer": world.official(),
        "officer_title": rng.choice(_FIA_ZONE_TITLES).format(city=city),
    }


def _finance_followup_facts(world: _World, day: date, parent: Facts) -> Facts:
    rng = world.rng
    n_more = rng.randint(1, 3)
    city2 = _other(rng, _BIG_CITIES, parent["city"])
    return {
        **_date_facts(day),
        **_parent_facts(parent),
        "dateline": str(parent["dateline"]),
        "group_key": parent["group_key"],
        "city2": city2,
        "remand_days": rng.choice((3, 5, 7, 10, 14)),
        "n_more": n_more,
        "more_named": _join(world.people(n_more)),
        "n_more_accounts": rng.randint(10, 90),
        "fu_official": world.official(),
    }


_TERROR_FINANCE = _EventType(
    name="terror_finance",
    agency="FIA",
    headlines=(
        "FIA raids hawala network in {city}, seizes {amount}",
        "Terror financing: {n_arrested} held, {amount} and foreign currency recovered",
        "SBP orders freezing of {n_accounts} accounts linked to banned outfits",
        "Illegal money transfer ring busted in {city}",
        "Hawala dealers arrested in {city} over suspected links to {group_short}",
    ),
    roles={
        "lead": (
            "The Federal Investigation Agency (FIA) on {weekday} arrested {n_arrested} people in {city} accused "
            "of running an illegal money transfer network and recovered {amount} and foreign currency worth {fx}.",
            "An illegal hawala network suspected of moving money for {group} has been busted in {city}, the FIA "
            "said on {weekday}, with {n_arrested} arrests and the recovery of {amount} in cash.",
            "Cash amounting to {amount}, along with {fx} in foreign currency, was seized in a raid on {shop} in "
            "{city}, the Federal Investigation Agency said on {weekday}.",
            "Investigators tracking terror financing arrested {n_arrested} suspects in {city} on {weekday}, the "
            "FIA said, as the State Bank of Pakistan ordered banks to freeze {n_accounts} accounts.",
        ),
        "seizure": (
            "Officials said {amount} in Pakistani currency and {fx} in dollars and riyals were recovered during the "
            "raid, along with ledgers and receipts.",
            "The raid on {shop} yielded cash of {amount}, foreign currency equivalent to {fx} and registers "
            "recording transactions worth millions.",
            "Along with the cash, investigators seized mobile phones, ledgers and foreign currency worth {fx}, the "
            "agency said.",
            "Currency notes worth {amount} were found hidden in a locker at the premises, according to the raiding "
            "team.",
        ),
        "arrests": (
            "The arrested suspects were identified as {named}.",
            "Among those arrested were {named}, who, officials said, ran the network from {shop}.",
            "Officials named the suspects as {named}, adding that they had been under watch for months.",
            "The FIA said {named} had been handling transfers for clients in the Gulf and Afghanistan.",
        ),
        "method": (
            "According to investigators, the network moved money abroad and within the country without using the "
            "banking system, charging a commission on every transaction.",
            "The suspects allegedly collected cash from clients and arranged payment at the other end through "
            "their contacts, leaving no trace in official records.",
            "Hawala, the informal transfer of money through trusted dealers, is illegal in Pakistan and is often "
            "used to avoid taxes or to finance crime, officials said.",
            "Investigators said the ledgers showed payments to people in areas where militant groups are active.",
        ),
        "accounts": (
            "Separately, the State Bank of Pakistan directed banks to freeze {n_accounts} accounts belonging to "
            "people listed under the Fourth Schedule of the Anti-Terrorism Act.",
            "The State Bank has also ordered the freezing of {n_accounts} accounts linked to proscribed persons, "
            "officials said.",
            "On the basis of {n_strs} suspicious transaction reports from banks, the Financial Monitoring Unit "
            "shared intelligence with the FIA that led to the action.",
            "Banks filed {n_strs} suspicious transaction reports about the network, according to the Financial "
            "Monitoring Unit, which flagged them to investigators.",
        ),
        "case": (
            "A case has been registered under the Foreign Exchange Regulation Act, 1947 and the Anti-Money "
            "Laundering Act, 2010.",
            "The suspects have been charged under the foreign exchange and anti-money laundering laws, and "
            "investigators are also examining terror-financing provisions.",
            "The FIA said cases had been registered against the suspects and the recovered money deposited as "
            "case property.",
            "The agency has registered a case and will seek the suspects' physical remand from a court.",
        ),
        "link": (
            "Officials said some of the transactions were suspected to be linked to {group}.",
            "Investigators are examining whether the network moved funds for {group}, officials said.",
            "Part of the money, officials suspect, was meant for the families of militants associated with "
            "{group_short}.",
            "The FIA suspects that the network was used to transfer funds to members of {group}.",
        ),
        "quote": (
            '"Terror financing is the oxygen of terrorism, and we are determined to cut it off," said {officer}, '
            "the {officer_title}.",
            "{officer}, the {officer_title}, said the agency was determined to cut off the financing that kept "
            "militant networks alive.",
            '"Every rupee moved outside the banking system is a risk to national security," {officer} told '
            "reporters.",
            "Speaking to reporters, {officer} said any money moved outside the banking system posed a risk to "
            "national security.",
        ),
        "context": (
            "Pakistan has stepped up action against terror financing and illegal money transfers in recent years "
            "under pressure to meet international standards.",
            "Authorities say curbing informal money transfers is key to stopping the flow of funds to militant "
            "groups.",
            "Exchange companies and hawala dealers have come under growing scrutiny amid pressure on the rupee.",
            "The government has encouraged overseas Pakistanis to send remittances through banks, offering "
            "incentives to move transfers away from hawala.",
        ),
        "trail": (
            "The ledgers recovered in the raid recorded transfers to several cities in the country and abroad, "
            "officials said.",
            "Investigators said they were examining the suspects' phone records to identify the people who sent "
            "and received money.",
            "Officials said the network used code words in its ledgers to hide the names of its clients.",
            "According to the FIA, the suspects had moved large sums over the past year without a licence.",
        ),
        "exchange": (
            "Exchange companies may deal in foreign currency only through licensed outlets, and unlicensed "
            "dealers face heavy penalties.",
            "The State Bank has tightened the rules for exchange companies, requiring them to record the "
            "identity of every customer.",
            "Officials said the crackdown on illegal dealers had narrowed the gap between the open market and "
            "interbank rates.",
            "Licensed exchange companies have welcomed the action, saying illegal dealers had undercut them for "
            "years.",
        ),
        "court": (
            "The suspects will be produced before a court for their physical remand, officials said.",
            "The FIA said it would seek the suspects' remand to question them about the network's clients.",
            "The arrested men are expected to be presented before a judicial magistrate on the next working "
            "day.",
            "Officials said the suspects would be questioned about the source of the money once their remand "
            "was obtained.",
        ),
    },
    order=(
        "lead", "seizure", "arrests", "method", "trail", "link", "accounts", "quote", "exchange", "case", "court",
        "context",
    ),
    briefs=(
        "FIA busts hawala network in {city}, arrests {n_arrested} and recovers {amount} in cash.",
        "{amount} and foreign currency seized in raid on illegal money changers in {city}; {n_arrested} suspects "
        "held.",
        "Terror financing probe: FIA arrests {n_arrested} in {city}, says the network moved money outside the "
        "banks. {amount} recovered.",
        "Hawala dealers held in {city}: FIA recovers {amount} and foreign currency worth {fx}.",
    ),
    updates=(
        "The FIA later said the seized ledgers were being examined to identify the network's clients.",
        "A spokesperson for the agency later added that the State Bank had been asked for details of the "
        "suspects' accounts.",
        "Later on {weekday}, the agency said the suspects would be produced in court on the next working day.",
    ),
    fu_headlines=(
        "Hawala case: {p_n_arrested} suspects remanded in FIA custody",
        "FIA freezes {n_more_accounts} more accounts in {p_city} hawala probe",
        "More arrests in {p_city} hawala network case",
    ),
    fu_roles={
        "lead": (
            "A court in {p_city} on {weekday} granted the FIA {remand_days}-day physical remand of the "
            "{p_n_arrested} suspects arrested for running a hawala network.",
            "The FIA has frozen {n_more_accounts} more bank accounts linked to the hawala network busted in "
            "{p_city}, officials said on {weekday}.",
            "Investigators probing the {p_city} hawala network have arrested {n_more} more suspects in {city2}, "
            "the FIA said on {weekday}.",
        ),
        "new1": (
            "The new suspects, {more_named}, were picked up in {city2} on information provided by the earlier "
            "detainees.",
            "Officials said {more_named} had acted as the network's agents in {city2}.",
            "Those arrested in {city2} were identified as {more_named}.",
        ),
        "new2": (
            "The agency said {n_more_accounts} accounts linked to the suspects had been frozen at its request.",
            "Banks have frozen {n_more_accounts} accounts used by the network, according to the FIA.",
            "Funds in {n_more_accounts} accounts are now frozen, officials said.",
        ),
        "recap": (
            "The FIA had recovered {p_amount} and foreign currency worth {p_fx} in the original raid on "
            "{p_weekday}.",
            "The suspects were arrested earlier with cash amounting to {p_amount}.",
            "The raid in {p_city} had led to {p_n_arrested} arrests and the recovery of ledgers recording "
            "transactions with the Gulf and Afghanistan.",
        ),
        "quote": (
            '"The ledgers are giving us the names of the people who used this network, and we will reach all of '
            'them," said {fu_official} of the FIA.',
            "FIA official {fu_official} said the ledgers had given investigators the names of the network's "
            "clients.",
            "According to {fu_official}, the suspects had been transferring money for years.",
        ),
        "court": (
            "The suspects were produced before a judicial magistrate, who allowed the agency {remand_days} days "
            "for questioning.",
            "The court granted {remand_days} days of physical remand, rejecting a bail plea filed by the defence.",
            "The accused were remanded in FIA custody for {remand_days} days.",
        ),
        "next": (
            "The FIA said it had sought the records of the suspects' phones and bank accounts.",
            "Officials said the investigation had been widened to other cities.",
            "The agency is also in contact with the State Bank to trace transactions by the network's clients.",
        ),
        "detail": (
            "Investigators said the ledgers recovered earlier contained the names of hundreds of clients.",
            "According to the FIA, the new suspects had collected cash from clients in {city2} and passed it on "
            "to the main dealers.",
            "Officials said the agency had asked the State Bank for the account details of the network's "
            "regular clients.",
        ),
        "reaction": (
            "Licensed exchange companies welcomed the action and asked for more raids on illegal dealers.",
            "A defence lawyer said the suspects were ordinary traders and had nothing to do with terror "
            "financing.",
            "The FIA said the investigation had so far found no link between the network and any bank employee.",
        ),
    },
    fu_order=("lead", "new1", "detail", "recap", "new2", "quote", "court", "reaction", "recap", "next"),
    figure_labels={
        "n_accounts": "accounts frozen",
        "n_strs": "suspicious transaction reports",
    },
    pads=("agency:FIA", "agency:SBP", "national"),
    make_facts=_finance_facts,
    make_followup_facts=_finance_followup_facts,
    other_event_same_day=True,
)

# ---------------------------------------------------------------- Interior ministry: curbs on listed persons

_MOI_VENUES = (
    "a meeting on internal security in Islamabad",
    "a meeting of the national committee on the National Action Plan",
    "a session of the Senate Standing Committee on Interior",
    "a briefing at the Ministry of Interior",
)


def _moi_facts(world: _World, day: date) -> Facts:
    rng = world.rng
    n_cnics = rng.randint(900, 6500)
    return {
        **_date_facts(day),
        "dateline": "ISLAMABAD",
        "minister": world.interior_minister,
        "nadra_official": world.official(),
        "venue": rng.choice(_MOI_VENUES),
        "n_cnics": n_cnics,
        "n_kp": round(n_cnics * rng.uniform(0.33, 0.45)),
        "n_punjab": round(n_cnics * rng.uniform(0.2, 0.3)),
        "n_passports": rng.randint(150, 1400),
        "n_accounts": rng.randint(800, 4800),
        "n_licences": rng.randint(120, 950),
    }


def _moi_followup_facts(world: _World, day: date, parent: Facts) -> Facts:
    rng = world.rng
    return {
        **_date_facts(day),
        **_parent_facts(parent),
        "dateline": "ISLAMABAD",
        "n_cleared": rng.randint(40, 400),
        "n_new_listed": rng.randint(50, 600),
        "fu_official": world.official(),
    }


_MOI_CURBS = _EventType(
    name="moi_curbs",
    agency="Ministry of Interior",
    headlines=(
        "CNICs of {n_cnics} Fourth Schedule persons blocked",
        "Curbs on proscribed persons tightened: {n_passports} passports cancelled",
        "Interior ministry orders blocking of {n_cnics} identity cards",
        "Proscribed persons face travel and banking curbs, says interior minister",
        "NADRA blocks {n_cnics} CNICs on interior ministry's orders",
    ),
    roles={
        "lead": (
            "The Ministry of Interior has directed the National Database and Registration Authority (NADRA) to "
            "block the computerised national identity cards (CNICs) of {n_cnics} people placed on the Fourth "
            "Schedule of the Anti-Terrorism Act, officials said on {weekday}.",
            "Identity cards of {n_cnics} people linked to proscribed organisations have been blocked and the "
            "passports of {n_passports} of them cancelled, Interior Minister {minister} said on {weekday}.",
            "In a fresh crackdown on members of banned outfits, the government on {weekday} blocked {n_cnics} "
            "CNICs and ordered the cancellation of {n_licences} arms licences held by people on the Fourth "
            "Schedule.",
            "People on the Fourth Schedule will no longer be able to open bank accounts, travel abroad or hold arms "
            "licences, Interior Minister {minister} said on {weekday}, disclosing that the CNICs of {n_cnics} such "
            "persons had been blocked.",
        ),
        "cnics": (
            "Officials said {n_cnics} CNICs had been blocked so far, the largest number of them, {n_kp}, belonging "
            "to residents of Khyber Pakhtunkhwa, followed by {n_punjab} in Punjab.",
            "Of the {n_cnics} blocked identity cards, {n_kp} belong to people in Khyber Pakhtunkhwa and {n_punjab} "
            "to people in Punjab, according to the ministry.",
            "A province-wise breakdown showed {n_punjab} blocked CNICs in Punjab and {n_kp} in Khyber "
            "Pakhtunkhwa, out of a total of {n_cnics}.",
            "Khyber Pakhtunkhwa accounts for {n_kp} of the blocked cards and Punjab for {n_punjab}, officials said.",
        ),
        "passports": (
            "The passports of {n_passports} people have also been cancelled and their names placed on the "
            "Passport Control List.",
            "In addition, {n_passports} individuals have been barred from travelling abroad through the Passport "
            "Control List.",
            "The Directorate General of Immigration and Passports has been told to cancel {n_passports} passports "
            "held by listed persons.",
            "Travel curbs have been imposed on {n_passports} people, whose passports now stand cancelled, "
            "according to the ministry.",
        ),
        "accounts": (
            "The State Bank of Pakistan has frozen {n_accounts} bank accounts of people on the list, officials "
            "said.",
            "Banks have been directed by the State Bank to freeze {n_accounts} accounts belonging to listed "
            "persons.",
            "Financial curbs include the freezing of {n_accounts} bank accounts, the ministry said.",
            "As many as {n_accounts} bank accounts have been frozen under the same policy.",
        ),
        "licences": (
            "Provincial governments have cancelled {n_licences} arms licences issued to people on the Fourth "
            "Schedule.",
            "The ministry also revoked {n_licences} arms licences, saying people on the list could not legally hold "
            "weapons.",
            "Arms licences numbering {n_licences} have been cancelled, officials added.",
            "A total of {n_licences} arms licences held by listed persons stand revoked.",
        ),
        "quote": (
            '"Those who are on the Fourth Schedule cannot enjoy the same privileges as law-abiding citizens until '
            'they are cleared," Interior Minister {minister} said.',
            "Interior Minister {minister} said people on the Fourth Schedule could not enjoy the privileges of "
            "law-abiding citizens until they were cleared.",
            '"This is not about punishing anyone. It is about making sure that people linked to terrorism cannot '
            'move money or travel freely," {minister} said.',
            "According to {minister}, the aim was not to punish anyone but to stop people linked to terrorism from "
            "moving money or travelling freely.",
        ),
        "nadra": (
            "NADRA officials said the blocked cards would be restored if the names were removed from the list after "
            "a review.",
            "A NADRA official, {nadra_official}, said the authority had linked its database to the ministry's list "
            "so that blocked cards could not be used for any verification.",
            "NADRA said citizens whose cards had been blocked by mistake could apply for a review through the "
            "ministry.",
            "The blocked CNICs will now fail verification at banks, mobile operators and passport offices, "
            "{nadra_official} of NADRA said.",
        ),
        "venue": (
            "The decisions were taken at {venue}.",
            "The figures were presented during {venue}, which was attended by provincial home secretaries and "
            "heads of law enforcement agencies.",
            "Officials shared the details at {venue}, where progress on the National Action Plan was reviewed.",
            "The matter came up at {venue}.",
        ),
        "next": (
            "The ministry said the list would be reviewed every quarter to remove people who were no longer "
            "considered a threat.",
            "Provincial home departments have been asked to update the list and share it with NACTA, which keeps "
            "the national database of proscribed persons.",
            "Officials said a mechanism was being developed to let listed persons appeal against the curbs.",
            "The ministry will also ask mobile operators to block SIMs registered against the blocked CNICs, "
            "officials said.",
        ),
        "context": (
            "The Fourth Schedule of the Anti-Terrorism Act allows the government to monitor people suspected of "
            "links with terrorism and to restrict their movement.",
            "Rights activists argue that some people remain on the list for years without any charge, a claim the "
            "government denies.",
            "Curbs on people linked to banned outfits are part of the National Action Plan.",
            "Security officials say people on the list are often involved in fundraising and recruitment for "
            "militant groups.",
        ),
        "schedule": (
            "People on the Fourth Schedule must inform the police before leaving their district and report "
            "regularly to the local police station.",
            "Inclusion in the Fourth Schedule is recommended by the provincial home departments and approved on "
            "the basis of intelligence reports.",
            "Those on the list must also furnish surety bonds and are barred from certain public activities, "
            "officials explained.",
            "Names are placed on the list when the authorities have reason to believe that a person is linked "
            "with a proscribed organisation.",
        ),
        "provinces": (
            "Provincial governments have been asked to make sure the curbs are enforced by the police and "
            "district administrations.",
            "The chief secretaries of all provinces have been told to report on implementation within a "
            "fortnight.",
            "Officials said coordination with the provinces had improved since the introduction of a shared "
            "database.",
            "The provincial police will verify the addresses of listed persons and update their records, the "
            "ministry said.",
        ),
        "criticism": (
            "Rights groups have criticised the blocking of identity cards, saying it also hurts family members "
            "who depend on the listed persons.",
            "Some lawmakers questioned whether the list was reviewed often enough to remove people who posed no "
            "threat.",
            "Critics say blocking identity cards can push people out of the formal economy without making the "
            "country any safer.",
            "Lawyers representing listed persons argue that the curbs are imposed without giving them a "
            "hearing.",
        ),
    },
    order=(
        "lead", "cnics", "passports", "accounts", "schedule", "quote", "licences", "nadra", "provinces", "venue",
        "criticism", "context", "next",
    ),
    briefs=(
        "The interior ministry has told NADRA to block {n_cnics} CNICs of Fourth Schedule persons, and the "
        "passports of {n_passports} have been cancelled, officials said in Islamabad.",
        "The government has blocked {n_cnics} identity cards of people on the Fourth Schedule, Interior Minister "
        "{minister} said in Islamabad on {weekday}.",
        "{n_cnics} CNICs blocked and {n_licences} arms licences cancelled in a crackdown on proscribed persons, "
        "the interior ministry told a meeting in Islamabad.",
        "CNICs of {n_cnics} listed persons blocked by NADRA on the ministry's directive, with Khyber Pakhtunkhwa "
        "topping the list at {n_kp}. The decision was taken in Islamabad.",
    ),
    updates=(
        "The ministry later issued a notification formally conveying the decision to NADRA and the provincial "
        "governments.",
        "NADRA later confirmed that the cards had been blocked in its system.",
        "Later on {weekday}, the ministry said the list had been shared with the State Bank and the Federal "
        "Investigation Agency.",
    ),
    fu_headlines=(
        "{n_cleared} names removed from Fourth Schedule after review",
        "Interior ministry adds {n_new_listed} more to Fourth Schedule",
        "Fourth Schedule review: {n_cleared} cleared, {n_new_listed} added",
    ),
    fu_roles={
        "lead": (
            "The Ministry of Interior has removed {n_cleared} names from the Fourth Schedule after a review, days "
            "after it ordered the blocking of the identity cards of people on the list.",
            "Another {n_new_listed} people have been added to the Fourth Schedule, officials said on {weekday}, as "
            "the interior ministry pressed ahead with curbs on people linked to banned outfits.",
            "A review committee formed by the interior ministry cleared {n_cleared} people on {weekday}, whose "
            "CNICs will now be restored by NADRA.",
        ),
        "new1": (
            "Officials said the CNICs of the {n_cleared} cleared persons would be unblocked within days.",
            "NADRA has been asked to restore the identity cards of the {n_cleared} people whose names were "
            "removed.",
            "The {n_cleared} people cleared by the committee had applied for a review, saying they had no links "
            "with any banned group.",
        ),
        "new2": (
            "At the same time, {n_new_listed} new names were added to the list on the recommendation of the "
            "provincial governments.",
            "Provincial home departments recommended {n_new_listed} additional names, which were approved, "
            "officials said.",
            "The ministry approved the inclusion of {n_new_listed} more people in the Fourth Schedule.",
        ),
        "recap": (
            "The ministry had said earlier that {p_n_cnics} CNICs had been blocked.",
            "On {p_weekday}, Interior Minister {p_minister} announced that the passports of {p_n_passports} people "
            "had been cancelled.",
            "The earlier figures showed that {p_n_licences} arms licences had been revoked.",
        ),
        "quote": (
            '"The review process is transparent, and anyone who has been wrongly listed will get relief," said '
            "interior ministry spokesperson {fu_official}.",
            "Interior ministry spokesperson {fu_official} said the review was transparent and anyone wrongly "
            "listed would get relief.",
            "According to {fu_official}, a spokesperson for the ministry, the list would be reviewed regularly.",
        ),
        "courts": (
            "Several petitions against the inclusion of names on the list are pending before the high courts.",
            "Some of the people on the list have challenged the curbs in court, arguing that they were never "
            "charged.",
            "Lawyers for some of the listed persons said they would approach the courts.",
        ),
        "next": (
            "Officials said the next review would be held after the provinces submitted updated lists.",
            "The ministry has asked the provincial governments to complete their review within a month.",
            "NACTA has been asked to update the national list accordingly.",
        ),
        "detail": (
            "Officials said most of the cleared persons were from Khyber Pakhtunkhwa and Punjab.",
            "According to the ministry, the review considered reports from the provincial police and "
            "intelligence agencies.",
            "Officials said the cleared persons would still be watched for some time.",
        ),
        "reaction": (
            "Rights activists welcomed the review but said it should be carried out more often.",
            "Some of the cleared persons said they had waited years for relief.",
            "Lawmakers from Khyber Pakhtunkhwa said many people had been listed without evidence.",
        ),
    },
    fu_order=("lead", "new1", "detail", "recap", "new2", "quote", "courts", "reaction", "recap", "next"),
    figure_labels={
        "n_passports": "passports cancelled",
        "n_licences": "arms licences cancelled",
        "n_accounts": "bank accounts frozen",
    },
    pads=("agency:MOI", "agency:NADRA", "agency:NACTA", "national"),
    make_facts=_moi_facts,
    make_followup_facts=_moi_followup_facts,
    other_event_same_day=False,
)

_EVENT_TYPES: tuple[_EventType, ...] = (
    _NACTA_ONLINE, _PTA_SIMS, _CTD_RAID, _FIA_CYBER, _ISPR_OP, _TERROR_FINANCE, _MOI_CURBS,
)
_TYPE_WEIGHTS = (1.5, 1.5, 3.0, 2.5, 2.0, 1.5, 1.0)

# Another event of the same kind by the same agency on the same day (different place, people, figures).
_SAME_DAY_FACTS: dict[str, Callable[[_World, date, Facts], Facts]] = {
    "ctd_raid": lambda w, d, f: _ctd_facts_in(w, d, str(f["province"]), not_city=str(f["city"])),
    "fia_cyber": lambda w, d, f: _cyber_facts_in(w, d, str(f["city"])),
    "ispr_op": lambda w, d, f: _ispr_facts_in(w, d, str(f["district"])),
    "terror_finance": lambda w, d, f: _finance_facts_in(w, d, str(f["city"])),
}

# ---------------------------------------------------------------- daily bulletins ("template" pairs)
# Each bulletin outlet publishes one bulletin a day: fixed boilerplate sentences, boilerplate with slots
# (date, daily and running totals), and a few sentences on that day's own incidents.

_OCCASIONS = ("Friday prayers", "a religious procession", "a cricket match", "a political rally", "a trade fair")


def _daily(world: _World, items: Sequence[str], count: int, values: Callable[[], dict[str, str | int]]) -> list[str]:
    """``count`` of the day's incident sentences, each from a different template with fresh values."""
    return [template.format(**values()) for template in world.rng.sample(items, count)]


def _ctd_bulletin(world: _World, day: date, state: dict[str, int]) -> tuple[str, list[str]]:
    rng = world.rng
    cities = _PROVINCE_CITIES["Punjab"]
    n_ops = rng.randint(18, 75)
    n_arrests = rng.randint(5, 19)
    state["ops"] += n_ops
    state["arrests"] += n_arrests
    items = (
        "In {city}, a CTD team raided a hideout near {landmark} and arrested {name}, an alleged member of {group}, "
        "recovering {kg} kilograms of explosives and {det} detonators.",
        "{name}, wanted in a terrorism case registered in {city2}, was arrested in {city}, where he had been "
        "living under a false name.",
        "A suspect identified as {name} was taken into custody in {city} with a hand grenade, a pistol and "
        "pamphlets of a banned outfit.",
        "The {city} team arrested {name} and {name2}, who were allegedly collecting funds for {group} in the name "
        "of charity; receipt books and Rs {cash} were seized.",
        "In {city}, {name} was held while allegedly conducting reconnaissance of {target}, and {rounds} rounds of "
        "ammunition were recovered from him.",
        "Acting on a tip-off, officials arrested {name} near {landmark} in {city} and seized {kg} kilograms of "
        "explosive material and a laptop.",
        "Two men, {name} and {name2}, were arrested in {city} for distributing hate material.",
        "Operations in {city} and {city2} ended without arrests, though {checked} people were questioned.",
        "A proclaimed offender, {name}, was caught at a checkpoint on the {city} bypass after {years} years on "
        "the run.",
        "In {city}, the department dug up a cache of {rounds} bullets and {grenades} grenades buried in a field "
        "near {landmark}.",
        "{name}, who allegedly ran a social media page for {group}, was arrested at his home in {city}.",
        "Security around {target} in {city} was tightened after a threat alert.",
        "A threat alert was issued for {city} ahead of {occasion}.",
    )

    def values() -> dict[str, str | int]:
        city, city2 = rng.sample(cities, 2)
        return {
            "city": city, "city2": city2, "landmark": rng.choice(_LANDMARKS), "name": world.person(),
            "name2": world.person(), "group": rng.choice(("the TTP", "Daesh", "a proscribed organisation")),
            "kg": rng.randint(2, 15), "det": rng.randint(3, 20), "cash": f"{rng.randint(20, 400) * 1000:,}",
            "target": rng.choice(_TARGETS), "rounds": rng.randint(20, 300), "checked": rng.randint(12, 90),
            "years": rng.randint(2, 9), "grenades": rng.randint(2, 12), "occasion": rng.choice(_OCCASIONS),
        }

    daily = _daily(world, items, rng.randint(6, 8), values)
    title = f"CTD Punjab daily situation report: {n_ops} operations, {n_arrests} arrests ({day:%B} {day.day})"
    paragraphs = [
        f"CTD Punjab conducted {n_ops} intelligence-based operations in the province in the last 24 hours, its "
        f"daily situation report for {day:%A}, {day:%B} {day.day} said. The operations were carried out jointly "
        "with intelligence agencies.",
        f"In all, {rng.randint(60, 400)} suspects were questioned and {n_arrests} were arrested. The largest number "
        f"of operations, {rng.randint(5, n_ops // 2)}, took place in the {rng.choice(cities[:4])} region.",
        " ".join(daily[:3]),
        " ".join(daily[3:]),
        f"The department's tally for the year stands at {state['ops']:,} operations and {state['arrests']:,} "
        "arrests.",
        "Cases have been registered under the Anti-Terrorism Act, 1997. The suspects have been shifted to CTD police "
        "stations for questioning.",
        "The CTD said the campaign against terrorism would continue across Punjab. Citizens can report suspicious "
        "activity to the CTD helpline.",
        "The report is compiled from district reports by the CTD media cell in Lahore.",
    ]
    return title, paragraphs


def _sim_bulletin(world: _World, day: date, state: dict[str, int]) -> tuple[str, list[str]]:
    rng = world.rng
    n_blocked = rng.randint(2000, 15000)
    state["blocked"] += n_blocked
    n_complaints = rng.randint(200, 1500)
    items = (
        "A joint team of the PTA and the FIA raided a franchise in {city} and arrested {n} people selling "
        "pre-activated SIMs; {sims} SIMs and {dev} biometric devices were seized.",
        "In {city}, a retailer identified as {name} was arrested for activating SIMs with silicone thumb "
        "impressions, and {prints} fake fingerprints were recovered from his shop.",
        "The authority also blocked {imei} mobile phones with cloned or tampered IMEI numbers.",
        "A raid on a mobile market in {city} led to the recovery of {sims} unregistered SIMs, and the shop was "
        "sealed.",
        "{name}, a franchise employee in {city}, was arrested for issuing SIMs on the identity cards of customers "
        "without their knowledge.",
        "In {city}, the FIA registered a case against {n} people who sold SIMs later used in extortion calls.",
        "Operators reported that {reverified} customers completed biometric re-verification during the day.",
        "A show-cause notice was issued to a cellular operator after {sims} SIMs activated at one of its outlets in "
        "{city} failed verification.",
        "In {city}, {name} was held for running an unlicensed call-forwarding setup with {sims} SIMs.",
        "The regulator restored {restored} SIMs whose owners completed re-verification after being blocked by "
        "mistake.",
        "Complaints from {city} made up the largest share of the day's fraud reports.",
        "A gang using SIMs registered to dead people was traced in {city}, and {n} of its members were arrested.",
    )

    def values() -> dict[str, str | int]:
        return {
            "city": rng.choice(_BIG_CITIES), "n": rng.randint(2, 9), "sims": rng.randint(40, 3000),
            "dev": rng.randint(2, 40), "name": world.person(), "prints": rng.randint(5, 120),
            "imei": rng.randint(300, 9000), "reverified": f"{rng.randint(1500, 40000):,}",
            "restored": rng.randint(20, 900),
        }

    daily = _daily(world, items, rng.randint(6, 8), values)
    title = f"PTA SIM blocking update: {n_blocked:,} SIMs blocked on {day:%B} {day.day}"
    paragraphs = [
        f"The PTA blocked {n_blocked:,} SIMs on {day:%A} that were registered on other people's identity or issued "
        "without proper biometric verification, its daily update said. Such SIMs are often used in fraud, "
        "extortion and terrorism.",
        f"The total blocked since the campaign began now stands at {state['blocked']:,}. Of the SIMs blocked on the "
        f"day, {rng.randint(n_blocked // 3, n_blocked // 2):,} had been issued in Punjab and "
        f"{rng.randint(n_blocked // 8, n_blocked // 4):,} in Sindh.",
        " ".join(daily[:3]),
        " ".join(daily[3:]),
        f"The authority received {n_complaints:,} complaints about fraudulent calls and messages, of which "
        f"{rng.randint(n_complaints // 2, n_complaints):,} were resolved.",
        "Citizens can check the SIMs issued against their CNIC through the authority's SMS service. The public has "
        "been advised not to buy pre-activated SIMs from street vendors.",
        "The campaign is run with the FIA, NADRA and the cellular operators.",
        "Telecom Watch Pakistan publishes the PTA's figures every day. The figures are provisional.",
    ]
    return title, paragraphs


def _karachi_bulletin(world: _World, day: date, state: dict[str, int]) -> tuple[str, list[str]]:
    rng = world.rng
    districts = ("East", "West", "South", "Central", "Korangi", "Malir", "Keamari")
    localities = (
        "Gulshan-e-Iqbal", "Nagan Chowrangi", "Sohrab Goth", "Saddar", "Tariq Road", "Korangi Crossing",
        "Orangi Town", "North Karachi", "Shah Faisal Colony", "Gulistan-e-Jauhar", "Lyari", "Landhi",
    )
    n_incidents = rng.randint(45, 160)
    items = (
        "In {district} district, police exchanged fire with suspected robbers near {place}; {name} was arrested "
        "injured while his accomplice escaped.",
        "{district} police arrested {n} alleged drug peddlers, including {name}, and recovered {kg} kilograms of "
        "hashish.",
        "A {age}-year-old man was wounded when he resisted a robbery near {place} in {district} district.",
        "Police in {district} district arrested {name}, wanted in {cases} street crime cases, during snap checking "
        "near {place}.",
        "A gang of motorcycle lifters was busted in {district} district with the arrest of {name} and {name2}, and "
        "{bikes} stolen motorcycles were recovered.",
        "A shopkeeper in {place} was robbed of Rs {cash} at gunpoint.",
        "Police recovered a kidnapped trader in {district} district and arrested {n} suspects.",
        "Two men on a motorcycle snatched a car at gunpoint near {place}; the vehicle was later found abandoned in "
        "{district} district.",
        "A body was found near {place}, and police said the cause of death would be known after a post-mortem.",
        "{name}, a suspected extortionist, was arrested in {district} district after traders in {place} complained "
        "of threatening calls.",
        "Police seized {pistols} pistols and ammunition during a search operation in {place}.",
        "A woman's handbag was snatched near {place}, and the suspects escaped on a motorcycle.",
    )

    def values() -> dict[str, str | int]:
        return {
            "district": rng.choice(districts), "place": rng.choice(localities), "name": world.person(),
            "name2": world.person(), "n": rng.randint(2, 6), "kg": rng.randint(2, 25), "age": rng.randint(19, 60),
            "cases": rng.randint(4, 30), "bikes": rng.randint(3, 14), "cash": f"{rng.randint(30, 900) * 1000:,}",
            "pistols": rng.randint(2, 9),
        }

    daily = _daily(world, items, rng.randint(6, 8), values)
    title = f"Karachi police daily crime bulletin: {n_incidents} street crimes reported ({day:%B} {day.day})"
    paragraphs = [
        f"As many as {n_incidents} cases of street crime were reported in the city in the 24 hours ending at 8am on "
        f"{day:%A}, the Karachi police daily crime bulletin said. They include mobile phone snatching and "
        "motorcycle theft.",
        f"Police arrested {rng.randint(20, 90)} suspects and recovered {rng.randint(5, 40)} stolen motorcycles and "
        f"{rng.randint(10, 80)} snatched phones. The highest number of cases, {rng.randint(12, 30)}, was reported "
        f"in {rng.choice(districts)} district.",
        " ".join(daily[:3]),
        " ".join(daily[3:]),
        "The bulletin is compiled by the Central Police Office from district reports. It includes complaints made "
        "through the Madadgar 15 helpline.",
        "District SSPs have been told to step up patrolling at crime hotspots. Citizens are advised to avoid using "
        "phones on roadsides at night.",
        "Metro Watch Karachi publishes the bulletin daily. The figures are provisional.",
    ]
    return title, paragraphs


_BulletinWriter = Callable[[_World, date, dict[str, int]], tuple[str, list[str]]]
# (outlet, dateline, writer, running totals at the start)
_BULLETINS: tuple[tuple[str, str, _BulletinWriter, dict[str, int]], ...] = (
    ("Punjab Observer", "LAHORE", _ctd_bulletin, {"ops": 1400, "arrests": 260}),
    ("Telecom Watch Pakistan", "ISLAMABAD", _sim_bulletin, {"blocked": 410_000}),
    ("Metro Watch Karachi", "KARACHI", _karachi_bulletin, {}),
)

# ---------------------------------------------------------------- page furniture ("furniture" pairs)


@dataclass(frozen=True)
class _Furniture:
    header: tuple[str, ...]
    after_body: tuple[str, ...]
    related: tuple[str, ...]  # headlines of its own pages that its "Related" boxes keep showing
    footer: tuple[str, ...]


_FURNITURE: dict[str, _Furniture] = {
    "NewsBuzz PK": _Furniture(
        header=(
            "NewsBuzz PK | Home | Pakistan | World | Business | Sports | Showbiz | Tech | Videos | E-Paper",
            "Breaking News | Latest | Trending | Opinion | Weather | Prayer Timings",
            "LIVE TV | Listen to NewsBuzz Radio | Download the NewsBuzz app",
        ),
        after_body=(
            "Share this story: Facebook | X | WhatsApp | LinkedIn | Copy link",
            "Tags: Pakistan, Security, Latest News, Crime, Terrorism",
        ),
        related=(
            "Petrol price likely to go up from next fortnight, sources say",
            "Met Office forecasts rain and snowfall in upper parts of the country",
            "Gold prices hit new high in local market",
            "National team announces squad for home series",
            "Rupee gains slightly against dollar in interbank trade",
            "Schools to reopen after winter break, education department says",
            "Smog: air quality in Lahore remains hazardous",
            "Federal cabinet approves new austerity measures",
        ),
        footer=(
            "Subscribe to the NewsBuzz morning newsletter and get the day's top stories in your inbox. Enter your "
            "email address | Subscribe",
            "Follow NewsBuzz PK on Facebook, X, Instagram, YouTube and TikTok for the latest updates.",
            "We use cookies to personalise content and ads and to analyse our traffic. By continuing to use this "
            "site you consent to our use of cookies. Accept | Learn more",
            "Comments are moderated. Please keep the discussion respectful; abusive comments will be removed.",
            "(c) NewsBuzz PK {year}. All rights reserved. About Us | Contact | Advertise | Privacy Policy | Terms "
            "and Conditions",
        ),
    ),
    "TazaKhabar Online": _Furniture(
        header=(
            "TazaKhabar Online - Har Khabar, Sab Se Pehle",
            "Home > Pakistan > National > Crime & Security",
            "Menu: Latest | Politics | Economy | Crime | Sports | Entertainment | Health | Urdu Edition",
        ),
        after_body=(
            "Have a news tip? WhatsApp our newsroom or email tips@tazakhabar.example",
            "Also read on TazaKhabar:",
        ),
        related=(
            "Electricity tariff hike approved, consumers to pay more from next month",
            "Karachi: water shortage hits several neighbourhoods",
            "Stock market closes in green as investors cheer talks with lenders",
            "Cricket board names new head coach for the national side",
            "Motorway closed due to fog, commuters advised to take care",
            "Wheat flour price rises again in open market",
            "Heatwave warning issued for parts of Sindh",
            "Government announces relief package for small traders",
        ),
        footer=(
            "Get TazaKhabar alerts on your phone: download the app from Google Play or the App Store.",
            "Join our WhatsApp channel for breaking news as it happens.",
            "This website uses cookies to ensure you get the best experience. Read our cookie policy. Got it!",
            "Disclaimer: comments posted by readers do not reflect the views of TazaKhabar Online.",
            "Copyright {year} TazaKhabar Online. All rights reserved. | Privacy | Terms | Careers | Contact Us",
        ),
    ),
    "PakViral Daily": _Furniture(
        header=(
            "PakViral Daily | News | Viral | Lifestyle | Showbiz | Tech | Jobs | Videos",
            "Trending now: #Budget #Cricket #Weather #DollarRate #PrizeBond",
        ),
        after_body=(
            "Did you find this story useful? Yes | No",
            "Don't miss out: follow PakViral Daily on Instagram, Facebook and YouTube.",
        ),
        related=(
            "Watch: viral video of wedding dance takes internet by storm",
            "Actress opens up about her new drama serial",
            "Ten street foods you must try in Lahore",
            "Why is everyone talking about this new app?",
            "Dollar rate today: open market rates for major currencies",
            "Prize bond draw results announced",
            "Weather update: rain expected in Islamabad this week",
            "Celebrity couple announces engagement in dreamy photoshoot",
        ),
        footer=(
            "Sign up for the PakViral newsletter: the best of the internet, every evening. Your email | Sign me up",
            "Advertisement",
            "We value your privacy. We and our partners use cookies to store and access information on your device. "
            "Accept all | Manage preferences",
            "PakViral Daily is not responsible for the content of external sites.",
            "(c) {year} PakViral Daily. All rights reserved. | About | Advertise with us | Privacy policy | Contact",
        ),
    ),
}

# ---------------------------------------------------------------- events and drafts

_Unit = tuple[str, int]  # (pool name, template index)
_REQUIRED_ROLES = frozenset({"lead", "recap"})
_MIN_WORDS = 250  # articles other than briefs
_BRIEF_WORDS = (25, 70)


@dataclass
class _Event:
    key: str
    etype: _EventType
    day: date
    facts: Facts
    pools: dict[str, tuple[str, ...]]
    order: tuple[str, ...]


@dataclass
class _Draft:
    """An article before rendering: which template of which pool goes in which paragraph."""

    event: _Event
    outlet: _Outlet
    published_at: datetime
    headline: int
    paragraphs: list[list[_Unit]]
    facts: Facts
    title_prefix: str = ""

    def units(self) -> set[_Unit]:
        return {unit for paragraph in self.paragraphs for unit in paragraph} | {("headline", self.headline)}


def _pools_for(etype: _EventType, facts: Facts, followup: bool) -> dict[str, tuple[str, ...]]:
    pools: dict[str, tuple[str, ...]] = {}
    for name, templates in (etype.fu_roles if followup else etype.roles).items():
        base, _, variant = name.partition(":")
        if not variant or variant == facts.get("variant"):
            pools[base] = templates
    pools["headline"] = etype.fu_headlines if followup else etype.headlines
    pools["brief"] = etype.briefs
    pools["update"] = etype.updates
    pools["update_note"] = _UPDATE_NOTES
    pools["correction"] = _CORRECTION
    pools["closer"] = _BRIEF_CLOSERS
    pad_keys = list(etype.pads)
    if "province" in facts:
        pad_keys.append(f"province:{facts['province']}")
    if "group_key" in facts:
        pad_keys.append(f"group:{facts['group_key']}")
    for key in pad_keys:
        pools[f"pad:{key}"] = _PADDING[key]
    return pools


def _values(facts: Facts, outlet: _Outlet) -> dict[str, str]:
    shown: dict[str, str] = {}
    for key, value in facts.items():
        if isinstance(value, int):
            small = outlet.words_for_small_numbers and 0 <= value < len(_NUMBER_WORDS)
            shown[key] = _NUMBER_WORDS[value] if small else f"{value:,}"
        else:
            shown[key] = value
    return shown


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _words(text: str) -> int:
    return len(text.split())


def _local_date(moment: datetime) -> date:
    return moment.astimezone(_PKT).date()


def _dateline(outlet: _Outlet, place: str, day: date) -> str:
    if outlet.dateline == "caps":
        return f"{place}: "
    if outlet.dateline == "dash":
        return f"{place} - "
    if outlet.dateline == "wire":
        return f"{place}, {day:%B} {day.day} ({outlet.tag}): "
    return ""


def _footer(outlet: _Outlet, moment: datetime) -> str:
    day = _local_date(moment)
    return outlet.footer.format(date_long=f"{day:%B} {day.day}, {day.year}") if outlet.footer else ""


def _render(draft: _Draft) -> tuple[str, str]:
    values = _values(draft.facts, draft.outlet)
    pools = draft.event.pools

    def sentence(unit: _Unit) -> str:
        return _capitalised(pools[unit[0]][unit[1]].format_map(values))

    paragraphs = [" ".join(sentence(unit) for unit in paragraph) for paragraph in draft.paragraphs if paragraph]
    paragraphs[0] = _dateline(draft.outlet, str(draft.facts["dateline"]), draft.event.day) + paragraphs[0]
    footer = _footer(draft.outlet, draft.published_at)
    if footer:
        paragraphs.append(footer)
    title = draft.title_prefix + sentence(("headline", draft.headline))
    return title, "\n\n".join(paragraphs)


def _draft_words(draft: _Draft) -> int:
    return _words(_render(draft)[1])


_FIGURE = re.compile(r"\d[\d,.]*\d|\d")
_SENTENCE_BREAK = re.compile(r'(?<=[.?!])\s+|(?<=[.?!]")\s+')
# Light copy-editing of wire copy: one word for another, once.
_LIGHT_EDITS = (
    (" said ", " stated "), (" officials ", " authorities "), (" arrested ", " held "), (" recovered ", " seized "),
    (" suspects ", " accused "), (" on the basis of ", " based on "), (" carried out ", " conducted "),
    (" people ", " persons "),
)

# ---------------------------------------------------------------- the builder


@dataclass(order=True)
class _Candidate:
    """A pair that may be labelled; lower priority is taken first, ties in random order."""

    priority: int
    shuffle: float
    pair: CasePair = field(compare=False)


class _CaseBuilder:
    def __init__(self, seed: int) -> None:
        self.world = _World(seed)
        self.rng = self.world.rng
        self.articles: dict[str, CaseArticle] = {}
        self.pairs: list[CasePair] = []
        self.main_firsts: list[tuple[CaseArticle, _EventType]] = []
        self._events = 0

    # -------------------------------------------------------- bookkeeping

    def _new_event(self, etype: _EventType, day: date, facts: Facts | None = None) -> _Event:
        self._events += 1
        facts = facts if facts is not None else etype.make_facts(self.world, day)
        return _Event(f"ev{self._events:04d}", etype, day, facts, _pools_for(etype, facts, False), etype.order)

    def _followup_event(self, parent: _Event, day: date) -> _Event:
        self._events += 1
        etype = parent.etype
        facts = etype.make_followup_facts(self.world, day, parent.facts)
        return _Event(f"ev{self._events:04d}", etype, day, facts, _pools_for(etype, facts, True), etype.fu_order)

    def _bare_event_key(self) -> str:
        self._events += 1
        return f"ev{self._events:04d}"

    def _add(self, source: str, published_at: datetime, title: str, text: str, event: str) -> CaseArticle:
        key = f"a{len(self.articles) + 1:04d}"
        article = CaseArticle(key, source, published_at, title, text, event)
        self.articles[key] = article
        return article

    def _publish(self, draft: _Draft) -> CaseArticle:
        title, text = _render(draft)
        return self._add(draft.outlet.name, draft.published_at, title, text, draft.event.key)

    def _time(self, day: date, earliest: float = 2.0, latest: float = 17.5) -> datetime:
        """A moment on that day, as UTC; 2:00-17:30 UTC is 7:00-22:30 in Pakistan."""
        midnight = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
        return midnight + timedelta(minutes=self.rng.randint(int(earliest * 60), int(latest * 60)))

    def _later(self, moment: datetime, low_hours: float, high_hours: float) -> datetime:
        return moment + timedelta(minutes=self.rng.randint(int(low_hours * 60), int(high_hours * 60)))

    def _pair(self, x: CaseArticle, y: CaseArticle, kind: str) -> CasePair:
        a, b = sorted((x, y), key=lambda article: (article.published_at, article.key))
        return CasePair(a.key, b.key, a.event == b.event, kind)

    def _candidate(self, x: CaseArticle, y: CaseArticle, kind: str, priority: int = 0) -> _Candidate:
        return _Candidate(priority, self.rng.random(), self._pair(x, y, kind))

    def _take(self, candidates: list[_Candidate], quota: int) -> None:
        seen = {(pair.a, pair.b) for pair in self.pairs}
        taken = 0
        for candidate in sorted(candidates):
            key = (candidate.pair.a, candidate.pair.b)
            if key in seen:
                continue
            seen.add(key)
            self.pairs.append(candidate.pair)
            taken += 1
            if taken == quota:
                return
        raise AssertionError(f"only {taken} of {quota} {candidates[0].pair.kind} pairs")

    def _event_type(self) -> _EventType:
        return self.rng.choices(_EVENT_TYPES, weights=_TYPE_WEIGHTS)[0]

    def _other_paper(self, *used: str) -> _Outlet:
        return self.rng.choice([outlet for outlet in _PAPERS if outlet.name not in used])

    # -------------------------------------------------------- composing drafts

    def _pick(self, event: _Event, pool: str, avoid: set[_Unit], *, reported: bool = False) -> int:
        templates = event.pools[pool]
        free = [i for i in range(len(templates)) if (pool, i) not in avoid] or list(range(len(templates)))
        if reported:
            free = [i for i in free if '"' not in templates[i]] or free
        return self.rng.choice(free)

    def _headline(self, draft: _Draft, avoid: set[_Unit]) -> int:
        """A headline not in ``avoid`` whose figures all appear in the body (a headline never announces a
        figure its article dropped)."""
        templates = draft.event.pools["headline"]
        values = _values(draft.facts, draft.outlet)
        body_figures = set(_FIGURE.findall(_render(draft)[1]))
        fitting = [i for i, t in enumerate(templates) if set(_FIGURE.findall(t.format_map(values))) <= body_figures]
        fresh = [i for i in fitting if ("headline", i) not in avoid]
        return self.rng.choice(fresh or fitting or range(len(templates)))

    def _padding(self, event: _Event, count: int, avoid: set[_Unit]) -> list[_Unit]:
        free = [
            (pool, i)
            for pool, templates in event.pools.items()
            if pool.startswith("pad:")
            for i in range(len(templates))
            if (pool, i) not in avoid
        ]
        return self.rng.sample(free, min(count, len(free)))

    def _missing_role(self, draft: _Draft, avoid: set[_Unit]) -> list[_Unit]:
        """One template of a role the draft does not cover yet, or nothing."""
        present = {unit[0] for unit in draft.units()}
        free = [
            (role, i)
            for role in draft.event.order
            if role not in present
            for i in range(len(draft.event.pools[role]))
            if (role, i) not in avoid
        ]
        return [self.rng.choice(free)] if free else []

    def _paragraphs(self, units: Sequence[_Unit]) -> list[list[_Unit]]:
        rng = self.rng
        paragraphs: list[list[_Unit]] = []
        i = 0
        while i < len(units):
            size = 1 if i == 0 and rng.random() < 0.7 else rng.choice((1, 1, 2, 2, 2, 3))
            paragraphs.append(list(units[i : i + size]))
            i += size
        return paragraphs

    def _fit(self, draft: _Draft, low: int, high: int, avoid: set[_Unit]) -> None:
        """Grows the draft to ``low`` words, then trims tail sentences down to ``high``.

        Context sentences are shared by every report of a kind, so a few at most beyond what it takes to
        reach the 250-word floor: otherwise two different events would look alike through their padding.
        """
        rng = self.rng
        used = avoid | draft.units()
        added = 0
        cap = 4 if draft.outlet.long_form else 2
        while (words := _draft_words(draft)) < low:
            if words >= _MIN_WORDS and added >= cap:
                break
            # Prefer a part of the report the draft left out over a background sentence.
            if rng.random() < 0.6:
                extra = self._missing_role(draft, used) or self._padding(draft.event, 1, used)
            else:
                extra = self._padding(draft.event, 1, used) or self._missing_role(draft, used)
            if not extra and words < _MIN_WORDS:
                # Everything is taken by the earlier reports: share a background sentence with them.
                extra = self._padding(draft.event, 1, draft.units())
            if not extra:
                break
            added += 1
            used.add(extra[0])
            if len(draft.paragraphs) > 1 and rng.random() < 0.5:
                rng.choice(draft.paragraphs[1:]).append(extra[0])
            else:
                draft.paragraphs.insert(rng.randint(1, len(draft.paragraphs)), [extra[0]])
        while _draft_words(draft) > high and len(draft.paragraphs) > 2:
            draft.paragraphs[-1].pop()
            if not draft.paragraphs[-1]:
                draft.paragraphs.pop()

    def _draft_first(
        self,
        event: _Event,
        outlet: _Outlet,
        when: datetime,
        *,
        avoid: set[_Unit] | None = None,
        facts: Facts | None = None,
    ) -> _Draft:
        """A first report (or a follow-up, or another outlet's own report of the event)."""
        rng = self.rng
        avoid = avoid or set()
        units: list[_Unit] = []
        for role in event.order:
            required = role in _REQUIRED_ROLES and not any(unit[0] == role for unit in units)
            if required or rng.random() < (0.95 if outlet.long_form else 0.85):
                units.append((role, self._pick(event, role, avoid | set(units))))
        for extra in self._padding(event, rng.randint(0, 1), avoid | set(units)):
            units.insert(rng.randint(2, len(units)), extra)
        draft = _Draft(event, outlet, when, 0, self._paragraphs(units), facts if facts is not None else event.facts)
        low = rng.randint(320, 560) if outlet.long_form else rng.randint(_MIN_WORDS, 420)
        self._fit(draft, low, 680, avoid)
        draft.headline = self._headline(draft, avoid)
        return draft

    def _draft_rewrite(self, event: _Event, outlet: _Outlet, when: datetime, earlier: Sequence[_Draft]) -> _Draft:
        """Another outlet's rewrite: other templates for every role, reordered, some roles dropped, quotes
        mostly in reported speech, and a context paragraph of its own."""
        rng = self.rng
        used = set().union(*(draft.units() for draft in earlier))
        position = {role: i for i, role in enumerate(event.order)}
        roles = [u[0] for p in earlier[0].paragraphs for u in p if u[0] in position and u[0] != "lead"]
        drop = rng.uniform(0.2, 0.35)
        kept = [role for role in roles if rng.random() > drop]
        while len(kept) < min(4, len(roles)):
            kept.append(rng.choice([role for role in roles if role not in kept]))
        missing = [role for role in event.order if role not in roles and role != "lead"]
        if missing and rng.random() < 0.5:
            kept.append(rng.choice(missing))
        kept.sort(key=lambda role: position[role] + rng.uniform(-3.0, 3.0))
        units: list[_Unit] = []
        for role in kept:
            reported = rng.random() < 0.8
            units.append((role, self._pick(event, role, used | set(units), reported=reported)))
        units.insert(0, ("lead", self._pick(event, "lead", used)))
        paragraphs = self._paragraphs(units)
        context = self._padding(event, 2, used)
        if context:
            paragraphs.insert(rng.randint(1, len(paragraphs)), context)
        draft = _Draft(event, outlet, when, 0, paragraphs, event.facts)
        low = rng.randint(300, 520) if outlet.long_form else rng.randint(_MIN_WORDS, 400)
        self._fit(draft, low, 680, used)
        draft.headline = self._headline(draft, used)
        return draft

    def _draft_update(
        self, first: _Draft, when: datetime, correction: tuple[str, int, int] | None
    ) -> _Draft:
        """The same outlet's second article: its first report plus new paragraphs and a new headline."""
        rng = self.rng
        event = first.event
        used = first.units()
        new: list[_Unit] = [("update", i) for i in rng.sample(range(len(event.pools["update"])), rng.randint(1, 2))]
        quotes = [role for role in event.pools if role.startswith("quote") or role == "resolve"]
        if quotes and rng.random() < 0.6:
            role = rng.choice(quotes)
            new.append((role, self._pick(event, role, used)))
        paragraphs = [list(paragraph) for paragraph in first.paragraphs]
        if rng.random() < 0.5:
            paragraphs.insert(0, new)
        else:
            paragraphs.append(new)
        facts = dict(event.facts)
        if correction is not None:
            label, wrong, right = correction
            facts.update(corr_label=label, corr_wrong=wrong, corr_right=right)
            paragraphs.append([("correction", 0)])
        elif rng.random() < 0.5:
            paragraphs.append([("update_note", rng.randrange(len(_UPDATE_NOTES)))])
        draft = _Draft(event, first.outlet, when, 0, paragraphs, facts)
        draft.headline = self._headline(draft, used)
        return draft

    def _draft_brief(self, event: _Event, outlet: _Outlet, when: datetime, avoid: set[_Unit]) -> _Draft:
        """A 25-70 word brief: the key figure and place, one more sentence of the report, maybe a closer."""
        rng = self.rng
        units: list[_Unit] = [("brief", self._pick(event, "brief", avoid))]
        draft = _Draft(event, outlet, when, 0, [units], event.facts)
        seconds = [
            (role, i)
            for role in event.order[1:]
            for i, template in enumerate(event.pools[role])
            if (role, i) not in avoid and _words(template) <= 28
        ]
        for second in rng.sample(seconds, min(6, len(seconds))):
            units.append(second)
            if _BRIEF_WORDS[0] <= _draft_words(draft) <= _BRIEF_WORDS[1] - 6:
                break
            units.pop()
        if _draft_words(draft) < _BRIEF_WORDS[0] or rng.random() < 0.3:
            units.append(("closer", rng.randrange(len(_BRIEF_CLOSERS))))
            if _draft_words(draft) > _BRIEF_WORDS[1]:
                units.pop()
        draft.headline = self._headline(draft, avoid)
        draft.title_prefix = rng.choice(("", "", "Breaking: ", "Flash: "))
        return draft

    # -------------------------------------------------------- text-level copies

    def _wire_copy(self, source: CaseArticle, event: _Event, outlet: _Outlet, when: datetime) -> CaseArticle:
        """A repost of ``source``: verbatim or lightly edited, under the reposting outlet's header and footer."""
        rng = self.rng
        paragraphs = source.text.split("\n\n")
        source_outlet = _OUTLETS[source.source]
        if source_outlet.footer and paragraphs[-1] == _footer(source_outlet, source.published_at):
            paragraphs.pop()
        floor = min(_MIN_WORDS, _words(source.text))
        if rng.random() < 0.6 and len(paragraphs) > 3:
            i = rng.randrange(1, len(paragraphs))
            sentences = _SENTENCE_BREAK.split(paragraphs[i])
            sentences.pop(rng.randrange(len(sentences)))
            shorter = paragraphs[:i] + ([" ".join(sentences)] if sentences else []) + paragraphs[i + 1 :]
            if _words("\n\n".join(shorter)) >= floor:
                paragraphs = shorter
        if rng.random() < 0.2 and len(paragraphs) > 5 and _words("\n\n".join(paragraphs[:-1])) >= floor:
            paragraphs.pop()
        for _ in range(rng.choice((0, 0, 1, 2))):
            old, new = rng.choice(_LIGHT_EDITS)
            i = rng.randrange(1, len(paragraphs))
            paragraphs[i] = paragraphs[i].replace(old, new, 1)
        stamp = when.astimezone(_PKT).strftime("%b %d, %Y %I:%M%p")
        header = [line.format(stamp=stamp) for line in outlet.repost_header]
        footer = [line.format(wire=source.source) for line in outlet.repost_footer]
        if outlet.footer:
            footer.append(_footer(outlet, when))
        title = source.title
        if rng.random() < 0.55:
            values = _values(event.facts, outlet)
            figures = set(_FIGURE.findall("\n\n".join(paragraphs)))
            options = [_capitalised(t.format_map(values)) for t in event.pools["headline"]]
            options = [t for t in options if t != source.title and set(_FIGURE.findall(t)) <= figures]
            title = rng.choice(options) if options else title
        return self._add(outlet.name, when, title, "\n\n".join(header + paragraphs + footer), source.event)

    def _furniture_copy(self, source: CaseArticle, outlet: _Outlet, when: datetime) -> CaseArticle:
        """The first paragraphs of ``source`` inside the outlet's page furniture, which outweighs them."""
        rng = self.rng
        furniture = _FURNITURE[outlet.name]
        year = str(_local_date(when).year)
        related = rng.sample(furniture.related, rng.randint(3, 5))
        after = list(furniture.after_body) + [f"Related: {line}" for line in related]
        footer = [line.format(year=year) for line in furniture.footer]
        furniture_words = sum(_words(line) for line in furniture.header + tuple(after) + tuple(footer))
        budget = min(rng.randint(70, 140), int(furniture_words * 0.8))
        body: list[str] = []
        for paragraph in source.text.split("\n\n"):
            if body and _words(" ".join(body)) + _words(paragraph) > budget:
                break
            body.append(paragraph)
        if _words(" ".join(body)) > budget:
            sentences = _SENTENCE_BREAK.split(body[0])
            body = [sentences[0]]
        text = "\n\n".join(list(furniture.header) + body + after + footer)
        return self._add(outlet.name, when, source.title, text, source.event)

    # -------------------------------------------------------- rewrite, wire, update, followup, same day

    def _perturbed(self, event: _Event) -> tuple[Facts, tuple[str, int, int]] | None:
        """Facts with one figure wrong, and the correction to print later; None if no figure fits."""
        labels = [key for key in event.etype.figure_labels if isinstance(event.facts.get(key), int)]
        if not labels:
            return None
        key = self.rng.choice(labels)
        right = int(event.facts[key])
        wrong = right + self.rng.choice((-1, 1)) * max(1, round(right * self.rng.uniform(0.02, 0.2)))
        if wrong < 2:
            wrong = right + 1
        return {**event.facts, key: wrong}, (event.etype.figure_labels[key], wrong, right)

    def _build_clusters(self) -> None:
        """Events with a first report and their copies: rewrites by other outlets, wire copies, the same
        outlet's update, a follow-up event 20-48 hours later and another event of the kind that day."""
        rng = self.rng
        kinds = ("rewrite", "wire", "same_outlet_update", "followup", "same_day_other_event")
        candidates: dict[str, list[_Candidate]] = {kind: [] for kind in kinds}
        same_day_types = [etype for etype in _EVENT_TYPES if etype.other_event_same_day]

        def short_of(kind: str) -> bool:
            return len({(c.pair.a, c.pair.b) for c in candidates[kind]}) < _QUOTAS[kind] + 5

        while any(short_of(kind) for kind in kinds):
            etype = self._event_type()
            if short_of("same_day_other_event") and not etype.other_event_same_day and rng.random() < 0.5:
                etype = rng.choice(same_day_types)
            event = self._new_event(etype, self.world.day(rng.randrange(_PERIOD_DAYS - 3)))
            outlet = rng.choice(_WIRES if rng.random() < 0.45 else _PAPERS)
            t0 = self._time(event.day)
            wants_update = rng.random() < 0.85
            wrong = self._perturbed(event) if wants_update and rng.random() < 0.35 else None
            first = self._draft_first(event, outlet, t0, facts=wrong[0] if wrong else None)
            a0 = self._publish(first)
            self.main_firsts.append((a0, etype))
            used_outlets = {outlet.name}

            drafts = [first]
            rewrites: list[CaseArticle] = []
            for _ in range(rng.choices((1, 2, 3), weights=(55, 35, 10))[0]):
                other = self._other_paper(*used_outlets)
                used_outlets.add(other.name)
                draft = self._draft_rewrite(event, other, self._later(t0, 0.5, 12), drafts)
                drafts.append(draft)
                article = self._publish(draft)
                candidates["rewrite"].append(self._candidate(a0, article, "rewrite"))
                candidates["rewrite"].extend(
                    self._candidate(r, article, "rewrite", 1)
                    for r in rewrites
                    if abs(article.published_at - r.published_at) >= timedelta(minutes=30)
                )
                rewrites.append(article)

            copies: list[CaseArticle] = []
            n_copies = rng.randint(1, 3) if outlet.role == "wire" else int(rng.random() < 0.3)
            for _ in range(n_copies):
                other = self._other_paper(*used_outlets)
                used_outlets.add(other.name)
                article = self._wire_copy(a0, event, other, self._later(t0, 0.1, 6))
                candidates["wire"].append(self._candidate(a0, article, "wire"))
                candidates["wire"].extend(self._candidate(c, article, "wire", 1) for c in copies)
                copies.append(article)

            if wants_update:
                draft = self._draft_update(first, self._later(t0, 1, 10), wrong[1] if wrong else None)
                article = self._publish(draft)
                candidates["same_outlet_update"].append(self._candidate(a0, article, "same_outlet_update"))

            if rng.random() < 0.85:
                t1 = self._later(t0, 20, 44)
                followup = self._followup_event(event, _local_date(t1))
                for n in range(rng.choice((1, 1, 2))):
                    same = n == 0 and rng.random() < 0.4
                    other = outlet if same else rng.choice([o for o in _PAPERS + _WIRES if o.name != outlet.name])
                    when = t1 if n == 0 else min(self._later(t1, 0.5, 6), t0 + timedelta(hours=48))
                    # The same outlet may reuse its own background sentences; another writes its own.
                    avoid = set() if same else {unit for unit in first.units() if unit[0].startswith("pad:")}
                    article = self._publish(self._draft_first(followup, other, when, avoid=avoid))
                    candidates["followup"].append(self._candidate(a0, article, "followup"))

            if etype.other_event_same_day and rng.random() < 0.9:
                facts = _SAME_DAY_FACTS[etype.name](self.world, event.day, event.facts)
                sibling = self._new_event(etype, event.day, facts)
                for n in range(rng.choice((1, 1, 2))):
                    same = n == 0 and rng.random() < 0.4
                    other = outlet if same else rng.choice([o for o in _PAPERS + _WIRES if o.name != outlet.name])
                    # Another outlet writes in its own words; the same outlet keeps some of its formulas.
                    avoid = first.units()
                    if same:
                        avoid = {unit for unit in sorted(avoid) if rng.random() < 0.6}
                    draft = self._draft_first(sibling, other, self._time(event.day), avoid=avoid)
                    article = self._publish(draft)
                    candidates["same_day_other_event"].append(self._candidate(a0, article, "same_day_other_event"))

        for kind in kinds:
            self._take(candidates[kind], _QUOTAS[kind])

    # -------------------------------------------------------- short

    def _build_briefs(self) -> None:
        """Groups of three events of one kind by one agency, each told in two briefs by two outlets."""
        rng = self.rng
        same: list[_Candidate] = []
        different: list[_Candidate] = []
        brief_capable = _BRIEF_OUTLETS + _PAPERS + _WIRES
        for _ in range(14):
            etype = self._event_type()
            province = rng.choice(tuple(_PROVINCE_CITIES))
            group: list[tuple[CaseArticle, CaseArticle]] = []
            for _ in range(3):
                day = self.world.day(rng.randrange(_PERIOD_DAYS))
                facts = _ctd_facts_in(self.world, day, province) if etype is _CTD_RAID else None
                event = self._new_event(etype, day, facts)
                first_outlet = rng.choice(_BRIEF_OUTLETS)
                second_outlet = rng.choice([o for o in brief_capable if o.name != first_outlet.name][:4])
                t0 = self._time(day)
                d1 = self._draft_brief(event, first_outlet, t0, set())
                d2 = self._draft_brief(event, second_outlet, self._later(t0, 0.1, 3), d1.units())
                b1, b2 = self._publish(d1), self._publish(d2)
                same.append(self._candidate(b1, b2, "short"))
                group.append((b1, b2))
                if rng.random() < 0.4:
                    paper = self._other_paper()
                    self._publish(self._draft_first(event, paper, self._later(t0, 1, 4)))
            for i in range(len(group)):
                for j in range(i + 1, len(group)):
                    different.append(self._candidate(rng.choice(group[i]), rng.choice(group[j]), "short"))
        self._take(same, _QUOTAS["short"] // 2)
        self._take(different, _QUOTAS["short"] - _QUOTAS["short"] // 2)

    # -------------------------------------------------------- furniture

    def _build_furniture(self) -> None:
        """Wire reports carried by two furniture-heavy outlets; each of those outlets carries ~24 of them."""
        rng = self.rng
        same: list[_Candidate] = []
        carried: dict[str, list[CaseArticle]] = {outlet.name: [] for outlet in _FURNITURE_OUTLETS}
        n_outlets = len(_FURNITURE_OUTLETS)
        for i in range(36):
            event = self._new_event(self._event_type(), self.world.day(rng.randrange(_PERIOD_DAYS)))
            t0 = self._time(event.day)
            source = self._publish(self._draft_first(event, rng.choice(_WIRES), t0))
            pages = []
            for outlet in (_FURNITURE_OUTLETS[i % n_outlets], _FURNITURE_OUTLETS[(i + 1) % n_outlets]):
                page = self._furniture_copy(source, outlet, self._later(t0, 0.3, 5))
                carried[outlet.name].append(page)
                pages.append(page)
            same.append(self._candidate(pages[0], pages[1], "furniture"))
        different: list[_Candidate] = []
        for pages in carried.values():
            pages.sort(key=lambda page: page.published_at)
            for gap in (1, 2):
                different.extend(
                    self._candidate(x, y, "furniture", gap) for x, y in zip(pages, pages[gap:], strict=False)
                )
        self._take(same, _QUOTAS["furniture"] // 2)
        self._take(different, _QUOTAS["furniture"] - _QUOTAS["furniture"] // 2)

    # -------------------------------------------------------- template

    def _build_bulletins(self) -> None:
        """Each bulletin outlet's daily bulletin for 25-40 consecutive days; pairs of two days of one outlet,
        about 70% of them consecutive days and the rest 2-10 days apart."""
        rng = self.rng
        per_outlet = _QUOTAS["template"] // len(_BULLETINS)
        for name, place, write, totals in _BULLETINS:
            outlet = _OUTLETS[name]
            state = dict(totals)
            n_days = rng.randint(25, 40)
            first_day = rng.randint(0, _PERIOD_DAYS - n_days)
            issued: list[CaseArticle] = []
            for offset in range(first_day, first_day + n_days):
                day = self.world.day(offset)
                title, paragraphs = write(self.world, day, state)
                paragraphs[0] = _dateline(outlet, place, day) + paragraphs[0]
                when = self._time(day, 13.0, 15.5)
                issued.append(self._add(name, when, title, "\n\n".join(paragraphs), self._bare_event_key()))
            consecutive = [self._candidate(x, y, "template") for x, y in zip(issued, issued[1:], strict=False)]
            apart = []
            for _ in range(3 * per_outlet):
                gap = rng.randint(2, 10)
                start = rng.randrange(len(issued) - gap)
                apart.append(self._candidate(issued[start], issued[start + gap], "template"))
            n_consecutive = round(per_outlet * 0.7)
            self._take(consecutive, n_consecutive)
            self._take(apart, per_outlet - n_consecutive)

    # -------------------------------------------------------- background and unrelated

    def _build_background(self) -> None:
        """Events nobody pairs: the rest of the archive, spread over the whole period."""
        rng = self.rng
        before = len(self.articles)
        for _ in range(_BACKGROUND_EVENTS):
            event = self._new_event(self._event_type(), self.world.day(rng.randrange(_PERIOD_DAYS)))
            outlet = rng.choice(_PAPERS + _WIRES + _BRIEF_OUTLETS)
            t0 = self._time(event.day)
            first = self._draft_first(event, outlet, t0)
            source = self._publish(first)
            if rng.random() < 0.2:
                other = self._other_paper(outlet.name)
                self._publish(self._draft_rewrite(event, other, self._later(t0, 0.5, 12), [first]))
            if outlet.role == "wire" and rng.random() < 0.4:
                self._wire_copy(source, event, self._other_paper(), self._later(t0, 0.1, 6))
        assert len(self.articles) - before >= 200, "too few background articles"

    def _build_unrelated(self) -> None:
        rng = self.rng
        candidates: list[_Candidate] = []
        firsts = self.main_firsts
        while len(candidates) < 4 * _QUOTAS["unrelated"]:
            (x, x_type), (y, y_type) = rng.sample(firsts, 2)
            days_apart = abs((_local_date(x.published_at) - _local_date(y.published_at)).days)
            if x_type.agency != y_type.agency and days_apart >= 2:
                candidates.append(self._candidate(x, y, "unrelated"))
        self._take(candidates, _QUOTAS["unrelated"])

    def build(self) -> Cases:
        self._build_clusters()
        self._build_briefs()
        self._build_furniture()
        self._build_bulletins()
        self._build_background()
        self._build_unrelated()
        articles = sorted(self.articles.values(), key=lambda article: (article.published_at, article.key))
        cases = Cases(articles, self.pairs)
        _check(cases)
        return cases


_OUTLETS: dict[str, _Outlet] = {
    outlet.name: outlet for outlet in _WIRES + _PAPERS + _BRIEF_OUTLETS + _FURNITURE_OUTLETS + _BULLETIN_OUTLETS
}


def _check(cases: Cases) -> None:
    """The promises of the module docstring, checked on every build (cheap)."""
    by_key = {article.key: article for article in cases.articles}
    assert len(by_key) == len(cases.articles), "duplicate article keys"
    kinds = Counter(pair.kind for pair in cases.pairs)
    assert set(kinds) == set(KINDS) and min(kinds.values()) >= 40, kinds
    assert sum(kinds[kind] for kind in HARD_KINDS) * 2 >= len(cases.pairs)
    assert len({(pair.a, pair.b) for pair in cases.pairs}) == len(cases.pairs), "duplicate pairs"
    for pair in cases.pairs:
        a, b = by_key[pair.a], by_key[pair.b]
        assert (a.published_at, a.key) <= (b.published_at, b.key), pair
        assert pair.same == (a.event == b.event), pair
        assert pair.kind in KINDS, pair
    per_outlet = Counter(article.source for article in cases.articles)
    assert min(per_outlet.values()) >= 5, per_outlet


def build_cases(seed: int = 1) -> Cases:
    """The labelled archive for ``seed``: 1 for development, 2 held out."""
    return _CaseBuilder(seed).build()


# ---------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Print a summary of the labelled story-grouping cases.")
    parser.add_argument("--seed", type=int, default=1, help="1 for development, 2 held out (default 1)")
    parser.add_argument("--examples", type=int, default=1, help="example pairs (two texts each) per kind")
    args = parser.parse_args(argv)
    cases = build_cases(args.seed)
    counts = Counter((pair.kind, pair.same) for pair in cases.pairs)
    print(f"seed {args.seed}: {len(cases.articles)} articles, {len(cases.pairs)} pairs")
    print(f"{'kind':<22} {'same':>5} {'diff':>5}  hard")
    for kind in KINDS:
        hard = "yes" if kind in HARD_KINDS else ""
        print(f"{kind:<22} {counts[kind, True]:>5} {counts[kind, False]:>5}  {hard}")
    same = sum(pair.same for pair in cases.pairs)
    print(f"{'total':<22} {same:>5} {len(cases.pairs) - same:>5}  ({same / len(cases.pairs):.0%} same)")
    paired = {key for pair in cases.pairs for key in (pair.a, pair.b)}
    print(f"articles in no pair: {sum(article.key not in paired for article in cases.articles)}")
    print(f"events: {len({article.event for article in cases.articles})}, outlets: "
          f"{len({article.source for article in cases.articles})}")
    by_key = {article.key: article for article in cases.articles}
    for kind in KINDS:
        for pair in [pair for pair in cases.pairs if pair.kind == kind][: args.examples]:
            print(f"\n{'=' * 30} {kind} (same={pair.same}) {'=' * 30}")
            for key in (pair.a, pair.b):
                article = by_key[key]
                print(f"--- {article.key} | {article.source} | {article.published_at:%Y-%m-%d %H:%M} UTC | "
                      f"{article.event} | {_words(article.text)} words")
                print(article.title)
                print()
                print(article.text)


if __name__ == "__main__":
    main()
