"""The demo events for `seed_demo` (after the registry's MSMEs): per demo tenant, two past events (with
attendance and feedback) and three to come (one full, with a waiting list), in the tenant's first language.

Rows are written directly, with no message sent for the demo's history. Idempotent: an event of the same
title in a tenant is left as it is.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from apps.core.demo import DemoRun
from apps.events.models import Event, Feedback, Registration
from apps.registry.models import Msme
from apps.tenants.context import tenant_context
from apps.tenants.demo import demo_tenants
from apps.tenants.models import Tenant

# (title, kind, online, days from now, hours, capacity, topics)
EVENTS = (
    ("Trademarks for small businesses: the basics", Event.Kind.WEBINAR, True, -30, 2, None, ["trademarks"]),
    ("Workshop: protecting your designs", Event.Kind.WORKSHOP, False, -10, 4, 20, ["industrial-designs"]),
    ("Patents and utility models: is my invention protectable?", Event.Kind.WEBINAR, True, 3, 2, None, ["patents"]),
    ("IP strategy workshop for exporters", Event.Kind.WORKSHOP, False, 12, 6, 6, []),
    ("Distance-learning course: IP management (DL-101)", Event.Kind.DISTANCE, True, 20, 2, 200, []),
)
COMMENTS = (
    "Very practical, thank you.",
    "Clear examples; I would like a follow-up on licensing.",
    "Good, but the session was too short for questions.",
    "",
    "We registered our trademark the week after.",
)


def seed_demo(run: DemoRun) -> None:
    for tenant in demo_tenants():
        with tenant_context(tenant), transaction.atomic():
            made = seed_events(tenant)
        run.say(f"{tenant.name}: {made} new demo events")


def seed_events(tenant: Tenant) -> int:
    language = (tenant.languages or ["en"])[0]
    msmes = list(Msme.objects.filter(erased_at__isnull=True).order_by("name", "id")[:16])
    existing = set(Event.objects.values_list("title", flat=True))
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    made = 0
    for index, (title, kind, online, days, hours, capacity, topics) in enumerate(EVENTS):
        if title in existing:
            continue
        starts_at = (now + timedelta(days=days)).replace(hour=9)
        event = Event.objects.create(
            title=title,
            description="A session of the agency's programme on intellectual property for MSMEs.",
            kind=kind,
            online_url="https://meet.example.org/ip-" + str(index + 1) if online else "",
            venue="" if online else "Chamber of Commerce, conference room B",
            city="" if online else "Capital city",
            language=language if language in ("en", "fr", "es", "ar") else "en",
            time_zone="UTC",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=hours),
            capacity=capacity,
            topics=topics,
        )
        made += 1
        rng = random.Random(f"{tenant.slug}-{index}")  # noqa: S311 (demo data, not a secret)
        _registrations(event, msmes, rng, past=days < 0)
    return made


def _registrations(event: Event, msmes: list[Msme], rng: random.Random, *, past: bool) -> None:
    if event.capacity is not None and event.capacity < len(msmes):
        chosen = msmes  # full: the rest wait
    else:
        chosen = msmes[: rng.randint(len(msmes) // 2, len(msmes))] if msmes else []
    confirmed = 0
    for msme in chosen:
        seat = event.capacity is None or confirmed < event.capacity
        registration = Registration.objects.create(
            event=event,
            msme=msme,
            name=msme.name,
            email=msme.email,
            status=Registration.Status.CONFIRMED if seat else Registration.Status.WAITING,
        )
        if not seat:
            continue
        confirmed += 1
        if past:
            attended = rng.random() < 0.8
            registration.attended = Registration.Attended.YES if attended else Registration.Attended.NO
            registration.reminded_at = event.starts_at - timedelta(days=1)
            registration.feedback_requested_at = event.ends_at + timedelta(hours=1)
            registration.save(update_fields=["attended", "reminded_at", "feedback_requested_at"])
            if attended and rng.random() < 0.6:
                Feedback.objects.create(
                    registration=registration, rating=rng.choice((3, 4, 4, 5, 5)), comment=rng.choice(COMMENTS)
                )
