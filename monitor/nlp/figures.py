"""Figures: the numbers a story reports as fact or claim, with what they count.

For: finding each quantity (digits, number words, scale words, currencies, percentages, vague
plurals such as "hundreds"), leaving out numbers that are not figures (dates, years, ages, times,
phone numbers, section numbers, numbers inside names, list markers), and attaching the counted
noun phrase, the qualifier ("at least", "over", "about" …), the body that reported the figure or
did what it counts (the named ``SUBJECT_RULES``) and the date the sentence gives. The rules read
entity spans and the coarse word classes of ``lexical_tags``: measurement showed the dependency
parser and even the statistical tagger cost more than they added here.
Not for: names of organisations, people or places (``entities``).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from monitor.nlp.lexical_tags import lexical_tag
from monitor.nlp.matching import document_text
from monitor.nlp.analysis import Figure
from monitor.nlp.quantities import (
    CURRENCY_UNITS,
    DOZEN,
    SCALES,
    TENS,
    VAGUE,
    parse_digits,
    tidy_value,
    word_value,
)

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
TIME_UNITS = {"day", "days", "week", "weeks", "month", "months", "year", "years", "hour", "hours",
              "minute", "minutes", "decade", "decades", "night", "nights"}
# Words right before a number that make it a reference, not a quantity: "Section 11-B", "No. 5".
REFERENCE_WORDS = {"section", "sections", "article", "articles", "clause", "sub-section", "subsection",
                   "para", "paragraph", "chapter", "schedule", "rule", "no", "number", "ppc", "crpc",
                   "amendment", "item", "page", "room", "flight", "route", "block", "sector", "street",
                   "phase", "grade", "scale", "bps", "level", "version", "model", "channel", "+",
                   "helpline", "hotline", "uan", "tel", "phone", "fax", "ext", "extension"}
NAME_LABELS = {"ORG", "PERSON", "GPE", "FAC", "PRODUCT", "WORK_OF_ART", "LAW", "EVENT", "NORP", "LOC"}
QUALIFIERS: list[tuple[tuple[str, ...], str, bool]] = [
    (("as", "many", "as"), "as many as", False), (("as", "much", "as"), "as much as", False),
    (("in", "excess", "of"), "more than", False), (("at", "least"), "at least", False),
    (("more", "than"), "more than", False), (("less", "than"), "less than", False),
    (("fewer", "than"), "fewer than", False), (("up", "to"), "up to", False),
    (("close", "to"), "nearly", True), (("upwards", "of"), "more than", False),
    (("an", "estimated"), "about", True), (("nearly",), "nearly", True), (("almost",), "nearly", True),
    (("about",), "about", True), (("around",), "about", True), (("approximately",), "about", True),
    (("roughly",), "about", True), (("some",), "about", True), (("estimated",), "about", True),
    (("over",), "over", False), (("above",), "over", False), (("under",), "under", False),
    (("below",), "under", False), (("only",), "only", False), (("just",), "only", False),
]
NOUN_TAGS = {"NN", "NNS", "NNP", "NNPS"}
# A percentage after these words is a change in something counted earlier in the sentence:
# "6,214 incidents, down 11 percent", "38,000 reports, an increase of 23 percent".
CHANGE_MARKERS = {"up", "down"}
CHANGE_NOUNS = {"increase", "rise", "jump", "surge", "growth", "decrease", "decline", "drop", "fall", "reduction", "dip"}
# "violence had risen by 27 percent": the percentage measures the verb's subject.
CHANGE_VERBS = {"risen", "rose", "rise", "rises", "grown", "grew", "grow", "grows", "increased", "increase",
                "increases", "decreased", "decrease", "fallen", "fell", "fall", "dropped", "drop", "declined",
                "decline", "jumped", "surged", "climbed", "shrunk", "shrank", "gone", "went", "soared", "plunged"}
# "internet users had crossed 140 million": the number is a level the subject reached.
LEVEL_VERBS = {"crossed", "reached", "exceeded", "surpassed", "touched", "hit", "topped", "stood", "stands",
               "rose", "risen", "climbed", "grew", "grown", "jumped", "fell", "dropped", "declined"}
AUXILIARIES = {"had", "has", "have", "was", "were", "is", "are", "been", "be", "will", "would", "now",
               "already", "also", "just"}
CLAUSE_OPENERS = {"that", "said", "says", "while", "whereas", "as", "after", "because", "since", "when", "and", "but"}
MODIFIER_TAGS = {"JJ", "JJR", "JJS", "VBG", "VBN", "HYPH", "``", "''", "CD"}
_DATE_DAY = re.compile(
    r"\b(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_DATE_MONTH = re.compile(
    r"\b(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?,?\s+((?:19|20)\d\d)\b", re.IGNORECASE
)
_DATE_YEAR = re.compile(r"\b(?:in|during|since|by|until|till|of|for|through)\s+((?:19|20)\d\d)\b", re.IGNORECASE)
_AGE_AFTER = re.compile(r"^\s*-?\s*(?:years?|yrs?)\s*-?\s*old\b", re.IGNORECASE)


@dataclass
class Quantity:
    start: int  # first token, including a currency sign before the number
    number_start: int
    end: int
    value: float | None
    unit: str | None
    vague: bool = False
    approx: bool = False
    of_phrase: bool = False  # "thousands of X", "a couple of X": what is counted follows "of"


@dataclass
class OrganisationSpan:
    start: int  # characters
    end: int
    name: str
    kind: str | None = None


def find_figures(doc: Doc, organisations: Sequence[OrganisationSpan], skip: Sequence[tuple[int, int]]) -> list[Figure]:
    figures: list[Figure] = []
    recent: list[tuple[int, str]] = []  # (sentence start char, counts) of figures found so far
    attributed: list[tuple[int, str, str]] = []  # (sentence start char, subject, rule) of figures so far
    seen: set[tuple[object, ...]] = set()
    i = 0
    while i < len(doc):
        quantity = _read_quantity(doc, i)
        if quantity is None:
            i += 1
            continue
        i = max(quantity.end, i + 1)
        if any(a <= doc[quantity.start].idx < b for a, b in skip) or _is_not_a_figure(doc, quantity):
            continue
        sentence = doc[quantity.number_start].sent
        counts, phrase_end = _counted_phrase(doc, quantity)
        counts_rule = "counted-phrase"
        if counts is None:
            counts, phrase_end = _copula_predicate(doc, quantity, sentence)
            counts_rule = "copula-predicate"
        if counts is None:
            counts = _counts_from_context(doc, quantity, sentence, recent)
            phrase_end = quantity.end
            counts_rule = "counts-from-context"
        if counts is None:
            continue
        qualifier, approx = _qualifier(doc, quantity.start)
        span = doc[quantity.start : phrase_end]
        subject, subject_rule = attribute_figure(
            FigureContext(doc, sentence, span.start_char, span.end_char, organisations, attributed)
        )
        if subject is not None:
            attributed.append((sentence.start_char, subject, subject_rule))
        value = tidy_value(quantity.value) if quantity.value is not None else None
        # The same words counting the same thing again ("11 terrorists" in the lead and the body)
        # are one figure; "two years" and "a couple of years" stay two.
        key = (re.sub(r"\s+", " ", doc[quantity.start : quantity.end].text.lower()), quantity.unit, counts.lower())
        recent.append((sentence.start_char, counts))
        if key in seen:
            continue
        seen.add(key)
        figures.append(Figure(
            text=span.text, value=value, unit=quantity.unit, counts=counts, qualifier=qualifier,
            approx=approx or quantity.approx or quantity.vague, start=span.start_char, end=span.end_char,
            sentence=sentence.text.strip(), subject=subject, subject_rule=subject_rule,
            date=sentence_date(sentence.text), rule=f"{_reading_rule(doc, quantity)}+{counts_rule}",
        ))
    return figures


def _reading_rule(doc: Doc, q: Quantity) -> str:
    """How the number was read, for explaining a figure."""
    if q.vague:
        return "vague-quantity"
    if q.unit == "percent":
        return "percentage"
    if q.unit:
        return "money"
    return "digits" if any(ch.isdigit() for ch in doc[q.number_start].text) else "number-words"


def _tag(token: Token) -> str:
    return lexical_tag(token.text)


# --- reading the number ------------------------------------------------------------------------

def _read_quantity(doc: Doc, i: int) -> Quantity | None:
    token = doc[i]
    lower = token.lower_
    n = len(doc)
    currency: str | None = None
    start = i
    if lower in CURRENCY_UNITS and len(lower) <= 4 and i + 1 < n and parse_digits(doc[i + 1].text):
        currency = CURRENCY_UNITS[lower]
        i += 1
        token, lower = doc[i], doc[i].lower_
    parsed = parse_digits(token.text)
    value: float | None
    end = i + 1
    unit: str | None = currency
    if parsed:
        value, own_currency, percent = parsed
        unit = own_currency or unit
        if percent:
            unit = "percent"
    elif (word := word_value(token.text)) is not None:
        value = float(word)
        if lower in TENS and i + 2 < n and doc[i + 1].text == "-" and (unit_word := word_value(doc[i + 2].text)):
            value += unit_word
            end = i + 3
        if value == 1 and not (end < n and doc[end].lower_ in SCALES):
            return None  # "one of the accused", "one day": rarely a reported count
    elif lower in VAGUE:
        of_phrase = i + 1 < n and doc[i + 1].lower_ == "of"
        if lower == "tens" and not of_phrase:
            return None
        return Quantity(start, i, i + 1, None, None, vague=True, of_phrase=of_phrase)
    elif lower in DOZEN and i + 1 < n and doc[i + 1].lower_ == "of":
        return Quantity(i, i, i + 1, float(DOZEN[lower]), None, approx=True, of_phrase=True)
    else:
        return None
    while end < n and doc[end].lower_ in SCALES:
        if doc[end].lower_ in ("m", "b", "k", "cr") and unit is None:
            break  # a bare "m" after a number is as often metres as millions
        value *= SCALES[doc[end].lower_]
        end += 1
    if end < n and (doc[end].text == "%" or doc[end].lower_ in ("percent", "pc")):
        unit, end = "percent", end + 1
    elif end + 1 < n and doc[end].lower_ == "per" and doc[end + 1].lower_ == "cent":
        unit, end = "percent", end + 2
    elif end < n and doc[end].lower_ in CURRENCY_UNITS and len(doc[end].text) > 1:
        unit, end = CURRENCY_UNITS[doc[end].lower_], end + 1
    if unit is None:
        # "United States Dollar (USD) 3 million", "Rs. 5 lakh" written with a gap
        for back in (1, 2):
            k = start - back
            if k >= 0 and doc[k].lower_ in CURRENCY_UNITS and (back == 1 or doc[start - 1].text == ")"):
                unit = CURRENCY_UNITS[doc[k].lower_]
                start = k if back == 1 else start
                break
    return Quantity(start, i, end, value, unit)


def _is_not_a_figure(doc: Doc, q: Quantity) -> bool:
    token = doc[q.number_start]
    text = token.text
    before = doc[q.start - 1] if q.start > 0 else None
    after = doc[q.end] if q.end < len(doc) else None
    if token.ent_type_ in NAME_LABELS:
        return True
    if before is not None and (before.lower_.rstrip(".") in REFERENCE_WORDS or before.lower_ in ("aged", "age")):
        return True
    if _follows_reference(doc, q.start):
        return True  # "the helpline, 1700,", "Sections 3 and 4"
    if _is_age_in_apposition(doc, q):
        return True  # "Sepoy Naeem Ullah, 24, and ..."
    if before is not None and before.text in ("-", "/") and q.start > 1 and doc[q.start - 2].text[-1:].isalnum():
        return True  # "F-16", "COVID-19", "G-20"
    if after is not None and after.text in ("-", "/", ":") and q.end + 1 < len(doc):
        nxt = doc[q.end + 1].text
        if nxt[:1].isdigit() or (nxt[:1].isupper() and len(nxt) <= 2):
            return True  # "11-B", "10-15", "10:30", "0300-1234567"
    if _is_month(before) or _is_month(after):
        return True
    if _AGE_AFTER.match(document_text(doc)[doc[q.end - 1].idx + len(doc[q.end - 1].text):][:20]):
        return True
    if text[:1] == "0" and len(text) > 2 and text[1:2].isdigit():
        return True  # leading zero: phone numbers, codes
    if after is not None and after.lower_ in ("am", "pm", "a.m.", "p.m.", "hrs", "gmt", "pst"):
        return True
    if q.value is not None and q.unit is None and re.fullmatch(r"(19|20)\d\d", text):
        if not (after is not None and _tag(after) == "NNS" and after.lower_ not in TIME_UNITS):
            return True  # a year
    if token.ent_type_ in ("DATE", "TIME"):
        ent = next((e for e in doc.ents if e.start <= token.i < e.end), None)
        if ent is not None and _is_calendar_date(ent):
            return True
    line_start = document_text(doc).rfind("\n", 0, token.idx) + 1
    if not document_text(doc)[line_start : token.idx].strip() and after is not None and after.text in (".", ")"):
        return True  # a list marker "1." at the start of a line
    return False


def _follows_reference(doc: Doc, start: int) -> bool:
    """A number set off by a comma after a reference word, or the later items of a list of references."""
    k = start - 1
    while k >= 0 and doc[k].text in (",", "and", "or", "to", "&") or k >= 0 and k < start - 1 and doc[k].like_num:
        k -= 1
        if start - k > 8:
            return False
    return k >= 0 and k < start - 1 and doc[k].lower_.rstrip(".") in REFERENCE_WORDS


def _is_age_in_apposition(doc: Doc, q: Quantity) -> bool:
    """A bare one- or two-digit number between commas or brackets right after a name is an age."""
    if q.unit is not None or q.value is None or q.end - q.number_start != 1 or not (1 <= q.value < 100):
        return False
    if q.start < 2 or q.end >= len(doc):
        return False
    before, name, after = doc[q.start - 1], doc[q.start - 2], doc[q.end]
    opened = (before.text == "," and after.text in (",", ";")) or (before.text == "(" and after.text == ")")
    return opened and name.is_alpha and name.text[:1].isupper() and (name.ent_type_ == "PERSON" or not name.is_sent_start)


def _is_month(token: Token | None) -> bool:
    return token is not None and token.text[:1].isupper() and token.lower_.rstrip(".") in MONTHS and token.lower_ != "may"


def _is_calendar_date(ent: Span) -> bool:
    if any(_is_month(t) for t in ent) or re.search(r"\b(19|20)\d\d\b|/|monday|tuesday|wednesday|thursday|friday|saturday|sunday", ent.text, re.IGNORECASE):
        return True
    return any(_tag(t) == "JJ" and t.lower_ in ("first", "second", "third", "last", "next") for t in ent) and not any(
        t.lower_ in TIME_UNITS for t in ent if _tag(t) == "NNS"
    )


# --- what is counted -----------------------------------------------------------------------------

def _counted_phrase(doc: Doc, q: Quantity) -> tuple[str | None, int]:
    if q.unit is not None:
        return None, q.end  # money counts its currency; a percentage what comes before or after "of"
    k = q.end
    n = len(doc)
    if q.of_phrase and k < n and doc[k].lower_ == "of":
        k += 1
        while k < n and doc[k].lower_ in ("the", "these", "those", "its", "their", "our", "his", "her"):
            k += 1
    elif k + 1 < n and doc[k].text == "-" and doc[k + 1].is_alpha and doc[k + 1].text.islower():
        k += 1  # "37-page report", "seven-day remand"
    elif q.of_phrase or q.vague:
        return None, q.end
    start = k
    last_noun = -1
    while k < n and k - start < 8:
        t = doc[k]
        if t.is_space or "\n" in t.text or (k > start and any(ch.isdigit() for ch in t.text)):
            break  # the next figure: "three suicide vests and Rs1.5 million"
        if k > start and t.lower_ in CURRENCY_UNITS and k + 1 < n and doc[k + 1].like_num:
            break  # "three pistols and Rs 318,000": the currency opens the next figure
        is_noun = _tag(t) in NOUN_TAGS or (t.text.isupper() and t.is_alpha and len(t.text) > 1)  # "SIMS" tagged JJ
        if is_noun and (t.ent_type_ not in ("PERSON", "DATE", "TIME") or t.lower_ in TIME_UNITS) and t.text[:1].isalpha():
            last_noun = k
        elif _tag(t) in MODIFIER_TAGS or t.text in ("-", "“", "”", '"'):
            if _tag(t) == "CD" and k == start:
                break
        elif k + 2 < n and doc[k + 1].text == "-" and not t.whitespace_ and not doc[k + 1].whitespace_ and doc[k + 2].is_alpha:
            pass  # the first half of a hyphenated modifier: "212 on-site inspections", "two off-duty policemen"
        elif _tag(t) == "CC" and last_noun >= 0 or _tag(t) == "CC" and k > start and _tag(doc[k - 1]) in ("JJ",):
            if not (k + 1 < n and (_tag(doc[k + 1]) in NOUN_TAGS or _tag(doc[k + 1]) in ("JJ", "VBG", "``"))):
                break
            if _opens_next_quantity(doc, k):
                break  # the counted noun ends before the next quantity
        else:
            break
        k += 1
    if last_noun >= start:
        phrase = doc[start : last_noun + 1].text
        return _tidy_counts(phrase), last_noun + 1
    # "two accused", "five injured": a participle or adjective standing for its noun
    if start < n and _tag(doc[start]) in ("VBN", "JJ") and start == q.end and (
        start + 1 >= n or _tag(doc[start + 1]) not in NOUN_TAGS | {"JJ", "DT", "RP", "PRP"}
    ) and doc[start].is_alpha:
        return doc[start].text, start + 1
    return None, q.end


_COPULAS = frozenset({"are", "were", "is", "was"})


def _copula_predicate(doc: Doc, q: Quantity, sentence: Span) -> tuple[str | None, int]:
    """"among those arrested, eight are proclaimed offenders": a bare number counts its predicate noun."""
    if q.unit is not None or q.vague or q.end + 1 >= sentence.end or doc[q.end].lower_ not in _COPULAS:
        return None, q.end
    start = q.end + 1
    if doc[start].lower_ in ("all", "also"):
        start += 1
    phrase = _noun_phrase_after(doc, start, min(sentence.end, start + 5))
    return (phrase, q.end) if phrase else (None, q.end)


def _opens_next_quantity(doc: Doc, k: int) -> bool:
    """After "and"/"or" at k, another quantity: "hundreds of NADRA forms and thousands of ..."."""
    n = len(doc)
    # Only another quantity is safe to cut at: "sites and pages were blocked" and "suspects and police
    # recovered" look alike to word lists, and a comma before "and" already ends the phrase.
    return k + 1 < n and (doc[k + 1].lower_ in VAGUE or word_value(doc[k + 1].text) is not None)


def _tidy_counts(phrase: str) -> str:
    phrase = re.sub(r"[“”\"]", "", phrase)
    phrase = re.sub(r"\s*-\s*", "-", phrase)
    return re.sub(r"\s+", " ", phrase).strip()


def _counts_from_context(doc: Doc, q: Quantity, sentence: Span, recent: list[tuple[int, str]]) -> str | None:
    if q.unit in ("PKR", "USD", "GBP", "EUR"):
        return {"PKR": "rupees", "USD": "dollars", "GBP": "pounds", "EUR": "euros"}[q.unit]
    # "raised the number of anti-cyber crime offices to 15"
    for k in range(q.start - 1, sentence.start, -1):
        if doc[k].lower_ == "of" and doc[k - 1].lower_ in ("number", "total", "count", "tally"):
            phrase = _noun_phrase_after(doc, k + 1, q.start)
            if phrase:
                return phrase
    if q.unit == "percent":
        after = q.end
        if after < len(doc) and doc[after].lower_ == "of":
            phrase = _noun_phrase_after(doc, after + 1, min(len(doc), after + 10))
            if phrase:
                return phrase
        verb = _verb_before(doc, q.start, sentence.start, {"by"})
        if verb is not None and doc[verb].lower_ in CHANGE_VERBS:
            phrase = _clause_subject(doc, verb, sentence.start)
            if phrase:
                return phrase
        if _is_change(doc, q.start, sentence.start):
            earlier = [counts for start, counts in recent if start == sentence.start_char]
            if earlier:
                return earlier[-1]
        return _noun_phrase_before(doc, q.start, sentence.start)
    if q.unit is None:
        verb = _verb_before(doc, q.start, sentence.start, {"at", "to"})
        if verb is not None and doc[verb].lower_ in LEVEL_VERBS:
            phrase = _clause_subject(doc, verb, sentence.start)
            if phrase:
                return phrase
    # "out of the 56,696 complaints received, 11028 were investigated": the count before it
    if recent:
        sentence_start, counts = recent[-1]
        if sentence_start >= min(_sentence_start_n_back(doc, sentence, 3), sentence.start_char - 300):
            return counts
    return None


def _verb_before(doc: Doc, start: int, limit: int, particles: set[str]) -> int | None:
    """The word before a figure, past a particle ("by", "to") and a qualifier: "had risen by (up to) 40"."""
    k = start - 1
    for phrase, _, _ in QUALIFIERS:
        words = tuple(t.lower_ for t in doc[max(limit, k - len(phrase) + 1) : k + 1])
        if words == phrase:
            k -= len(phrase)
            break
    if k >= limit and doc[k].lower_ in particles:
        k -= 1
    return k if k >= limit and doc[k].is_alpha else None


def _is_change(doc: Doc, start: int, limit: int) -> bool:
    before = [t.lower_ for t in doc[max(limit, start - 3) : start]]
    if before[-1:] and before[-1] in CHANGE_MARKERS:
        return True
    return len(before) >= 2 and before[-1] == "of" and before[-2] in CHANGE_NOUNS


def _clause_subject(doc: Doc, verb: int, limit: int) -> str | None:
    """The noun phrase that opens the clause a verb belongs to: "[demand] for guards ... had grown"."""
    k = verb - 1
    while k >= limit and doc[k].lower_ in AUXILIARIES:
        k -= 1
    end = k + 1
    while k >= limit and doc[k].lower_ not in CLAUSE_OPENERS and doc[k].text not in (",", ";", ":", "\u201c", '"'):
        k -= 1
    return _noun_phrase_after(doc, k + 1, end) if end > k + 1 else None


def _sentence_start_n_back(doc: Doc, sentence: Span, n: int) -> int:
    start = sentence.start
    for _ in range(n):
        if start == 0:
            break
        start = doc[start - 1].sent.start
    return doc[start].idx


def _noun_phrase_after(doc: Doc, start: int, limit: int) -> str | None:
    while start < limit and doc[start].lower_ in ("the", "a", "an", "these", "those", "its", "their"):
        start += 1
    k, last = start, -1
    while k < limit and (_tag(doc[k]) in NOUN_TAGS | MODIFIER_TAGS or doc[k].text in ("-", "'s", "\u2019s")):
        if doc[k].text in ("'s", "\u2019s"):
            start, last = k + 1, -1  # "the authority's takedown requests": the owner is not what is counted
        elif _tag(doc[k]) in NOUN_TAGS:
            last = k
        k += 1
    return _tidy_counts(doc[start : last + 1].text) if last >= start else None


def _noun_phrase_before(doc: Doc, end: int, limit: int) -> str | None:
    k = end - 1
    while k >= limit and _tag(doc[k]) not in ("NNS", "NN"):
        k -= 1
    if k < limit:
        return None
    last = k
    while k - 1 >= limit and (_tag(doc[k - 1]) in NOUN_TAGS | {"JJ", "HYPH", "VBG"} or doc[k - 1].text == "-"):
        k -= 1
    # The head of "conviction rate in trafficking cases" is the rate, so take the phrase it hangs on.
    if k - 2 >= limit and doc[k - 1].lower_ in ("in", "of", "for", "among") and _tag(doc[k - 2]) in ("NN", "NNS"):
        k -= 2
        while k - 1 >= limit and (_tag(doc[k - 1]) in NOUN_TAGS | {"JJ", "HYPH", "VBG"} or doc[k - 1].text == "-"):
            k -= 1
    return _tidy_counts(doc[k : last + 1].text)


# --- qualifier and date ------------------------------------------------------------------------

def _qualifier(doc: Doc, start: int) -> tuple[str | None, bool]:
    words = [t.lower_ for t in doc[max(0, start - 3) : start]]
    for phrase, name, approx in QUALIFIERS:
        if tuple(words[-len(phrase):]) == phrase:
            return name, approx
    return None, False


# --- who the figure belongs to -------------------------------------------------------------------
# The subject is the body that reported the figure or did what it counts, not the nearest organisation:
# the committee a ministry briefed, the regulator complaints were sent to, the department a budget pays
# for, an outlet that carried the story and a body named inside the counted phrase are none of them. Each
# rule reads one sentence and names an organisation or has no opinion; the first with an opinion decides
# and its name is kept in ``Figure.subject_rule``.

REPORTING_VERBS = frozenset({
    "said", "says", "say", "told", "tells", "informed", "briefed", "announced", "announces", "claimed", "claims",
    "reported", "reports", "stated", "revealed", "reveals", "added", "disclosed", "confirmed", "noted", "shared",
    "estimated", "recorded", "published", "compiled", "presented", "maintained", "highlighted",
})
ACTION_VERBS = frozenset({
    "arrested", "arrests", "blocked", "blocks", "recovered", "recovers", "registered", "conducted", "conducts",
    "launched", "issued", "released", "seized", "seizes", "killed", "kills", "detained", "nabbed", "nabs",
    "apprehended", "raided", "received", "allocated", "approved", "sanctioned", "spent", "banned", "bans",
    "proscribed", "declared", "filed", "carried", "busted", "dismantled", "identified", "traced", "collected",
    "deported", "intercepted", "suspended", "blacklisted", "removed", "processed", "foiled", "imposed",
    "booked", "confiscated", "unearthed", "deployed", "sealed", "handed", "rescued", "froze", "frozen",
})
# Words that may stand between a body and its verb: "The FIA on Tuesday said", "the FIA official said".
_VERB_GAP = frozenset({
    "has", "have", "had", "also", "on", "earlier", "today", "yesterday", "recently", "reportedly", "further",
    "this", "last", "month", "week", "year", "now", "jointly", "successfully", "official", "officials",
    "spokesman", "spokesperson", "spokeswoman", "sources", "source", "chief", "head", "director",
    "chairman", "headquarters", "while", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "in", "its", "statement", "report", "a", "'s", "\u2019s",
})
_PASSIVE_AUXILIARIES = frozenset({"was", "were", "been", "being", "is", "are", "be"})
# A body right after these words is the one told, paid for, written to or acted on, not the reporter.
_OTHER_PART_WORDS = frozenset({"to", "told", "informed", "briefed", "before", "for", "against", "on", "of", "at",
                               "in", "using", "via", "into", "with", "toward", "towards", *ACTION_VERBS})
# "MQM MPA Manzar Imam", "TLP workers": the body names a person's or a group's affiliation.
_AFFILIATION_WORDS = frozenset({"mpa", "mna", "mpas", "mnas", "leader", "leaders", "worker", "workers",
                                "member", "members", "activist", "activists", "senator", "candidate"})
_SKIPPED_BEFORE = frozenset({"the", "a", "an", "its", "their"})
_WORD = re.compile(r"\(\s*[A-Z][\w&.\-]*\s*\)|[\w'\u2019.\-]+|[^\w\s]")
_ACCORDING_TO = re.compile(r"according to\b[^,;.!?]*$", re.IGNORECASE)
_REPORT_BY = re.compile(
    r"\b(?:report|reports|statement|data|figures|survey|study|notification|press release)\s+"
    r"(?:[\w-]+\s+)?(?:by|from)\s+(?:the\s+)?$", re.IGNORECASE)
_AGENT_BY = re.compile(r"\b([\w-]+)\s+by\s+(?:the\s+)?$", re.IGNORECASE)
_SPEAKING_MINISTER = re.compile(
    r"\b(?:(?:Federal|Provincial)\s+)?(?:([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+Minister|Minister\s+(?:of\s+State\s+)?"
    r"(?:for|of)\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?))\b[^.;!?]*?\b(?:"
    + "|".join(sorted(REPORTING_VERBS)) + r")\b")


class FigureContext:
    """One figure's sentence with the organisations that could be its subject."""

    def __init__(self, doc: Doc, sentence: Span, start: int, end: int,
                 organisations: Sequence[OrganisationSpan], earlier: Sequence[tuple[int, str, str]]) -> None:
        self.doc = doc
        self.text = document_text(doc)
        self.sentence = sentence
        self.start, self.end = start, end  # the figure's characters
        self.organisations = organisations  # the document's, in text order
        self.earlier = earlier  # (sentence start, subject, rule) of the figures before this one
        # Media outlets carry the story; they never report its figures.
        # An acronym in brackets after its long form ("Civil Armed Forces (CAFs)") is not a second body.
        self.in_sentence = [o for o in organisations
                            if sentence.start_char <= o.start < sentence.end_char and o.kind != "media"
                            and self.text[o.start - 1 : o.start] != "("]

    def before(self, org: OrganisationSpan, chars: int = 60) -> str:
        return self.text[max(self.sentence.start_char, org.start - chars) : org.start]

    def verb_after(self, org: OrganisationSpan) -> tuple[str, bool] | None:
        """The verb a body is the grammatical subject of, and whether it is passive ("was told")."""
        pos, limit = org.end, min(self.sentence.end_char, org.end + 90)
        passive = False
        for _ in range(10):
            m = _WORD.search(self.text, pos, limit)
            if m is None:
                return None
            word, pos = m.group(0), m.end()
            lower = word.lower().rstrip(".")
            if word.startswith("("):
                continue  # "(FIA)"
            if lower in REPORTING_VERBS or lower in ACTION_VERBS:
                return lower, passive
            passive = lower in _PASSIVE_AUXILIARIES
            if passive or lower in _VERB_GAP or word == "," or lower.isdigit() or lower in MONTHS:
                continue
            if lower in ("and", "of"):  # "the PTA and the FIA had arrested", "the wing of the FIA said"
                partner = next((o for o in self.in_sentence if pos < o.start <= pos + 6), None)
                if partner is not None:
                    pos = partner.end
                    continue
            return None
        return None

    def plays_another_part(self, org: OrganisationSpan) -> bool:
        """The body is inside the counted phrase, the one told or paid for, an object, or an affiliation."""
        if self.start <= org.start < self.end:
            return True  # "three CTD police stations"
        words = [w.lower() for w in _WORD.findall(self.before(org, 40))]
        while words and words[-1] in _SKIPPED_BEFORE:
            words.pop()
        if words and (words[-1] in _OTHER_PART_WORDS or word_value(words[-1]) is not None or words[-1][:1].isdigit()):
            return True  # told, paid for, acted on, or counted: "modern weapons for the CTD", "three CTD stations"
        verb = self.verb_after(org)
        if verb is not None and verb[1] and verb[0] in REPORTING_VERBS:
            return True  # "the committee was informed that ..."
        following = _WORD.findall(self.text[org.end : org.end + 30])
        following = [w for w in following if not w.startswith("(")]
        return bool(following) and following[0].lower() in _AFFILIATION_WORDS


