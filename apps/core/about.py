"""The pages linked from every footer: privacy notice, terms of use, contact and accessibility statement."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from apps.core.policies import public

# Change it with the statement's "What is known not to work yet" list.
ACCESSIBILITY_REVIEWED_ON = datetime.date(2026, 12, 7)


@public
@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/about/privacy.html",
        {"visitor_retention_days": settings.VISITOR_ASSESSMENT_RETENTION_DAYS},
    )


@public
@require_safe
def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about/terms.html")


@public
@require_safe
def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about/contact.html")


@public
@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about/accessibility.html", {"reviewed_on": ACCESSIBILITY_REVIEWED_ON})
