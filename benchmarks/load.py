#!/usr/bin/env python
"""The dashboard under load while the worker ingests: real gunicorn, real worker, 16 analysts, 100k stories.

    .venv/bin/python benchmarks/load.py [--stories 100000] [--db PATH] [--duration 120] [--clients 16]
        [--feeds 20] [--items 25] [--idle 0] [--seed 1] [--keep]

1. Archive. `benchmarks/dashboard.py --build-only --reuse` builds (or keeps) a synthetic archive of N stories in
   `--db` (default var/bench/load-N.sqlite3). That file stays pristine: each run works on a copy in a fresh
   temporary folder, so runs start from the same state and ingest into it, and the copy is deleted afterwards
   (`--keep` keeps the folder, with the logs). The copy is migrated and checked to be in WAL mode; the
   archive's ~200 invented outlets are pushed a day forward so the worker does not try to poll them; 16
   analysts (`analyst1`..`analyst16`, in the "analyst" group) are added; request parameters (organisations,
   words, the page-2 cursor) are read from the archive by dashboard.py's own `read_fixtures`.
2. Feeds. A feed server in its own process on 127.0.0.1 serves `--feeds` RSS feeds of `--items` items, dated
   over the last few hours, and each item's article page: 800-1,000 words of generated security-news text (one
   item in five repeats another feed's report, so clustering has copies to join). `manage.py addsource` adds
   them; being new, they are due, and the worker polls them as it starts.
3. Processes. `gunicorn monitor.wsgi --workers 2 --threads 4` (as `make run`) after `collectstatic`, and
   `manage.py run_huey`, with DATABASE_URL pointing at the copy, MONITOR_VAR_DIR at the temporary folder (so
   the Huey queue is SQLite there), MONITOR_ALLOW_PRIVATE_FETCH=1 and MONITOR_STARTER_FEEDS=0. Each runs in a
   process group of its own, and every process started here is stopped on the way out, Ctrl-C included.
4. Load. Each analyst is a thread with its own cookie jar and keep-alive connection (http.client): it signs in
   through /accounts/login/ (GET for the CSRF cookie, then POST), then loops over weighted request kinds
   (story list, page 2, organisation filter, search, search plus organisation, facets, story page, entity page,
   figures explorer) with 0.2-1 s of think time. The measured window starts once the worker has tagged its
   first article, so the whole window overlaps ingest (polling, page extraction, spaCy tagging, clustering,
   all writing to SQLite). `--idle S` first measures S seconds with the worker not yet started, for contrast.
   Latency is wall time on the client from sending the request to the last byte of the body.

Progress goes to stderr, with excerpts of any traceback in the server and worker logs. The last line printed
is JSON: per request kind n, p50/p95/max milliseconds, errors (anything but a 200: 5xx, a redirect to the
login page, a timeout, a refused connection) and pages stopped by MONITOR_QUERY_SECONDS (`too_slow`); totals;
`database_locked`, the number of "database is locked" lines in the gunicorn and worker logs plus response
bodies that say so (by place in `database_locked_by_place`); articles the worker tagged during the window;
tracebacks in each log; and the cores busy on average during the window (`cpu_cores_during_run`): the whole
machine, gunicorn, the worker, this script's analysts, and everything else (the feed server, and whatever
else runs on the machine; on a shared machine, read the latencies with that figure in mind).

Not for: CI (it builds a 1.5 GB archive and runs for minutes), comparing single pages (dashboard.py times each
page alone, with its query plans), or capacity planning beyond this machine: client, server, worker and feed
server share its cores, so the numbers say how the pieces contend, not how many analysts a server can take.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import multiprocessing
import os
import random
import re
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from email.utils import formatdate
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
# A benchmark-only password, the same for every generated analyst; the users live only in the throwaway copy.
PASSWORD = "load-bench-analyst-password"
THINK_SECONDS = (0.2, 1.0)
REQUEST_TIMEOUT = 90.0
LOCKED = b"database is locked"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------ generated news
# Reports are assembled from phrases written for this benchmark (no real article is copied). Each report draws
# its own facts (agency, people, places, offence) and its own wording (a synonym for each of the common words),
# so two different reports share few word triples and stay apart when clustered, as different stories should,
# while a repeated report is a verbatim copy. The agencies are in the shipped gazetteer, so the tagger links
# them, and the numbers make figures.

AGENCIES = [("Federal Investigation Agency", "FIA"), ("National Counter Terrorism Authority", "NACTA"),
            ("Pakistan Telecommunication Authority", "PTA"), ("National Database and Registration Authority",
                                                               "NADRA"),
            ("Anti-Narcotics Force", "ANF"), ("Intelligence Bureau", "IB"), ("Federal Board of Revenue", "FBR"),
            ("Financial Monitoring Unit", "FMU"), ("National Accountability Bureau", "NAB"),
            ("Airports Security Force", "ASF"), ("National Cyber Crime Investigation Agency", "NCCIA"),
            ("Pakistan Coast Guards", "PCG"), ("Maritime Security Agency", "MSA")]
FIRST = ["Adeel", "Samreen", "Harris", "Mahnoor", "Qasim", "Rida", "Wajid", "Huma", "Taimur", "Benish", "Yasir",
         "Sobia", "Fahad", "Anum", "Kashif", "Sadaf", "Noman", "Iram", "Shoaib", "Mehreen", "Danish", "Saba",
         "Rehan", "Areeba", "Umair", "Hafsa", "Zubair", "Nimra", "Talha", "Javeria"]
LAST = ["Rauf", "Gul", "Qadir", "Latif", "Jilani", "Anjum", "Lodhi", "Sarwar", "Jaffar", "Alvi", "Kundi",
        "Rehmat", "Bhatti", "Sial", "Warraich", "Khattak", "Bangash", "Mengal", "Jamali", "Pirzada", "Shinwari",
        "Kiani", "Sipra", "Tiwana", "Hotiani", "Mandokhel", "Zehri", "Paracha", "Gardezi", "Wattoo"]
PLACES = ["Karachi", "Lahore", "Quetta", "Peshawar", "Islamabad", "Multan", "Gwadar", "Bannu", "Sukkur",
          "Rawalpindi", "Chaman", "Dera Ismail Khan", "Kohat", "Turbat", "Sialkot", "Mardan", "Hyderabad",
          "Larkana", "Faisalabad", "Gujranwala", "Abbottabad", "Swat", "Zhob", "Khuzdar", "Nowshera", "Jhelum",
          "Bahawalpur", "Sargodha", "Mirpur Khas", "Thatta", "Chitral", "Gilgit", "Hub", "Lakki Marwat"]
OFFENCES = ["terror financing", "extortion", "kidnapping for ransom", "online fraud", "money laundering",
            "human smuggling", "arms smuggling", "drug trafficking", "identity theft", "illegal SIM sales",
            "currency smuggling", "forgery", "card skimming", "hate speech", "sextortion", "customs evasion",
            "fake job offers", "bogus investment schemes", "phishing", "ransomware attacks"]
THINGS = ["SIM cards", "bank accounts", "social media accounts", "websites", "forged passports", "mobile wallets",
          "mobile phones", "laptops", "fake identity cards", "prize bonds", "hard drives", "cheque books",
          "vehicles", "shipping containers", "crypto wallets", "call records", "Telegram channels", "hawala slips"]
# Common words each report spells its own way: the first option is the plain word.
STYLE = {
    "said": ["said", "stated", "told reporters", "maintained"], "arrested": ["arrested", "detained", "held", "nabbed"],
    "officials": ["officials", "officers", "authorities", "sources"], "suspects": ["suspects", "accused", "men"],
    "recovered": ["recovered", "seized", "confiscated"], "blocked": ["blocked", "suspended", "shut down"],
    "investigation": ["investigation", "inquiry", "probe"], "operation": ["operation", "raid", "crackdown"],
    "network": ["network", "ring", "gang", "cell"],
    "began": ["began", "started", "launched"], "continuing": ["continuing", "under way", "ongoing"],
    "more": ["more", "further", "additional"], "area": ["area", "neighbourhood", "locality"],
    "team": ["team", "squad", "unit"], "case": ["case", "FIR", "complaint"], "court": ["court", "judge"],
    "also": ["also", "further", "moreover"], "about": ["about", "nearly", "around", "some"],
    "linked": ["linked", "connected", "tied"], "used": ["used", "relied on", "exploited"],
    "warned": ["warned", "cautioned", "alerted"], "shared": ["shared", "handed over", "passed on"],
    "week": ["week", "fortnight"], "residents": ["residents", "citizens", "people"],
}
OPENERS = ["", "", "", "", "On {day}, ", "Earlier, ", "Separately, ", "Meanwhile, ", "In {place}, ",
           "Late on {day}, ", "Last {month}, ", "During a briefing, ", "A day earlier, ", "Since {month}, ",
           "According to the FIR, ", "In a statement, ", "After the raid, ", "Later, "]
SUBJECTS = ["the {acr}", "{person}", "{surname}", "{officials} of the {acr}", "a {team} of the {acr}",
            "the {acr} {team} in {place}", "{person2}", "investigators", "police in {place}", "the {acr2}",
            "a spokesperson for the {acr}", "the provincial home department", "prosecutors", "the {acr} chief",
            "a joint investigation {team}", "the interior ministry"]
PREDICATES = [
    "{arrested} {n} {suspects} wanted for {offence}", "froze {n} {things} {linked} to the {network}",
    "{recovered} Rs{money} million and {n} {things}", "{blocked} {n} {things} {used} for {offence}",
    "registered a {case} against {n} people over {offence}", "questioned {small} {suspects} about {offence}",
    "asked the {acr2} to trace {n} {things}", "sent {n} {things} for forensic examination",
    "sealed {small} shops in the {area}", "raided a house in {place} where {things} were kept",
    "traced {n} calls to a flat in {place}", "sought {small} {more} days of remand for {person2}",
    "{warned} {residents} against {offence}", "{shared} a list of {n} {things} with the {acr2}",
    "{began} an {investigation} into {offence} in {place}", "identified {n} {things} opened with forged papers",
    "put the losses at Rs{money} million", "found {n} {things} registered to one address in {place}",
    "produced {small} {suspects} before a {court} in {place}", "said the {network} had {used} {things}",
    "linked the {network} to {offence} in {place}", "estimated that {pct} percent of {things} were fake",
    "moved {small} {suspects} to {place} for questioning", "issued notices to {n} owners of {things}",
    "reported {n} complaints of {offence} in one {week}", "cancelled {n} {things} after a review",
    "offered a reward of Rs{money} million for {person2}", "placed {small} names on the exit control list",
]
ADJUNCTS = ["", "", "", " after a tip-off", " in {place}", " over the past {small} weeks", " on {day}",
            " with help from the {acr2}", " as part of a crackdown on {offence}", " in the early hours of {day}",
            " near the {place} bypass", " in a joint {operation}", " under the Anti-Terrorism Act",
            " following complaints from {residents} of {place}", " before dawn", " in the {area} of {place}"]
ATTRIBUTIONS = ["", "", "", ", {officials} {said}", ", {person} {said}", ", according to a statement",
                ", a source in the {acr} {said}", ", police {said}", ", the {acr} {said}"]
QUOTES = ["“We will not let {offence} go unpunished,” {person} {said}.",
          "“The {network} had been active for {small} years,” {surname} {said}.",
          "“More arrests are expected in {place},” a {acr} official {said}.",
          "“We have {shared} everything with the {acr2},” {person} {said}.",
          "{surname} {said} the {investigation} was {continuing} and {more} arrests were likely."]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]


class Reporter:
    """One report's facts and wording, drawn from a seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        (self.org, self.acr), (self.org2, self.acr2) = rng.sample(AGENCIES, 2)
        self.people = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(3)]
        self.places = rng.sample(PLACES, 4)
        self.offences = rng.sample(OFFENCES, 2)
        self.things = rng.sample(THINGS, 3)
        self.style = {word: rng.choice(options) for word, options in STYLE.items()}

    def fill(self, template: str) -> str:
        rng = self.rng
        person, person2 = rng.sample(self.people, 2)
        return template.format(
            **self.style, acr=self.acr, acr2=self.acr2, person=person, person2=person2,
            surname=person.split()[-1], place=rng.choice(self.places), offence=rng.choice(self.offences),
            things=rng.choice(self.things), day=rng.choice(DAYS), month=rng.choice(MONTHS),
            n=f"{rng.randint(12, 48_000):,}", small=rng.randint(2, 9), money=rng.randint(2, 900),
            pct=rng.randint(5, 80))

    def sentence(self) -> str:
        rng = self.rng
        if rng.random() < 0.12:
            text = self.fill(rng.choice(QUOTES))
        else:
            text = self.fill(rng.choice(OPENERS) + rng.choice(SUBJECTS) + " " + rng.choice(PREDICATES)
                             + rng.choice(ADJUNCTS) + rng.choice(ATTRIBUTIONS) + ".")
        return text[0].upper() + text[1:]


