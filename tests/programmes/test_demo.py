"""The programmes' demo data: directories, and each demo tenant's requests, some already worked; once only."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from apps.core.roles import Division
from apps.helpdesk.models import Ticket
from apps.programmes import green
from apps.programmes.models import (
    GreenNeed,
    GreenTechnology,
    Intermediary,
    Mentor,
    MentoringRequest,
    PartnershipOffer,
    ProgrammeRequest,
    ResearchMember,
    Stage,
    Tisc,
)
from apps.tenants.context import division_context, tenant_context
from apps.tenants.demo import DEMO_TENANTS
from apps.tenants.models import Tenant

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", "--msmes", "4", "--tickets", "5", "--password", "x-demo-pass-1", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    counts = {"tiscs": Tisc.objects.count(), "members": ResearchMember.objects.count()}
    for tenant in Tenant.objects.all():
        with tenant_context(tenant), transaction.atomic():
            counts[tenant.slug] = ProgrammeRequest.objects.count()
            counts[f"green-{tenant.slug}"] = GreenTechnology.objects.count() + GreenNeed.objects.count()
            counts[f"mentoring-{tenant.slug}"] = Mentor.objects.count() + MentoringRequest.objects.count()
            counts[f"network-{tenant.slug}"] = Intermediary.objects.count() + PartnershipOffer.objects.count()
    return counts


def test_the_demo_programmes_once_and_only_once():
    assert "programme requests" in _seed()
    assert set(Tisc.objects.values_list("country", flat=True)) == {demo.country for demo in DEMO_TENANTS}
    assert Tisc.objects.filter(queue__isnull=False).count() == 3  # one answering TISC per demo agency
    assert ResearchMember.objects.filter(country="EG").exists()
    stages = set()
    for demo in DEMO_TENANTS:
        tenant = Tenant.objects.get(slug=demo.slug)
        with tenant_context(tenant), transaction.atomic():
            requests = list(ProgrammeRequest.objects.select_related("ticket"))
            assert len(requests) == 2
            assert MentoringRequest.objects.get().status == MentoringRequest.Status.WAITING
            assert Intermediary.objects.count() == 2 and PartnershipOffer.objects.filter(is_open=True).exists()
            assert all(request.ticket.msme_id == request.msme_id for request in requests)
            stages |= {request.stage for request in requests}
    assert {Stage.SUBMITTED, Stage.IN_PROGRESS, Stage.MATCHED, Stage.COMPLETED} <= stages
    # Each agency's member lists a technology and posts a need; the Philippine need finds the Kenyan dryer.
    philippines = Tenant.objects.get(slug="ph")
    with tenant_context(philippines), transaction.atomic():
        need = GreenNeed.objects.get()
    matched = [technology.title for technology, _found in green.matches_for_need(need)]
    assert matched[0] == "Solar crop dryer for smallholders"
    with division_context(Division.AMC), transaction.atomic():
        assert ProgrammeRequest.objects.filter(programme="adr").count() == 2
        assert Ticket.objects.filter(topic="adr", subject__startswith="Mediation and arbitration").count() == 2
    before = _counts()
    _seed()
    assert _counts() == before
