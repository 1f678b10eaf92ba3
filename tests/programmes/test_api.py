"""The programmes' API: the TISC directory, requests sent and worked, and the ADR fee estimate; bad input is
a 400 naming the field."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from apps.core.roles import Division
from apps.programmes.models import ProgrammeRequest, Stage, Tisc
from apps.tenants.context import division_context, tenant_context

pytestmark = pytest.mark.django_db


def api_of(actor=None) -> APIClient:
    """Signed in as the actor's user (the session the middleware reads), or a visitor."""
    client = APIClient()
    if actor is not None and actor.user is not None:
        client.force_login(actor.user)
    return client


def test_the_tisc_directory_filters_by_country_code_and_service():
    Tisc.objects.create(
        name="Nairobi TISC", host_institution="KIPI", country="KE", city="Nairobi", services=["validity"]
    )
    Tisc.objects.create(name="Manila ITSO", host_institution="UST", country="PH", city="Manila", services=["landscape"])
    client = api_of()
    names = [row["name"] for row in client.get("/api/v1/tiscs/", {"country": "ph"}).json()["results"]]
    assert names == ["Manila ITSO"]
    rows = client.get("/api/v1/tiscs/", {"service": "validity"}).json()["results"]
    assert [row["name"] for row in rows] == ["Nairobi TISC"] and rows[0]["country_name"] == "Kenya"
    bad = client.get("/api/v1/tiscs/", {"service": "dowsing", "country": "Kenya"})
    assert bad.status_code == 400 and set(bad.json()) >= {"service", "country"}


@pytest.mark.parametrize(
    ("query", "total"),
    [
        ({"procedure": "arbitration", "amount": "1000000"}, "4000.00"),
        ({"procedure": "arbitration", "amount": "1000000", "reduction": "true"}, "3500.00"),
        ({"procedure": "expedited_arbitration", "amount": "5000000"}, "46000.00"),
        ({"procedure": "mediation", "amount": "20000000"}, "10000.00"),
        ({"procedure": "udrp", "domains": "7", "panelists": "3"}, "5000.00"),
        ({"procedure": "expert_determination"}, "0.00"),
    ],
)
def test_the_adr_fee_estimate_answers_the_total_and_its_sourced_lines(query, total):
    body = api_of().get("/api/v1/calculators/adr-fees/", query).json()
    assert body["currency"] == "USD" and Decimal(body["total"]) == Decimal(total)
    assert sum(Decimal(line["amount"]) for line in body["lines"]) == Decimal(total)
    assert all(line["source"] and line["verified"] for line in body["lines"])
    assert isinstance(body["notes"], list)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "procedure"),
        ({"procedure": "litigation"}, "procedure"),
        ({"procedure": "mediation"}, "amount"),
        ({"procedure": "arbitration", "amount": "-5"}, "amount"),
        ({"procedure": "arbitration", "amount": "1e400"}, "amount"),
        ({"procedure": "udrp", "panelists": "2"}, "panelists"),
        ({"procedure": "udrp", "domains": "0"}, "domains"),
        ({"procedure": "udrp", "reduction": "maybe"}, "reduction"),
    ],
)
def test_bad_fee_queries_are_a_400_naming_the_field(query, field):
    response = api_of().get("/api/v1/calculators/adr-fees/", query)
    assert response.status_code == 400 and field in response.json()


ADR = {
    "kind": "expedited_arbitration",
    "subject": "patent",
    "other_party": "Licensee SA",
    "other_party_country": "FR",
    "amount": 250000,
    "has_clause": True,
    "language": "fr",
    "description": "Unpaid royalties since March.",
}


def test_a_member_sends_an_adr_request_and_the_center_s_agent_completes_it(desk):
    member = api_of(desk.member)
    created = member.post("/api/v1/adr/requests/", ADR, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (
        body["division"] == Division.AMC
        and body["stage"] == "submitted"
        and body["kind_label"] == "Expedited arbitration"
    )
    assert body["details"]["other_party_country"] == "FR" and body["ticket_reference"].startswith("T-")
    assert [row["id"] for row in member.get("/api/v1/adr/requests/").json()["results"]] == [body["id"]]
    assert member.get("/api/v1/iap/requests/").json()["results"] == []
    assert api_of(desk.other_member).get(f"/api/v1/adr/requests/{body['id']}/").status_code == 404
    assert member.patch(f"/api/v1/adr/requests/{body['id']}/", {"stage": "completed"}, format="json").status_code == 403
    agent = api_of(desk.division_agent)
    bad = agent.patch(f"/api/v1/adr/requests/{body['id']}/", {"stage": "matched"}, format="json")
    assert bad.status_code == 400 and "stage" in bad.json()
    done = agent.patch(
        f"/api/v1/adr/requests/{body['id']}/", {"stage": "completed", "outcome": "Award made."}, format="json"
    )
    assert done.status_code == 200 and done.json()["stage"] == "completed"
    with division_context(Division.AMC), transaction.atomic():
        assert ProgrammeRequest.objects.get().outcome == "Award made."


def test_a_request_missing_its_fields_is_a_400_naming_each(desk):
    response = api_of(desk.member).post(
        "/api/v1/adr/requests/",
        {"kind": "litigation", "other_party_country": "Atlantis", "amount": "lots"},
        format="json",
    )
    assert response.status_code == 400
    assert {"kind", "description", "subject", "other_party", "other_party_country", "amount", "language"} <= set(
        response.json()
    )
    with tenant_context(desk.tenant), transaction.atomic():
        assert not ProgrammeRequest.objects.exists()


def test_only_members_send_requests(desk):
    assert api_of(desk.agent).post("/api/v1/adr/requests/", ADR, format="json").status_code == 403
    assert api_of().post("/api/v1/adr/requests/", ADR, format="json").status_code == 401


def test_a_tisc_request_without_a_tisc_goes_to_the_nearest(desk):
    tisc = Tisc.objects.create(
        name="Only TISC", host_institution="Uni", country=desk.tenant.country, city="Town", queue=desk.queue
    )
    created = api_of(desk.member).post(
        "/api/v1/tisc-requests/",
        {"kind": "landscape", "technology": "Drip irrigation", "description": "Who patents drip irrigation here?"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["tisc"] == tisc.pk and created.json()["stage"] == Stage.SUBMITTED
    other = Tisc.objects.create(name="Abroad", host_institution="Uni", country="BR", city="Recife")
    refused = api_of(desk.member).post(
        "/api/v1/tisc-requests/",
        {"kind": "landscape", "technology": "x", "tisc": other.pk, "description": "A TISC abroad."},
        format="json",
    )
    assert refused.status_code == 400 and "tisc" in refused.json()