def generated_report(seed: str) -> tuple[str, list[str]]:
    """A headline and 800-1,000 words in paragraphs, the same for the same seed."""
    rng = random.Random(seed)
    reporter = Reporter(rng)
    headline = (f"{reporter.acr} {rng.choice(['widens', 'steps up', 'reviews', 'tightens'])} checks on "
                f"{reporter.things[0]} in {reporter.places[0]}")
    lead = (f"{reporter.places[0]}: The {reporter.org} ({reporter.acr}) " + reporter.fill(rng.choice(PREDICATES))
            + f", and said the {reporter.org2} ({reporter.acr2}) had been asked to help.")
    paragraphs = [lead]
    words, target = len(lead.split()), rng.randint(800, 1000)
    while words < target:
        paragraph = " ".join(reporter.sentence() for _ in range(rng.randint(2, 4)))
        paragraphs.append(paragraph)
        words += len(paragraph.split())
    return headline, paragraphs


# ------------------------------------------------------------------------------------------ the feed server


@dataclass(frozen=True)
class FeedSite:
    feeds: int
    items: int
    seed: int
    started: float

    def report_seed(self, feed: int, item: int) -> str:
        # Odd feeds republish two in five of the even feed's before them (one item in five overall): verbatim
        # copies for clustering to join into two-outlet stories.
        if feed % 2 == 1 and item % 5 in (0, 1):
            feed -= 1
        return f"{self.seed}-{feed}-{item}"

    def feed(self, origin: str, feed: int) -> bytes:
        items = []
        for item in range(self.items):
            headline, paragraphs = generated_report(self.report_seed(feed, item))
            published = formatdate(self.started - 600 * item - 37 * feed, usegmt=True)
            items.append(f"<item><title>{headline}</title><link>{origin}/news/{feed}/{item}</link>"
                         f"<guid>{origin}/news/{feed}/{item}</guid><pubDate>{published}</pubDate>"
                         f"<description>{paragraphs[0]}</description></item>")
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Load outlet {feed}'
                f"</title><link>{origin}/</link><description>Generated feed</description>{''.join(items)}"
                "</channel></rss>").encode()

    def page(self, feed: int, item: int) -> bytes:
        headline, paragraphs = generated_report(self.report_seed(feed, item))
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{headline}</title></head>'
                f"<body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>{headline}</h1>"
                f"<p class='byline'>By Desk {feed}</p>{body}</article><footer>Load outlet {feed}</footer>"
                "</body></html>").encode()


