"""Find articles whose text is a near copy of another's, so they join one story.

Wire copy, syndicated reposts (an aggregator blog adding a header and a "view
original" link) and edited rewrites of one report should be shown as one story.
This module is the text side of that:

* ``shingles`` / ``containment`` / ``classify_copy`` compare two texts exactly;
* ``signature`` makes a MinHash signature of a text, and ``band_keys`` cuts it
  into LSH bands, one 64-bit key per band. The Django side stores the keys in a
  table (article_id, band, hash) and asks the database for articles sharing any
  key, so finding candidates costs one indexed lookup per band instead of a
  comparison with every archived article;
* ``figure_keys`` adds a key per pair of specific figures the text reports, so rewrites that share few
  word shingles but the same numbers still meet; ``candidate_keys`` is both kinds together;
* ``CandidateIndex`` is the same index in memory, for the benchmark and tests.

Every constant here was chosen with ``benchmarks/dedup.py`` (labelled pairs built
from generated security-news stories); re-run it before changing one.

Not for: deciding which story an article belongs to (the Django side merges
stories), topic similarity between *different* reports (two stories about the
same agency on the same day must stay apart), or anything needing Django.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Collection, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt

# Word 3-grams, from the benchmark's best F1 per shingle size k (containment):
#   k=2 verbatim 0.997, same story 0.989;  k=3 1.000, 0.985;  k=4 1.000, 0.980.
# 3 is the smallest k that separates copies from rewrites perfectly; 2-grams
# ("the agency", "said that") also match stock phrasing across different stories.
SHINGLE_SIZE = 3

# 64 bands of 3 rows (192 permutations): candidate threshold (1/64)^(1/3) ~ 0.25
# estimated Jaccard. Measured on the benchmark's pairs and a 10k archive:
#   bands x rows   reposts  light edits  heavy rewrites  candidates per query
#   64 x 2          1.00      1.00          0.93            18% of archive
#   64 x 3          0.99      1.00          0.51           1.4% of archive
#   42 x 3          0.96      1.00          0.36           0.9% of archive
#   32 x 4          0.87      1.00          0.09          0.08% of archive
# 64 x 3 finds 99% of reposts, all light edits and half the heavy rewrites (their Jaccard is ~0.23)
# for about a hundredth of the archive as candidates, each then checked with
# classify_copy. Rows of 2 would find nearly all rewrites but hand back a fifth
# of a topic-homogeneous archive on every query.
# 32 x 3 was tried to cut the index rows an article writes from 77 to 46 (grouping
# cost -20% at 1M in benchmarks/stories.py): reposts found fell to 0.94 here, and a
# held-out seed's furniture pairs in benchmarks/stories.py to 0.886, so 64 stays.
BANDS = 64
ROWS = 3
NUM_PERM = BANDS * ROWS

# Thresholds on exact shingle containment (shorter text in longer); see the
# benchmark table. Django settings may override both.
# Verbatim at 0.70: precision 1.000, recall 0.995 (rewrites peak at 0.61).
# Rewritten at 0.35: precision 0.995, recall 0.953; 0.30 would find 4% more
# rewrites but merge 4% of different same-agency stories, and hiding a
# separate story from an analyst costs more than showing a duplicate.
VERBATIM_THRESHOLD = 0.70
REWRITE_THRESHOLD = 0.35

# A text this short contained in a long one says little (a headline quoted in an
# article), so below it classify_copy compares by Jaccard instead.
MIN_SHINGLES_FOR_CONTAINMENT = 20

_MAX_HASH = np.uint64(0xFFFFFFFF)
_SEED = 20_240_611
_rng = np.random.default_rng(_SEED)
# Multiply-add-shift hashing of 32-bit shingle hashes: h(x) = ((a*x + b) mod 2^64) >> 32
# with odd 64-bit a; cheap in numpy and universal enough for MinHash.
# Drawn for more permutations than we use so the benchmark can try longer
# signatures; a signature of n permutations always uses the first n.
_MAX_PERM = 256  # > NUM_PERM
_PERM_A = _rng.integers(1, 2**62, size=_MAX_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_PERM_B = _rng.integers(0, 2**63, size=_MAX_PERM, dtype=np.uint64)

# Rewrites reword sentences but keep the figures: "1,447 web addresses" survives any paraphrase, and two
# different stories rarely report the same two specific numbers. So besides the bands, every pair of
# distinct figures in a text is a candidate key. Small numbers ("two", "5") and bare years are too common to
# say anything; a text's first FIGURE_KEY_LIMIT figures are enough. Measured with benchmarks/dedup.py: heavy
# rewrites found as candidates go from 0.51 (bands alone) to 0.79, for about 0.03% more of the archive.
MIN_FIGURE = 10
FIGURE_KEY_LIMIT = 16
_FIGURE = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?!\w)")

_APOSTROPHES = re.compile(r"['\u2019\u02bc]")
_WORD = re.compile(r"\w+")


def normalised_words(text: str) -> list[str]:
    """Lowercase words with punctuation removed ("NACTA's" becomes "nactas")."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _WORD.findall(_APOSTROPHES.sub("", folded))


