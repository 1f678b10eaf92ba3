"""Scoring the diagnostic: pure functions, no database.

How answers become a level (DESIGN.md's five levels):

1. Each scored question earns the points of the answer given (a multi question: the sum of the
   ticked options' points, capped at its maximum). Questions that only describe the business
   (has inventions? sells abroad?) score nothing; they give the plan its signals and decide which
   other questions are shown.
2. An area's score is its points over its maximum, 0-100; the overall score is the average of the
   areas (each area counts the same, however many questions it has).
3. The overall score gives a level by its range (LEVEL_FLOORS): 0-19 level 1, 20-39 level 2,
   40-59 level 3, 60-79 level 4, 80-100 level 5.
4. Gates keep a level to what it means (GATES): level 2 needs an answer showing IP matters to the
   business; level 3 needs some protection (a right filed or held, or trade secrets kept
   deliberately); level 4 also needs management (a register of assets and deadlines, or a written
   strategy); level 5 also needs earning from IP (licence income, IP-backed finance, protection in
   the key export markets, rights enforced). A gate not met caps the level below it.

Every result carries its reasons, as codes with parameters (`Reason`), put into words in the
reader's language by `reason_texts`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.diagnostics.questionnaire import (
    AREAS,
    AWARE,
    LEVERAGES,
    MANAGES,
    MULTI,
    PROTECTS,
    Question,
    Questionnaire,
    UnknownVersion,
    get_questionnaire,
)
from apps.diagnostics.vocabulary import Signal
from apps.registry import maturity

LEVEL_FLOORS = {1: 0, 2: 20, 3: 40, 4: 60, 5: 80}  # the lowest overall score of each level

LEVEL_NAMES = maturity.LEVEL_NAMES  # defined once, in the registry (the layer below)
LEVEL_MEANINGS = {
    1: gettext_lazy("Does not know what IP it has or how it is protected."),
    2: gettext_lazy("Knows IP matters; no protection or management yet."),
    3: gettext_lazy("Holds or has filed some rights (trademark, design, patent) or keeps trade secrets deliberately."),
    4: gettext_lazy("Keeps an IP register, deadlines, contracts, a strategy."),
    5: gettext_lazy("Earns from IP: licensing, finance, international protection, enforcement."),
}
# The evidence each level needs on top of its score; a level needs the gates of the levels below too.
GATES = {2: AWARE, 3: PROTECTS, 4: MANAGES, 5: LEVERAGES}
GATE_TEXTS = {
    AWARE: gettext_lazy("an answer showing that IP matters to your business"),
    PROTECTS: gettext_lazy(
        "some protection: a trademark, design or patent filed or held, or trade secrets kept deliberately"
    ),
    MANAGES: gettext_lazy("a register of your IP with its deadlines, or a written IP strategy"),
    LEVERAGES: gettext_lazy(
        "earning from your IP: licence income, IP-backed finance, protection in your key export markets, "
        "or rights you have enforced"
    ),
}
REASON_TEXTS = {
    "score": gettext_lazy(
        "Your overall score is %(score)s out of 100 (the average of the areas): the range of level %(level)s, "
        "%(name)s, is %(low)s to %(high)s."
    ),
    "gate": gettext_lazy("Level %(level)s, %(name)s, also needs %(requirement)s. None of your answers shows it yet."),
    "strongest": gettext_lazy("Your strongest area is %(area)s (%(score)s out of 100)."),
    "weakest": gettext_lazy("The area to work on first is %(area)s (%(score)s out of 100)."),
    "next": gettext_lazy("To reach level %(level)s, %(name)s, your overall score needs to be at least %(low)s."),
    "top": gettext_lazy("This is the highest level: keep your register, contracts and protection up to date."),
}


@dataclass(frozen=True)
class Reason:
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params)}

    def __str__(self) -> str:
        return reason_text(self.as_dict())


@dataclass(frozen=True)
class Result:
    level: int
    score: int
    area_scores: dict[str, int]
    reasons: tuple[Reason, ...]
    signals: frozenset[Signal]
    facts: frozenset[str]
    answers: dict[str, Any]  # the answers that counted (hidden questions' answers dropped)
    version: str

    @property
    def level_name(self) -> str:
        return level_name(self.level)


def level_name(level: int) -> str:
    return str(LEVEL_NAMES[level])


def level_meaning(level: int) -> str:
    return str(LEVEL_MEANINGS[level])


def area_name(area: str) -> str:
    return str(AREAS.get(area, area))


def reason_text(reason: Mapping[str, Any]) -> str:
    """One stored reason ({"code", "params"}) in words, in the active language."""
    params = dict(reason.get("params") or {})
    if "level" in params:
        params["name"] = level_name(params["level"])
    if "area" in params:
        params["area"] = area_name(params["area"])
    if "fact" in params:
        params["requirement"] = str(GATE_TEXTS[params["fact"]])
    template = REASON_TEXTS.get(reason.get("code", ""))
    return str(template) % params if template else ""


def reason_texts(reasons: Iterable[Mapping[str, Any]]) -> list[str]:
    return [text for text in (reason_text(reason) for reason in reasons) if text]


# --- Validation -----------------------------------------------------------------------------


def _normalise(question: Question, value: Any) -> tuple[Any, str | None]:
    """The answer in its stored form (a string, or for multi a list in the options' order), or an error."""
    if question.kind == MULTI:
        values = value if isinstance(value, list) else [value]
        if not values or values == [None] or values == [""]:
            return None, _("Choose at least one answer (or “None of these”).")
        unknown = [v for v in values if not isinstance(v, str) or question.option(v) is None]
        if unknown:
            return None, _("“%(value)s” is not an answer to this question.") % {"value": unknown[0]}
        chosen = set(values)
        if len(chosen) > 1 and any(question.option(v).exclusive for v in chosen):
            return None, _("“None of these” cannot be chosen together with other answers.")
        return [option.value for option in question.options if option.value in chosen], None
    if isinstance(value, list):
        return None, _("This question takes one answer, not a list.")
    if value is None or value == "":
        return None, _("Please answer this question.")
    if not isinstance(value, str) or question.option(value) is None:
        return None, _("“%(value)s” is not an answer to this question.") % {"value": value}
    return value, None


def clean_answers(
    answers: Mapping[str, Any],
    questionnaire: Questionnaire,
    *,
    required: Iterable[str] | None = None,
    allow_unknown: bool = False,
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """(answers that count, errors by question id).

    Answers to hidden questions are dropped. `required`: the question ids that must be answered
    when shown (None: every shown question).
    """
    errors: dict[str, list[str]] = {}
    given: dict[str, Any] = {}
    for question_id, value in answers.items():
        question = questionnaire.question(question_id)
        if question is None:
            if not allow_unknown:
                errors[str(question_id)] = [_("Unknown question.")]
            continue
        if value is None or value == "" or value == []:
            continue  # unanswered: checked below if it is required
        normalised, error = _normalise(question, value)
        if error:
            errors[question_id] = [error]
        else:
            given[question_id] = normalised
    visible = questionnaire.visible(given)
    must = {q.id for q in visible} if required is None else set(required)
    cleaned = {}
    for question in visible:
        if question.id in given:
            cleaned[question.id] = given[question.id]
        elif question.id in must and question.id not in errors:
            errors[question.id] = [
                _("Choose at least one answer (or “None of these”).")
                if question.kind == MULTI
                else _("Please answer this question.")
            ]
    hidden = {q.id for q in questionnaire.questions} - {q.id for q in visible}
    for question_id in hidden:
        errors.pop(question_id, None)  # a hidden question's bad answer does not count either
    return cleaned, errors


def validate_answers(answers: Any, version: str | None = None) -> dict[str, Any]:
    """The answers that count, or ValidationError naming each question that is wrong.

    Unknown questions, unknown values, a list for a single-choice question, "none of these" with
    other choices, and a shown question left unanswered are errors. Answers to questions the other
    answers hide are dropped, not refused.
    """
    try:
        questionnaire = get_questionnaire(version)
    except UnknownVersion:
        raise ValidationError(
            {"version": [_("Unknown questionnaire version “%(version)s”.") % {"version": version}]}
        ) from None
    if not isinstance(answers, Mapping):
        raise ValidationError({"answers": [_("Give the answers as an object: question id → answer.")]})
    cleaned, errors = clean_answers(answers, questionnaire)
    if errors:
        raise ValidationError(errors)
    return cleaned


# --- Scoring --------------------------------------------------------------------------------


def _points(question: Question, answer: Any) -> int:
    if question.kind == MULTI:
        total = sum(question.option(value).points or 0 for value in answer)
        return min(total, question.maximum)
    return question.option(answer).points or 0


def level_for(score: int, facts: Iterable[str]) -> int:
    """The level: the score's range, capped by the first gate not met."""
    by_score = max(level for level, floor in LEVEL_FLOORS.items() if score >= floor)
    return min(by_score, gate_level(facts))


def gate_level(facts: Iterable[str]) -> int:
    """The highest level whose gates (and those below it) the facts meet."""
    facts = set(facts)
    if facts - {AWARE}:
        facts.add(AWARE)  # protecting, managing or earning from IP shows that it matters
    level = 1
    for candidate in (2, 3, 4, 5):
        if GATES[candidate] not in facts:
            break
        level = candidate
    return level


def score(answers: Mapping[str, Any], version: str | None = None) -> Result:
    """Validate and score `answers` (ValidationError when they are not valid)."""
    cleaned = validate_answers(answers, version)  # first: an unknown version is a ValidationError too
    questionnaire = get_questionnaire(version)
    points: dict[str, int] = dict.fromkeys(questionnaire.areas, 0)
    maximum: dict[str, int] = dict.fromkeys(questionnaire.areas, 0)
    signals: set[Signal] = set()
    facts: set[str] = set()
    for question in questionnaire.visible(cleaned):
        answer = cleaned[question.id]
        for value in answer if isinstance(answer, list) else [answer]:
            option = question.option(value)
            signals |= option.signals
            facts |= option.facts
        if question.scored:
            points[question.area] += _points(question, answer)
            maximum[question.area] += question.maximum
    area_scores = {area: round(100 * points[area] / maximum[area]) for area in questionnaire.areas if maximum[area]}
    overall = round(sum(area_scores.values()) / len(area_scores)) if area_scores else 0
    level = level_for(overall, facts)
    return Result(
        level=level,
        score=overall,
        area_scores=area_scores,
        reasons=tuple(_reasons(overall, level, facts, area_scores)),
        signals=frozenset(signals),
        facts=frozenset(facts),
        answers=cleaned,
        version=questionnaire.version,
    )


def _reasons(overall: int, level: int, facts: set[str], area_scores: dict[str, int]) -> list[Reason]:
    by_score = level_for(overall, {AWARE, PROTECTS, MANAGES, LEVERAGES})
    high = LEVEL_FLOORS[by_score + 1] - 1 if by_score < 5 else 100
    reasons = [Reason("score", {"score": overall, "level": by_score, "low": LEVEL_FLOORS[by_score], "high": high})]
    if level < by_score:
        reasons.append(Reason("gate", {"level": level + 1, "fact": GATES[level + 1]}))
    elif level < 5:
        gate_next = gate_level(facts) > level
        if gate_next:
            reasons.append(Reason("next", {"level": level + 1, "low": LEVEL_FLOORS[level + 1]}))
        else:
            reasons.append(Reason("gate", {"level": level + 1, "fact": GATES[level + 1]}))
    else:
        reasons.append(Reason("top"))
    if area_scores:
        ranked = sorted(area_scores.items(), key=lambda item: (-item[1], list(AREAS).index(item[0])))
        strongest, weakest = ranked[0], ranked[-1]
        if strongest[1] > weakest[1]:
            reasons.append(Reason("strongest", {"area": strongest[0], "score": strongest[1]}))
            reasons.append(Reason("weakest", {"area": weakest[0], "score": weakest[1]}))
    return reasons
