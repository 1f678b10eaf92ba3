"""The portal's URLs plus two bare reference views, for bench/pages.py only.

Served only when the environment says `PORTAL_ROOT_URLCONF=bench.urls`; portal.urls never includes
these. A page's throughput is reported as a share of the bare view's on the same server, so the
figures say what the page itself costs, whatever the machine.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from portal.urls import handler400, handler403, handler404, handler500  # noqa: F401 (the root URLconf's error pages)


def bare(request: HttpRequest) -> HttpResponse:
    """Every middleware, no work: the ceiling for anonymous pages."""
    return HttpResponse("ok", content_type="text/plain")


def bare_signed_in(request: HttpRequest) -> HttpResponse:
    """The session, user and membership resolved by the middleware, no more: the ceiling for signed-in pages.
    Refuses anonymous requests so that a benchmark with a stale cookie fails instead of measuring the wrong thing."""
    if not request.user.is_authenticated or request.membership is None:
        return HttpResponse("not signed in", status=403, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/bare-signed-in/", bare_signed_in),
    path("", include("portal.urls")),
]