def shingles(text: str, k: int = SHINGLE_SIZE) -> set[str]:
    """The set of k-word shingles of ``text``; a text shorter than k words is one shingle."""
    return set(_windows(normalised_words(text), k))


def _windows(words: list[str], k: int) -> list[str]:
    """The k-word windows of `words`, joined, repeats included; fewer than k words make one window, none
    make none."""
    if len(words) < k:
        return [" ".join(words)] if words else []
    # zip of the word list and its shifts: the k-word windows, joined without a Python loop per shingle.
    return list(map(" ".join, zip(*(words[i:] for i in range(k)))))


@dataclass(frozen=True, eq=False)
class Signature:
    """A MinHash signature: NUM_PERM unsigned 32-bit minima."""

    values: npt.NDArray[np.uint32]

    def to_bytes(self) -> bytes:
        return self.values.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        if len(data) != NUM_PERM * 4:
            raise ValueError(f"signature must be {NUM_PERM * 4} bytes, got {len(data)}")
        return cls(np.frombuffer(data, dtype="<u4").astype(np.uint32))

    @property
    def is_empty(self) -> bool:
        """True for a text with no words, which must not match other empty texts."""
        return bool(np.all(self.values == np.uint32(_MAX_HASH)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Signature) and bool(np.array_equal(self.values, other.values))

    def __hash__(self) -> int:
        return hash(self.to_bytes())


def signature(text: str) -> Signature:
    """MinHash signature of the text's shingles, stable across processes and machines."""
    return signature_of_hashes(shingle_hashes(text))


def shingle_hashes(text: str) -> npt.NDArray[np.uint32]:
    """The text's shingles as sorted, distinct 32-bit hashes: what is stored per article and compared.

    crc32 rather than hash(): Python's str hash is salted per process, and these are stored and compared
    across workers. Two different shingles share a hash about once in four billion pairs, so containment
    computed on hashes differs from containment on the shingles themselves by far less than any threshold.
    """
    # As hashes_of_shingles(shingles(text)), without building the set: np.unique drops repeats anyway.
    return _hashes(_windows(normalised_words(text), SHINGLE_SIZE))


def hashes_of_shingles(shingle_set: set[str]) -> npt.NDArray[np.uint32]:
    return _hashes(shingle_set)


def _hashes(grams: Collection[str]) -> npt.NDArray[np.uint32]:
    """The crc32 of each shingle, sorted and distinct."""
    hashes = np.fromiter(map(zlib.crc32, map(str.encode, grams)), dtype=np.uint32, count=len(grams))
    hashes.sort()
    if hashes.size < 2:
        return hashes
    # Repeats dropped by comparing neighbours: np.unique (numpy 2) took seven times as long for a text's
    # few hundred hashes.
    kept = np.empty(hashes.size, dtype=bool)
    kept[0] = True
    np.not_equal(hashes[1:], hashes[:-1], out=kept[1:])
    return hashes[kept]


def signature_of_shingles(shingle_set: set[str], num_perm: int | None = None) -> Signature:
    return signature_of_hashes(hashes_of_shingles(shingle_set), num_perm)


def signature_of_hashes(hashes: npt.NDArray[np.uint32], num_perm: int | None = None) -> Signature:
    num_perm = num_perm or NUM_PERM
    if not hashes.size:
        return Signature(np.full(num_perm, _MAX_HASH, dtype=np.uint32))
    permuted = np.multiply.outer(hashes.astype(np.uint64), _PERM_A[:num_perm])
    permuted += _PERM_B[:num_perm]  # in place: the array is hashes x permutations
    # The shift keeps the order, so it is applied to the minima alone.
    return Signature((permuted.min(axis=0) >> np.uint64(32)).astype(np.uint32))


def hashes_to_bytes(hashes: npt.NDArray[np.uint32]) -> bytes:
    return hashes.astype("<u4").tobytes()


def hashes_from_bytes(data: bytes) -> npt.NDArray[np.uint32]:
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)


