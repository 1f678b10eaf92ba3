from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.core.api import is_api_request
from apps.core.api.parsers import RequestTooLarge
from apps.core.health import health_report
from apps.core.policies import public
from apps.core.roles import Role


@public
def home(request: HttpRequest) -> HttpResponse:
    actor = getattr(request, "actor", None)
    role = actor.role if actor is not None else None
    # A business's own tools (register, plan, reminders, helpdesk) are offered to businesses and to visitors
    # (who sign up for them), not to staff, who would meet a 403.
    return render(request, "core/home.html", {"business_tools": role in (None, Role.MSME_MEMBER)})


# Outside the request's transaction: it probes the database itself, and answers 503 when it is down.
@public
@transaction.non_atomic_requests
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    healthy, report = health_report()
    return JsonResponse(report, status=200 if healthy else 503)


# Error pages. An API client gets JSON like the API's own errors ({"detail": ...}), not an HTML page, also for
# what fails before DRF runs: an unknown path, an over-size body, a crash in middleware.


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if not is_api_request(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        too_large = RequestTooLarge(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return JsonResponse({"detail": str(too_large.detail)}, status=too_large.status_code)
    return JsonResponse({"detail": _("Bad request.")}, status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception is not None and str(exception) else ""
    if is_api_request(request):
        return JsonResponse({"detail": message or _("You do not have permission to perform this action.")}, status=403)
    return render(request, "403.html", {"reason": message}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return JsonResponse({"detail": _("Server error.")}, status=500)
    return defaults.server_error(request)
