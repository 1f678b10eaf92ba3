"""WIPO GREEN: listing from the profile and register, matching with reasons, and the connection both sides
accept before either sees the other's contact, across agencies."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse

from apps.programmes import green
from apps.programmes.models import GreenConnection, GreenNeed, GreenTechnology
from apps.tenants.context import tenant_context
from tests.factories import IpAssetFactory
from tests.policies.actors import HELPDESK, OTHER, OWN, one_tenant

pytestmark = pytest.mark.django_db

TECHNOLOGY = {
    "title": "Solar crop dryer",
    "category": "energy",
    "description": "Dries fruit with sunlight, no fuel.",
    "stage": "market",
    "offers": ["licence", "sale"],
    "countries": ["KE", "TZ"],
    "keywords": "solar, drying, fruit",
}
NEED = {
    "title": "Drying mangoes without diesel",
    "category": "energy",
    "description": "We lose a third of our mangoes.",
    "min_stage": "pilot",
    "countries": ["KE"],
    "keywords": "drying, mangoes",
}


def _technology(world, **overrides):
    with tenant_context(world.tenant), transaction.atomic():
        return green.technology_create(actor=world.actors[OWN], msme=world.msme, data={**TECHNOLOGY, **overrides})


def _need(world, **overrides):
    with tenant_context(world.tenant), transaction.atomic():
        return green.need_create(actor=world.actors[OTHER], msme=world.other_msme, data={**NEED, **overrides})


def test_a_match_scores_field_keywords_countries_and_stage_with_its_reasons():
    need = GreenNeed(**NEED)
    technology = GreenTechnology(**TECHNOLOGY)
    found = green.match(need, technology)
    # 40 (same field) + 10 (one shared keyword: "drying") + 20 (offered in Kenya) + 10 (on the market >= pilot)
    assert found.score == 80
    assert found.reasons == [
        "Same field: Energy",
        "Shared keywords: drying",
        "Offered where it is needed: Kenya",
        "Far enough: On the market",
    ]
    far = GreenTechnology(
        **{**TECHNOLOGY, "category": "water", "countries": ["PH"], "stage": "research", "keywords": ""}
    )
    assert green.match(need, far).score == 0 and green.match(need, far).reasons == []
    anywhere = GreenTechnology(**{**TECHNOLOGY, "countries": []})
    assert "Offered in every country" in green.match(need, anywhere).reasons
    many = GreenTechnology(**{**TECHNOLOGY, "keywords": "drying mangoes", "title": "Mangoes drying solar"})
    assert green.match(GreenNeed(**{**NEED, "keywords": "drying mangoes solar"}), many).score == 40 + 30 + 20 + 10


def test_the_matches_of_a_need_come_from_every_agency_best_first_and_never_its_own():
    here, abroad = one_tenant(), one_tenant()
    weak = _technology(abroad, keywords="", title="Solar panel", countries=["PH"], stage="research")
    strong = _technology(abroad, title="Mango dryer")
    own = _technology(here)  # the seeker's agency, another MSME of it: a match too
    need = _need(here)
    with tenant_context(here.tenant), transaction.atomic():
        GreenTechnology.objects.filter(pk=own.pk).update(msme=need.msme)  # now the need's own MSME's: left out
    ranked = [(technology.pk, found.score) for technology, found in green.matches_for_need(need)]
    assert [pk for pk, _score in ranked] == [strong.pk, weak.pk] and ranked[0][1] > ranked[1][1]
    unpublished = _technology(abroad, title="Secret mango dryer")
    with tenant_context(abroad.tenant), transaction.atomic():
        green.listing_publish(actor=abroad.actors[OWN], listing=unpublished, published=False)
    assert unpublished.pk not in {technology.pk for technology, _found in green.matches_for_need(need)}


def test_listing_is_for_the_msme_s_own_members_and_bad_input_names_the_field():
    world = one_tenant()
    with tenant_context(world.tenant), transaction.atomic():
        with pytest.raises(PermissionDenied):
            green.technology_create(actor=world.actors[OTHER], msme=world.msme, data=TECHNOLOGY)
        with pytest.raises(PermissionDenied):
            green.technology_create(actor=world.actors[HELPDESK], msme=world.msme, data=TECHNOLOGY)
        with pytest.raises(ValidationError) as caught:
            green.technology_create(
                actor=world.actors[OWN],
                msme=world.msme,
                data={**TECHNOLOGY, "title": "", "category": "magic", "offers": [], "countries": ["XX"]},
            )
        assert set(caught.value.message_dict) == {"title", "category", "offers", "countries"}


def test_the_ip_held_is_written_from_the_register():
    world = one_tenant()
    with tenant_context(world.tenant), transaction.atomic():
        patent = IpAssetFactory(msme=world.msme, asset_type="patent", title="Dryer tray", jurisdiction="KE")
        technology = green.technology_create(actor=world.actors[OWN], msme=world.msme, data=TECHNOLOGY, assets=[patent])
        assert "Patent: Dryer tray (KE" in technology.ip_held
        assert list(technology.assets.all()) == [patent]


def test_contact_details_are_shared_only_once_both_sides_accept_across_agencies():
    provider_world, seeker_world = one_tenant(), one_tenant()
    technology = _technology(provider_world)
    need = _need(seeker_world)
    seeker = seeker_world.actors[OTHER]
    provider = provider_world.actors[OWN]
    with tenant_context(seeker_world.tenant), transaction.atomic():
        connection = green.express_interest(
            actor=seeker, technology=technology, msme=seeker_world.other_msme, need=need, message="Can we license it?"
        )
        assert connection.score == 80 and connection.state == GreenConnection.State.PROPOSED
        with pytest.raises(ValidationError):  # once per seeker and technology
            green.express_interest(actor=seeker, technology=technology, msme=seeker_world.other_msme)
        seen = green.connection_for(seeker, connection.pk)
        assert green.side_of(seeker, seen) == "seeker" and green.contact_shown(seeker, seen) == ""
        with pytest.raises(ValidationError):  # expressing interest was the seeker's acceptance
            green.connection_answer(actor=seeker, connection=seen, accept=True)
    with tenant_context(provider_world.tenant), transaction.atomic():
        provided, sought = green.connections_of(provider)
        assert [c.pk for c in provided] == [connection.pk] and sought == []
        assert provided[0].seeker_name == seeker_world.other_msme.name  # the seeker presented itself
        assert green.contact_shown(provider, provided[0]) == ""  # not before the provider accepts
        assert green.connection_for(provider_world.actors[OTHER], connection.pk) is None  # another MSME's member
        green.connection_answer(actor=provider, connection=provided[0], accept=True)
        provided, _sought = green.connections_of(provider)
        assert provided[0].is_connected
        assert seeker.user.email in green.contact_shown(provider, provided[0])
    with tenant_context(seeker_world.tenant), transaction.atomic():
        _provided, sought = green.connections_of(seeker)
        assert provider.user.email in green.contact_shown(seeker, sought[0])


def test_an_offer_for_a_need_names_the_seeker_only_when_it_accepts_and_a_decline_shares_nothing():
    provider_world, seeker_world = one_tenant(), one_tenant()
    technology = _technology(provider_world)
    need = _need(seeker_world)
    with tenant_context(provider_world.tenant), transaction.atomic():
        offer = green.offer_technology(actor=provider_world.actors[OWN], technology=technology, need=need)
        assert offer.seeker_name == "" and offer.seeker_contact == ""
    seeker = seeker_world.actors[OTHER]
    with tenant_context(seeker_world.tenant), transaction.atomic():
        seen = green.connection_for(seeker, offer.pk)
        assert green.contact_shown(seeker, seen) == ""
        green.connection_answer(actor=seeker, connection=seen, accept=False)
    with tenant_context(provider_world.tenant), transaction.atomic():
        declined = GreenConnection.objects.get(pk=offer.pk)
        assert declined.state == GreenConnection.State.DECLINED and declined.seeker_contact == ""
        with pytest.raises(PermissionDenied):
            green.connection_answer(actor=provider_world.actors[OWN], connection=declined, accept=True)


def test_the_exchange_shows_published_listings_of_every_agency_and_drafts_to_their_owners_only():
    world, other = one_tenant(), one_tenant()
    published = _technology(other)
    draft = _technology(other, title="Draft kiln")
    with tenant_context(other.tenant), transaction.atomic():
        green.listing_publish(actor=other.actors[OWN], listing=draft, published=False)
    visitor = Client()
    page = visitor.get(reverse("programmes:green"))
    body = page.content.decode()
    assert published.title in body and "Draft kiln" not in body
    assert other.msme.name not in body  # who lists it is not shown
    assert visitor.get(reverse("programmes:green-technology", args=[draft.pk])).status_code == 404
    owner = Client()
    owner.force_login(other.actors[OWN].user)
    assert owner.get(reverse("programmes:green-technology", args=[draft.pk])).status_code == 200
    member = Client()
    member.force_login(world.actors[OWN].user)
    assert member.get(reverse("programmes:green-technology", args=[draft.pk])).status_code == 404


def test_a_member_lists_a_technology_from_the_page_prefilled_from_its_profile():
    world = one_tenant()
    with tenant_context(world.tenant), transaction.atomic():
        patent = IpAssetFactory(msme=world.msme, asset_type="patent", title="Tray design", jurisdiction="KE")
        IpAssetFactory(msme=world.msme, asset_type="trademark", title="SunDry", jurisdiction="KE")
    client = Client()
    client.force_login(world.actors[OWN].user)
    form = client.get(reverse("programmes:green-technology-new")).context["form"]
    assert form.initial["assets"] == [patent.pk] and form.initial["countries"] == [world.tenant.country]
    assert len(form.fields) < 10
    bad = client.post(reverse("programmes:green-technology-new"), {"title": "", "category": "energy"})
    assert bad.status_code == 400 and {"title", "description", "stage", "offers"} <= set(bad.context["form"].errors)
    response = client.post(
        reverse("programmes:green-technology-new"),
        {
            **{k: v for k, v in TECHNOLOGY.items() if k not in ("offers", "countries")},
            "offers": ["licence"],
            "countries": ["KE"],
            "assets": [str(patent.pk)],
        },
    )
    assert response.status_code == 302
    with tenant_context(world.tenant), transaction.atomic():
        technology = GreenTechnology.objects.get()
        assert technology.msme == world.msme and "Tray design" in technology.ip_held
