"""Tests for monitor.similarity on hand-written security-news texts."""

from __future__ import annotations

import pytest

from monitor import similarity as text_similarity
from monitor.similarity import (
    BANDS,
    NUM_PERM,
    CandidateIndex,
    Signature,
    band_keys,
    classify_copy,
    containment,
    shingles,
    signature,
    similarity,
)

ORIGINAL = """Pakistan's National Counter Terrorism Authority (NACTA) has stepped up a nationwide drive against online recruiters for Daesh, officials said on Thursday, after investigators linked a string of arrests to a single network operating from abroad.

The Federal Investigation Agency (FIA) said its cybercrime wing had arrested 14 suspected recruiters in Lahore, Karachi and Peshawar over the past two months. The suspects allegedly approached university students through encrypted messaging apps and offered them money to travel to Afghanistan.

According to figures shared with Arab News, authorities have blocked 1,482 websites and social media accounts carrying Daesh propaganda since January, most of them hosted outside the country. A senior NACTA official said new pages often reappeared under different names within days.

"The recruiters are targeting young people who spend long hours online and feel isolated," the official said. "We are working with the platforms to take the material down faster."

The authority has also asked provincial counterterrorism departments to share the details of suspects placed on the Fourth Schedule, the list of people under watch for suspected links to militancy, so that their online activity can be monitored."""

REPOST = (
    "Posted by admin in Security News | 14 March 2024\n\n"
    + ORIGINAL.replace("'", "\u2019")
    + "\n\nShare on Facebook Tweet WhatsApp\n\nThis story first appeared in Arab News. View original article"
)

REWRITE = """Authorities in Pakistan are intensifying efforts against Daesh recruiters who lure students online, officials said on Thursday.

According to figures shared with Arab News, authorities have blocked 1,482 websites and social media accounts carrying Daesh propaganda since January. Most were hosted abroad, and officials said the pages often came back under new names within days.

The FIA said its cybercrime wing had detained 14 suspected recruiters in Lahore, Karachi and Peshawar in the last two months. Investigators said the suspects approached university students through encrypted messaging apps, offering money to travel to Afghanistan.

The counter-terrorism authority has also asked provincial departments for details of people on the Fourth Schedule, the watch list of suspected militants, so that their online activity can be monitored.

Analysts say the campaign reflects growing concern in Islamabad about militant propaganda reaching young Pakistanis through social media."""

SAME_AGENCY_OTHER_STORY = """The National Counter Terrorism Authority (NACTA) on Thursday held a meeting in Islamabad to review the implementation of the National Action Plan in Balochistan, officials said.

The meeting was told that security at border crossings near Chaman had been strengthened and that 320 additional personnel would be deployed along the highway by the end of the month.

Provincial officials presented a report on madrassa registration, saying 2,150 seminaries had completed the process and the remaining ones had been given a deadline of June.

NACTA's national coordinator directed the provincial home department to share monthly progress reports and to speed up the digitisation of records of arms licences issued in the province."""


def test_verbatim_repost_with_header_and_footer_is_verbatim() -> None:
    assert classify_copy(ORIGINAL, REPOST) == "verbatim"
    assert containment(ORIGINAL, REPOST) > 0.95


def test_excerpt_repost_is_verbatim() -> None:
    excerpt = "\n\n".join(ORIGINAL.split("\n\n")[:3]) + "\n\nRead more at Arab News. View original."
    assert classify_copy(ORIGINAL, excerpt) == "verbatim"


def test_edited_rewrite_is_rewritten() -> None:
    score = containment(ORIGINAL, REWRITE)
    assert text_similarity.REWRITE_THRESHOLD <= score < text_similarity.VERBATIM_THRESHOLD
    assert classify_copy(ORIGINAL, REWRITE) == "rewritten"


