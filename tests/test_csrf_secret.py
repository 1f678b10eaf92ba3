"""apps.core.csrf: a new visitor's CSRF secret from one read of the random source, accepted by Django's
CsrfViewMiddleware as its own would be."""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, CsrfViewMiddleware
from django.test import RequestFactory

from apps.core.csrf import csrf_token, new_csrf_secret


def _view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def _through_middleware(request: HttpRequest, make_token: bool) -> tuple[HttpResponse, str | None]:
    """The request through CsrfViewMiddleware (with `csrf_token` called by the view when `make_token`)."""
    tokens = []

    def view(request: HttpRequest) -> HttpResponse:
        if make_token:
            tokens.append(csrf_token(request))
        return _view(request)

    middleware = CsrfViewMiddleware(view)
    refused = middleware.process_request(request) or middleware.process_view(request, view, (), {})
    response = refused or middleware.process_response(request, view(request))
    return response, tokens[0] if tokens else None


def test_a_secret_is_as_long_as_django_s_and_of_its_alphabet():
    secrets_drawn = {new_csrf_secret() for _ in range(500)}
    assert len(secrets_drawn) == 500
    assert all(len(s) == CSRF_SECRET_LENGTH and set(s) <= set(CSRF_ALLOWED_CHARS) for s in secrets_drawn)


def test_every_character_is_about_as_likely():
    counts = Counter("".join(new_csrf_secret() for _ in range(4000)))
    expected = 4000 * CSRF_SECRET_LENGTH / len(CSRF_ALLOWED_CHARS)  # 2,065 each
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    assert all(0.85 * expected < n < 1.15 * expected for n in counts.values()), counts.most_common()


def test_a_first_visit_gets_a_cookie_that_the_middleware_then_accepts_with_the_token():
    factory = RequestFactory()
    response, token = _through_middleware(factory.get("/"), make_token=True)
    cookie = response.cookies[settings.CSRF_COOKIE_NAME].value
    assert len(cookie) == CSRF_SECRET_LENGTH and len(token) == 2 * CSRF_SECRET_LENGTH and cookie not in token

    post = factory.post("/", {"csrfmiddlewaretoken": token})
    post.COOKIES[settings.CSRF_COOKIE_NAME] = cookie
    accepted, _ = _through_middleware(post, make_token=False)
    assert accepted.status_code == 200

    forged = factory.post("/", {"csrfmiddlewaretoken": token})
    forged.COOKIES[settings.CSRF_COOKIE_NAME] = new_csrf_secret()
    assert _through_middleware(forged, make_token=False)[0].status_code == 403


def test_a_visitor_with_a_cookie_keeps_its_secret():
    factory = RequestFactory()
    secret = new_csrf_secret()
    again = factory.get("/")
    again.COOKIES[settings.CSRF_COOKIE_NAME] = secret
    response, token = _through_middleware(again, make_token=True)
    assert response.cookies[settings.CSRF_COOKIE_NAME].value == secret  # renewed, not replaced

    post = factory.post("/", {"csrfmiddlewaretoken": token})
    post.COOKIES[settings.CSRF_COOKIE_NAME] = secret
    assert _through_middleware(post, make_token=False)[0].status_code == 200
