"""Survey pages: agency staff build surveys, open and close them and read the answers (under /surveys/);
an MSME answers at its signed link, with no sign-in (/surveys/answer/<token>/)."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.lists import (
    CappedPaginator,
    list_filters_html,
    list_page,
    offers_saved_filters,
    page_query,
    rows_html,
    with_labels,
    with_urls,
)
from apps.core.policies import public, requires
from apps.outreach.recipients import msme_language
from apps.registry.models import Msme
from apps.surveys import links, selectors, services
from apps.surveys.forms import AnswerForm, QuestionFormSet, SurveyForm, question_initial, version_number
from apps.surveys.models import Question, Survey, SurveyVersion
from apps.tenants.context import iterate_in_tenant, tenant_context
from apps.tenants.models import Tenant

RULE = selectors.RULE
SURVEY_ROW = (
    '<tr><td><a href="{}"><bdi>{}</bdi></a></td><td><span class="badge text-bg-light border">{}</span></td>'
    '<td class="text-end">{}</td><td class="text-end">{}</td><td class="text-nowrap">{}</td></tr>'
)
TEXTS_PER_PAGE = 25


def _text_direction(language: str) -> str:
    """The direction of the survey's own texts, which may differ from the page's (an English survey on an
    Arabic page)."""
    try:
        return "rtl" if translation.get_language_info(language)["bidi"] else "ltr"
    except KeyError:
        return "ltr"


def _survey(request: HttpRequest, survey_pk: Any) -> Survey:
    return get_object_or_404(selectors.surveys_visible(request.actor), pk=survey_pk)


@requires(RULE)
@offers_saved_filters
def survey_list(request: HttpRequest) -> HttpResponse:
    context = list_page(request, lambda filters: selectors.survey_list(request.actor, filters=filters))
    rows = with_labels(context["page"].object_list, Survey, "status")
    with_urls(rows, "surveys:detail")
    context["rows_html"] = rows_html(
        SURVEY_ROW,
        (
            (
                s.url,
                s.title,
                s.status_label,
                s.version,
                s.response_count,
                date_format(s.created_at, "SHORT_DATE_FORMAT"),
            )
            for s in rows
        ),
    )
    context["filters_html"] = list_filters_html(request, "surveys/_survey_filters.html", context)
    return render(request, "surveys/survey_list.html", context, status=400 if context["filterset"].errors else 200)


def _save_errors(form: SurveyForm, formset: Any, error: ValidationError) -> None:
    for name, messages_ in error.message_dict.items():
        if name in form.fields:
            form.add_error(name, messages_)
        else:
            formset._non_form_errors = formset.error_class([*formset.non_form_errors(), *messages_])


@requires(RULE)
@require_http_methods(["GET", "POST"])
def survey_create(request: HttpRequest) -> HttpResponse:
    form = SurveyForm(request.POST or None, initial={"language": translation.get_language() or "en"})
    formset = QuestionFormSet(request.POST or None, prefix="questions")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            survey = services.survey_create(data=form.cleaned_data, questions=formset.questions(), actor=request.actor)
        except ValidationError as error:
            _save_errors(form, formset, error)
        else:
            messages.success(request, _("The survey is saved as a draft."))
            return redirect("surveys:detail", survey.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/survey_form.html", {"form": form, "formset": formset}, status=status)


@requires(RULE)
@require_http_methods(["GET", "POST"])
def survey_edit(request: HttpRequest, survey_pk: Any) -> HttpResponse:
    survey = _survey(request, survey_pk)
    version = selectors.version_of(survey)
    questions = selectors.questions_of(version)
    form = SurveyForm(
        request.POST or None,
        initial={"title": survey.title, "introduction": survey.introduction, "language": survey.language},
    )
    formset = QuestionFormSet(
        request.POST or None, prefix="questions", initial=[question_initial(q) for q in questions]
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            with transaction.atomic():
                services.survey_update(survey=survey, data=form.cleaned_data, actor=request.actor)
                before = survey.version
                services.survey_set_questions(survey=survey, questions=formset.questions(), actor=request.actor)
        except ValidationError as error:
            _save_errors(form, formset, error)
        else:
            survey.refresh_from_db()
            if survey.version != before:
                messages.success(
                    request,
                    _("Saved as version %(number)d: the answers given before keep the questions they answered.")
                    % {"number": survey.version},
                )
            else:
                messages.success(request, _("The survey is saved."))
            return redirect("surveys:detail", survey.pk)
    context = {
        "survey": survey,
        "form": form,
        "formset": formset,
        "has_responses": version.responses.exists(),
    }
    return render(request, "surveys/survey_form.html", context, status=400 if request.method == "POST" else 200)


@requires(RULE)
def survey_detail(request: HttpRequest, survey_pk: Any) -> HttpResponse:
    survey = _survey(request, survey_pk)
    version = selectors.version_of(survey)
    context = {
        "survey": survey,
        "questions": selectors.questions_of(version),
        "responses": survey.responses.count(),
        "preview_url": reverse("surveys:preview", args=[survey.pk]),
    }
    return render(request, "surveys/survey_detail.html", context)


@requires(RULE)
@require_POST
def survey_open(request: HttpRequest, survey_pk: Any) -> HttpResponse:
    survey = _survey(request, survey_pk)
    try:
        services.survey_open(survey=survey, actor=request.actor)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The survey is open: send its link in a campaign."))
    return redirect("surveys:detail", survey.pk)


@requires(RULE)
@require_POST
def survey_close(request: HttpRequest, survey_pk: Any) -> HttpResponse:
    survey = _survey(request, survey_pk)
    services.survey_close(survey=survey, actor=request.actor)
    messages.success(request, _("The survey is closed: its links take no more answers."))
    return redirect("surveys:detail", survey.pk)


@requires(RULE)
def survey_preview(request: HttpRequest, survey_pk: Any) -> HttpResponse:
    survey = _survey(request, survey_pk)
    questions = selectors.questions_of(selectors.version_of(survey))
    context = {
        "survey": survey,
        "form": AnswerForm(questions=questions),
        "preview": True,
        "survey_dir": _text_direction(survey.language),
    }
    return render(request, "surveys/answer.html", context)


@requires(RULE)
def survey_results(request: HttpRequest, survey_pk: Any) -> HttpResponse:
    survey = _survey(request, survey_pk)
    try:
        version = selectors.version_of(survey, version_number(request.GET.get("version"), last=survey.version))
    except (ValidationError, SurveyVersion.DoesNotExist) as missing:
        raise Http404 from missing
    context = {
        "survey": survey,
        "results": selectors.results(version),
        "versions": list(range(survey.version, 0, -1)),
    }
    return render(request, "surveys/survey_results.html", context)


@requires(RULE)
def question_texts(request: HttpRequest, survey_pk: Any, question_pk: Any) -> HttpResponse:
    survey = _survey(request, survey_pk)
    question = get_object_or_404(
        Question.objects.select_related("version"), pk=question_pk, version__survey=survey, kind=Question.Kind.TEXT
    )
    page = CappedPaginator(selectors.question_texts(question), TEXTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"survey": survey, "question": question, "page": page, "query": page_query(request)}
    return render(request, "surveys/question_texts.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(survey: Survey) -> Iterator[list[Any]]:
    questions = selectors.export_questions(survey)
    yield [
        _("Submitted at"),
        _("MSME"),
        _("Registration number"),
        _("Version"),
        _("Language"),
        *(f"v{q.version.number} {q.position}. {q.text}" for q in questions),
    ]
    for response in selectors.responses_for_export(survey).iterator(chunk_size=500):
        given: dict[Any, list[str]] = {}
        for answer in response.answers.all():
            value = (
                answer.choice.label
                if answer.choice_id
                else answer.scale_value
                if answer.scale_value is not None
                else answer.text
            )
            given.setdefault(answer.question_id, []).append(str(value))
        yield [
            response.submitted_at.isoformat(timespec="seconds"),
            response.msme.name,
            response.msme.registration_number,
            response.version.number,
            response.language,
            *("; ".join(given.get(q.pk, [])) for q in questions),
        ]


@requires(RULE)
def survey_export(request: HttpRequest, survey_pk: Any) -> HttpResponse:
    survey = _survey(request, survey_pk)
    writer = csv.writer(_Echo())
    rows = iterate_in_tenant(request.tenant, _csv_rows(survey))
    # The byte order mark: spreadsheets then read the file as UTF-8 (Arabic, accents).
    lines = itertools.chain(["\ufeff"], (writer.writerow(row) for row in rows))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="survey-answers-{stamp}.csv"'
    return response


# --- The MSME's signed link ------------------------------------------------------------------------------


def _refused(request: HttpRequest) -> HttpResponse:
    """The one answer to a link that is forged, expired, or names a survey or MSME that is not there: the
    same page and status in every case, so the link tells nothing about who exists."""
    return render(request, "surveys/answer_refused.html", status=404)


@public
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    ids = links.read_token(token)
    tenant = Tenant.objects.filter(pk=ids.tenant_id, is_active=True).first() if ids else None
    if tenant is None:
        return _refused(request)
    # The link's own tenant, whoever opens it: a visitor has none, a signed-in user may be of another.
    with tenant_context(tenant):
        return _answer_in_tenant(request, tenant, ids)


def _answer_in_tenant(request: HttpRequest, tenant: Tenant, ids: links.AnswerToken) -> HttpResponse:
    survey = Survey.objects.filter(pk=ids.survey_id).first()
    msme = Msme.objects.filter(pk=ids.msme_id).first()
    if survey is None or msme is None:
        return _refused(request)
    language = msme_language(msme, tenant)
    with translation.override(language):
        if survey.status != Survey.Status.OPEN:
            return render(request, "surveys/answer_closed.html", {"survey": survey}, status=410)
        if survey.responses.filter(msme=msme).exists():
            return render(request, "surveys/answer_done.html", {"survey": survey, "again": True}, status=409)
        questions = selectors.questions_of(selectors.version_of(survey))
        form = AnswerForm(request.POST or None, questions=questions)
        if request.method == "POST" and form.is_valid():
            raw = dict(form.cleaned_data)
            try:
                services.response_submit(survey=survey, msme=msme, answers=raw, language=language)
            except services.AlreadyAnswered:
                return render(request, "surveys/answer_done.html", {"survey": survey, "again": True}, status=409)
            except services.NotOpen:
                return render(request, "surveys/answer_closed.html", {"survey": survey}, status=410)
            except ValidationError as error:
                for key, messages_ in error.message_dict.items():
                    form.add_error(key if key in form.fields else None, messages_)
            else:
                return render(request, "surveys/answer_done.html", {"survey": survey, "msme": msme})
        context = {
            "survey": survey,
            "form": form,
            "msme": msme,
            "language": language,
            "survey_dir": _text_direction(survey.language),
        }
        return render(request, "surveys/answer.html", context, status=400 if form.errors else 200)
