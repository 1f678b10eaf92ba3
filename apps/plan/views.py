"""The tailored action plan's pages: the entry page, an MSME's plan and its PDF."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from apps.core.policies import public, requires
from apps.core.roles import Role
from apps.guidance.related import related_for
from apps.plan.engine import action_url
from apps.plan.pages import plan_for_msme
from apps.plan.pdf import render_plan_pdf
from apps.registry import selectors
from apps.registry.models import Msme


@public
@require_GET
def plan(request: HttpRequest) -> HttpResponse:
    """Members go to their MSME's plan, agency staff to their registry; everyone else learns what the plan is."""
    role = request.actor.role
    if role == Role.MSME_MEMBER:
        msme = selectors.msme_for_user(user=request.user)
        if msme is None:
            return redirect("registry:register")
        return redirect("guidance:msme-plan", pk=msme.pk)
    if role == Role.AGENCY_STAFF:
        return redirect("registry:index")
    return render(request, "plan/plan_about.html")


def _msme_for_request(request: HttpRequest, pk: str) -> Msme:
    """The MSME, if this user may see its plan: members their own, agency staff their tenant's (else 404)."""
    return get_object_or_404(selectors.msmes_visible(request.actor), pk=pk)


@requires("registry.view_msme", per_object=True)
@require_GET
def msme_plan(request: HttpRequest, pk: str) -> HttpResponse:
    msme = _msme_for_request(request, pk)
    msme_plan = plan_for_msme(msme)
    actions = [(action, action_url(action)) for action in msme_plan.actions]
    topics = list(dict.fromkeys(action.topic for action in msme_plan.actions if action.topic))
    context = {
        "msme": msme,
        "plan": msme_plan,
        "actions": actions,
        "related": related_for(topics, sector=msme.sector_section),
    }
    return render(request, "plan/plan_detail.html", context)


@requires("registry.view_msme", per_object=True)
@require_GET
def msme_plan_pdf(request: HttpRequest, pk: str) -> HttpResponse:
    msme = _msme_for_request(request, pk)
    msme_plan = plan_for_msme(msme)
    content = render_plan_pdf(msme_plan, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(content, content_type="application/pdf")
    name = slugify(msme.name) or "msme"
    response["Content-Disposition"] = f'attachment; filename="action-plan-{name}-{msme_plan.generated_on}.pdf"'
    return response
