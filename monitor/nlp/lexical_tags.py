"""Part-of-speech guesses from word lists and word endings, in place of the statistical tagger.

For: the figure rules, which only need to tell the words of a counted noun phrase ("7,984
counter-terrorism operations") from the closed-class words and verbs that end it ("have", "were",
"in", "blocked on"). Measured on this news, running spaCy's tok2vec and tagger for this cost more
than the whole rest of the rule layer, and closed word lists plus endings reproduce the decisions
the rules make. Not for: general tagging; the guesses are Penn Treebank style but coarse (every
open-class word not ending in -ed, -ing or -ly is a noun).
"""
from __future__ import annotations

from functools import lru_cache

_CLOSED: dict[str, str] = {}
for _tag, _words in {
    "DT": "the a an this that these those each every some any no all both either neither another",
    "IN": """of in on at by for with from to into onto over under about after before during since
        until till through across against among amongst between within without near per via than as
        upon towards toward despite including like behind beyond along around amid amidst outside
        inside throughout out off up down because although though if unless whether while whereas""",
    "CC": "and or nor but yet plus",
    "PRP": "he she it they we you i me him her us them his its their our your my who whom whose which what",
    "VBP": """is are was were be been being am has have had having do does did done will would shall
        should can could may might must said says say told tell tells""",
    "RB": """also not only just still already even very too then there here now ago again never
        ever often soon currently recently reportedly allegedly respectively so however meanwhile
        moreover furthermore therefore thus hence instead nevertheless nonetheless besides""",
    "JJR": "more less fewer",
    "JJ": """such other several many few first second third fourth fifth sixth seventh eighth ninth
        tenth last next same various different separate new additional further""",
    "WDT": "that",
}.items():
    for _word in _words.split():
        _CLOSED.setdefault(_word, _tag)

# Common irregular past forms, which the -ed test misses.
_IRREGULAR_VERBS = set(
    """met held fled made took went began found left got sent brought caught shot hit put set cut
    gave came saw knew thought became kept led lost paid sold spent stood won wrote struck fought
    rose fell grew drew hid used frozen taken given stolen driven hidden beaten broken chosen
    shown known thrown drawn seen written spoken""".split()
)
_PUNCTUATION = {",": ",", ".": ".", ":": ":", ";": ":", "-": "HYPH", "\u2013": ":", "\u2014": ":",
                "(": "-LRB-", ")": "-RRB-", "\u201c": "``", "\u201d": "''", '"': "``", "'": "''",
                "\u2018": "``", "\u2019": "''", "?": ".", "!": "."}


@lru_cache(maxsize=65536)
def lexical_tag(text: str) -> str:
    """A coarse Penn Treebank tag for one token, from its spelling alone."""
    if text in _PUNCTUATION:
        return _PUNCTUATION[text]
    if not text[:1].isalnum():
        return "SYM"
    lower = text.lower()
    if lower in _CLOSED:
        return _CLOSED[lower]
    if lower.replace(",", "").replace(".", "").isdigit():
        return "CD"
    if lower in _IRREGULAR_VERBS:
        return "VBD"
    if len(lower) > 4 and lower.endswith("ed"):
        return "VBN"
    if len(lower) > 5 and lower.endswith("ing"):
        return "VBG"
    if len(lower) > 4 and lower.endswith("ly"):
        return "RB"
    if text[0].isupper() and not text.isupper():
        return "NNPS" if lower.endswith("s") else "NNP"
    return "NNS" if lower.endswith("s") and len(lower) > 3 else "NN"
