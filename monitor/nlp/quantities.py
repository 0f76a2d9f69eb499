"""Reading the value of a number as news text writes it.

For: digits with thousands separators, decimals with scale words ("5.2 million", "1.2 lakh",
"Rs2bn", "3 crore"), spelled-out numbers ("seventy-one", "two hundred"), and vague quantities
("hundreds", "thousands", "a couple"). Not for: deciding whether a number is a figure worth
recording; that is ``figures``.
"""
from __future__ import annotations

import re

SMALL_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}
SCALES = {
    "hundred": 100, "thousand": 1_000, "k": 1_000, "lakh": 100_000, "lakhs": 100_000, "lac": 100_000,
    "lacs": 100_000, "million": 1_000_000, "millions": 1_000_000, "mn": 1_000_000, "m": 1_000_000,
    "crore": 10_000_000, "crores": 10_000_000, "cr": 10_000_000, "arab": 1_000_000_000,
    "billion": 1_000_000_000, "bn": 1_000_000_000, "b": 1_000_000_000, "trillion": 10**12, "tn": 10**12,
}
# Plural scale words used alone are vague quantities: "thousands of Pakistanis".
VAGUE = {"dozens", "scores", "hundreds", "thousands", "millions", "billions", "lakhs", "crores", "tens"}
DOZEN = {"dozen": 12, "couple": 2}

CURRENCY_PREFIX = re.compile(r"^(rs\.?|pkr|us\$|\$|usd|£|gbp|€|eur)", re.IGNORECASE)
DIGITS = re.compile(
    r"^(?P<cur>rs\.?|pkr|us\$|\$|usd)?(?P<num>\d{1,3}(?:,\d{2,3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<scale>bn|b|mn|m|k|cr|tn|million|billion|crore|lakh)?(?P<pct>%)?$",
    re.IGNORECASE,
)
CURRENCY_UNITS = {"rs": "PKR", "rs.": "PKR", "pkr": "PKR", "rupees": "PKR", "rupee": "PKR",
                  "us$": "USD", "$": "USD", "usd": "USD", "dollars": "USD", "dollar": "USD",
                  "£": "GBP", "gbp": "GBP", "pounds": "GBP", "€": "EUR", "eur": "EUR", "euros": "EUR"}


def tidy_value(value: float) -> int | float:
    rounded = round(value, 6)
    return int(rounded) if rounded == int(rounded) else rounded


def parse_digits(text: str) -> tuple[float, str | None, bool] | None:
    """Value, currency and percent flag of a digit token such as "7,984", "Rs2bn" or "30%"."""
    m = DIGITS.match(text)
    if not m:
        return None
    value = float(m.group("num").replace(",", ""))
    if m.group("scale"):
        value *= SCALES[m.group("scale").lower()]
    currency = CURRENCY_UNITS.get(m.group("cur").lower()) if m.group("cur") else None
    return value, currency, bool(m.group("pct"))


def word_value(word: str) -> int | None:
    """Value of a spelled-out number word, including hyphenated ones like "seventy-one"."""
    lower = word.lower()
    if lower in SMALL_NUMBERS:
        return SMALL_NUMBERS[lower]
    if lower in TENS:
        return TENS[lower]
    if "-" in lower:
        tens, _, unit = lower.partition("-")
        if tens in TENS and unit in SMALL_NUMBERS and 0 < SMALL_NUMBERS[unit] < 10:
            return TENS[tens] + SMALL_NUMBERS[unit]
    return None

# Cheap test of whether a sentence may hold a figure, so only those sentences need tagging.
MAY_HOLD_A_FIGURE = re.compile(
    r"\d|\b(?:" + "|".join(sorted({*SMALL_NUMBERS, *TENS, *VAGUE, *DOZEN} - {"zero", "one"}))
    + r")\b",
    re.IGNORECASE,
)
