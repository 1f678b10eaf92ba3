"""The demo helpdesk for `seed_demo` (after the registry's MSMEs): a queue per demo tenant and for four WIPO
divisions, their agents, routing rules, SLA targets, canned replies, and tickets in every state.

The tickets are made through the services, as MSME members and agents, in the scopes they work in (a
division's agents in their division's), so their timelines, assignments, audit records and due times are
what the portal itself writes. The services stamp the present; each ticket's story is then moved into
the past weeks (its messages, answers, pauses, resolution and rating) and its due times are counted again.
Deterministic (one seeded random per ticket) and idempotent: a tenant is topped up to its number of
tickets, never past it. No e-mail is sent for the demo's history.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.accounts.demo import demo_user
from apps.accounts.models import User
from apps.core.demo import DemoRun
from apps.core.roles import Division, Role
from apps.helpdesk import notifications, services, sla
from apps.helpdesk.demo_content import (
    AGENT_REPLIES,
    BRANDS,
    CANNED_REPLIES,
    CUSTOMER_REPLIES,
    GENERAL,
    NOTES,
    PEOPLE,
    QUESTIONS,
    RATING_COMMENTS,
)
from apps.helpdesk.models import (
    ACTIVE_STATUSES,
    CannedReply,
    Message,
    Priority,
    Queue,
    QueueAgent,
    RequesterTier,
    RoutingRule,
    SlaTarget,
    Status,
    Ticket,
    Tier,
)
from apps.registry.models import Msme, MsmeMember
from apps.tenants.context import division_context, tenant_context
from apps.tenants.demo import demo_tenants
from apps.tenants.models import Membership, Tenant
from apps.tenants.scope import Actor, actor_for

# A time zone, working days (0 is Monday) and opening hours per demo country; others get UTC, Monday to Friday.
TIME_ZONES = {"KE": "Africa/Nairobi", "PH": "Asia/Manila", "EG": "Africa/Cairo"}
WORK_DAYS = {"EG": [6, 0, 1, 2, 3]}  # Sunday to Thursday
HOURS = {"KE": (time(8), time(17)), "PH": (time(8), time(17)), "EG": (time(9), time(16))}
QUEUE_NAMES = {"ke": "KIPI helpdesk", "ph": "IPOPHL helpdesk", "eg": "MSMEDA helpdesk"}

# The divisions' queues (Geneva: Swiss time and holidays) and the guidance topics the platform sends there.
DIVISION_QUEUES = {
    Division.PCT: ("PCT Information Service", ["pct"]),
    Division.MADRID: ("Madrid Customer Service", ["madrid"]),
    Division.HAGUE: ("Hague Customer Service", ["hague"]),
    Division.AMC: ("AMC Good Offices", ["adr"]),
    Division.GLOBAL_CHALLENGES: ("WIPO GREEN and Re:Search", ["green", "research"]),
    Division.PATENT_LAW: ("Inventor Assistance Programme", ["iap"]),
}
DIVISION_LANGUAGES = ["en", "fr", "es", "ar"]
# Questions an agency's agent hands on to a division: the tenant topic and the division it concerns.
HAND_ON = {"trademarks": Division.MADRID, "patents": Division.PCT, "industrial-designs": Division.HAGUE}
TENANT_TOPICS = ["trademarks", "patents", "copyright", "industrial-designs", "trade-secrets", "utility-models", "tiscs"]
OUTCOMES = {"new": 14, "open": 20, "waiting": 13, "resolved": 20, "closed": 28, "merged": 5}
DAY = timedelta(days=1)
HISTORY = 42 * DAY  # how far back the tickets go


def seed_demo(run: DemoRun) -> None:
    tenants = demo_tenants()
    with transaction.atomic():
        divisions = seed_division_queues(password=run.password, accounts=run.accounts)
        queues = {tenant.slug: seed_tenant_queue(tenant) for tenant in tenants}
        seed_routing_and_targets(divisions)
        for queue in [*queues.values(), *divisions.values()]:
            seed_canned_replies(queue)
    for tenant in tenants:
        made = seed_tickets(tenant=tenant, count=run.tickets, divisions=divisions)
        run.say(f"{tenant.name}: {made} new demo tickets")


# --- Queues, agents, rules ------------------------------------------------------------------------


def seed_division_queues(*, password: str, accounts: list[tuple[str, str]]) -> dict[str, Queue]:
    """The divisions' queues, each with its agent (`agent-<division>@wipo.demo`) as lead."""
    queues = {}
    for division, (name, topics) in DIVISION_QUEUES.items():
        queue, _ = Queue.objects.update_or_create(
            division=division.value,
            name=name,
            defaults={
                "languages": DIVISION_LANGUAGES,
                "topics": topics,
                "time_zone": "Europe/Zurich",
                "country": "CH",
                "opens_at": time(9),
                "closes_at": time(17, 30),
                "work_days": [0, 1, 2, 3, 4],
                "auto_assign": True,
                "is_active": True,
            },
        )
        email = f"agent-{division.value}@wipo.demo"
        agent = demo_user(
            email,
            password,
            full_name=f"Agent, {division.label}",
            division=division.value,
            division_role=User.DivisionRole.AGENT,
        )
        QueueAgent.objects.update_or_create(queue=queue, user=agent, defaults={"is_lead": True})
        accounts.append((email, f"Helpdesk agent, {division.label}"))
        queues[division.value] = queue
    return queues


