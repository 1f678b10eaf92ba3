"""The API: token and session authentication, errors as JSON, schema, docs, pagination."""

from __future__ import annotations

import hashlib
import json
import re
from urllib.parse import urlsplit

import pytest
import yaml
from django.db import connection
from django.test import Client
from django.utils import timezone

from apps.accounts.models import ApiToken
from apps.accounts.services import api_token_create, api_token_revoke
from apps.core.roles import Role
from apps.tenants.context import tenant_context, unscoped
from tests.factories import MembershipFactory, UserFactory, user_with_role
from tests.tenancy_app.models import Widget

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"
WIDGETS = "/api/v1/test-widgets/"


def token_client(key: str) -> Client:
    return Client(headers={"Authorization": f"Token {key}"})


@pytest.fixture
def staff_token(tenant_a):
    user = user_with_role(Role.AGENCY_STAFF, tenant_a, full_name="Ada Agency")
    token, key = api_token_create(user=user, membership=user.memberships.get(), name="CRM sync")
    return user, token, key


def _assert_json_401(response) -> dict:
    assert response.status_code == 401, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"] == "Token"
    return response.json()


# --- Authentication ------------------------------------------------------------------------


def test_me_with_a_token_is_the_tokens_user_role_and_tenant(staff_token):
    user, _token, key = staff_token
    response = token_client(key).get(ME)
    assert response.status_code == 200, response.content
    assert response.json() == {
        "email": user.email,
        "full_name": "Ada Agency",
        "role": "agency_staff",
        "division": "",
        "tenant": {"slug": "aa", "name": "Agency A", "country": "KE"},
    }


def test_a_token_acts_in_the_tenant_it_was_made_in(tenant_a, tenant_b):
    user = UserFactory()
    MembershipFactory(user=user, tenant=tenant_a, role=Role.AGENCY_STAFF.value)
    in_b = MembershipFactory(user=user, tenant=tenant_b, role=Role.HELPDESK_AGENT.value)
    with tenant_context(tenant_a):
        Widget.objects.create(name="loom")
    with tenant_context(tenant_b):
        Widget.objects.create(name="press")
    _token, key = api_token_create(user=user, membership=in_b, name="B's queue")
    client = token_client(key)
    me = client.get(ME).json()
    assert (me["role"], me["tenant"]["slug"]) == ("helpdesk_agent", "bb")
    assert [w["name"] for w in client.get(WIDGETS).json()["results"]] == ["press"]
    # The session's own choice does not matter to the token.
    client.force_login(user)
    assert client.get(ME).json()["tenant"]["slug"] == "bb"


def test_a_token_cannot_be_made_for_someone_elses_membership(tenant_a):
    user = UserFactory()
    other = MembershipFactory(tenant=tenant_a)
    with pytest.raises(ValueError):
        api_token_create(user=user, membership=other, name="not mine")


def test_a_revoked_token_is_refused_with_json(staff_token):
    user, token, key = staff_token
    assert api_token_revoke(user=user, token_id=str(token.pk))
    data = _assert_json_401(token_client(key).get(ME))
    assert "detail" in data
    assert not api_token_revoke(user=user, token_id=str(token.pk))  # once only


def test_a_token_of_an_inactive_user_is_refused(staff_token):
    user, _token, key = staff_token
    user.is_active = False
    user.save(update_fields=["is_active"])
    _assert_json_401(token_client(key).get(ME))


@pytest.mark.parametrize("header", ["Token garbage", "Token ", "Token " + "x" * 43, "token AAAAAAAAAAAAAAAAAAAAAAAA"])
def test_a_garbage_token_is_refused_with_json(staff_token, header):
    _user, _token, _key = staff_token
    response = Client(headers={"Authorization": header}).get(ME)
    data = _assert_json_401(response)
    assert "detail" in data


def test_a_token_that_shares_a_prefix_but_not_the_key_is_refused(staff_token):
    _user, _token, key = staff_token
    forged = key[:8] + ("A" if key[8] != "A" else "B") + key[9:]
    _assert_json_401(token_client(forged).get(ME))