def shared_count(a: npt.NDArray[np.uint32], b: npt.NDArray[np.uint32]) -> int:
    """How many hashes two sorted, distinct hash arrays (shingle_hashes) have in common."""
    return int(np.intersect1d(a, b, assume_unique=True).size)


def band_keys(sig: Signature) -> list[int]:
    """One signed 64-bit key per band (fits a BigIntegerField); the band index is hashed in
    so equal rows in different bands do not collide."""
    if sig.is_empty:
        return []
    rows = sig.values.astype("<u4").reshape(BANDS, ROWS)
    keys = []
    for band, band_rows in enumerate(rows):
        digest = hashlib.blake2b(band.to_bytes(2, "little") + band_rows.tobytes(), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def figure_keys(text: str) -> list[int]:
    """One signed 64-bit key per pair of distinct specific figures in the text (see MIN_FIGURE)."""
    figures: list[str] = []
    for token in _FIGURE.findall(text):
        plain = token.rstrip(",").replace(",", "")
        try:
            value = float(plain)
        except ValueError:
            continue
        is_year = 1900 <= value <= 2100 and plain.isdigit() and "," not in token
        if value < MIN_FIGURE or is_year or plain in figures:
            continue
        figures.append(plain)
        if len(figures) == FIGURE_KEY_LIMIT:
            break
    figures.sort()
    keys = []
    for i, first in enumerate(figures):
        for second in figures[i + 1 :]:
            digest = hashlib.blake2b(f"figures|{first}|{second}".encode(), digest_size=8).digest()
            keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def candidate_keys(text: str, sig: Signature | None = None) -> list[int]:
    """Every index key of a text: its LSH band keys and its figure-pair keys."""
    return band_keys(sig if sig is not None else signature(text)) + figure_keys(text)


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets."""
    if a.is_empty or b.is_empty:
        return 0.0
    return float(np.count_nonzero(a.values == b.values)) / NUM_PERM


def jaccard(text_a: str, text_b: str) -> float:
    """Exact Jaccard similarity of the two texts' shingle sets."""
    shingles_a, shingles_b = shingles(text_a), shingles(text_b)
    if not shingles_a or not shingles_b:
        return 0.0
    return len(shingles_a & shingles_b) / len(shingles_a | shingles_b)


def containment(text_a: str, text_b: str) -> float:
    """Share of the shorter text's shingles found in the longer text.

    Unlike Jaccard it stays near 1 when a repost adds a header, a footer or a
    "view original" link, or keeps only the first paragraphs.
    """
    return _containment(shingles(text_a), shingles(text_b))


def classify_copy(
    text_a: str,
    text_b: str,
    *,
    verbatim_threshold: float = VERBATIM_THRESHOLD,
    rewrite_threshold: float = REWRITE_THRESHOLD,
) -> str | None:
    """``"verbatim"`` for a repost or lightly edited copy, ``"rewritten"`` for an edited
    rewrite of the same report, None when the texts are different stories."""
    shingles_a, shingles_b = shingles(text_a), shingles(text_b)
    if not shingles_a or not shingles_b:
        return None
    if min(len(shingles_a), len(shingles_b)) < MIN_SHINGLES_FOR_CONTAINMENT:
        score = len(shingles_a & shingles_b) / len(shingles_a | shingles_b)
    else:
        score = _containment(shingles_a, shingles_b)
    if score >= verbatim_threshold:
        return "verbatim"
    if score >= rewrite_threshold:
        return "rewritten"
    return None


def _containment(shingles_a: set[str], shingles_b: set[str]) -> float:
    if not shingles_a or not shingles_b:
        return 0.0
    shorter, longer = sorted((shingles_a, shingles_b), key=len)
    return len(shorter & longer) / len(shorter)


Key = TypeVar("Key", bound=Hashable)


class CandidateIndex(Generic[Key]):
    """In-memory candidate index: the same keys the database table holds (bands, plus figure pairs when
    the text is given)."""

    def __init__(self) -> None:
        self._buckets: defaultdict[int, set[Key]] = defaultdict(set)
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def add(self, key: Key, sig: Signature, text: str | None = None) -> None:
        for index_key in _index_keys(sig, text):
            self._buckets[index_key].add(key)
        self._size += 1

    def candidates(self, sig: Signature, text: str | None = None) -> set[Key]:
        """Keys sharing at least one band (or figure pair) with ``sig``: the only ones worth comparing."""
        found: set[Key] = set()
        for band_key in _index_keys(sig, text):
            bucket = self._buckets.get(band_key)
            if bucket:
                found |= bucket
        return found


def _index_keys(sig: Signature, text: str | None) -> list[int]:
    return band_keys(sig) + (figure_keys(text) if text is not None else [])