def serve_feeds(port_queue: multiprocessing.Queue[int], site: FeedSite) -> None:
    """The feed server's process: /feeds/<n>.xml and /news/<n>/<m> on 127.0.0.1, until it is terminated."""
    origin = {"value": ""}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            feed = re.fullmatch(r"/feeds/(\d+)\.xml", self.path)
            news = re.fullmatch(r"/news/(\d+)/(\d+)", self.path)
            if feed and int(feed[1]) < site.feeds:
                self._send(site.feed(origin["value"], int(feed[1])), "application/rss+xml")
            elif news and int(news[1]) < site.feeds and int(news[2]) < site.items:
                self._send(site.page(int(news[1]), int(news[2])), "text/html; charset=utf-8")
            else:
                self.send_error(404)

        def _send(self, body: bytes, content_type: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 256

    # The parent stops this process (SIGTERM); Ctrl-C is the parent's to handle. Forked, it inherited the
    # parent's handlers, which would print a traceback on the way out.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    with Server(("127.0.0.1", 0), Handler) as server:
        port = int(server.server_address[1])
        origin["value"] = f"http://127.0.0.1:{port}"
        port_queue.put(port)
        server.serve_forever(poll_interval=0.2)


# ------------------------------------------------------------------------------------------ processes


class Processes:
    """Every process this benchmark starts, each in a process group of its own, stopped by `stop_all`."""

    def __init__(self) -> None:
        self.started: list[tuple[str, subprocess.Popen[bytes]]] = []
        self.feed_server: multiprocessing.Process | None = None

    def start(self, name: str, argv: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
        with log_path.open("ab") as out:
            process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        self.started.append((name, process))
        return process

    def stop(self, name: str) -> None:
        for entry in [e for e in self.started if e[0] == name]:
            self._stop(*entry)
            self.started.remove(entry)

    def stop_all(self) -> None:
        for name, process in reversed(self.started):
            self._stop(name, process)
        self.started.clear()
        if self.feed_server is not None and self.feed_server.is_alive():
            self.feed_server.terminate()
            self.feed_server.join(10)
            if self.feed_server.is_alive():
                self.feed_server.kill()
                self.feed_server.join(5)

    @staticmethod
    def _stop(name: str, process: subprocess.Popen[bytes]) -> None:
        if process.poll() is None:
            log(f"stopping {name} (process group {process.pid})")
            for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
                try:
                    os.killpg(process.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    process.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        # A worker's children may outlive their leader; the group is ours either way.
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    if done.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(predicate: Callable[[], bool], timeout: float, what: str, alive: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        if not alive():
            raise SystemExit(f"gave up waiting for {what}: the process died")
        time.sleep(0.5)
    return False


# ------------------------------------------------------------------------------------------ the database


def build_archive(db: Path, stories: int) -> None:
    log(f"archive: dashboard.py --stories {stories} --db {db} --build-only --reuse")
    done = subprocess.run([PYTHON, str(ROOT / "benchmarks" / "dashboard.py"), "--stories", str(stories),
                           "--db", str(db), "--build-only", "--reuse"], cwd=ROOT, stdout=subprocess.PIPE)
    if done.returncode != 0:
        raise SystemExit(f"building the archive failed (exit {done.returncode})")


def read_meta(db: Path) -> dict[str, str]:
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        return dict(conn.execute("SELECT key, value FROM bench_meta").fetchall())


def working_copy(archive: Path, copy: Path) -> None:
    """Copies the archive for this run and makes sure the copy is in WAL mode, as the settings expect."""
    t0 = time.perf_counter()
    shutil.copyfile(archive, copy)
    if Path(f"{archive}-wal").exists():
        shutil.copyfile(f"{archive}-wal", f"{copy}-wal")
    with closing(sqlite3.connect(copy)) as conn:
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal":
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    log(f"working copy {copy} ({copy.stat().st_size / 1e9:.2f} GB) in {time.perf_counter() - t0:.1f} s; "
        f"journal_mode={mode}")
    if mode != "wal":
        raise SystemExit(f"could not put {copy} in WAL mode (it is {mode})")


@dataclass
class Parameters:
    """What the analysts ask for, read from the archive the way dashboard.py reads its fixtures."""

    n: int
    frequent_orgs: list[int]
    rare_orgs: list[int]
    page2_cursor: int
    common_words: list[str]
    rare_words: list[str]
    too_slow_mark: bytes


def prepare_in_django(env: dict[str, str], n: int, seed: int, clients: int) -> Parameters:
    """Users, outlet schedules and request parameters, through Django on the working copy (this process only)."""
    os.environ.update(env)
    import django

    django.setup()
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, User
    from django.db import connections
    from django.utils import timezone

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import dashboard  # noqa: E402 (a sibling script, importable once its folder is on the path)
    from monitor.views import TOO_SLOW
    from sources.models import Source

    # The archive's outlets are invented (*.example): left due, the worker would spend the run failing to
    # resolve them instead of ingesting.
    Source.objects.update(next_poll_at=timezone.now() + timedelta(days=1))
    group = Group.objects.get(name="analyst")
    password = make_password(PASSWORD)  # hashed once: a million PBKDF2 rounds per user would add seconds
    for i in range(1, clients + 1):
        user, _ = User.objects.update_or_create(username=f"analyst{i}", defaults={"password": password,
                                                                                   "is_active": True})
        user.groups.add(group)
    f = dashboard.read_fixtures(n, seed)
    connections.close_all()
    return Parameters(n=n, frequent_orgs=f.frequent_orgs, rare_orgs=f.rare_orgs or f.frequent_orgs,
                      page2_cursor=f.page2_cursor, common_words=list(f.common_words),
                      rare_words=list(f.rare_words) or list(f.common_words), too_slow_mark=TOO_SLOW[:40].encode())


def count_ingest(db: Path, source_ids: list[int]) -> dict[str, int]:
    """Our feeds' articles by status, read-only, so the count takes no lock the worker would wait on."""
    marks = ",".join("?" * len(source_ids))
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)) as conn:
        rows = conn.execute(f"SELECT status, count(*) FROM sources_article WHERE source_id IN ({marks}) "
                            "GROUP BY status", source_ids).fetchall()
    return {status: count for status, count in rows}


def our_source_ids(db: Path, prefix: str) -> list[int]:
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)) as conn:
        return [row[0] for row in conn.execute("SELECT id FROM sources_source WHERE url LIKE ?", [prefix + "%"])]