def test_a_bad_token_is_refused_even_with_a_valid_session(staff_token):
    user, _token, _key = staff_token
    client = token_client("garbage-garbage-garbage")
    client.force_login(user)
    _assert_json_401(client.get(ME))


def test_session_authentication_works(client, tenant_a):
    user_with_role(Role.MSME_MEMBER, tenant_a, email="member@example.org")
    client.force_login(user_with_role(Role.HELPDESK_AGENT, tenant_a, email="agent@example.org"))
    me = client.get(ME).json()
    assert (me["email"], me["role"], me["tenant"]["slug"]) == ("agent@example.org", "helpdesk_agent", "aa")


def test_session_writes_need_the_csrf_token_and_token_writes_do_not(tenant_a, staff_token):
    user, _token, key = staff_token
    session_client = Client(enforce_csrf_checks=True)
    session_client.force_login(user)
    response = session_client.post(WIDGETS, {"name": "via session"})
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    response = Client(enforce_csrf_checks=True, headers={"Authorization": f"Token {key}"}).post(
        WIDGETS, {"name": "via token"}
    )
    assert response.status_code == 201, response.content
    with unscoped("test"):
        assert list(Widget.objects.values_list("name", "tenant_id")) == [("via token", tenant_a.pk)]


def test_unauthenticated_is_refused_with_json(client):
    for url in (ME, WIDGETS):
        response = client.get(url)
        assert response.status_code in {401, 403}
        assert response["Content-Type"].startswith("application/json")
        assert "detail" in response.json()


def test_a_division_analyst_has_a_role_and_no_tenant(client):
    client.force_login(user_with_role(Role.DIVISION_ANALYST))
    me = client.get(ME).json()
    assert (me["role"], me["division"], me["tenant"]) == ("division_analyst", "pct", None)


def test_the_token_key_is_stored_only_as_a_hash(staff_token):
    _user, token, key = staff_token
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert stored.prefix == key[:8]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")
        rows = cursor.fetchall()
    assert len(rows) == 1
    assert not any(key in str(value) for value in rows[0])
    assert key not in repr(stored) and key not in str(stored)


def test_last_used_is_recorded_without_a_write_per_request(staff_token):
    _user, token, key = staff_token
    client = token_client(key)
    client.get(ME)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None and (timezone.now() - first).total_seconds() < 60
    client.get(ME)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first


# --- Schema and docs -----------------------------------------------------------------------


