"""One agency (English and Swahili) with a member of an MSME that prefers Swahili, another member, and staff."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from apps.news import services
from apps.news.models import Post
from apps.tenants.context import tenant_context
from apps.tenants.models import Tenant
from apps.tenants.scope import Actor
from tests.factories import TenantFactory
from tests.policies.actors import one_tenant


@dataclass
class Newsroom:
    tenant: Tenant
    staff: Actor
    member: Actor  # of an MSME that prefers Swahili, reached by e-mail
    other: Actor  # of an MSME with no preferred language
    world: Any

    def client(self, actor: Actor) -> Client:
        client = Client(raise_request_exception=False)
        client.force_login(actor.user)
        return client

    def post(self, *, publish: bool = True, texts: dict | None = None, **fields: Any) -> Post:
        data = {
            "kind": "news",
            "topic": "trademarks",
            "region": "",
            "closes_on": None,
            "fallback_language": "en",
            "texts": texts or {"en": {"title": "Brands abroad", "summary": "A short summary", "body": "The text."}},
            **fields,
        }
        with tenant_context(self.tenant), transaction.atomic():
            post = services.post_create(actor=self.staff, data=data)
            if publish:
                post = services.post_publish(actor=self.staff, post=post)
            return post


@pytest.fixture
def room(db) -> Newsroom:
    world = one_tenant()
    tenant = world.tenant
    Tenant.objects.filter(pk=tenant.pk).update(languages=["en", "sw"], country="KE", slug="kenya-news")
    tenant.refresh_from_db()
    with tenant_context(tenant), transaction.atomic():
        world.msme.preferred_language = "sw"
        world.msme.preferred_channel = "email"
        world.msme.save()
        world.other_msme.preferred_language = ""
        world.other_msme.preferred_channel = "email"
        world.other_msme.save()
    actors = world.actors
    return Newsroom(tenant, actors["agency"], actors["msme_own"], actors["msme_other"], world)


@pytest.fixture
def other_tenant(db) -> Tenant:
    return TenantFactory(slug="other-news", name="Other agency", country="PH", languages=["en"])
