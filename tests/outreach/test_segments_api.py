"""/api/v1/segments/: agency staff keep their segments; a bad filter is a 400 naming it; counts on request."""

from __future__ import annotations

import json

import pytest
from django.db import transaction

from apps.core.roles import Role
from apps.outreach.models import Segment
from apps.tenants.context import tenant_context
from apps.tenants.models import AuditEvent
from tests.factories import CampaignFactory, MsmeFactory, SegmentFactory, user_with_role

pytestmark = pytest.mark.django_db

SEGMENTS = "/api/v1/segments/"


@pytest.fixture
def staff(client, tenant_a):
    user = user_with_role(Role.AGENCY_STAFF, tenant_a)
    client.force_login(user)
    return user


def _in(tenant, make):
    with tenant_context(tenant), transaction.atomic():
        return make()


def _send(client, method, url, data):
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def test_create_read_update_and_delete(client, staff, tenant_a):
    created = _send(
        client, "post", SEGMENTS, {"name": "Francophone", "filters": {"language": ["fr"], "exports": "true"}}
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["filters"] == {"language": ["fr"], "exports": ["true"]}
    url = f"{SEGMENTS}{body['id']}/"
    assert client.get(SEGMENTS).json()["results"][0]["name"] == "Francophone"
    assert client.get(url).json()["description"] == ""
    patched = _send(client, "patch", url, {"filters": {"size_class": ["small"]}})
    assert patched.status_code == 200 and patched.json()["filters"] == {"size_class": ["small"]}
    assert client.delete(url).status_code == 204
    with tenant_context(tenant_a), transaction.atomic():
        actions = set(AuditEvent.objects.filter(object_id=body["id"]).values_list("action", flat=True))
    assert actions == {"create", "update", "delete"}


@pytest.mark.parametrize(
    ("filters", "named"),
    [
        ({"size_class": ["enormous"]}, "size_class"),
        ({"exports": "maybe"}, "exports"),
        ({"no_such_filter": ["1"]}, "no_such_filter"),
        ({"interest": [["nested"]]}, "interest"),
        ({"region": "x" * 101}, "region"),
        ({"language": ["fr"] * 51}, "language"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(client, staff, filters, named):
    response = _send(client, "post", SEGMENTS, {"name": "Bad", "filters": filters})
    assert response.status_code == 400
    assert list(response.json()["filters"]) == [named]


def test_a_search_term_too_short_is_a_400_naming_it_with_the_registry_s_message(client, staff, tenant_a):
    response = _send(client, "post", SEGMENTS, {"name": "Short", "filters": {"q": ["ab"]}})
    assert response.status_code == 400
    message = "Type at least 3 characters to search: a shorter term would match too much."
    assert response.json() == {"filters": {"q": [message]}}
    assert _send(client, "post", SEGMENTS, {"name": "Long", "filters": {"q": "abc"}}).status_code == 201


def test_a_region_is_given_by_its_name_or_its_code_and_stored_as_its_code(client, staff, tenant_a):
    for name, region in (("By name", "Nairobi City"), ("By start", "nairobi"), ("By code", "ke-30")):
        response = _send(client, "post", SEGMENTS, {"name": name, "filters": {"region": [region]}})
        assert response.status_code == 201, response.content
        assert response.json()["filters"] == {"region": ["KE-30"]}
    refused = _send(client, "post", SEGMENTS, {"name": "Nowhere", "filters": {"region": "Atlantis"}})
    assert refused.status_code == 400
    assert refused.json() == {"filters": {"region": ["Atlantis is not a region of this country."]}}


def test_filters_that_are_not_an_object_are_a_400_on_filters(client, staff):
    response = _send(client, "post", SEGMENTS, {"name": "Bad", "filters": ["size_class"]})
    assert response.status_code == 400 and "filters" in response.json()


def test_a_name_taken_is_a_400_naming_it(client, staff, tenant_a):
    _in(tenant_a, lambda: SegmentFactory(name="Taken"))
    response = _send(client, "post", SEGMENTS, {"name": "Taken"})
    assert response.status_code == 400 and "name" in response.json()


def test_the_count_action(client, staff, tenant_a):
    _in(tenant_a, lambda: [MsmeFactory(size_class="micro", consent_outreach=i == 0) for i in range(3)])
    segment = _in(tenant_a, lambda: SegmentFactory(filters={"size_class": ["micro"]}))
    assert client.get(f"{SEGMENTS}{segment.pk}/count/").json() == {"count": 3, "consenting": 1}


def test_a_segment_in_use_is_not_deleted(client, staff, tenant_a):
    campaign = _in(tenant_a, CampaignFactory)
    response = client.delete(f"{SEGMENTS}{campaign.segment_id}/")
    assert response.status_code == 409 and "cannot be deleted" in response.json()["detail"]
    with tenant_context(tenant_a), transaction.atomic():
        assert Segment.objects.filter(pk=campaign.segment_id).exists()


def test_another_agency_s_segment_is_a_404_and_members_are_refused(client, staff, tenant_a, tenant_b):
    other = _in(tenant_b, SegmentFactory)
    assert client.get(f"{SEGMENTS}{other.pk}/").status_code == 404
    member = user_with_role(Role.MSME_MEMBER, tenant_a)
    client.force_login(member)
    assert client.get(SEGMENTS).status_code == 403


def test_a_number_for_the_name_or_the_description_is_a_400_naming_it(client, staff, tenant_a):
    segment = _in(tenant_a, lambda: SegmentFactory(name="Strict"))
    response = _send(client, "put", f"{SEGMENTS}{segment.pk}/", {"name": "\\", "description": -1528651})
    assert response.status_code == 400 and "description" in response.json()
