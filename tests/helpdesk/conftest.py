from __future__ import annotations

from dataclasses import dataclass
from datetime import time

import pytest
from django.db import transaction

from apps.core.roles import Division
from apps.helpdesk.models import Queue, QueueAgent
from apps.tenants.context import tenant_context
from tests.policies.actors import AGENCY, DIVISION_AGENT, HELPDESK, OTHER, OWN, OneTenant, one_tenant


@dataclass
class Desk:
    world: OneTenant
    queue: Queue  # the tenant's default queue
    division_queue: Queue  # the Arbitration and Mediation Center's

    @property
    def tenant(self):
        return self.world.tenant

    def actor(self, name: str):
        return self.world.actors[name]

    @property
    def member(self):
        return self.world.actors[OWN]

    @property
    def other_member(self):
        return self.world.actors[OTHER]

    @property
    def agent(self):
        return self.world.actors[HELPDESK]

    @property
    def division_agent(self):
        return self.world.actors[DIVISION_AGENT]

    @property
    def agency(self):
        return self.world.actors[AGENCY]


@pytest.fixture
def desk(db) -> Desk:
    with transaction.atomic():  # also for tests that run outside a test transaction
        return _desk()


def _desk() -> Desk:
    world = one_tenant()
    queue = _queue(world)
    division_queue = Queue.objects.create(
        division=Division.AMC, name="AMC Good Offices", languages=["en", "fr", "es"], auto_assign=False
    )
    QueueAgent.objects.create(queue=queue, user=world.actors[HELPDESK].user, languages=["en"])
    QueueAgent.objects.create(queue=division_queue, user=world.actors[DIVISION_AGENT].user, is_lead=True)
    return Desk(world=world, queue=queue, division_queue=division_queue)


def _queue(world: OneTenant) -> Queue:
    # Open 08:00-16:00 UTC, Monday to Friday, no holidays: due times follow by hand.
    return Queue.objects.create(
        tenant=world.tenant,
        name="Agency helpdesk",
        languages=["en", "fr"],
        time_zone="UTC",
        opens_at=time(8),
        closes_at=time(16),
        is_default=True,
        auto_assign=False,
    )


@pytest.fixture
def in_tenant(desk):
    with tenant_context(desk.tenant), transaction.atomic():
        yield desk
