"""The public unsubscribe page of campaign messages: no sign-in, the signed link is the authority.

GET shows a button (mail scanners that follow links must not unsubscribe anyone); POST, from that button or
from a mail client's one-click unsubscribe (RFC 8058: a POST with `List-Unsubscribe=One-Click`, no cookies,
no CSRF token), turns the MSME's consent off. A link that is forged, altered, expired or whose delivery is
gone gets the same refusal page and status, so it reveals nothing about any MSME.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.html import format_html
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from apps.core.policies import public
from apps.outreach.models import Delivery
from apps.outreach.services import delivery_unsubscribe
from apps.outreach.unsubscribe import read_token
from apps.tenants.context import tenant_context
from apps.tenants.models import Tenant


def _page(request: HttpRequest, tenant: Tenant, **context: object) -> HttpResponse:
    # The agency's name isolated from the sentence around it: "KIPI (Kenya)" in an Arabic one keeps its order.
    agency = format_html("<bdi>{}</bdi>", tenant.name)
    return render(request, "outreach/unsubscribe.html", {"tenant": tenant, "agency": agency, **context})


def _refused(request: HttpRequest) -> HttpResponse:
    return render(request, "outreach/unsubscribe_invalid.html", status=404)


@public
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    claim = read_token(token)
    tenant = Tenant.objects.filter(pk=claim.tenant_id, is_active=True).first() if claim else None
    if claim is None or tenant is None:
        return _refused(request)
    if not claim.delivery_id:  # a test message sent to agency staff: the link works and changes nothing
        done = request.method == "POST"
        return _page(request, tenant, test=True, done=done)
    # The link is the tenant's: its delivery is read and the consent changed in that tenant, as it signed.
    with tenant_context(tenant):
        delivery = Delivery.objects.filter(pk=claim.delivery_id).first()
        if delivery is None:
            return _refused(request)
        if request.method == "POST":
            delivery_unsubscribe(delivery=delivery)
            return _page(request, tenant, done=True)
        return _page(request, tenant, done=False)


urlpatterns = [path("unsubscribe/<str:token>/", unsubscribe, name="unsubscribe")]