def seed_tenant_queue(tenant: Tenant) -> Queue:
    """The agency's default queue in its languages, time zone, hours and holidays; its agent leads it."""
    opens, closes = HOURS.get(tenant.country, (time(9), time(17)))
    values = {
        "name": QUEUE_NAMES.get(tenant.slug, f"{tenant.name} helpdesk"),
        "languages": list(tenant.languages or ["en"]),
        "time_zone": TIME_ZONES.get(tenant.country, "UTC"),
        "country": tenant.country,
        "opens_at": opens,
        "closes_at": closes,
        "work_days": WORK_DAYS.get(tenant.country, [0, 1, 2, 3, 4]),
        "auto_assign": True,
        "is_active": True,
    }
    queue = Queue.objects.filter(tenant=tenant, is_default=True).first()
    if queue is None:
        queue = Queue.objects.create(tenant=tenant, is_default=True, **values)
    else:
        Queue.objects.filter(pk=queue.pk).update(**values)
        queue.refresh_from_db()
    agent = User.objects.filter(email=f"agent@{tenant.slug}.demo").first()  # made by the accounts step
    if agent is not None:
        QueueAgent.objects.update_or_create(queue=queue, user=agent, defaults={"is_lead": True})
    return queue


def seed_routing_and_targets(divisions: dict[str, Queue]) -> None:
    """Platform rules from the divisions' topics to their queues; the platform's SLA targets for every
    tier and priority, and one queue's own (the PCT's, faster for IP offices)."""
    position = 10
    for division, (_name, topics) in DIVISION_QUEUES.items():
        for topic in topics:
            RoutingRule.objects.update_or_create(
                tenant=None,
                from_tenant=None,
                topic=topic,
                language="",
                tier="",
                defaults={"queue": divisions[division.value], "position": position, "is_active": True},
            )
            position += 10
    for (tier, priority), (response, resolution) in sla.DEFAULT_TARGETS.items():
        SlaTarget.objects.update_or_create(
            queue=None,
            tier=tier,
            priority=priority,
            defaults={"first_response_minutes": response, "resolution_minutes": resolution},
        )
    for priority, (response, resolution) in {Priority.HIGH: (60, 480), Priority.URGENT: (30, 240)}.items():
        SlaTarget.objects.update_or_create(
            queue=divisions[Division.PCT.value],
            tier=Tier.IP_OFFICE,
            priority=priority,
            defaults={"first_response_minutes": response, "resolution_minutes": resolution},
        )


def seed_canned_replies(queue: Queue) -> None:
    language = next((code for code in queue.languages if code in CANNED_REPLIES), "en")
    for title, body in CANNED_REPLIES[language]:
        CannedReply.objects.update_or_create(queue=queue, title=title, defaults={"body": body})


# --- People ---------------------------------------------------------------------------------------


