"""/programmes/mentoring/: an MSME asks for a mentor and follows its requests; agency staff register mentors and
assign requests; a mentor answers from the signed link of its e-mail, without an account."""

from __future__ import annotations

from contextlib import suppress

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.core import policies
from apps.core.policies import can, public, requires
from apps.programmes import mentoring, services
from apps.programmes.forms import AssignMentorForm, MentorForm, MentoringRequestForm, add_errors
from apps.programmes.models import Mentor, MentoringRequest
from apps.registry.selectors import msme_for_user
from apps.tenants.context import tenant_context

MAX_LISTED = 100  # an agency's mentors and requests on its page, newest first


def _requests(request: HttpRequest) -> list[MentoringRequest]:
    queryset = MentoringRequest.objects.select_related("mentor", "msme").order_by("-created_at")
    return list(policies.rows(request.actor, "programmes.view_mentoring", queryset)[:MAX_LISTED])


@requires("programmes.view_mentoring")
@require_http_methods(["GET", "HEAD", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    """Members ask and follow; agency staff see every request of the agency and its mentors."""
    staff = can(request.actor, "programmes.manage_mentoring")
    form = None if staff else MentoringRequestForm(request.POST if request.method == "POST" else None)
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            mentoring.request_mentor(
                actor=request.actor,
                msme=msme_for_user(user=request.user),
                area=form.cleaned_data["area"],
                description=form.cleaned_data["description"],
                language=services.active_language(),
                mentor=form.cleaned_data["mentor"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your request is sent. You will hear from your mentor by e-mail."))
            return redirect("programmes:mentoring")
    elif request.method == "POST" and staff:
        raise Http404
    context = {
        "form": form,
        "staff": staff,
        "requests": _requests(request),
        "mentors": list(Mentor.objects.order_by("name")[:MAX_LISTED]) if staff else [],
        "assign_form": AssignMentorForm() if staff else None,
    }
    return render(
        request, "programmes/mentoring.html", context, status=400 if form is not None and form.errors else 200
    )


@requires("programmes.manage_mentoring")
@require_http_methods(["GET", "HEAD", "POST"])
def mentor_new(request: HttpRequest) -> HttpResponse:
    form = MentorForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            mentoring.mentor_create(actor=request.actor, data=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The mentor is registered."))
            return redirect("programmes:mentoring")
    return render(request, "programmes/mentor_form.html", {"form": form}, status=400 if form.errors else 200)


@requires("programmes.manage_mentoring", per_object=True)
@require_POST
def assign(request: HttpRequest, mentoringrequest_pk: str) -> HttpResponse:
    queryset = policies.rows(request.actor, "programmes.manage_mentoring", MentoringRequest.objects.all())
    mentoring_request = get_object_or_404(queryset, pk=mentoringrequest_pk)
    form = AssignMentorForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pick a mentor from the list."))
        return redirect("programmes:mentoring")
    try:
        mentoring.assign_mentor(actor=request.actor, request=mentoring_request, mentor=form.cleaned_data["mentor"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The mentor is asked by e-mail."))
    return redirect("programmes:mentoring")


@public
@require_http_methods(["GET", "HEAD", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The mentor's page from the e-mail's link: the request, and Accept or Decline."""
    claim = mentoring.read_answer_token(token)
    opened = mentoring.open_claim(claim) if claim is not None else None
    if opened is None:
        raise Http404
    tenant, mentoring_request = opened
    if request.method == "POST":
        choice = request.POST.get("answer")
        if choice not in ("accept", "decline"):
            return render(
                request,
                "programmes/mentoring_answer.html",
                {"mentoring_request": mentoring_request, "error": True},
                status=400,
            )
        # Answered already: the page says how it was answered.
        with tenant_context(tenant), suppress(ValidationError):
            mentoring.answer(request=mentoring_request, accept=choice == "accept")
    return render(request, "programmes/mentoring_answer.html", {"mentoring_request": mentoring_request})


urlpatterns = [
    path("mentoring/", index, name="mentoring"),
    path("mentoring/mentors/new/", mentor_new, name="mentor-new"),
    path("mentoring/<uuid:mentoringrequest_pk>/assign/", assign, name="mentoring-assign"),
    path("mentoring/answer/<str:token>/", answer, name="mentoring-answer"),
]