SubjectRule = Callable[[FigureContext], "str | None"]


def _according_to(ctx: FigureContext) -> str | None:
    """"according to the CTD", "a report by the PICSS": the named source."""
    for org in ctx.in_sentence:
        before = ctx.before(org)
        if _ACCORDING_TO.search(before) or _REPORT_BY.search(before):
            return org.name
    return None


def _passive_agent(ctx: FigureContext) -> str | None:
    """"the committee was told by the ministry", "were arrested by the FIA": the body after "by"."""
    for org in ctx.in_sentence:
        m = _AGENT_BY.search(ctx.before(org, 40))
        if m and (m.group(1).lower() in REPORTING_VERBS or m.group(1).lower() in ACTION_VERBS):
            return org.name
    return None


def _reporting_verb(ctx: FigureContext) -> str | None:
    """"The PTA said", "the FIA on Tuesday claimed": a body that says something, not one that is told."""
    for org in ctx.in_sentence:
        found = ctx.verb_after(org)
        if found and found[0] in REPORTING_VERBS and not found[1]:
            return org.name
    return None


def _speaking_minister(ctx: FigureContext) -> str | None:
    """"Interior Minister Mohsin Naqvi said ...": the minister's ministry, when the story names it."""
    m = _SPEAKING_MINISTER.search(ctx.sentence.text)
    if m is None:
        return None
    portfolio = (m.group(1) or m.group(2) or "").lower()
    for org in ctx.organisations:
        if org.kind == "ministry" and portfolio and portfolio in org.name.lower():
            return org.name
    return None


