"""Normalising and cleaning entity surface forms.

For: folding a name to the key used to match gazetteer entries (case, hyphens, spacing, the Urdu
izafat "-e-"/"-i-" joiners, possessives), stripping leading determiners, datelines and titles from
spans, and spotting junk spans (emoji, HTML remnants, URLs).
Not for: deciding what kind of entity a span is; that lives in ``entities``.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u02bc": "'"})
# Transliterations of Urdu names join words with "-e-", "-i-" (izafat) or write them apart, so the
# joiner is dropped entirely before comparing: Tehreek-i-Insaf == Tehreek-e-Insaf == Tehreek e Insaf.
_IZAFAT = re.compile(r"(?<=[a-z])[\s\-]+[ei][\s\-]+(?=[a-z])")
_NOT_ALNUM = re.compile(r"[^0-9a-z@&]+")
_LEADING_THE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE_END = re.compile(r"['\u2019]s?$")


# Transliterated Urdu and Arabic words are spelt many ways: Tehreek/Tehrik/Tahreek, Lashkar/Lashker,
# Mohammad/Muhammad, -ul-/-al-/-ud-. Every word of a name is reduced to one spelling before comparing,
# by this table, then by writing "ul" for the Arabic article (also when glued to the word before it),
# writing long vowels single (Rasheed == Rashid) and collapsing doubled letters (Jamaat == Jamat). Only
# folded long names use it; one-word names still match exactly.
_SPELLINGS = {
    **dict.fromkeys(("tehrik", "tahreek", "tahrik", "tehrek", "tahrek", "tehreeq", "tahriq"), "tehreek"),
    **dict.fromkeys(("lashker", "lashkr", "lashkare"), "lashkar"),
    **dict.fromkeys(("mohammad", "mohammed", "muhammed", "mohamed", "mohammd", "muhamad"), "muhammad"),
    **dict.fromkeys(("mohammadi", "mohammedi", "muhammedi"), "muhammadi"),
    **dict.fromkeys(("tayyiba", "tayyaba", "toiba", "tayaba", "tayyba"), "taiba"),
    **dict.fromkeys(("jhangavi", "jhangwi"), "jhangvi"),
    **dict.fromkeys(("jaysh", "jaishe"), "jaish"),
    **dict.fromkeys(("jamiyat", "jamiyyat", "jamiyat"), "jamiat"),
    **dict.fromkeys(("jafria", "jafariya", "jafriya", "jaffaria"), "jafaria"),
    **dict.fromkeys(("mujahidin", "mujahedin", "mujahideen", "mujahedeen"), "mujahideen"),
    **dict.fromkeys(("jehad", "jihaad"), "jihad"),
    **dict.fromkeys(("khurasan", "khorasaan"), "khorasan"),
    **dict.fromkeys(("nafaz", "nifaaz"), "nifaz"),
    **dict.fromkeys(("shariah", "sharia", "shariya"), "shariat"),
    **dict.fromkeys(("harakat",), "harkat"),
    **dict.fromkeys(("hezb", "hizbe"), "hizb"),
    **dict.fromkeys(("baluch",), "baloch"),
    **dict.fromkeys(("baluchistan",), "balochistan"),
    **dict.fromkeys(("insaaf",), "insaf"),
    **dict.fromkeys(("qaida", "qaeda", "qaidah"), "qaeda"),
    **dict.fromkeys(("daish",), "daesh"),
    **dict.fromkeys(("labaik", "labbaik", "labbaek"), "labbaik"),
    **dict.fromkeys(("tahaffuz", "tahafuz", "tahafuz"), "tahaffuz"),
    **dict.fromkeys(("tehrir", "tahreer"), "tahrir"),
    **dict.fromkeys(("sunnah", "sunna"), "sunnat"),
    **dict.fromkeys(("almi", "aalmi", "aalami"), "alami"),
    # British and American spellings of the same English word.
    **dict.fromkeys(("organization",), "organisation"),
    **dict.fromkeys(("organizations",), "organisations"),
    **dict.fromkeys(("defense",), "defence"),
    **dict.fromkeys(("center",), "centre"),
}
_ARTICLES = frozenset({"ul", "al", "ud", "ut", "us", "ur", "un", "ush", "uz", "el"})
_DOUBLED = re.compile(r"([a-z])\1")
_WORD = re.compile(r"[0-9a-z]+")


# Long vowels written doubled or not: Rasheed/Rashid, Hudood/Hudud, Muslimeen/Muslimin.
_LONG_VOWELS = (("ee", "i"), ("oo", "u"))
# The article glued to the word before it: "Jamaatud Dawa", "Ansarul Islam", "Hizbut Tahrir", "Khairun Naas".
_GLUED_ARTICLE = re.compile(r"^([a-z]{4,})(?:ul|ud|ut|un)$")


def _plain_spelling(word: str) -> str:
    """Long vowels written single and doubled letters collapsed: the shape every spelling is compared in."""
    if len(word) < 4:
        return word
    for long, short in _LONG_VOWELS:
        word = word.replace(long, short)
    return _DOUBLED.sub(r"\1", word)


# The table again, keyed by the plain shape, so "Mohammaad" and "Nafaaz" still find their family.
_PLAIN_SPELLINGS = {_plain_spelling(k): _plain_spelling(v) for k, v in _SPELLINGS.items()}
_PLAIN_SPELLINGS.update({v: v for v in _PLAIN_SPELLINGS.values()})


@lru_cache(maxsize=65536)
def spelling_key(word: str) -> str:
    """One spelling for a transliterated word (lower case, letters and digits only)."""
    if word in _ARTICLES:
        return "ul"
    plain = _plain_spelling(word)
    plain = _PLAIN_SPELLINGS.get(plain, plain)
    glued = _GLUED_ARTICLE.match(plain)
    if glued and plain not in _PLAIN_SPELLINGS:
        stem = glued.group(1)
        return _PLAIN_SPELLINGS.get(stem, stem) + "ul"
    return plain


def fold_name(name: str) -> str:
    """Return the comparison key of a name: lower case, joiners and punctuation removed, one spelling."""
    text = unicodedata.normalize("NFKC", name).translate(_APOSTROPHES).lower().strip()
    text = _LEADING_THE.sub("", text)
    text = _POSSESSIVE_END.sub("", text)
    text = _IZAFAT.sub(" ", text)
    text = _WORD.sub(lambda m: spelling_key(m.group()), text)
    return _NOT_ALNUM.sub("", text)


@lru_cache(maxsize=65536)
def fold_token(text: str) -> str:
    """Fold one token the same way ``fold_name`` folds a whole name (joiners handled by the caller)."""
    folded = _NOT_ALNUM.sub(" ", unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).lower())
    return "".join(spelling_key(word) if word.isalnum() else word for word in folded.split())


def is_izafat_joiner(previous: str, token: str, following: str) -> bool:
    """True for the "e"/"i" of "Tehreek-e-Taliban" or "Tehreek e Taliban", which ``fold_name`` drops."""
    if token.lower() not in ("e", "i"):
        return False
    if previous == "-" and following == "-":
        return True
    return token in ("e", "i") and previous.isalpha() and following.isalpha() and len(previous) > 2 and len(following) > 2


_EMOJI_OR_SYMBOL = re.compile(
    "[\u2190-\u21ff\u2300-\u23ff\u2460-\u27bf\u2900-\u2bff\u3000-\u303f\ufe0f\u200d"
    "\U0001f000-\U0001faff]"
)
_HTML_REMNANT = re.compile(r"<[^>]*>?|&[a-z]+;|&#\d+;|\b(?:href|src|alt|class|style|div|span)=", re.IGNORECASE)
_URL_OR_EMAIL = re.compile(r"https?://|www\.|\.(?:com|pk|org|net|gov|tv)\b|@\w", re.IGNORECASE)


def starts_with_symbol(text: str) -> bool:
    """True when a line opens with an emoji or pictographic symbol (a social-media style heading)."""
    stripped = text.lstrip(" \t-*\u2022")
    return bool(stripped) and bool(_EMOJI_OR_SYMBOL.match(stripped))


def is_junk_span(text: str) -> bool:
    """True for spans no reader would call a name: emoji, markup, links, bare digits or punctuation."""
    if _EMOJI_OR_SYMBOL.search(text) or _HTML_REMNANT.search(text) or _URL_OR_EMAIL.search(text):
        return True
    letters = sum(ch.isalpha() for ch in text)
    return letters < 2 or letters < len(text.replace(" ", "")) / 2


def tidy_surface(text: str) -> str:
    """Collapse whitespace and trim punctuation that NER often leaves on a span's edges."""
    text = re.sub(r"\s+", " ", text).strip()
    text = text.strip(" ,;:.\"'“”‘’([]-–—").strip()
    while text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1].rstrip()
    return text