def test_the_schema_is_openapi_3(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/me/" in schema["paths"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    as_yaml = yaml.safe_load(client.get("/api/schema/").content)
    assert as_yaml["openapi"] == schema["openapi"]


def _external_references(html: str, host: str = "testserver") -> list[str]:
    """Every src/href (and any absolute URL) of `html` that points away from this host."""
    found = []
    for url in re.findall(r"""(?:src|href|spec-url)\s*=\s*["']([^"']*)["']""", html):
        parts = urlsplit(url)
        if (parts.netloc and parts.netloc != host) or url.startswith("//"):
            found.append(url)
    found += [url for url in re.findall(r"https?://[^\s\"'<>)]+", html) if urlsplit(url).netloc != host]
    return sorted(set(found))


def test_the_api_docs_are_served_without_any_cdn(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "swagger-ui" in html
    assert _external_references(html) == []
    scripts = re.findall(r"""<script[^>]+src=["']([^"']+)["']""", html)
    assert scripts, "the docs page loads its scripts"
    for src in scripts:
        assert not urlsplit(src).netloc
        asset = client.get(src)
        assert asset.status_code == 200, src  # served here (static files or the docs' own script)
        body = b"".join(asset.streaming_content) if asset.streaming else asset.content
        if "?script" in src:
            assert _external_references(body.decode()) == []


def test_the_api_docs_page_obeys_the_content_security_policy(client):
    response = client.get("/api/docs/")
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    html = response.content.decode()
    nonces = re.findall(r"<style nonce=\"([^\"]+)\"", html)
    assert nonces and all(f"'nonce-{nonce}'" in policy for nonce in nonces)
    assert "<script>" not in html  # no inline script: the docs' script is served from its own URL


# --- Pagination and errors -----------------------------------------------------------------


@pytest.fixture
def many_widgets(tenant_a):
    with tenant_context(tenant_a):
        Widget.objects.bulk_create(Widget(name=f"w{n:03d}") for n in range(230))


def test_lists_are_paginated_and_page_size_is_capped(client, tenant_a, many_widgets):
    client.force_login(user_with_role(Role.AGENCY_STAFF, tenant_a))
    data = client.get(WIDGETS).json()
    assert data["count"] == 230
    assert len(data["results"]) == 25
    assert data["next"] and data["previous"] is None
    data = client.get(WIDGETS, {"page_size": 7, "page": 2}).json()
    assert [w["name"] for w in data["results"]] == [f"w{n:03d}" for n in range(7, 14)]
    assert len(client.get(WIDGETS, {"page_size": 1000}).json()["results"]) == 200
    assert len(client.get(WIDGETS, {"page_size": 200}).json()["results"]) == 200
    response = client.get(WIDGETS, {"page": 999})
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_invalid_data_answers_400_naming_the_field(client, tenant_a):
    client.force_login(user_with_role(Role.AGENCY_STAFF, tenant_a))
    response = client.post(WIDGETS, {}, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert list(response.json()) == ["name"]
    assert isinstance(response.json()["name"], list) and response.json()["name"]
    response = client.post(WIDGETS, {"name": "x" * 101}, content_type="application/json")
    assert response.status_code == 400
    assert "name" in response.json()
    response = client.post(WIDGETS, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")


def test_the_tenant_cannot_be_chosen_through_the_api(client, tenant_a, tenant_b):
    client.force_login(user_with_role(Role.AGENCY_STAFF, tenant_a))
    response = client.post(
        WIDGETS, {"name": "mine", "tenant": tenant_b.pk, "tenant_id": tenant_b.pk}, content_type="application/json"
    )
    assert response.status_code == 201
    with unscoped("test"):
        assert Widget.objects.get(name="mine").tenant_id == tenant_a.pk


def test_a_duplicate_within_the_tenant_answers_400_naming_the_field(client, tenant_a, tenant_b):
    with tenant_context(tenant_b):
        Widget.objects.create(name="same")
    client.force_login(user_with_role(Role.AGENCY_STAFF, tenant_a))
    assert client.post(WIDGETS, {"name": "same"}, content_type="application/json").status_code == 201
    response = client.post(WIDGETS, {"name": "same"}, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()) == ["name"]
    with tenant_context(tenant_a):
        other = Widget.objects.create(name="other")
    response = client.patch(f"{WIDGETS}{other.pk}/", {"name": "same"}, content_type="application/json")
    assert response.status_code == 400 and "name" in response.json()
    assert client.patch(f"{WIDGETS}{other.pk}/", {"name": "other"}, content_type="application/json").status_code == 200


def test_an_integrity_error_that_slips_past_validation_is_a_409(client, tenant_a, monkeypatch):
    from tests.tenancy_app import views

    monkeypatch.setattr(views.WidgetSerializer, "validate", lambda self, attrs: attrs)
    client.force_login(user_with_role(Role.AGENCY_STAFF, tenant_a))
    client.post(WIDGETS, {"name": "same"}, content_type="application/json")
    response = client.post(WIDGETS, {"name": "same"}, content_type="application/json")
    assert response.status_code == 409
    assert "detail" in response.json()


def test_the_schema_generates_without_warnings_about_the_tenant(client, capsys):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert "NoActiveTenant" not in capsys.readouterr().err
    paths = response.json()["paths"]
    widget_id = next(p for p in paths["/api/v1/test-widgets/{id}/"]["get"]["parameters"] if p["name"] == "id")
    assert widget_id["schema"].get("format") == "uuid"
