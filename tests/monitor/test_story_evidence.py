"""The rules that decide whether two articles are one story, each on evidence built by hand."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from monitor import similarity
from monitor.nlp.analysis import Analysis, Figure, NamedEntity, Organisation
from monitor.story_evidence import (BRIEF_MAX_WORDING_POINTS, CONFLICTING_FIGURES_POINTS, FEW_FIGURES_POINTS,
                                    PLACES_DIFFER_POINTS, POINTS_PER_REWORDED_FIGURE, POINTS_PER_SHARED_FIGURE,
                                    POINTS_PER_SHARED_SMALL_COUNT,
                                    ArticleSide, FigureKey, StoryFeatures, describe, evidence_points,
                                    features_from_analysis, judge)

T0 = datetime(2026, 9, 1, 8, tzinfo=timezone.utc)
REPORT = ("The Pakistan Telecommunication Authority blocked mobile SIMs issued on forged documents after a review "
          "meeting in Islamabad, officials said, adding that retailers in Peshawar had sold connections without "
          "biometric checks and that the Federal Investigation Agency had arrested several of them this week.")
OTHER_WORDS = ("Connections obtained with fake identity cards were switched off by the telecom regulator, which "
               "said sellers operating in the north-west handed out numbers without fingerprints; investigators "
               "from the federal agency have detained a number of them.")


def fig(value: str, *counts: str, shown: str = "") -> FigureKey:
    return FigureKey(value, frozenset(counts), shown or value)


PTA_FIGURES = (fig("312480", "sims"), fig("18906", "sims"), fig("2317", "licences"), fig("7984", "operations"))


def side(body: str = REPORT, *, outlet: str = "capital", hours: float = 0, figures: tuple[FigureKey, ...] = PTA_FIGURES,
         orgs: tuple[str, ...] = ("Pakistan Telecommunication Authority",), people: tuple[str, ...] = (),
         places: tuple[str, ...] = ("Islamabad",)) -> ArticleSide:
    return ArticleSide.of_text(outlet, T0 + timedelta(hours=hours), body,
                               StoryFeatures(figures, frozenset(orgs), frozenset(people), frozenset(places)))


def test_a_near_copy_from_another_outlet_joins() -> None:
    verdict = judge(side(), side(REPORT + " Read the original at the Capital Times.", outlet="aggregator", hours=2))
    assert (verdict.same, verdict.kind, verdict.rule) == (True, "verbatim", "near-copy")


def test_a_rewrite_in_new_words_with_the_same_figures_and_actors_joins() -> None:
    verdict = judge(side(), side(OTHER_WORDS, outlet="frontier", hours=3))
    assert verdict.evidence.wording < 0.1
    assert (verdict.same, verdict.kind, verdict.rule) == (True, "rewritten", "weighed-evidence")
    assert len(verdict.evidence.shared_figures) == 4
    assert verdict.to_json()["points"]["figures"] == 3 * POINTS_PER_SHARED_FIGURE  # counted up to three


def test_the_same_outlet_joins_only_an_update_of_its_own_report() -> None:
    update = judge(side(), side(REPORT + " Updated with the regulator's figures.", hours=4))
    assert (update.same, update.rule) == (True, "same-outlet-update")
    lookalike = judge(side(), side(OTHER_WORDS, hours=4))  # same figures, other words: another report
    assert (lookalike.same, lookalike.rule) == (False, "same-outlet-other-report")


def test_two_raids_with_different_people_and_places_stay_apart_despite_shared_figures() -> None:
    first = side(people=("Inspector Asad Mir",), places=("Bannu",))
    second = side(OTHER_WORDS, outlet="frontier", hours=1, people=("DSP Kamran Ali",), places=("Lakki Marwat",))
    assert judge(first, second).rule == "different-people-and-places"


def test_few_figures_in_common_means_a_different_report() -> None:
    later = side(" ".join([OTHER_WORDS] * 3), outlet="frontier", hours=5,
                 figures=(fig("312480", "sims"), fig("45", "suspects"), fig("12", "raids"), fig("900", "phones")))
    verdict = judge(side(" ".join([REPORT] * 3)), later)
    assert (verdict.same, verdict.rule) == (False, "weighed-evidence") and not verdict.evidence.brief
    assert evidence_points(verdict.evidence)["different figures"] == FEW_FIGURES_POINTS


def test_the_same_numbers_under_other_words_are_not_different_figures() -> None:
    """A rewrite calls the FIA's 10 laptops "computers" and its 21 phones "smartphones": without the words
    the values are weaker evidence than a shared figure, and no evidence of a different report."""
    first = (fig("126", "victims"), fig("21", "mobile", "phones"), fig("10", "laptops"), fig("45", "raids"))
    reworded = (fig("126", "investors"), fig("21", "smartphones"), fig("10", "computers"), fig("188", "sims"))
    verdict = judge(side(" ".join([REPORT] * 3), figures=first),
                    side(" ".join([OTHER_WORDS] * 3), outlet="frontier", hours=3, figures=reworded))
    assert verdict.evidence.shared_figures == ("126",) and verdict.evidence.value_share == 0.75
    points = evidence_points(verdict.evidence)
    assert "different figures" not in points
    # ... and count for a little: two values under other words, at a reworded figure's points each.
    assert verdict.evidence.reworded_figures == ("21", "10")
    assert points["reworded figures"] == 2 * POINTS_PER_REWORDED_FIGURE < POINTS_PER_SHARED_FIGURE
    assert "one shared figure, two more values in common, worded differently (21, 10)" in describe(verdict.to_json())
    other_numbers = (fig("126", "investors"), fig("33", "smartphones"), fig("14", "computers"), fig("188", "sims"))
    verdict = judge(side(" ".join([REPORT] * 3), figures=first),
                    side(" ".join([OTHER_WORDS] * 3), outlet="frontier", hours=3, figures=other_numbers))
    assert evidence_points(verdict.evidence)["different figures"] == FEW_FIGURES_POINTS


def test_a_person_named_shorter_is_the_same_person() -> None:
    full = side(people=("Jamal Sohail Bugti", "Gul Cheema"), places=("Nawabshah",))
    shorter = side(OTHER_WORDS, outlet="frontier", hours=2, people=("Sohail Bugti",), places=("Nawabshah",))
    evidence = judge(full, shorter).evidence
    assert evidence.people == ("Sohail Bugti",) and not evidence.people_differ
    # Another man of the same family is not the same person.
    relative = judge(full, side(OTHER_WORDS, outlet="frontier", hours=2, people=("Anwar Bugti",))).evidence
    assert relative.people == () and relative.people_differ
    # A surname alone is not counted as a shared person, but no longer says the people differ.
    surname = judge(full, side(OTHER_WORDS, outlet="frontier", hours=2, people=("Bugti",))).evidence
    assert surname.people == () and not surname.people_differ


def test_a_report_a_day_later_with_new_figures_is_a_follow_up() -> None:
    new_facts = (fig("312480", "sims"), fig("65", "retailers"), fig("38", "cases"), fig("4100", "connections"))
    follow_up = judge(side(), side(OTHER_WORDS, outlet="frontier", hours=30, figures=new_facts))
    assert not follow_up.same and evidence_points(follow_up.evidence)["time apart"] == -3.0
    assert judge(side(), side(OTHER_WORDS, outlet="frontier", hours=6)).same  # the same figures, hours later


def test_briefs_need_only_the_same_place_and_organisation_within_hours() -> None:
    brief = "The PTA blocked SIMs in Islamabad on Monday, officials said."
    other = "Islamabad: regulator PTA says numbers switched off after review."
    first = side(brief, figures=())
    assert judge(first, side(other, outlet="frontier", hours=2, figures=())).same
    assert not judge(first, side(other, outlet="frontier", hours=20, figures=())).same
    assert not judge(first, side(other, outlet="frontier", hours=2, figures=(), places=("Quetta",))).same


def test_briefs_reporting_another_value_for_the_same_thing_are_two_reports() -> None:
    """Two PTA briefs from Islamabad on one morning, one on 561,068 SIMs blocked and one on 368,000: the
    same place and agency, but each brief is its one fact, and the facts differ."""
    brief = "The PTA says 561,068 SIMs were blocked in Islamabad on Monday, officials said."
    other = "Islamabad: regulator PTA says 368,000 SIMs switched off after review."
    first = side(brief, figures=(fig("561068", "sims"), fig("62", "arrests")))
    verdict = judge(first, side(other, outlet="frontier", hours=2, figures=(fig("368000", "sims"),)))
    assert verdict.evidence.conflicting_figures == ("368000",)
    assert not verdict.same
    assert evidence_points(verdict.evidence)["conflicting figures"] == CONFLICTING_FIGURES_POINTS
    # The same fact, reported with another count beside it, is not a conflict.
    same_fact = judge(first, side(other, outlet="frontier", hours=2,
                                  figures=(fig("561068", "sims"), fig("41", "arrests"))))
    assert same_fact.same and "conflicting figures" not in evidence_points(same_fact.evidence)
    # Nor between long reports, which break totals down ("1,589 bank accounts in Punjab") and share the rest.
    long = judge(side(" ".join([REPORT] * 3), figures=(fig("561068", "sims"),)),
                 side(" ".join([OTHER_WORDS] * 3), outlet="frontier", hours=2, figures=(fig("368000", "sims"),)))
    assert long.evidence.conflicting_figures and "conflicting figures" not in evidence_points(long.evidence)


def test_briefs_do_not_join_on_the_stock_sentences_they_share() -> None:
    """Two briefs on different operations, each ending with the military statement's stock line, and naming
    nothing in common: their wording in common is boilerplate, and alone it cannot make them one story. A
    brief that copies another still joins, as a near copy."""
    stock = ("Sanitisation operation is being carried out to eliminate any other terrorists found in the area, "
             "the military's media wing said.")
    first = side(f"Security forces killed 16 terrorists in Kech district, ISPR said. {stock}", figures=(),
                 orgs=("Inter-Services Public Relations",), places=("Kech",))
    other_event = side(f"Troops raided a hideout on Friday night after a tip-off about fighters crossing the border "
                       f"and recovered weapons, ammunition and communication equipment. {stock}", outlet="frontier",
                       hours=6, figures=(), orgs=(), places=())
    verdict = judge(first, other_event)
    assert verdict.evidence.brief and 0.2 < verdict.evidence.wording < similarity.VERBATIM_THRESHOLD
    assert evidence_points(verdict.evidence) == {"wording": BRIEF_MAX_WORDING_POINTS}
    assert not verdict.same
    copy = side(f"Security forces killed 16 terrorists in Kech district, ISPR said on Friday. {stock}",
                outlet="frontier", hours=1, figures=(), orgs=(), places=())
    assert judge(first, copy).rule == "near-copy"


def test_briefs_from_one_dateline_about_different_places_are_two_reports() -> None:
    """Every ISPR statement is datelined Rawalpindi: two ISPR briefs that share only that place, each naming
    the district it happened in, are two operations. A brief naming no other place is not held apart."""
    brief = "RAWALPINDI: Security forces killed terrorists in an operation, ISPR said."
    other = "RAWALPINDI: Troops raided a militant hideout overnight, the ISPR said."
    ispr = ("Inter-Services Public Relations",)
    kech = side(brief, figures=(), orgs=ispr, places=("Rawalpindi", "Kech"))
    waziristan = side(other, outlet="frontier", hours=3, figures=(), orgs=ispr,
                      places=("Rawalpindi", "North Waziristan"))
    verdict = judge(kech, waziristan)
    assert verdict.evidence.places == ("Rawalpindi",) and not verdict.evidence.places_differ
    assert evidence_points(verdict.evidence)["different places"] == PLACES_DIFFER_POINTS and not verdict.same
    assert judge(kech, side(other, outlet="frontier", hours=3, figures=(), orgs=ispr, places=("Rawalpindi",))).same


def test_a_long_report_left_short_by_its_outlets_stock_sentences_is_not_judged_as_a_brief() -> None:
    brief = "The PTA blocked SIMs in Islamabad on Monday, officials said."
    other = "Islamabad: regulator PTA says numbers switched off after review."
    first = side(brief, figures=())
    # The same short body, but it is what is left of a 270-word report once its outlet's recurring lines
    # are left out: a place and an agency in common are not enough for it.
    stock = ArticleSide.of_text("capital", T0, brief, first.features, text_words=270)
    assert first.brief and not stock.brief
    assert judge(first, side(other, outlet="frontier", hours=2, figures=())).same
    assert not judge(stock, side(" ".join([other] * 12), outlet="frontier", hours=2, figures=())).same


def test_a_specific_value_agrees_whatever_it_is_called_but_a_round_one_needs_the_same_thing() -> None:
    assert fig("1447", "websites").agrees_with(fig("1447", "web", "addresses"))
    assert not fig("50", "accounts").agrees_with(fig("50", "suspects"))
    assert fig("50", "social", "accounts").agrees_with(fig("50", "accounts"))


def test_features_skip_durations_years_and_small_numbers() -> None:
    def figure(text: str, value: float, counts: str) -> Figure:
        return Figure(text, value, None, counts, None, False, 0, len(text), "", None, None)

    analysis = Analysis(
        organisations=[Organisation("Federal Investigation Agency", "FIA", [], None, None, 3, "fia")],
        people=[NamedEntity("Malahat Obaid", [], 1)], places=[NamedEntity("Karachi", [], 2)],
        figures=[figure("24 hours", 24, "hours"), figure("2025", 2025, ""), figure("3 suspects", 3, "suspects"),
                 figure("1,447 websites", 1447, "websites")])
    features = features_from_analysis(analysis)
    assert [f.value for f in features.figures] == ["1447"]
    assert [(f.value, f.counts) for f in features.small] == [("3", {"suspects"})]  # a small count, kept apart
    assert features.organisations == {"Federal Investigation Agency"} and features.places == {"Karachi"}
    assert StoryFeatures.from_json(features.to_json()) == features


def test_small_counts_need_what_they_count_and_start_at_two() -> None:
    def figure(text: str, value: float, counts: str) -> Figure:
        return Figure(text, value, None, counts, None, False, 0, len(text), "", None, None)

    analysis = Analysis(organisations=[], people=[], places=[], figures=[
        figure("one soldier", 1, "soldier"), figure("7", 7, ""), figure("2.5 hours", 2.5, "hours"),
        figure("nine terrorists", 9, "terrorists"), figure("Three soldiers martyred", 3, "soldiers martyred")])
    assert [(f.value, f.shown) for f in features_from_analysis(analysis).small] == [
        ("9", "nine terrorists"), ("3", "Three soldiers martyred")]


# Two long reports of one ISPR operation, each in its own words: no specific figure; the agency, the district
# and one martyred soldier's name in common.
OPERATION = ("Security forces killed nine terrorists in an intelligence-based operation in the Zhob district of "
             "Balochistan, the military's media wing said on Sunday. Three soldiers, among them Sepoy Zubair Kakar, "
             "were martyred in the exchange of fire, and a sanitisation operation was under way to clear the area of any remaining militants. The "
             "statement said the hideout had been used to plan attacks on convoys travelling on the national "
             "highway, and that weapons, ammunition and explosives were recovered from the compound. Officials in "
             "Quetta said the provincial government would compensate the families of the soldiers, and the chief "
             "minister praised the troops for their courage in a message issued late in the evening.")
OPERATION_RETOLD = ("Nine militants died when troops raided a hideout near Zhob, according to the Inter-Services "
                    "Public Relations. The statement said three soldiers, including Sepoy Zubair Kakar, lost their lives, and "
                    "that the search of the surrounding villages continued into the night. Residents told local "
                    "reporters that gunfire was heard for several hours before dawn and that roads into the town were "
                    "closed until the afternoon. Security analysts in Islamabad noted a rise in attacks along the "
                    "border this year and said such raids had become more frequent since the spring, as the army "
                    "stepped up its campaign against groups sheltering in the mountains.")
CASUALTIES = (fig("9", "terrorists", "killed", shown="nine terrorists"), fig("3", "soldiers", shown="three soldiers"))


def operation(body: str, *, outlet: str, hours: float, small: tuple[FigureKey, ...] = CASUALTIES) -> ArticleSide:
    return ArticleSide.of_text(outlet, T0 + timedelta(hours=hours), body, StoryFeatures(
        organisations=frozenset({"Inter-Services Public Relations"}), people=frozenset({"Zubair Kakar"}),
        places=frozenset({"Zhob"}), small=small))


def test_two_long_reports_with_the_same_casualty_counts_within_hours_join() -> None:
    first = operation(OPERATION, outlet="capital", hours=0)
    retold = operation(OPERATION_RETOLD, outlet="frontier", hours=2,
                       small=(fig("9", "militants", "terrorists", shown="Nine militants"),
                              fig("3", "soldiers", shown="three soldiers")))
    verdict = judge(first, retold)
    assert verdict.evidence.shared_small == ("Nine militants", "three soldiers")
    assert verdict.to_json()["points"]["small counts"] == 2 * POINTS_PER_SHARED_SMALL_COUNT
    assert verdict.same
    assert "the same small counts (Nine militants, three soldiers)" in describe(verdict.to_json())
    # Without the counts in common, the name, the place and the agency are not enough.
    assert not judge(first, operation(OPERATION_RETOLD, outlet="frontier", hours=2, small=())).same


def test_casualty_counts_do_not_count_a_day_later_or_between_briefs() -> None:
    first = operation(OPERATION, outlet="capital", hours=0)
    follow_up = judge(first, operation(OPERATION_RETOLD, outlet="frontier", hours=20))
    assert "small counts" not in follow_up.to_json()["points"] and not follow_up.same
    brief = operation("Nine terrorists were killed in Zhob and three soldiers martyred, the ISPR said.",
                      outlet="frontier", hours=1)
    assert "small counts" not in judge(first, brief).to_json()["points"]


def test_the_reason_reads_as_a_sentence() -> None:
    verdict = judge(side(), side(OTHER_WORDS, outlet="frontier", hours=3))
    assert describe(verdict.to_json()) == (
        "a rewrite of the same report: four shared figures, the same organisation "
        "(Pakistan Telecommunication Authority), the same place (Islamabad), published 3 hours apart, "
        f"{round(100 * verdict.evidence.wording)}% of the wording in common")