def _action_verb(ctx: FigureContext) -> str | None:
    """"The FIA arrested", "CTD Punjab conducts": the body that did what the figure counts.

    Of several doers, the last one before the figure: "the PTA blocked 300 sites and the FIA arrested 20".
    """
    doers = [org for org in ctx.in_sentence
             if (found := ctx.verb_after(org)) and found[0] in ACTION_VERBS and not found[1]
             and not ctx.plays_another_part(org)]
    before = [org for org in doers if org.start < ctx.start]
    return before[-1].name if before else (doers[0].name if doers else None)


def _first_in_sentence(ctx: FigureContext) -> str | None:
    """The first body in the sentence that is not told, paid for, acted on or counted."""
    return next((o.name for o in ctx.in_sentence if not ctx.plays_another_part(o)), None)


def _earlier_figure(ctx: FigureContext) -> str | None:
    """A figure in a sentence naming no one of its own belongs to the previous figure's body, close by."""
    if ctx.in_sentence and not all(ctx.plays_another_part(o) for o in ctx.in_sentence):
        return None
    if not ctx.earlier:
        return None
    sentence_start, subject, rule = ctx.earlier[-1]
    if rule not in _CARRIED_RULES:
        return None  # only a body a verb or a source tied to its figure carries on
    return subject if sentence_start >= _sentence_start_n_back(ctx.doc, ctx.sentence, 2) else None


