"""The campaign link kind "event" (upcoming published events; the event page's absolute URL), and the demo
step (past and future events with registrations, attendance and feedback; run twice, made once)."""

from __future__ import annotations

from django.conf import settings

from apps.events import demo
from apps.events.models import Event, Feedback, Registration
from apps.outreach.links import link_kind
from tests.factories import MsmeFactory


def test_the_event_link_kind_lists_upcoming_published_events(world):
    upcoming = world.event(title="Coming soon")
    world.event(title="Already over", in_days=-3)
    cancelled = world.event(title="Called off")
    Event.objects.filter(pk=cancelled.pk).update(status="cancelled")
    kind = link_kind("event")
    assert kind is not None
    assert kind.choices() == [(str(upcoming.pk), "Coming soon")]
    url = kind.url_for(str(upcoming.pk), None)
    assert url == settings.PORTAL_URL.rstrip("/") + f"/events/{upcoming.pk}/"
    assert kind.url_for("not-an-id", None) == ""
    assert kind.url_for("8f7f1f5e-2f0e-4d4b-9a77-1d8d7f3f0a11", None) == ""


def test_the_demo_seeds_past_and_future_events_once(world):
    for _ in range(10):
        MsmeFactory()
    assert demo.seed_events(world.tenant) == len(demo.EVENTS)
    assert demo.seed_events(world.tenant) == 0
    now_events = Event.objects.all()
    assert {event.ends_at < event.created_at for event in now_events} == {True, False}
    assert Registration.objects.filter(status="waiting").exists()
    assert Registration.objects.exclude(attended="unknown").exists()
    assert Feedback.objects.exists()
