"""The OpenAPI schema tells the truth: each mismatch schemathesis found, pinned by a fast test.

tests/test_api_schemathesis.py fuzzes the whole API; these name one finding each.
"""

from __future__ import annotations

import pytest
from django.test import Client

from apps.accounts.services import api_token_create
from apps.core.roles import Role
from apps.tenants.context import tenant_context
from tests.factories import MsmeFactory, MsmeMemberFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def _operation(schema: dict, method: str, path: str) -> dict:
    return schema["paths"][path][method.lower()]


def _parameter(schema: dict, method: str, path: str, name: str) -> dict:
    return next(p for p in _operation(schema, method, path).get("parameters", []) if p["name"] == name)


def _token_client(role: Role, tenant) -> Client:
    user = user_with_role(role, tenant)
    _token, key = api_token_create(user=user, membership=user.memberships.get(), name="schema test")
    client = Client(headers={"Authorization": f"Token {key}"})
    client.user = user
    return client


@pytest.fixture
def staff(tenant_a) -> Client:
    return _token_client(Role.AGENCY_STAFF, tenant_a)


# --- The error answers are documented ------------------------------------------------------


def test_the_error_answers_are_documented_with_the_handlers_bodies(schema):
    update = _operation(schema, "PUT", "/api/v1/msmes/{id}/")["responses"]
    assert {"200", "400", "401", "403", "404", "409", "413", "415"} <= set(update)
    assert update["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ValidationError"}
    for code in ("401", "403", "404", "409"):
        assert update[code]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]
    # A public calculator: bad input and a bad token, but nobody is refused by role and nothing is looked up.
    fees = _operation(schema, "GET", "/api/v1/calculators/pct-fees/")["responses"]
    assert set(fees) == {"200", "400", "401"}
    # Throttled: anonymous assessments.
    assert "429" in _operation(schema, "POST", "/api/v1/diagnostics/assessments/")["responses"]


def test_an_api_address_that_matches_no_route_answers_json(staff):
    for url in ("/api/v1/msmes/0.5/", "/api/v1/msmes/null/assets/", "/api/v1/no-such-thing/"):
        response = staff.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"].startswith("application/json"), url
        assert "detail" in response.json()
    assert Client().get("/no-such-page/")["Content-Type"].startswith("text/html")


# --- Answers inside their enums ------------------------------------------------------------


def test_a_blank_consent_source_is_in_the_schema(schema, staff, tenant_a):
    with tenant_context(tenant_a):
        msme = MsmeFactory(consent_source="", preferred_channel="")
    body = staff.get(f"/api/v1/msmes/{msme.pk}/").json()
    assert (body["consent_source"], body["preferred_channel"]) == ("", "")
    for name in ("consent_source", "preferred_channel"):
        field = schema["components"]["schemas"]["Msme"]["properties"][name]
        assert {"$ref": "#/components/schemas/BlankEnum"} in field.get("oneOf", []), (name, field)


# --- Requests the schema allows are accepted, and what it forbids is refused -----------------


def test_the_api_reads_json_bodies_so_null_means_null(schema, staff):
    for method, path in (("POST", "/api/v1/msmes/"), ("POST", "/api/v1/diagnostics/assessments/")):
        assert list(_operation(schema, method, path)["requestBody"]["content"]) == ["application/json"]
    assert list(_operation(schema, "POST", "/api/v1/msmes/import/")["requestBody"]["content"]) == [
        "multipart/form-data"
    ]
    response = staff.post("/api/v1/msmes/", {"name": "Form Co", "maturity_level": "null"})
    assert response.status_code == 415
    assert "detail" in response.json()


def test_blank_list_items_are_refused_and_the_schema_says_so(schema):
    for path, name in (
        ("/api/v1/calculators/madrid-fees/", "designations"),
        ("/api/v1/calculators/route-comparison/", "countries"),
    ):
        assert _parameter(schema, "GET", path, name)["schema"]["items"]["minLength"] == 1
    response = Client().get("/api/v1/calculators/madrid-fees/", {"classes": 1, "designations": ""})
    assert response.status_code == 400 and "designations" in response.json()


def test_an_empty_optional_query_parameter_means_not_given(schema):
    reduction = _parameter(schema, "GET", "/api/v1/calculators/pct-fees/", "reduction")
    assert reduction["allowEmptyValue"] is True
    response = Client().get("/api/v1/calculators/pct-fees/", {"sheets": 1, "reduction": "", "efiling": ""})
    assert response.status_code == 200
    assert "allowEmptyValue" not in _parameter(schema, "GET", "/api/v1/calculators/pct-fees/", "sheets")
    assert "allowEmptyValue" not in _parameter(schema, "GET", "/api/v1/msmes/", "page")


@pytest.mark.parametrize("value", ["ten", "null", "0", "-3"])
def test_a_page_size_that_is_not_a_positive_whole_number_is_refused(schema, staff, value):
    response = staff.get("/api/v1/msmes/", {"page_size": value})
    assert response.status_code == 400
    assert list(response.json()) == ["page_size"]
    assert _parameter(schema, "GET", "/api/v1/msmes/", "page_size")["schema"] == {"type": "integer", "minimum": 1}
    assert staff.get("/api/v1/msmes/", {"page_size": ""}).status_code == 200


@pytest.mark.parametrize("value", ["maybe", "2", "-58800"])
def test_a_yes_no_filter_refuses_what_is_not_yes_or_no(staff, value):
    response = staff.get("/api/v1/msmes/", {"exports": value})
    assert response.status_code == 400
    assert list(response.json()) == ["exports"]
    for accepted in ("true", "false", "True", "1", "0", ""):
        assert staff.get("/api/v1/msmes/", {"exports": accepted}).status_code == 200, accepted


def test_the_msme_filter_of_assessments_is_a_uuid_for_every_caller(schema, tenant_a):
    member = _token_client(Role.MSME_MEMBER, tenant_a)
    with tenant_context(tenant_a):
        MsmeMemberFactory(user=member.user)
    assert _parameter(schema, "GET", "/api/v1/diagnostics/assessments/", "msme")["schema"]["format"] == "uuid"
    response = member.get("/api/v1/diagnostics/assessments/", {"msme": "AAA"})
    assert response.status_code == 400 and list(response.json()) == ["msme"]


def test_the_schema_states_the_bounds_the_serializers_check(schema):
    components = schema["components"]["schemas"]
    founded = components["MsmeRequest"]["properties"]["founded_year"]
    assert founded["minimum"] == 1800 and founded["maximum"] >= 2026
    assert components["MsmeRequest"]["properties"]["name"]["minLength"] == 1
    assert "status" in components["IpAssetRequest"]["required"]
    version = _parameter(schema, "GET", "/api/v1/diagnostics/questionnaire/", "version")["schema"]
    assert version["enum"] == ["2026.1"]
    answers = components["AssessmentRequestRequest"]["properties"]["answers"]
    assert answers["type"] == "object"
