"""The diagnostic in the browser session: answers as they are given, and a visitor's finished assessment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from apps.core.roles import Role
from apps.diagnostics import services
from apps.diagnostics.models import Assessment, VisitorAssessment
from apps.diagnostics.questionnaire import get_questionnaire
from apps.registry.models import Msme
from apps.registry.selectors import msme_for_user
from apps.tenants.context import tenant_context
from apps.tenants.selectors import memberships_for_user

ANSWERS_KEY = "diagnostic_answers"  # the questionnaire being taken: {"answers": {...}}
VISITOR_KEY = "diagnostic_visitor_assessment"  # the id of the visitor's finished assessment


def _answers_key(msme_pk: Any = None) -> str:
    # Staff recording for an MSME keep those answers apart from their own (and from other MSMEs').
    return f"{ANSWERS_KEY}:{msme_pk}" if msme_pk else ANSWERS_KEY


def session_answers(request: HttpRequest, msme_pk: Any = None) -> dict[str, Any]:
    stored = request.session.get(_answers_key(msme_pk))
    if not isinstance(stored, dict):
        return {}
    # Answers kept from an older version of the questionnaire: only those to its current questions count.
    questionnaire = get_questionnaire(None)
    return {key: value for key, value in stored.items() if questionnaire.question(key) is not None}


def save_session_answers(request: HttpRequest, answers: dict[str, Any], msme_pk: Any = None) -> None:
    request.session[_answers_key(msme_pk)] = answers


def clear_session_answers(request: HttpRequest, msme_pk: Any = None) -> None:
    request.session.pop(_answers_key(msme_pk), None)


def remember_visitor_assessment(request: HttpRequest, visitor_assessment: VisitorAssessment) -> None:
    if hasattr(request, "session"):
        request.session[VISITOR_KEY] = str(visitor_assessment.pk)


def session_visitor_assessment(request: HttpRequest) -> VisitorAssessment | None:
    pk = request.session.get(VISITOR_KEY) if hasattr(request, "session") else None
    if not pk:
        return None
    try:
        return VisitorAssessment.objects.filter(pk=pk, claimed_at__isnull=True).first()
    except Exception:  # a malformed id in the session: nothing to show
        return None


def claim_session_assessment(request: HttpRequest, msme: Msme) -> Assessment | None:
    """Attach the session's visitor assessment to `msme` (in its tenant's context); None when there is none."""
    visitor_assessment = session_visitor_assessment(request)
    if visitor_assessment is None:
        return None
    with tenant_context(msme.tenant):
        assessment = services.visitor_assessment_claim(
            visitor_assessment=visitor_assessment, msme=msme, user=request.user
        )
    request.session.pop(VISITOR_KEY, None)
    if assessment is not None and hasattr(request, "_messages"):
        messages.info(request, _("Your IP diagnostic result was saved to %(name)s.") % {"name": msme.name})
    return assessment


def claim_session_assessment_for_user(request: HttpRequest, user: Any) -> Assessment | None:
    """After sign-in: claim for the MSME the user acts for, if they are an MSME member of one."""
    if session_visitor_assessment(request) is None:
        return None
    for membership in memberships_for_user(user=user).filter(role=Role.MSME_MEMBER):
        with tenant_context(membership.tenant):
            msme = msme_for_user(user=user)
            if msme is not None:
                return claim_session_assessment(request, msme)
    return None
