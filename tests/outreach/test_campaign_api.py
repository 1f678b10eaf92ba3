"""/api/v1/campaigns/: the agency's campaigns with their messages, counts in the detail, send and cancel."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from rest_framework.test import APIClient

from apps.core.roles import Role
from apps.outreach.models import Campaign, Delivery
from apps.tenants.context import tenant_context
from tests.factories import CampaignFactory, user_with_role
from tests.outreach.campaign_helpers import campaign_with_messages, consenting_msme

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(tenant_a):
    client = APIClient()
    client.force_login(user_with_role(Role.AGENCY_STAFF, tenant_a))
    return client


def _payload(**overrides) -> dict:
    data = {
        "name": "By API",
        "fallback_language": "en",
        "link_kind": "topic",
        "link_value": "trademarks",
        "messages": [
            {"language": "en", "subject": "Hi {msme}", "body": "See {link}"},
            {"language": "fr", "subject": "Salut {msme}", "body": "Voir {link}", "short_text": "{link}"},
        ],
    }
    data.update(overrides)
    return data


def test_create_list_and_detail_with_counts(api, tenant_a):
    response = api.post("/api/v1/campaigns/", _payload(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and [m["language"] for m in body["messages"]] == ["en", "fr"]
    assert body["counts"]["total"] == 0
    listed = api.get("/api/v1/campaigns/").json()
    assert [c["name"] for c in listed["results"]] == ["By API"] and "counts" not in listed["results"][0]
    detail = api.get(f"/api/v1/campaigns/{body['id']}/").json()
    assert detail["counts"]["skipped_by_reason"] == {
        "no_consent": 0,
        "unsubscribed": 0,
        "no_address": 0,
        "not_electronic": 0,
        "no_message": 0,
        "cancelled": 0,
    }


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"messages": []}, "messages"),
        ({"fallback_language": "de"}, "fallback_language"),
        ({"fallback_language": "es"}, "fallback_language"),
        ({"link_kind": "nowhere"}, "link_kind"),
        ({"link_value": "nope"}, "link_value"),
        ({"scheduled_for": "2001-01-01T00:00:00Z"}, "scheduled_for"),
        ({"messages": [{"language": "en", "subject": "s", "body": "b"}] * 2}, "messages"),
        ({"messages": [{"language": "xx", "subject": "s", "body": "b"}]}, "messages"),
        ({"name": "x" * 500}, "name"),
        ({"segment": "00000000-0000-0000-0000-000000000000"}, "segment"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api, overrides, field):
    response = api.post("/api/v1/campaigns/", _payload(**overrides), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json() or field in str(response.json())


def test_update_a_draft_then_send_once_then_cancel_is_refused(api, tenant_a, django_capture_on_commit_callbacks):
    with tenant_context(tenant_a), transaction.atomic():
        campaign = campaign_with_messages()
        consenting_msme(name="Shop")
    url = f"/api/v1/campaigns/{campaign.pk}/"
    assert api.patch(url, {"name": "Patched"}, format="json").status_code == 200
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = api.post(url + "send/")
        assert response.status_code == 200
    assert response.json()["status"] == "sent" and response.json()["counts"]["sent"] == 1
    assert len(mail.outbox) == 1
    assert api.patch(url, {"name": "Too late"}, format="json").status_code == 400
    assert api.post(url + "cancel/").json()["status"] == "sent"
    with tenant_context(tenant_a), transaction.atomic():
        assert Delivery.objects.count() == 1 and Campaign.objects.get().name == "Patched"


def test_another_tenants_campaign_is_not_found(api, tenant_b):
    with tenant_context(tenant_b), transaction.atomic():
        other = CampaignFactory()
    assert api.get(f"/api/v1/campaigns/{other.pk}/").status_code == 404
    assert api.post(f"/api/v1/campaigns/{other.pk}/send/").status_code == 404