_CARRIED_RULES = frozenset({"according-to", "passive-agent", "reporting-verb", "speaking-minister", "action-verb",
                            "earlier-figure"})


SUBJECT_RULES: tuple[tuple[str, SubjectRule], ...] = (
    ("according-to", _according_to),
    ("passive-agent", _passive_agent),
    ("reporting-verb", _reporting_verb),
    ("speaking-minister", _speaking_minister),
    ("action-verb", _action_verb),
    ("first-in-sentence", _first_in_sentence),
    ("earlier-figure", _earlier_figure),
)


def attribute_figure(ctx: FigureContext) -> tuple[str | None, str]:
    """The figure's subject and the name of the rule that chose it ((None, "") when none did)."""
    for name, rule in SUBJECT_RULES:
        subject = rule(ctx)
        if subject is not None:
            return subject, name
    return None, ""

def sentence_date(sentence: str) -> str | None:
    """The date a sentence gives, as "YYYY-MM-DD", "YYYY-MM" or "YYYY"; None when it gives none."""
    m = _DATE_DAY.search(sentence)
    if m:
        return f"{m.group(3)}-{MONTHS[m.group(1).lower()]:02d}-{int(m.group(2)):02d}"
    m = _DATE_MONTH.search(sentence)
    if m:
        return f"{m.group(2)}-{MONTHS[m.group(1).lower()]:02d}"
    m = _DATE_YEAR.search(sentence)
    return m.group(1) if m else None
