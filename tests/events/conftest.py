from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.events import services
from apps.events.models import Event
from tests.policies.actors import AGENCY, OTHER, OWN, OneTenant, one_tenant


class World:
    def __init__(self, world: OneTenant) -> None:
        self.world = world
        self.tenant = world.tenant
        self.msme = world.msme
        self.other_msme = world.other_msme
        self.member = world.actors[OWN]
        self.other_member = world.actors[OTHER]
        self.staff = world.actors[AGENCY]
        self.actors = world.actors

    def event(self, *, in_days: float = 3, hours: float = 2, **fields) -> Event:
        start = (timezone.now() + timedelta(days=in_days)).replace(microsecond=0)
        data = {
            "title": "Trademarks for small businesses",
            "kind": "webinar",
            "online_url": "https://meet.example.org/tm",
            "language": "en",
            "time_zone": "Africa/Nairobi",
            "starts_at": start,
            "ends_at": start + timedelta(hours=hours),
        }
        data.update(fields)
        return services.event_create(actor=self.staff, data=data)


@pytest.fixture
def world(db, in_tenant) -> World:
    world = World(one_tenant())
    in_tenant(world.tenant)
    return world
