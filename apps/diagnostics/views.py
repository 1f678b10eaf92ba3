"""The diagnostic's pages: an introduction, one step per area (answers kept in the session), the result.

The steps work without JavaScript: hidden questions are skipped on the server; static/js/diagnostic.js
only hides, within a step, the questions that an answer above them makes irrelevant.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.policies import can, public, requires
from apps.diagnostics import plan, scoring, selectors, services
from apps.diagnostics.models import Assessment
from apps.diagnostics.questionnaire import AREAS, MULTI, Question, Questionnaire, get_questionnaire
from apps.diagnostics.session import (
    clear_session_answers,
    remember_visitor_assessment,
    save_session_answers,
    session_answers,
    session_visitor_assessment,
)
from apps.registry import selectors as registry_selectors
from apps.registry.models import Msme


def _member_msme(request: HttpRequest) -> Msme | None:
    if not can(request.actor, "diagnostics.self_assess"):
        return None
    return registry_selectors.msme_for_user(user=request.user)


@public
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    questionnaire = get_questionnaire()
    msme = _member_msme(request)
    return render(
        request,
        "diagnostics/start.html",
        {
            "questionnaire": questionnaire,
            "areas": [AREAS[area] for area in questionnaire.areas],
            "levels": _levels(),
            "msme": msme,
            "latest": selectors.latest_assessment(msme) if msme else None,
            "in_progress": bool(session_answers(request)),
            "visitor_assessment": session_visitor_assessment(request),
        },
    )


def _levels() -> list[dict[str, Any]]:
    return [
        {"level": level, "name": scoring.level_name(level), "meaning": scoring.level_meaning(level)}
        for level in scoring.LEVEL_NAMES
    ]


# --- The steps -------------------------------------------------------------------------------


def _posted_answers(request: HttpRequest, questions: list[Question]) -> dict[str, Any]:
    answers = {}
    for question in questions:
        if question.kind == MULTI:
            values = request.POST.getlist(question.id)
            if values:
                answers[question.id] = values
        elif request.POST.get(question.id):
            answers[question.id] = request.POST[question.id]
    return answers


def _step_questions(questionnaire: Questionnaire, area: str, answers: dict[str, Any]) -> list[dict[str, Any]]:
    """The area's questions to render: those shown by the earlier areas' answers. A question that depends
    on an answer in this same step is rendered too, with its conditions, so that the script can hide it."""
    in_step = {question.id for question in questionnaire.in_area(area)}
    visible = {question.id for question in questionnaire.visible(answers)}
    earlier = {key: value for key, value in answers.items() if key not in in_step and key in visible}
    rows = []
    for question in questionnaire.in_area(area):
        outside = [c for c in question.show_if if c.question not in in_step]
        if all(condition.holds(earlier) for condition in outside):
            inside = [c for c in question.show_if if c.question in in_step]
            rows.append(
                {"question": question, "show_if": ";".join(f"{c.question}:{','.join(c.any_of)}" for c in inside)}
            )
    return rows


def _run_step(
    request: HttpRequest,
    step: int,
    *,
    msme: Msme | None,
    step_url: Any,
    finish: Any,
    cancel_url: str,
) -> HttpResponse:
    questionnaire = get_questionnaire()
    areas = list(questionnaire.areas)
    if not 1 <= step <= len(areas):
        raise Http404
    area = areas[step - 1]
    recording = msme is not None and can(request.actor, "diagnostics.record_assessment", msme)
    msme_pk = msme.pk if recording else None
    stored = session_answers(request, msme_pk)
    rows = _step_questions(questionnaire, area, stored)
    step_ids = [row["question"].id for row in rows]
    errors: dict[str, list[str]] = {}
    answers = {key: value for key, value in stored.items() if key in step_ids}
    status = 200
    if request.method == "POST":
        posted = _posted_answers(request, [row["question"] for row in rows])
        others = {key: value for key, value in stored.items() if key not in step_ids}
        going_back = "back" in request.POST
        cleaned, errors = scoring.clean_answers(
            {**others, **posted}, questionnaire, required=[] if going_back else step_ids, allow_unknown=True
        )
        errors = {key: value for key, value in errors.items() if key in step_ids}
        kept = {**others, **{key: value for key, value in posted.items() if key in cleaned}}
        if going_back:
            save_session_answers(request, kept, msme_pk)
            return redirect(step_url(step - 1) if step > 1 else cancel_url)
        if not errors:
            save_session_answers(request, kept, msme_pk)
            if step < len(areas):
                return redirect(step_url(step + 1))
            return finish(kept)
        answers, status = posted, 400
    return render(
        request,
        "diagnostics/step.html",
        {
            "step": step,
            "steps": len(areas),
            "area": area,
            "area_name": AREAS[area],
            "rows": [
                {
                    **row,
                    "selected": _as_list(answers.get(row["question"].id)),
                    "errors": errors.get(row["question"].id, []),
                }
                for row in rows
            ],
            "errors": errors,
            "msme": msme,
            "recording": msme_pk is not None,
            "action": step_url(step),
        },
        status=status,
    )


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _first_step_with_errors(questionnaire: Questionnaire, errors: dict[str, Any]) -> int:
    areas = list(questionnaire.areas)
    steps = [areas.index(questionnaire.question(key).area) + 1 for key in errors if questionnaire.question(key)]
    return min(steps, default=1)


@public
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, step: int) -> HttpResponse:
    """One area of the questionnaire, for a visitor or an MSME member (their own MSME)."""
    msme = _member_msme(request)

    def finish(answers: dict[str, Any]) -> HttpResponse:
        try:
            if msme is not None:
                services.assessment_record(
                    msme=msme, answers=answers, actor=request.user, source=Assessment.Source.SELF
                )
            else:
                remember_visitor_assessment(request, services.visitor_assessment_create(answers))
        except ValidationError as error:
            return _incomplete(request, error, lambda n: reverse("diagnostics:step", args=[n]))
        clear_session_answers(request)
        return redirect("diagnostics:result")

    return _run_step(
        request,
        step,
        msme=msme,
        step_url=lambda n: reverse("diagnostics:step", args=[n]),
        finish=finish,
        cancel_url=reverse("diagnostics:start"),
    )


def _incomplete(request: HttpRequest, error: ValidationError, step_url: Any) -> HttpResponse:
    """A step was skipped (an address typed in): back to the first step with a question left open."""
    messages.error(request, _("Some questions are not answered yet."))
    errors = error.message_dict if hasattr(error, "error_dict") else {}
    return redirect(step_url(_first_step_with_errors(get_questionnaire(), errors)))


@requires("diagnostics.record_assessment")
@require_GET
def record(request: HttpRequest, pk: str) -> HttpResponse:
    """Agency staff record an assessment for an MSME of their agency (e.g. after a visit)."""
    msme = get_object_or_404(
        registry_selectors.msmes_visible(request.actor, rule="diagnostics.record_assessment"), pk=pk
    )
    return redirect("diagnostics:record-step", pk=msme.pk, step=1)


@requires("diagnostics.record_assessment")
@require_http_methods(["GET", "POST"])
def record_step(request: HttpRequest, pk: str, step: int) -> HttpResponse:
    msme = get_object_or_404(
        registry_selectors.msmes_visible(request.actor, rule="diagnostics.record_assessment"), pk=pk
    )

    def step_url(n: int) -> str:
        return reverse("diagnostics:record-step", kwargs={"pk": msme.pk, "step": n})

    def finish(answers: dict[str, Any]) -> HttpResponse:
        try:
            assessment = services.assessment_record(
                msme=msme, answers=answers, actor=request.user, source=Assessment.Source.AGENCY
            )
        except ValidationError as error:
            return _incomplete(request, error, step_url)
        clear_session_answers(request, msme.pk)
        messages.success(request, _("The assessment of %(name)s was recorded.") % {"name": msme.name})
        return redirect("diagnostics:assessment", pk=assessment.pk)

    return _run_step(
        request,
        step,
        msme=msme,
        step_url=step_url,
        finish=finish,
        cancel_url=reverse("registry:detail", args=[msme.pk]),
    )


# --- Results ---------------------------------------------------------------------------------


def _area_order(area: str) -> int:
    # Stored assessments keep their own areas; one no longer in AREAS goes last rather than failing.
    return list(AREAS).index(area) if area in AREAS else len(AREAS)


def _result_context(result: Any, *, actions: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "result": result,
        "meaning": scoring.level_meaning(result.level),
        "area_rows": [
            {"area": area, "name": scoring.area_name(area), "score": score}
            for area, score in sorted(result.area_scores.items(), key=lambda item: _area_order(item[0]))
        ],
        "reasons": result.reason_texts(),
        "actions": actions,
        "levels": _levels(),
    }


@public
@require_GET
def result(request: HttpRequest) -> HttpResponse:
    """The latest result: a member's MSME's latest assessment, or the visitor's, kept in the session."""
    msme = _member_msme(request)
    if msme is not None:
        assessment = selectors.latest_assessment(msme)
        if assessment is None:
            return redirect("diagnostics:start")
        context = _result_context(assessment, actions=plan.actions_for_assessment(assessment))
        return render(request, "diagnostics/result.html", {**context, "msme": msme})
    visitor_assessment = session_visitor_assessment(request)
    if visitor_assessment is None:
        return redirect("diagnostics:start")
    context = _result_context(visitor_assessment, actions=plan.actions_for_visitor(visitor_assessment))
    return render(request, "diagnostics/result.html", {**context, "is_visitor": True})


@requires("diagnostics.view_assessment")
@require_GET
def assessment_detail(request: HttpRequest, pk: str) -> HttpResponse:
    """A stored assessment: agency staff any of their agency's, members their MSME's."""
    assessment = get_object_or_404(selectors.assessments_visible(request.actor), pk=pk)
    context = _result_context(assessment, actions=plan.actions_for_assessment(assessment))
    return render(request, "diagnostics/result.html", {**context, "msme": assessment.msme, "stored": True})
