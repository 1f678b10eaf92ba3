"""Scoring: the extremes, each level boundary, the gates, per-area scores, conditional questions, validation."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from apps.diagnostics import questionnaire as q
from apps.diagnostics import scoring
from apps.diagnostics.questionnaire import MULTI, SINGLE, Condition, Option, Question, Questionnaire
from apps.diagnostics.vocabulary import Signal
from tests.diagnostics.helpers import LEVEL_2, LEVEL_3, LEVEL_4, LEVEL_5, least_answers, most_answers

# --- The questionnaire itself ------------------------------------------------------------------


def test_the_questionnaire_covers_every_area_with_at_least_twenty_questions():
    questionnaire = q.get_questionnaire()
    assert questionnaire.version == q.CURRENT_VERSION == "2026.1"
    assert len(questionnaire.questions) >= 20
    assert set(questionnaire.areas) == {
        "awareness",
        "ownership",
        "protection",
        "management",
        "commercialisation",
        "international",
        "enforcement",
    }
    for area in questionnaire.areas:
        # Every area has a scored question that is always asked, so every area always has a score.
        assert any(question.scored and not question.show_if for question in questionnaire.in_area(area)), area


def test_question_ids_are_unique_and_conditions_point_at_earlier_questions():
    questions = q.get_questionnaire().questions
    ids = [question.id for question in questions]
    assert len(ids) == len(set(ids))
    for index, question in enumerate(questions):
        for condition in question.show_if:
            assert condition.question in ids[:index], question.id
            target = questions[ids.index(condition.question)]
            assert set(condition.any_of) <= {option.value for option in target.options}


def test_single_choice_options_go_from_least_to_most_mature():
    for question in q.get_questionnaire().questions:
        if question.kind == SINGLE and question.scored:
            points = [option.points for option in question.options]
            assert points == sorted(points) and points[0] == 0, question.id


def test_every_signal_of_the_plan_can_come_from_some_answer():
    produced = {
        signal for question in q.get_questionnaire().questions for o in question.options for signal in o.signals
    }
    assert produced == set(Signal)


def test_an_unknown_version_is_refused():
    with pytest.raises(q.UnknownVersion):
        q.get_questionnaire("1999.1")
    with pytest.raises(ValidationError) as error:
        scoring.validate_answers(least_answers(), "1999.1")
    assert "version" in error.value.message_dict


# --- The extremes ------------------------------------------------------------------------------


def test_every_least_mature_answer_gives_level_1():
    result = scoring.score(least_answers())
    assert result.level == 1 and result.level_name == "Unaware"
    assert result.score == 0
    assert set(result.area_scores.values()) == {0}


def test_every_most_mature_answer_gives_level_5():
    result = scoring.score(most_answers())
    assert result.level == 5 and result.level_name == "Leveraging"
    assert result.score >= 80


def test_every_most_mature_answer_with_every_multi_option_ticked_scores_100():
    answers = most_answers(assets_held=["brand", "designs", "know_how", "works"])
    answers["contracts"] = ["ndas", "employment", "assignment", "licences"]
    result = scoring.score(answers)
    assert result.level == 5 and result.score == 100
    assert set(result.area_scores.values()) == {100}


# --- Each level boundary -------------------------------------------------------------------------

ALL_FACTS = {q.AWARE, q.PROTECTS, q.MANAGES, q.LEVERAGES}


@pytest.mark.parametrize(
    ("score", "level"),
    [(0, 1), (19, 1), (20, 2), (39, 2), (40, 3), (59, 3), (60, 4), (79, 4), (80, 5), (100, 5)],
)
def test_the_score_ranges_of_the_levels(score, level):
    assert scoring.level_for(score, ALL_FACTS) == level


@pytest.mark.parametrize(
    ("facts", "cap"),
    [
        (set(), 1),
        ({q.AWARE}, 2),
        ({q.PROTECTS}, 3),  # protecting shows awareness
        ({q.AWARE, q.PROTECTS}, 3),
        ({q.AWARE, q.MANAGES}, 2),  # managing without any protection is not level 4
        ({q.AWARE, q.PROTECTS, q.MANAGES}, 4),
        ({q.AWARE, q.PROTECTS, q.LEVERAGES}, 3),
        (ALL_FACTS, 5),
    ],
)
def test_the_gates_cap_the_level(facts, cap):
    assert scoring.gate_level(facts) == cap
    assert scoring.level_for(100, facts) == cap


# A one-area questionnaire whose only scored question earns 0-100 points, to reach every score exactly.
TEST_VERSION = Questionnaire(
    "test",
    (
        Question(
            "points",
            "awareness",
            SINGLE,
            "points",
            tuple(Option(f"p{n}", f"{n}", n) for n in range(101)),
        ),
        Question(
            "evidence",
            "awareness",
            MULTI,
            "evidence",
            (
                Option("none", "none", exclusive=True),
                *(Option(fact, fact, facts=frozenset({fact})) for fact in sorted(ALL_FACTS)),
            ),
        ),
    ),
    areas=("awareness",),
)


@pytest.fixture
def test_version(monkeypatch):
    monkeypatch.setitem(q.VERSIONS, "test", TEST_VERSION)
    return "test"


@pytest.mark.parametrize(
    ("points", "level"),
    [(19, 1), (20, 2), (39, 2), (40, 3), (59, 3), (60, 4), (79, 4), (80, 5)],
)
def test_scoring_at_each_level_boundary(test_version, points, level):
    result = scoring.score({"points": f"p{points}", "evidence": sorted(ALL_FACTS)}, test_version)
    assert result.score == points
    assert result.level == level


@pytest.mark.parametrize(
    ("evidence", "level", "missing"),
    [
        (["none"], 1, q.AWARE),
        ([q.AWARE], 2, q.PROTECTS),
        ([q.AWARE, q.PROTECTS], 3, q.MANAGES),
        ([q.AWARE, q.PROTECTS, q.MANAGES], 4, q.LEVERAGES),
    ],
)
def test_a_high_score_without_the_evidence_stops_below_the_gate_and_says_why(test_version, evidence, level, missing):
    result = scoring.score({"points": "p100", "evidence": evidence}, test_version)
    assert result.level == level
    gate = [reason for reason in result.reasons if reason.code == "gate"]
    assert gate and gate[0].params == {"level": level + 1, "fact": missing}
    assert f"Level {level + 1}, {scoring.level_name(level + 1)}, also needs" in str(gate[0])


def test_real_answers_reach_each_level():
    expected = {2: LEVEL_2, 3: LEVEL_3, 4: LEVEL_4, 5: LEVEL_5}
    for level, answers in expected.items():
        assert scoring.score(answers).level == level, level


def test_level_2_worked_out_by_hand():
    result = scoring.score(LEVEL_2)
    # awareness: matters 2 + yes 2 + trained 2 = 6 of 3+2+3 = 8 -> 75
    # ownership: main 2 + assume 1 + online 1 = 4 of 9 -> 44
    # protection: checked 1 + trust 1 = 2 of 6 -> 33 (no design, patent or authorship question shown)
    # management: memory 1 + informal 1 + none 0 + nobody 0 = 2 of 3+3+3+3 = 12 -> 17
    assert result.area_scores == {
        "awareness": 75,
        "ownership": 44,
        "protection": 33,
        "management": 17,
        "commercialisation": 0,
        "international": 0,
        "enforcement": 0,
    }
    assert result.score == 24  # (75 + 44 + 33 + 17) / 7 = 24.1
    assert result.level == 2
    # The score is in level 3's reach only with protection: the reason says so.
    assert [reason.code for reason in result.reasons][:2] == ["score", "gate"]


def test_the_reasons_are_plain_words():
    texts = scoring.reason_texts(reason.as_dict() for reason in scoring.score(LEVEL_3).reasons)
    assert texts[0] == (
        "Your overall score is 47 out of 100 (the average of the areas): the range of level 3, Protecting, is 40 to 59."
    )
    assert "To reach level 4, Managing" in texts[1] or "Level 4, Managing, also needs" in texts[1]
    assert any(text.startswith("Your strongest area is Protection") for text in texts)
    assert any(text.startswith("The area to work on first is Management and contracts") for text in texts)


# --- Multi answers ----------------------------------------------------------------------------


def test_a_multi_answer_scores_the_sum_of_its_ticks_up_to_the_questions_maximum():
    question = q.get_questionnaire().question("contracts")
    assert question.maximum == 3
    base = least_answers()
    by_ticks = {}
    for ticks in (["none"], ["ndas"], ["ndas", "employment"], ["ndas", "employment", "assignment"]):
        by_ticks["+".join(ticks)] = scoring.score({**base, "contracts": ticks}).area_scores["management"]
    four = scoring.score({**base, "contracts": ["ndas", "employment", "assignment", "licences"]})
    # management: register, strategy, responsible at 0, so contracts alone: ticks of 12 points
    assert by_ticks == {"none": 0, "ndas": 8, "ndas+employment": 17, "ndas+employment+assignment": 25}
    assert four.area_scores["management"] == 25  # capped at 3
    assert Signal.LICENCES_CONTRACTS in four.signals


def test_a_multi_answer_given_as_one_value_is_read_as_a_list():
    cleaned = scoring.validate_answers(least_answers(assets_held="brand"))
    assert cleaned["assets_held"] == ["brand"]


def test_multi_answers_are_stored_in_the_options_order_without_duplicates():
    cleaned = scoring.validate_answers(least_answers(assets_held=["works", "brand", "works"]))
    assert cleaned["assets_held"] == ["brand", "works"]


def test_describing_questions_score_nothing_and_give_signals():
    plain = scoring.score(least_answers())
    described = scoring.score(least_answers(creative_sector="yes", exports="planning", dispute="in_dispute"))
    assert described.area_scores == plain.area_scores
    assert {Signal.CREATIVE_SECTOR, Signal.EXPORTS, Signal.DISPUTE} <= described.signals
    assert Signal.CREATIVE_SECTOR not in plain.signals


# --- Conditional questions ---------------------------------------------------------------------


def test_patent_questions_are_hidden_without_inventions_and_shown_with_them():
    questionnaire = q.get_questionnaire()
    hidden = {question.id for question in questionnaire.visible({"has_inventions": "no"})}
    shown = {question.id for question in questionnaire.visible({"has_inventions": "yes"})}
    patent_questions = {"patent", "patent_attorney", "life_cycle", "green", "ntd", "freedom_to_operate"}
    assert not patent_questions & hidden
    assert patent_questions <= shown
    assert "pct" not in shown  # the PCT question needs exports too
    assert "pct" in {x.id for x in questionnaire.visible({"has_inventions": "yes", "exports": "planning"})}


def test_a_multi_answer_shows_the_questions_of_the_ticked_options():
    questionnaire = q.get_questionnaire()
    ids = {question.id for question in questionnaire.visible({"assets_held": ["designs", "works"]})}
    assert {"design", "authorship"} <= ids
    assert not {"design", "authorship"} & {x.id for x in questionnaire.visible({"assets_held": ["none"]})}


def test_answers_to_hidden_questions_are_ignored_not_refused():
    # A granted patent, answered by a business that said it has no inventions: not counted.
    with_patent = scoring.score(least_answers(patent="granted"))
    assert with_patent.level == 1
    assert "patent" not in with_patent.answers
    assert q.PROTECTS not in with_patent.facts
    # Even a value that does not exist: the question is not asked, so its answer is not read.
    assert "patent" not in scoring.validate_answers(least_answers(patent="not-a-value"))


def test_a_shown_conditional_question_counts():
    without = scoring.score(least_answers(has_inventions="yes", patent="disclosed"))
    granted = scoring.score(least_answers(has_inventions="yes", patent="granted"))
    assert granted.area_scores["protection"] > without.area_scores["protection"]
    assert q.PROTECTS in granted.facts
    assert Signal.HAS_INVENTIONS in granted.signals


def test_a_shown_conditional_question_must_be_answered():
    answers = least_answers(has_inventions="yes")
    del answers["patent"]
    with pytest.raises(ValidationError) as error:
        scoring.validate_answers(answers)
    assert error.value.message_dict == {"patent": ["Please answer this question."]}


# --- Validation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "question", "message"),
    [
        ({"not_a_question": "yes"}, "not_a_question", "Unknown question."),
        ({"trademark": "gold"}, "trademark", "“gold” is not an answer to this question."),
        ({"trademark": ["registered"]}, "trademark", "This question takes one answer, not a list."),
        ({"trademark": 3}, "trademark", "“3” is not an answer to this question."),
        ({"assets_held": ["none", "brand"]}, "assets_held", "“None of these” cannot be chosen together"),
        ({"assets_held": ["brand", "gold"]}, "assets_held", "“gold” is not an answer to this question."),
    ],
)
def test_bad_answers_are_refused_naming_the_question(change, question, message):
    with pytest.raises(ValidationError) as error:
        scoring.validate_answers(least_answers(**change))
    errors = error.value.message_dict
    assert list(errors) == [question]
    assert errors[question][0].startswith(message)


def test_a_missing_answer_is_refused_naming_the_question():
    answers = least_answers()
    del answers["register"]
    answers["contracts"] = []
    with pytest.raises(ValidationError) as error:
        scoring.validate_answers(answers)
    assert error.value.message_dict == {
        "register": ["Please answer this question."],
        "contracts": ["Choose at least one answer (or “None of these”)."],
    }


def test_answers_must_be_an_object():
    with pytest.raises(ValidationError) as error:
        scoring.validate_answers(["trademark"])
    assert "answers" in error.value.message_dict


def test_a_condition_reads_a_multi_answer_by_inclusion():
    condition = Condition("assets_held", ("designs",))
    assert condition.holds({"assets_held": ["brand", "designs"]})
    assert not condition.holds({"assets_held": ["brand"]})
    assert not condition.holds({})


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
def test_the_level_names_are_defined_once_in_the_registry(language):
    from django.utils import translation

    from apps.registry import maturity
    from apps.registry.models import MaturityLevel

    assert [level.value for level in MaturityLevel] == list(scoring.LEVEL_NAMES) == [1, 2, 3, 4, 5]
    with translation.override(language):
        for level in MaturityLevel:
            name = str(maturity.LEVEL_NAMES[level])
            assert scoring.level_name(level) == name
            assert str(level.label) == f"{level.value} {name}"  # the registry's "1 Unaware", in every language


def test_the_level_labels_read_as_before_in_english():
    from apps.registry.models import MaturityLevel

    assert [str(label) for _value, label in MaturityLevel.choices] == [
        "1 Unaware",
        "2 Aware",
        "3 Protecting",
        "4 Managing",
        "5 Leveraging",
    ]
    assert [scoring.level_name(level) for level in range(1, 6)] == [
        "Unaware",
        "Aware",
        "Protecting",
        "Managing",
        "Leveraging",
    ]