@dataclass
class Cast:
    """Who acts in one tenant's tickets."""

    members: list[tuple[Actor, Msme | None]]  # the demo member account first
    agent: Actor | None
    division_agents: dict[str, Actor]
    queue: Queue
    divisions: dict[str, Queue]
    languages: list[str]


def _member_actor(user: User, tenant: Tenant) -> tuple[Actor, Msme | None]:
    membership = Membership.objects.select_related("tenant").get(tenant=tenant, user=user)
    link = MsmeMember.objects.select_related("msme").filter(user=user).first()
    return actor_for(user, Role.MSME_MEMBER, membership), link.msme if link else None


def _people(tenant: Tenant) -> list[tuple[Actor, Msme | None]]:
    """The demo MSME member, then a few more people of the tenant's demo MSMEs who ask questions (they
    have no password: nobody signs in as them)."""
    members = []
    demo_member = User.objects.filter(email=f"msme@{tenant.slug}.demo").first()
    if demo_member is not None and Membership.objects.filter(tenant=tenant, user=demo_member).exists():
        members.append(_member_actor(demo_member, tenant))
    for number, name in enumerate(PEOPLE.get(tenant.slug, ["Demo member"]), start=1):
        user, created = User.objects.get_or_create(
            email=f"member{number}@{tenant.slug}.demo", defaults={"full_name": name}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(tenant=tenant, user=user, defaults={"role": Role.MSME_MEMBER})
        if not MsmeMember.objects.filter(user=user).exists():
            msme = Msme.objects.filter(registration_number=f"DEMO-{tenant.slug.upper()}-{number:06d}").first()
            if msme is not None:
                MsmeMember.objects.create(msme=msme, user=user)
                if number == 2:  # one business files often: the agency gave it a better tier
                    RequesterTier.objects.get_or_create(msme=msme, defaults={"tier": Tier.FREQUENT_FILER})
        members.append(_member_actor(user, tenant))
    return members


def _cast(tenant: Tenant, queue: Queue, divisions: dict[str, Queue]) -> Cast:
    agent = None
    agent_user = User.objects.filter(email=f"agent@{tenant.slug}.demo").first()
    membership = Membership.objects.filter(tenant=tenant, user=agent_user).select_related("tenant").first()
    if membership is not None:
        agent = actor_for(agent_user, Role.HELPDESK_AGENT, membership)
    division_agents = {
        user.division: actor_for(user, Role.HELPDESK_AGENT, None)
        for user in User.objects.filter(email__in=[f"agent-{d}@wipo.demo" for d in divisions])
    }
    portal_languages = {code for code, _name in settings.LANGUAGES}
    languages = [code for code in tenant.languages or [] if code in portal_languages] or ["en"]
    return Cast(_people(tenant), agent, division_agents, queue, divisions, languages)


# --- Tickets --------------------------------------------------------------------------------------


class Clock:
    """Maps the moments the services stamp (the present) onto the story's moments in the past: each step
    is marked with the present when it starts and the past moment it stands for."""

    def __init__(self) -> None:
        self.marks: list[tuple[datetime, datetime]] = []

    def at(self, when: datetime) -> None:
        self.marks.append((timezone.now(), when))

    def past(self, real: datetime | None) -> datetime | None:
        if real is None:
            return None
        for mark, when in reversed(self.marks):
            if real >= mark:
                return when + (real - mark)
        return self.marks[0][1]

    def past_iso(self, value: str | None) -> str | None:
        return self.past(datetime.fromisoformat(value)).isoformat() if value else None


def seed_tickets(*, tenant: Tenant, count: int, divisions: dict[str, Queue]) -> int:
    """Top the tenant up to `count` demo tickets; returns how many were made."""
    queue = Queue.objects.get(tenant=tenant, is_default=True)
    made = 0
    with tenant_context(tenant), notifications.muted():
        with transaction.atomic():
            existing = Ticket.objects.count()
            cast = _cast(tenant, queue, divisions)
        if cast.agent is None or not cast.members:
            return 0
        now = timezone.now()
        while existing + made < count:
            rng = random.Random(f"demo-ticket-{tenant.slug}-{existing + made}")  # noqa: S311 (demo data)
            with transaction.atomic():
                made += _story(rng, cast, now, index=existing + made, room=count - existing - made)
    return made


def _question(rng: random.Random, language: str, *, division: bool = False) -> tuple[str, str, str]:
    roll = rng.random()
    if roll < 0.25 or division:
        topic = rng.choice([topic for _division, (_name, topics) in DIVISION_QUEUES.items() for topic in topics])
    elif roll < 0.85:
        topic = rng.choice(TENANT_TOPICS)
    else:
        topic = ""
    asked = QUESTIONS[topic] if topic else GENERAL
    subject, body = rng.choice(asked.get(language) or asked["en"])
    return topic, subject, body.format(brand=rng.choice(BRANDS))


def _moments(rng: random.Random, now: datetime, outcome: str, steps: int) -> list[datetime]:
    """When the ticket was opened, then `steps` later moments, all in the past."""
    if outcome == "new" and rng.random() < 0.5:
        age = timedelta(minutes=rng.randint(10, 300))  # just asked: not due yet
    elif outcome in ("new", "open", "waiting"):
        age = timedelta(hours=rng.uniform(6, 24 * 30))
    else:
        age = timedelta(hours=rng.uniform(3 * 24, HISTORY.total_seconds() / 3600))
    opened = now - age
    fractions = sorted(rng.uniform(0.02, 0.9) for _ in range(steps))
    return [opened, *(opened + age * fraction for fraction in fractions)]


def _scope(actor: Actor) -> Any:
    return division_context(actor.division) if actor.division else nullcontext()


def _story(rng: random.Random, cast: Cast, now: datetime, *, index: int, room: int) -> int:
    """One ticket's life (two for a merged duplicate), told through the services; returns tickets made.
    The first stories go through every outcome in turn, so that even a small demo has each."""
    language = rng.choices(cast.languages, weights=[3, 1, 1][: len(cast.languages)])[0]
    topic, subject, body = _question(rng, language, division=index in (1, 4))
    member, msme = rng.choices(cast.members, weights=[2] + [3] * (len(cast.members) - 1))[0]
    priority = rng.choices(Priority.values, weights=[2, 7, 2, 1])[0]
    outcome = rng.choices(list(OUTCOMES), weights=list(OUTCOMES.values()))[0]
    if index < len(OUTCOMES):
        outcome = list(OUTCOMES)[index]
    if outcome == "merged" and room < 2:
        outcome = "closed"
    moments = iter(_moments(rng, now, outcome, steps=14))  # more than any story takes
    clock = Clock()

    def step(action: Callable[[], Any]) -> Any:
        clock.at(next(moments))
        return action()

    def handler(ticket: Ticket) -> Actor:
        return cast.division_agents.get(ticket.division or "") or cast.agent

    def agent_does(ticket: Ticket, service: Callable[..., Any], **kwargs: Any) -> Any:
        actor = handler(ticket)
        with _scope(actor):
            return step(lambda: service(actor=actor, ticket=ticket, **kwargs))

    ticket = step(
        lambda: services.ticket_open(
            actor=member, subject=subject, body=body, topic=topic, language=language, msme=msme, priority=priority
        )
    )
    tickets = [ticket]
    replies = AGENT_REPLIES.get(language, AGENT_REPLIES["en"])
    answers = CUSTOMER_REPLIES.get(language, CUSTOMER_REPLIES["en"])
    if outcome == "merged":
        duplicate = step(
            lambda: services.ticket_open(
                actor=member, subject=subject, body=body, topic=topic, language=language, msme=msme, priority=priority
            )
        )
        tickets.append(duplicate)
        agent_does(duplicate, services.ticket_merge, into=ticket)
    if rng.random() < 0.2:
        agent_does(ticket, services.ticket_reply, body=rng.choice(NOTES.get(language, NOTES["en"])), internal=True)
    if topic in HAND_ON and not ticket.division and outcome != "new" and rng.random() < 0.3:
        target = cast.divisions[HAND_ON[topic].value]
        agent_does(ticket, services.ticket_transfer, queue=target)
        if rng.random() < 0.2:  # the division sends it back: the agency can answer it after all
            agent_does(ticket, services.ticket_transfer, queue=cast.queue)
    if outcome != "new":
        agent_does(ticket, services.ticket_reply, body=rng.choice(replies))
        if outcome == "open" and rng.random() < 0.5:
            step(lambda: services.ticket_reply(actor=member, ticket=ticket, body=rng.choice(answers)))
    if outcome == "waiting" or (outcome in ("resolved", "closed", "merged") and rng.random() < 0.4):
        agent_does(ticket, services.ticket_set_status, status=Status.WAITING)
        if outcome != "waiting":
            step(lambda: services.ticket_reply(actor=member, ticket=ticket, body=rng.choice(answers)))
            agent_does(ticket, services.ticket_reply, body=rng.choice(replies))
    if outcome in ("resolved", "closed", "merged"):
        agent_does(ticket, services.ticket_set_status, status=Status.RESOLVED)
        if rng.random() < 0.65:
            rating = "good" if rng.random() < 0.8 else "bad"
            comment = rng.choice(RATING_COMMENTS.get(language, RATING_COMMENTS["en"]))
            step(lambda: services.ticket_rate(actor=member, ticket=ticket, rating=rating, comment=comment))
    if outcome == "closed":
        if rng.random() < 0.5:
            step(lambda: services.ticket_close_own(actor=member, ticket=ticket))
        else:
            agent_does(ticket, services.ticket_set_status, status=Status.CLOSED)
    for made in tickets:
        _into_the_past(made, clock, now)
    return len(tickets)


def _into_the_past(ticket: Ticket, clock: Clock, now: datetime) -> None:
    """Move what the services stamped to the story's moments, count the due times again and mark the
    targets that were missed, as the SLA sweep would have."""
    ticket.refresh_from_db()
    messages = list(Message.objects.filter(ticket=ticket))
    for message in messages:
        message.created_at = clock.past(message.created_at)
    Message.objects.bulk_update(messages, ["created_at"])
    ticket.created_at = clock.past(ticket.created_at)
    for name in ("first_responded_at", "resolved_at", "closed_at", "rated_at"):
        setattr(ticket, name, clock.past(getattr(ticket, name)))
    ticket.sla_pauses = [[clock.past_iso(start), clock.past_iso(end)] for start, end in ticket.sla_pauses]
    # The due times as they stood before each target was met (the services' were counted from the present):
    # the first answer's before any wait (an agent's answer comes first), the resolution's with the waits.
    probe = copy.copy(ticket)
    probe.status, probe.first_responded_at = Status.NEW, None
    probe.first_response_due = probe.resolution_due = None
    sla.refresh_due_times(probe)
    resolution_due = probe.resolution_due
    probe.sla_pauses = [pause for pause in ticket.sla_pauses if pause[1] is not None]
    sla.refresh_due_times(probe)
    ticket.first_response_due, ticket.resolution_due = probe.first_response_due, resolution_due
    sla.refresh_due_times(ticket)  # what is still pending is counted again; a met target keeps its due time
    probe.resolution_due = resolution_due
    warning = timedelta(minutes=settings.HELPDESK_SLA_WARNING_MINUTES)
    stamps: dict[str, datetime | None] = {}
    for due, met, name in (
        (probe.first_response_due, ticket.first_responded_at, "response"),
        (probe.resolution_due, ticket.resolved_at, "resolution"),
    ):
        until = met or (now if ticket.status in ACTIVE_STATUSES else None)
        stamps[f"{name}_warned_at"] = due - warning if due and until and until > due - warning else None
        stamps[f"{name}_breached_at"] = due if due and until and until > due else None
    last = max([message.created_at for message in messages] + [ticket.created_at])
    Ticket.objects.filter(pk=ticket.pk).update(
        created_at=ticket.created_at,
        updated_at=last,
        first_responded_at=ticket.first_responded_at,
        resolved_at=ticket.resolved_at,
        closed_at=ticket.closed_at,
        rated_at=ticket.rated_at,
        sla_pauses=ticket.sla_pauses,
        first_response_due=ticket.first_response_due,
        resolution_due=ticket.resolution_due,
        **stamps,
    )
