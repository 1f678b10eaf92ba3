"""Intermediaries (a public directory by country, kept by each agency) and partnerships (an agency introduces the
MSMEs that ask, with their consent, to the companies that offer)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse

from apps.outreach.models import OutboxMessage
from apps.programmes import network
from apps.programmes.models import Intermediary, PartnershipRequest
from apps.tenants.context import tenant_context
from tests.factories import IntermediaryFactory, PartnershipOfferFactory
from tests.policies.actors import AGENCY, HELPDESK, OTHER, OWN, one_tenant

pytestmark = pytest.mark.django_db


def test_the_directory_lists_every_agency_s_listed_intermediaries_by_country():
    kenya, other = one_tenant(), one_tenant()
    other.tenant.country = "PH"
    other.tenant.save()
    with tenant_context(kenya.tenant), transaction.atomic():
        IntermediaryFactory(name="Jua Kali Association", kind="association", sectors=["C"])
        IntermediaryFactory(name="Hidden chamber", kind="chamber", is_listed=False)
    with tenant_context(other.tenant), transaction.atomic():
        IntermediaryFactory(name="Manila Chamber", kind="chamber")
    visitor = Client()
    body = visitor.get(reverse("programmes:intermediaries")).content.decode()
    assert "Jua Kali Association" in body and "Manila Chamber" in body and "Hidden chamber" not in body
    body = visitor.get(reverse("programmes:intermediaries"), {"country": "PH"}).content.decode()
    assert "Manila Chamber" in body and "Jua Kali" not in body and "Philippines" in body
    body = visitor.get(reverse("programmes:intermediaries"), {"sector": "C"}).content.decode()
    assert "Jua Kali Association" in body and "Manila Chamber" not in body
    assert visitor.get(reverse("programmes:intermediaries"), {"kind": "guild"}).status_code == 400


def test_agency_staff_keep_their_own_list_and_bad_input_names_the_field():
    world = one_tenant()
    with tenant_context(world.tenant), transaction.atomic():
        with pytest.raises(PermissionDenied):
            network.intermediary_save(actor=world.actors[HELPDESK], data={"name": "X", "kind": "chamber"})
        with pytest.raises(ValidationError) as caught:
            network.intermediary_save(actor=world.actors[AGENCY], data={"name": " ", "kind": "guild", "sectors": ["Z"]})
        assert set(caught.value.message_dict) == {"name", "kind", "sectors"}
        saved = network.intermediary_save(actor=world.actors[AGENCY], data={"name": "Coop", "kind": "cooperative"})
        network.intermediary_save(actor=world.actors[AGENCY], data={"name": "Coop union"}, intermediary=saved)
        assert Intermediary.objects.get().name == "Coop union"
    staff = Client()
    staff.force_login(world.actors[AGENCY].user)
    edit = staff.post(reverse("programmes:intermediary-edit", args=[saved.pk]), {"name": "", "kind": "chamber"})
    assert edit.status_code == 400 and "name" in edit.context["form"].errors


def test_an_introduction_needs_the_msme_s_consent_and_the_agency_s_decision():
    world = one_tenant()
    with tenant_context(world.tenant), transaction.atomic():
        offer = PartnershipOfferFactory(company="Big Brewery", contact_email="sourcing@brewery.example.org")
        with pytest.raises(ValidationError) as caught:
            network.ask_introduction(actor=world.actors[OWN], offer=offer, msme=world.msme, message=" ", consent=False)
        assert set(caught.value.message_dict) == {"message", "consent"}
        request = network.ask_introduction(
            actor=world.actors[OWN], offer=offer, msme=world.msme, message="We grow sorghum.", consent=True
        )
        with pytest.raises(ValidationError):  # once per MSME and offer
            network.ask_introduction(
                actor=world.actors[OWN], offer=offer, msme=world.msme, message="Again", consent=True
            )
        assert not OutboxMessage.objects.filter(key__startswith="partnership:").exists()  # nothing shared yet
        with pytest.raises(PermissionDenied):
            network.decide(actor=world.actors[OWN], request=request, introduce=True)
        with pytest.raises(ValidationError):
            network.decide(actor=world.actors[AGENCY], request=request, introduce=False, note="")
        network.decide(actor=world.actors[AGENCY], request=request, introduce=True)
        assert request.status == PartnershipRequest.Status.INTRODUCED
        to_company = OutboxMessage.objects.get(key=f"partnership:introduced:{request.pk}:company")
        to_msme = OutboxMessage.objects.get(key=f"partnership:introduced:{request.pk}:msme")
        assert world.actors[OWN].user.email in to_company.body and "sourcing@brewery.example.org" in to_msme.body
    member = Client()
    member.force_login(world.actors[OWN].user)
    assert "sourcing@brewery.example.org" in member.get(reverse("programmes:partnerships")).content.decode()
    other = Client()
    other.force_login(world.actors[OTHER].user)
    page = other.get(reverse("programmes:partnerships")).content.decode()
    assert "Big Brewery" in page and "sourcing@brewery.example.org" not in page  # the offer, not the contact


def test_a_member_asks_from_the_offer_page_and_a_missing_consent_is_re_shown():
    world = one_tenant()
    with tenant_context(world.tenant), transaction.atomic():
        offer = PartnershipOfferFactory()
        closed = PartnershipOfferFactory(is_open=False)
    member = Client()
    member.force_login(world.actors[OWN].user)
    url = reverse("programmes:offer", args=[offer.pk])
    bad = member.post(url, {"message": "We supply bottles."})
    assert bad.status_code == 400 and "consent" in bad.context["form"].errors
    assert member.post(url, {"message": "We supply bottles.", "consent": "on"}).status_code == 302
    assert member.get(reverse("programmes:offer", args=[closed.pk])).status_code == 404
