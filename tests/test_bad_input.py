"""Hostile or malformed input answers 400 (JSON under /api/), never a 500 or an HTML page to an API client."""

from __future__ import annotations

import io
import json

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.exceptions import ParseError

from apps.core import views
from apps.core.api.parsers import MAX_JSON_DEPTH, PortalJSONParser, RequestTooLarge
from apps.core.roles import Role
from apps.tenants.selectors import SESSION_KEY
from tests.diagnostics.helpers import least_answers

pytestmark = pytest.mark.django_db

ASSESSMENTS = "/api/v1/diagnostics/assessments/"
MSMES = "/api/v1/msmes/"
DEEP = "[" * 100_000 + "]" * 100_000


@pytest.fixture
def api_client() -> Client:
    return Client(raise_request_exception=False)


def _json_error(response) -> dict:
    assert response["Content-Type"] == "application/json", response.content[:200]
    return response.json()


@pytest.mark.parametrize("value", ["\x00", "aa\x00", "\x00" * 3])
def test_a_nul_in_the_tenant_switch_form_is_refused_not_a_500(api_client, login_as, tenant_a, value):
    user = login_as(Role.AGENCY_STAFF, tenant_a)
    api_client.force_login(user)
    response = api_client.post(reverse("tenants:switch"), {"tenant": value})
    assert response.status_code == 400
    assert "You are not a member of that agency." in response.content.decode()
    assert SESSION_KEY not in api_client.session


@pytest.mark.parametrize("url", [ASSESSMENTS, MSMES])
def test_deeply_nested_json_is_a_400_naming_the_nesting(api_client, url):
    response = api_client.post(url, DEEP, content_type="application/json")
    assert response.status_code in {400, 401, 403}
    if url == ASSESSMENTS:  # public: the body is read
        assert response.status_code == 400
        assert "nested" in _json_error(response)["detail"]


def test_deeply_nested_json_from_a_signed_in_client_is_a_400(api_client, login_as, tenant_a):
    api_client.force_login(login_as(Role.AGENCY_STAFF, tenant_a))
    response = api_client.post(MSMES, DEEP, content_type="application/json")
    assert response.status_code == 400
    assert "nested" in _json_error(response)["detail"]


def test_json_nested_past_the_limit_but_within_python_s_is_refused_too(api_client):
    body = '{"answers": ' + "[" * 200 + "]" * 200 + "}"
    response = api_client.post(ASSESSMENTS, body, content_type="application/json")
    assert response.status_code == 400
    assert "nested" in _json_error(response)["detail"]


def test_ordinary_json_still_parses(api_client):
    response = api_client.post(ASSESSMENTS, {"answers": least_answers()}, content_type="application/json")
    assert response.status_code == 201


def test_an_over_size_api_body_is_a_json_413(api_client):
    padding = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = api_client.post(
        ASSESSMENTS, {"answers": least_answers(), "padding": padding}, content_type="application/json"
    )
    assert response.status_code == 413
    assert "too large" in _json_error(response)["detail"]


def test_an_over_size_api_form_body_is_json_not_the_html_page(api_client):
    """The API reads JSON bodies only: a form body, however big, is refused as such, in JSON."""
    padding = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = api_client.post(ASSESSMENTS, {"padding": padding})
    assert response.status_code == 415
    assert "multipart/form-data" in _json_error(response)["detail"]


def test_an_over_size_page_form_is_still_the_html_400_page(api_client):
    padding = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = api_client.post("/accounts/login/", {"login": padding})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_an_unknown_api_path_is_a_json_404(api_client):
    response = api_client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert _json_error(response)["detail"]


def test_an_unknown_page_is_still_the_html_404_page(api_client):
    response = api_client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_json_parser_bounds_depth_at_the_limit_and_size_at_django_s():
    at_limit = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert PortalJSONParser().parse(io.BytesIO(at_limit.encode())) == json.loads(at_limit)
    over = "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)
    with pytest.raises(ParseError):
        PortalJSONParser().parse(io.BytesIO(over.encode()))
    # DRF reads the stream itself, so Django's own cap does not apply to it: the parser's does.
    big = json.dumps({"x": "y" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE}).encode()
    with pytest.raises(RequestTooLarge):
        PortalJSONParser().parse(io.BytesIO(big))


@pytest.mark.parametrize(
    ("handler", "status"),
    [(views.bad_request, 400), (views.permission_denied, 403), (views.page_not_found, 404), (views.server_error, 500)],
)
def test_error_pages_under_the_api_are_json_and_html_elsewhere(handler, status):
    factory = RequestFactory()
    args = () if handler is views.server_error else (None,)
    api = handler(factory.get("/api/v1/msmes/"), *args)
    assert (api.status_code, api["Content-Type"]) == (status, "application/json")
    assert json.loads(api.content)["detail"]
    page = handler(factory.get("/registry/"), *args)
    assert page.status_code == status and page["Content-Type"].startswith("text/html")