# ------------------------------------------------------------------------------------------ the analysts


class LoginFailed(Exception):
    pass


class Browser:
    """One analyst's connection and cookies. Not thread-safe: one per thread."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self._conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def request(self, method: str, path: str, body: str | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, http.client.HTTPResponse, bytes]:
        sent = {"Accept": "text/html", "Accept-Encoding": "identity", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            reused = self._conn is not None
            if self._conn is None:
                self._conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
            try:
                self._conn.request(method, path, body=body, headers=sent)
                response = self._conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if reused and attempt == 0:
                    continue  # the server closed an idle keep-alive connection: a browser retries at once
                raise
            except BaseException:
                self.close()
                raise
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            if response.will_close:
                self.close()
            return response.status, response, data
        raise AssertionError("unreachable")

    def login(self, username: str) -> None:
        status, _, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise LoginFailed(f"{username}: the login page answered {status} without a CSRF token")
        form = urlencode({"username": username, "password": PASSWORD, "next": "/",
                          "csrfmiddlewaretoken": token[1].decode()})
        status, response, _ = self.request("POST", "/accounts/login/", form,
                                           {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 302 or "sessionid" not in self.cookies:
            # Stop at the first failure: five in a row would lock the address out (django-axes).
            raise LoginFailed(f"{username}: login answered {status} (Location {response.getheader('Location')})")


@dataclass(frozen=True)
class RequestKind:
    name: str
    weight: int
    path: Callable[[random.Random, Parameters], str]


def org(rng: random.Random, p: Parameters) -> int:
    return rng.choice(p.frequent_orgs if rng.random() < 0.7 else p.rare_orgs)


def word(rng: random.Random, p: Parameters) -> str:
    return rng.choice(p.common_words if rng.random() < 0.7 else p.rare_words)


KINDS = [
    RequestKind("list", 20, lambda rng, p: "/"),
    RequestKind("list_page2", 8, lambda rng, p: f"/?after={p.page2_cursor}"),
    RequestKind("org", 14, lambda rng, p: f"/?org={org(rng, p)}"),
    RequestKind("search", 14, lambda rng, p: f"/?q={word(rng, p)}"),
    RequestKind("search_org", 8, lambda rng, p: f"/?q={rng.choice(p.common_words)}&org={org(rng, p)}"),
    RequestKind("facets", 10, lambda rng, p: f"/facets/?org={org(rng, p)}"),
    RequestKind("story", 14, lambda rng, p: f"/stories/{rng.randint(1, p.n)}/"),
    RequestKind("entity", 6, lambda rng, p: f"/entities/{org(rng, p)}/"),
    RequestKind("figures", 6, lambda rng, p: f"/figures/?subject={org(rng, p)}"),
]


@dataclass(frozen=True)
class Sample:
    kind: str
    path: str
    ms: float
    status: int  # 0: no HTTP answer (timeout, refused, reset)
    locked: bool
    too_slow: bool
    detail: str = ""


@dataclass
class Phase:
    name: str
    samples: list[Sample] = field(default_factory=list)
    seconds: float = 0.0


def browse(browser: Browser, rng: random.Random, params: Parameters, deadline: float, out: list[Sample],
           stop: threading.Event) -> None:
    weights = [k.weight for k in KINDS]
    while not stop.is_set() and time.monotonic() < deadline:
        kind = rng.choices(KINDS, weights)[0]
        path = kind.path(rng, params)
        t0 = time.perf_counter()
        try:
            status, response, body = browser.request("GET", path)
            if status in (301, 302):
                detail = f"to {response.getheader('Location')}"
            else:
                detail = "" if status == 200 else body[:200].decode(errors="replace")
        except (OSError, http.client.HTTPException) as exc:
            status, body, detail = 0, b"", f"{type(exc).__name__}: {exc}"
        ms = (time.perf_counter() - t0) * 1000
        out.append(Sample(kind.name, path, ms, status, LOCKED in body.lower(), params.too_slow_mark in body, detail))
        stop.wait(rng.uniform(*THINK_SECONDS))


def run_phase(name: str, browsers: list[Browser], params: Parameters, seconds: float, seed: int) -> Phase:
    phase = Phase(name)
    stop = threading.Event()
    deadline = time.monotonic() + seconds
    outs: list[list[Sample]] = [[] for _ in browsers]
    threads = [threading.Thread(target=browse, args=(b, random.Random(f"{seed}-{name}-{i}"), params, deadline,
                                                    outs[i], stop), name=f"analyst{i + 1}", daemon=True)
               for i, b in enumerate(browsers)]
    t0 = time.monotonic()
    for thread in threads:
        thread.start()
    try:
        while any(t.is_alive() for t in threads):
            time.sleep(0.5)
    finally:
        stop.set()
        for thread in threads:
            thread.join(REQUEST_TIMEOUT + 5)
    phase.seconds = time.monotonic() - t0
    phase.samples = [s for out in outs for s in out]
    return phase


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (as in dashboard.py)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] if ordered else 0.0


def summarise(phase: Phase) -> dict[str, Any]:
    per_kind: dict[str, Any] = {}
    for kind in KINDS:
        samples = [s for s in phase.samples if s.kind == kind.name]
        if not samples:
            continue
        times = [s.ms for s in samples]
        statuses = Counter(s.status for s in samples)
        entry: dict[str, Any] = {
            "n": len(samples), "p50_ms": round(percentile(times, 50), 1), "p95_ms": round(percentile(times, 95), 1),
            "max_ms": round(max(times), 1), "errors": sum(c for s, c in statuses.items() if s != 200),
            "too_slow": sum(s.too_slow for s in samples)}
        if entry["errors"]:
            entry["statuses"] = {str(s): c for s, c in sorted(statuses.items())}
            first = next(s for s in samples if s.status != 200)
            entry["first_error"] = f"{first.path} -> {first.status} {first.detail[:160]}"
        per_kind[kind.name] = entry
    all_times = [s.ms for s in phase.samples]
    return {
        "duration_s": round(phase.seconds, 1), "requests": per_kind, "total_requests": len(phase.samples),
        "requests_per_s": round(len(phase.samples) / phase.seconds, 1) if phase.seconds else 0.0,
        "p50_ms": round(percentile(all_times, 50), 1), "p95_ms": round(percentile(all_times, 95), 1),
        "errors": sum(s.status != 200 for s in phase.samples),
        "too_slow": sum(s.too_slow for s in phase.samples),
        "locked_in_responses": sum(s.locked for s in phase.samples),
    }


def print_phase(name: str, summary: dict[str, Any]) -> None:
    log(f"--- {name}: {summary['total_requests']} requests in {summary['duration_s']} s "
        f"({summary['requests_per_s']}/s), errors {summary['errors']}, too slow {summary['too_slow']}")
    for kind, r in summary["requests"].items():
        log(f"{kind:12} n {r['n']:5}  p50 {r['p50_ms']:8.1f} ms  p95 {r['p95_ms']:8.1f} ms  max {r['max_ms']:8.1f} ms"
            f"  errors {r['errors']}" + (f"  too slow {r['too_slow']}" if r["too_slow"] else "")
            + (f"  [{r['first_error']}]" if r["errors"] else ""))


# ------------------------------------------------------------------------------------------ CPU

TICKS = os.sysconf("SC_CLK_TCK")


def group_cpu_seconds(pgid: int) -> float:
    """CPU seconds used so far by the live processes of one process group (threads included)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[2]) == pgid:  # fields[0] is the state; pgrp, then utime and stime at 11 and 12
            total += int(fields[11]) + int(fields[12])
    return total / TICKS


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (every process, ours and other people's)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (sum(values) - values[3] - values[4]) / TICKS  # less idle and iowait


@dataclass(frozen=True)
class CpuReading:
    at: float
    machine: float
    groups: dict[str, float]
    client: float

    @classmethod
    def now(cls, groups: dict[str, int]) -> CpuReading:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return cls(time.monotonic(), machine_busy_seconds(),
                   {name: group_cpu_seconds(pgid) for name, pgid in groups.items()}, usage.ru_utime + usage.ru_stime)

    def cores_since(self, start: CpuReading) -> dict[str, float]:
        """Average cores busy between two readings: ours by process, and everyone else's."""
        wall = self.at - start.at
        ours = {name: (self.groups[name] - start.groups[name]) / wall for name in self.groups}
        ours["load_client"] = (self.client - start.client) / wall
        machine = (self.machine - start.machine) / wall
        return {"machine_cores": os.cpu_count() or 0, "busy": round(machine, 2),
                **{name: round(v, 2) for name, v in ours.items()},
                "everything_else": round(max(0.0, machine - sum(ours.values())), 2)}


# ------------------------------------------------------------------------------------------ logs


def scan_log(path: Path) -> dict[str, Any]:
    """Counts of the lines that matter in one process's log, and a few tracebacks to show."""
    lines = path.read_text(errors="replace").splitlines() if path.exists() else []
    starts = [i for i, line in enumerate(lines) if line.startswith("Traceback (most recent call last)")]
    excerpts = []
    for i in starts[:3]:
        end = next((j for j in range(i + 1, min(len(lines), i + 80)) if lines[j] and not lines[j][0].isspace()),
                   min(len(lines), i + 80))
        excerpts.append("\n".join(lines[max(0, i - 2):end + 1]))
    return {
        "locked": sum("database is locked" in line.lower() for line in lines),
        "tracebacks": len(starts),
        "server_errors": sum("Internal Server Error" in line for line in lines),
        # Django's lines say " ERROR name:", Huey's "] ERROR:huey…".
        "errors": sum(bool(re.search(r"[\s\]]ERROR[\s:]", line)) for line in lines),
        "warnings": sum(bool(re.search(r"[\s\]]WARNING[\s:]", line)) for line in lines),
        "excerpts": excerpts,
    }


# ------------------------------------------------------------------------------------------ main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, default=100_000, help="archive size (default 100,000)")
    parser.add_argument("--db", type=Path, help="the archive (default var/bench/load-N.sqlite3); built if missing, "
                                                "and only dashboard.py writes to it: each run works on a copy")
    parser.add_argument("--duration", type=float, default=120, help="seconds of load while ingesting (default 120)")
    parser.add_argument("--idle", type=float, default=0,
                        help="first measure this many seconds with the worker not yet started (default 0)")
    parser.add_argument("--clients", type=int, default=16, help="simulated analysts (default 16)")
    parser.add_argument("--feeds", type=int, default=20, help="feeds on the local feed server (default 20)")
    parser.add_argument("--items", type=int, default=25, help="items per feed (default 25)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work-dir", type=Path, help="folder for the copy, the var/ folder and the logs "
                                                      "(default: a new temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (the copy and the logs)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    archive = (args.db or ROOT / "var" / "bench" / f"load-{args.stories}.sqlite3").resolve()
    archive.parent.mkdir(parents=True, exist_ok=True)
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="monitor-load-"))
    work.mkdir(parents=True, exist_ok=True)
    processes = Processes()
    # SIGTERM (and SIGHUP) end the run the way Ctrl-C does: through the finally below, which stops everything.
    def interrupted(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGHUP, interrupted)
    # Started in the background by a shell, Python inherits SIGINT ignored; Ctrl-C or kill -INT should still work.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        report = run(args, archive, work, processes)
    except KeyboardInterrupt as exc:
        log(f"interrupted ({str(exc) or 'Ctrl-C'}): stopping everything")
        raise SystemExit(130) from None
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
        processes.stop_all()
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(report))