def test_different_story_about_same_agency_same_day_is_not_a_copy() -> None:
    assert classify_copy(ORIGINAL, SAME_AGENCY_OTHER_STORY) is None
    assert containment(ORIGINAL, SAME_AGENCY_OTHER_STORY) < 0.1
    index: CandidateIndex[str] = CandidateIndex()
    index.add("other", signature(SAME_AGENCY_OTHER_STORY))
    other_sig = signature(SAME_AGENCY_OTHER_STORY)
    # Either the index does not offer it, or its estimated similarity is low.
    assert "other" not in index.candidates(signature(ORIGINAL)) or similarity(signature(ORIGINAL), other_sig) < 0.1
    assert similarity(signature(ORIGINAL), other_sig) < 0.1


def test_repost_is_an_lsh_candidate_and_scores_high() -> None:
    index: CandidateIndex[int] = CandidateIndex()
    index.add(1, signature(ORIGINAL))
    index.add(2, signature(SAME_AGENCY_OTHER_STORY))
    repost_sig = signature(REPOST)

    assert 1 in index.candidates(repost_sig)
    assert 2 not in index.candidates(repost_sig)
    assert similarity(signature(ORIGINAL), repost_sig) > 0.8
    assert len(index) == 2


def test_thresholds_can_be_passed_as_keywords() -> None:
    assert classify_copy(ORIGINAL, REWRITE, verbatim_threshold=0.3) == "verbatim"
    assert classify_copy(ORIGINAL, REWRITE, rewrite_threshold=0.99, verbatim_threshold=1.0) is None


def test_shingles_are_normalised_words() -> None:
    assert shingles("NACTA's drive, against DAESH!", k=2) == {"nactas drive", "drive against", "against daesh"}
    assert shingles("Two words", k=3) == {"two words"}
    assert shingles("  ...  ") == set()


def test_signature_bytes_round_trip() -> None:
    sig = signature(ORIGINAL)
    data = sig.to_bytes()

    assert len(data) == NUM_PERM * 4
    restored = Signature.from_bytes(data)
    assert restored == sig
    assert similarity(restored, sig) == 1.0
    with pytest.raises(ValueError):
        Signature.from_bytes(data[:-4])


def test_band_keys_round_trip_and_fit_a_bigint() -> None:
    sig = signature(ORIGINAL)
    keys = band_keys(sig)

    assert len(keys) == BANDS
    assert keys == band_keys(Signature.from_bytes(sig.to_bytes()))
    assert all(-(2**63) <= key < 2**63 for key in keys)
    assert len(set(keys)) == BANDS  # band index is mixed in
    assert band_keys(signature(REPOST)) != keys  # a different text, different bands somewhere


def test_signature_is_stable_across_processes() -> None:
    # Stored in the database and compared by other workers, so it must not
    # depend on Python's per-process string hashing; pin one value.
    import subprocess
    import sys
    from pathlib import Path

    project_root = str(Path(__file__).resolve().parents[2])
    code = "from monitor.similarity import signature; print(signature('NACTA blocked websites in Islamabad').to_bytes().hex())"
    outputs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"PYTHONHASHSEED": seed, "PYTHONPATH": project_root}).stdout
        for seed in ("1", "2")
    }
    assert outputs == {signature("NACTA blocked websites in Islamabad").to_bytes().hex() + "\n"}


def test_empty_texts_do_not_match() -> None:
    empty = signature("")
    assert empty.is_empty
    assert band_keys(empty) == []
    assert similarity(empty, signature("...")) == 0.0
    assert classify_copy("", "") is None


def test_figure_keys_meet_when_a_rewrite_keeps_the_figures() -> None:
    original = "NACTA said 1,447 web addresses and 37 recruiters were blocked or investigated in 2024."
    rewrite = "Investigators looked at 37 people, while officials shut 1447 sites, the authority told senators."
    other = "NACTA asked 450 seminaries to register and gave 60 days to file their accounts."
    assert set(text_similarity.figure_keys(original)) & set(text_similarity.figure_keys(rewrite))
    assert not set(text_similarity.figure_keys(original)) & set(text_similarity.figure_keys(other))


def test_figure_keys_ignore_years_and_small_numbers() -> None:
    assert text_similarity.figure_keys("In 2023 and 2024, 5 officials met 7 times.") == []
    assert len(text_similarity.figure_keys("Figures: 12, 300 and 4,500.")) == 3