def run(args: argparse.Namespace, archive: Path, work: Path, processes: Processes) -> dict[str, Any]:
    build_archive(archive, args.stories)
    meta = read_meta(archive)
    n, seed = int(meta["stories"]), int(meta["seed"])
    db = work / "monitor.sqlite3"
    var = work / "var"
    var.mkdir(exist_ok=True)
    working_copy(archive, db)

    # The feed server is forked before this process loads Django or starts threads.
    site = FeedSite(args.feeds, args.items, args.seed, time.time())
    port_queue: multiprocessing.Queue[int] = multiprocessing.Queue()
    processes.feed_server = multiprocessing.Process(target=serve_feeds, args=(port_queue, site), daemon=True,
                                                    name="feed-server")
    processes.feed_server.start()
    feed_origin = f"http://127.0.0.1:{port_queue.get(timeout=30)}"
    log(f"feed server {feed_origin}: {args.feeds} feeds of {args.items} items")

    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "REDIS_URL", "HUEY_IMMEDIATE")}
    env.update({"DATABASE_URL": f"sqlite:///{db}", "MONITOR_VAR_DIR": str(var), "MONITOR_ALLOW_PRIVATE_FETCH": "1",
                "MONITOR_STARTER_FEEDS": "0", "DJANGO_SETTINGS_MODULE": "monitor.settings"})
    t0 = time.perf_counter()
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    params = prepare_in_django(env, n, seed, args.clients)
    log(f"migrated, static collected, {args.clients} analysts added, parameters read in "
        f"{time.perf_counter() - t0:.1f} s: orgs {params.frequent_orgs[:5]}…, words {params.common_words} / "
        f"{params.rare_words[:5]}…, page-2 cursor {params.page2_cursor}")
    manage(env, "addsource", *[f"{feed_origin}/feeds/{i}.xml" for i in range(args.feeds)])
    source_ids = our_source_ids(db, feed_origin)
    log(f"added {len(source_ids)} sources")

    port = free_port()
    web_log, worker_log = work / "gunicorn.log", work / "worker.log"
    web = processes.start("gunicorn", [GUNICORN, "monitor.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                                       "--threads", "4", "--timeout", "60", "--access-logfile", str(work / "access.log"),
                                       "--access-logformat", '%(t)s "%(r)s" %(s)s %(B)s %(M)sms'],
                          env, web_log)

    def answering() -> bool:
        try:
            with closing(http.client.HTTPConnection("127.0.0.1", port, timeout=5)) as conn:
                conn.request("GET", "/accounts/login/")
                return conn.getresponse().status == 200
        except OSError:
            return False

    if not wait_until(answering, 60, "gunicorn", lambda: web.poll() is None):
        raise SystemExit(f"gunicorn did not answer within 60 s; see {web_log}")
    log(f"gunicorn on 127.0.0.1:{port} (2 workers x 4 threads)")
    browsers = [Browser(port) for _ in range(args.clients)]
    for i, browser in enumerate(browsers, start=1):
        browser.login(f"analyst{i}")
    log(f"{len(browsers)} analysts signed in")

    report: dict[str, Any] = {"stories": n}
    if args.idle > 0:
        log(f"measuring {args.idle:.0f} s with the worker not started")
        idle_start = CpuReading.now({"gunicorn": web.pid})
        idle = summarise(run_phase("idle", browsers, params, args.idle, args.seed))
        idle_cpu = CpuReading.now({"gunicorn": web.pid}).cores_since(idle_start)
        print_phase("idle (no worker)", idle)
        log(f"CPU over the idle window, in cores: {idle_cpu}")
        report["idle"] = {**{k: idle[k] for k in ("duration_s", "total_requests", "p50_ms", "p95_ms", "errors",
                                                  "too_slow", "requests")}, "cpu_cores": idle_cpu}

    worker = processes.start("worker", [PYTHON, "manage.py", "run_huey"], env, worker_log)
    t_worker = time.monotonic()

    def tagged() -> int:
        return count_ingest(db, source_ids).get("tagged", 0)

    if wait_until(lambda: tagged() > 0, 300, "the worker's first tagged article", lambda: worker.poll() is None):
        log(f"worker started; first article tagged after {time.monotonic() - t_worker:.0f} s: "
            f"{count_ingest(db, source_ids)}")
        report["ingest_started"] = True
    else:
        log(f"WARNING: no article tagged within 300 s of starting the worker ({count_ingest(db, source_ids)}); "
            "measuring anyway")
        report["ingest_started"] = False

    before = count_ingest(db, source_ids)
    cpu_start = CpuReading.now({"gunicorn": web.pid, "worker": worker.pid})
    timeline: list[tuple[float, int]] = []
    sampling = threading.Event()

    def sample_ingest() -> None:
        start = time.monotonic()
        while not sampling.wait(10):
            try:
                timeline.append((round(time.monotonic() - start), tagged()))
                log(f"  {timeline[-1][0]:4} s: {timeline[-1][1]} articles tagged")
            except sqlite3.Error as exc:
                log(f"  could not count articles: {exc}")

    sampler = threading.Thread(target=sample_ingest, daemon=True)
    sampler.start()
    log(f"load: {len(browsers)} analysts for {args.duration:.0f} s while the worker ingests")
    try:
        loaded = run_phase("ingest", browsers, params, args.duration, args.seed)
    finally:
        sampling.set()
    after = count_ingest(db, source_ids)
    cpu = CpuReading.now({"gunicorn": web.pid, "worker": worker.pid}).cores_since(cpu_start)
    log(f"CPU over the window, in cores: {cpu}")
    summary = summarise(loaded)
    print_phase("under ingest", summary)
    if worker.poll() is not None:
        log(f"WARNING: the worker exited during the run (code {worker.returncode})")
    for browser in browsers:
        browser.close()
    processes.stop("worker")
    processes.stop("gunicorn")

    logs = {"gunicorn": scan_log(web_log), "worker": scan_log(worker_log)}
    for name, found in logs.items():
        log(f"{name} log: {found['locked']} 'database is locked', {found['tracebacks']} tracebacks, "
            f"{found['server_errors']} 'Internal Server Error', {found['errors']} ERROR lines, "
            f"{found['warnings']} WARNING lines")
        for excerpt in found["excerpts"]:
            log(f"--- {name} log excerpt:\n{excerpt}")
    locked = {"gunicorn_log": logs["gunicorn"]["locked"], "worker_log": logs["worker"]["locked"],
              "responses": summary["locked_in_responses"]}
    report.update({
        "duration_s": summary["duration_s"], "clients": len(browsers), "requests": summary["requests"],
        "total_requests": summary["total_requests"], "requests_per_s": summary["requests_per_s"],
        "p50_ms": summary["p50_ms"], "p95_ms": summary["p95_ms"], "errors": summary["errors"],
        "too_slow": summary["too_slow"], "database_locked": sum(locked.values()),
        "database_locked_by_place": locked,
        "articles_tagged_during_run": after.get("tagged", 0) - before.get("tagged", 0),
        "articles": {"at_start": before, "at_end": after}, "tagged_timeline": timeline,
        "worker_tracebacks": logs["worker"]["tracebacks"], "gunicorn_tracebacks": logs["gunicorn"]["tracebacks"],
        "server_errors_logged": logs["gunicorn"]["server_errors"],
        "cpu_cores_during_run": cpu, "feeds": args.feeds, "items_per_feed": args.items, "load_avg_at_end": list(os.getloadavg()),
    })
    return report


if __name__ == "__main__":
    main()
